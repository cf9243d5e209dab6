"""Reports: the JSON schema against real output, and Markdown pages that are correct, safe and stable."""

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

from provenance import pipeline, report, store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "derivation"
SOURCE_ID = "000_9adfba21b048cf0a"
DERIVATIVE_ID = "001_45da5be54d483bbf"

HOSTILE_TEXT = (
    "# heading\n"
    "<script>alert(1)</script> and <img src=x onerror=alert(2)>\n"
    "| pipes | in | a | row |\n"
    "```\ncode fence\n```\n"
    "`inline code` **bold** _under_ ~~strike~~ $x$ &amp; \\ back\\slash\n"
    "[click me](javascript:alert(3)) ![img](http://example.invalid/x.png) <http://example.invalid>\n"
    "- list item\n"
    "1. numbered\n"
    "> quote\n"
    "---\n"
    "zero\u200bwidth \u202eoverride\x00nul\x1bescape"
)


@pytest.fixture(scope="module")
def seed_audit(tmp_path_factory):
    """The real report object of the seeds and derivation fixtures, with the texts it points into."""
    db = store.open_db(tmp_path_factory.mktemp("audit") / "x.db")
    result = pipeline.audit([SEEDS, FIXTURES], db)
    texts = {row["id"]: row["text"] for row in db.query("select id, text from documents")}
    return result, texts


@pytest.fixture(scope="module")
def seed_reports(seed_audit, tmp_path_factory):
    result, texts = seed_audit
    out = tmp_path_factory.mktemp("reports")
    paths = report.write_reports(result, texts, out)
    return out, paths


def _document(doc_id, title=None):
    return {"id": doc_id, "title": title, "source": None, "outlet": None, "url": None, "date": None,
            "language": "en", "dateline": None, "wire_credit": None, "author": None, "segments": 1}


def _derivation(derivative, source, derivative_len, source_len, relation="copy", kind="verbatim"):
    return {
        "derivative": derivative, "source": source, "relation": relation, "score": 0.9, "coverage": 0.9,
        "source_coverage": 0.9, "verbatim_share": 0.9, "direction": {"confidence": 0.5, "reasons": ["a reason"]},
        "attributed": False, "attribution": {"credits": [], "names_wrong_outlet": False},
        "passages": [{"kind": kind, "derivative_start": 0, "derivative_end": derivative_len,
                      "source_start": 0, "source_end": source_len, "similarity": 1.0}],
        "review": None,
    }


def _synthetic(ids: list[str], text: str) -> tuple[dict, dict]:
    """A small valid report: every id after the first copies the first, all with `text`."""
    documents = [_document(i, title=text.splitlines()[0] if text else None) for i in ids]
    derivations = [_derivation(i, ids[0], len(text), len(text)) for i in ids[1:]]
    claims = [{"id": f"{ids[1]}:0", "document": ids[1], "text": text, "start": 0, "end": len(text), "kind": "other",
               "slots": {}, "status": "drifted", "checked_against": ids[0],
               "source": {"document": ids[0], "start": 0, "end": len(text), "text": text},
               "drift": [{"type": "quote", "value": text, "source_value": "<b>original</b>"}]}]
    credibility = [{"document": i, "outlet": None, "distributor": None, "score": 50,
                    "signals": [{"name": "unattributed_reuse", "severity": "high", "evidence": [{"text": text}],
                                 "explanation": text}]} for i in ids]
    rep = {"documents": documents, "derivations": derivations, "related": [],
           "origins": {i: [ids[0]] for i in ids}, "claims": claims, "credibility": credibility}
    return rep, {i: text for i in ids}


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- schema --------------------------------------------------------------------------------------


def test_report_schema_is_valid_draft_2020_12():
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_real_report_validates(seed_audit):
    result, _ = seed_audit
    assert result["derivations"] and result["claims"] and result["credibility"]
    assert report.validate_report(result) == []
    # and after a JSON round trip, as `audit --json` prints it
    assert report.validate_report(json.loads(json.dumps(result))) == []


def test_a_wrong_type_is_rejected(seed_audit):
    broken = copy.deepcopy(seed_audit[0])
    broken["derivations"][0]["coverage"] = "most of it"
    broken["documents"][0]["segments"] = "27"
    assert report.validate_report(broken) == [
        "$.derivations[0].coverage: 'most of it' is not of type 'number'",
        "$.documents[0].segments: '27' is not of type 'integer'",
    ]


def test_an_unknown_relation_is_rejected(seed_audit):
    broken = copy.deepcopy(seed_audit[0])
    broken["derivations"][0]["relation"] = "plagiarism"
    errors = report.validate_report(broken)
    assert len(errors) == 1 and errors[0].startswith("$.derivations[0].relation: 'plagiarism' is not one of")


@pytest.mark.parametrize(
    "path, value",
    [
        (("related", 0, "reason"), "gossip"),
        (("claims", 0, "status"), "true"),
        (("credibility", 0, "signals", 0, "severity"), "critical"),
        (("derivations", 0, "passages", 0, "kind"), "quote"),
        (("derivations", 0, "score"), 1.5),
        (("documents", 0, "outlet", "state_affiliation"), "state-friendly"),
        (("documents", 0, "date"), "3 July 2024"),
    ],
)
def test_vocabularies_and_ranges_are_enforced(seed_audit, path, value):
    broken = copy.deepcopy(seed_audit[0])
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    errors = report.validate_report(broken)
    assert errors and errors[0].startswith("$." + ".".join(f"{k}" if isinstance(k, str) else f"[{k}]" for k in path).replace(".[", "["))


def test_missing_keys_and_dangling_ids_are_rejected(seed_audit):
    broken = copy.deepcopy(seed_audit[0])
    del broken["origins"]
    assert report.validate_report(broken) == ["$: 'origins' is a required property"]
    broken = copy.deepcopy(seed_audit[0])
    broken["derivations"][0]["source"] = "nowhere"
    broken["derivations"][0]["passages"][0]["source_start"] = 10**6
    assert report.validate_report(broken) == [
        "$.derivations[0].passages[0]: start 1000000 is after end " + str(broken["derivations"][0]["passages"][0]["source_end"]),
        "$.derivations[0].source: 'nowhere' is not a document of this report",
    ]


def test_extra_keys_and_reviews_are_allowed(seed_audit):
    extended = copy.deepcopy(seed_audit[0])
    extended["something_new"] = {"x": 1}
    extended["derivations"][0]["review"] = {"verdict": "rejected", "note": "same event", "at": "2024-07-04T10:00:00"}
    assert report.validate_report(extended) == []
    extended["derivations"][0]["review"]["verdict"] = "maybe"
    assert report.validate_report(extended)[0].startswith("$.derivations[0].review")


# --- Markdown: content ---------------------------------------------------------------------------


def test_index_names_the_seed_derivation(seed_reports):
    out, paths = seed_reports
    index = (out / "index.md").read_text(encoding="utf-8")
    assert out / "index.md" in paths
    row = next(line for line in index.splitlines() if line.startswith(f"| [") and "(documents/001_45da5be54d483bbf.md) ←" in line)
    assert "(documents/000_9adfba21b048cf0a.md)" in row and "| paraphrase |" in row and "| **no** |" in row
    assert "```mermaid" in index and "n0 -->" in index
    assert "| CGTN | broadcaster | state-controlled |" in index
    assert "state-controlled: 4" in index  # the four derived fixtures all trace back to CGTN
    # the chain seed → rewrite → rewrite of the rewrite
    assert re.search(r"000\\_9adfba21b048cf0a\)\]\([^)]*\) → .*001\\_45da5be54d483bbf.* → .*rewrite\\_of\\_rewrite", index)


def test_seed_derivative_report_shows_drift_and_side_by_side_passages(seed_reports, seed_audit):
    out, _ = seed_reports
    page = (out / "documents" / f"{DERIVATIVE_ID}.md").read_text(encoding="utf-8")
    _, texts = seed_audit
    assert "## Drift" in page
    drift = page.split("## Drift", 1)[1].split("## Claims", 1)[0]
    assert "this text says **Peking**" in drift and "says **Kasachstan \\(Astana\\)**" in drift
    assert "claim [468–620]" in drift and "source passage [434–846]" in drift
    assert "**Score: 0 / 100**" in page and "unattributed\\_reuse" in page
    assert "#### Aligned passages" in page and "| # | kind | similarity | this text | source |" in page
    row = next(line for line in page.splitlines() if line.startswith("| ") and "[468–620]" in line and "[434–846]" in line)
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 5
    assert "in Peking deutlich." in cells[3] and "**kasachischen Präsidenten Kassym-Jomart Tokajew**" in cells[3]
    assert "Bei seinem fünften Besuch in Kasachstan" in cells[4]
    assert texts[DERIVATIVE_ID][468:620].startswith("Dies wurde")


def test_a_page_for_every_document_with_a_derivation_drift_or_signal(seed_reports, seed_audit):
    out, paths = seed_reports
    result, _ = seed_audit
    pages = {p.name for p in paths if p.parent.name == "documents"}
    for d in result["derivations"]:
        assert f"{d['derivative']}.md" in pages and f"{d['source']}.md" in pages
    source_page = (out / "documents" / f"{SOURCE_ID}.md").read_text(encoding="utf-8")
    assert "## Reused by" in source_page and "(copy_wire.md)" in source_page


def test_no_page_for_a_quiet_document():
    rep, texts = _synthetic(["a", "b"], "same text here")
    rep["documents"].append(_document("quiet"))
    rep["origins"]["quiet"] = ["quiet"]
    rep["credibility"].append({"document": "quiet", "outlet": None, "distributor": None, "score": 100,
                               "signals": [{"name": "missing_byline", "severity": "info", "evidence": [], "explanation": "x"}]})
    assert report.validate_report(rep) == []
    assert set(report.document_paths(rep)) == {"a", "b"}


def test_rejected_review_is_shown_as_such(tmp_path):
    rep, texts = _synthetic(["src", "copy"], "words words words")
    rep["derivations"][0]["review"] = {"verdict": "rejected", "note": "independent", "at": "2024-07-04"}
    report.write_reports(rep, texts, tmp_path)
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "✗ rejected: independent" in index and "~~copy~~" in index and "-.->" in index
    assert "| unattributed derivations | 0 |" in index  # a rejected derivation is no reuse to count
    assert "rejected by a reviewer" in (tmp_path / "documents" / "copy.md").read_text(encoding="utf-8")


def test_graph_keeps_the_biggest_chains(tmp_path):
    ids = [f"hub{i}" for i in range(3)]
    rep = {"documents": [], "derivations": [], "related": [], "origins": {}, "claims": [], "credibility": []}
    for n, hub in enumerate(ids):
        rep["documents"].append(_document(hub))
        for k in range(40 - 15 * n):  # groups of 40, 25 and 10 derivations
            child = f"{hub}_c{k}"
            rep["documents"].append(_document(child))
            rep["derivations"].append(_derivation(child, hub, 0, 0))
    edges = report.graph_edges(report._Corpus(rep, {}))
    assert len(edges) == 50 and {d["source"] for d in edges} == {"hub0", "hub2"}
    index = report.render_index(rep)
    assert index.count(" -->|") == 50 and "The 50 derivations of the biggest chains, of 75 in all." in index


# --- Markdown: safety and determinism ------------------------------------------------------------


def test_hostile_ids_stay_inside_out_dir(tmp_path):
    hostile = ["../../etc/passwd", "a/b", "nul\x00id", "x" * 10_000, "..", "CON", "A/B", "a_b", "/abs", "C:\\x"]
    rep, texts = _synthetic(["origin", *hostile], "plain text")
    assert report.validate_report(rep) == []
    out = tmp_path / "out"
    paths = report.write_reports(rep, texts, out)
    assert len(paths) == 1 + 1 + len(hostile)  # index, origin, every hostile id: no two share a file
    root = out.resolve()
    for path in paths:
        assert path.resolve().is_relative_to(root)
        assert path.name == "index.md" or path.parent.resolve() == root / "documents"
        assert len(path.name) < 100 and "\x00" not in path.name and path.name.endswith(".md")
        assert not path.name.startswith(".")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert {p.name for p in (out / "documents").iterdir()} == {p.name for p in paths if p.parent.name == "documents"}
    index = (out / "index.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\((documents/[^)]*)\)", index):
        assert re.fullmatch(r"documents/[A-Za-z0-9._-]+\.md", link) and (out / link).is_file()


def test_slug_is_stable_and_safe():
    assert report.slug("001_45da5be54d483bbf") == "001_45da5be54d483bbf"
    assert report.slug("../../etc/passwd") == report.slug("../../etc/passwd")
    assert report.slug("../../etc/passwd").startswith("etc_passwd-")
    assert report.slug("a/b") != report.slug("a_b")
    assert report.slug("..").startswith("document-")
    assert report.slug("nul").startswith("nul-")


def test_planted_symlink_is_replaced_not_followed(tmp_path):
    rep, texts = _synthetic(["src", "copy"], "text")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (tmp_path / "out" / "documents").mkdir(parents=True)
    (tmp_path / "out" / "documents" / "copy.md").symlink_to(outside)
    report.write_reports(rep, texts, tmp_path / "out")
    assert outside.read_text() == "keep me"
    assert not (tmp_path / "out" / "documents" / "copy.md").is_symlink()


def _unescaped(page: str, char: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\\)" + re.escape(char), page)]


def test_hostile_text_is_escaped(tmp_path):
    rep, texts = _synthetic(["src", "<b>copy</b> | `x` # [y](javascript:z)"], HOSTILE_TEXT)
    rep["documents"][1]["url"] = "javascript:alert(1)"
    report.write_reports(rep, texts, tmp_path)
    pages = [(tmp_path / "documents" / name).read_text(encoding="utf-8") for name in sorted(p.name for p in (tmp_path / "documents").iterdir())]
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    for page in [*pages, index]:
        assert "<script" not in page and "<img" not in page and "<b>" not in page and "<http" not in page
        assert "&lt;script&gt;" in page or page is index
        assert "](javascript" not in page and "](http" not in page
        body = page.split("```mermaid")[0] + (page.split("```", 2)[2] if "```mermaid" in page else "")
        assert _unescaped(body, "`") == []  # no code spans or fences from the article
        assert _unescaped(body, "~") == [] and _unescaped(body, "$") == []
        assert "\x00" not in page and "\u202e" not in page and "\x1b" not in page
        for line in page.splitlines()[1:]:  # the first line is the generator's marker comment
            assert not line.startswith(("# heading", "> quote", "- list item", "1. numbered", "---", "<"))
    page = pages[0]
    assert "⟨U+202E⟩override" in page and "⟨U+0000⟩nul" in page
    assert "\\| pipes \\| in \\| a \\| row \\|" in page
    assert "&amp;amp;" in page  # an entity in the article shows as written, not decoded
    for table in re.findall(r"((?:^\|.*\n)+)", page, flags=re.M):
        rows = table.splitlines()
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, table


def test_hostile_text_renders_inert_with_a_real_markdown_parser(tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    rep, texts = _synthetic(["src", "copy"], HOSTILE_TEXT)
    report.write_reports(rep, texts, tmp_path)
    md = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for path in sorted((tmp_path / "documents").iterdir()):
        html = md.render(path.read_text(encoding="utf-8"))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "| pipes | in | a | row |" in html
        assert "[click me](javascript:alert(3))" in html and "`inline code` **bold** _under_ ~~strike~~" in html
        assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
        assert "<h1>heading" not in html and "<code>" not in html and "<pre>" not in html
        assert "<blockquote>" not in html and "<hr" not in html and "<del>" not in html


def test_escape():
    assert report.escape("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert report.escape("a | b") == "a \\| b"
    assert report.escape("# x") == "\\# x"
    assert report.escape("`x` *y* _z_ [l](u) ![i](s)") == "\\`x\\` \\*y\\* \\_z\\_ \\[l\\]\\(u\\) \\!\\[i\\]\\(s\\)"
    assert report.escape("line\nwrapped\n\nnew paragraph") == "line wrapped<br>new paragraph"
    assert report.escape("a\x00b\u202ec") == "a⟨U+0000⟩b⟨U+202E⟩c"
    assert report.escape(None) == ""
    assert report.escape_line("one\n\ntwo", limit=5) == "one…"


def test_writing_twice_gives_identical_bytes(seed_audit, tmp_path):
    result, texts = seed_audit
    first = report.write_reports(result, texts, tmp_path / "one")
    again = report.write_reports(copy.deepcopy(result), dict(texts), tmp_path / "one")
    report.write_reports(json.loads(json.dumps(result)), texts, tmp_path / "two")
    assert [p.relative_to(tmp_path / "one") for p in first] == [p.relative_to(tmp_path / "one") for p in again]
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    shuffled = dict(result, derivations=list(reversed(result["derivations"])), claims=list(reversed(result["claims"])),
                    documents=list(reversed(result["documents"])))
    report.write_reports(shuffled, texts, tmp_path / "three")
    assert _tree(tmp_path / "one") == _tree(tmp_path / "three")
    assert not any(re.search(rb"20\d\d-\d\d-\d\dT\d\d:\d\d", data) for data in _tree(tmp_path / "one").values())


def test_pages_of_documents_that_no_longer_need_one_are_removed(tmp_path):
    rep, texts = _synthetic(["src", "copy", "other"], "text")
    report.write_reports(rep, texts, tmp_path)
    (tmp_path / "documents" / "notes.md").write_text("mine")
    rep["derivations"] = rep["derivations"][:1]
    rep["credibility"] = [c for c in rep["credibility"] if c["document"] != "other"]
    report.write_reports(rep, texts, tmp_path)
    assert sorted(p.name for p in (tmp_path / "documents").iterdir()) == ["copy.md", "notes.md", "src.md"]


def test_long_chains_and_cycles_do_not_break_the_report(tmp_path):
    ids = [f"d{i}" for i in range(1500)]
    rep = {"documents": [_document(i) for i in ids], "related": [], "claims": [], "credibility": [],
           "derivations": [_derivation(ids[i + 1], ids[i], 0, 0) for i in range(len(ids) - 1)],
           "origins": {i: ["d0"] for i in ids}}
    rep["derivations"].append(_derivation("d0", "d1499", 0, 0))  # a cycle, as a bad run might produce
    rep["origins"]["d0"] = ["d0"]
    paths = report.write_reports(rep, {}, tmp_path)
    assert len(paths) == 1 + len(ids)
    assert "_(text not available)_" in (tmp_path / "documents" / "d1.md").read_text(encoding="utf-8")


def test_audit_and_report_commands_write_the_markdown(run, seeds, tmp_path):
    result = run("audit", seeds, "--report-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("derivative "))
    assert header.split() == ["derivative", "source", "relation", "coverage", "attributed", "direction", "review",
                              "source", "outlet"]
    (row,) = [line for line in lines if line.startswith("001_45da5be54d483bbf ")]
    assert row.split()[:5] == ["001_45da5be54d483bbf", "000_9adfba21b048cf0a", "paraphrase", "77%", "no"]
    assert row.endswith("CGTN (state-controlled)")
    assert "3 report files written:" in lines
    assert lines[lines.index("3 report files written:") + 1].strip() == str(tmp_path / "out" / "index.md")
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "001_45da5be54d483bbf" in index and "paraphrase" in index
    first = sorted((tmp_path / "out").rglob("*.md"))
    again = run("report", "--report-dir", tmp_path / "out")
    assert again.exit_code == 0 and "report files" in again.stdout
    assert sorted((tmp_path / "out").rglob("*.md")) == first
    assert (tmp_path / "out" / "index.md").read_text(encoding="utf-8") == index


def test_review_verdicts_survive_reruns_and_show_in_reports(run, seeds, tmp_path):
    run("audit", seeds, "--report-dir", tmp_path / "out")
    result = run("review", "001_45da5be54d483bbf", "000_9adfba21b048cf0a", "--verdict", "confirmed",
                 "--note", "checked sentence by sentence")
    assert result.exit_code == 0
    report = json.loads(run("audit", seeds, "--json", "--report-dir", tmp_path / "out").stdout)
    (d,) = report["derivations"]
    assert d["review"]["verdict"] == "confirmed" and d["review"]["note"] == "checked sentence by sentence"
    assert "confirmed" in (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert run("review", "001_45da5be54d483bbf", "000_9adfba21b048cf0a", "--verdict", "maybe").exit_code == 2


def test_terminal_table_keeps_each_cell_on_one_line():
    lines = report.text_table(["a", "b"], [["x\ny", "1"], ["z" * 50, "22"]], right={1}, width=10)
    assert lines == ["a            b", "x y          1", "zzzzzzzzz…  22"]


def test_readme_links_to_the_committed_example_report():
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((reports/[^)\s]+)\)", readme)
    assert "reports/example/index.md" in links
    for link in links:
        assert (root / link).is_file(), link
    index = (root / "reports" / "example" / "index.md").read_text(encoding="utf-8")
    assert "001\\_45da5be54d483bbf" in index and "paraphrase" in index


def test_a_shared_passage_is_quoted_on_the_related_documents_page(tmp_path):
    """Texts of four outlets on four days carry one standing sentence: each page quotes, under
    its related pairs, the passage its text shares, cut from its own text."""
    standing = (
        "Der Pegel des Flusses wird an der Messstelle unterhalb der alten Eisenbahnbrücke gemessen und alle "
        "fünfzehn Minuten von der Landesanstalt für Umwelt im Netz veröffentlicht."
    )
    stories = [
        "Die Fähre nach Unterau fährt wegen des Hochwassers erst am Mittwoch wieder.",
        "Der Ruderclub sagt seine Regatta ab, das Ufer ist noch immer überschwemmt.",
        "Die Feuerwehr hat in der Nacht zwei Keller in der Altstadt leergepumpt.",
        "Der Campingplatz am Altarm bleibt bis zum Wochenende gesperrt, teilt die Stadt mit.",
    ]
    records = [
        {"id": f"pegel{n}", "source": f"Anzeiger{n}", "date": f"2023-02-{4 + 2 * n:02d}", "text": f"Hochwasser, Tag {n}\n{story} {standing}"}
        for n, story in enumerate(stories)
    ]
    path = tmp_path / "pegel.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    result = pipeline.audit([str(path)], store.open_db(tmp_path / "p.db"))
    assert {r["reason"] for r in result["related"]} == {"other"}
    page = report.render_document(result, {r["id"]: r["text"] for r in records}, "pegel0")
    quoted = [line for line in page.splitlines() if line.startswith("  > ")]
    assert len(quoted) == 3
    assert all(line == "  > " + report.escape_line(standing.rstrip(".")) for line in quoted)
