"""The Spark run gives what `provenance audit` gives, on the seeds and a generated corpus.

One Spark run (local[2]) serves the module: the corpus holds the seeds as they are, families
of word-ciphered rewrites of the project's fixtures, outlet footers and same-URL feeds, and two
bad lines; half of it is read from JSONL, half from Parquet.
"""
from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance import candidates, pipeline, store
from provenance.cli import cli
from provenance.ingest import Problem, RawRecord, read_jsonl

from .test_claims_chain import RELEASE, REWRITE, REWRITE_OF_REWRITE
from .test_derivation import market_records

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "examples" / "seeds"
OUTLETS = ("Nordkurier Online", "Abendpost", "Weserblick", "Rheinbote", "Tagesecho")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _article_fixtures() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) + sorted((FIXTURES / "derivation").glob("*.txt"))


def base_texts() -> list[tuple[str, str]]:
    """(language, text) of every fixture article: the seeds, the derivation set, the drift cases."""
    texts = [("de", p.read_text(encoding="utf-8")) for p in _article_fixtures()]
    for case in json.loads((FIXTURES / "drift" / "cases.json").read_text(encoding="utf-8"))["cases"]:
        texts += [(case["language"], case["source"]), (case["language"], case["derivative"])]
    return texts


def _cipher(texts: list[str], rng: random.Random) -> dict[str, str]:
    """A seeded permutation of one language's fixture vocabulary: real words, new texts, same structure."""
    vocabulary = sorted({w.lower() for text in texts for w in _WORD.findall(text)})
    shuffled = vocabulary[:]
    rng.shuffle(shuffled)
    return dict(zip(vocabulary, shuffled))


def _apply(text: str, cipher: dict[str, str]) -> str:
    def swap(match: re.Match) -> str:
        word = match.group()
        new = cipher.get(word.lower(), word)
        return new.capitalize() if word[0].isupper() else new

    return _WORD.sub(swap, text)


def _sentences(text: str) -> list[list[str]]:
    return [re.split(r"(?<=[.!?])\s+", p.strip()) for p in text.split("\n\n") if p.strip()]


def _rewrite(text: str, rng: random.Random, keep: float) -> str:
    """A sentence subset of `text`, neighbours sometimes swapped: real, partial reuse."""
    paragraphs = []
    for sentences in _sentences(text):
        kept = [s for s in sentences if rng.random() < keep] or sentences[:1]
        if len(kept) > 2 and rng.random() < 0.5:
            i = rng.randrange(len(kept) - 1)
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        paragraphs.append(" ".join(kept))
    return "\n\n".join(paragraphs)


def synthetic_corpus(documents: int, seed: int = 7) -> list[dict]:
    """About `documents` JSONL records: the seeds, then families built from one fixture each.

    A family has an origin (the fixture under its own word cipher), rewrites that keep a
    sentence subset, a rewrite of a rewrite, sometimes the same article under a second feed
    (same URL); every article of an outlet ends with that outlet's newsletter line.
    """
    rng = random.Random(seed)
    bases = base_texts()
    # The cipher is built from the seeds' and the derivation fixtures' words only: a drift case
    # added to the fixtures then adds a family at the end, and leaves the texts before it alone.
    by_language: dict[str, list[str]] = {}
    for language, text in bases[:len(_article_fixtures())]:
        by_language.setdefault(language, []).append(text)
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]
    family = 0
    while len(records) < documents:
        language, base = bases[family % len(bases)]
        cipher = _cipher(by_language.get(language) or [base], random.Random(f"{seed}-{family}"))
        origin = _apply(base, cipher)
        day = 1 + family % 27
        members = [origin]
        for _ in range(rng.randrange(1, 5)):
            members.append(_rewrite(rng.choice(members), rng, rng.choice((0.5, 0.8, 0.95))))
        for n, text in enumerate(members):
            outlet = OUTLETS[rng.randrange(len(OUTLETS))]
            footer = f"Alle Meldungen von {outlet} lesen Sie jeden Morgen in unserem kostenlosen Newsletter."
            record = {
                "id": f"f{family:04d}-{n}",
                "text": f"{text}\n\n{footer}",
                "source": outlet,
                "language": language,
                "date": f"2024-03-{day + n:02d}",
                "url": f"https://{outlet.split()[0].lower()}.example/{family}/{n}",
            }
            records.append(record)
            if rng.random() < 0.08:
                records.append({**record, "id": f"{record['id']}-feed", "source": f"{outlet} Politik"})
        family += 1
    return records[:documents]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def outcome(db) -> dict:
    """What must be identical: the reconciled derivations, related pairs, origins and claims."""
    kept, related, origins = pipeline.derivation_graph(db)
    return {"derivations": kept, "related": related, "origins": origins, "claims": store.load_claims(db)}


# a release, a rewrite and a rewrite of the rewrite (tests/test_claims_chain.py): claims linked through
CHAIN = [
    {"id": "release", "text": RELEASE, "date": "2024-03-04", "source": "Hansa Wind AG", "language": "de"},
    {"id": "rewrite", "text": REWRITE, "date": "2024-03-05", "source": "Nordwest-Kurier", "language": "de"},
    {"id": "rewrite2", "text": REWRITE_OF_REWRITE, "date": "2024-03-06", "source": "Energieportal", "language": "de"},
]
BAD_LINES = '{"id": "broken", "text": \n{"id": "no-text", "title": "no text field"}\n'


# --- without Spark: the pieces mirror the single-machine code ---------------------------------------


def test_record_from_line_reads_like_ingest(tmp_path):
    from provenance import spark

    lines = [
        json.dumps({"id": "a", "text": "Ein Satz.", "source": "X", "extra": 1}),
        json.dumps({"text": "Ohne id."}),
        "{not json",
        json.dumps({"id": "b", "text": "   "}),
        json.dumps({"id": 5, "title": "kein Text"}),
        json.dumps({"id": "bin", "text": "PK\x03\x04" + "\x00\x01" * 40}),
        "",
    ]
    path = write_jsonl(tmp_path / "in.jsonl", [])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = list(read_jsonl(path))
    got = [spark.record_from_line(line, str(path), n, "in") for n, line in enumerate(lines, start=1)]
    got = [g for g in got if g is not None]
    assert [type(x) for x in got] == [type(x) for x in expected]
    for mine, theirs in zip(got, expected):
        if isinstance(theirs, RawRecord):
            assert (mine.id, mine.text, mine.given, mine.extra, mine.origin) == (
                theirs.id, theirs.text, theirs.given, theirs.extra, theirs.origin
            )
        else:
            assert isinstance(mine, Problem) and str(mine) == str(theirs)


def test_posting_shuffle_proposes_what_the_anchor_index_proposes():
    """The shuffle's rule, run here on plain dicts, against `AnchorIndex` on random anchors."""
    from provenance import spark

    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(60)] + [f"#{i:016x}" for i in range(40)]
    anchors = {f"d{i:03d}": rng.sample(vocabulary, rng.randrange(0, 30)) for i in range(120)}
    index = candidates.AnchorIndex()
    for document_id in sorted(anchors):
        index.add(document_id, anchors[document_id])
    expected = {
        tuple(sorted((d, other))) for d in sorted(anchors) for other, _ in index.candidates(d, anchors[d])
    }
    postings: dict[str, list[str]] = {}
    for document_id, terms in anchors.items():
        for term in set(terms):
            postings.setdefault(term, []).append(document_id)
    indexed = sum(1 for terms in anchors.values() if terms)
    matches: dict[tuple[str, str], tuple] = {}
    for term, posting in postings.items():
        for pair, contribution in spark.posting_pairs(term, posting, indexed):
            matches[pair] = spark._add_match(matches[pair], contribution) if pair in matches else contribution
    by_document: dict[str, list] = {}
    for (a, b), match in matches.items():
        by_document.setdefault(a, []).append((b, match))
    got = {pair for a, found in by_document.items() for pair in spark.chosen_pairs(a, found)}
    assert expected and got == expected


def test_spark_run_explains_a_missing_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "pyspark", None)
    result = CliRunner().invoke(cli, ["spark", "run", str(tmp_path), str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["Error: pyspark is not installed: pip install 'provenance[spark]'"]


def test_spark_run_names_a_missing_input(tmp_path):
    result = CliRunner().invoke(cli, ["spark", "run", str(tmp_path / "nothing"), str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {tmp_path / 'nothing'}: no such file or directory"]


def test_import_parquet_names_a_folder_that_is_no_spark_output(tmp_path):
    pytest.importorskip("pyarrow")
    (tmp_path / "out" / "documents").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["import-parquet", str(tmp_path / "out"), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1
    line, = result.stderr.strip().splitlines()
    assert str(tmp_path / "out") in line and "no runs" in line and "claims" in line


# --- one Spark run for the module -----------------------------------------------------------------


@pytest.fixture(scope="module")
def spark_result(tmp_path_factory):
    pytest.importorskip("pyspark")
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow

    if shutil.which("java") is None:
        pytest.skip("no Java runtime")
    base = tmp_path_factory.mktemp("spark")
    records = synthetic_corpus(50) + CHAIN + market_records({"markt1": "2024-04-06", "markt2": "2024-04-13", "markt3": "2024-05-18"})
    single = write_jsonl(base / "single" / "corpus.jsonl", records)
    (base / "single" / "bad.jsonl").write_text(BAD_LINES, encoding="utf-8")
    spread = base / "spread"
    write_jsonl(spread / "a.jsonl", records[::2])
    (spread / "b").mkdir()
    rows = records[1::2]
    keys = sorted({k for r in rows for k in r})
    pq.write_table(pyarrow.table({k: [r.get(k) for r in rows] for k in keys}), spread / "b" / "part.parquet")
    (spread / "bad.jsonl").write_text(BAD_LINES, encoding="utf-8")

    runner = CliRunner()
    out = base / "out"
    result = runner.invoke(
        cli, ["spark", "run", str(spread), str(out), "--partitions", "2", "--json"], catch_exceptions=False
    )
    keep = base / "notes.txt"
    keep.write_text("not a Spark output", encoding="utf-8")
    refused = runner.invoke(cli, ["spark", "run", str(spread), str(keep), "--partitions", "2"])
    audit_db = base / "audit.db"
    audit = runner.invoke(cli, ["audit", str(base / "single"), "--db", str(audit_db), "--report-dir", str(base / "r1"), "--json"])
    imported_db = base / "imported.db"
    first = runner.invoke(cli, ["import-parquet", str(out), "--db", str(imported_db), "--json"], catch_exceptions=False)
    from pyspark.sql import SparkSession

    if SparkSession.getActiveSession() is not None:
        SparkSession.getActiveSession().stop()
    return {
        "run": result, "audit": audit, "import": first, "out": out, "base": base,
        "audit_db": audit_db, "imported_db": imported_db, "records": records, "refused": refused, "keep": keep,
    }


def test_spark_run_reports_bad_lines_and_exits_1(spark_result):
    result = spark_result["run"]
    assert result.exit_code == 1
    counts = json.loads(result.stdout)
    assert counts["documents"] == len(spark_result["records"])
    assert counts["skipped"] == 2
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 2 and all("bad.jsonl:" in line for line in skipped)


def test_spark_run_never_replaces_what_is_not_its_output(spark_result):
    refused = spark_result["refused"]
    assert refused.exit_code == 1
    line, = refused.stderr.strip().splitlines()
    assert str(spark_result["keep"]) in line and "not the output of an earlier run" in line
    assert spark_result["keep"].read_text(encoding="utf-8") == "not a Spark output"


def test_imported_result_is_identical_to_audit(spark_result):
    assert spark_result["audit"].exit_code == 1  # the same two bad lines
    audit, imported = store.open_db(spark_result["audit_db"]), store.open_db(spark_result["imported_db"])
    expected, got = outcome(audit), outcome(imported)
    assert got == expected
    # the corpus exercises what must match: the seed pair, rewrites, duplicates, recurring lines
    assert ("001_45da5be54d483bbf", "000_9adfba21b048cf0a") in {(d["derivative"], d["source"]) for d in got["derivations"]}
    assert len(got["derivations"]) >= 20
    assert any(r["reason"] == "duplicate" for r in got["related"])
    assert len([r for r in got["related"] if "standing text" in r["explanation"]]) == 3  # the weekly column's frame
    assert {c["status"] for c in got["claims"]} >= {"original", "supported"}
    flagged = "select document_id, n from segments where reason = 'recurring' order by 1, 2"
    assert imported.execute(flagged).fetchall() == audit.execute(flagged).fetchall() != []
    prints = "select document_id, kind, count, value from fingerprints order by 1, 2"
    assert imported.execute(prints).fetchall() == audit.execute(prints).fetchall()
    pairs = "select document_a, document_b, hash_a, hash_b, outcome from comparisons order by 1, 2"
    assert imported.execute(pairs).fetchall() == audit.execute(pairs).fetchall()
    links = "select * from claim_links order by claim"
    assert imported.execute(links).fetchall() == audit.execute(links).fetchall() != []
    bases = "select id, basis from claims order by id"
    assert imported.execute(bases).fetchall() == audit.execute(bases).fetchall()


def test_claims_are_linked_along_the_chains_as_audit_links_them(spark_result):
    """A rewrite of a rewrite: some claims are checked through the middle document (`via`) and
    linked to the origin before it, in both runs."""
    got = outcome(store.open_db(spark_result["imported_db"]))["claims"]
    through = [c for c in got if c.get("via") and c["via"] != c["checked_against"]]
    assert through and all(c["source"]["document"] == c["checked_against"] for c in through)


def test_import_stores_outlets_attribution_and_origins_as_audit_does(spark_result):
    audit, imported = store.open_db(spark_result["audit_db"]), store.open_db(spark_result["imported_db"])
    for table, order in (("document_outlets", "document_id"), ("attributions", "derivative, source"), ("document_origins", "document_id, origin")):
        columns = ", ".join(c.name for c in audit[table].columns if c.name != "run_id")
        query = f"select {columns} from {table} order by {order}"
        assert imported.execute(query).fetchall() == audit.execute(query).fetchall() != []


def test_report_reads_the_imported_database(spark_result):
    result = CliRunner().invoke(
        cli, ["report", "--db", str(spark_result["imported_db"]), "--report-dir", str(spark_result["base"] / "r2"), "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert len(report["documents"]) == len(spark_result["records"])
    expected = outcome(store.open_db(spark_result["audit_db"]))["derivations"]
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [(d["derivative"], d["source"]) for d in expected]
    assert (spark_result["base"] / "r2" / "index.md").is_file()


def test_import_parquet_twice_changes_nothing(spark_result, tmp_path):
    db_path = tmp_path / "twice.db"
    runner = CliRunner()
    first = json.loads(runner.invoke(cli, ["import-parquet", str(spark_result["out"]), "--db", str(db_path), "--json"]).stdout)
    before = outcome(store.open_db(db_path))
    second = json.loads(runner.invoke(cli, ["import-parquet", str(spark_result["out"]), "--db", str(db_path), "--json"]).stdout)
    db = store.open_db(db_path)
    assert outcome(db) == before
    assert {k: v for k, v in first.items() if k != "run"} == {k: v for k, v in second.items() if k != "run"}
    for table in ("documents", "segments", "fingerprints", "derivations", "passages", "claims", "claim_links"):
        assert db[table].count == first[table]
    assert db.execute("select count(*) from segments_fts").fetchone()[0] == first["segments"]
