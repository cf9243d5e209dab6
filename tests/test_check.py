"""`provenance check`: one new article against a stored corpus gives what a full audit would."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from provenance import pipeline, store
from provenance.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "derivation"
SOURCE = next(SEEDS.glob("000_*"))
REWRITE = next(SEEDS.glob("001_*"))
CORPUS = [SOURCE, FIXTURES / "negative_same_event_1.txt", FIXTURES / "negative_other_topic.txt", FIXTURES / "copy_wire.txt"]


def _audited(path: Path, files: list[Path]) -> None:
    result = CliRunner().invoke(cli, ["audit", *map(str, files), "--db", str(path), "--report-dir", str(path.parent / "r")])
    assert result.exit_code == 0, result.output


def test_check_finds_the_seed_derivation_as_a_full_audit_does(tmp_path):
    corpus_db = tmp_path / "corpus.db"
    _audited(corpus_db, CORPUS)
    before = corpus_db.read_bytes()
    result = CliRunner().invoke(cli, ["check", str(REWRITE), "--db", str(corpus_db), "--json"])
    assert result.exit_code == 0, result.output
    checked = json.loads(result.output)
    assert corpus_db.read_bytes() == before, "check must not write to the database"

    full_db = tmp_path / "full.db"
    _audited(full_db, CORPUS + [REWRITE])
    kept, related, origins = pipeline.derivation_graph(store.open_db(full_db))
    rewrite_id = REWRITE.stem
    expected = [d for d in kept if rewrite_id in (d["derivative"], d["source"])]
    assert [(d["derivative"], d["source"], d["relation"], d["coverage"], d["passages"]) for d in checked["derivations"]] == [
        (d["derivative"], d["source"], d["relation"], d["coverage"], d["passages"]) for d in expected
    ]
    assert checked["derivations"][0]["source"] == SOURCE.stem
    assert checked["derivations"][0]["attributed"] is False
    assert checked["origins"][rewrite_id] == origins[rewrite_id] == [SOURCE.stem]
    assert sorted((r["documents"], r["reason"]) for r in checked["related"]) == sorted(
        (r["documents"], r["reason"]) for r in related if rewrite_id in r["documents"]
    )
    drifted = [c for c in checked["claims"] if c["status"] == "drifted"]
    assert any("Peking" in json.dumps(c, ensure_ascii=False) for c in drifted)
    names = {s["name"] for s in checked["credibility"][0]["signals"]}
    assert {"unattributed_reuse", "state_media_origin_undisclosed"} <= names


def test_check_of_an_unrelated_article_reports_nothing(tmp_path):
    corpus_db = tmp_path / "corpus.db"
    _audited(corpus_db, [SOURCE, REWRITE])
    result = CliRunner().invoke(cli, ["check", str(FIXTURES / "negative_other_topic.txt"), "--db", str(corpus_db)])
    assert result.exit_code == 0, result.output
    assert "no derivation or related document found" in result.output


def test_check_refuses_a_missing_database_or_file_in_one_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(REWRITE), "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no such database" in result.output and "Traceback" not in result.output
    corpus_db = tmp_path / "corpus.db"
    _audited(corpus_db, [SOURCE])
    result = runner.invoke(cli, ["check", str(tmp_path / "missing.txt"), "--db", str(corpus_db)])
    assert result.exit_code != 0 and "missing.txt" in result.output and "Traceback" not in result.output


def test_a_document_that_leaves_every_derivation_loses_its_claims(tmp_path):
    """Claims belong to the current graph: when an update makes a rewrite unrelated, its
    earlier claims (checked against a source it no longer has) are not left behind."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "source.txt").write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "rewrite.txt").write_text(REWRITE.read_text(encoding="utf-8"), encoding="utf-8")
    db_path = tmp_path / "c.db"
    _audited(db_path, [corpus])
    db = store.open_db(db_path)
    assert db.execute("select count(*) from claims where document = 'rewrite'").fetchone()[0] > 0
    (corpus / "rewrite.txt").write_text((FIXTURES / "negative_other_topic.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _audited(db_path, [corpus])
    db = store.open_db(db_path)
    assert db.execute("select count(*) from derivations").fetchone()[0] == 0
    assert db.execute("select count(*) from claims").fetchone()[0] == 0
    assert db.execute("select count(*) from claim_links").fetchone()[0] == 0


def test_check_reads_word_frequencies_without_importing_wordfreq(tmp_path):
    """Once the word tables are kept, a check reads every word's frequency off them: importing
    wordfreq (with ftfy and langcodes) took a quarter of the command's second."""
    import subprocess
    import sys

    corpus_db = tmp_path / "corpus.db"
    _audited(corpus_db, CORPUS)
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from provenance.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['check', {str(REWRITE)!r}, '--db', {str(corpus_db)!r}, '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'unattributed_reuse' in result.output\n"
        "print('wordfreq' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False", done.stderr
