"""Scale benchmark: audits of 10k, 30k and 100k documents, the growth exponent, and `provenance check`.

    .venv/bin/python benchmarks/scale.py [--sizes 10000,30000,100000] [--workdir DIR] [--eval-dir ../shared/eval]

Only ~14.5k real documents exist (insm + gnad10k), so the corpora are built from copies of them,
each copy passed through its own word cipher (`cipher`): every word is replaced by another word
of the same corpus frequency band, chosen by a seeded permutation per copy, keeping punctuation,
digits and the capitalisation shape. Lengths, word statistics, outlets and the reuse structure
inside each copy stay real; no text is shared across copies. A corpus of N documents is the
first N of copy 0, copy 1, … in that order. Ids are prefixed with the copy (`c01_…`) and the
copy number goes into the URL path, so no two copies share an id or a URL.

Each size is audited into a fresh database in its own child process, with the same calls as
`provenance audit` (see benchmarks/speed.py, `run_ours`); the script prints wall time, CPU time
and peak RSS per size and per stage, the database size against the text's UTF-8 bytes, and the
growth exponent of each (least squares of log time on log size). Then, if the installed
provenance has a `check` command, it checks new articles (paraphrased from stored ones) against
the largest database: the median time of the work in-process (the command run through click in
a warm interpreter) and the median time of the whole command (a fresh `provenance check` process,
start-up included). Corpora and databases go to --workdir (default: a temporary folder that is
removed at the end), never into the repository. Everything but the timings is deterministic.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import speed  # noqa: E402  (the same audit and the same planted paraphrases as the speed benchmark)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
if not DEFAULT_EVAL.exists():
    DEFAULT_EVAL = Path("/work/shared/eval")
CIPHER_SEED = 100
CHECK_ARTICLES = 20
# Words of similar frequency trade places: a band holds the words whose corpus count has the same
# integer log2 (1, 2-3, 4-7, …), so a copy keeps the shape of the frequency curve, and common
# words stay common.
_TOKEN = re.compile(r"[^\W\d_]+")


def read_sources(eval_dir: Path) -> list[dict]:
    """insm then gnad10k, in file order."""
    documents = []
    for name in ("insm", "gnad10k"):
        documents.extend(speed.read_corpus(speed.corpus_file(eval_dir / name), None))
    return documents


def vocabulary(documents: list[dict]) -> tuple[list[list[str]], list[str]]:
    """The words (lower case, letters only) grouped by log2 of their corpus count, and every
    spelling met (the forms the cipher must rewrite), each sorted."""
    counts: Counter[str] = Counter()
    for d in documents:
        for field in ("title", "text"):
            counts.update(_TOKEN.findall(d.get(field) or ""))
    lower: Counter[str] = Counter()
    for form, count in counts.items():
        lower[form.lower()] += count
    grouped: dict[int, list[str]] = {}
    for word, count in lower.items():
        grouped.setdefault(int(math.log2(count)), []).append(word)
    return [sorted(words) for _, words in sorted(grouped.items())], sorted(counts)


def cipher(bands: list[list[str]], forms: list[str], seed: int) -> dict[str, str]:
    """Spelling → enciphered spelling: a seeded permutation of the words inside each frequency
    band, with the capitalisation shape of the spelling (Wort, WORT, wort) kept."""
    import random

    rng = random.Random(seed)
    mapping = {}
    for words in bands:
        shuffled = words[:]
        rng.shuffle(shuffled)
        mapping.update(zip(words, shuffled))
    return {form: _shape(form, mapping.get(form.lower(), form)) for form in forms}


def _shape(original: str, new: str) -> str:
    if original.isupper() and len(original) > 1:
        return new.upper()
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def encipher(text: str | None, table: dict[str, str]) -> str | None:
    if text is None:
        return None
    return _TOKEN.sub(lambda m: table.get(m.group(), m.group()), text)


def copy_url(url: str | None, copy: int) -> str | None:
    if not url:
        return url
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme}{sep}{host}/copy{copy}/{path}" if sep else f"copy{copy}/{url}"


def build_corpus(documents: list[dict], words: tuple[list[list[str]], list[str]], size: int, path: Path) -> int:
    """The first `size` documents of the enciphered copies, as JSONL; returns the text's UTF-8 bytes."""
    written, text_bytes, copy = 0, 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size:
            mapping = cipher(*words, CIPHER_SEED + copy)
            for d in documents:
                if written >= size:
                    break
                record = {
                    **d,
                    "id": f"c{copy:02d}_{d['id']}",
                    "text": encipher(d["text"], mapping),
                    "title": encipher(d.get("title"), mapping),
                    "url": copy_url(d.get("url"), copy),
                }
                text_bytes += len(record["text"].encode("utf-8"))
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
            copy += 1
    return text_bytes


def exponent(sizes: list[int], values: list[float]) -> float | None:
    """Slope of log(value) on log(size), least squares; None with fewer than two usable points."""
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values) if v > 0]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    spread = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / spread if spread else None


def provenance_command() -> list[str]:
    script = Path(sys.executable).with_name("provenance")
    return [str(script)] if script.exists() else [sys.executable, "-m", "provenance.cli"]


def has_check() -> bool:
    result = subprocess.run([*provenance_command(), "check", "--help"], capture_output=True, text=True)
    return result.returncode == 0


IN_PROCESS = r"""
import json, sys, time
from click.testing import CliRunner
from provenance.cli import cli
files, db = json.loads(sys.argv[1]), sys.argv[2]
runner, times, codes, outputs = CliRunner(), [], [], []
for path in files:
    start = time.perf_counter()
    result = runner.invoke(cli, ["check", path, "--db", db, "--json"])
    times.append(time.perf_counter() - start)
    codes.append(result.exit_code)
    outputs.append(result.stdout)
    if result.exception and not isinstance(result.exception, SystemExit):
        print(f"check {path}: {result.exception!r}", file=sys.stderr)
print(json.dumps({"times": times, "codes": codes, "outputs": outputs}))
"""


def measure_check(database: Path, corpus: Path, workdir: Path, count: int = CHECK_ARTICLES) -> dict:
    """Median seconds of `provenance check` on new articles paraphrased from stored ones.

    Two sets of `count` articles: one for the in-process runs, one for the whole commands, so a
    check that stores its article never meets that article again.
    """
    stored = speed.read_corpus(corpus, 5000)
    planted = speed.plant(stored, 2 * count, seed=speed.PLANTED_SEED + 1)
    folder = workdir / "check"
    folder.mkdir(exist_ok=True)
    files = []
    for p in planted:
        path = folder / f"{p['id'].replace('_of_', '_')}.jsonl"
        path.write_text(json.dumps({k: v for k, v in p.items() if k != "planted_from"}, ensure_ascii=False) + "\n", encoding="utf-8")
        files.append(str(path))
    inside, whole = files[:count], files[count:]
    compiled = byte_compile_provenance()
    result = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, json.dumps(inside), str(database)], capture_output=True, text=True
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip()[-500:]}
    in_process = json.loads(result.stdout.strip().splitlines()[-1])
    commands, codes, outputs = [], [], []
    for path in whole:
        start = time.perf_counter()
        done = subprocess.run([*provenance_command(), "check", path, "--db", str(database), "--json"], capture_output=True, text=True)
        commands.append(time.perf_counter() - start)
        codes.append(done.returncode)
        outputs.append(done.stdout)
    return {
        "in_process": in_process["times"],
        "in_process_codes": in_process["codes"],
        "commands": commands,
        "command_codes": codes,
        "reported_in_process": [ms for ms in map(reported_ms, in_process["outputs"]) if ms is not None],
        "reported_commands": [ms for ms in map(reported_ms, outputs) if ms is not None],
        "articles": len(files),
        "byte_compiled": compiled,
    }


def byte_compile_provenance() -> bool:
    """Compile the installed package's modules to bytecode, as `scripts/demo` and pip's regular
    install do, so each command measured starts as an installed one does: where bytecode is
    not written (PYTHONDONTWRITEBYTECODE) and the sources changed since, an editable install
    compiles every module again at each start (0.2 s a command)."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("provenance")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return bool(folders) and all(compileall.compile_dir(folder, quiet=1) for folder in folders)


def reported_ms(output: str) -> float | None:
    """The command's own timing of its work (`elapsed_ms` in the JSON), where it gives one."""
    try:
        value = json.loads(output)
    except ValueError:
        return None
    value = value[0] if isinstance(value, list) and value else value
    ms = value.get("elapsed_ms") if isinstance(value, dict) else None
    return float(ms) if isinstance(ms, (int, float)) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="comma-separated corpus sizes (e.g. 1000,2000,3000 for a quick run)")
    parser.add_argument("--eval-dir", default=str(DEFAULT_EVAL), help="folder holding insm/ and gnad10k/")
    parser.add_argument("--workdir", help="where corpora and databases go (default: a temporary folder, removed at the end)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and databases in --workdir")
    args = parser.parse_args()
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        sys.exit(f"--sizes {args.sizes}: give whole numbers separated by commas")
    if not sizes or sizes[0] < 1:
        sys.exit(f"--sizes {args.sizes}: give positive sizes")
    eval_dir = Path(args.eval_dir)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="provenance-scale-"))
    if workdir.resolve().is_relative_to(ROOT):
        sys.exit(f"--workdir {workdir}: inside the repository; choose a folder outside it")
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        documents = read_sources(eval_dir)
        words = vocabulary(documents)
        print(f"sources     {len(documents)} documents (insm + gnad10k), {sum(len(b) for b in words[0])} words "
              f"in {len(words[0])} frequency bands; read in {time.perf_counter() - start:.1f} s")
        print(f"machine     {os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              f"at the start (other users' work included)")
        rows = []
        for size in sizes:
            folder = workdir / f"n{size}"
            folder.mkdir(exist_ok=True)
            started = time.perf_counter()
            text_bytes = build_corpus(documents, words, size, folder / "corpus.jsonl")
            built = time.perf_counter() - started
            result = speed.run_child("ours", folder)
            rows.append({"size": size, "text_bytes": text_bytes, **result})
            p = result["process"]
            print(f"  {size:>7} documents: {p['wall']:8.1f} s wall {p['cpu']:8.1f} s CPU  peak RSS {p['peak_rss_mb']:6.0f} MB  "
                  f"database {result['database_bytes'] / 2**20:7.1f} MB = {result['database_bytes'] / text_bytes:.2f}x text  "
                  f"({result['comparisons'].get('pairs')} pairs compared, {len(result['derivations'])} derivations; "
                  f"corpus built in {built:.0f} s)",
                  flush=True)
            if len(rows) < len(sizes):
                print_table(rows, flush=True)  # a long run stopped later still leaves each size's stages
        print_table(rows)
        check_rows(rows[-1], workdir / f"n{rows[-1]['size']}")
        print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        elif not args.keep:
            for size in sizes:
                shutil.rmtree(workdir / f"n{size}", ignore_errors=True)


def print_table(rows: list[dict], flush: bool = False) -> None:
    sizes = [r["size"] for r in rows]
    stages = [s["stage"] for s in rows[0]["stages"]]
    print("\nwall seconds per stage (growth exponent: slope of log time on log size)")
    print(f"  {'stage':32}" + "".join(f"{s:>10}" for s in sizes) + f"{'exponent':>10}")
    for name in stages:
        values = [next((s["wall"] for s in r["stages"] if s["stage"] == name), 0.0) for r in rows]
        e = exponent(sizes, values)
        print(f"  {name:32}" + "".join(f"{v:10.2f}" for v in values) + (f"{e:10.2f}" if e is not None else f"{'-':>10}"))
    for label, key in (("whole audit (wall)", "wall"), ("whole audit (CPU)", "cpu"), ("peak RSS MB", "peak_rss_mb")):
        values = [r["process"][key] for r in rows]
        e = exponent(sizes, values)
        print(f"  {label:32}" + "".join(f"{v:10.1f}" for v in values) + (f"{e:10.2f}" if e is not None else f"{'-':>10}"))
    values = [r["database_bytes"] / 2**20 for r in rows]
    ratios = ", ".join(f"{r['database_bytes'] / r['text_bytes']:.2f}x" for r in rows)
    print(f"  {'database MB':32}" + "".join(f"{v:10.1f}" for v in values) + f"   ({ratios} the text)", flush=flush)


def check_rows(row: dict, folder: Path) -> None:
    print(f"\nprovenance check against the {row['size']}-document database")
    if not has_check():
        print("  skipped: this provenance has no `check` command yet")
        return
    found = measure_check(folder / "provenance.db", folder / "corpus.jsonl", folder)
    if "error" in found:
        print(f"  failed: {found['error']}")
        return
    inside, whole = found["in_process"], found["commands"]
    print(f"  in-process (click in a warm interpreter), {len(inside)} new articles: median {statistics.median(inside) * 1000:.0f} ms, "
          f"first {inside[0] * 1000:.0f} ms, max {max(inside) * 1000:.0f} ms; exit codes {dict(Counter(found['in_process_codes']))}")
    print(f"  whole command (fresh process), {len(whole)} other new articles: median {statistics.median(whole) * 1000:.0f} ms, "
          f"max {max(whole) * 1000:.0f} ms; exit codes {dict(Counter(found['command_codes']))}"
          f"{'' if found['byte_compiled'] else ' (the package could not be byte-compiled first: its start-up compiles it)'}")
    for where, key in (("in-process", "reported_in_process"), ("whole commands", "reported_commands")):
        ms = found[key]
        if ms:
            print(f"  the work as the command times it (elapsed_ms), {where}: median {statistics.median(ms):.0f} ms, "
                  f"first {ms[0]:.0f} ms, max {max(ms):.0f} ms")


if __name__ == "__main__":
    main()
