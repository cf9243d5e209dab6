"""Concurrency: a team shares one database, so several ingests and audits run on it at once.

Five `provenance` processes start together on one fresh database, with different and
overlapping inputs and one shared report folder: none may fail with "database is locked",
nothing may be lost, and the end state must be the one the same commands reach one after
another.
"""
from __future__ import annotations

import shutil

from click.testing import CliRunner

from provenance.cli import cli

from .generated import final_result, provenance, write_corpus
from .test_crash import check_store_intact


def _split(tmp_path):
    files = write_corpus(tmp_path / "all", families=2)
    parts = {"a": files[:8], "b": files[5:15], "c": files[13:]}
    folders = {}
    for name, members in parts.items():
        folder = tmp_path / name
        folder.mkdir()
        for path in members:
            shutil.copy(path, folder / path.name)
        folders[name] = folder
    return files, folders


def _commands(folders, db_path, reports) -> list[list]:
    a, b, c = folders["a"], folders["b"], folders["c"]
    return [
        ["ingest", a, "--db", db_path],
        ["ingest", b, "--db", db_path, "--json"],
        ["audit", b, c, "--db", db_path, "--report-dir", reports],
        ["audit", a, c, "--db", db_path, "--report-dir", reports],
        ["audit", a, "--db", db_path, "--report-dir", reports, "--json"],
    ]


def test_processes_at_once_lose_nothing_and_match_a_sequential_run(tmp_path):
    files, folders = _split(tmp_path)

    sequential_db = tmp_path / "sequential.db"
    for args in _commands(folders, sequential_db, tmp_path / "sequential-reports"):
        result = CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    shared_db = tmp_path / "shared.db"
    processes = [provenance(*args) for args in _commands(folders, shared_db, tmp_path / "reports")]
    outcomes = [(p, *p.communicate(timeout=300)) for p in processes]
    for process, out, err in outcomes:
        assert process.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err, err

    assert check_store_intact(shared_db) == len(files)
    assert final_result(shared_db) == final_result(sequential_db)
    assert (tmp_path / "reports" / "index.md").is_file()
    assert not [p for p in (tmp_path / "reports").rglob("*") if p.name.endswith(".tmp")]
