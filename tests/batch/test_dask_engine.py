"""The Dask engine, on a local cluster, writes exactly what the local engine writes."""

import shutil

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

from quote_stance.batch.csv_scoring import score_csv  # noqa: E402
from quote_stance.batch.dask_engine import score_with_dask  # noqa: E402


def test_dask_agrees_with_the_local_engine_on_a_glob(tmp_path):
    rows = "".join(f'{i},"Quote {i}: we will {"sue, now" if i % 2 else "comply"}\nsaid X",S{i}\n' for i in range(300))
    bad = '900,,Blank\n901,too few\n902,"never closed,Z\n'
    (tmp_path / "a.csv").write_text("id,text,speaker\n" + rows + bad, encoding="utf-8")
    (tmp_path / "b.csv").write_text("\ufeffid,text,speaker\n" + rows[:2000], encoding="utf-8")
    local_reports, dask_reports = [], []
    score_csv(tmp_path / "a.csv", tmp_path / "local_a.csv", jobs=1, report=local_reports.append)
    score_csv(tmp_path / "b.csv", tmp_path / "local_b.csv", jobs=1, report=local_reports.append)
    summary = score_with_dask(str(tmp_path / "[ab].csv"), str(tmp_path / "dask.csv"), workers=2,
                              report=dask_reports.append, partition_rows=70)
    local_b = (tmp_path / "local_b.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    assert (tmp_path / "dask.csv").read_text(encoding="utf-8") == (
        (tmp_path / "local_a.csv").read_text(encoding="utf-8") + local_b)
    assert dask_reports == local_reports
    assert summary.rows_unscored == len(local_reports) >= 3
    shutil.rmtree(tmp_path)
