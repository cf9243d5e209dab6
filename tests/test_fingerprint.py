import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import fingerprint
from provenance.document import Document, Segment
from provenance.ingest import RawRecord
from provenance.normalize import normalize, original_span
from provenance.pipeline import analyse


def doc_from(text: str, doc_id: str = "d") -> Document:
    doc, _ = analyse(RawRecord(id=doc_id, text=text, origin="test", format="txt"))
    return doc


BASE = (
    "Titel des Artikels\n\n"
    "Die Regierung in Berlin hat am Montag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
    "Nach Angaben des Ministeriums sollen bis zum Jahr 2030 rund 80 Prozent des Stroms aus Wind und Sonne kommen. "
    "Kritiker bemängeln, dass der Ausbau der Netze nicht Schritt halte und die Kosten für Verbraucher steigen würden."
)


def test_fingerprints_are_deterministic():
    assert fingerprint.fingerprints(doc_from(BASE)) == fingerprint.fingerprints(doc_from(BASE))


def test_content_hash_ignores_wrapping_and_quote_style():
    assert fingerprint.content_hash("Er sagte: „Gut.“\nDann ging er.") == fingerprint.content_hash('Er sagte: "Gut." Dann ging er.')
    assert fingerprint.content_hash("A b") != fingerprint.content_hash("A c")


def test_a_shared_run_of_twelve_words_shares_a_winnowed_fingerprint():
    shared = "die Kosten für Verbraucher steigen würden weil der Ausbau der Netze nicht Schritt halte"
    one = doc_from(f"Erster Titel\n\nEin völlig anderer Anfang über Fußball und Wetter. Dann: {shared}. Ende eins.")
    two = doc_from(f"Zweiter Titel\n\nHier geht es um Musik im Radio am Abend. Zitat: {shared}. Schluss zwei.")
    a = fingerprint.load_winnow(fingerprint.fingerprints(one)[1]["value"])
    b = fingerprint.load_winnow(fingerprint.fingerprints(two)[1]["value"])
    common = set(a["hash"]) & set(b["hash"])
    assert common
    for row in a:
        if row["hash"] in common:
            assert one.text[row["start"]:row["end"]].casefold() in shared.casefold()


def test_minhash_sees_near_duplicates_and_not_unrelated_text():
    near = doc_from(BASE.replace("Montag", "Dienstag"))
    other = doc_from("Fußball\n\nDer Verein hat das Spiel am Samstag mit drei zu null gewonnen. Die Fans feierten lange im Stadion.")
    base = fingerprint.minhash(fingerprint.content_words(doc_from(BASE)))
    assert base.jaccard(fingerprint.minhash(fingerprint.content_words(near))) > 0.6
    assert base.jaccard(fingerprint.minhash(fingerprint.content_words(other))) < 0.1
    stored = fingerprint.load_minhash(fingerprint.fingerprints(doc_from(BASE))[0]["value"])
    assert stored.jaccard(base) == 1.0


def test_boilerplate_is_not_fingerprinted(derivative_text):
    doc = doc_from(derivative_text, "001")
    forms = {w.form for w in fingerprint.content_words(doc)}
    assert "nag" not in forms and "schaltfläche" not in forms
    assert "handelspartner" in forms
    for word in fingerprint.content_words(doc):
        assert doc.text[word.start:word.end].casefold() == word.form


def test_winnow_guarantee_on_raw_hashes():
    import numpy as np

    hashes = np.array([9, 3, 7, 3, 8, 1, 6, 5, 4, 2], dtype=np.uint64)
    chosen = fingerprint.winnow(hashes, 4)
    windows = [hashes[i:i + 4] for i in range(len(hashes) - 3)]
    for i, window in enumerate(windows):
        assert any(i <= p < i + 4 and hashes[p] == window.min() for p in chosen)


def test_word_frequency_lookup_matches_wordfreq():
    """The direct lookup gives wordfreq's own Zipf value for every kind of word."""
    from wordfreq import zipf_frequency

    from provenance import terms

    words = ["und", "Handelspartner", "Straße", "STRASSE", "Kasachstan", "Tokajew", "größte", "Über",
             "Zusammenarbeit", "the", "Xi", "Peking", "Qwxzrtplk", "cœur", "naïve", "Ärger", "e\u0301te\u0301"]
    for language in ("de", "en", "fr"):
        for word in words:
            assert terms.zipf_of(word, language) == zipf_frequency(word, language), (word, language)


# Word forms with hyphens, figures, dots, apostrophes and underscores: every way wordfreq's
# tokenizer splits or joins them (French articles before a vowel, years, runs of digits).
JOINED_WORDS = [
    "US-Dollar", "Corona-Impfung", "Baden-Württemberg", "Xi-Jinping-Besuch", "COVID-19", "G7-Gipfel",
    "A4", "1990er", "2-Zimmer-Wohnung", "2021-Bilanz", "2045-Ziel", "1848er-Revolution", "007-Film",
    "z.B", "u.a", "insm.de", "www.example-site.de", "B.1.1.7", "28.April", "S.4", "Abs.1", "sat.1",
    "1.1.7-Variante", "geht's", "gibt's", "It's", "Let's", "queen's", "O'Brien", "l'heure", "qu'un",
    "aujourd'hui", "d'Esquadra", "Rock'n'Roll", "mike_pence", "A_1", "1'000", "Qwxz-Plkrt", "xx-1",
    "Straßen-Bahn", "Ärzte-Präsident", "über-große",
    # words in single quotation marks, and marks or hyphens left at an edge: no token of their own
    "'einfach", "Zivilschutzes'", "'Bild'", "'l'homme", "'geht's", "rock'n'", "'90", "Nord-", "-Süd", "x-'", "'", "'-'",
]


def test_joined_words_are_read_off_the_table_with_wordfreqs_numbers():
    """Words the direct lookup splits as wordfreq's tokenizer would: read off the table without
    the library (importing it is a quarter of a one-article check), with the library's number."""
    from wordfreq import zipf_frequency

    from provenance import terms

    for word in JOINED_WORDS:
        assert terms._plain_tokens(word) is not None, word
        for language in ("de", "en", "fr"):
            assert terms.zipf_of(word, language) == zipf_frequency(word, language), (word, language)
    for word in ("m²", "CO₂-Preis", "α-Actinin", "Москва-Сити"):
        assert terms._plain_tokens(word) is None, word
        assert terms.zipf_of(word, "de") == zipf_frequency(word, "de"), word



WORD_ALPHABET = st.sampled_from(list("aB ß.,-'_\n9") + ["999"] + ["\u00a0", "\u00ad", "ﬁ", "e\u0301", "„", "’", "–", "-\n", "İ", "½"])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD_ALPHABET, max_size=40).map("".join), st.integers(0, 3), st.integers(0, 3))
def test_segment_words_are_the_word_matches_mapped_through_original_span(text, cut_start, cut_end):
    """`segment_words` finds words with `findall` and `str.find`: the same words and spans as
    matching them one by one and mapping each through `original_span`."""
    start = min(cut_start, len(text))
    end = max(start, len(text) - cut_end)
    norm = normalize(text, start, end)
    expected = [
        fingerprint.Word(fingerprint._figure_forms([m.group()])[0], *original_span(norm, *m.span()))
        for m in fingerprint._WORD.finditer(norm.text)
    ]
    segment = Segment(n=0, kind="sentence", paragraph=0, start=start, end=end, text=text[start:end])
    assert fingerprint.segment_words(text, segment) == expected


@pytest.mark.parametrize("styled", ["24.329", "24 329", "24\u202f329", "24,329", "24'329", "24’329"])
def test_a_figure_in_groups_of_three_is_one_word_in_any_house_style(styled):
    """dpa writes "24.329 Neuinfektionen", other outlets "24 329" (often with a thin space): one
    word, its digits, spanning the whole figure, so the run of words around it is not broken."""
    text = f"Das RKI meldete {styled} Neuinfektionen, 1.10.2020 und 41,5 Prozent."
    segment = Segment(n=0, kind="sentence", paragraph=0, start=0, end=len(text), text=text)
    words = fingerprint.segment_words(text, segment)
    assert [w.form for w in words] == ["das", "rki", "meldete", "24329", "neuinfektionen", "1.10.2020", "und", "41,5", "prozent"]
    assert text[words[3].start:words[3].end] == styled


def test_a_decimal_comma_joins_a_figure():
    """German prints decimals with a comma ("7,5 Tonnen", "108,1"): one figure, the one an
    English text prints as "7.5", not the two figures 7 and 5 that unrelated texts share by chance."""
    from provenance.terms import units

    def figures(text):
        return set().union(*(unit.numbers for unit in units(doc_from(text))))

    german = figures("Titel\n\nDie Brücke trägt nur noch 7,5 Tonnen. Die Inzidenz liegt bei 108,1, der Preis bei 2,50 Euro.")
    english = figures("Title\n\nThe bridge now carries only 7.5 tonnes. The incidence stands at 108.1, the price at 2.50 euros.")
    assert german == english == {"7.5", "108.1", "2.5"}


@pytest.mark.parametrize("text", ["im Jahr 2021 500 Euro", "Airbus A320 000 Teile", "Version 1.000.5", "Seite 12 34 56"])
def test_figures_not_in_groups_of_three_stay_apart(text):
    segment = Segment(n=0, kind="sentence", paragraph=0, start=0, end=len(text), text=text)
    forms = [w.form for w in fingerprint.segment_words(text, segment)]
    assert forms == [m.group().casefold() for m in fingerprint._WORD.finditer(text)]
    assert not any(" " in form for form in forms)


@pytest.mark.parametrize("text", [BASE, "Kurz.", "", "Ein zwei drei vier fünf sechs sieben acht neun zehn elf zwölf"])
def test_minhash_values_are_datasketch_s_own(text):
    """Our numpy signature must be the one datasketch computes, so stored values stay comparable
    with any MinHash/LSH a user builds with it."""
    import numpy as np
    from datasketch import MinHash

    words = fingerprint.content_words(doc_from(text)) if text else []
    reference = MinHash(num_perm=fingerprint.MINHASH_PERMUTATIONS, seed=fingerprint.MINHASH_SEED, scheme="affine32")
    forms = [w.form for w in words]
    for run in zip(*(forms[i:] for i in range(fingerprint.MINHASH_SHINGLE))):
        reference.update(" ".join(run).encode("utf-8"))
    assert np.array_equal(fingerprint.minhash_values(words), reference.hashvalues)


# --- the stored winnow value (issue 8: about 10 bytes a k-gram instead of 16) ----------------------

def winnow_rows(triples) -> "np.ndarray":
    import numpy as np

    rows = np.zeros(len(triples), dtype=fingerprint.WINNOW_DTYPE)
    for i, (value, start, end) in enumerate(triples):
        rows[i] = (value, start, end)
    return rows


@given(st.lists(st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**31), st.integers(0, 2**31)), max_size=40))
@settings(max_examples=200, deadline=None)
def test_packed_winnow_reads_back_exactly(triples):
    spans = sorted((min(a, b), max(a, b)) for _, a, b in triples)
    rows = winnow_rows([(value, start, end) for (value, _, _), (start, end) in zip(triples, spans)])
    packed = fingerprint.pack_winnow(rows)
    assert fingerprint.load_winnow(packed).tobytes() == rows.tobytes()
    assert fingerprint.winnow_hashes(packed).tolist() == rows["hash"].tolist()
    assert fingerprint.load_winnow(rows.tobytes()).tobytes() == rows.tobytes()  # the old fixed rows still read


def test_a_documents_winnow_value_is_packed_and_smaller():
    stored = fingerprint.fingerprints(doc_from(BASE))[1]
    rows = fingerprint.load_winnow(stored["value"])
    assert stored["count"] == len(rows) > 5
    assert len(stored["value"]) < 0.75 * len(rows) * fingerprint.WINNOW_DTYPE.itemsize
    assert fingerprint.pack_winnow(rows) == stored["value"]
    assert '"encoding": "hash64+varint"' in stored["params"]


def test_a_damaged_winnow_value_is_a_clean_error():
    packed = fingerprint.pack_winnow(winnow_rows([(7, 0, 30), (9, 12, 50)]))
    for damaged in (packed[:-1], packed[:9], b"abc"):
        with pytest.raises(ValueError):
            fingerprint.load_winnow(damaged)
    with pytest.raises(ValueError):
        fingerprint.pack_winnow(winnow_rows([(7, 40, 60), (9, 12, 50)]))  # not in text order
