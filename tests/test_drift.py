"""Drift on a hand-checked slice: one change inside a faithful paraphrase, run through the real path.

The cases (tests/fixtures/drift/cases.json) are invented news written for these tests, German and
English, in the style of the FactCC-like set that benchmarks/drift.py builds from corpus sentences:
a number, unit, date, place, person or speaker swapped, a negation inserted or removed, a word
inside a quotation changed, and faithful controls where nothing may drift. Each derivative goes
through `pipeline.analyse`, `align.align` over `terms.units` and `claims.check_claims`, as
`pipeline.document_claims` does for stored documents.

Cases that fail because of a real gap in extraction or comparison are marked `xfail(strict=True)`
with the gap as the reason; the expectation stays as hand-checked, so a fix turns them into
failures that ask for the mark to go.
"""
import json
from functools import lru_cache
from pathlib import Path

import pytest

from provenance import align, claims, terms
from provenance.ingest import RawRecord
from provenance.pipeline import analyse

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "drift" / "cases.json"
CASES = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]

GAPS: dict[str, str] = {}


def document(text, language, id):
    doc, _ = analyse(RawRecord(id=id, text=text, origin=id, format="txt", given={"language": language}))
    return doc


@lru_cache(maxsize=None)
def source(text, language):
    doc = document(text, language, "source")
    return doc, claims.profile_source(doc)


def check(case):
    src, profile = source(case["source"], case["language"])
    derivative = document(case["derivative"], case["language"], "derivative")
    pairs = align.align(terms.units(derivative), terms.units(src)).sentence_pairs
    return claims.check_claims(derivative, src, pairs, profile)


def covering(found, start, end):
    """The claim covering most of a span, the shortest of those."""
    best = max(found, key=lambda c: (min(end, c["end"]) - max(start, c["start"]), -(c["end"] - c["start"])))
    assert min(end, best["end"]) > max(start, best["start"]), ("no claim covers", start, end)
    return best


def params():
    return [
        pytest.param(case, id=case["id"], marks=[pytest.mark.xfail(strict=True, reason=GAPS[case["id"]])] if case["id"] in GAPS else [])
        for case in CASES
    ]


def test_the_slice_covers_every_drift_type_in_both_languages():
    assert not set(GAPS) - {c["id"] for c in CASES}
    kinds = {c["expected"]["type"] for c in CASES if c["expected"]}
    assert kinds == {"number", "unit", "date", "place", "person", "speaker", "negation", "quote"}
    assert {c["language"] for c in CASES} == {"de", "en"}
    assert sum(1 for c in CASES if c["expected"] is None) >= 5
    for case in CASES:
        if "change" in case:
            old, new = case["change"]
            assert new in case["derivative"] and old not in case["derivative"], case["id"]


@pytest.mark.parametrize("case", params())
def test_drift_case(case):
    found = check(case)
    expected = case["expected"]
    spans = []
    for item in [expected, *expected.get("also", [])] if expected else []:
        start = case["derivative"].index(item["claim"])
        end = start + len(item["claim"])
        claim = covering(found, start, end)
        assert claim["status"] == "drifted", (claim["text"], claim["status"], claim["drift"])
        assert claim["checked_against"] == "source" and claim["source"]["document"] == "source"
        drift = [d for d in claim["drift"] if d["type"] == item["type"]]
        assert drift, (claim["text"], claim["drift"])
        if "value" in item:
            assert any(item["value"] in str(d["value"]) for d in drift), (item["value"], drift)
        spans.append((start, end))
    stray = [(c["text"], c["drift"]) for c in found if c["drift"] and not any(c["start"] < e and s < c["end"] for s, e in spans)]
    assert not stray


def test_a_figure_drifted_from_the_sentence_beside_the_passage_shows_that_sentence():
    """The tabloid's lead reads most like the wire story's headline, which gives no sentence:
    the sentence after it does. The claim drifted from that one, and a reader checking 'five'
    against the source needs to see 'four', so it is the source passage shown."""
    (case,) = [c for c in CASES if c["id"] == "en-number-beside-headline"]
    claim = covering(check(case), *_span(case["derivative"], case["expected"]["claim"]))
    assert claim["drift"] == [{"type": "number", "value": "five", "source_value": "four"}]
    assert "jailed for four years today" in claim["source"]["text"]


def _span(text, part):
    start = text.index(part)
    return start, start + len(part)
