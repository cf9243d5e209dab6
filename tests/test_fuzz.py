"""Property tests over every input path: scraped text is dirty and sometimes hostile.

Each target is a plain function over generated input that raises AssertionError when a
property breaks: no exception except the project's own clean problems, and every offset a
segment or claim reports points at exactly its text in the original. The suite runs each
target on a modest budget; `fuzz/run.py` runs the same targets for hours.
"""
from __future__ import annotations

import atexit
import csv
import gzip
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance import claims, metadata, pipeline, segment, store
from provenance.credibility import OutletFileError
from provenance.document import Segment
from provenance.ingest import Problem, RawRecord, extract_html, read_paths
from provenance.normalize import normalize, original_span

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
SUITE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

# --- what we generate ---------------------------------------------------------------------------

# Pieces that exercise the rules: datelines, wire credits, dates, quotes, URLs, bylines,
# Markdown and HTML markup, soft hyphens and ligatures, wraps, bidi and zero-width characters.
NEWS_PIECES = [
    "Peking (ots/PRNewswire) -", "Berlin (dpa) –", "BERLIN, 3. März (Reuters) -", "(AFP)", "Von Max Muster",
    "Foto: dpa", "© Reuters", "Teilen", "Zurück zum Anfang", "https://example.invalid/2024/03/05/artikel.html",
    "www.example.invalid", "am 5. März 2024", "2024-03-05", "am Dienstag", "12,5 Prozent", "3.000 Euro",
    "zwei Millionen", "fünften", "nicht", "kein", "„Wir sind Partner“", '"quoted"', "»so«", "sagte Xi.",
    "Kasachstan", "Peking", "Tokajew", "# Überschrift", "**fett**", "[link](javascript:alert(1))",
    "<script>alert(1)</script>", "<b>", "</p>", "&amp;", "Handels-\nund", "Wirtschafts-\nbeziehungen",
    "ﬁnal", "\u00ad", "\u200b", "\u202e", "\ufeff", "e\u0301", "🇩🇪", "…", "Nr.", "z. B.", "Dr.", "3.",
    "said.", "He said:", "Mr.", "U.S.", "1.", "a)", "–", "—", "-", "|", "\t", " ", "  ", "\n", "\n\n", "\r\n", ".", "?", "!",
]


def seed_words() -> list[str]:
    words = set()
    for path in sorted(SEEDS.glob("*.txt")):
        words.update(path.read_text(encoding="utf-8").split())
    return sorted(words)[:400]


WORDS = seed_words()
piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(NEWS_PIECES), st.text(max_size=6))
separator = st.sampled_from([" ", " ", " ", "\n", "\n\n", ". ", ", ", "\r\n", "\t"])
news_text = st.one_of(
    st.lists(st.tuples(piece, separator), max_size=80).map(lambda parts: "".join(a + b for a, b in parts)),
    st.text(max_size=300),
)
languages = st.sampled_from([None, "de", "en", "fr", "xx", ""])
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
json_value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=10)
given_value = st.one_of(scalar, st.sampled_from(["2024-03-05", "5. März 2024", "https://example.invalid/a", "de", "en", "dpa", "javascript:alert(1)"]), json_value)
given_fields = st.dictionaries(
    st.sampled_from(["title", "url", "source", "author", "date", "language", "extra"]), given_value, max_size=6
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "cp1250", "koi8-r", "shift_jis", "mac_roman"]

_WORKDIR = Path(tempfile.mkdtemp(prefix="provenance-fuzz-"))
atexit.register(shutil.rmtree, _WORKDIR, True)


def _written(name: str, data: bytes) -> Path:
    folder = _WORKDIR / str(os.getpid())  # fuzz/run.py forks workers that share _WORKDIR
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _read(path: Path) -> list:
    items = list(read_paths([path]))
    for item in items:
        assert isinstance(item, (RawRecord, Problem)), item
        if isinstance(item, Problem):
            assert str(path) in str(item) and "\n" not in item.message, str(item)
        else:
            assert isinstance(item.text, str) and item.text.strip() and isinstance(item.id, str)
            assert "\x00" not in item.text
    return items


def _spans_hold(text: str, spans) -> None:
    for start, end, said in spans:
        assert 0 <= start <= end <= len(text), (start, end, len(text))
        assert said is None or text[start:end] == said, (start, end, said)


# --- targets: each takes generated values and asserts the properties ----------------------------


def check_file_bytes(data: bytes, suffix: str) -> None:
    """Any bytes under any supported name: records or one-line problems, never an exception."""
    if suffix == ".jsonl.gz":
        data = gzip.compress(data, mtime=0)
    _read(_written("input" + suffix, data))


def check_encoded_text(text: str, encoding: str) -> None:
    """Text in a random encoding; with a BOM or as UTF-8 it comes back exactly as written."""
    data = text.encode(encoding, errors="replace")
    items = _read(_written("encoded.txt", data))
    records = [i for i in items if isinstance(i, RawRecord)]
    exact = encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32") and not text.startswith("\ufeff")
    if exact and records:
        assert records[0].text == text


def check_jsonl(lines: list, compressed: bool) -> None:
    """Broken JSON, wrong types, bad UTF-8: every non-blank line is one record or one problem."""
    raw = []
    for line in lines:
        if isinstance(line, bytes):
            raw.append(line.replace(b"\n", b" ").replace(b"\r", b" "))
        else:
            raw.append(json.dumps(line, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass"))
    data = b"\n".join(raw)
    name = "feed.jsonl.gz" if compressed else "feed.jsonl"
    items = _read(_written(name, gzip.compress(data, mtime=0) if compressed else data))
    numbers = [n for n, line in enumerate(data.split(b"\n"), 1) if line.strip()]
    if not numbers:
        assert len(items) <= 1
        return
    assert len(items) == len(numbers), (len(items), numbers)
    for number, item in zip(numbers, items):
        assert (item.line if isinstance(item, Problem) else int(item.origin.rsplit(":", 1)[1])) == number


def check_html(parts: list[str], doctype: bool) -> None:
    """Hostile HTML: markup soup, entities and a DOCTYPE that declares an external entity."""
    html = "".join(parts)
    if doctype:
        html = f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY secret SYSTEM "file://{SECRET}">]>' + html + "&secret;"
    text, given = extract_html(html)
    assert text is None or isinstance(text, str)
    assert isinstance(given, dict)
    assert SECRET_CONTENT not in (text or "") + json.dumps(given, default=str)
    _read(_written("page.html", html.encode("utf-8", "surrogatepass")))


SECRET = _WORKDIR / "secret.txt"
SECRET_CONTENT = "TOPSECRET-4f1c2a"
SECRET.write_text(SECRET_CONTENT, encoding="utf-8")
HTML_PIECES = [
    "<html>", "<head>", "<title>Titel &amp; mehr</title>", "</head>", "<body>", "<article>", "<p>", "</p>",
    "<script>alert(1)</script>", "<style>p{}</style>", "<div>", "</div>", "<meta name=\"author\" content=\"X\">",
    '<meta property="og:url" content="javascript:alert(1)">', "<a href='javascript:alert(1)'>x</a>",
    "<![CDATA[ x ]]>", "<!-- comment -->", "&#0;", "&#x110000;", "&nbsp;", "<", ">", "&", "<p<p>", "</>",
    "<svg onload=alert(1)>", "<time datetime='2024-03-05'>",
]
html_parts = st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.sampled_from(WORDS), st.text(max_size=8)), max_size=60)


def check_normalize(text: str, a: int, b: int, i: int, j: int) -> None:
    """Normalisation keeps an exact, monotonic map back to the original span."""
    start, end = sorted((a % (len(text) + 1), b % (len(text) + 1)))
    norm = normalize(text, start, end)
    offsets = norm.offsets
    assert len(offsets) == len(norm.text) + 1
    assert all(start <= o <= end for o in offsets)
    assert all(x <= y for x, y in zip(offsets, offsets[1:]))
    n = len(norm.text)
    lo, hi = sorted((i % (n + 1), j % (n + 1)))
    s, e = original_span(norm, lo, hi)
    assert start <= s <= e <= end, (start, s, e, end)


def check_segments(text: str, language) -> None:
    """Every segment and paragraph lies inside the text and says what the text says there."""
    found = segment.segment(text, language)
    _spans_hold(text, [(s.start, s.end, s.text) for s in found])
    assert [s.n for s in found] == list(range(len(found)))
    assert all(s.kind in ("title", "dateline", "sentence", "url", "debris") for s in found)
    _spans_hold(text, [(s, e, None) for s, e in segment.paragraphs(text)])


def check_metadata(text: str, language, given: dict) -> None:
    """Metadata extraction never raises, whatever the record gave, and reports what it found."""
    fields, found = metadata.extract(text, segment.segment(text, language), given)
    assert set(found) <= set(fields)
    for key, value in fields.items():
        assert value is None or isinstance(value, str), (key, value)
    if fields["date"]:
        assert fields["date"][:4].isdigit(), fields["date"]


def check_claims(text: str, given: dict) -> None:
    """Claims through the pipeline's own analysis: spans inside the text, text as the span says."""
    given = {k: v for k, v in given.items() if k != "extra"}
    doc, paragraphs = pipeline.analyse(RawRecord(id="fuzz", text=text, origin="fuzz", format="txt", given=given))
    _spans_hold(text, [(s.start, s.end, s.text) for s in doc.segments])
    _spans_hold(text, [(s, e, None) for s, e in paragraphs])
    found = claims.original_claims(doc)
    _spans_hold(text, [(c["start"], c["end"], c["text"]) for c in found])
    assert all(c["status"] == "original" for c in found)


_OUTLET_DB = None
OUTLET_FIELDS = ["name", "role", "state_affiliation", "country", "domains", "feeds", "aliases", "typology", "owner", "notes", "rating_source", "rating_value", "rating_licence", "bogus"]
outlet_value = st.one_of(st.text(max_size=12), st.sampled_from(["news agency", "broadcaster", "state-controlled", "none known", "DE", "example.invalid;a.invalid", "javascript:alert(1)", ""]))


def _outlet_db():
    global _OUTLET_DB
    if _OUTLET_DB is None:
        _OUTLET_DB = store.open_db(":memory:")
        pipeline.registry(_OUTLET_DB)
    return _OUTLET_DB


def _import(path: Path) -> None:
    """Import inside a transaction rolled back afterwards, so each case starts from the same registry."""
    db = _outlet_db()
    before = db.execute("select count(*) from outlets").fetchone()[0]
    db.conn.execute("BEGIN")
    try:
        try:
            count = pipeline.import_outlets(db, str(path))
            assert isinstance(count, int) and count >= 0
        except OutletFileError as error:
            assert error.errors and all(str(path) in line and "\n" not in line for line in error.errors), error.errors
    finally:
        db.conn.execute("ROLLBACK")
    assert db.execute("select count(*) from outlets").fetchone()[0] == before


def check_outlets_json(value, raw: bytes | None) -> None:
    data = raw if raw is not None else json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    _import(_written("outlets.json", data))


def check_outlets_csv(header: list[str], rows: list[list[str]], delimiter: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    _import(_written("outlets.csv", out.getvalue().encode("utf-8", "surrogatepass")))


# Name → (strategies, check): the suite and fuzz/run.py run the same targets.
TARGETS = {
    "file_bytes": ((st.binary(max_size=400), st.sampled_from([".txt", ".md", ".html", ".jsonl", ".jsonl.gz"])), check_file_bytes),
    "encoded_text": ((news_text, st.sampled_from(ENCODINGS)), check_encoded_text),
    "jsonl": (
        (
            st.lists(
                st.one_of(
                    st.fixed_dictionaries({"text": news_text}, optional={"id": st.one_of(st.text(max_size=10), st.integers()), "title": given_value, "url": given_value, "date": given_value, "language": given_value, "source": given_value}),
                    json_value,
                    st.binary(max_size=40),
                    st.just(b'{"text": "abgeschnitten'),
                ),
                max_size=8,
            ),
            st.booleans(),
        ),
        check_jsonl,
    ),
    "html": ((html_parts, st.booleans()), check_html),
    "normalize": ((news_text, st.integers(), st.integers(), st.integers(), st.integers()), check_normalize),
    "segments": ((news_text, languages), check_segments),
    "metadata": ((news_text, languages, given_fields), check_metadata),
    "claims": ((news_text, given_fields), check_claims),
    "outlets_json": (
        (
            st.one_of(
                st.lists(st.dictionaries(st.sampled_from(OUTLET_FIELDS), st.one_of(outlet_value, st.lists(outlet_value, max_size=3), json_value), max_size=6), max_size=4),
                json_value,
            ),
            st.one_of(st.none(), st.binary(max_size=60)),
        ),
        check_outlets_json,
    ),
    "outlets_csv": (
        (
            st.lists(st.sampled_from(OUTLET_FIELDS), min_size=0, max_size=5),
            st.lists(st.lists(outlet_value, max_size=6), max_size=4),
            st.sampled_from([",", ";"]),
        ),
        check_outlets_csv,
    ),
}


def _property(name: str, examples: int = 150):
    strategies, check = TARGETS[name]
    return settings(SUITE, max_examples=examples)(given(*strategies)(check))


test_any_bytes_in_any_input_file = _property("file_bytes")
test_text_in_any_encoding = _property("encoded_text")
test_jsonl_lines_of_any_shape = _property("jsonl")
test_hostile_html = _property("html")
test_normalisation_maps_back_to_the_original = _property("normalize")
test_segment_offsets = _property("segments")
test_metadata_extraction = _property("metadata")
test_claim_offsets = _property("claims")
test_outlet_import_json = _property("outlets_json", 60)  # each case merges into the whole registry
test_outlet_import_csv = _property("outlets_csv", 60)


def test_seed_documents_hold_the_properties():
    """The targets on real articles, not only on generated soup."""
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        check_segments(text, "de")
        check_claims(text, {})
        check_encoded_text(text, "utf-16")


def test_bare_scale_word_in_a_text_that_is_not_german():
    """Found by fuzzing: 'Millionen' in a text not detected as German raised KeyError."""
    for text in ("zwei Millionen ", "They said trillions were lost."):
        check_claims(text, {"language": "en"})
    check_claims("Milliarden Menschen sahen zu.", {"language": "fr"})


def test_jsonl_text_with_nul_is_refused_like_a_text_file():
    """Found by fuzzing: a .txt with NUL bytes was refused, the same text in JSONL stored."""
    items = _read(_written("nul.jsonl", b'{"id": "a", "text": "Ein \\u0000 Satz."}\n{"id": "b", "text": "Ein Satz."}\n'))
    assert isinstance(items[0], Problem) and items[0].line == 1 and "NUL" in items[0].message
    assert isinstance(items[1], RawRecord) and items[1].id == "b"


def test_a_string_where_an_outlet_record_belongs_is_a_one_line_problem():
    """Found by fuzz/run.py: a JSON string record was printed as the error message itself."""
    check_outlets_json(["line one\nline two"], None)
    try:
        pipeline.import_outlets(store.open_db(":memory:"), str(_written("strings.json", b'["x\\ny"]')))
    except OutletFileError as error:
        assert error.errors == [f"{_WORKDIR / str(os.getpid()) / 'strings.json'}: record 1: $: not an object"]
    else:
        raise AssertionError("a string record was imported")
