"""Ingest benchmark: `provenance ingest` of the insm corpus against a bare load of the same file.

    .venv/bin/python benchmarks/ingest.py [PATH]   (default ../shared/eval/insm/documents.jsonl.gz)
    .venv/bin/python benchmarks/ingest.py --per-document [PATH]

Both run in a fresh database in a child process, in this same run: the baseline parses the
JSONL and inserts the raw texts with sqlite-utils (the least any tool must do to store the
corpus); ours reads, segments, extracts metadata, fingerprints and stores. Prints wall time,
CPU time and peak RSS of each, and the ratio ours / baseline.

`--per-document` times the per-document work alone, in a child process, in CPU time (the machine
may be shared): `_prepare_document` (what ingest hands a worker) and `profile` (what judging
pairs rebuilds per document), in ms per document over `--passes` passes. It only calls
functions that older commits have too, so `PYTHONPATH=<old checkout>/src` times the old code.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "insm" / "documents.jsonl.gz"

BASELINE = r"""
import gzip, json, sys, sqlite_utils
db = sqlite_utils.Database(sys.argv[2])
opener = gzip.open if sys.argv[1].endswith(".gz") else open
with opener(sys.argv[1], "rt", encoding="utf-8") as lines:
    db["documents"].insert_all((json.loads(line) for line in lines), pk="id", batch_size=500, alter=True)
print(db["documents"].count, "documents")
"""


def measure(command: list[str]) -> dict:
    """Run one child to completion; wall, CPU and peak RSS of that child alone (wait4)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if code not in (0, 1):
            sys.exit(f"benchmark command failed ({code}): {err.read()[-2000:]}")
        return {
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024,
            "stdout": out.read().strip(),
        }


PER_DOCUMENT = r"""
import json, sys, time
from provenance import fingerprint, pipeline
from provenance.ingest import Problem, read_paths

records = [item for item in read_paths([sys.argv[1]]) if not isinstance(item, Problem)]
jobs = [(raw, fingerprint.content_hash(raw.text)) for raw in records]
pipeline.warm_up()
results = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    docs = [pipeline._prepare_document(job)[0] for job in jobs]
    prepared = time.process_time() - start
    start = time.process_time()
    for doc in docs:
        pipeline.profile(doc)
    results.append({"prepare": prepared, "profile": time.process_time() - start})
print(json.dumps({"documents": len(docs), "passes": results}))
"""


def per_document(path: str, passes: int) -> None:
    """CPU ms per document of `_prepare_document` and `profile`: the first pass (word caches
    cold, as for the first documents of a corpus) and the best of all passes (warm, as for
    the rest of a large one)."""
    done = subprocess.run([sys.executable, "-c", PER_DOCUMENT, path, str(passes)], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"benchmark command failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout)
    documents, runs = result["documents"], result["passes"]
    print(f"corpus            {path} ({documents} documents, {passes} passes in one process, CPU time)")
    for part in ("prepare", "profile"):
        first, best = runs[0][part], min(run[part] for run in runs)
        print(f"{part:<17} {1000 * first / documents:6.2f} ms/document first pass, {1000 * best / documents:6.2f} best")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--per-document", action="store_true", help="time _prepare_document and profile per document")
    parser.add_argument("--passes", type=int, default=2, help="with --per-document: passes over the corpus")
    args = parser.parse_args()
    if not Path(args.path).exists():
        sys.exit(f"{args.path}: corpus not found (the eval corpora live in ../shared/eval/)")
    if args.per_document:
        per_document(args.path, args.passes)
        return
    python = sys.executable
    provenance = str(Path(python).with_name("provenance"))
    with tempfile.TemporaryDirectory() as tmp:
        base = measure([python, "-c", BASELINE, args.path, os.path.join(tmp, "baseline.db")])
        ours_db = os.path.join(tmp, "ours.db")
        ours = measure([provenance, "ingest", args.path, "--db", ours_db, "--json"])
        import sqlite3

        conn = sqlite3.connect(ours_db)
        documents, segments, boilerplate = conn.execute(
            "select (select count(*) from documents), count(*), sum(boilerplate) from segments"
        ).fetchone()
        size_mb = os.path.getsize(ours_db) / 2**20
    print(f"corpus           {args.path}")
    print(f"baseline load    {base['wall']:7.1f} s wall {base['cpu']:7.1f} s CPU  peak RSS {base['peak_rss_mb']:6.0f} MB  ({base['stdout']})")
    print(f"provenance       {ours['wall']:7.1f} s wall {ours['cpu']:7.1f} s CPU  peak RSS {ours['peak_rss_mb']:6.0f} MB")
    print(f"documents        {documents}   segments {segments} ({boilerplate} boilerplate)   database {size_mb:.0f} MB")
    print(f"ratio            {ours['wall'] / base['wall']:.1f}x the baseline's wall time, {documents / ours['wall']:.0f} documents/s")


if __name__ == "__main__":
    main()
