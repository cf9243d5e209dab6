import json
import sys

import click
import pytest
from click.testing import CliRunner

from provenance.cli import cli

from .conftest import DERIVATIVE_ID, SOURCE_ID

DOCUMENT_KEYS = {
    "id", "title", "source", "outlet", "url", "date", "language", "dateline", "wire_credit", "author", "segments",
}


def all_commands(group: click.Group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path,command", list(all_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help(path, command):
    assert command.help and command.help.strip(), f"{' '.join(path)} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_version_and_short_help():
    runner = CliRunner()
    assert runner.invoke(cli, ["--version"]).exit_code == 0
    assert runner.invoke(cli, ["-h"]).exit_code == 0


def test_ingest_seeds_then_list_them(run, seeds):
    result = run("ingest", seeds)
    assert result.exit_code == 0, result.output
    assert "2 new" in result.stdout
    listed = json.loads(run("documents", "--json").stdout)
    assert [d["id"] for d in listed] == [SOURCE_ID, DERIVATIVE_ID]
    for doc in listed:
        assert set(doc) >= DOCUMENT_KEYS
    source = listed[0]
    assert source["title"].startswith("CGTN: China und Kasachstan pflegen")
    assert source["dateline"] == "Peking"
    assert source["wire_credit"] == "ots/PRNewswire"
    assert source["date"] == "2024-07-03"
    assert source["language"] == "de"
    assert source["url"].startswith("https://news.cgtn.com/news/2024-07-03/")
    assert listed[1]["wire_credit"] is None and listed[1]["url"] is None


def test_reingest_is_a_noop_and_json_goes_to_stdout_only(run, seeds):
    run("ingest", seeds)
    result = run("ingest", seeds, "--json")
    assert result.exit_code == 0
    counts = json.loads(result.stdout)
    assert (counts["new"], counts["unchanged"], counts["updated"], counts["skipped"]) == (0, 2, 0, 0)


def test_show_gives_segments_with_offsets(run, seeds, derivative_text):
    run("ingest", seeds)
    shown = json.loads(run("show", DERIVATIVE_ID, "--json").stdout)
    assert shown["text"] == derivative_text
    for seg in shown["segment_list"]:
        assert derivative_text[seg["start"]:seg["end"]] == seg["text"]
    debris = {seg["text"]: seg["reason"] for seg in shown["segment_list"] if seg["kind"] == "debris"}
    assert debris == {"Deutschland": "section-label", "NAG": "byline", 'Schaltfläche "Zurück zum Anfang"': "ui-text"}
    plain = run("show", DERIVATIVE_ID)
    assert "NAG" in plain.stdout and "[byline]" in plain.stdout


def test_show_unknown_id_is_one_clear_line(run, seeds):
    run("ingest", seeds)
    result = run("show", "nope")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no document with id 'nope'" in result.stderr


def test_db_from_environment(tmp_path, seeds, monkeypatch):
    path = tmp_path / "env.db"
    monkeypatch.setenv("PROVENANCE_DB", str(path))
    result = CliRunner().invoke(cli, ["ingest", str(seeds)])
    assert result.exit_code == 0
    assert path.exists()


def test_audit_summary_and_json(run, seeds):
    result = run("audit", seeds)
    assert result.exit_code == 0
    assert SOURCE_ID in result.stdout
    report = json.loads(run("audit", seeds, "--json").stdout)
    assert {d["id"] for d in report["documents"]} == {SOURCE_ID, DERIVATIVE_ID}
    assert report["run"]["unchanged"] == 2


def test_missing_path_is_reported_and_the_rest_ingested(run, seeds, tmp_path):
    missing = tmp_path / "missing.txt"
    result = run("ingest", missing, seeds)
    assert result.exit_code == 1
    assert f"{missing}: no such file or directory" in result.stderr
    assert "Traceback" not in result.output
    assert len(json.loads(run("documents", "--json").stdout)) == 2


def test_unusable_database_is_one_line(tmp_path, seeds):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(cli, ["ingest", str(seeds), "--db", str(bad)])
    assert result.exit_code == 1
    assert "cannot open database" in result.stderr
    assert "Traceback" not in result.output


def test_help_answers_without_the_analysis_stack():
    """`provenance --help` and `--version` load no numpy, wordfreq or stemmer: they are what a
    user types first, and importing the pipeline took over a second before answering."""
    import subprocess

    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from provenance.cli import cli\n"
        "for args in (['--help'], ['--version'], ['check', '--help']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
        "heavy = sorted(m for m in ('numpy', 'wordfreq', 'Stemmer', 'sqlite_utils') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
