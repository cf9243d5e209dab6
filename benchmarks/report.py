"""Report benchmark: `provenance audit`, then `provenance report --json`, on a slice of the insm corpus.

    .venv/bin/python benchmarks/report.py [PATH] [--documents 1000]
        (default ../shared/eval/insm/documents.jsonl.gz; PATH may be a .jsonl slice)

Takes the first N lines into a fresh database and times, each in its own child process: the
audit (ingest, compare, claims, report object, Markdown), then `report --json` on the same
database. A third child splits the report into its stages (report object, schema validation,
JSON text, Markdown) and says whether the report validates against schemas/report.schema.json.
"""
from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import DEFAULT, ROOT, measure  # noqa: E402

STAGES = r"""
import json, sys, time
from pathlib import Path
from provenance import pipeline, report, store
db = store.open_db(sys.argv[1])
clock = time.perf_counter()
def lap():
    global clock
    now = time.perf_counter(); spent = now - clock; clock = now
    return spent
obj = pipeline.report_object(db); built = lap()
errors = report.validate_report(obj); validated = lap()
text = json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2); dumped = lap()
texts = dict(db.execute("select id, text from documents").fetchall())
written = report.write_reports(obj, texts, Path(sys.argv[2])); markdown = lap()
print(f"report object {built:.1f} s, schema validation {validated:.1f} s ({len(errors)} errors), "
      f"JSON text {dumped:.1f} s ({len(text) / 1e6:.1f} MB), Markdown {markdown:.1f} s ({len(written)} files)")
for line in errors[:10]:
    print("  ", line)
print(f"{len(obj['documents'])} documents, {len(obj['derivations'])} derivations, {len(obj['related'])} related, "
      f"{len(obj['claims'])} claims")
"""


def first_lines(path: Path, count: int, out: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    taken = 0
    with opener(path, "rt", encoding="utf-8") as lines, open(out, "w", encoding="utf-8") as slice_:
        for line in lines:
            if taken == count:
                break
            slice_.write(line)
            taken += 1
    return taken


def show(label: str, result: dict) -> None:
    print(f"{label:14} {result['wall']:7.1f} s wall {result['cpu']:7.1f} s CPU  peak RSS {result['peak_rss_mb']:6.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    if not Path(args.path).exists():
        sys.exit(f"{args.path}: not found (the eval corpora live in ../shared/eval/)")
    provenance = [sys.executable, "-c", "from provenance.cli import cli; cli()"]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        corpus = folder / "slice.jsonl"
        print(f"{first_lines(Path(args.path), args.documents, corpus)} documents from {args.path}")
        db = str(folder / "provenance.db")
        show("audit", measure([*provenance, "audit", str(corpus), "--db", db, "--report-dir", str(folder / "audit")]))
        show("report --json", measure([*provenance, "report", "--json", "--db", db, "--report-dir", str(folder / "report")]))
        stages = measure([sys.executable, "-c", STAGES, db, str(folder / "stages")])
        show("report stages", stages)
        print(stages["stdout"].rstrip())


if __name__ == "__main__":
    main()
