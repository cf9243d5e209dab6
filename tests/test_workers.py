"""Worker processes change how fast, never what: the stored result is the same with one or two."""
from __future__ import annotations

from pathlib import Path

from provenance import pipeline, store

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [str(ROOT / "examples" / "seeds"), str(ROOT / "tests" / "fixtures" / "derivation")]


def _audit(path: Path, workers: int) -> dict:
    db = store.open_db(path)
    result = pipeline.ingest(db, INPUTS, workers=workers)
    counts = pipeline.analyse_corpus(db, result.new, workers=workers)
    tables = {
        table: db.execute(f"select * from {table} order by 1, 2").fetchall()
        for table in ("segments", "fingerprints", "anchors", "derivations", "passages", "related")
    }
    tables["documents"] = db.execute("select id, content_hash, title, date, wire_credit from documents order by id").fetchall()
    tables["comparisons"] = db.execute("select document_a, document_b, outcome from comparisons order by 1, 2").fetchall()
    return {"counts": counts, "tables": tables, "new": result.new}


def test_two_workers_store_what_one_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "JUDGE_BATCH", 3)
    monkeypatch.setattr(pipeline, "INGEST_BATCH", 4)
    one = _audit(tmp_path / "one.db", workers=1)
    two = _audit(tmp_path / "two.db", workers=2)
    assert one["counts"]["derivation"] >= 3
    assert one["new"] == two["new"]
    assert one["counts"] == two["counts"]
    for table, rows in one["tables"].items():
        assert rows == two["tables"][table], table


def test_worker_count_respects_the_request_and_the_work():
    assert pipeline.worker_count(100, requested=2) == 2
    assert pipeline.worker_count(1, requested=4) == 1
    assert pipeline.worker_count(3, minimum_per_worker=32) == 1
