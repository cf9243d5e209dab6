"""The long fuzz run: the property targets of tests/test_fuzz.py, for as long as you give them.

    .venv/bin/python fuzz/run.py --minutes 60            # every target, time shared by weight
    .venv/bin/python fuzz/run.py --minutes 5 --target segments --target claims

Runs Hypothesis in chunks with fresh seeds (so memory stays flat over millions of cases) and
prints, per target, the cases run, the time spent and every failure with its falsifying input.
Exit status 1 when any target failed. Cheap targets get more of the time than expensive ones
only through their speed: each target gets a share of the clock, not a number of cases.
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.test_fuzz import TARGETS  # noqa: E402

# Share of the clock per target. Hostile bytes arrive first at the readers and the offset maps,
# which are also the cheapest per case, so they get the most; the outlet import merges into the
# whole shipped registry on every case and gets the least.
WEIGHTS = {
    "file_bytes": 12, "encoded_text": 4, "jsonl": 3, "html": 3, "normalize": 14,
    "segments": 10, "metadata": 4, "claims": 6, "outlets_json": 2, "outlets_csv": 2,
}


def run_target(name: str, seconds: float, chunk: int, rng: random.Random) -> tuple[int, list[str]]:
    strategies, check = TARGETS[name]
    count = [0]
    failures: list[str] = []

    def counted(values):
        count[0] += 1
        check(*values)

    began = time.monotonic()
    deadline = began + seconds
    while time.monotonic() < deadline:
        rate = count[0] / max(time.monotonic() - began, 1e-9) if count[0] else 20.0
        size = max(20, min(chunk, int((deadline - time.monotonic()) * rate)))
        test = settings(
            max_examples=size, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )(seed(rng.getrandbits(64))(given(st.tuples(*strategies))(counted)))
        try:
            test()
        except Exception as error:  # a property broke: keep its falsifying example and go on
            failures.append("".join(traceback.format_exception_only(type(error), error)).strip()
                            + "\n" + "\n".join(getattr(error, "__notes__", [])))
            if len(failures) >= 3:
                break
    return count[0], failures


def run_slice(name: str, seconds: float, chunk: int, slice_seed: int) -> tuple[str, int, float, list[str]]:
    began = time.monotonic()
    cases, failures = run_target(name, seconds, chunk, random.Random(slice_seed))
    return name, cases, time.monotonic() - began, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="Total wall-clock time over all targets.")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="Only these targets (repeatable).")
    parser.add_argument("--chunk", type=int, default=2000, help="Cases per Hypothesis run before a fresh seed.")
    parser.add_argument("--jobs", type=int, default=1, help="Worker processes, each running every target with its own seeds.")
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    names = args.target or list(TARGETS)
    total_weight = sum(WEIGHTS.get(n, 1) for n in names)
    rng = random.Random(args.seed)
    slices = [
        (name, args.minutes * 60 * WEIGHTS.get(name, 1) / total_weight, args.chunk, rng.getrandbits(64))
        for name in names
        for _ in range(args.jobs)
    ]
    started = time.monotonic()
    cases: dict[str, int] = dict.fromkeys(names, 0)
    seconds: dict[str, float] = dict.fromkeys(names, 0.0)
    failures: dict[str, list[str]] = {name: [] for name in names}
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for name, count, spent, found in pool.imap(_run_slice_args, slices):
            cases[name] += count
            seconds[name] += spent
            failures[name] += found
            print(f"  slice {name}: {count:,} cases in {spent:.0f} s, {len(found)} failures", file=sys.stderr, flush=True)
    print(f"{'target':14} {'cases':>10} {'cpu-side s':>10} {'cases/s':>8}  failures")
    for name in names:
        rate = cases[name] / max(seconds[name], 1e-9)
        print(f"{name:14} {cases[name]:>10,} {seconds[name]:>10.0f} {rate:>8.0f}  {len(failures[name])}")
        for failure in failures[name]:
            print("  FAILED " + failure.replace("\n", "\n    "))
    print(f"{'total':14} {sum(cases.values()):>10,} cases in {time.monotonic() - started:.0f} s wall, {args.jobs} job(s)")
    return 1 if any(failures.values()) else 0


def _run_slice_args(item):
    return run_slice(*item)


if __name__ == "__main__":
    sys.exit(main())
