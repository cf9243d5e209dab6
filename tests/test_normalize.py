import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.normalize import BLANKS, normalize, original_span


def sources(original, norm):
    """The original text behind each normalised character."""
    return [original[slice(*original_span(norm, i, i + 1))] for i in range(len(norm.text))]


def check_map(original, norm, start=0, end=None):
    end = len(original) if end is None else end
    assert len(norm.offsets) == len(norm.text) + 1
    assert len(norm.ends) == len(norm.text)
    for i in range(len(norm.text)):
        s, e = original_span(norm, i, i + 1)
        assert (s, e) == (norm.offsets[i], norm.ends[i])
        assert start <= s < e <= end
    if norm.text:
        assert norm.offsets[-1] == norm.ends[-1]


@pytest.mark.parametrize(
    "original, text",
    [
        ("Straße", "Straße"),
        ("ﬁnden", "finden"),
        ("Ｎｒ．１２", "Nr.12"),
        ("Cafe\u0301 au lait", "Café au lait"),
        ("5\u00a0Prozent", "5 Prozent"),
        ("eins\r\nzwei", "eins zwei"),
        ("eins \n\n\t zwei", "eins zwei"),
        ("  vorne und hinten \n", "vorne und hinten"),
        ("„Zitat“ und «citation» und “quote”", '"Zitat" und "citation" und "quote"'),
        ("‚halb‘ und ‹demi›", "'halb' und 'demi'"),
        ("it’s geht´s", "it's geht's"),
        ("2019–2020 — so", "2019-2020 - so"),
        ("Zusammen-\narbeit", "Zusammenarbeit"),
        ("China-\nZentralasien", "China-Zentralasien"),
        ("Handels-\nund Wirtschaftskooperation", "Handels- und Wirtschaftskooperation"),
        ("Straßen- \r\n und Schienenverkehr", "Straßen- und Schienenverkehr"),
        ("Zusam\u00ad\nmenarbeit", "Zusammenarbeit"),
        ("unsicht\u00adbar", "unsichtbar"),
        ("zero\u200bwidth", "zerowidth"),
        ("Warte…", "Warte..."),
        ("Absatz-\n\nNeuer", "Absatz- Neuer"),
        ("Gedanken–\nstrich", "Gedanken- strich"),
        ("", ""),
        (" \n\u00a0", ""),
    ],
)
def test_normalized_text(original, text):
    norm = normalize(original)
    assert norm.text == text
    check_map(original, norm)


def test_sharp_s_keeps_its_one_character():
    norm = normalize("Großhandel")
    assert sources("Großhandel", norm) == list("Großhandel")


def test_ligature_characters_share_the_ligature():
    original = "Die ﬁnale Prüfung"
    norm = normalize(original)
    assert norm.text == "Die finale Prüfung"
    f, i = norm.text.index("f"), norm.text.index("f") + 1
    assert original_span(norm, f, f + 1) == original_span(norm, i, i + 1) == (4, 5)
    assert original[slice(*original_span(norm, 0, 10))] == "Die ﬁnale"


def test_fullwidth_digits_map_one_to_one():
    original = "Ｎｒ．１２３ gilt"
    norm = normalize(original)
    assert norm.text == "Nr.123 gilt"
    assert sources(original, norm)[:6] == list("Ｎｒ．１２３")


def test_combining_mark_goes_with_its_base():
    original = "Re\u0301sume\u0301 fertig"
    norm = normalize(original)
    assert norm.text == "Résumé fertig"
    assert sources(original, norm)[1] == "e\u0301"
    assert original[slice(*original_span(norm, 0, 6))] == "Re\u0301sume\u0301"


def test_whitespace_runs_map_to_their_whole_run():
    original = "eins\u00a0\r\n  zwei"
    norm = normalize(original)
    assert norm.text == "eins zwei"
    assert original_span(norm, 4, 5) == (4, 9)
    assert original_span(norm, 0, 4) == (0, 4)
    assert original_span(norm, 5, 9) == (9, 13)


def test_crlf_between_sentences():
    original = "Erster Satz.\r\nZweiter Satz."
    norm = normalize(original)
    assert norm.text == "Erster Satz. Zweiter Satz."
    assert original[slice(*original_span(norm, 13, 26))] == "Zweiter Satz."


def test_quotes_keep_positions():
    original = "Er sagte: „Wir kommen.“"
    norm = normalize(original)
    assert norm.text == 'Er sagte: "Wir kommen."'
    assert sources(original, norm)[10] == "„"
    assert sources(original, norm)[-1] == "“"


def test_wrap_hyphen_spans_are_tight():
    original = "die Zusammen-\narbeit wächst"
    norm = normalize(original)
    assert norm.text == "die Zusammenarbeit wächst"
    word = norm.text.index("Zusammenarbeit")
    assert original[slice(*original_span(norm, word, word + len("Zusammenarbeit")))] == "Zusammen-\narbeit"
    assert original[slice(*original_span(norm, word, word + len("Zusammen")))] == "Zusammen"
    assert original[slice(*original_span(norm, word + 8, word + 14))] == "arbeit"


def test_real_compound_keeps_hyphen():
    original = "des China-\nZentralasien-Mechanismus"
    norm = normalize(original)
    assert norm.text == "des China-Zentralasien-Mechanismus"
    hyphen = norm.text.index("-")
    assert original_span(norm, hyphen, hyphen + 1) == (9, 10)


def test_ellipsis_compound_gets_a_space():
    original = "Handels-\nund Wirtschaftskooperation"
    norm = normalize(original)
    assert norm.text == "Handels- und Wirtschaftskooperation"
    assert original[slice(*original_span(norm, 7, 9))] == "-\n"


def test_span_of_the_original():
    original = "xx  Ein „Satz“ hier.  yy"
    norm = normalize(original, 2, 22)
    assert norm.text == 'Ein "Satz" hier.'
    check_map(original, norm, 2, 22)
    assert original_span(norm, 0, len(norm.text)) == (4, 20)


def test_empty_spans():
    norm = normalize("abc")
    assert original_span(norm, 1, 1) == (1, 1)
    assert original_span(norm, 3, 3) == (3, 3)
    assert normalize("abc", 1, 1).text == ""
    with pytest.raises(ValueError):
        original_span(norm, 2, 1)
    with pytest.raises(ValueError):
        normalize("abc", 2, 5)


ALPHABET = st.sampled_from(
    list("abcXYZ äöüßÄ.,;:!?-–—„“”‚‘’«»\"' \n\r\t12")
    + ["\u00a0", "\u00ad", "\u200b", "ﬁ", "１", "e\u0301", "\u0301", "…", "½", "\r\n", "-\n"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join), st.integers(0, 5), st.integers(0, 5))
def test_map_properties(original, cut_start, cut_end):
    start = min(cut_start, len(original))
    end = max(start, len(original) - cut_end)
    norm = normalize(original, start, end)
    check_map(original, norm, start, end)
    for i in range(len(norm.text) - 1):
        same_source = original_span(norm, i, i + 1) == original_span(norm, i + 1, i + 2)
        assert same_source or norm.ends[i] <= norm.offsets[i + 1]
    assert norm.text == norm.text.strip()
    assert "  " not in norm.text and "\n" not in norm.text
    covered = set()
    for i in range(len(norm.text)):
        covered.update(range(*original_span(norm, i, i + 1)))
    for k in range(start, end):
        if k not in covered:
            assert original[k] in BLANKS or original[k] == "-"


@settings(max_examples=200, deadline=None)
@given(st.lists(ALPHABET.filter(lambda c: c != "\u0301"), max_size=60).map("".join))
def test_normalizing_twice_changes_nothing(original):
    """(A lone combining mark after an invisible character composes only on a second pass.)"""
    once = normalize(original).text
    assert normalize(once).text == once


def test_only_the_quote_sources_normalise_to_a_double_quote():
    """`terms.quotations` skips segments holding none of QUOTE_SOURCES, unnormalised."""
    from provenance.terms import QUOTE_SOURCES

    others = [chr(cp) for cp in range(0x110000) if chr(cp) not in QUOTE_SOURCES and not 0xD800 <= cp < 0xE000]
    for at in range(0, len(others), 2000):
        assert '"' not in normalize("x".join(others[at : at + 2000])).text
    for source in QUOTE_SOURCES:
        assert normalize(f"x{source}x").text == 'x"x'
