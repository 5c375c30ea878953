"""score_csv on real files: every row kept, in order, with awkward fields and bad rows."""

import csv
import gzip
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quote_stance.batch.csv_scoring import score_csv
from quote_stance.batch.records import read_records
from quote_stance.batch.scoring import OUTPUT_COLUMNS
from quote_stance.common import StanceError

AWKWARD_ROWS = [
    ["1", 'She said "no" twice', "Ana"],
    ["2", "line one\nline two, with a comma", "Bo"],
    ["3", "Ciudad santuario: «no cumpliremos»; 移民政策; Москва", "Cy"],
    ["4", "nul\x00inside and a tab\t", "Di"],
    ["5", "   ", "Ed"],
    ["6", "We will sue the administration, it is unconstitutional.", "Fay"],
]


def write_csv(path, rows, header=("id", "text", "speaker")):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def read_csv(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def run(source, target, **options):
    messages = []
    summary = score_csv(source, target, report=messages.append, **options)
    return summary, messages


def test_awkward_fields_round_trip(tmp_path, default_model):
    write_csv(tmp_path / "in.csv", AWKWARD_ROWS)
    summary, messages = run(tmp_path / "in.csv", tmp_path / "out.csv", jobs=1)
    out = read_csv(tmp_path / "out.csv")
    assert out[0] == ["id", "text", "speaker", *OUTPUT_COLUMNS]
    assert [row[:3] for row in out[1:]] == AWKWARD_ROWS
    assert (summary.rows_read, summary.rows_scored, summary.rows_unscored) == (6, 5, 1)
    assert messages == [f"{tmp_path / 'in.csv'}:7: blank text; row kept unscored"]  # row 2 spans two lines
    assert out[5][3:] == [""] * 5
    scored = [row for row in out[1:] if row[3]]
    expected = default_model.predict([row[1] for row in scored])
    assert [row[3] for row in scored] == [p.stance for p in expected]
    assert [row[5] for row in scored] == [f"{p.probabilities['support']:.4f}" for p in expected]


def test_row_order_with_several_jobs(tmp_path, default_model):
    rows = [[str(i), f"Quote number {i}: we will {'sue' if i % 3 else 'comply'}", "X"] for i in range(600)]
    rows[100][1] = rows[350][1] = " "  # chunks with rows left unscored, scored here and in workers
    write_csv(tmp_path / "in.csv", rows)
    run(tmp_path / "in.csv", tmp_path / "one.csv", jobs=1, chunk_rows=50)
    run(tmp_path / "in.csv", tmp_path / "two.csv", jobs=2, chunk_rows=50)
    run(tmp_path / "in.csv", tmp_path / "three.csv", jobs=3, chunk_rows=7)
    one, two, three = (read_csv(tmp_path / f"{name}.csv") for name in ("one", "two", "three"))
    assert [row[0] for row in two[1:]] == [str(i) for i in range(600)]
    assert one == two == three
    # The probabilities are the model's own, with the speaker column, to 4 decimals.
    scored = [row for row in one[1:] if row[3]]
    expected = default_model.predict_proba([row[1] for row in scored], speakers=[row[2] for row in scored])
    assert [row[5:8] for row in scored] == [[f"{p:.4f}" for p in values] for values in expected.tolist()]


def test_blank_and_malformed_rows_are_kept_and_reported_with_line_numbers(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "id,text,speaker\n"
        "1,We will sue,Ana\n"           # line 2
        "\n"                            # line 3: blank line
        "2,too few\n"                   # line 4
        "3,too,many,fields,here\n"      # line 5
        '4,"multi\nline",Bo\n'          # lines 6-7
        "5,,Cy\n"                       # line 8: blank text
        '6,"never closed,Di\n'          # line 9: unterminated quote
        "7,Comply with the law,Ed\n",   # line 10
        encoding="utf-8",
    )
    summary, messages = run(source, tmp_path / "out.csv", jobs=1)
    lines = [m.split(":")[1] for m in messages]
    assert lines == ["3", "4", "5", "8", "9"]
    assert "unterminated quote" in messages[-1]
    out = read_csv(tmp_path / "out.csv")
    assert len(out) == 1 + 8 and all(len(row) == 8 for row in out)
    assert out[2][:3] == ["", "", ""]
    assert [row[0] for row in out[1:]] == ["1", "", "2", "3", "4", "5", "6", "7"]
    assert out[3][:3] == ["2", "too few", ""]
    assert out[4][:3] == ["3", "too", "many,fields,here"]  # surplus fields kept as CSV text in the last column
    assert out[5][1] == "multi\nline" and out[5][3]
    assert out[7][:3] == ["6", '"never closed', "Di"]
    assert out[8][:3] == ["7", "Comply with the law", "Ed"] and out[8][3]
    assert (summary.rows_read, summary.rows_unscored) == (8, 5)


def test_strict_stops_at_the_first_bad_row_and_writes_nothing(tmp_path):
    write_csv(tmp_path / "in.csv", AWKWARD_ROWS)
    with pytest.raises(StanceError, match=r"in.csv:7: blank text"):
        run(tmp_path / "in.csv", tmp_path / "out.csv", jobs=1, strict=True)
    assert list(tmp_path.iterdir()) == [tmp_path / "in.csv"]


def test_a_failed_run_leaves_the_previous_output_untouched(tmp_path):
    (tmp_path / "out.csv").write_text("previous\n")
    (tmp_path / "in.csv").write_bytes(b"id,text\n1,ok\n2,\xff\xfe broken\n" + b"3,x\n" * 100)
    with pytest.raises(StanceError, match="not valid utf-8"):
        run(tmp_path / "in.csv", tmp_path / "out.csv", jobs=1)
    assert (tmp_path / "out.csv").read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_gzip_in_and_out_and_bom(tmp_path):
    with gzip.open(tmp_path / "in.csv.gz", "wt", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["text", "n"], ["We will sue", "1"], ["Comply now", "2"]])
    run(tmp_path / "in.csv.gz", tmp_path / "out.csv.gz", jobs=1)
    out = read_csv(tmp_path / "out.csv.gz")
    assert out[0][:2] == ["text", "n"] and [row[1] for row in out[1:]] == ["1", "2"]


def test_other_encodings(tmp_path):
    (tmp_path / "in.csv").write_bytes("text\nCaf\u00e9 owners will sue\n".encode("latin-1"))
    with pytest.raises(StanceError, match="--encoding"):
        run(tmp_path / "in.csv", tmp_path / "out.csv", jobs=1)
    run(tmp_path / "in.csv", tmp_path / "out.csv", jobs=1, encoding="latin-1")
    assert read_csv(tmp_path / "out.csv")[1][0] == "Caf\u00e9 owners will sue"


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50, "not CSV text"),
    (b"id,quote\n1,x\n", "no column 'text'"),
])
def test_whole_file_problems_fail_at_once(tmp_path, content, message):
    (tmp_path / "in.csv").write_bytes(content)
    with pytest.raises(StanceError, match=message):
        run(tmp_path / "in.csv", tmp_path / "out.csv", jobs=1)
    assert not (tmp_path / "out.csv").exists()


field = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(field, min_size=3, max_size=3), min_size=1, max_size=8))
def test_records_round_trip_any_fields(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    buffer.seek(0)
    records = list(read_records(io.StringIO(buffer.getvalue(), newline=""), first_line=1))
    # csv writes a row of one empty field as '""'; a row is never lost or split.
    assert [r.fields for r in records] == rows
    assert all(r.problem is None for r in records)
    assert [next(csv.reader([r.raw])) if r.raw else [] for r in records] == [
        row if any(row) or len(row) > 1 else row for row in rows]


# Any CSV field: every script, the characters CSV quotes (quote, comma, CR, LF), NUL, and fields
# long enough to pass Python's own csv limit (131,072 characters), within the reader's.
awkward = st.characters(exclude_categories=("Cs",)) | st.sampled_from('",\r\n\x00\t \u2028\ufeff\u00a0')
any_field = st.text(awkward, max_size=40) | st.builds(
    lambda piece, times: piece * times, st.text(awkward, min_size=1, max_size=6), st.integers(30_000, 60_000))
dialects = st.sampled_from([(csv.QUOTE_MINIMAL, "\r\n"), (csv.QUOTE_ALL, "\n"), (csv.QUOTE_ALL, "\r\n")])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(any_field, min_size=1, max_size=12), others=st.lists(any_field, min_size=12, max_size=12),
       dialect=dialects, bom=st.booleans(), chunk_rows=st.integers(1, 5))
def test_score_csv_round_trips_any_field_and_keeps_every_row_in_order(tmp_path_factory, texts, others, dialect,
                                                                       bom, chunk_rows):
    folder = tmp_path_factory.mktemp("any")
    rows = [[str(i), text, others[i]] for i, text in enumerate(texts)]
    quoting, terminator = dialect
    with open(folder / "in.csv", "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=quoting, lineterminator=terminator)
        writer.writerow(["id", "text", "other"])
        writer.writerows(rows)
    summary, messages = run(folder / "in.csv", folder / "out.csv", jobs=1, chunk_rows=chunk_rows)
    csv.field_size_limit(1 << 30)
    out = read_csv(folder / "out.csv")
    assert out[0] == ["id", "text", "other", *OUTPUT_COLUMNS]
    assert [row[:3] for row in out[1:]] == rows  # every field as written, every row, in order
    blank = [not text.strip() for text in texts]
    assert [not row[3] for row in out[1:]] == blank  # scored unless the text is blank
    assert summary.rows_read == len(rows) and summary.rows_unscored == sum(blank) == len(messages)
    assert all(row[3] in ("support", "oppose", "neutral") for row in out[1:] if row[3])
