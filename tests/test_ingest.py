import gzip
import json

import pytest

from provenance.ingest import Problem, RawRecord, decode, read_paths

GERMAN = "Die Bundesregierung hat am Montag beschlossen, die Förderung für Elektroautos zu verlängern. „Wir müssen schneller werden“, sagte Wirtschaftsminister Müller – er äußerte sich in Berlin. Größere Städte profitieren."
FRENCH = "Le président français a déclaré mercredi que l'économie était en très bonne santé. « Nous avons réussi », a-t-il ajouté à l'Élysée, où les ministres étaient réunis."
SPANISH = "El presidente español anunció el miércoles una reforma económica. «Es un día histórico», afirmó en Madrid, según informó la agencia de noticias. Añadió que habrá más inversión."
POLISH = "Prezydent Polski powiedział w środę, że gospodarka jest w bardzo dobrej kondycji. Źródła podają, że rząd przygotował nową ustawę o podatkach. Łódź i Kraków zyskają najwięcej."
RUSSIAN = "Президент России заявил в среду, что экономика находится в очень хорошем состоянии. Правительство подготовило новый закон о налогах."


@pytest.mark.parametrize(
    "text,encoding",
    [
        (GERMAN, "utf-8"),
        (GERMAN, "utf-8-sig"),
        (GERMAN, "utf-16"),
        (GERMAN, "utf-16-le"),
        (GERMAN, "utf-16-be"),
        (GERMAN, "utf-32"),
        (GERMAN, "cp1252"),
        (FRENCH, "cp1252"),
        (SPANISH, "cp1252"),
        (SPANISH, "latin-1"),
        (POLISH, "cp1250"),
        (RUSSIAN, "cp1251"),
    ],
)
def test_encodings_are_detected(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n  ", "empty file"),
        ("binary.txt", bytes(range(256)) * 40, "binary file"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 300, "binary file"),
        ("undecodable.md", b"\xff\xfe\xfd" + bytes(range(128, 256)) * 3 + b"\x81\x8d\x8f\x90\x9d", "undecodable"),
    ],
)
def test_bad_files_become_one_problem_each(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    items = list(read_paths([path]))
    assert len(items) == 1 and isinstance(items[0], Problem), items
    assert str(items[0]).startswith(f"{path}: ")
    assert message in str(items[0])


def test_jsonl_bad_lines_name_file_and_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Erster Text. Er ist gut.", "source": "FAZ_Politik", "kind": "news_article"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": 42}),
        "",
        json.dumps({"text": "Ohne id.", "date": None}),
        json.dumps(["a", "list"]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_paths([path]))
    records = [i for i in items if isinstance(i, RawRecord)]
    problems = [str(i) for i in items if isinstance(i, Problem)]
    assert [r.id for r in records] == ["a", "feed-6"]
    assert records[0].given == {"source": "FAZ_Politik"}
    assert records[0].extra == {"kind": "news_article"}
    assert records[0].origin == f"{path}:1"
    assert problems[0].startswith(f"{path}:2: malformed JSON")
    assert problems[1] == f"{path}:3: invalid record: $: 'text' is a required property"
    assert problems[2].startswith(f"{path}:4: invalid record: $.text: 42 is not of type 'string'")
    assert problems[3].startswith(f"{path}:7: invalid record: $: ")
    assert len(problems) == 4


def test_jsonl_gz_streams_and_truncated_gzip_is_reported(tmp_path):
    good = tmp_path / "docs.jsonl.gz"
    with gzip.open(good, "wt", encoding="utf-8") as out:
        for n in range(3):
            out.write(json.dumps({"id": f"d{n}", "text": f"Text Nummer {n}."}) + "\n")
    assert [r.id for r in read_paths([good])] == ["d0", "d1", "d2"]
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(good.read_bytes()[:-12])
    items = list(read_paths([broken]))
    assert isinstance(items[-1], Problem) and "gzip" in str(items[-1])


def test_directories_recurse_in_sorted_order_and_skip_other_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text("# Zwei\n\nText zwei.", encoding="utf-8")
    (tmp_path / "one.txt").write_text("Eins\n\nText eins.", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("versteckt", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert all(isinstance(r, RawRecord) for r in items)
    assert [r.id for r in items] == ["one", "two"]


def test_unsupported_file_named_explicitly_is_a_problem(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    (item,) = read_paths([path])
    assert isinstance(item, Problem) and "unsupported file type" in str(item)


def test_html_main_text_and_metadata(tmp_path):
    html = """<html><head><title>Kasachstan und China | Beispiel</title>
    <meta property="og:title" content="Kasachstan und China vertiefen Zusammenarbeit">
    <meta property="article:published_time" content="2024-07-04T10:00:00Z">
    <link rel="canonical" href="https://example.org/news/2024-07-04/kasachstan">
    </head><body><nav>Startseite Politik Wirtschaft</nav>
    <article><h1>Kasachstan und China vertiefen Zusammenarbeit</h1>
    <p>Der chinesische Präsident Xi Jinping hat Kasachstan besucht. Beide Länder wollen ihren Handel verdoppeln, erklärte Xi am Mittwoch in Astana vor Journalisten.</p>
    <p>Im Jahr 2023 stieg der Handel um 32 Prozent auf 41 Milliarden US-Dollar, teilte die Regierung mit. Kasachstan liefert vor allem Rohöl und Metalle.</p>
    </article><footer>Impressum Datenschutz</footer></body></html>"""
    path = tmp_path / "artikel.html"
    path.write_text(html, encoding="utf-8")
    (record,) = read_paths([path])
    assert isinstance(record, RawRecord), record
    assert "41 Milliarden US-Dollar" in record.text
    assert "Impressum" not in record.text
    assert record.given["title"] == "Kasachstan und China vertiefen Zusammenarbeit"
    assert record.given["date"].startswith("2024-07-04")
    assert record.given["url"] == "https://example.org/news/2024-07-04/kasachstan"
