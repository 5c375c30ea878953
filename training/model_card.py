"""The model card written beside every trained model."""


def _metric_line(name: str, metrics: dict | None) -> str:
    if not metrics:
        return f"| {name} | not measured | | | |"
    return (
        f"| {name} | {metrics['n']} | {metrics['macro_f1']:.3f} | {metrics['accuracy']:.3f} | {metrics['ece']:.3f} |"
    )


def _corrections_line(corrections: dict | None) -> str:
    if not corrections:
        return ""
    return (
        f"\nWith {corrections['rows']} reporters' corrections from the corrections store (the latest per quote, "
        f"made up to {corrections['up_to'] or 'now'}), weighted like news quotes, each its own page in "
        f"cross-validation; they replaced {corrections['replaced_corpus_rows']} corpus row(s) with the same words.\n"
    )


def render_model_card(metadata: dict) -> str:
    """Markdown: intended use, data, metrics, limits and the labeling guide."""
    cv = metadata["metrics"]["cross_validation"]
    dev = metadata["metrics"]["dev"]
    data = metadata["training_data"]
    per_class = ""
    if dev:
        ways = [("with the speaker columns", dev)]
        if dev.get("without_context"):
            ways.append(("speaker columns ignored", dev["without_context"]))
        per_class = "\n".join(
            f"| {label} | {way} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |"
            for way, metrics in ways
            for label, row in metrics["per_class"].items()
        )
        per_class = (
            f"\nOn the dev file (`{dev['file']}`, sha256 `{dev['sha256'][:12]}…`), which played no part in "
            "training or selection:\n\n| label | scored | precision | recall | F1 | support |\n"
            "|---|---|---|---|---|---|\n" + per_class + "\n"
        )
    context = metadata["config"].get("context")
    context_text = (
        "The speaker's context counts beside the words: the role's words and word pairs and the kind of office "
        "it names (`kind:mayor`, `kind:attorney_general`...), weighted `role`, and the last word of the "
        "speaker's name, weighted `speaker` (low, and kept only for names met at least twice, so a name "
        "never decides alone). Each training row with context is also fitted with its context blanked, so "
        "a quote whose speaker is unknown is scored as well as the words allow."
        if context else "The model reads the words only; a speaker or role given with a quote is ignored."
    )
    return f"""# Model card: quote-stance {{version}}

Trained {metadata['trained_at']} with Python {metadata['versions']['python']}, scikit-learn
{metadata['versions']['scikit-learn']}, NLTK {metadata['versions']['nltk']}; seed {metadata['seed']}.

## Intended use
Labels a statement (a quote from news coverage) as `support`, `oppose` or `neutral` toward the US
federal conditions that tie grants (Byrne JAG, COPS and others) to cooperation with immigration
enforcement, and the crackdown on "sanctuary" jurisdictions. It is meant to sort and flag quotes for
a journalist to read, not to decide anything about a person on its own.

## Model
{metadata['config_description']}: TF-IDF over NLTK-prepared words (Snowball stems, negation scope
marked with NLTK's rule), optional character n-grams and cue-phrase counts, and a multinomial logistic
regression with balanced class weights; real news quotes weigh `news_weight` times an authored
statement in the fit. Chosen among {len(metadata['candidates'])} candidates by {cv['folds']}-fold
cross-validation grouped by source page, repeated {cv.get('repeats', 1)} times with different splits,
scored by macro-F1 on the real news quotes (mean {cv.get('selection_score_value', cv['news_rows']['macro_f1']):.3f}).
The cross-validation rows below are the first repeat's.

{context_text}

## Data
{data['rows']} labeled statements (sha256 `{data['sha256'][:12]}…`): by label
{', '.join(f'{k} {v}' for k, v in data['by_label'].items())}; by source
{', '.join(f'{k} {v}' for k, v in data['by_source_kind'].items())}. `news` rows are real, attributed
quotes from news coverage (2015-2025); `authored` rows were written by the project in the voices of
roles in the dispute, with no real person named as their speaker. See `data/README.md`.
{_corrections_line(data.get('corrections'))}
## Metrics

| measured on | n | macro-F1 | accuracy | ECE |
|---|---|---|---|---|
{_metric_line('cross-validation, all rows', cv['all_rows'])}
{_metric_line('cross-validation, news rows', cv['news_rows'])}
{_metric_line('cross-validation, news rows, speaker columns ignored', cv.get('news_rows_without_context'))}
{_metric_line('dev file (held out)', dev)}
{_metric_line('dev file, speaker columns ignored', dev.get('without_context') if dev else None)}
{per_class}
ECE is the expected calibration error of `confidence` over 10 equal-width bins.

## Labeling guide
- `support`: backs the federal conditions, the crackdown on sanctuary jurisdictions, or attacks
  sanctuary policies (officials attacking a state sanctuary law count here).
- `oppose`: rejects the conditions or the crackdown, defends sanctuary policies, calls the conditions
  unlawful, vows to sue or resist.
- `neutral`: on-topic but taking no side (procedure, facts, "we are reviewing the guidance", mixed
  statements), or off-topic.
- Judges' rulings are labeled by what the quoted sentence says.

## Limits
- A bag of words and phrases: it reads cue vocabulary well and argument structure poorly. Sarcasm,
  quotes that report the other side's view, and statements whose side depends on context outside
  the quote are its commonest errors.
- `neutral` is the hardest class: a procedural statement that uses a side's vocabulary is often
  pulled towards that side.
- The speaker's role moves the probabilities: a neutral or mixed statement by an official whose office
  usually takes a side may be pulled towards that side. Roles the model has not met count only by
  the kind of office they name, if any.
- Trained on English news of 2015-2025 about this one policy fight; other topics are out of scope
  and will mostly, but not reliably, come out `neutral`.
- Labels are one careful reading each, not an adjudicated gold standard.
"""
