"""Worker processes change how fast, never what: the stored result is the same with one or two."""
from __future__ import annotations

import json
import sys
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
    monkeypatch.setattr(pipeline, "CANDIDATE_BATCH", 3)
    one = _audit(tmp_path / "one.db", workers=1)
    two = _audit(tmp_path / "two.db", workers=2)
    assert one["counts"]["derivation"] >= 3
    assert one["new"] == two["new"]
    assert one["counts"] == two["counts"]
    for table, rows in one["tables"].items():
        assert rows == two["tables"][table], table


def test_claims_checked_by_two_workers_are_the_claims_one_checks(tmp_path):
    """Claims are checked in worker processes and linked in chain order here: the same rows."""
    found = []
    for workers in (1, 2):
        db = store.open_db(tmp_path / f"claims{workers}.db")
        pipeline.analyse_corpus(db, pipeline.ingest(db, INPUTS, workers=1).new, workers=1)
        assert pipeline.analyse_claims(db, workers=workers) >= 4
        found.append(db.execute("select document, n, text, status, checked_against, source_document, drift from claims order by 1, 2").fetchall())
    assert found[0] == found[1] and any(row[3] == "drifted" for row in found[0])


def test_worker_count_respects_the_request_and_the_work():
    assert pipeline.worker_count(100, requested=2) == 2
    assert pipeline.worker_count(1, requested=4) == 1
    assert pipeline.worker_count(3, minimum_per_worker=32) == 1


def test_an_id_read_while_its_batch_is_with_the_workers_sees_that_batch_stored(tmp_path, monkeypatch):
    """With workers the next batch is analysed while the one before is stored; an id read
    again meanwhile must be judged against the store as if that batch were stored already."""
    monkeypatch.setattr(pipeline, "INGEST_BATCH", 4)

    def record(n: int, version: int = 0) -> str:
        text = f"Meldung {n}.\n\nDer Stadtrat beschloss am Montag den Bau von {n + 3} neuen Brücken. " + (
            f"Die Kosten liegen nach Angaben der Verwaltung bei {n * 7 + version} Millionen Euro."
        )
        return json.dumps({"id": f"d{n}", "text": text}, ensure_ascii=False)

    lines = [record(n) for n in range(8)] + [record(5), record(6, 1), record(9), record(6), record(10)]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = {}
    for workers in (1, 2):
        db = store.open_db(tmp_path / f"{workers}.db")
        result = pipeline.ingest(db, [str(path)], workers=workers)
        rows = db.execute("select id, content_hash, version from documents order by id").fetchall()
        versions = db.execute("select document_id, version, content_hash from document_versions order by 1, 2").fetchall()
        found[workers] = (result.new, result.updated, result.unchanged, rows, versions)
    assert found[1] == found[2]
    assert found[1][1] == ["d6"] and found[1][2] == ["d5", "d6"]


def _unrelated_pair(path: Path) -> str:
    """Two texts that share four rare names (so the index proposes them) and little else."""
    import random

    rng = random.Random(3)
    syllables = "bra kel mun dor fis lan tre gos vik pal rum sen".split()

    def invented(n: int) -> list[str]:
        return ["".join(rng.choice(syllables) for _ in range(4)).capitalize() for _ in range(n)]

    names = ["Quendorf", "Malvikstadt", "Brelunkow", "Tisselbrak"]
    lines = []
    for n in range(2):
        own = invented(48)
        frame = ("In {} sprachen {} am Montag.", "Aus {} kamen gestern {}.")[n]  # no run of five words in common
        sentences = [frame.format(names[k], " und ".join(own[12 * k:12 * k + 12])) for k in range(4)]
        lines.append(json.dumps({"id": f"unrelated_{n}", "text": f"Bericht {n}\n\n" + " ".join(sentences)}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_the_gate_changes_how_fast_never_what(tmp_path, monkeypatch):
    """Pairs the gate stops before the workers are pairs the workers would have found nothing in."""
    from provenance import derivation

    monkeypatch.setattr(pipeline, "JUDGE_BATCH", 3)
    monkeypatch.setattr(sys.modules[__name__], "INPUTS", INPUTS + [_unrelated_pair(tmp_path / "unrelated.jsonl")])
    gated = _audit(tmp_path / "gated.db", workers=2)
    stopped = []
    original = derivation.Gate.may_pass

    def passing(self, a, b):
        if not original(self, a, b):
            stopped.append((a, b))
        return True

    monkeypatch.setattr(derivation.Gate, "may_pass", passing)
    every = _audit(tmp_path / "every.db", workers=2)
    assert ("unrelated_0", "unrelated_1") in stopped
    assert gated["counts"] == every["counts"]
    for table, rows in gated["tables"].items():
        assert rows == every["tables"][table], table


def test_worker_rows_are_the_rows_of_the_analysed_document():
    """`_prepare_rows` takes shortcuts (anchor keys straight from the hashes, the content hash
    left to the worker): its rows are what `document_rows` makes of `_prepare_document`."""
    from provenance.ingest import Problem, read_paths

    records = [item for item in read_paths(INPUTS) if not isinstance(item, Problem)]
    assert len(records) >= 4
    signs = set()
    for raw in records:
        rows = pipeline._prepare_rows((raw, None))
        expected = store.document_rows(*pipeline._prepare_document((raw, None)))
        for made in (rows, expected):
            made["document"].pop("ingested_at")  # the time the row was made (the store sets its own)
        assert rows == expected
        assert any(isinstance(key, int) for key in rows["anchors"]) and any(isinstance(key, str) for key in rows["anchors"])
        assert rows["content_hash"] == pipeline.fingerprint.content_hash(raw.text)
        signs.update(key < 0 for key in rows["anchors"] if isinstance(key, int))
    assert signs == {True, False}  # hashes above 2**63 are stored as negative integers


def test_profiles_read_back_from_the_spill_file_judge_as_built_ones(tmp_path, monkeypatch):
    """With no profile kept in memory every judged pair reads its two profiles back from the
    spill file the gate wrote (in worker processes forked after it): the same rows."""
    monkeypatch.setattr(pipeline, "JUDGE_BATCH", 3)
    kept = _audit(tmp_path / "kept.db", workers=2)
    monkeypatch.setattr(pipeline, "PROFILE_CACHE_BYTES", 0)
    spilled = _audit(tmp_path / "spilled.db", workers=2)
    assert kept["counts"]["derivation"] >= 3 and kept["counts"] == spilled["counts"]
    for table, rows in kept["tables"].items():
        assert rows == spilled["tables"][table], table

    read = []
    original = pipeline._Spilled.get

    def get(self, document_id):
        found = original(self, document_id)
        read.append(found is not None)
        return found

    monkeypatch.setattr(pipeline._Spilled, "get", get)
    alone = _audit(tmp_path / "alone.db", workers=1)  # judged in this process: its reads are seen here
    assert alone["tables"] == kept["tables"]
    assert sum(read) >= 2 * kept["counts"]["derivation"]  # (the gate's own look-ups, before it wrote them, miss)


def test_pairs_are_judged_story_by_story_not_in_publication_order():
    """Two stories told at the same hours by different documents: the pairs of one story come
    together, so a worker holds one story's profiles at a time, not both stories'."""
    dates = {f"{story}{n}": f"2024-07-0{n}T10:00:00" for story in "ab" for n in range(1, 6)}
    pairs = [(f"{story}{i}", f"{story}{j}") for story in "ab" for i in range(1, 6) for j in range(i + 1, 6)]
    pairs += [("a1", "a5"), ("b2", "b5")]
    pairs = sorted(set(pairs))
    ordered = pipeline.in_judging_order(pairs, dates)
    assert sorted(ordered) == pairs
    stories = "".join(a[0] for a, _ in ordered)
    assert stories in ("a" * 10 + "b" * 10, "b" * 10 + "a" * 10)
    assert pipeline.in_judging_order(list(reversed(pairs)), dates) == ordered


def _fixture_profile(name: str, text: str):
    from provenance.ingest import RawRecord

    return pipeline.profile(pipeline.analyse(RawRecord(id=name, text=text, origin=name, format="txt", given={}))[0])


def _fixture_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for folder in INPUTS for p in sorted(Path(folder).glob("*.txt"))]


def test_a_profile_estimates_the_memory_it_takes_once_judged():
    """What the profile cache counts is close to what a profile holds, alignment tables
    included: for the seed and for a text eight times as long."""
    import gc
    import tracemalloc

    texts = _fixture_texts()
    _fixture_profile("warm-up", texts[1]).prepared  # the word tables the first profile loads are not its own
    for name, text in (("seed", texts[0]), ("long", "\n\n".join(texts))):
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            found = _fixture_profile(name, text)
            found.prepared
            gc.collect()
            held = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert 0.67 < held / found.memory_estimate() < 1.5, (name, held, found.memory_estimate())


def test_the_profile_cache_holds_bytes_not_a_count_of_profiles(monkeypatch):
    """One long text fills what many short ones would: the least recently used go first."""
    texts = _fixture_texts()
    short = {f"short{n}": _fixture_profile(f"short{n}", text) for n, text in enumerate(texts[:4])}
    long = _fixture_profile("long", "\n\n".join(texts * 3))
    assert long.memory_estimate() > 5 * max(p.memory_estimate() for p in short.values())
    monkeypatch.setattr(pipeline, "PROFILE_CACHE_BYTES", long.memory_estimate() + short["short0"].memory_estimate())
    cache = pipeline.ProfileCache()
    for name, found in short.items():
        cache.put(name, found)
    assert len(cache) == 4
    assert cache.get("short0") is short["short0"]  # now the most recently used
    cache.put("long", long)
    assert cache.get("long") is long and cache.get("short0") is short["short0"]
    assert [cache.get(name) for name in ("short1", "short2", "short3")] == [None] * 3
    assert cache.size == long.memory_estimate() + short["short0"].memory_estimate()
    cache.put("short1", short["short1"])
    assert cache.get("long") is None and len(cache) == 2


def test_the_profile_caches_of_all_processes_fit_in_half_the_memory(monkeypatch):
    """2 GB a process where the machine has room; on 8 GB with 8 workers, half a gigabyte each."""
    gigabyte = 1_000_000_000
    assert pipeline.physical_memory() > 0
    monkeypatch.setattr(pipeline, "physical_memory", lambda: 8 * gigabyte)
    assert pipeline.profile_budget(8) == gigabyte // 2
    assert pipeline.profile_budget(1) == pipeline.PROFILE_CACHE_BYTES == 2 * gigabyte
    assert pipeline.ProfileCache(processes=4).budget == gigabyte
    monkeypatch.setattr(pipeline, "physical_memory", lambda: None)
    assert pipeline.ProfileCache(processes=64).budget == pipeline.PROFILE_CACHE_BYTES


def _summarised_and_kept(document_ids: list[str]) -> tuple[int, int, int]:
    summaries = pipeline._summarise(document_ids)
    return len(summaries), len(pipeline._JUDGE["profiles"]), pipeline._JUDGE["profiles"].budget


def test_the_gate_workers_keep_no_profile_the_judging_workers_do(tmp_path):
    """A gate worker meets each document once and ends with the gate: the profiles it builds
    go to the spill file, not to a cache nobody reads."""
    _audit(tmp_path / "stored.db", workers=1)
    ids = [row[0] for row in store.open_db(tmp_path / "stored.db").execute("select id from documents order by id")]
    for keeps, expected in ((False, 0), (True, len(ids))):
        pool = pipeline._pool(1, str(tmp_path / "stored.db"), set(), keeps_profiles=keeps)
        try:
            summarised, kept, budget = pool.apply(_summarised_and_kept, (ids,))
        finally:
            pool.terminate()
        assert summarised == len(ids) >= 8 and kept == expected
        assert (budget > 0) == keeps
