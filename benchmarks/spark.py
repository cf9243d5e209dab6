"""Spark benchmark: `provenance spark run` in local mode against the single-machine pipeline.

    .venv/bin/python benchmarks/spark.py [--limit N] [--partitions P] [--master local[2]]
    .venv/bin/python benchmarks/spark.py --synthetic 1000     (the generated corpus of tests/test_spark.py)

Reads the first N documents (default 1000; 0 = all 13,523) of ../shared/eval/insm/ or
generates the synthetic corpus. Both runs start from nothing in child processes in this same
run: the single-machine pipeline (ingest, candidates, verdicts, claims into a fresh database,
no report files) and the Spark run plus `import-parquet`. Prints wall and CPU time of each,
whether derivations, related pairs, origins and claims are identical, the per-document and
per-pair costs measured, and a paper estimate of the cluster that 10 million articles need.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the repository; a git worktree one level deeper finds it one level up
DEFAULT = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if (p / "eval" / "insm").is_dir()),
    ROOT.parent / "shared",
) / "eval" / "insm" / "documents.jsonl.gz"
TARGET = 10_000_000

SINGLE = r"""
import json, sys, time
from provenance import pipeline, store
db = store.open_db(sys.argv[2])
clock = {}
t = time.process_time(); result = pipeline.ingest(db, [sys.argv[1]]); clock["ingest"] = time.process_time() - t
t = time.process_time(); analysis = pipeline.analyse_corpus(db, result.new + result.updated); clock["verdicts"] = time.process_time() - t
t = time.process_time(); claims = pipeline.analyse_claims(db); clock["claims"] = time.process_time() - t
print(json.dumps({"documents": len(result.new), "pairs": analysis["pairs"], "claims_documents": claims, "cpu": clock}))
"""


def _tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds so far of `root` and every process below it (from /proc; Linux only)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    below = {root}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in below and pid not in below:
                below.add(pid)
                changed = True
    return {pid: cpu[pid] for pid in below if pid in cpu}


def measure(command: list[str], env: dict | None = None, ok: tuple[int, ...] = (0, 1)) -> dict:
    """Run one child to completion: wall time, CPU of its whole process tree (the JVM and Spark's
    Python workers included; sampled every 0.2 s, so the last fraction of a second is missed)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        seen: dict[int, float] = {}
        while child.poll() is None:
            seen.update(_tree_cpu(child.pid))
            time.sleep(0.2)
        wall = time.perf_counter() - start
        out.seek(0), err.seek(0)
        if child.returncode not in ok:
            sys.exit(f"benchmark command failed ({child.returncode}): {err.read()[-3000:]}")
        return {"wall": wall, "cpu": sum(seen.values()), "stdout": out.read().strip(), "stderr": err.read()}


def posting_load(db_path: Path) -> dict:
    """How many (document, document) records the candidate shuffle emits, from the anchors."""
    from provenance import candidates, store

    db = store.open_db(db_path)
    dfs = [row[0] for row in db.execute("select count(*) from anchors group by term")]
    indexed = db.execute("select count(distinct document_id) from anchors").fetchone()[0]
    cap = candidates.df_cap(indexed)
    return {
        "documents": indexed,
        "anchors_per_document": sum(dfs) / max(indexed, 1),
        "pair_records": sum(d * (d - 1) for d in dfs if 2 <= d <= cap),
    }


def write_input(args, folder: Path) -> Path:
    path = folder / "corpus.jsonl"
    if args.synthetic:
        sys.path.insert(0, str(ROOT))
        from tests.test_spark import synthetic_corpus

        records = synthetic_corpus(args.synthetic)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        return path
    if not DEFAULT.exists():
        sys.exit(f"{DEFAULT}: corpus not found (the eval corpora live in ../shared/eval/)")
    with gzip.open(DEFAULT, "rt", encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as out:
        for n, line in enumerate(lines):
            if args.limit and n >= args.limit:
                break
            out.write(line)
    return path


def outcome(db_path: Path) -> dict:
    from provenance import pipeline, store

    db = store.open_db(db_path)
    kept, related, origins = pipeline.derivation_graph(db)
    return {"derivations": kept, "related": related, "origins": origins, "claims": store.load_claims(db)}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.parquet"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="first N insm documents (0: all)")
    parser.add_argument("--synthetic", type=int, default=0, help="use N generated documents instead of insm")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--hours", type=float, default=24.0, help="wall time the 10-million estimate aims at")
    args = parser.parse_args()
    python = sys.executable
    provenance = str(Path(python).with_name("provenance"))
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = write_input(args, tmp)
        name = f"synthetic ({args.synthetic} documents)" if args.synthetic else f"insm, first {args.limit or 'all'} documents"
        print(f"corpus: {name}; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

        single = measure([python, "-c", SINGLE, str(corpus), str(tmp / "single.db")], env, ok=(0,))
        facts = json.loads(single["stdout"].splitlines()[-1])
        facts["postings"] = posting_load(tmp / "single.db")
        spark = measure(
            [provenance, "spark", "run", str(corpus), str(tmp / "out"), "--master", args.master,
             "--partitions", str(args.partitions), "--json"],
            env,
        )
        imported = measure([provenance, "import-parquet", str(tmp / "out"), "--db", str(tmp / "spark.db"), "--json"], env)
        counts = json.loads(spark["stdout"])
        same = outcome(tmp / "single.db") == outcome(tmp / "spark.db")
        parquet = folder_bytes(tmp / "out")

    from provenance import candidates

    documents = facts["documents"]
    cpu = facts["cpu"]
    print(f"single machine: {single['wall']:8.1f} s wall, {single['cpu']:8.1f} s CPU  "
          f"(ingest {cpu['ingest']:.1f}, verdicts {cpu['verdicts']:.1f}, claims {cpu['claims']:.1f} s CPU)")
    print(f"spark {args.master:>8}: {spark['wall']:8.1f} s wall, {spark['cpu']:8.1f} s CPU  (+ import-parquet {imported['wall']:.1f} s wall)")
    print(f"documents {documents}, pairs judged {facts['pairs']} (spark {counts['pairs']}), "
          f"derivations {counts['derivation']}, related {counts['related']}, documents with claims {facts['claims_documents']}")
    steps = [line for line in spark["stderr"].splitlines() if line[:8].strip().endswith("s") and "  " in line]
    print("spark steps (elapsed):", "; ".join(" ".join(line.split()) for line in steps))
    print(f"identical derivations, related pairs, origins and claims: {'yes' if same else 'NO'}")
    print(f"Parquet output: {parquet / 2**20:.1f} MiB ({parquet / max(documents, 1) / 1024:.1f} KiB per document)")

    per_document = cpu["ingest"] / max(documents, 1)
    pairs_per_document = facts["pairs"] / max(documents, 1)
    per_pair = cpu["verdicts"] / max(facts["pairs"], 1)
    claims_share = facts["claims_documents"] / max(documents, 1)
    per_claims = cpu["claims"] / max(facts["claims_documents"], 1)
    load = facts["postings"]
    print("\nmeasured per-unit CPU costs (single machine, this run):")
    print(f"  analysis {per_document * 1000:.1f} ms/document; {pairs_per_document:.2f} pairs/document at "
          f"{per_pair * 1000:.1f} ms/pair; claims for {claims_share:.0%} of documents at {per_claims * 1000:.1f} ms each")
    print(f"  Spark, all processes: {spark['cpu'] / max(documents, 1) * 1000:.0f} ms CPU/document "
          f"({spark['cpu'] / max(single['cpu'], 1e-9):.1f} x the single run's CPU, start-up included)")
    print(f"  candidate shuffle: {load['anchors_per_document']:.0f} anchor terms/document, "
          f"{load['pair_records'] / max(documents, 1):,.0f} posting-pair records/document")

    scale = TARGET / max(documents, 1)
    pipeline_low = TARGET * (per_document + pairs_per_document * per_pair + claims_share * per_claims)
    pipeline_high = TARGET * (per_document + candidates_limit() * per_pair + per_claims)
    spark_factor = max(spark["cpu"] / max(single["cpu"], 1e-9), 1.0)
    print(f"\npaper estimate for {TARGET:,} articles (measured costs x corpus size):")
    print(f"  pipeline work: {pipeline_low / 3600:,.0f} core-hours at this run's {pairs_per_document:.1f} pairs/document, "
          f"{pipeline_high / 3600:,.0f} at the ceiling of {candidates_limit()} pairs/document with claims for every document")
    for hours in (args.hours,):
        low = pipeline_low * spark_factor / (hours * 3600)
        high = pipeline_high * spark_factor / (hours * 3600)
        print(f"  with Spark's measured overhead (x{spark_factor:.1f}): {low:,.0f}-{high:,.0f} cores for a {hours:g}-hour run, "
              f"i.e. {math.ceil(low / 16)}-{math.ceil(high / 16)} executors of 16 cores and 32 GiB")
    print(f"  Parquet output about {parquet / max(documents, 1) * TARGET / 2**30:,.0f} GiB; the driver collects "
          f"about {(counts['derivation'] + counts['related']) * scale:,.0f} verdicts for the graph")
    print(f"  candidate shuffle with the cap of {candidates.DF_CAP_MAX} documents per term it reaches from "
          f"{math.ceil(candidates.DF_CAP_MAX / candidates.DF_CAP_SHARE):,} documents on: at most "
          f"{load['anchors_per_document'] * (candidates.DF_CAP_MAX - 1) * TARGET:,.2g} posting-pair records, linear in the corpus")


def candidates_limit() -> int:
    from provenance import candidates

    return candidates.MAX_CANDIDATES

if __name__ == "__main__":
    main()
