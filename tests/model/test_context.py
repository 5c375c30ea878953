"""Speaker context: role and name tokens, the context column transformer, and a model that reads them."""

from pathlib import Path

import numpy as np
import pytest

from quote_stance.model.artifacts import MODEL_FILE, untrusted_types
from quote_stance.model.context import ContextTokens, context_rows, role_tokens, speaker_tokens
from quote_stance.model.features import FeatureConfig
from quote_stance.model.predictor import load_model
from quote_stance.training.train import train_model


@pytest.mark.parametrize(
    "role, kinds",
    [
        ("U.S. Attorney General", {"kind:attorney_general", "kind:justice_department"}),
        ("California Attorney General", {"kind:attorney_general"}),
        ("Mayor of Chicago", {"kind:mayor"}),
        ("Newark Mayor", {"kind:mayor"}),
        ("a county sheriff in Texas", {"kind:sheriff"}),
        ("Acting Director, ICE", {"kind:immigration_enforcement", "kind:acting"}),
        ("Secretary of Homeland Security", {"kind:immigration_enforcement"}),
        ("US District Judge (N.D. Cal.)", {"kind:judge"}),
        ("a city council member", {"kind:council"}),
        ("former Department of Justice official", {"kind:justice_department", "kind:former"}),
        ("Gov. of Texas", {"kind:governor"}),
    ],
)
def test_a_role_names_its_kinds_of_office(role, kinds):
    tokens = set(role_tokens(role))
    assert kinds <= {t for t in tokens if t.startswith("kind:")}


@pytest.mark.parametrize("role", ["President", "U.S. President", "President of the United States", "White House press secretary"])
def test_the_countrys_president_is_the_white_house(role):
    assert "kind:white_house" in role_tokens(role)


@pytest.mark.parametrize("role", ["police union president", "city council president", "President, National Sheriffs' Association"])
def test_other_presidents_are_not(role):
    assert "kind:white_house" not in role_tokens(role)


def test_department_of_justice_is_not_a_judge():
    assert "kind:judge" not in role_tokens("Department of Justice spokesperson")


def test_role_words_are_normalised_so_spellings_meet():
    assert "role:us_attorney" in role_tokens("U.S. Attorney General")
    assert "role:us_attorney" in role_tokens("United States Attorney General")
    assert role_tokens("Mayor  of  BOSTON") == role_tokens("mayor of Boston")


def test_missing_context_has_no_token():
    assert role_tokens("") == () and speaker_tokens("") == ()
    assert role_tokens("   ") == () and speaker_tokens("  ") == ()


def test_the_speaker_is_the_last_word_of_the_name():
    assert speaker_tokens("Jeff Sessions") == speaker_tokens("Sessions") == ("speaker:sessions",)
    assert speaker_tokens("Bill Foster Jr.") == ("speaker:foster",)


def test_context_tokens_accept_a_column_without_any_token():
    column = ContextTokens("speaker", min_df=2).fit(["", "Jane Roe", ""])
    matrix = column.transform(["Jane Roe", ""])
    assert matrix.shape == (2, 0)
    assert list(column.get_feature_names_out()) == []


def test_context_tokens_drop_rare_names_and_normalise_rows():
    column = ContextTokens("speaker", min_df=2).fit(["Jane Roe", "J. Roe", "John Doe"])
    assert list(column.get_feature_names_out()) == ["speaker:roe"]
    roles = ContextTokens("role").fit(["county sheriff", "mayor"])
    rows = roles.transform(["county sheriff", "", "an unknown office"]).toarray()
    assert np.allclose(np.linalg.norm(rows[0]), 1.0)
    assert not rows[1].any() and not rows[2].any()


def test_context_rows_blank_unknowns_and_check_lengths():
    rows = context_rows(["a", "b"], [None, "Roe"], None)
    assert rows.tolist() == [["a", "", ""], ["b", "Roe", ""]]
    with pytest.raises(ValueError, match="1 context values for 2 texts"):
        context_rows(["a", "b"], ["Roe"])


CONTEXT = FeatureConfig(char_ngrams=None, cues=True, context=True, role_weight=2.0, speaker_weight=0.3)


@pytest.fixture(scope="module")
def context_model_dir(small_labeled_csv: Path, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("context") / "model"
    train_model([small_labeled_csv], output, folds=3, repeats=1, candidates=(CONTEXT,))
    return output


def test_a_context_model_saves_only_trusted_types_and_loads(context_model_dir: Path):
    assert untrusted_types((context_model_dir / MODEL_FILE).read_bytes(), context_model_dir) == []
    model = load_model(context_model_dir)
    assert model.uses_context


def test_absent_blank_and_none_context_are_the_same(context_model_dir: Path):
    model = load_model(context_model_dir)
    texts = ["We will see them in court.", "Comply with federal law or lose the grants."]
    absent = model.predict_proba(texts)
    np.testing.assert_array_equal(absent, model.predict_proba(texts, ["", None], [None, ""]))
    np.testing.assert_array_equal(absent, model.predict_proba(texts, None, ["", ""]))


def test_context_changes_the_probabilities(context_model_dir: Path):
    model = load_model(context_model_dir)
    text = ["We will follow the law."]
    bare = model.predict_proba(text)
    with_role = model.predict_proba(text, ["Jeff Sessions"], ["U.S. Attorney General"])
    assert not np.allclose(bare, with_role)
    assert np.allclose(with_role.sum(axis=1), 1.0)


def test_explain_lists_context_features(context_model_dir: Path):
    model = load_model(context_model_dir)
    terms = [term for term, _ in model.explain("We will follow the law.", "Jeff Sessions", "U.S. Attorney General", top=200)]
    assert any(term.startswith("kind:") for term in terms)
    assert any(term.startswith("role:") for term in terms)
    assert all("__" not in term for term in terms)


def test_a_words_only_model_ignores_context(small_model_dir: Path):
    model = load_model(small_model_dir)
    assert not model.uses_context
    texts = ["We will see them in court."]
    np.testing.assert_array_equal(model.predict_proba(texts), model.predict_proba(texts, ["Sessions"], ["Mayor"]))


def test_the_words_path_scores_a_bare_quote_as_the_words_only_model(small_labeled_csv: Path, tmp_path: Path):
    from dataclasses import replace

    from quote_stance.training.corpus import read_labeled_csv
    from quote_stance.training.selection import fit_pipeline, model_inputs

    corpus = read_labeled_csv(small_labeled_csv)
    switch = replace(CONTEXT, words_path=True)
    both = fit_pipeline(switch, corpus)
    words = fit_pipeline(replace(switch, context=False), corpus)
    rows = np.arange(10)
    np.testing.assert_allclose(
        both.predict_proba(model_inputs(switch, corpus, rows, context=False)),
        words.predict_proba(model_inputs(replace(switch, context=False), corpus, rows)),
    )
    mixed = model_inputs(switch, corpus, rows)
    mixed[::2, 1:] = ""
    scored = both.predict_proba(mixed)
    np.testing.assert_allclose(scored[::2], words.predict_proba(list(mixed[::2, 0])))
    np.testing.assert_allclose(scored[1::2], both.with_context_.predict_proba(mixed[1::2]))
