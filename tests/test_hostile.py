"""Hostile content: scraped news may carry markup, scripts, path tricks and sheer size.

Markup in text or metadata must reach the Markdown reports and Datasette as the characters it
is; ids and titles cannot steer where a report is written; huge files and streams are read in
bounded memory or refused in one line; gzip bombs stop at the cap; HTML parsing resolves no
external entity; `provenance serve` listens on loopback only and writes nothing.
"""
from __future__ import annotations

import asyncio
import gzip
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from datasette.utils import tilde_encode

from provenance import ingest, store
from provenance.cli import cli, datasette_metadata

from .conftest import SEEDS, SOURCE_ID
from .generated import provenance

SCRIPT = '<script>alert("x")</script>'
MARKUP = f'{SCRIPT} <img src=x onerror=alert(1)> <svg onload=alert(2)> [click](javascript:alert(3)) ![i](http://x.invalid/p.png) **bold** `code` # heading | a | b |'
HOSTILE_IDS = ["../../escaped", "/tmp/absolute-escape", SCRIPT, "[x](javascript:alert(1))", "CON", "i" * 1024]
RAW_FORMS = ["<script", "<img", "<svg", "](javascript:", "](http://x.invalid", "**bold**", "`code`", "\n# heading"]


def _hostile_feed(path: Path) -> None:
    """Copies of the seed under hostile ids, each with markup in its text and every metadata field."""
    source = (SEEDS / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")
    records = [
        {
            "id": document_id,
            "title": f"{MARKUP} {n}" + ("T" * 10_000 if n == 0 else "") + ("\u0000nul\u202eevil" if n == 1 else ""),
            "url": "javascript:alert(document.cookie)" if n % 2 else f"https://example.invalid/{SCRIPT}",
            "author": f"{SCRIPT} [a](javascript:alert(4))",
            "source": f"<b>Outlet</b> [s](javascript:alert(5)) {n}",
            "date": f"2024-07-0{n % 9 + 1}",
            "text": f"{MARKUP}\n\n{source}\n\n{MARKUP} Ende {n}.",
        }
        for n, document_id in enumerate(HOSTILE_IDS)
    ]
    records.append({"id": "nul\u0000id", "text": "Ein Text."})
    records.append({"id": "x" * 10_000, "text": "Ein Text."})
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_audit(tmp_path_factory):
    """One audit of the seed and the hostile feed: (folder, db path, report dir, result)."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "inputs").mkdir()
    _hostile_feed(folder / "inputs" / "feed.jsonl")
    (folder / "inputs" / f"{SOURCE_ID}.txt").write_text((SEEDS / f"{SOURCE_ID}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    db_path, reports = folder / "p.db", folder / "reports"
    result = CliRunner().invoke(
        cli, ["audit", str(folder / "inputs"), "--db", str(db_path), "--report-dir", str(reports)], catch_exceptions=False
    )
    return folder, db_path, reports, result


def test_bad_ids_are_refused_in_one_line_each(hostile_audit):
    _, db_path, _, result = hostile_audit
    assert result.exit_code == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2 and all("feed.jsonl:" in line and "$.id" in line for line in skipped)
    assert "Traceback" not in result.output
    ids = {row[0] for row in store.open_db(db_path).execute("select id from documents")}
    assert ids == {SOURCE_ID, *HOSTILE_IDS}


def test_reports_stay_inside_the_report_dir(hostile_audit):
    folder, _, reports, _ = hostile_audit
    written = [p for p in folder.rglob("*") if p.is_file()]
    outside = [p for p in written if reports not in p.parents and p.parent != folder and p.parent.name != "inputs"]
    assert outside == []
    pages = sorted((reports / "documents").glob("*.md"))
    assert len(pages) == len(HOSTILE_IDS) + 1  # every copy and the source: one page each, none shared
    assert all(len(p.name.encode("utf-8")) <= 100 and re.fullmatch(r"[A-Za-z0-9._-]+\.md", p.name) for p in pages)
    assert not list(Path("/tmp").glob("absolute-escape*")) and not (folder.parent / "escaped.md").exists()


def test_markup_in_text_and_metadata_is_inert_in_reports(hostile_audit):
    _, _, reports, _ = hostile_audit
    pages = sorted(reports.rglob("*.md"))
    body = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    for raw in RAW_FORMS:
        assert raw not in body, raw
    assert not re.search(r"\]\(\s*javascript", body, re.IGNORECASE)
    assert "&lt;script&gt;" in body and "javascript:alert" in body  # shown as text, not dropped
    assert "\x00" not in body and "\u202e" not in body and "⟨U+0000⟩nul⟨U+202E⟩evil" in body
    assert set(re.findall(r"<(\w+)", body)) <= {"br"}  # the only HTML is our own line break


def test_markup_in_text_and_metadata_is_inert_in_datasette(hostile_audit):
    _, db_path, _, _ = hostile_audit
    ds = Datasette([str(db_path)], metadata=datasette_metadata(str(db_path)))
    paths = ["/p/documents", "/p/segments", "/p/claims"] + [f"/p/documents/{tilde_encode(i)}" for i in HOSTILE_IDS]
    for path in paths:
        response = asyncio.run(ds.client.get(path))
        assert response.status_code == 200, path
        page = response.text
        assert SCRIPT not in page and "<img src=x" not in page and "<svg onload" not in page, path
        assert not re.search(r"""href=["']?\s*javascript:""", page, re.IGNORECASE), path
    assert "&lt;script&gt;" in asyncio.run(ds.client.get(f"/p/documents/{tilde_encode(HOSTILE_IDS[0])}")).text


# --- size ----------------------------------------------------------------------------------------

MEASURED = (
    "import resource, sys\n"
    "from provenance.cli import cli\n"
    "try:\n"
    "    cli(sys.argv[1:])\n"
    "finally:\n"
    "    print('peak-rss-kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def peak_rss(*args) -> tuple[int, str, int]:
    """Run `provenance ARGS` in a fresh interpreter: (exit code, stderr, peak resident memory in MiB)."""
    process = subprocess.run([sys.executable, "-c", MEASURED, *map(str, args)], capture_output=True, text=True, timeout=300)
    peak = int(re.search(r"peak-rss-kib (\d+)", process.stderr).group(1))
    return process.returncode, process.stderr, peak // 1024


@pytest.fixture(scope="module")
def baseline_rss(tmp_path_factory) -> dict:
    """Peak memory of the same command on tiny input: refused (an empty file) and analysed."""
    folder = tmp_path_factory.mktemp("baseline")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "small.txt").write_text("Ein kurzer Text.\n", encoding="utf-8")
    peaks = {}
    for kind, name, expected in (("refused", "empty.txt", 1), ("analysed", "small.txt", 0)):
        code, err, peaks[kind] = peak_rss("ingest", folder / name, "--db", folder / f"{kind}.db")
        assert code == expected, err
    return peaks


def test_a_50_mb_single_line_file_is_refused_in_one_line_without_being_read(tmp_path, baseline_rss):
    big = tmp_path / "one-line.txt"
    with open(big, "wb") as out:
        chunk = (b"Wort " * 210_000)[: 2**20]
        for _ in range(50):
            out.write(chunk)
    code, err, peak = peak_rss("ingest", big, "--db", tmp_path / "p.db")
    assert code == 1
    messages = [line for line in err.splitlines() if not line.startswith("peak-rss")]
    assert messages[0] == f"skipped {big}: file too large (50.0 MiB; limit 10 MiB per document)"
    assert peak < baseline_rss["refused"] + 20, (peak, baseline_rss)


def test_a_large_jsonl_stream_is_read_in_bounded_memory(tmp_path, baseline_rss):
    """200 MiB of JSONL (gzip, so the test writes little): an over-long line is skipped with a
    message, the other records are stored, and memory stays near a one-line ingest's."""
    feed = tmp_path / "stream.jsonl.gz"
    padding = " " * (2 * 2**20 - 100)
    with gzip.open(feed, "wb", compresslevel=1) as out:
        out.write(b'{"id": "huge", "text": "' + b"x" * (ingest.MAX_DOCUMENT_BYTES + 10) + b'"}\n')
        for n in range(95):
            out.write(json.dumps({"id": f"doc-{n}", "text": f"Kurzer Text Nummer {n}."}).encode() + padding.encode() + b"\n")
    code, err, peak = peak_rss("ingest", feed, "--db", tmp_path / "p.db", "--json")
    assert code == 1
    assert f"skipped {feed}:1: line longer than 10 MiB, skipped" in err
    db = store.open_db(tmp_path / "p.db")
    assert db.execute("select count(*) from documents").fetchone()[0] == 95
    assert peak < baseline_rss["analysed"] + 60, (peak, baseline_rss)


def test_gzip_bombs_stop_at_the_decompression_cap(tmp_path, monkeypatch):
    """A cap of 8 GiB is too big to reach in a test: lowered, it must stop a many-line bomb and a
    single endless line alike, without decompressing the rest."""
    monkeypatch.setattr(ingest, "MAX_DECOMPRESSED_BYTES", 30 * 2**20)
    lines = tmp_path / "lines.jsonl.gz"
    with gzip.open(lines, "wb") as out:
        for _ in range(100):
            out.write((b'{"text": "' + b" " * 2**20 + b'a"}\n'))
    one_line = tmp_path / "one-line.jsonl.gz"
    with gzip.open(one_line, "wb") as out:
        for _ in range(200):
            out.write(b"\0" * 2**20)
    for bomb in (lines, one_line):
        problems = [item for item in ingest.read_paths([bomb]) if isinstance(item, ingest.Problem)]
        assert problems and "when decompressed; stopped reading" in str(problems[-1]), problems
        assert str(problems[-1]).startswith(str(bomb))


def test_html_parsing_resolves_no_external_entity(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-7d3f", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY % p SYSTEM "file://{secret}"> %p;]>\n'
        f'<html xmlns:xi="http://www.w3.org/2001/XInclude"><head><title>Titel &xxe;</title></head><body><article>'
        f'<h1>Überschrift &xxe;</h1><p>Ein Absatz mit genug Text, damit er als Artikel gilt: &xxe; Die Regierung hat am Dienstag '
        f'neue Zahlen vorgelegt, die zeigen, dass der Handel gewachsen ist.</p><xi:include href="file://{secret}" parse="text"/>'
        f'<p>Ein zweiter Absatz mit weiteren Sätzen über die Zahlen und ihre Bedeutung für die Region.</p></article></body></html>',
        encoding="utf-8",
    )
    db_path = tmp_path / "p.db"
    CliRunner().invoke(cli, ["ingest", str(page), "--db", str(db_path)], catch_exceptions=False)
    rows = store.open_db(db_path).execute("select * from documents").fetchall()
    assert "GEHEIM" not in json.dumps(rows, default=str)


# --- serve ---------------------------------------------------------------------------------------


def test_serve_binds_loopback_by_default():
    host = next(p for p in cli.commands["serve"].params if p.name == "host")
    assert host.default == "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _non_loopback_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def _dump(db_path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_serve_listens_on_loopback_only_and_writes_nothing(tmp_path):
    db_path = tmp_path / "p.db"
    CliRunner().invoke(cli, ["ingest", str(SEEDS), "--db", str(db_path)], catch_exceptions=False)
    before = _dump(db_path)
    port = _free_port()
    server = provenance("serve", "--db", db_path, "--port", port, cwd=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.communicate()[1]
                time.sleep(0.1)
        documents = json.load(urllib.request.urlopen(f"{base}/p.json?sql=select+count(*)+as+n+from+documents&_shape=array"))
        assert documents == [{"n": 2}]
        for sql in ("update documents set title = 'x'", "delete from segments", "insert into runs (command) values ('x')",
                    "select 1; delete from documents", "pragma journal_mode=delete"):
            query = urllib.parse.urlencode({"sql": sql})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{base}/p.json?{query}", timeout=10)
            assert refused.value.code in (400, 403), sql
        for path in ("/p/documents/-/insert", "/p/-/create", "/p/documents/-/drop"):
            request = urllib.request.Request(f"{base}{path}", data=b'{"row": {"id": "x"}}', method="POST",
                                             headers={"Content-Type": "application/json"})
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=10)
        other = _non_loopback_address()
        if other:
            with pytest.raises(OSError):
                socket.create_connection((other, port), timeout=2).close()
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert _dump(db_path) == before
    assert store.open_db(db_path).execute("select count(*) from documents").fetchone()[0] == 2
