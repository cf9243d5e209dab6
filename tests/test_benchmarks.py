"""The measuring instruments of benchmarks/speed.py and benchmarks/scale.py on small cases of our own."""
from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import scale  # noqa: E402
import speed  # noqa: E402


def filler(tag: str, n: int) -> str:
    return " ".join(f"{tag}wort{i}" for i in range(n))


SHARED = " ".join(f"gemeinsam{i}" for i in range(16))
FOOTER = " ".join(f"fusszeile{i}" for i in range(20))


def test_ground_truth_pairs_documents_sharing_a_long_run():
    docs = [
        {"id": "a", "source": "FAZ_Politik", "text": f"{filler('a', 30)} {SHARED} {filler('aa', 30)}"},
        {"id": "b", "source": "welt", "text": f"{filler('b', 30)} {SHARED}. {filler('bb', 30)}"},
        # 14 of the 16 shared words: below the run length, no pair
        {"id": "c", "source": "SZ", "text": f"{filler('c', 30)} {' '.join(SHARED.split()[:14])} {filler('cc', 30)}"},
    ]
    truth = speed.ground_truth(docs)
    assert truth["pairs"] == {("a", "b")}
    assert not speed.shares_run(truth, "a", "c")


def test_ground_truth_cuts_what_recurs_in_many_documents_of_one_outlet():
    # Six FAZ pages (from three feeds of the one outlet) end with the same footer: boilerplate.
    faz = [
        {"id": f"faz{i}", "source": ["faznet", "FAZ_Politik", "FAZ_Wirtschaft"][i % 3], "text": f"{filler(f'f{i}', 40)} {FOOTER}"}
        for i in range(6)
    ]
    # Two Welt pages share the same words once each: real reuse, kept.
    welt = [{"id": f"welt{i}", "source": "welt", "text": f"{filler(f'w{i}', 40)} {FOOTER}"} for i in range(2)]
    truth = speed.ground_truth(faz + welt)
    assert truth["pairs"] == {("welt0", "welt1")}
    assert speed.shares_run(truth, "faz0", "faz1") and speed.shares_run(truth, "faz0", "welt0")
    assert not speed.shares_run(truth, "faz0", "welt0-missing")


def test_outlet_joins_the_feeds_of_one_outlet():
    assert speed.outlet("FAZ_Politik") == speed.outlet("faznet") == speed.outlet("FAZ_Wirtschaft")
    assert speed.outlet("welt") != speed.outlet("faznet")


ARTICLE = (
    "Der Rat der Stadt hat am Montag beschlossen, dass die neue Brücke über den Fluss bis zum Jahr 2031 gebaut werden soll. "
    "Die Kosten werden auf rund 48 Millionen Euro geschätzt, wie die Verwaltung mitteilte. "
    "Bürgermeisterin Anna Berger sagte, die alte Brücke sei seit Jahren ein Sicherheitsrisiko und müsse ersetzt werden. "
    "Die Opposition kritisierte den Zeitplan als zu ehrgeizig, und sie verlangte eine unabhängige Prüfung der Kosten. "
    "Nach Angaben der Verwaltung sollen die Bauarbeiten im Frühjahr 2027 beginnen und etwa vier Jahre dauern. "
    "Während der Bauzeit wird der Verkehr über eine Behelfsbrücke im Norden der Stadt umgeleitet. "
    "Anwohner befürchten zusätzlichen Lärm, doch die Stadt verspricht Schallschutzwände entlang der Baustelle. "
    "Der Bund übernimmt nach Angaben des Verkehrsministeriums einen Anteil von 60 Prozent der Baukosten. "
    "Eine Bürgerversammlung zu dem Projekt ist für den kommenden Donnerstag im Rathaus geplant. "
    "Dort sollen Planer der Stadt die drei Entwürfe vorstellen, die in der engeren Auswahl stehen, "
    "und Fragen der Bürgerinnen und Bürger zu Kosten, Lärm und Umleitungen beantworten."
)


def test_planted_derivatives_are_deterministic_paraphrases_that_keep_the_figures():
    docs = [{"id": "origin", "text": ARTICLE, "title": "Stadt: Neue Brücke bis 2031", "date": "2021-03-01"}]
    first, again = speed.plant(docs, 1), speed.plant(docs, 1)
    assert first == again
    planted = first[0]
    assert planted["id"].startswith(speed.PLANTED_PREFIX) and planted["planted_from"] == "origin"
    assert planted["date"] == "2021-03-02"
    assert planted["title"] == "Neue Brücke bis 2031: Stadt"
    words = lambda text: re.findall(r"\w+", text.casefold())  # noqa: E731
    a, b = words(planted["text"]), words(ARTICLE)
    longest = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size
    assert 0 < longest < speed.GROUND_TRUTH_WORDS
    kept = set(re.findall(r"\d+", ARTICLE)) & set(re.findall(r"\d+", planted["text"]))
    assert kept and kept <= set(re.findall(r"\d+", ARTICLE))


def test_cipher_keeps_shape_digits_and_punctuation_and_differs_per_copy():
    docs = [{"text": "Die Stadt baut die Brücke. Die BRÜCKE kostet 48 Millionen, sagt die Stadt.", "title": "Brücke"}]
    bands, forms = scale.vocabulary(docs)
    one, two = scale.cipher(bands, forms, 1), scale.cipher(bands, forms, 2)
    text = docs[0]["text"]
    out = scale.encipher(text, one)
    assert re.sub(r"[^\W\d_]+", "w", out) == re.sub(r"[^\W\d_]+", "w", text)
    for before, after in zip(re.findall(r"[^\W\d_]+", text), re.findall(r"[^\W\d_]+", out)):
        assert before[0].isupper() == after[0].isupper() and before.isupper() == after.isupper()
        band = next(b for b in bands if before.lower() in b)
        assert after.lower() in band
    assert {v.lower() for v in one.values()} == {f.lower() for f in forms}
    many = [{"text": " ".join(f"wort{a}{b}" for a in "abcdefg" for b in "hijklmn")}]
    bands, forms = scale.vocabulary(many)
    assert scale.cipher(bands, forms, 1) != scale.cipher(bands, forms, 2)


def test_build_corpus_gives_every_copy_its_own_ids_and_urls(tmp_path):
    docs = [
        {"id": str(i), "text": f"Die Stadt baut Brücke Nummer {i}.", "url": f"https://example.org/a/{i}"}
        for i in range(3)
    ]
    path = tmp_path / "corpus.jsonl"
    scale.build_corpus(docs, scale.vocabulary(docs), 7, path)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(rows) == 7
    assert len({r["id"] for r in rows}) == 7 and len({r["url"] for r in rows}) == 7
    assert rows[3]["id"] == "c01_0" and "/copy1/" in rows[3]["url"]


@pytest.mark.parametrize("power", [1.0, 2.0])
def test_exponent_is_the_log_log_slope(power):
    sizes = [1000, 2000, 4000]
    assert scale.exponent(sizes, [3 * s**power for s in sizes]) == pytest.approx(power)
    assert scale.exponent([1000], [1.0]) is None


def test_reported_ms_reads_the_commands_own_timing_when_it_gives_one():
    assert scale.reported_ms('{"elapsed_ms": 12.5, "derivations": []}') == 12.5
    assert scale.reported_ms('[{"elapsed_ms": 3}]') == 3.0
    assert scale.reported_ms('{"derivations": []}') is None
    assert scale.reported_ms("not json") is None
