"""Metadata from the text itself: seeds, dateline and URL-date tables, precedence, robustness."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import metadata
from provenance.agencies import AGENCIES, NEWS, SERVICE, key_of
from provenance.document import Segment
from provenance.metadata import clean_url, date_from_url, detect_language, extract, parse_date

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
SOURCE = (SEEDS / "000_9adfba21b048cf0a.txt").read_text(encoding="utf-8")
DERIVATIVE = (SEEDS / "001_45da5be54d483bbf.txt").read_text(encoding="utf-8")
GOLD = json.loads((ROOT / "tests" / "fixtures" / "gold.json").read_text(encoding="utf-8"))

GERMAN = (
    "Die Bundesregierung hat am Dienstag in Berlin ein neues Gesetz zur Förderung erneuerbarer "
    "Energien beschlossen. Der Wirtschaftsminister sprach von einem wichtigen Schritt für das Klima."
)
ENGLISH = (
    "The government announced on Tuesday that it would raise spending on public transport, "
    "a move welcomed by commuters and criticised by the opposition as too little, too late."
)


def labelled(text, spans):
    """Segments for `text` from (kind, exact substring, reason) triples, in order of appearance."""
    segments, cursor = [], 0
    for n, (kind, piece, reason) in enumerate(spans):
        start = text.index(piece, cursor)
        cursor = start + len(piece)
        segments.append(
            Segment(n=n, kind=kind, paragraph=n, start=start, end=cursor, text=piece,
                    boilerplate=kind in ("dateline", "url", "debris"), reason=reason)
        )
    return segments


def source_segments():
    title_end = SOURCE.index("Zusammenarbeit") + len("Zusammenarbeit")
    url = GOLD["source_metadata"]["url"]
    return labelled(SOURCE, [
        ("title", SOURCE[:title_end], None),
        ("dateline", "Peking (ots/PRNewswire) -", "dateline"),
        ("sentence", "China und Kasachstan haben sich stets gegenseitig", None),
        ("url", url, "url"),
    ])


def derivative_segments():
    return labelled(DERIVATIVE, [
        ("debris", "Deutschland", "section-label"),
        ("title", "China und Kasachstan: Eine dauerhafte strategische Partnerschaft und wachsende "
                  "Zusammenarbeit", None),
        ("sentence", "China und Kasachstan setzen auf verstärkte Zusammenarbeit und Freundschaft",
         None),
        ("sentence", "Die langjährige Freundschaft und Partnerschaft zwischen China und Kasachstan "
                     "werden weiter ausgebaut", None),
        ("debris", "NAG", "byline"),
        ("debris", 'Schaltfläche "Zurück zum Anfang"', "ui-text"),
    ])


# --- seeds ---------------------------------------------------------------------------------------

def test_source_seed_matches_gold():
    gold = GOLD["source_metadata"]
    fields, found = extract(SOURCE, source_segments(), {})
    assert fields["title"] == gold["title"]
    assert fields["dateline"] == gold["dateline"] == "Peking"
    assert fields["wire_credit"] == gold["wire_credit"] == "ots/PRNewswire"
    assert fields["url"] == gold["url"]
    assert fields["url"].endswith("cooperation-")  # the trailing '-' is part of the URL
    assert fields["date"] == gold["url_date"] == "2024-07-03"
    assert fields["language"] == gold["language"] == "de"
    assert fields["author"] is None
    assert found == {
        "title": "first line", "dateline": "dateline", "wire_credit": "dateline",
        "url": "url line", "date": "url path", "language": "detected",
    }


def test_source_seed_without_segments_falls_back_to_lines():
    gold = GOLD["source_metadata"]
    fields, _ = extract(SOURCE, [], {})
    assert fields["title"] == gold["title"]  # the wrapped headline is joined
    assert (fields["dateline"], fields["wire_credit"]) == ("Peking", "ots/PRNewswire")
    assert (fields["url"], fields["date"], fields["language"]) == (gold["url"], "2024-07-03", "de")


def test_derivative_seed_has_no_provenance_markers():
    fields, found = extract(DERIVATIVE, derivative_segments(), {})
    assert fields["language"] == "de"
    assert fields["dateline"] is None and fields["wire_credit"] is None
    assert fields["url"] is None and fields["date"] is None
    assert fields["title"] == (
        "China und Kasachstan: Eine dauerhafte strategische Partnerschaft und wachsende Zusammenarbeit"
    )
    assert found["title"] == "heading"  # below the section label, not the first line
    assert (fields["author"], found["author"]) == ("NAG", "byline")  # the initials line


def test_seeds_end_to_end_through_segment():
    segment = pytest.importorskip("provenance.segment")
    gold = GOLD["source_metadata"]
    fields, _ = extract(SOURCE, segment.segment(SOURCE, "de"), {})
    assert fields["title"] == gold["title"]
    assert (fields["dateline"], fields["wire_credit"]) == ("Peking", "ots/PRNewswire")
    assert (fields["url"], fields["date"], fields["language"]) == (gold["url"], "2024-07-03", "de")
    fields, _ = extract(DERIVATIVE, segment.segment(DERIVATIVE, "de"), {})
    assert fields["language"] == "de"
    assert fields["title"] != "Deutschland"
    assert (fields["dateline"], fields["wire_credit"], fields["url"]) == (None, None, None)


# --- datelines -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line, place, credit, date", [
    ("Peking (ots/PRNewswire) -", "Peking", "ots/PRNewswire", None),
    ("BERLIN (dpa) -", "BERLIN", "dpa", None),
    ("(Reuters) -", None, "Reuters", None),
    ("NEW YORK, July 3, 2024 /PRNewswire/ --", "NEW YORK", "PRNewswire", "2024-07-03"),
    ("Frankfurt/Main (dpa) -", "Frankfurt/Main", "dpa", None),
    ("Berlin, 3. Juli 2024 (ots) -", "Berlin", "ots", "2024-07-03"),
    ("SPRINGFIELD, Ill. (AP) —", "SPRINGFIELD", "AP", None),
])
def test_dateline_table(line, place, credit, date):
    text = f"Überschrift\n\n{line}\n\n{GERMAN}\n"
    segments = labelled(text, [("title", "Überschrift", None), ("dateline", line, "dateline"),
                               ("sentence", GERMAN, None)])
    fields, found = extract(text, segments, {})
    assert (fields["dateline"], fields["wire_credit"], fields["date"]) == (place, credit, date)
    if date:
        assert found["date"] == "dateline"


@pytest.mark.parametrize("line, credit", [
    ("(dpa)", "dpa"),
    ("dpa/AFP", "dpa/AFP"),
    ("(dpa/lno)", "dpa/lno"),
    ("mit Material von dpa und AFP", "dpa und AFP"),
    ("NAG", None),  # initials: an author, not a wire
])
def test_wire_credit_from_a_byline_line(line, credit):
    text = f"Überschrift\n\n{GERMAN}\n\n{line}\n"
    segments = labelled(text, [("title", "Überschrift", None), ("sentence", GERMAN, None),
                               ("debris", line, "byline")])
    fields, found = extract(text, segments, {})
    assert fields["wire_credit"] == credit
    if credit:
        assert found["wire_credit"] == "byline"
        assert fields["author"] is None


def _wire_credit(text: str) -> str | None:
    from provenance.ingest import RawRecord
    from provenance.pipeline import analyse

    return analyse(RawRecord(id="x", text=text, origin="x", format="txt", given={}))[0].wire_credit


@pytest.mark.parametrize("text, credit", [
    (f"Rail fares to rise\n\nLondon (PA) - {ENGLISH}\n", "PA"),
    (f"Rail fares to rise\n\nBy Press Association reporters\n\n{ENGLISH}\n", "PA"),
    (f"Rail fares to rise\n\n{ENGLISH} (PA)\n", "PA"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nPress Association\n", "PA"),
    (f"Rail fares to rise\n\nSYDNEY (AAP) - {ENGLISH}\n", "AAP"),
    (f"Rail fares to rise\n\n{ENGLISH} The Foreign Press Association said so too.\n", None),
    (f"Rail fares to rise\n\nOSLO (NTB) - {ENGLISH}\n", "NTB"),
    (f"Rail fares to rise\n\nSTOCKHOLM (TT) - {ENGLISH}\n", "TT"),
    (f"Rail fares to rise\n\nWARSAW (PAP) - {ENGLISH}\n", "PAP"),
    (f"Rail fares to rise\n\nTOKYO (Kyodo) - {ENGLISH}\n", "Kyodo"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nThe Canadian Press\n", "The Canadian Press"),  # a byline, as written
    (f"Rail fares to rise\n\n{ENGLISH} This report by The Canadian Press was first published July 3, 2024.\n", "CP"),
    (f"Bahnpreise steigen\n\n{GERMAN}\n\nQuelle: nzz.ch, Keystone-SDA\n", "SDA"),
    # a two-letter agency credits only where a credit stands alone, not inside a line
    (f"Rail fares to rise\n\n{ENGLISH} The CP line to Montreal runs as usual.\n", None),
    # AP's and Reuters' English bylines and sign-offs, outside a dateline
    (f"Rail fares to rise\n\nBy JANE DOE Associated Press\n\n{ENGLISH}\n", "AP"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nThe Associated Press contributed to this report.\n", "AP"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nAssociated Press writer Jane Doe in Leeds contributed.\n", "AP"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nCopyright 2024 The Associated Press. All rights reserved.\n", "AP"),
    (f"Rail fares to rise\n\n{ENGLISH} The Associated Press reported the figures first.\n", None),
    (f"Rail fares to rise\n\n{ENGLISH}\n\n(Reporting by Jane Doe; Editing by Bill Roe)\n", "Reuters"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nReporting by Jane Doe in London; Writing by Bill Roe\n", "Reuters"),
    (f"Rail fares to rise\n\n{ENGLISH} Reporting by the BBC showed the same.\n", None),
    (f"Rail fares to rise\n\n{ENGLISH}\n\n© 2024 The Associated Press\n", "AP"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\n— AFP\n", "AFP"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nAgence France-Presse\n", "AFP"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nWith reporting from AFP\n", "AFP"),
    (f"Rail fares to rise\n\n{ENGLISH}\n\nAdditional reporting by Reuters\n", "Reuters"),
    (f"Rail fares to rise\n\n{ENGLISH} Reporting from Paris was hard for AFP and others.\n", None),
])
def test_national_agencies_credit_as_dpa_and_reuters_do(text, credit):
    """British, Australian, Nordic, Polish, Japanese, Canadian and Swiss agency copy signs as dpa
    or Reuters copy does; AP and Reuters copy in English signs with a byline or a sign-off too."""
    assert _wire_credit(text) == credit


def test_initials_in_the_author_field_are_no_two_letter_agency():
    """'TT' as the author field is an editor's initials; only a dateline makes it the Swedish agency."""
    text = f"Rail fares to rise\n\n{ENGLISH}\n"
    assert extract(text, labelled(text, [("title", "Rail fares to rise", None), ("sentence", ENGLISH, None)]),
                   {"author": "TT"})[0]["wire_credit"] is None


@pytest.mark.parametrize("agency", [a for a in AGENCIES if a.kind != SERVICE], ids=lambda a: a.name)
def test_every_agency_of_the_table_credits_in_a_dateline_and_a_credit_line(agency):
    """The one table drives every credit rule: each agency's forms credit its copy in a dateline,
    and its full forms in a footer credit line too."""
    for form in (*agency.signs, *agency.bare):
        assert _wire_credit(f"Rail fares to rise\n\nLONDON ({form}) - {ENGLISH}\n") == form
        assert key_of(form) == agency.key
    for form in agency.signs if agency.kind == NEWS else ():
        assert _wire_credit(f"Rail fares to rise\n\n{ENGLISH}\n\nQuelle: ntv.de, {form}\n") == agency.name


def test_english_wire_story_end_to_end():
    segment = pytest.importorskip("provenance.segment")
    text = (f"Transit spending to rise\n\nLONDON (Reuters) - {ENGLISH}\n\n"
            "https://example.com/world/2024/07/03/transit-spending/\n")
    fields, found = extract(text, segment.segment(text, "en"), {})
    assert (fields["dateline"], fields["wire_credit"]) == ("LONDON", "Reuters")
    assert fields["title"] == "Transit spending to rise"
    assert (fields["date"], found["date"]) == ("2024-07-03", "url path")
    assert (fields["language"], found["language"]) == ("en", "detected")


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, date", [
    ("https://news.cgtn.com/news/2024-07-03/China-Kazakhstan-cherish-", "2024-07-03"),
    ("https://example.com/2024/07/03/story.html", "2024-07-03"),
    ("https://example.com/politik/20240703/story", "2024-07-03"),
    ("https://example.com/treffen-2024-07-03", "2024-07-03"),
    ("https://example.com/wirtschaft/article-20210304.html", "2021-03-04"),
    ("https://example.com/2024/7/3/story", "2024-07-03"),
])
def test_dates_in_url_paths(url, date):
    assert date_from_url(url) == date


@pytest.mark.parametrize("url", [
    "https://example.com/2024/13/03/story",          # month 13
    "https://example.com/2023-02-30/story",          # no such day
    "https://example.com/1985/01/03/story",          # before online news
    "https://example.com/2999-01-01/story",          # far future
    "https://example.com/finanzen/article219119924/story.html",  # an article id, not a date
    "https://example.com/konjunktur-2021-17145779.html",         # a year and an id
    "https://example.com/x-a-20210304-21a8-4b2f-928a-fa240762f8bd",  # a UUID
    "https://example.com/?date=2024-07-03",           # the query is not the path
    "https://example.com/story",
    "http://[broken",
    "",
])
def test_impossible_or_absent_url_dates(url):
    assert date_from_url(url) is None


@pytest.mark.parametrize("value, expected", [
    ("2021-03-04", "2021-03-04"),
    ("2021-03-04T10:00:00+01:00", "2021-03-04T10:00:00+01:00"),
    ("2021-03-04T10:00:00Z", "2021-03-04T10:00:00Z"),
    ("2021-03-04 10:00", "2021-03-04T10:00"),
    ("04.03.2021", "2021-03-04"),
    ("4.3.2021", "2021-03-04"),
    ("04.03.2021, 10:15 Uhr", "2021-03-04T10:15"),
    ("4. März 2021", "2021-03-04"),
    ("July 3, 2024", "2024-07-03"),
    ("3 July 2024", "2024-07-03"),
    ("Wed, 03 Jul 2024 10:00:00 +0200", "2024-07-03T10:00:00+02:00"),
    ("2021/03/04", "2021-03-04"),
    ("20210304", "2021-03-04"),
    ("2021-13-04", None),
    ("31.02.2021", None),
    ("0000-00-00", None),
    ("03/04/2021", None),  # day or month first: a guess
    ("gestern", None),
    ("", None),
    (None, None),
    (20210304, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


# --- URLs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, url", [
    ("https://example.com/a-story-", "https://example.com/a-story-"),
    ("https://example.com/story.", "https://example.com/story"),
    ("(https://example.com/story)", "https://example.com/story"),
    ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("<https://example.com/story>", "https://example.com/story"),
    ("www.example.com/story,", "www.example.com/story"),
    ("no url here", None),
])
def test_clean_url(line, url):
    assert clean_url(line) == url


@pytest.mark.parametrize("first_line, title", [
    ("# Markdown-Überschrift", "Markdown-Überschrift"),
    ("## Zweite Ebene ##", "Zweite Ebene"),
    ("#MeToo: Eine Debatte kehrt zurück", "#MeToo: Eine Debatte kehrt zurück"),
    ("x" * 400, None),  # a paragraph, not a headline
])
def test_title_from_the_first_line(first_line, title):
    fields, found = extract(f"{first_line}\n{GERMAN}", [], {})
    assert fields["title"] == title
    assert found.get("title") == ("first line" if title else None)


def test_url_from_a_source_line():
    text = f"Überschrift\n\n{GERMAN}\n\nQuelle: https://example.com/2023/05/06/original.html.\n"
    fields, found = extract(text, [], {})
    assert fields["url"] == "https://example.com/2023/05/06/original.html"
    assert found["url"] == "source line"
    assert (fields["date"], found["date"]) == ("2023-05-06", "url path")


# --- given versus text ---------------------------------------------------------------------------

def test_given_values_win_over_the_text():
    given = {"title": " Given  title ", "url": "https://given.example/x", "date": "04.03.2021",
             "author": "Erika Muster", "language": "de-DE", "source": "Some outlet"}
    fields, found = extract(SOURCE, source_segments(), given)
    assert fields["title"] == "Given title"
    assert fields["url"] == "https://given.example/x"
    assert fields["date"] == "2021-03-04"
    assert fields["author"] == "Erika Muster"
    assert fields["language"] == "de"
    assert {key: found[key] for key in given if key in found} == dict.fromkeys(
        ["title", "url", "date", "author", "language"], "given")
    assert found["dateline"] == "dateline"  # nothing given: still from the text


def test_text_fills_gaps_in_given_values():
    given = {"title": None, "date": None, "url": "https://example.com/news/2024-07-03/story",
             "author": "", "source": None}
    fields, found = extract(SOURCE, source_segments(), given)
    assert (fields["date"], found["date"]) == ("2024-07-03", "url path")
    assert (found["url"], found["title"], found["language"]) == ("given", "first line", "detected")


def test_unreadable_given_date_falls_back_to_the_url():
    fields, found = extract(SOURCE, source_segments(), {"date": "irgendwann"})
    assert (fields["date"], found["date"]) == ("2024-07-03", "url path")


def test_given_author_that_is_only_a_byline_word_is_ignored():
    fields, found = extract(SOURCE, source_segments(), {"author": "Von"})
    assert fields["author"] is None and "author" not in found


# --- authors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, author", [
    ("Von Max Muster", "Max Muster"),
    ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
    ("Von Jochen Meier, London", "Jochen Meier"),
    ("Von Anna-Lena von Hohenberg", "Anna-Lena von Hohenberg"),
    ("Von der Leyen sagte am Dienstag, die Kommission werde handeln.", None),
    ("Von Trump ausgezeichnet: Radiomoderator ist tot", None),
    ("By the time the polls closed, turnout was high.", None),
    ("By JANE DOE Associated Press", "JANE DOE"),  # the agency is the wire credit, not the name
    ("By Jane Doe and Max Roe, The Associated Press", "Jane Doe and Max Roe"),
    ("By Anna Reuters", "Anna Reuters"),           # one word would be left: a name
])
def test_byline_lines(line, author):
    text = f"Überschrift\n{line}\n\n{GERMAN}\n"
    fields, found = extract(text, [], {})
    assert fields["author"] == author
    if author:
        assert found["author"] == "byline"


def test_author_from_a_byline_segment():
    text = f"Überschrift\n\nVon Max Muster\n\n{GERMAN}\n"
    segments = labelled(text, [("title", "Überschrift", None),
                               ("debris", "Von Max Muster", "byline"), ("sentence", GERMAN, None)])
    fields, found = extract(text, segments, {})
    assert (fields["author"], found["author"]) == ("Max Muster", "byline")


# --- language ------------------------------------------------------------------------------------

def test_detects_german_and_english_news():
    assert detect_language(GERMAN) == "de"
    assert detect_language(ENGLISH) == "en"
    assert detect_language(GERMAN.upper()) == "de"


@pytest.mark.parametrize("text", ["", "   ", "OK", "Merkel", "Teilen", "Back to top", "CDU SPD",
                                  "1234 5678 9012 3456", "Kasachstan und China"])
def test_short_or_ambiguous_text_has_no_language(text):
    assert detect_language(text) is None


def test_language_is_decided_on_content_not_boilerplate():
    text = f"Back to top\n\n{ENGLISH}\n"
    segments = labelled(text, [("debris", "Back to top", "ui-text"), ("sentence", ENGLISH, None)])
    fields, found = extract(text, segments, {})
    assert (fields["language"], found["language"]) == ("en", "detected")


def test_language_automaton_forgets_its_start_after_AUTOMATON_MEMORY_bytes():
    """What makes the numpy walk of `metadata._Identifier` exact: from every state of py3langid's
    automaton, the same AUTOMATON_MEMORY bytes lead to one and the same state. Followed for every
    byte string, grouping the strings that leave the same set of possible states."""
    import numpy as np

    identifier = metadata._identifier()
    moves, rows = np.asarray(identifier.tk_nextmove), np.asarray(identifier._rowbase, dtype=np.int64)
    ambiguous = [np.arange(len(rows))]  # before any byte: every state is possible
    for _ in range(metadata.AUTOMATON_MEMORY):
        following = {}
        for states in ambiguous:
            after = np.sort(moves[rows[states][:, None] + np.arange(256)], axis=0)  # one column per byte
            for byte in np.flatnonzero(after[0] != after[-1]):
                possible = np.unique(after[:, byte])
                following[possible.tobytes()] = possible
        ambiguous = list(following.values())
    assert not ambiguous


@pytest.fixture(scope="module")
def library_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    library = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    library.set_languages(metadata.NEWS_LANGUAGES)
    return library


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.sampled_from([GERMAN, ENGLISH, SOURCE[:2000]]))
def test_language_scores_are_py3langids_own(library_identifier, text):
    ours = metadata._identifier()
    for sample in (text, text * 3, text.upper(), text.encode("utf-8")):
        assert ours.classify(sample) == library_identifier.classify(sample)


def test_detection_leaves_the_library_default_alone():
    import py3langid

    detect_language(GERMAN)
    assert len(py3langid.rank("Hallo Welt, wie geht es dir heute?")) > len(metadata.NEWS_LANGUAGES)


# --- robustness ----------------------------------------------------------------------------------

def test_empty_input():
    fields, found = extract("", [], {})
    assert fields == dict.fromkeys(metadata.FIELDS) and found == {}


def test_wrong_types_do_not_raise():
    fields, found = extract(None, None, None)
    assert found == {}
    fields, found = extract("Titel\n\nText", [object(), Segment(0, "title", 0, None, 3, "x")],
                            {"title": 5, "date": [], "url": 3.5, "language": {}})
    assert fields["title"] == "Titel" and set(found) == {"title"}


def test_a_single_paragraph_has_no_title():
    fields, found = extract(GERMAN, [], {})
    assert fields["title"] is None and "title" not in found


WRAPPED = (
    "Die Bundesregierung hat am Dienstag in Berlin ein neues Gesetz zur\n"
    "Förderung erneuerbarer Energien beschlossen. Der Wirtschaftsminister\n"
    "sprach von einem wichtigen Schritt für das Klima, die Opposition von\n"
    "einem faulen Kompromiss.\n\n"
    "Das Gesetz soll im Herbst in Kraft treten.\n"
)


@pytest.mark.parametrize("text", [
    WRAPPED,                                              # four wrapped lines
    WRAPPED.replace("Energien beschlossen. Der Wirtschaftsminister\n", "Energien beschlossen.\n"),
    "Die Regierung hat am Dienstag\nein Gesetz beschlossen.\n\nEs gilt ab Herbst.\n",
])
def test_a_hard_wrapped_first_sentence_is_not_a_title(text):
    first_sentence = text[:text.index(".") + 1]
    for segments in ([], labelled(text, [("sentence", first_sentence, None)])):
        fields, _ = extract(text, segments, {})
        assert fields["title"] is None


segment_kinds = st.sampled_from(["title", "dateline", "sentence", "url", "debris"])


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(),
    pieces=st.lists(st.tuples(segment_kinds, st.text(max_size=60), st.integers(-5, 500)),
                    max_size=6),
    given_values=st.dictionaries(
        st.sampled_from(["title", "url", "date", "author", "language", "source"]),
        st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats()),
    ),
)
def test_never_raises(text, pieces, given_values):
    segments = [Segment(n=n, kind=kind, paragraph=n, start=start, end=start + len(piece),
                        text=piece, boilerplate=kind != "sentence", reason="byline")
                for n, (kind, piece, start) in enumerate(pieces)]
    fields, found = extract(text, segments, given_values)
    assert set(fields) == set(metadata.FIELDS)
    assert set(found) == {key for key, value in fields.items() if value is not None}


def test_is_deterministic():
    assert extract(SOURCE, source_segments(), {}) == extract(SOURCE, source_segments(), {})


def test_agency_named_in_the_sources_line_is_the_wire_credit():
    from provenance.ingest import RawRecord
    from provenance.pipeline import analyse

    text = ("Bahn erhöht Preise\nDie Bahn erhöht zum Fahrplanwechsel die Preise im Fernverkehr um 1,9 Prozent. "
            "Verwendete Quellen: Nachrichtenagentur dpa")
    doc, _ = analyse(RawRecord(id="t", text=text, origin="t", format="txt"))
    assert doc.wire_credit == "dpa" and doc.found["wire_credit"] == "text cue"


def test_a_photo_credit_is_not_the_text_s_wire_credit():
    from provenance import metadata, segment

    text = (
        "Der Tag in Berlin\n\nDie Koalition streitet weiter über den Haushalt. Eine Einigung ist nicht in Sicht.\n\n"
        "Quelle: imago images/AP/dpa\n\nDie Opposition fordert Neuwahlen."
    )
    fields, _ = metadata.extract(text, segment.segment(text, "de"), {"language": "de"})
    assert fields["wire_credit"] is None
    credited = text.replace("Quelle: imago images/AP/dpa", "Quelle: ntv.de, mbo/AFP/dpa")
    fields, _ = metadata.extract(credited, segment.segment(credited, "de"), {"language": "de"})
    assert fields["wire_credit"] == "AFP/dpa"


@pytest.mark.parametrize("tail, credit", [
    ("Quelle: ntv.de, jpe/hul/AFP/dpa", "AFP/dpa"),
    ("Dieser Artikel wurde verfasst von Anna Muster, dpa", "dpa"),
    ("RND/dpa", "dpa"),
    ("RND mit dpa", "dpa"),                  # the outlet's desk with the agency's copy
    ("RND/nis mit dpa", "dpa"),
    ("(dpa)", "dpa"),
    ("Quelle: ntv.de", None),
    ("Das sagte sie im Gespräch mit dpa.", None),
    ("Foto: imago images/dpa", None),        # a photo's credit, not the text's
    ("Das sagte er der Agentur AFP am Montag.", None),
])
def test_a_credit_run_on_after_the_last_sentence(tail, credit):
    """Scraped pages often glue the credit to the last sentence instead of a line of its own."""
    from provenance.ingest import RawRecord
    from provenance.pipeline import analyse

    doc, _ = analyse(RawRecord(id="x", text=f"Überschrift\n{GERMAN} {tail}", origin="x", format="txt", given={}))
    assert doc.wire_credit == credit


@pytest.mark.parametrize("credit, copy", [
    ("Berlin (dpa) - ", True),                       # a dateline: the agency's own text
    ("\n(dpa/lno)", True),                           # an agency's regional desk signs with it
    ("\nQuelle: dpa/AFP", True),
    ("\nQuelle: ntv.de, mau/dpa", False),            # the outlet's desk, with agency material
    ("\nQuelle: dpa/nto.", False),                   # an F.A.Z. editor's abbreviation after the agency
    ("\n(mit dpa)", False),
    (" RND/dpa", False),                             # run on after the last sentence
    (" RND mit dpa", False),
    (" (dpa)", True),
    (" Das sagte er der Deutschen Presse-Agentur.", False),  # a credit in the prose says nothing either way
    ("", False),
])
def test_agency_copy_is_told_by_who_signs_the_credit(credit, copy):
    """An agency's copy as an outlet runs it is signed by agencies alone; the outlet's own desk in
    the credit makes it the outlet's writing with agency material ('RND/dpa' on RND's site)."""
    from provenance.ingest import RawRecord
    from provenance.pipeline import analyse

    body = f"{credit}{GERMAN}" if credit.endswith(" - ") else f"{GERMAN}{credit}"
    doc, _ = analyse(RawRecord(id="x", text=f"Überschrift\n{body}", origin="x", format="txt", given={}))
    assert (doc.wire_credit is not None) == (credit != "")
    assert metadata.agency_copy(doc) is copy


@pytest.mark.parametrize("sentence, phrase", [
    ("Das geht aus einem Gutachten hervor, das der Süddeutschen Zeitung vorliegt.", "das der Süddeutschen Zeitung vorliegt"),
    ("Die Zahlen stammen aus einem Papier, das dem „Handelsblatt“ exklusiv vorliegt.", "das dem „Handelsblatt“ exklusiv vorliegt"),
    ("Der Entwurf liegt dem SPIEGEL vor.", "liegt dem SPIEGEL vor"),
    ("The figures come from a draft seen by Reuters on Monday.", "seen by Reuters"),
    ("Der Bericht kommt zu dem Schluss, dass der Vorschlag vorliegt.", None),
    ("Die Studie wurde am Montag in Berlin vorgestellt.", None),
])
def test_a_text_saying_a_paper_lay_before_a_newsroom_is_told(sentence, phrase):
    from provenance.ingest import RawRecord
    from provenance.pipeline import analyse

    doc, _ = analyse(RawRecord(id="t", text=f"Neue Studie zur Rente\n{sentence} Mehr dazu morgen.", origin="t", format="txt"))
    assert metadata.obtained_documents(doc) == ([phrase] if phrase else [])
