"""Derivation on real text: the seed pair, hard negatives and known positives we wrote ourselves."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import provenance
from provenance import candidates, credibility, derivation, pipeline, store
from provenance.cli import cli
from provenance.report import basis, write_reports

from .conftest import DERIVATIVE_ID, ROOT, SEEDS, SOURCE_ID

FIXTURES = ROOT / "tests" / "fixtures" / "derivation"
NEGATIVES = ["negative_same_event_1", "negative_same_event_2", "negative_same_event_3", "negative_other_topic"]


def overlaps(a, b, c, d):
    return a < d and c < b


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory):
    db = store.open_db(tmp_path_factory.mktemp("corpus") / "corpus.db")
    return pipeline.audit([str(SEEDS), str(FIXTURES)], db)


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    db = store.open_db(tmp_path_factory.mktemp("seeds") / "seeds.db")
    return pipeline.audit([str(SEEDS)], db)


def derivation_of(report, derivative, source):
    found = [d for d in report["derivations"] if d["derivative"] == derivative and d["source"] == source]
    return found[0] if found else None


def test_seed_pair_is_a_paraphrase_in_the_right_direction(seed_report):
    assert len(seed_report["derivations"]) == 1
    d = seed_report["derivations"][0]
    assert (d["derivative"], d["source"], d["relation"]) == (DERIVATIVE_ID, SOURCE_ID, "paraphrase")
    assert d["direction"]["confidence"] > 0.5
    assert any("ots/PRNewswire" in reason for reason in d["direction"]["reasons"])
    assert d["coverage"] > 0.6 and d["verbatim_share"] < 0.1
    assert seed_report["origins"] == {SOURCE_ID: [SOURCE_ID], DERIVATIVE_ID: [SOURCE_ID]}


def test_every_high_confidence_gold_pair_is_aligned(seed_report, gold):
    passages = seed_report["derivations"][0]["passages"]
    for pair in gold["aligned_sentences"]:
        if pair["confidence"] != "high":
            continue
        a, b = pair["derivative_span"]
        hits = [p for p in passages if overlaps(a, b, p["derivative_start"], p["derivative_end"])]
        assert any(
            overlaps(s, e, p["source_start"], p["source_end"]) for p in hits for s, e in pair["source_spans"]
        ), pair["derivative_anchor"]


@pytest.mark.parametrize(
    "anchor",
    [
        "Diese Entwicklung zeigt das enorme Potenzial",
        "Die Zukunft der bilateralen Beziehungen scheint vielversprechend",
        # shares every name with the source's arrival sentence, which the rewrite's own report
        # of the meeting ('Dies wurde bei einem Treffen…') retells more closely
        "Das Treffen zwischen Xi Jinping und Kassym-Jomart Tokajew markiert",
    ],
)
def test_certain_filler_is_not_aligned(seed_report, gold, anchor):
    (filler,) = [f for f in gold["filler"]["certain"] if f["anchor"].startswith(anchor)]
    a, b = filler["span"]
    for p in seed_report["derivations"][0]["passages"]:
        assert not overlaps(a, b, p["derivative_start"], p["derivative_end"]), filler["anchor"]


HARBOUR_RECORD = (
    "Der Hamburger Hafen hat im ersten Halbjahr 4,2 Millionen Standardcontainer umgeschlagen, mehr als in jedem "
    "Halbjahr davor, teilte die Hafenbehörde am Dienstag in Hamburg mit. Vor allem der Verkehr mit Skandinavien und dem "
    "Baltikum legte zu. Die Reedereien führen das Wachstum auf die neuen Liegeplätze am Terminal Tollerort zurück. "
    "Der Wirtschaftssenator sprach von einem starken Signal für den Standort."
)
HARBOUR_RECORD_RETOLD = (
    "Im ersten Halbjahr hat der Hamburger Hafen 4,2 Millionen Standardcontainer umgeschlagen. "
    "Das sind so viele wie nie, teilte die Behörde mit. "
    "Zugelegt hat vor allem der Verkehr mit Skandinavien und dem Baltikum. "
    "Als Grund nennen die Reedereien die neuen Liegeplätze am Terminal Tollerort. "
    "Ein starkes Signal für den Standort sei das, sagte der Wirtschaftssenator. "
    "Der Hamburger Hafen bleibt ein Motor für die ganze Region."
)


def test_a_rewrite_retells_each_source_sentence_once():
    """The rewrite splits the source's first sentence in two and retells the rest in order, then
    adds a line of praise that shares the harbour's name with that first sentence. Both halves
    of the split align with it (neighbours); the praise, far from the sentence that retells it
    closely, only shares its topic: not aligned, but kept as on the source's topic."""
    from provenance import align, terms
    from provenance.ingest import RawRecord

    def units(text):
        return terms.units(pipeline.analyse(RawRecord(id="x", text=text, origin="x", format="txt", given={}))[0])

    found = align.align(units(HARBOUR_RECORD_RETOLD), units(HARBOUR_RECORD))
    assert sorted((d, s) for d, s, _ in found.sentence_pairs) == [(0, 0), (1, 0), (2, 1), (3, 2), (4, 3)]
    assert found.loose_units == [5]


def test_debris_is_never_aligned(seed_report, gold):
    for debris in gold["debris"]:
        a, b = debris["span"]
        for p in seed_report["derivations"][0]["passages"]:
            assert not overlaps(a, b, p["derivative_start"], p["derivative_end"])


def test_passages_point_into_both_originals(seed_report, source_text, derivative_text):
    for p in seed_report["derivations"][0]["passages"]:
        assert 0 <= p["derivative_start"] < p["derivative_end"] <= len(derivative_text)
        assert 0 <= p["source_start"] < p["source_end"] <= len(source_text)
        assert p["kind"] in ("verbatim", "paraphrase") and 0 < p["similarity"] <= 1


@pytest.mark.parametrize("negative", NEGATIVES)
def test_independent_reports_are_not_derived(corpus_report, negative):
    for d in corpus_report["derivations"]:
        assert negative not in (d["derivative"], d["source"]), d


@pytest.mark.parametrize("negative", NEGATIVES[:3])
def test_same_event_reports_are_related_to_the_seeds(corpus_report, negative):
    reasons = {tuple(r["documents"]): r["reason"] for r in corpus_report["related"]}
    assert reasons[tuple(sorted((SOURCE_ID, negative)))] == "same_event"


def test_unrelated_story_is_not_even_related(corpus_report):
    for r in corpus_report["related"]:
        assert "negative_other_topic" not in r["documents"]


def test_known_positives(corpus_report):
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    for case in expected:
        doc = Path(case["file"]).stem
        sources = sorted(d["source"] for d in corpus_report["derivations"] if d["derivative"] == doc)
        assert sources == sorted(case["derived_from"]), doc
        for source in case["derived_from"]:
            assert derivation_of(corpus_report, doc, source)["relation"] == case["relation"], doc


def test_chains_and_siblings(corpus_report):
    assert corpus_report["origins"]["rewrite_of_rewrite"] == [SOURCE_ID]
    assert corpus_report["origins"]["copy_wire"] == [SOURCE_ID]
    reasons = {tuple(r["documents"]): r for r in corpus_report["related"]}
    siblings = reasons[(DERIVATIVE_ID, "copy_wire")]
    assert siblings["reason"] == "common_source" and siblings["common_source"] == SOURCE_ID
    assert reasons[(SOURCE_ID, "rewrite_of_rewrite")]["reason"] == "other"


def test_audit_is_incremental_and_idempotent(tmp_path):
    db = store.open_db(tmp_path / "inc.db")
    pipeline.audit([str(SEEDS)], db)
    first = db.execute("select count(*) from comparisons").fetchone()[0]
    assert first == 1
    report = pipeline.audit([str(FIXTURES / "copy_wire.txt")], db)
    runs = list(db["runs"].rows_where(order_by="id"))
    compared = json.loads(runs[-1]["counts"])["comparisons"]["pairs"]
    assert compared == 2  # the new article against the two stored ones, nothing else
    again = pipeline.audit([str(SEEDS), str(FIXTURES / "copy_wire.txt")], db)
    assert json.loads(list(db["runs"].rows_where(order_by="id desc", limit=1))[0]["counts"])["comparisons"]["pairs"] == 0
    assert again["derivations"] == report["derivations"]


def test_candidate_index_proposes_the_paraphrase_and_skips_unrelated(tmp_path):
    db = store.open_db(tmp_path / "cand.db")
    pipeline.ingest(db, [str(SEEDS), str(FIXTURES / "negative_other_topic.txt")])
    anchors = store.load_anchors(db)
    index = candidates.AnchorIndex()
    for doc_id in sorted(anchors):
        index.add(doc_id, anchors[doc_id])
    proposed = [doc for doc, _ in index.candidates(DERIVATIVE_ID, anchors[DERIVATIVE_ID])]
    assert proposed == [SOURCE_ID]


def test_the_corpus_index_holds_only_shared_terms_and_proposes_the_same_pairs(tmp_path):
    """`load_anchors(shared_only=True)`, what a corpus analysis holds in memory, leaves out the
    terms of one document only: every document is still there, the candidates of every document
    and the formula prints are those of the whole index."""
    db = store.open_db(tmp_path / "shared.db")
    pipeline.ingest(db, [str(SEEDS), str(FIXTURES)])
    whole, shared = store.load_anchors(db), store.load_anchors(db, shared_only=True)
    assert sorted(shared) == sorted(whole)
    users: dict[str, int] = {}
    for terms in whole.values():
        for term in terms:
            users[term] = users.get(term, 0) + 1
    assert {doc: [t for t in terms if users[t] > 1] for doc, terms in whole.items()} == shared
    assert any(users[t] == 1 for terms in whole.values() for t in terms)

    def proposals(anchors):
        index = candidates.AnchorIndex()
        for doc_id in sorted(anchors):
            index.add(doc_id, anchors[doc_id])
        return {doc_id: index.candidates(doc_id, anchors[doc_id]) for doc_id in sorted(anchors)}

    assert proposals(shared) == proposals(whole)
    assert any(proposals(whole).values())
    dates, sources = store.dates_and_sources(db)
    assert candidates.formula_prints(shared, dates, sources) == candidates.formula_prints(whole, dates, sources)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_posting_arrays_propose_exactly_what_the_anchor_index_proposes(seed):
    """`PostingArrays`, which the corpus analysis queries, against `AnchorIndex` term by term:
    the same candidates in the same order with the same summed idf to the last bit, on random
    anchors drawn from a small vocabulary (many candidates tie, and sums of different idfs come
    within a rounding of each other), with terms above the cap, terms of one document, passage
    prints and documents without anchors."""
    import random

    rng = random.Random(seed)
    common = [f"w{i}" for i in range(12)]          # in most documents: above the cap of 50
    rare = [f"r{i}" for i in range(150)] + [f"{candidates.PASSAGE_PRINT}{i:016x}" for i in range(80)]
    anchors = {
        f"d{n:03d}": rng.sample(common, rng.randrange(0, 12)) + rng.sample(rare, rng.randrange(0, 40))
        for n in range(300)
    }
    anchors["d999"] = []
    index = candidates.AnchorIndex()
    for document_id in sorted(anchors):
        index.add(document_id, anchors[document_id])
    arrays = candidates.PostingArrays(anchors)
    expected = {d: index.candidates(d, anchors[d]) for d in sorted(anchors)}
    assert {d: arrays.candidates(d) for d in sorted(anchors)} == expected
    assert sum(len(found) for found in expected.values()) > 1000
    assert arrays.candidates("not indexed") == [] and expected["d999"] == []
    # A corpus smaller than the cap (every term is in at most every document).
    small = {"a": ["x", "y", "z", "v"], "b": ["x", "y", "z", "v"], "c": ["x"]}
    tiny = candidates.AnchorIndex()
    for document_id in sorted(small):
        tiny.add(document_id, small[document_id])
    assert candidates.PostingArrays(small).candidates("a") == tiny.candidates("a", small["a"]) == [("b", pytest.approx(3 * candidates.idf(3, 2) + candidates.idf(3, 3)))]


def test_the_anchor_cap_stops_growing_with_the_corpus():
    """A term shared by more documents than the cap proposes nothing; the cap follows the corpus
    (2 %) only up to a fixed ceiling, so a query's postings stay bounded and the candidate stage
    grows linearly with the corpus instead of with its square. 'kanzleramt' (350 of 20,000
    documents) was within the old cap of 2 %."""
    assert [candidates.df_cap(n) for n in (100, 13_523, 15_000, 100_000, 10_000_000)] == [50, 270, 300, 300, 300]
    index = candidates.AnchorIndex()
    for n in range(20_000):
        terms = (["kanzleramt"] if n < 350 else ["bundestag"]) + (["Rinderwahn", "Gülleverordnung", "Kreistag", "Bürgerbegehren"] if n < 2 else [])
        index.add(f"doc{n:05}", terms)
    assert index.df_cap() == 300
    assert index.candidates("doc00000", ["kanzleramt", "Rinderwahn", "Gülleverordnung", "Kreistag", "Bürgerbegehren"]) == [
        ("doc00001", pytest.approx(4 * candidates.idf(20_000, 2)))
    ]
    arrays = candidates.PostingArrays({document_id: index.documents[document_id] for document_id in index.documents})
    assert arrays.candidates("doc00000") == index.candidates("doc00000", index.documents["doc00000"])


def test_python_compare_api(source_text, derivative_text):
    verdict = provenance.compare(derivative_text, source_text, "rewrite", "release")
    assert verdict["kind"] == "derivation" and verdict["relation"] == "paraphrase"
    assert (verdict["derivative"], verdict["source"]) == ("rewrite", "release")
    for p in verdict["passages"]:
        assert p["derivative_text"] == derivative_text[p["derivative_start"]:p["derivative_end"]]


RKI_LINES = (
    "Das Robert Koch-Institut hat am Mittwochmorgen {new} Corona-Neuinfektionen binnen eines Tages gemeldet, wie aus "
    "Zahlen hervorgeht, die den Stand des Dashboards von 04.10 Uhr wiedergeben. Vor genau einer Woche hatte der Wert "
    "bei {before} Ansteckungen gelegen."
)


def test_a_run_of_words_holds_across_house_styles_of_figures():
    """An agency's "24.329" printed as "24 329" by the outlet taking its copy is the same run of
    words: the verbatim evidence is what it is when both print the figures alike."""
    agency = "Berlin (dpa) - " + RKI_LINES.format(new="24.329", before="18.044")
    alike = "Corona-Lage: " + RKI_LINES.format(new="24.329", before="18.044") + " Die Inzidenz sank leicht."
    restyled = "Corona-Lage: " + RKI_LINES.format(new="24\u202f329", before="18 044") + " Die Inzidenz sank leicht."
    same = provenance.compare(agency, alike)["evidence"]
    styled = provenance.compare(agency, restyled)["evidence"]
    assert styled["longest_verbatim_words"] == same["longest_verbatim_words"] == 36
    assert styled["verbatim_share"] == same["verbatim_share"]


def test_compare_files_needs_no_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["compare", str(SEEDS / f"{DERIVATIVE_ID}.txt"), str(SEEDS / f"{SOURCE_ID}.txt")], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert f"{DERIVATIVE_ID} is a paraphrase of {SOURCE_ID}" in result.stdout
    assert "D: China ist mittlerweile der größte Handelspartner" in result.stdout
    assert not (tmp_path / "db").exists()


def test_compare_stored_ids_and_json(run, seeds):
    run("ingest", seeds)
    verdict = json.loads(run("compare", SOURCE_ID, DERIVATIVE_ID, "--json").stdout)
    assert verdict["derivative"] == DERIVATIVE_ID and verdict["relation"] == "paraphrase"
    missing = run("compare", SOURCE_ID, "nope")
    assert missing.exit_code == 1 and "nope: no such file" in missing.stderr
    twice = run("compare", SOURCE_ID, SOURCE_ID)
    assert twice.exit_code == 1 and "names one twice" in twice.stderr and "Traceback" not in twice.output


def test_same_article_in_two_feeds_is_a_duplicate(tmp_path, derivative_text):
    feed = tmp_path / "feeds.jsonl"
    url = "https://www.example.org/politik/china-kasachstan-123.html"
    edited = derivative_text.replace("NAG", "").replace("erheblich gewachsen", "deutlich gewachsen")
    feed.write_text(
        json.dumps({"id": "one", "source": "Example_Politik", "url": url, "text": derivative_text}) + "\n"
        + json.dumps({"id": "two", "source": "examplenet", "url": url + "?utm_source=twitter", "text": edited}) + "\n",
        encoding="utf-8",
    )
    report = pipeline.audit([str(feed)], store.open_db(tmp_path / "dup.db"))
    related = _only_related(report)
    assert related["documents"] == ["one", "two"] and related["reason"] == "duplicate"
    assert "Example_Politik" in related["explanation"] and "examplenet" in related["explanation"]


WIRE = (
    "Die Bundesregierung hat am Mittwoch in Berlin ein Gesetz zur Beschleunigung des Ausbaus der Stromnetze "
    "beschlossen, das nach Angaben des Wirtschaftsministeriums bis zum Jahr 2030 rund 14.000 Kilometer neue "
    "Leitungen ermöglichen soll."
)


def _jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def _audited(base, records):
    """The report of auditing `records`, one JSON Lines feed, into a fresh database beside it."""
    feed = _jsonl(base.with_suffix(".jsonl"), records)
    return pipeline.audit([str(feed)], store.open_db(base.with_suffix(".db")))


def _only_related(report):
    """The one `related` pair of a report that claims no derivation."""
    assert report["derivations"] == []
    (related,) = report["related"]
    return related


@pytest.mark.parametrize("later, kinship", [
    ("2024-05-08", "siblings of one wire story"),
    ("2024-05-14", "two dpa reports 6 days apart that repeat the agency's text"),
])
def test_two_outlets_crediting_one_wire_are_siblings_not_a_derivation(tmp_path, later, kinship):
    """Two outlets crediting dpa share its text: siblings of one wire story on one day; days
    apart, two agency reports that repeat its background lines (the explanation says which)."""
    report = _audited(tmp_path / "wire", [
        {"id": "kurier", "source": "Kurier", "date": later, "text":
            f"Netzausbau soll schneller gehen\n{WIRE} Umweltverbände kritisierten die Pläne als unzureichend. "
            "Der Kurier sprach mit einem Landwirt aus dem Landkreis, durch dessen Felder eine Trasse führen soll.\nQuelle: dpa"},
        {"id": "bote", "source": "Bote", "date": "2024-05-08", "text":
            f"Kabinett beschließt Netzgesetz\n{WIRE} Die Opposition sprach von einem überfälligen Schritt. "
            "In Bayern hatte es zuletzt Proteste gegen neue Stromtrassen gegeben.\nQuelle: Bote, abc/dpa"},
    ])
    related = _only_related(report)
    assert related["reason"] == "common_source" and related["common_source"] == "dpa"
    assert kinship in related["explanation"]
    # how much is the agency's text word for word, beside how much corresponds at all
    traced, verbatim = related["evidence"]["coverage"], related["evidence"]["verbatim_share"]
    assert f"({traced:.0%} of one traced to the other, {verbatim:.0%} word for word)" in related["explanation"]


FARM_REWRITE = (
    "Am Mittwoch hat die Bundesregierung in Berlin ein Gesetz beschlossen, das den Ausbau der Stromnetze beschleunigen "
    "soll. Bis zum Jahr 2030 sollen nach Angaben des Wirtschaftsministeriums damit rund 14.000 Kilometer neue Leitungen "
    "möglich werden. Die Pläne wurden von Umweltverbänden als unzureichend kritisiert. Von einem überfälligen Schritt "
    "sprach die Opposition, mehr Tempo bei Genehmigungen forderten die Grünen. Zuletzt hatte es in Bayern Proteste "
    "gegen neue Stromtrassen gegeben. Die weitere Entwicklung bleibt abzuwarten."
)
NETWORK_STORY = (
    f"{WIRE} Umweltverbände kritisierten die Pläne als unzureichend. Die Opposition sprach von einem überfälligen "
    "Schritt, die Grünen forderten mehr Tempo bei Genehmigungen. In Bayern hatte es zuletzt Proteste gegen neue "
    "Stromtrassen gegeben."
)


@pytest.mark.parametrize("rewriter, derived", [
    # a site the registry rates as fake news has no agency feed: it rewrote the newsroom's page
    ({"url": "https://24newsflash.com/politik/stromnetz-tempo"}, True),
    # a paper the registry does not list may subscribe to dpa and rewrite its copy itself
    ({"source": "Landbote"}, False),
])
def test_a_site_without_an_agency_feed_rewrites_the_page_not_the_agency(tmp_path, rewriter, derived):
    """A newsroom's dpa story rewritten the next day without a credit: by a site the registry
    knows as no newsroom (rated fake, unreliable, satire; an organisation), it is a rewrite of
    that page, which dropped the agency's credit; by a site that may be a newsroom, both most
    likely took the text from the agency."""
    report = _audited(tmp_path / "farm", [
        {"id": "page", "source": "Tagesspiegel", "url": "https://www.tagesspiegel.de/politik/netzgesetz-123.html",
         "date": "2024-05-08", "text": f"Kabinett beschließt Netzgesetz\nBerlin (dpa) - {NETWORK_STORY}"},
        {"id": "rewrite", "date": "2024-05-09", "text": f"Stromnetz: Regierung drückt aufs Tempo\n{FARM_REWRITE}", **rewriter},
    ])
    if derived:
        (found,) = report["derivations"]
        assert (found["derivative"], found["source"], found["relation"]) == ("rewrite", "page", "paraphrase")
        assert found["attributed"] is False and found["evidence"]["no_agency_feed"] is True
        assert report["related"] == []
    else:
        related = _only_related(report)
        assert (related["reason"], related["common_source"]) == ("common_source", "dpa")


def test_a_site_without_an_agency_feed_rewrites_uncredited_wire_copy_too(tmp_path):
    """The page it rewrote runs dpa copy without a credit (a dpa-credited page carries the same
    text): still the site took it from a page, not from the agency. Both pages carry it, so
    both are named; that they are one agency story says their own relation."""
    report = _audited(tmp_path / "farm", [
        {"id": "page", "source": "Tagesspiegel", "url": "https://www.tagesspiegel.de/politik/netzgesetz-123.html",
         "date": "2024-05-08", "text": f"Kabinett beschließt Netzgesetz\nBerlin (dpa) - {NETWORK_STORY}"},
        {"id": "uncredited", "source": "Stern", "url": "https://www.stern.de/politik/netzgesetz-1.html",
         "date": "2024-05-08", "text": f"Netzgesetz beschlossen\n{NETWORK_STORY}"},
        {"id": "rewrite", "url": "https://24newsflash.com/politik/stromnetz-tempo", "date": "2024-05-09",
         "text": f"Stromnetz: Regierung drückt aufs Tempo\n{FARM_REWRITE}"},
    ])
    assert sorted((d["derivative"], d["source"]) for d in report["derivations"]) == [
        ("rewrite", "page"), ("rewrite", "uncredited"),
    ]
    assert [(r["documents"], r["reason"], r["common_source"]) for r in report["related"]] == [
        (["page", "uncredited"], "common_source", "dpa"),
    ]


PA_WIRE = (
    "Rail fares in England will rise by 4.9 per cent in March, the Department for Transport announced on "
    "Wednesday, the largest increase for more than a decade. Ministers said the rise was below inflation and "
    "would help pay for new trains, while passenger groups warned that commuters could not afford it."
)


SDA_WIRE = (
    "Die Schweizerische Nationalbank hat den Leitzins am Donnerstag um einen Viertelprozentpunkt auf 1,25 Prozent "
    "gesenkt. Die Teuerung sei zuletzt deutlich zurückgegangen, teilten die Währungshüter in Zürich mit. "
    "Weitere Schritte ließ die Notenbank ausdrücklich offen."
)


@pytest.mark.parametrize("papers, wire", [
    # PA (the Press Association), as British papers sign it
    ([{"id": "courier", "source": "Evening Courier", "date": "2024-05-08", "text":
         f"Rail fares to rise by 4.9 per cent\nLondon (PA) - {PA_WIRE} The Courier spoke to season ticket "
         "holders at the station, who said they would drive instead."},
      {"id": "chronicle", "source": "Daily Chronicle", "date": "2024-05-08", "text":
         f"Commuters face steep fare rise\nBy Press Association reporters\n{PA_WIRE} Labour called the "
         "announcement a kick in the teeth for working people across the north of England."}], "pa"),
    # Swiss papers sign 'Quelle: <site>, Keystone-SDA': the agency's full name is one of its signs
    ([{"id": "kurier", "source": "Abendkurier", "date": "2024-06-20", "text":
         f"SNB senkt den Leitzins\n{SDA_WIRE} Sparer müssen sich auf sinkende Zinsen für Sparkonten einstellen, "
         "erwarten Konsumentenschützer.\n\nQuelle: abendkurier.ch, Keystone-SDA"},
      {"id": "bote", "source": "Landbote", "date": "2024-06-20", "text":
         f"Zinswende in Zürich\n{SDA_WIRE} Für Hausbesitzer könnten Hypotheken bald wieder günstiger werden, "
         "hoffen die Banken im Kanton.\n\nQuelle: landbote.ch, Keystone-SDA"}], "sda"),
], ids=["pa", "keystone-sda"])
def test_two_papers_running_one_agency_story_are_siblings_not_a_derivation(tmp_path, papers, wire):
    """Two papers that credit one agency and share its text are siblings of one wire story, as two
    German outlets crediting dpa are; wires are named as credited, lower-cased."""
    related = _only_related(_audited(tmp_path / wire, papers))
    assert (related["reason"], related["common_source"]) == ("common_source", wire)


DPA_OWN = (
    "Die Deutsche Bahn erhöht die Preise im Fernverkehr zum Fahrplanwechsel im Dezember um durchschnittlich 4,9 "
    "Prozent. Das teilte der Konzern am Mittwoch in Berlin mit. Sparpreise und Bahncards sollen nicht teurer "
    "werden, die Flexpreise dagegen deutlich. Der Fahrgastverband Pro Bahn kritisierte die Erhöhung als falsches "
    "Signal für die Verkehrswende."
)


def test_an_agencys_own_text_is_the_source_of_the_newsrooms_that_run_it(tmp_path):
    """Where the agency's own text is in the corpus (its feed, its site), the newsrooms that run
    it took it from this document: derivations, credited or not, not siblings of a wire story
    that is missing (the other case, `common_source`, is for two runs without the original)."""
    report = _audited(tmp_path / "agency", [
        {"id": "dpa_feed", "source": "dpa", "date": "2024-10-09", "text": f"Bahn erhöht die Preise\nBerlin (dpa) - {DPA_OWN}"},
        {"id": "kurier", "source": "Abendkurier", "date": "2024-10-09", "text":
            f"Bahnfahren wird teurer\nBerlin (dpa) - {DPA_OWN} Pendler aus der Region zahlen künftig mehr."},
        {"id": "bote", "source": "Landbote", "date": "2024-10-09", "text":
            f"Teurere Tickets ab Dezember\n{DPA_OWN} Wer früh bucht, kann weiter sparen, rät der Verbraucherschutz."},
    ])
    found = {(d["derivative"], d["source"]): d for d in report["derivations"]}
    assert set(found) == {("kurier", "dpa_feed"), ("bote", "dpa_feed")}
    assert found["kurier", "dpa_feed"]["attributed"] is True
    assert found["bote", "dpa_feed"]["attributed"] is False  # who dropped the credit
    assert [(r["documents"], r["reason"]) for r in report["related"]] == [(["bote", "kurier"], "common_source")]


JIJI_OWN = (
    "Japan's exports rose 7.3 percent in May from a year earlier, the fourth straight monthly increase, "
    "the Finance Ministry said Wednesday. Shipments of cars to the United States grew strongly, while exports "
    "to China fell for the second month. The trade balance showed a deficit of 1.2 trillion yen."
)


def test_a_paper_running_an_agencys_own_text_without_credit_is_derived_from_it(tmp_path):
    """Jiji Press's own text (its site) and a paper running it the next day without a credit: the
    paper took it from the agency's document, and dropped the attribution."""
    report = _audited(tmp_path / "jiji", [
        {"id": "jiji", "source": "Jiji Press", "url": "https://jiji.com/jc/eng?g=eco&k=2024061900312",
         "date": "2024-06-19", "text": f"Japan exports up 7.3 pct in May\nTOKYO (Jiji Press) - {JIJI_OWN}"},
        {"id": "herald", "source": "Harbour Herald", "date": "2024-06-20", "text":
            f"Exports climb again\n{JIJI_OWN} Local carmakers said orders for the autumn looked just as good."},
    ])
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"], found["attributed"]) == ("herald", "jiji", False)
    assert report["related"] == []


CRISIS_NOTICE = (
    "Wenn Sie sich in einer seelischen Krise befinden oder Suizidgedanken haben, wenden Sie sich bitte an die "
    "Telefonseelsorge. Sie ist kostenlos, anonym und rund um die Uhr unter 0800 111 0 111 und 0800 111 0 222 erreichbar."
)


def test_two_stories_sharing_only_the_crisis_line_notice_are_unrelated(tmp_path):
    """The notice press codes ask for under reports of suicide is printed word for word under
    unrelated stories: it relates them no more than a cookie banner would."""
    report = _audited(tmp_path / "notice", [
        {"id": "star", "source": "Abendkurier", "date": "2024-03-02", "text":
            "Schauspielerin spricht über Depression\nDie Schauspielerin hat in einem Interview offen über ihre "
            "schwerste Zeit gesprochen. Monatelang habe sie kaum das Haus verlassen, erst eine Therapie habe ihr "
            f"geholfen. Heute wolle sie anderen Mut machen, sich früh Hilfe zu suchen.\n{CRISIS_NOTICE}"},
        {"id": "school", "source": "Landbote", "date": "2024-03-05", "text":
            "Schulpsychologen schlagen Alarm\nAn den Schulen im Landkreis fehlen Psychologen, die Wartezeiten für "
            "ein Gespräch betragen inzwischen mehrere Wochen. Der Kreiselternrat fordert deshalb zusätzliche Stellen "
            f"und ein Beratungsangebot an jeder weiterführenden Schule.\n{CRISIS_NOTICE}"},
    ])
    assert (report["derivations"], report["related"]) == ([], [])


def test_a_shared_quote_of_a_third_party_is_not_a_derivation(tmp_path):
    quote = "„Wir werden die Netze so schnell ausbauen wie nie zuvor, und zwar in allen Bundesländern gleichzeitig“"
    report = _audited(tmp_path / "quote", [
        {"id": "eins", "source": "Eins", "date": "2024-05-08", "text":
            f"Minister verspricht Tempo\nDer Minister gab sich am Mittwoch kämpferisch. {quote}, sagte er vor Journalisten. "
            "Kritiker halten das für unrealistisch, weil Fachkräfte fehlen und Genehmigungen Jahre dauern."},
        {"id": "zwei", "source": "Zwei", "date": "2024-05-08", "text":
            f"Streit um Stromtrassen\nIn Thüringen wehren sich Gemeinden gegen eine neue Leitung. {quote}, hatte der Minister erklärt. "
            "Die Bürgermeister wollen nun vor Gericht ziehen und fordern Erdkabel statt Masten."},
    ])
    assert report["derivations"] == []
    assert [r["reason"] for r in report["related"]] == ["shared_quote"]


def test_reports_weeks_apart_are_not_the_same_event(tmp_path, source_text):
    neg = (FIXTURES / "negative_same_event_1.txt").read_text(encoding="utf-8")
    report = _audited(tmp_path / "apart", [
        {"id": "release", "date": "2024-07-03", "text": source_text},
        {"id": "later", "date": "2024-08-20", "text": neg},
    ])
    assert report["derivations"] == [] and report["related"] == []


def test_one_outlet_telling_a_story_again_is_a_follow_up_not_an_independent_report(tmp_path, source_text):
    """Two of the same-visit reports under one outlet, two days apart: no rewrite, and no
    independent report either (`same_event`), but that outlet's follow-up, related `other`;
    a third outlet's report two days apart is a turn of one running story, also `other`."""
    report = _audited(tmp_path / "follow", [
        {"id": "first", "source": "Kurier", "date": "2024-07-03", "text": (FIXTURES / "negative_same_event_3.txt").read_text(encoding="utf-8")},
        {"id": "second", "source": "Kurier", "date": "2024-07-05", "text": (FIXTURES / "negative_same_event_2.txt").read_text(encoding="utf-8")},
        {"id": "elsewhere", "source": "Tagblatt", "date": "2024-07-05", "text": (FIXTURES / "negative_same_event_1.txt").read_text(encoding="utf-8")},
    ])
    assert report["derivations"] == []
    reasons = {tuple(r["documents"]): (r["reason"], r["explanation"]) for r in report["related"]}
    reason, explanation = reasons[("first", "second")]
    assert reason == "other" and "two Kurier reports on one story 2 days apart: a follow-up" in explanation
    assert all("independent reports" in e for pair, (_, e) in reasons.items() if pair != ("first", "second"))
    if ("elsewhere", "first") in reasons:  # two days apart: one running story; the same day: one event
        assert reasons[("elsewhere", "first")][0] == "other"
        assert "independent reports on one running story, 2 days apart, not of one event" in reasons[("elsewhere", "first")][1]
    if ("elsewhere", "second") in reasons:
        assert reasons[("elsewhere", "second")][0] == "same_event"
        assert "independent reports of the same event" in reasons[("elsewhere", "second")][1]
    assert {("elsewhere", "first"), ("elsewhere", "second")} & set(reasons)

    # A day apart, loosely matching reports of two newsrooms are two turns of the story as well.
    report = _audited(tmp_path / "next_day", [
        {"id": "first", "source": "Kurier", "date": "2024-07-03", "text": (FIXTURES / "negative_same_event_3.txt").read_text(encoding="utf-8")},
        {"id": "second", "source": "Kurier", "date": "2024-07-04", "text": (FIXTURES / "negative_same_event_2.txt").read_text(encoding="utf-8")},
        {"id": "elsewhere", "source": "Tagblatt", "date": "2024-07-04", "text": (FIXTURES / "negative_same_event_1.txt").read_text(encoding="utf-8")},
    ])
    reasons = {tuple(r["documents"]): (r["reason"], r["explanation"]) for r in report["related"]}
    assert "two Kurier reports on one story 1 day apart: a follow-up" in reasons[("first", "second")][1]
    if ("elsewhere", "first") in reasons:
        assert reasons[("elsewhere", "first")][0] == "other"
        assert "independent reports on one running story, 1 day apart" in reasons[("elsewhere", "first")][1]
    if ("elsewhere", "second") in reasons:
        assert reasons[("elsewhere", "second")][0] == "same_event"
    assert ("elsewhere", "first") in reasons


# One story a day from five towns, each followed below by the same formula or template sentence.
DAILY_STORIES = [
    "Im Kreis Nordheim schließen die Schulen wieder, weil zu wenige Lehrkräfte geimpft sind.",
    "Die Friseure im Land dürfen trotz der Lage am Montag wieder öffnen, meldet die Innung.",
    "Der Zoo in Südstadt bleibt geschlossen, die Tierpfleger bieten Führungen im Internet an.",
    "Die Bundesliga plant Spiele mit Zuschauern, das Gesundheitsamt prüft das Konzept noch.",
    "Ein Impfzentrum in der Messehalle hat seinen Betrieb auf sieben Tage pro Woche erweitert.",
]


def _daily_records(closing, source=lambda n: f"Blatt{n}") -> list[dict]:
    """One record a day, three days apart, each a DAILY_STORIES story ending in `closing(n)`."""
    return [
        {"id": f"tag{n}", "source": source(n), "date": f"2021-03-{10 + 3 * n:02d}",
         "text": f"Lage am Tag {n}\n{story} {closing(n)}"}
        for n, story in enumerate(DAILY_STORIES)
    ]


def test_formula_text_recurring_on_many_days_is_not_reuse(tmp_path):
    formula = (
        "Die Anzahl der in den vergangenen sieben Tagen registrierten Ansteckungen je 100.000 Bewohner blieb "
        "laut dem Lagebericht der Gesundheitsbehörde am frühen Morgen weiterhin klar über dem Wert der Vorwoche."
    )
    records = _daily_records(lambda n: formula, source=lambda n: f"Blatt{max(n, 1)}")  # tag0 and tag1: one outlet
    report = pipeline.audit([str(_jsonl(tmp_path / "rki.jsonl", records))], store.open_db(tmp_path / "f.db"))
    assert report["derivations"] == []
    # The texts of different outlets still share the sentence word for word: related, and said
    # to be recurring text; two texts of one outlet (tag0, tag1) share only its furniture.
    related = {tuple(r["documents"]): r for r in report["related"]}
    others = {(f"tag{i}", f"tag{j}") for i in range(5) for j in range(i + 1, 5)} - {("tag0", "tag1")}
    assert set(related) == others
    assert all(r["reason"] == "other" and r["evidence"]["recurring_text"] for r in related.values())
    assert all("recurs in many documents on many days" in r["explanation"] for r in related.values())
    texts = {r["id"]: r["text"] for r in records}
    for (a, b), r in related.items():
        spans = r["evidence"]["shared_passage"]
        assert texts[a][slice(*spans[a])] == texts[b][slice(*spans[b])] == formula.rstrip(".")
        assert r["evidence"]["shared_passage_words"] >= derivation.SHARED_PASSAGE_WORDS


def test_formula_prints_in_memory_match_the_database(tmp_path):
    """The audit finds formula k-grams over the anchors in memory; a one-article check asks
    the database. Both must name the same prints: recurring on many days (one source each)
    and recurring in one source's documents on one day."""
    footer = "Alle Rechte vorbehalten, Nachdruck nur mit schriftlicher Genehmigung der Redaktion des Hauses gestattet."
    daily = "Der Wetterdienst erwartet für den Nachmittag kräftige Schauer und einzelne Gewitter im ganzen Bergland."
    topics = ["Stadtrat beschließt neuen Haushalt", "Feuerwehr übt am Hafenbecken", "Bibliothek verlängert Öffnungszeiten",
              "Tierheim sucht Paten für Hunde", "Brücke über die Au wird saniert", "Chor gewinnt Landeswettbewerb"]
    records = [
        {"id": f"wetter{n}", "source": f"Blatt{n}", "date": f"2022-05-{1 + 2 * n:02d}", "text": f"{topic}. {daily}"}
        for n, topic in enumerate(topics)
    ] + [
        {"id": f"haus{n}", "source": "Hausblatt", "date": "2022-06-01", "text": f"{topic} im Landkreis. {footer}"}
        for n, topic in enumerate(topics)
    ]
    db = store.open_db(tmp_path / "f.db")
    pipeline.ingest(db, [str(_jsonl(tmp_path / "formula.jsonl", records))])
    dates, sources = store.dates_and_sources(db)
    in_memory = candidates.formula_prints(store.load_anchors(db), dates, sources)
    assert in_memory == store.formula_prints(db)
    assert candidates.formula_prints(store.load_anchors(db, shared_only=True), dates, sources) == in_memory
    winnowed = {
        document_id: {t for t in terms if t.startswith(candidates.PASSAGE_PRINT)}
        for document_id, terms in store.load_anchors(db).items()
    }
    assert winnowed["wetter0"] & winnowed["wetter5"] & in_memory, "the daily sentence is formula"
    assert winnowed["haus0"] & winnowed["haus5"] & in_memory, "the house footer is formula"
    assert not (winnowed["wetter0"] - winnowed["wetter1"]) & in_memory, "a story of one day is not"


def test_a_cycle_of_mutual_reuse_loses_its_weakest_edge():
    from provenance import derivation

    def edge(derivative, source, confidence):
        return {"derivative": derivative, "source": source, "direction": {"confidence": confidence, "reasons": []},
                "coverage": 0.6, "evidence": {}, "passages": []}

    kept, related = derivation.reconcile([edge("a", "b", 0.7), edge("b", "c", 0.2), edge("c", "a", 0.6)], [])
    assert [(d["derivative"], d["source"]) for d in kept] == [("a", "b"), ("c", "a")]
    assert [(r["documents"], r["reason"]) for r in related] == [(["b", "c"], "other")]
    origins = derivation.origins(["a", "b", "c"], kept)
    assert origins == {"a": ["b"], "b": ["b"], "c": ["b"]}


def test_text_shared_with_an_agency_credited_article_is_traced_to_the_agency(tmp_path):
    report = _audited(tmp_path / "agency", [
        {"id": "credited", "source": "Kurier", "date": "2024-05-08", "text":
            f"Netzausbau soll schneller gehen\n{WIRE} Umweltverbände kritisierten die Pläne als unzureichend.\nQuelle: dpa"},
        {"id": "uncredited", "source": "Bote", "date": "2024-05-09", "text":
            f"Kabinett beschließt Netzgesetz\n{WIRE} In Bayern hatte es zuletzt Proteste gegen neue Stromtrassen gegeben."},
    ])
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "dpa")


def _daily_figures(n: int, cases: int, deaths: int, rate: str, dateline: str = "") -> str:
    """One day's infection report, the same sentences around that day's figures."""
    return (
        f"Corona-Lage am Tag {n}\n{dateline}Die Gesundheitsämter in Deutschland haben dem Robert Koch-Institut "
        f"binnen eines Tages {cases} Corona-Neuinfektionen gemeldet. Außerdem wurden {deaths} weitere Todesfälle "
        f"verzeichnet. Die bundesweite Sieben-Tage-Inzidenz gab das RKI am Morgen mit {rate} an. "
        f"Der bundesweite Sieben-Tage-R-Wert lag laut RKI-Lagebericht bei {rate[:1]},{cases % 10}{deaths % 10}."
    )


def test_a_daily_template_with_new_figures_is_not_reuse(tmp_path):
    report = _audited(tmp_path / "rki", [
        {"id": "maerz", "source": "Blatt", "date": "2021-03-10", "text": _daily_figures(1, 9146, 300, "65,4")},
        {"id": "april", "source": "Blatt", "date": "2021-04-20", "text": _daily_figures(2, 11437, 292, "162,4")},
    ])
    assert report["derivations"] == []


PROMO = (
    "Das Nachtmagazin zeigt am heutigen Donnerstagabend um 22.15 Uhr ein ausführliches Gespräch mit der "
    "Wirtschaftsministerin über die Zukunft der Stahlindustrie im Ruhrgebiet und die Kosten der Energiewende."
)


def _promo_pair(first_outlet: str, second_outlet: str) -> list[dict]:
    return [
        {"id": "stahl", "source": first_outlet, "date": "2024-05-07", "text":
            "Stahlwerk streicht Stellen\nDer Konzern will in Duisburg bis Ende des Jahres rund 1.200 Stellen abbauen. "
            "Betriebsräte kündigten Widerstand an und verlangen eine Standortgarantie bis 2030. "
            f"{PROMO} Die Landesregierung prüft nach eigenen Angaben Hilfen für die betroffenen Zulieferer."},
        {"id": "hafen", "source": second_outlet, "date": "2024-05-08", "text":
            "Hafen meldet Rekordumschlag\nIm Binnenhafen wurden im ersten Quartal so viele Container umgeschlagen wie nie. "
            "Die Betreiber führen das auf neue Bahnverbindungen nach Rotterdam zurück. "
            f"{PROMO} Anwohner beklagen dagegen den zunehmenden Lastwagenverkehr in der Nacht."},
    ]


def test_one_outlet_repeating_a_promo_block_is_not_a_derivation(tmp_path):
    report = _audited(tmp_path / "promo", _promo_pair("Abendblatt", "Abendblatt"))
    related = _only_related(report)
    assert related["reason"] == "other" and "Abendblatt" in related["explanation"]


SEMINAR_BOX = (
    "Online-Seminar mit Jana Roth: Warum Gold gerade jetzt in jedes Depot gehört. Nach dem Rekordhoch im Sommer fragen sich viele Anleger, "
    "ob der Einstieg noch lohnt. Die Vermögensberaterin erklärt am Donnerstag ab 18 Uhr, wie viel Gold sinnvoll ist, welche Barren und Münzen "
    "sich eignen und worauf Sie beim Kauf achten müssen. Jetzt kostenlos anmelden und Ihre Fragen vorab stellen!"
)


def test_a_promo_box_on_its_own_seminar_page_is_not_a_paraphrase_of_another_page(tmp_path):
    """A finance site's seminar page carries its promo box twice and talks around it; a page on
    another subject carries the box once. The seminar page's own sentences match the box only
    loosely, so the pair reaches `paraphrase` on one block and loose matches: furniture."""
    seminar = (
        "Online-Seminar mit Jana Roth: So schützen Sie Ihr Vermögen mit Gold\n"
        f"{SEMINAR_BOX}\n"
        "Gold gilt seit Jahrhunderten als sicherer Hafen in unruhigen Zeiten. "
        "Die Vermögensberaterin Jana Roth beantwortet in unserem neuen Online-Seminar Ihre Fragen rund um das Edelmetall, vom Krügerrand über den Maple Leaf bis zur Feinunze aus der Schweizer Prägeanstalt in Bern, und zu Silbermünzen als Ergänzung. "
        "Ist der Preis nach dem Sommer schon zu hoch, um noch einzusteigen? "
        "Melden Sie sich an und sichern Sie sich einen der begrenzten Plätze!\n"
        "Jana Roth leitet seit zwölf Jahren eine unabhängige Kanzlei für Vermögensplanung in Leipzig. "
        "Im Seminar vergleicht sie physisches Gold, Goldminenfonds und Zertifikate mit Aktien, die eine Dividende zahlen. "
        "Viele Anleger schichten derzeit um, weil die Ausschüttungen der Konzerne sinken. "
        "Die Teilnahme ist kostenlos, eine Aufzeichnung wird allen Angemeldeten am Folgetag zugeschickt.\n"
        f"{SEMINAR_BOX}"
    )
    dividend = (
        "Dividenden sinken, doch Anleger können hoffen\n"
        "Die Konzerne im Leitindex schütten in diesem Jahr weniger an ihre Aktionäre aus. Im Schnitt sinkt die Dividende um 6 Prozent, "
        "wie eine Auswertung von 40 Gesellschaften ergab. Für Anleger, die ihr Erspartes gegen die Inflation absichern wollen, bleibt das Depot mit Aktien dennoch attraktiv. "
        f"{SEMINAR_BOX} Experten raten Anlegern, Aktien nicht vorschnell zu verkaufen, weil sich die Ausschüttungen im nächsten Jahr erholen dürften. "
        "Wer dennoch umschichten will, sollte zuerst die Kosten prüfen und sein Vermögen breit streuen."
    )
    report = _audited(tmp_path / "seminar", [
        {"id": "seminar", "source": "Finanzseite", "date": "2024-02-14", "text": seminar},
        {"id": "dividenden", "source": "Finanzseite", "date": "2024-02-12", "text": dividend},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "one block of text" in related["explanation"]


MARKET_INTRO = (
    "Jeden Samstag besucht unser Team den Wochenmarkt auf dem Domplatz, spricht mit Händlern und Kundinnen "
    "und schreibt auf, was die Saison bringt, was teurer geworden ist und wo sich das Anstehen lohnt. Die Preise "
    "fragen wir an den Ständen selbst ab, und wer einen Tipp für den nächsten Bericht hat, erreicht die Redaktion "
    "über das Formular auf unserer Internetseite."
)
MARKET_CLOSING = (
    "Sie wollen keinen Marktbericht verpassen? Unser kostenloser Newsletter Marktkorb kommt jeden Freitag "
    "in Ihr Postfach, mit Rezepten aus der Region, Terminen der Hofläden und den Öffnungszeiten aller Märkte im Kreis."
)
MARKET_REPORTS = {
    "markt1": ("Spargel ist zurück auf dem Domplatz",
               "Der erste Spargel der Saison lag am Samstag bei Bauer Kemper aus Rheda aus, der für die weißen Stangen mehr "
               "verlangte als im Vorjahr. Am Käsestand von Familie Brüggemann bildete sich die längste Schlange, weil ein "
               "neuer Bergkäse probiert werden durfte. Der Imker Lütkehaus aus Halle bot Rapshonig an."),
    "markt2": ("Erdbeeren aus dem Folientunnel",
               "Bauer Kemper aus Rheda brachte diese Woche neben Spargel die ersten Erdbeeren aus dem Folientunnel mit. "
               "Familie Brüggemann hatte am Käsestand wieder Bergkäse im Angebot, diesmal mit Bärlauch. Beim Imker "
               "Lütkehaus aus Halle war der Rapshonig schon vor elf Uhr vergriffen."),
    "markt3": ("Pfingstrosen und grüner Spargel",
               "Kurz vor Pfingsten hatte Bauer Kemper aus Rheda grünen Spargel und Erdbeeren in Körben zu einem Pfund. "
               "Am Käsestand von Familie Brüggemann gab es Ziegenkäse aus dem Sauerland. Der Imker Lütkehaus aus Halle "
               "verkaufte den ersten Akazienhonig des Jahres."),
}


def market_records(dates: dict[str, str]) -> list[dict]:
    """A city paper's weekly market column (`MARKET_REPORTS`), each report framed by the same
    intro and newsletter plug, published on the given dates."""
    return [
        {"id": name, "source": "Stadtkurier", "url": f"https://www.stadtkurier.example/markt/{name}", "date": date,
         "title": MARKET_REPORTS[name][0], "text": f"{MARKET_REPORTS[name][0]}\n\n{MARKET_INTRO}\n\n{MARKET_REPORTS[name][1]}\n\n{MARKET_CLOSING}"}
        for name, date in dates.items()
    ]


def _market_reports(tmp_path, dates):
    records = market_records(dates)
    tmp_path.mkdir(parents=True, exist_ok=True)
    feed = _jsonl(tmp_path / f"markt{len(records)}.jsonl", records)
    return pipeline.audit([str(feed)], store.open_db(tmp_path / f"markt{len(records)}.db"))


def test_an_outlet_s_standing_text_over_weeks_is_furniture_not_a_derivation(tmp_path):
    """A weekly column frames each report with the same intro and newsletter plug, and the
    reports name the same stallholders. Two of them alone look like a paraphrase; a third page
    five weeks later shows the shared text is the outlet's standing text: furniture."""
    (pair,) = _market_reports(tmp_path / "two", {"markt1": "2024-04-06", "markt2": "2024-04-13"})["derivations"]
    assert (pair["derivative"], pair["source"]) == ("markt2", "markt1")
    three = _market_reports(tmp_path / "three", {"markt1": "2024-04-06", "markt2": "2024-04-13", "markt3": "2024-05-18"})
    assert three["derivations"] == []
    assert len(three["related"]) == 3
    for related in three["related"]:
        assert related["reason"] == "other"
        assert "stadtkurier.example's standing text" in related["explanation"] and "2024-04-06 to 2024-05-18" in related["explanation"]


def test_a_check_sees_the_outlet_s_standing_text_in_the_stored_pages(tmp_path):
    """`provenance check` of the middle report against a database of the other two reaches
    the verdict the audit of all three reaches."""
    _market_reports(tmp_path, {"markt1": "2024-04-06", "markt3": "2024-05-18"})
    article = _jsonl(tmp_path / "markt2.jsonl", market_records({"markt2": "2024-04-13"}))
    result = CliRunner().invoke(cli, ["check", str(article), "--db", str(tmp_path / "markt2.db"), "--json"])
    assert result.exit_code == 0, result.output
    checked = json.loads(result.output)
    assert checked["derivations"] == []
    assert {tuple(r["documents"]) for r in checked["related"] if "standing text" in r["explanation"]} == {
        ("markt1", "markt2"), ("markt2", "markt3"),
    }


def test_a_story_s_follow_ups_within_days_keep_their_shared_paragraphs(tmp_path):
    """The same three pages within four days are one story told again (an update carries its
    background), not a weekly template: the standing-text rule leaves them alone."""
    report = _market_reports(tmp_path, {"markt1": "2024-04-06", "markt2": "2024-04-07", "markt3": "2024-04-09"})
    assert report["derivations"]
    assert not any("standing text" in r["explanation"] for r in report["related"])


def test_the_same_block_across_two_outlets_stays_a_partial_derivation(tmp_path):
    report = _audited(tmp_path / "promo2", _promo_pair("Abendblatt", "Morgenpost"))
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"], found["relation"]) == ("hafen", "stahl", "partial")


BRIDGE_LINE = (
    "Die Talbrücke war 1968 für täglich 20.000 Fahrzeuge gebaut worden und gilt seit Jahren als eines der "
    "marodesten Bauwerke im Land."
)
BRIDGE_FIRST = (
    "Talbrücke wird für Lastwagen gesperrt\n"
    "Ab Montag dürfen Lastwagen über 7,5 Tonnen die Talbrücke bei Hohenau nicht mehr befahren. "
    "Das hat die Autobahngesellschaft nach einer Sonderprüfung entschieden, bei der Risse in zwei Pfeilern entdeckt wurden. "
    f"{BRIDGE_LINE} Die Umleitung führt über die Bundesstraße 27 und verlängert die Fahrt um rund 25 Minuten. "
    "Spediteure aus der Region kritisierten die kurzfristige Ankündigung scharf. "
    "Ein Sprecher des Landesverbands Güterverkehr sprach von einem Schlag für die heimischen Betriebe, die ohnehin unter hohen Dieselpreisen litten. "
    "Die Prüfer hatten im Winter Messgeräte an den Pfeilern angebracht, die jede Bewegung des Betons aufzeichnen. "
    "Nach Angaben des Ingenieurbüros haben sich die Risse seit Dezember um mehrere Millimeter verbreitert. "
    "Für Autos bleibt die Brücke vorerst offen, allerdings gilt dort künftig Tempo 60."
)
BRIDGE_LATER = (
    "Pendler stehen täglich im Stau\n"
    "Drei Wochen nach der Sperrung für Lastwagen hat sich der Verkehr rund um Hohenau nicht beruhigt. "
    "Auf der Bundesstraße 27 stauen sich morgens die Fahrzeuge bis in die Ortsmitte von Kirchberg. "
    f"{BRIDGE_LINE} Ein Neubau soll frühestens 2029 fertig sein, die Planung läuft noch. "
    "Der Bürgermeister von Kirchberg fordert nun eine Ampel an der Ortseinfahrt und Tempo 30 für den Durchgangsverkehr. "
    "Eltern sorgen sich um den Schulweg ihrer Kinder, der an der engen Hauptstraße entlangführt. "
    "Die Gemeinde hat deshalb Schülerlotsen angefordert und prüft einen zusätzlichen Busshuttle. "
    "Händler in der Innenstadt berichten dagegen von mehr Laufkundschaft, seit sich die Autos durch den Ort schieben. "
    "Eine Bürgerversammlung zum Thema ist für Ende April in der Festhalle geplant."
)

def _bridge_pair(later: str, later_date: str = "2024-03-22") -> list[dict]:
    return [
        {"id": "sperrung", "source": "SZ", "url": "https://www.sueddeutsche.de/bayern/talbruecke-1.100", "date": "2024-03-01", "text": BRIDGE_FIRST},
        {"id": "stau", "source": "Tagesspiegel", "url": "https://www.tagesspiegel.de/stau-1.html", "date": later_date, "text": later},
    ]


BRIDGE_SECOND_LINE = "Die Autobahngesellschaft betreut bundesweit mehr als 28.000 Brücken, von denen viele saniert werden müssen."


@pytest.mark.parametrize("lines, later_date, days", [(1, "2024-03-22", 21), (2, "2024-03-22", 21), (1, "2024-03-06", 5)])
def test_one_background_line_shared_weeks_apart_is_not_a_derivation(tmp_path, lines, later_date, days):
    """Two outlets' stories three weeks (or five days) apart repeat one (or two) background
    sentences about the bridge and nothing else: lines reporters reuse from a common source,
    not a rewrite."""
    first, later = BRIDGE_FIRST, BRIDGE_LATER
    if lines == 2:
        first = first.replace("Spediteure aus", f"{BRIDGE_SECOND_LINE} Spediteure aus")
        later = later.replace("Eltern sorgen", f"{BRIDGE_SECOND_LINE} Eltern sorgen")
    pair = _bridge_pair(later, later_date)
    pair[0]["text"] = first
    report = _audited(tmp_path / "bridge", pair)
    related = _only_related(report)
    assert related["reason"] == "common_source" and related["common_source"] is None
    assert f"{days} days apart" in related["explanation"] and "background line" in related["explanation"]


def test_one_background_line_from_a_named_outlet_stays_a_partial_derivation(tmp_path):
    credited = BRIDGE_LATER.replace(
        "Drei Wochen nach", "Wie die Süddeutsche Zeitung berichtete, hat die Autobahngesellschaft die Brücke gesperrt. Drei Wochen nach"
    )
    report = _audited(tmp_path / "bridge2", _bridge_pair(credited))
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"], found["relation"]) == ("stau", "sperrung", "partial")


BRANDT_MEETING = "in einer internen Schalte mit den Spitzen der Koalitionsfraktionen von Bund und Ländern"
BRANDT_SPIEGEL = (
    "Ministerin Brandt räumt Fehler bei Energiehilfen ein\n"
    "Wirtschaftsministerin Karin Brandt hat offenbar schwere Versäumnisse bei den Energiehilfen für den Mittelstand eingestanden. "
    f"„Wir haben die Lage unterschätzt, und das fällt uns jetzt auf die Füße“, sagte Brandt {BRANDT_MEETING}, wie die „Bild“-Zeitung berichtet. "
    "„Ohne neue Hilfen werden im Herbst Hunderte Betriebe schließen müssen.“ "
    "Das Ministerium wollte sich auf Anfrage nicht zu den Äußerungen äußern. "
    "Die Opposition forderte eine Sondersitzung des Wirtschaftsausschusses noch vor der Sommerpause. "
    "Der Mittelstandsverband sprach von einem überfälligen Eingeständnis und verlangte ein Sofortprogramm über zehn Milliarden Euro. "
    "Brandt steht seit Wochen wegen schleppender Auszahlungen in der Kritik, viele Anträge liegen seit Monaten unbearbeitet bei den Kammern."
)
BRANDT_TAGESSPIEGEL = (
    "„Das fällt uns auf die Füße“: Brandt rechnet mit Pleitewelle\n"
    f"Karin Brandt hat laut „Bild“ {BRANDT_MEETING} eine düstere Prognose abgegeben. "
    "„Wir haben die Lage unterschätzt, und das fällt uns jetzt auf die Füße“, soll die Ministerin gesagt haben. "
    "„Ohne neue Hilfen werden im Herbst Hunderte Betriebe schließen müssen.“ "
    "In Berlin sind nach Zahlen der Industrie- und Handelskammer bereits 340 Bäckereien und Metzgereien in Schwierigkeiten. "
    "Der Senat prüft eigene Überbrückungskredite, will aber zunächst die Entscheidung des Bundes abwarten. "
    "Ein Sprecher der Wirtschaftsverwaltung sagte, man stehe in engem Austausch mit den Verbänden. "
    "Gastronomen am Kurfürstendamm berichten von Stromrechnungen, die sich binnen eines Jahres verdreifacht hätten."
)


def test_two_pickups_crediting_one_absent_outlet_are_its_common_source(tmp_path):
    """Spiegel and Tagesspiegel both quote a minister's words from a Bild report that is not in
    the corpus, and neither names the other: Bild is their common source, not one the other's."""
    report = _audited(tmp_path / "brandt", [
        {"id": "spiegel", "source": "derspiegel", "url": "https://www.spiegel.de/wirtschaft/brandt-a-1.html",
         "date": "2024-06-10", "text": BRANDT_SPIEGEL},
        {"id": "tagesspiegel", "source": "Tagesspiegel", "url": "https://www.tagesspiegel.de/wirtschaft/brandt-2.html",
         "date": "2024-06-11", "text": BRANDT_TAGESSPIEGEL},
    ])
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "Bild")
    assert "both credit Bild" in related["explanation"]


def test_one_outlet_updating_its_own_story_is_still_a_derivation(tmp_path, source_text):
    paragraphs = [p for p in source_text.split("\n\n") if len(p.split()) > 25]
    update = "Neue Einzelheiten zum Staatsbesuch\n" + "\n\n".join(paragraphs[:6]) + "\n\nAm Abend reiste Xi nach Duschanbe weiter."
    report = _audited(tmp_path / "update", [
        {"id": "first", "source": "Abendblatt", "date": "2024-07-03", "text": source_text},
        {"id": "update", "source": "Abendblatt", "date": "2024-07-04", "text": update},
    ])
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"]) == ("update", "first")


def test_two_versions_of_one_agency_story_in_one_outlet_are_siblings(tmp_path):
    report = _audited(tmp_path / "versions", [
        {"id": "v1", "source": "Abendblatt", "date": "2024-05-08T09:00:00", "text":
            f"Kabinett berät Netzgesetz\n{WIRE} Am Nachmittag will Bundeswirtschaftsminister Habeck die Einzelheiten vorstellen.\n"
            "Quelle: dpa"},
        {"id": "v2", "source": "Abendblatt", "date": "2024-05-08T15:00:00", "text":
            f"Kabinett beschließt Netzgesetz\n{WIRE} Habeck sprach am Nachmittag von einem Durchbruch für die Energiewende, "
            "die Länder sollen nun schneller genehmigen. Kritik kam von Naturschutzverbänden aus Thüringen.\nQuelle: dpa"},
    ])
    related = _only_related(report)
    assert related["reason"] == "common_source" and related["common_source"] == "dpa"


@pytest.mark.parametrize("regional_credit, common", [("", "dpa"), ("\n(KNA)", "dpa/kna")])
def test_text_an_agency_credited_article_shares_with_an_uncredited_one_goes_to_the_agency(tmp_path, regional_credit, common):
    """Text an article credited to dpa shares with an uncredited one is dpa's. Where the other
    credits KNA for it, which agency wrote it the credits do not tell: the common source names
    both, not only the first text's."""
    report = _audited(tmp_path / "agency", [
        {"id": "regional", "source": "Landbote", "date": "2024-05-08", "text":
            f"Netzausbau soll schneller gehen\n{WIRE} Im Landkreis sind zwei neue Trassen geplant, gegen die sich "
            f"bereits eine Bürgerinitiative gebildet hat.{regional_credit}"},
        {"id": "national", "source": "Morgenpost", "date": "2024-05-08", "text":
            f"Kabinett beschließt Netzgesetz\n{WIRE} Die Opposition sprach von einem überfälligen Schritt.\n(dpa)"},
    ])
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", common)
    if regional_credit:
        assert "dpa" in related["explanation"] and "kna" in related["explanation"].lower()


# --- furniture, stubs and wire copy (issue 3 review of the full INSM audit) ----------------------

STORY = [
    "Die Stadtwerke Nordheim erhöhen zum ersten Juli die Preise für Fernwärme um durchschnittlich elf Prozent.",
    "Begründet wird der Schritt mit gestiegenen Kosten für Erdgas und für die Wartung des Leitungsnetzes.",
    "Ein Durchschnittshaushalt zahlt damit rund 140 Euro mehr im Jahr, wie ein Sprecher vorrechnete.",
    "Der Mieterbund kritisierte die Erhöhung als unverhältnismäßig und verlangte eine Prüfung durch das Kartellamt.",
    "Die Stadtwerke verwiesen darauf, dass die Preise zwei Jahre lang stabil geblieben seien.",
    "Im Herbst soll zudem ein neues Blockheizkraftwerk am Hafen ans Netz gehen.",
    "Damit wollen die Stadtwerke ihre Abhängigkeit vom Gas bis 2030 deutlich verringern.",
]
OTHER_STORY = [
    "Der Sportverein Grün-Weiß Nordheim hat seinen langjährigen Trainer nach nur drei Siegen in der Rückrunde entlassen.",
    "Die Vereinsführung sprach von einer schweren, aber notwendigen Entscheidung für den Klassenerhalt.",
    "Nachfolger wird vorerst der bisherige Jugendtrainer, der die Mannschaft bereits aus der Vorbereitung kennt.",
    "Die Spieler wurden am Vormittag vor dem Training über den Wechsel informiert.",
    "Am Samstag empfängt der Tabellenvorletzte den Spitzenreiter aus Südstadt im heimischen Stadion.",
    "Der Verein hofft trotz der Lage auf mehr als zweitausend Zuschauer und eine volle Gästekurve.",
    "Karten gibt es an der Geschäftsstelle und an der Tageskasse.",
    "Vor dem Anpfiff ehrt der Verein außerdem seine Meistermannschaft aus dem Jahr 1985.",
]


def test_a_teaser_after_a_marker_is_the_other_article_s_headline_and_lead():
    from provenance import segment

    text = (
        "Trainer entlassen\n\n" + " ".join(OTHER_STORY[:3])
        + " Lesen Sie auch Fernwärme wird teurer " + STORY[0] + " " + " ".join(OTHER_STORY[3:])
    )
    segments = segment.segment(text, "de")
    assert [(s.text, s.reason) for s in segments if s.kind == "debris"] == [
        ("Lesen Sie auch", "ui-text"), ("Fernwärme wird teurer " + STORY[0], "teaser"),
    ]
    assert [s.text for s in segments if s.kind == "sentence"] == OTHER_STORY
    bild = "Er sagte das am Abend. Lesen Sie auch Kann SIE Kanzlerin? Die Vorsitzende soll die Partei führen! Danach ging es weiter."
    assert [(s.text, s.reason) for s in segment.segment("Titel\n\n" + bild, "de") if s.kind != "title"] == [
        ("Er sagte das am Abend.", None), ("Lesen Sie auch", "ui-text"), ("Kann SIE Kanzlerin?", "teaser"),
        ("Die Vorsitzende soll die Partei führen!", "teaser"), ("Danach ging es weiter.", None),
    ]


def test_a_teaser_without_a_marker_in_the_same_outlet_is_a_link_not_a_derivation(tmp_path):
    report = _audited(tmp_path / "teaser", [
        {"id": "preise", "source": "Nordbote", "date": "2024-05-06", "text": "Fernwärme wird teurer\n" + " ".join(STORY)},
        {"id": "verein", "source": "Nordbote", "date": "2024-05-07", "text":
            "Trainer entlassen\n" + " ".join(OTHER_STORY) + "\n\nFernwärme wird teurer " + STORY[0]
            + " Mehr dazu lesen Sie in unserer Ausgabe vom Dienstag. " + STORY[1]},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "headline and lead of preise" in related["explanation"]


STANDING_PHRASE = "das Institut für Arbeitsmarktforschung in Bremen im Auftrag der Stiftung Soziale Zukunft erstellt hat"


def test_a_standing_phrase_in_a_lead_is_no_teaser():
    """Two releases of one organisation years apart share the line on who made their studies, in
    the lead of one: not its headline and lead, so no teaser, and the explanation must not say so."""
    from provenance.ingest import RawRecord

    def release(name, date, text):
        return RawRecord(id=name, text=text, origin=f"{name}.txt", format="txt", given={
            "source": "Stiftung Soziale Zukunft", "url": f"https://soziale-zukunft.example/presse/{name}", "date": date,
        })

    pension = release("rente", "2019-03-04", (
        "Ältere Beschäftigte brauchen keine Sonderrechte\n"
        f"Die Lage älterer Arbeitnehmer hat sich deutlich gebessert. Das zeigt die heute vorgestellte Studie, die {STANDING_PHRASE}. "
        "Der Anteil der Beschäftigten zwischen 55 und 64 Jahren stieg binnen zehn Jahren um ein Drittel. "
        "Sonderregeln beim Kündigungsschutz schaden nach Ansicht der Autoren vor allem den Arbeitslosen dieser Altersgruppe."
    ))
    schools = release("bildung", "2023-09-12", (
        "Schulen brauchen mehr Geld\n"
        "Jährlich fehlen den Schulen acht Milliarden Euro für Ganztag, Digitalisierung und Sprachförderung. "
        f"Das geht aus dem Bildungsmonitor hervor, den {STANDING_PHRASE}. "
        "Besonders groß ist der Rückstand bei der Ausstattung der Berufsschulen. "
        "Die Länder kommen beim Ausbau der Ganztagsplätze unterschiedlich schnell voran, am langsamsten im Westen. "
        "Die Autoren empfehlen, Lehrkräfte von Verwaltungsaufgaben zu entlasten und mehr Schulsozialarbeiter einzustellen."
    ))
    verdict = pipeline.compare_records(pension, schools)
    assert (verdict["kind"], verdict["reason"]) == ("related", "other")
    assert "headline and lead" not in verdict["explanation"] and "teaser linking" not in verdict["explanation"]


CLIMATE_BACKGROUND = (
    "Die Karlsruher Richter hatten vom Bundestag verlangt, die Klimaziele für die Jahre ab 2030 bald genauer "
    "festzulegen, damit spätere Generationen nicht allein die Last der Einsparungen tragen müssen."
)


def test_a_shared_background_line_around_other_figures_is_explained_as_such():
    """Days apart, a story with its own figures around one shared background sentence is a new
    story, and the explanation says what the two share: not "the same wording with other
    figures", which they are not."""
    from provenance.ingest import RawRecord

    cabinet = RawRecord(id="kabinett", origin="kabinett.txt", format="txt", given={"source": "Abendblatt", "date": "2024-05-08"}, text=(
        "Kabinett beschließt schärferes Klimagesetz\nDas Kabinett hat am Mittwoch ein schärferes Klimaschutzgesetz "
        f"beschlossen. Bis 2030 sollen die Emissionen um 65 Prozent sinken, bis 2040 um 88 Prozent. {CLIMATE_BACKGROUND} "
        "Die Umweltministerin sprach von einem guten Tag für den Klimaschutz. Die Opposition hält die Pläne für unzureichend."
    ))
    transport = RawRecord(id="verkehr", origin="verkehr.txt", format="txt", given={"source": "Morgenpost", "date": "2024-05-11"}, text=(
        "Verkehrsminister legt Sofortprogramm vor\nDer Verkehrsminister will mit 17 Maßnahmen und 8 Milliarden Euro den "
        f"Ausstoß im Verkehr senken, bis 2027 sollen 14 Millionen Elektroautos fahren. {CLIMATE_BACKGROUND} Seine Vorschläge "
        "müssten noch in der Regierung abgestimmt werden, räumte er ein. Umweltverbände nannten das Programm mutlos."
    ))
    verdict = pipeline.compare_records(transport, cabinet)
    assert (verdict["kind"], verdict["reason"]) == ("related", "other")
    assert "gives other figures (only 1 of its 5 are kabinett's)" in verdict["explanation"]
    assert "verkehr shares text with kabinett, 3 days apart," in verdict["explanation"]
    assert "same wording" not in verdict["explanation"]


def test_the_same_lines_in_another_outlet_stay_a_derivation(tmp_path):
    """The teaser rule is about one outlet's links; another outlet lifting headline and lead
    is reuse."""
    report = _audited(tmp_path / "lift", [
        {"id": "preise", "source": "Nordbote", "date": "2024-05-06", "text": "Fernwärme wird teurer\n" + " ".join(STORY)},
        {"id": "verein", "source": "Südkurier", "date": "2024-05-07", "text":
            "Trainer entlassen\n" + " ".join(OTHER_STORY) + "\n\nFernwärme wird teurer " + " ".join(STORY[:2])},
    ])
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("verein", "preise")]


def test_a_single_shared_line_is_related_not_a_derivation(tmp_path):
    long_story = OTHER_STORY + [
        "Der Trainer selbst wollte sich zu seiner Entlassung zunächst nicht äußern.",
        "In der Stadt war der Wechsel schon seit Wochen Gesprächsthema in den Vereinskneipen.",
        "Auch der Bürgermeister meldete sich zu Wort und wünschte dem neuen Trainer viel Glück.",
        "Die Fans hatten zuletzt mit Plakaten einen Neuanfang gefordert.",
        "Sportlich steht der Verein vor den schwersten Wochen seit dem Abstieg vor drei Jahren.",
    ]
    report = _audited(tmp_path / "line", [
        {"id": "preise", "source": "Nordbote", "date": "2024-05-06", "text": "Fernwärme wird teurer\n" + " ".join(STORY)},
        {"id": "verein", "source": "Südkurier", "date": "2024-05-07", "text":
            "Trainer entlassen\n" + " ".join(long_story[:6]) + " " + STORY[3] + " " + " ".join(long_story[6:])},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "too little" in related["explanation"]


SUBSCRIPTION = (
    "Mit dem richtigen Abo lesen Sie alles ohne Grenzen. Exklusive Recherchen, Analysen und Hintergründe zu den Fragen, "
    "die das Land bewegen. Vier Wochen für einen Euro ausprobieren. Sie sind schon Abonnent?"
)


def test_paywall_stubs_sharing_a_headline_are_not_derived(tmp_path):
    stubs = [
        {"id": f"stub{n}", "source": "Wochenblatt", "date": f"2024-0{n}-11", "text": f"{title}\n{teaser} Jetzt weiterlesen. {SUBSCRIPTION}"}
        for n, (title, teaser) in enumerate([
            ("Wahl in Ruritanien: Wie die Generäle ihre Herrschaft festigen wollen",
             "Präsidentenwahl Wie Ruritaniens Generäle ihre Herrschaft festigen wollen."),
            ("Ruritaniens Generäle: Die Herrschaft fest im Griff",
             "Vor der Wahl Wie die Generäle Ruritaniens ihre Herrschaft festigen."),
            ("Bundesliga: Wie der Meister seinen Kader umbauen will",
             "Transfers Wie der Meister den Kader umbauen will."),
            ("Klimapolitik: Was die neue Regierung plant",
             "Koalition Was die Regierung beim Klima plant."),
            ("Bahn: Warum die Züge so oft zu spät kommen",
             "Verspätungen Warum die Bahn so oft zu spät ist."),
            ("Wohnen: Wie teuer die Mieten noch werden",
             "Mietmarkt Wie teuer Wohnen noch wird."),
        ], start=1)
    ]
    report = pipeline.audit([str(_jsonl(tmp_path / "stubs.jsonl", stubs))], store.open_db(tmp_path / "p.db"))
    assert report["derivations"] == []


def test_two_paywall_stubs_of_one_day_are_explained_as_stubs(tmp_path):
    """Two stubs on one story the same day are all traced, one to the other, and still too thin
    to be a rewrite: the explanation says that, not "only 100% of the text"."""
    heads = [
        ("Wahl in Ruritanien: Wie die Generäle ihre Herrschaft festigen wollen",
         "Präsidentenwahl Wie Ruritaniens Generäle ihre Herrschaft festigen wollen."),
        ("Ruritaniens Generäle: Die Herrschaft fest im Griff",
         "Vor der Wahl Wie die Generäle Ruritaniens ihre Herrschaft festigen."),
        ("Bundesliga: Wie der Meister seinen Kader umbauen will", "Transfers Wie der Meister den Kader umbauen will."),
        ("Klimapolitik: Was die neue Regierung plant", "Koalition Was die Regierung beim Klima plant."),
        ("Bahn: Warum die Züge so oft zu spät kommen", "Verspätungen Warum die Bahn so oft zu spät ist."),
        ("Wohnen: Wie teuer die Mieten noch werden", "Mietmarkt Wie teuer Wohnen noch wird."),
    ]
    stubs = [
        {"id": f"stub{n}", "source": "Wochenblatt", "date": f"2024-0{max(n, 2)}-11",
         "text": f"{title}\n{teaser} Jetzt weiterlesen. {SUBSCRIPTION}"}
        for n, (title, teaser) in enumerate(heads, start=1)
    ]
    report = pipeline.audit([str(_jsonl(tmp_path / "stubs.jsonl", stubs))], store.open_db(tmp_path / "p.db"))
    assert report["derivations"] == []
    related = _only_related(report)
    assert related["documents"] == ["stub1", "stub2"] and related["reason"] == "other"
    assert "paywall stub" in related["explanation"] and "100%" not in related["explanation"]


def test_two_agencies_sharing_a_statement_are_not_a_derivation(tmp_path):
    statement = "Die Regierung werde alle Möglichkeiten prüfen, um die Versorgung der Bevölkerung im Winter sicherzustellen, erklärte der Minister."
    report = _audited(tmp_path / "agencies", [
        {"id": "dpa_text", "source": "Kurier", "date": "2024-10-02", "text":
            f"Minister sichert Versorgung zu\nBERLIN (dpa) - {statement} Zuvor hatten Verbände vor Engpässen gewarnt. "
            "Die Gasspeicher sind nach Angaben der Bundesnetzagentur zu 95 Prozent gefüllt."},
        {"id": "afp_text", "source": "Bote", "date": "2024-10-02", "text":
            f"Regierung will Winter absichern\nBerlin (AFP) - {statement} Die Opposition warf der Regierung Planlosigkeit vor. "
            "Ein Krisenstab soll ab November wöchentlich tagen."},
    ])
    related = _only_related(report)
    assert related["reason"] in ("same_event", "shared_quote")


def test_a_rewrite_dated_days_before_its_only_source_is_not_derived(tmp_path, source_text, derivative_text):
    """Part of the seed rewrite is derived from the release (not the other way round: it is
    short); dated two weeks before the release, it cannot have drawn on it."""
    paragraphs = [p for p in derivative_text.split("\n\n") if len(p.split()) > 20]
    part = "Handel mit Zentralasien\n\n" + "\n\n".join(paragraphs[:4])

    def audit(rewrite_date):
        feed = _jsonl(tmp_path / f"early{rewrite_date}.jsonl", [
            {"id": "release", "source": "Wire", "date": "2024-07-20", "text": source_text},
            {"id": "rewrite", "source": "Portal", "date": rewrite_date, "text": part},
        ])
        return pipeline.audit([str(feed)], store.open_db(tmp_path / f"e{rewrite_date}.db"))

    later = audit("2024-07-21")
    assert [(d["derivative"], d["source"]) for d in later["derivations"]] == [("rewrite", "release")]
    earlier = audit("2024-07-05")
    assert earlier["derivations"] == []
    (related,) = earlier["related"]
    assert related["reason"] == "other" and "15 days earlier" in related["explanation"]


def test_a_derivation_from_uncredited_wire_copy_goes_to_the_agency(tmp_path):
    extra = "Die Opposition sprach von einem überfälligen Schritt, die Grünen forderten mehr Tempo bei Genehmigungen."
    report = _audited(tmp_path / "uncredited", [
        {"id": "credited", "source": "Morgenpost", "date": "2024-05-08", "text":
            f"Kabinett beschließt Netzgesetz\n{WIRE} {extra}\n(dpa)"},
        {"id": "uncredited", "source": "Abendblatt", "date": "2024-05-08", "text":
            f"Netzgesetz beschlossen\n{WIRE} {extra} Umweltverbände kritisierten die Pläne als unzureichend."},
        {"id": "portal", "source": "Nachrichtenportal", "date": "2024-05-08", "text":
            f"Schneller zu neuen Leitungen\n{WIRE} Umweltverbände kritisierten die Pläne als unzureichend. "
            "Wie das Portal aus Regierungskreisen erfuhr, sollen die Länder zusätzliche Planstellen erhalten."},
    ])
    assert report["derivations"] == []
    pairs = {tuple(r["documents"]): (r["reason"], r["common_source"]) for r in report["related"]}
    assert pairs[("portal", "uncredited")] == ("common_source", "dpa")


WIRE_STORY = (
    f"{WIRE} Die Netzbetreiber sollen ihre Planungen künftig gemeinsam mit den Ländern abstimmen und Genehmigungen "
    "digital beantragen können. Umweltverbände kritisierten, dass Einwände von Anwohnern damit kaum noch Gehör fänden. "
    "Die Industrie begrüßte das Vorhaben dagegen als überfälligen Schritt für bezahlbaren Strom."
)


def _newsroom_pair(second_url: str, second_extra: str = "") -> list[dict]:
    return [
        {"id": "faz", "url": "https://www.faz.net/aktuell/wirtschaft/netzgesetz-123.html", "date": "2024-05-08",
         "text": f"Kabinett beschließt Netzgesetz\n{WIRE_STORY} Die Opposition sprach von Symbolpolitik."},
        {"id": "second", "url": second_url, "date": "2024-05-08",
         "text": f"Schneller zu neuen Stromleitungen\n{second_extra}{WIRE_STORY} Bayern kündigte eigene Pläne an."},
    ]


def test_two_newsrooms_running_one_text_the_same_day_are_wire_siblings(tmp_path):
    report = _audited(tmp_path / "newsrooms", _newsroom_pair("https://www.sueddeutsche.de/wirtschaft/netz-1.html"))
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "uncredited wire")
    assert "come from two newsrooms on the same day and neither credits the other" in related["explanation"]
    # identical prose, uncredited, may also be one official statement or release both took over
    assert related["explanation"].endswith("or one statement or press release word for word, that neither text names")



def test_the_database_lists_the_report_s_derivations_and_related_pairs(tmp_path):
    """Over the seeds and every fixture, what SQL and Datasette read (the `report_derivations` and
    `report_related` views) is what the report says, pair by pair."""
    import sqlite3

    report = pipeline.audit([str(SEEDS), str(FIXTURES)], store.open_db(tmp_path / "corpus.db"))
    db = sqlite3.connect(tmp_path / "corpus.db")
    kept = {(d["derivative"], d["source"]) for d in report["derivations"]}
    listed = set(db.execute("select derivative, source from report_derivations").fetchall())
    assert listed == kept and kept
    assert ("rewrite_of_rewrite", DERIVATIVE_ID) in kept  # turned round by the chain: a corpus verdict, not a row
    assert db.execute(
        "select judged from report_derivations where derivative = 'rewrite_of_rewrite'"
    ).fetchall() == [("with the corpus",)]
    listed = db.execute("select document_a, document_b, reason, common_source from report_related").fetchall()
    assert sorted(listed) == sorted((*r["documents"], r["reason"], r["common_source"]) for r in report["related"])


def test_the_database_keeps_what_the_report_decides_about_a_pair(tmp_path):
    """Alone, the FAZ and SZ texts read as one copied from the other; the report settles them as
    siblings of one agency story. A reader browsing the database (Datasette, SQL) sees the same:
    the pair's own derivation marked as not reported, and the report's verdict beside it. A
    second report changes nothing."""
    import sqlite3

    report = _audited(tmp_path / "newsrooms", _newsroom_pair("https://www.sueddeutsche.de/wirtschaft/netz-1.html"))
    assert report["derivations"] == []
    db = sqlite3.connect(tmp_path / "newsrooms.db")
    ((derivative, source, reported),) = db.execute("select derivative, source, reported from derivations").fetchall()
    assert reported == 0
    (row,) = db.execute(
        "select document_a, document_b, kind, reason, common_source, explanation, pairwise from corpus_verdicts"
    ).fetchall()
    assert row[:5] == ("faz", "second", "related", "common_source", "uncredited wire")
    assert row[5] == report["related"][0]["explanation"]
    assert row[6].startswith(f"derivation: {derivative} is a ") and row[6].endswith(f" of {source}")
    assert db.execute("select distinct reported from aligned_passages").fetchall() == [(0,)]
    runs = db.execute("select distinct run_id from corpus_verdicts").fetchall()
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "newsrooms.db"), "--report-dir", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert db.execute("select distinct run_id from corpus_verdicts").fetchall() == runs



def test_compare_of_two_stored_newsroom_siblings_gives_the_audit_s_verdict(tmp_path):
    """`provenance compare` of two stored ids says what the audit says of them: two newsrooms
    running one agency text are wire siblings, not one copying the other, however alike the two
    texts alone are; their own alignment comes along to be read word by word."""
    report = _audited(tmp_path / "newsrooms", _newsroom_pair("https://www.sueddeutsche.de/wirtschaft/netz-1.html"))
    audited = _only_related(report)
    db = str(tmp_path / "newsrooms.db")
    result = CliRunner().invoke(cli, ["compare", "faz", "second", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["kind"] == "related"
    assert (verdict["reason"], verdict["common_source"], verdict["explanation"]) == (
        audited["reason"], audited["common_source"], audited["explanation"],
    )
    alone = verdict["pairwise"]
    assert alone["kind"] == "derivation" and alone["relation"] == "copy"
    assert any(WIRE in p["derivative_text"] and WIRE in p["source_text"] for p in alone["passages"])
    text = CliRunner().invoke(cli, ["compare", "faz", "second", "--db", db]).output
    assert text.startswith("related (common_source): faz ~ second")
    assert "the two texts alone" in text and "[verbatim 1.00]" in text


@pytest.mark.parametrize("faz_date, derived", [("2024-05-10", False), ("2024-05-09", True)])
def test_a_credit_to_an_outlet_s_report_of_another_day_does_not_credit_this_one(tmp_path, faz_date, derived):
    """A Friday text runs agency copy that the F.A.Z.'s Friday update also carries, and says the
    F.A.Z. "hatte schon am Donnerstagabend … berichtet": the credit is for Thursday's scoop, so
    the two Friday texts are wire siblings. Were the F.A.Z. text Thursday's, it is the credited one."""
    credit = "Die „Frankfurter Allgemeine Zeitung“ hatte schon am Donnerstagabend über den Entwurf berichtet. "
    pair = _newsroom_pair("https://www.sueddeutsche.de/wirtschaft/netz-1.html", credit)
    pair[0]["date"], pair[1]["date"] = faz_date, "2024-05-10"
    report = pipeline.audit([str(_jsonl(tmp_path / "scoop.jsonl", pair))], store.open_db(tmp_path / "s.db"))
    if derived:
        assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("second", "faz")]
    else:
        related = _only_related(report)
        assert (related["reason"], related["common_source"]) == ("common_source", "uncredited wire")


def test_a_credit_cannot_name_a_newsroom_s_text_dated_after_it(tmp_path):
    """A text dated the 8th quotes a minister 'der „Frankfurter Allgemeinen Zeitung“' and shares
    agency copy with an F.A.Z. text dated the 9th: the credit is for an earlier F.A.Z. interview,
    not for a text that did not exist yet, so the two are wire siblings, not the 8th's text
    following the F.A.Z.'s."""
    credit = "„Wir müssen schneller bauen“, sagte der Minister der „Frankfurter Allgemeinen Zeitung“. "
    pair = _newsroom_pair("https://www.sueddeutsche.de/wirtschaft/netz-1.html", credit)
    pair[0]["date"], pair[1]["date"] = "2024-05-09", "2024-05-08"
    report = pipeline.audit([str(_jsonl(tmp_path / "later.jsonl", pair))], store.open_db(tmp_path / "l.db"))
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "uncredited wire")


SCHOOL_QUOTE = "„Wer jetzt die Schulen schließt, verspielt das Vertrauen der Eltern und der Kinder“"
SCHOOL_DPA_A = (
    "Landrat kündigt Lösung im Schulstreit an\n"
    "Im Streit um die Schulen im Landkreis Nordheim hat der Landrat am Montag eine schnelle Lösung angekündigt. "
    "Er wolle noch vor den Sommerferien einen Kompromiss mit den Gemeinden vorlegen, sagte er im Kreishaus. "
    f"{SCHOOL_QUOTE}, sagte die Vorsitzende des Elternrats. "
    "Ein Gutachten hatte den Sanierungsbedarf der Gebäude auf mehr als zwölf Millionen Euro beziffert. "
    "Nach Angaben der Kreisverwaltung sinkt die Zahl der Erstklässler seit Jahren. "
    "Der Kreistag hatte die Schließung von drei Grundschulen im vergangenen Herbst mit knapper Mehrheit beschlossen. "
    "Die Gemeinde Westerbach bot an, einen Teil der Kosten für den Schulbus zu übernehmen. "
    "Die Opposition im Kreistag will ein Bürgerbegehren unterstützen. (dpa)"
)
SCHOOL_DPA_B = (
    "Eltern protestieren vor dem Kreishaus\n"
    "Mehrere hundert Eltern haben in Nordheim gegen die geplante Schließung von Schulen demonstriert. "
    f"{SCHOOL_QUOTE}, rief die Vorsitzende des Elternrats den Teilnehmern zu. "
    "Die Polizei sprach von einem friedlichen Verlauf der Kundgebung auf dem Marktplatz. "
    "Viele Kinder trugen selbst gemalte Plakate mit dem Namen ihrer Schule. "
    "Wie berichtet, hatte die Schließung von drei Grundschulen im vergangenen Herbst für großen Unmut gesorgt. "
    "Die Lehrergewerkschaft kündigte weitere Aktionen für die kommende Woche an. (dpa)"
)


def test_two_texts_crediting_one_agency_and_sharing_its_wording_are_its_siblings(tmp_path):
    """Two papers run dpa's reports of one school dispute: each quotes the parents' spokeswoman,
    and both carry one background line of the agency word for word (nine words, too few for a
    derivation). That makes them two uses of dpa's story, not two texts sharing only a quote."""
    report = _audited(tmp_path / "schools", [
        {"id": "kurier", "source": "Nordheimer Kurier", "date": "2024-05-06", "text": SCHOOL_DPA_A},
        {"id": "bote", "source": "Kreisbote", "date": "2024-05-06", "text": SCHOOL_DPA_B},
    ])
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "dpa")
    assert "a run of 9 words" in related["explanation"]


BATHS_AGENCY = (
    "Bürgermeisterin verteidigt Bäderkonzept\n"
    "Die Bürgermeisterin von Nordheim hat ihr umstrittenes Bäderkonzept am Dienstag im Stadtrat verteidigt. "
    "„Wir schließen kein einziges Becken, bevor das neue Hallenbad am Stadtpark für alle Schulklassen geöffnet ist“, sagte sie. "
    "Die Opposition hält die Kosten von 24 Millionen Euro für zu niedrig angesetzt. "
    "Ein Gutachten soll im Herbst klären, ob das alte Freibad saniert werden kann. "
    "Die Schwimmvereine kündigten an, die Pläne genau zu prüfen. (dpa)"
)
BATHS_PAPER = (
    "Streit im Stadtrat über die Zukunft der Bäder\n"
    "Im Nordheimer Stadtrat ist es am Dienstagabend zu einem heftigen Schlagabtausch über die Bäder gekommen. "
    "Die Bürgermeisterin versicherte, man schließe kein einziges Becken, bevor das neue Hallenbad am Stadtpark für alle Schulklassen geöffnet ist. "
    "Der Fraktionschef der Grünen warf ihr vor, die Vereine zu spät eingebunden zu haben. "
    "Mehrere Eltern verfolgten die Sitzung von der Besuchertribüne aus und applaudierten den Rednern der Opposition. "
    "Eine Entscheidung soll erst nach der Sommerpause fallen."
)


def test_a_statement_one_text_quotes_and_another_retells_is_no_agency_copy(tmp_path):
    """A dpa report quotes the mayor; a paper without an agency credit gives the same fourteen
    words as reported speech. They share the mayor's words, not dpa's text: a shared quote, where
    the agency rules had said both took the text from dpa."""
    report = _audited(tmp_path / "baths", [
        {"id": "agency", "source": "Nordheimer Kurier", "date": "2024-05-07", "text": BATHS_AGENCY},
        {"id": "paper", "source": "Stadtanzeiger", "date": "2024-05-07", "text": BATHS_PAPER},
    ])
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("shared_quote", None)
    assert "a run of 14 words that agency quotes and paper gives without quotation marks" in related["explanation"]


def test_a_site_copying_a_newsroom_the_same_day_stays_a_derivation(tmp_path):
    report = _audited(tmp_path / "copier", _newsroom_pair("https://nachrichten-heute-deutschland.example/netz"))
    assert len(report["derivations"]) == 1


def test_a_newsroom_crediting_another_stays_a_derivation(tmp_path):
    report = _audited(tmp_path / "credited", _newsroom_pair(
        "https://www.sueddeutsche.de/wirtschaft/netz-1.html",
        "Wie die Frankfurter Allgemeine Zeitung berichtet, ist das Gesetz beschlossen. ",
    ))
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"]) == ("second", "faz"), "the text naming the other is the later one"
    assert any("names faz" in reason for reason in found["direction"]["reasons"])


def test_a_results_page_filled_in_again_is_a_template_not_reuse(tmp_path):
    """Lottery numbers share figures by chance (1 to 49), so the share of shared figures cannot
    tell the template; the sentences that differ only in their figures can."""
    def draw(day, numbers, bonus, jackpot, winners):
        return (
            f"Lottozahlen vom {day}. Januar\nBei der Ziehung der Lottozahlen am Samstagabend wurden die Gewinnzahlen "
            f"{', '.join(map(str, numbers))} gezogen. Die Superzahl ist die {bonus}. Im Jackpot der Gewinnklasse eins lagen "
            f"diesmal {jackpot} Millionen Euro für alle Tipper. In der zweiten Gewinnklasse gab es nach Angaben der "
            f"Lottogesellschaft {winners} Gewinner mit sechs Richtigen ohne Superzahl. Alle Angaben erfolgen wie immer ohne Gewähr."
        )
    report = _audited(tmp_path / "lotto", [
        {"id": "ziehung1", "source": "Portal", "date": "2021-01-16", "text": draw(16, [3, 11, 19, 27, 38, 45], 4, 12, 7)},
        {"id": "ziehung2", "source": "Portal", "date": "2021-01-23", "text": draw(23, [3, 9, 19, 27, 41, 45], 8, 15, 3)},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "template" in related["explanation"]


def test_two_feeds_of_one_web_site_are_one_outlet(tmp_path):
    """FAZ_Politik and faznet are two feeds of faz.net: the promo block they share is the
    outlet's furniture, as within one feed."""
    pair = _promo_pair("FAZ_Politik", "faznet")
    pair[0]["url"] = "https://www.faz.net/aktuell/wirtschaft/stahl-1.html"
    pair[1]["url"] = "https://m.faz.net/aktuell/rhein-main/hafen-2.html"
    report = pipeline.audit([str(_jsonl(tmp_path / "feeds.jsonl", pair))], store.open_db(tmp_path / "f.db"))
    related = _only_related(report)
    assert related["reason"] == "other" and "faz.net" in related["explanation"]
    pair[1]["url"] = "https://www.hafenblatt-online.example/lokales/hafen-2.html"
    report = pipeline.audit([str(_jsonl(tmp_path / "sites.jsonl", pair))], store.open_db(tmp_path / "s.db"))
    assert len(report["derivations"]) == 1


def test_an_article_republished_the_same_day_under_a_new_headline_is_a_duplicate(tmp_path):
    """One outlet's article and its second page the same day (another feed, a video page) with
    a new headline and lead: the same article, not a rewrite; days later, the same texts are an
    outlet re-running its story, which stays a derivation."""
    body = " ".join(STORY[1:]) + (
        " Der Aufsichtsrat hatte der Erhöhung bereits in seiner Sitzung im April zugestimmt."
        " Kunden mit Sozialtarif sollen nach Angaben der Stadtwerke von der Erhöhung ausgenommen bleiben."
        " Eine Informationsveranstaltung für Mieter ist für Ende Mai im Rathaus geplant."
        " Anmeldungen nimmt das Kundenzentrum der Stadtwerke telefonisch und online entgegen."
    )
    first = {"id": "first", "source": "Nordbote", "date": "2024-05-06",
             "text": f"Fernwärme in Nordheim wird teurer\n{STORY[0]} {body}"}
    second = {"id": "second", "source": "Nordbote", "date": "2024-05-06", "text":
              "Nordheimer zahlen mehr fürs Heizen\nWer in Nordheim mit Fernwärme heizt, muss vom Sommer an tiefer "
              f"in die Tasche greifen. {body}"}
    report = pipeline.audit([str(_jsonl(tmp_path / "same_day.jsonl", [first, second]))], store.open_db(tmp_path / "a.db"))
    related = _only_related(report)
    assert related["reason"] == "duplicate" and "the same day" in related["explanation"]
    second["date"] = "2024-05-20"
    report = pipeline.audit([str(_jsonl(tmp_path / "later.jsonl", [first, second]))], store.open_db(tmp_path / "b.db"))
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("second", "first")]


def test_an_outlet_s_story_carrying_another_s_box_is_not_its_rewrite(tmp_path):
    """Within one outlet, text shared by two stories about different things (a fund-raising
    box, a newsletter plug) is furniture, however many blocks it has."""
    box = (
        "Unsere Spendenaktion für das Kinderhospiz läuft noch bis Ende des Monats, jeder Euro hilft den Familien. "
        "Spenden können Sie auf das Konto der Stiftung oder direkt über unsere Internetseite mit dem Stichwort Hospiz. "
        "Alle Spender erhalten auf Wunsch eine Quittung für das Finanzamt und eine Einladung zum Sommerfest."
    )
    report = _audited(tmp_path / "box", [
        {"id": "heizung", "source": "Nordbote", "date": "2024-05-06", "text":
            "Fernwärme wird teurer\n" + " ".join(STORY[:4]) + "\n\n" + box + "\n\n" + " ".join(STORY[4:])},
        {"id": "trainer", "source": "Nordbote", "date": "2024-05-09", "text":
            "Trainer entlassen\n" + " ".join(OTHER_STORY[:4]) + "\n\n" + box + "\n\n" + " ".join(OTHER_STORY[4:])},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "different things" in related["explanation"]


def test_an_agency_s_daily_figures_on_two_days_are_a_template_not_one_story(tmp_path):
    dpa = "BERLIN (dpa) - "
    report = _audited(tmp_path / "rki_dpa", [
        {"id": "kurier", "source": "Kurier", "date": "2021-03-10", "text": _daily_figures(1, 9146, 300, "65,4", dpa)},
        {"id": "bote", "source": "Bote", "date": "2021-03-18", "text": _daily_figures(2, 11437, 292, "162,4", dpa)},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "template" in related["explanation"]


HEATING_VOTE = (
    "Bundestag beschließt Heizungsgesetz\n"
    "Der Bundestag hat am Freitag das umstrittene Gebäudeenergiegesetz beschlossen. 399 Abgeordnete stimmten dafür, "
    "275 dagegen, fünf enthielten sich. Das Gesetz schreibt vor, dass neue Heizungen von 2024 an zu 65 Prozent mit "
    "erneuerbaren Energien betrieben werden müssen. Für bestehende Heizungen gelten lange Übergangsfristen, kaputte "
    "Anlagen dürfen repariert werden. Der Staat fördert den Tausch mit bis zu 70 Prozent der Kosten. "
    "Bauministerin Klara Geywitz sprach im Plenum von einem guten Tag für den Klimaschutz. Die Union stimmte "
    "geschlossen dagegen."
)
HEATING_LAWSUIT = (
    "Haus und Grund kündigt Verfassungsklage an\n"
    "Der Eigentümerverband Haus und Grund will vor dem Bundesverfassungsgericht gegen das neue Gesetz klagen. "
    "Verbandspräsident Kai Warnecke nannte die Vorgaben einen Eingriff in das Eigentum von Millionen Bürgern. "
    "Nach dem am Freitag vom Bundestag verabschiedeten Gebäudeenergiegesetz muss jede neue Heizung ab 2024 "
    "mindestens 65 Prozent Ökoenergie nutzen. Alte Anlagen dürfen vorerst weiterlaufen. Der Mieterbund warnte "
    "dagegen vor steigenden Mieten, weil Vermieter die Kosten umlegen dürfen. Juristen halten eine Klage für wenig "
    "aussichtsreich."
)
HEATING_VOTE_RETOLD = (
    "Heizungsgesetz ist beschlossen\n"
    "Nach monatelangem Streit ist das Heizungsgesetz durch: Mit 399 Ja-Stimmen verabschiedete das Parlament am Freitag "
    "die Novelle. Jede neue Heizung muss ab 2024 mindestens 65 Prozent Ökoenergie nutzen, alte Anlagen dürfen vorerst "
    "weiterlaufen. Die Opposition stimmte geschlossen dagegen. Der Eigentümerverband Haus und Grund kritisierte die "
    "Vorgaben scharf, der Mieterbund warnte vor steigenden Mieten. Im Herbst muss noch der Bundesrat zustimmen."
)


@pytest.mark.parametrize("other, reason", [(HEATING_VOTE_RETOLD, "same_event"), (HEATING_LAWSUIT, "other")])
def test_two_reports_are_of_one_event_only_where_both_leads_tell_it(other, reason):
    """Two papers on the day of a vote share its facts. One leading with the vote reports that
    event; one leading with a lawsuit against the law reports another event of the story, the
    vote being its background: whose lead has no counterpart in the other, the explanation says."""
    related = pipeline.compare_texts(
        HEATING_VOTE, other, "kurier", "bote",
        given_a={"source": "Kurier", "date": "2023-09-08"}, given_b={"source": "Bote", "date": "2023-09-08"},
    )
    assert (related["kind"], related["reason"]) == ("related", reason)
    if reason == "other":
        assert "the lead of bote (its headline and first sentences) has no counterpart in kurier" in related["explanation"]
        assert related["explanation"].endswith("not of one event")


def test_an_agency_report_and_the_newsroom_s_own_on_one_site_are_independent(tmp_path):
    """One site the same day: the newsroom's own report and the dpa copy it also runs are two
    independent reports of the visit (`same_event`), not the newsroom telling its story again."""
    report = _audited(tmp_path / "site", [
        {"id": "own", "source": "Kurier", "date": "2024-07-03", "text": (FIXTURES / "negative_same_event_3.txt").read_text(encoding="utf-8")},
        {"id": "wire", "source": "Kurier", "date": "2024-07-03", "text": (FIXTURES / "negative_same_event_1.txt").read_text(encoding="utf-8")},
    ])
    related = _only_related(report)
    assert related["reason"] == "same_event" and "independent reports of the same event" in related["explanation"]


def test_two_newsrooms_telling_one_story_in_their_own_words_are_the_same_event(tmp_path, source_text, derivative_text):
    """Two established newsrooms a day apart, neither naming the other, with no run in common:
    two write-ups of one release or agency story (as the seed texts both are), not a copy, and
    not provably one wire text either."""
    report = _audited(tmp_path / "rewrite", [
        {"id": "faz", "url": "https://www.faz.net/aktuell/politik/xi-1.html", "date": "2024-07-03", "text": source_text},
        {"id": "sz", "url": "https://www.sueddeutsche.de/politik/xi-2.html", "date": "2024-07-04", "text": derivative_text},
    ])
    related = _only_related(report)
    assert related["reason"] == "same_event" and "two newsrooms" in related["explanation"]


WERFT_BACKGROUND = ("Die Staatsanwaltschaft wirft dem früheren Vorstand der Nordwerft vor, zwischen 2016 und 2019 Aufträge "
              "der Marine mit falschen Rechnungen um mehr als zwölf Millionen Euro verteuert zu haben. Er bestreitet die Vorwürfe.")
WERFT_TRIAL_OPENS = (
    "Prozess gegen früheren Werftchef beginnt\n\n"
    "Kiel (dpa) - Vor dem Landgericht Kiel hat am Montag der Prozess gegen den früheren Chef der Nordwerft begonnen. "
    "Zum Auftakt verlas der Vorsitzende Richter die gut achtzig Seiten lange Anklage, was fast den ganzen Vormittag dauerte. "
    "Der 61-Jährige verfolgte die Verlesung ohne erkennbare Regung und machte sich gelegentlich Notizen. "
    f"{WERFT_BACKGROUND} "
    "Seine beiden Verteidiger kündigten an, ihr Mandant werde sich erst nach der Vernehmung der ersten Zeugen äußern. "
    "Sie kritisierten zudem, dass die Ermittlungen mehr als vier Jahre gedauert hätten und ihr Mandant in dieser Zeit "
    "öffentlich vorverurteilt worden sei. Vor dem Gerichtsgebäude demonstrierten rund zwanzig frühere Beschäftigte der Werft, "
    "die nach der Insolvenz im Herbst ihre Arbeit verloren hatten. Auf Transparenten forderten sie Aufklärung über den "
    "Verbleib der Gelder. Das Gericht hat zunächst vierzehn Verhandlungstage bis Ende Mai angesetzt. Ein Urteil wird "
    "frühestens im Sommer erwartet. Sollte der Angeklagte verurteilt werden, drohen ihm mehrere Jahre Haft. Die Marine selbst "
    "tritt in dem Verfahren nicht als Nebenklägerin auf, hat aber eigene Schadenersatzforderungen angekündigt, über die "
    "ein Zivilgericht entscheiden soll. Der Betriebsrat der Werft erklärte, viele Beschäftigte hätten lange nicht glauben "
    "wollen, dass an der Spitze des Unternehmens Rechnungen geschönt worden sein könnten. Die Landesregierung, die der "
    "Werft noch vor drei Jahren eine Bürgschaft gewährt hatte, wollte sich zu dem laufenden Verfahren nicht äußern. "
    "Ein Sprecher des Wirtschaftsministeriums verwies auf einen Untersuchungsausschuss des Landtags, der seine Arbeit im "
    "Frühjahr aufnehmen soll."
)
WERFT_WITNESS = (
    "Frühere Buchhalterin belastet Ex-Werftchef\n\n"
    "Kiel (dpa) - Im Betrugsprozess um die Nordwerft hat eine frühere Buchhalterin den angeklagten Ex-Vorstand schwer belastet. "
    "Sie habe auf seine Anweisung hin Stundenzettel nachträglich geändert, sagte die 54-Jährige am Donnerstag vor dem Landgericht. "
    "Als sie Bedenken geäußert habe, sei ihr mit einer Versetzung in eine Außenstelle gedroht worden. "
    f"{WERFT_BACKGROUND} "
    "Die Zeugin schilderte, wie in der Buchhaltung eigens ein zweiter Satz von Projektordnern angelegt worden sei, den nur "
    "wenige Mitarbeiter einsehen durften. Die Verteidigung stellte ihre Glaubwürdigkeit in Frage und verwies auf einen "
    "Arbeitsgerichtsstreit, den die Frau nach ihrer Kündigung gegen die Werft geführt hatte. Der Vorsitzende Richter ließ "
    "mehrere Fragen dazu nicht zu. Für die kommende Woche sind zwei Gutachter geladen, die die Abrechnungen der Werft für "
    "das Verteidigungsministerium geprüft haben. Nach Angaben einer Gerichtssprecherin könnte sich das Verfahren wegen "
    "weiterer Beweisanträge bis in den Juli hinziehen. Die Insolvenzverwalterin der Werft verfolgte die Aussage im "
    "Zuschauerraum; sie prüft, ob sie frühere Manager persönlich für Schäden in Anspruch nehmen kann. Mehrere Gläubiger, "
    "darunter Zulieferer aus der Region, warten bis heute auf ihr Geld. Ein Malerbetrieb aus Eckernförde beziffert seine "
    "offenen Rechnungen auf knapp 300.000 Euro. Der Inhaber sagte, er habe drei Mitarbeiter entlassen müssen, weil die "
    "Zahlungen der Werft im letzten Jahr vor der Insolvenz immer später gekommen seien."
)

def test_agency_reports_weeks_apart_sharing_its_background_lines_are_two_stories(tmp_path):
    """Two dpa court reports three weeks apart (the trial opens; a witness testifies) repeat the
    agency's two-sentence summary of the charges, 13 % of their words: two stories on one
    topic (related `other`, the agency named), not siblings of one wire story. The next day,
    the same texts are still taken for two uses of one agency story."""
    def audit(name, second_date):
        return _audited(tmp_path / name, [
            {"id": "opening", "url": "https://www.kieler-blatt.de/prozess-1.html", "date": "2024-03-04", "text": WERFT_TRIAL_OPENS},
            {"id": "witness", "url": "https://www.nordkurier-online.de/werft-2.html", "date": second_date, "text": WERFT_WITNESS},
        ])

    related = _only_related(audit("weeks", "2024-03-25"))
    assert (related["reason"], related["common_source"]) == ("other", None)
    assert "21 days apart, share dpa's background lines on the topic" in related["explanation"]
    related = _only_related(audit("next_day", "2024-03-05"))
    assert (related["reason"], related["common_source"]) == ("common_source", "dpa")


def test_two_newsrooms_days_apart_sharing_agency_lines_are_not_a_rewrite(tmp_path):
    """Days apart, two established newsrooms that share a passage and name neither each other
    nor an agency both ran the agency's copy or its background lines (three hand reviews found
    no newsroom taking a competitor's text without naming it); a site with no newsroom behind
    it, the same days apart, is still reported as the copier."""
    pair = _newsroom_pair("https://www.sueddeutsche.de/wirtschaft/netz-1.html")
    pair[1]["date"] = "2024-05-14"
    report = pipeline.audit([str(_jsonl(tmp_path / "days.jsonl", pair))], store.open_db(tmp_path / "d.db"))
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "uncredited wire")
    assert "6 days apart" in related["explanation"]
    pair[1]["url"] = "https://nachrichten-heute-deutschland.example/netz"
    report = pipeline.audit([str(_jsonl(tmp_path / "site.jsonl", pair))], store.open_db(tmp_path / "s.db"))
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("second", "faz")]


def test_two_newsrooms_days_apart_in_their_own_words_tell_one_running_story(tmp_path, source_text, derivative_text):
    report = _audited(tmp_path / "running", [
        {"id": "faz", "url": "https://www.faz.net/aktuell/politik/xi-1.html", "date": "2024-07-03", "text": source_text},
        {"id": "sz", "url": "https://www.sueddeutsche.de/politik/xi-2.html", "date": "2024-07-10", "text": derivative_text},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "7 days apart" in related["explanation"]
    assert "running story" in related["explanation"]


def test_a_rewrite_of_an_article_stored_under_two_ids_is_one_derivation(tmp_path, source_text, derivative_text):
    """The release arrives through two feeds (one URL, two ids): the rewrite has one source
    article, so one derivation; the repeat is related and says which derivation stands for it.
    A rewrite stored twice is one derivative: both of its ids have the release as origin."""
    url = "https://www.presseportal.de/pm/cgtn/xi-kasachstan.html"
    feed = _jsonl(tmp_path / "twice.jsonl", [
        {"id": "release_a", "source": "presseportal", "url": url, "text": source_text},
        {"id": "release_b", "source": "presseportal_feed", "url": url, "text": source_text},
        {"id": "site", "url": "https://nachrichten-heute-deutschland.example/xi", "text": derivative_text},
    ])
    report = pipeline.audit([str(feed)], store.open_db(tmp_path / "t.db"))
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("site", "release_a")]
    reasons = {tuple(r["documents"]): r for r in report["related"]}
    assert reasons[("release_a", "release_b")]["reason"] == "duplicate"
    repeat = reasons[("release_b", "site")]
    assert repeat["reason"] == "other" and "reported once, as site ← release_a" in repeat["explanation"]

    site = "https://nachrichten-heute-deutschland.example/xi"
    report = _audited(tmp_path / "copies", [
        {"id": "release", "source": "presseportal", "url": url, "text": source_text},
        {"id": "site_a", "source": "site", "url": site, "text": derivative_text},
        {"id": "site_b", "source": "site_feed", "url": site, "text": derivative_text},
    ])
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("site_a", "release")]
    assert report["origins"]["site_a"] == report["origins"]["site_b"] == ["release"]



def test_two_undated_near_identical_copies_keep_their_own_derivations(tmp_path, source_text, derivative_text):
    """Two texts of one outlet, undated, without URLs, near-identical (two writers' copies of one
    rewrite, like two students' answers): related as duplicates, but not known to be one article,
    so each keeps its own derivation from the release rather than one standing for both."""
    edited = derivative_text.replace("Peking", "Beijing", 1).replace(" und ", " sowie ", 2)
    report = _audited(tmp_path / "copies", [
        {"id": "release", "source": "presseportal", "text": source_text},
        {"id": "copy_a", "source": "participant", "text": derivative_text},
        {"id": "copy_b", "source": "participant", "text": edited},
    ])
    assert sorted((d["derivative"], d["source"]) for d in report["derivations"]) == [
        ("copy_a", "release"), ("copy_b", "release"),
    ]
    (twins,) = [r for r in report["related"] if r["documents"] == ["copy_a", "copy_b"]]
    assert (twins["reason"], twins["common_source"]) == ("common_source", "release")
    from provenance.ingest import RawRecord

    twin_a, twin_b = (
        pipeline.profile(pipeline.analyse(RawRecord(id=name, text=text, origin=name, format="txt", given={"source": "participant"}))[0])
        for name, text in (("copy_a", derivative_text), ("copy_b", edited))
    )
    verdict = derivation.compare_profiles(twin_a, twin_b)
    assert (verdict["kind"], verdict["reason"]) == ("related", "duplicate")
    assert not verdict["explanation"].startswith(derivation.SAME_ARTICLE)

HOFMEISTER_INTERVIEW = (
    "Bundesbauministerin Klara Hofmeister will den Bau von Sozialwohnungen mit einem Sonderprogramm über zwölf Milliarden "
    "Euro ankurbeln. „Wir können nicht länger zusehen, wie Familien in den Städten keine bezahlbare Wohnung mehr finden“, "
    "sagte Hofmeister der Frankfurter Allgemeinen Zeitung. Das Geld soll nach ihren Plänen vor allem an Genossenschaften "
    "und kommunale Wohnungsgesellschaften fließen, die sich zu dauerhaft niedrigen Mieten verpflichten. Zugleich kündigte "
    "die Ministerin an, die Bauordnungen der Länder mit einem Mustergesetz zu vereinfachen, damit Genehmigungen künftig "
    "binnen drei Monaten erteilt werden. Mit dem Finanzminister sei das Programm noch nicht abgestimmt, räumte Hofmeister "
    "ein, sie rechne aber mit seiner Unterstützung. "
)


def test_a_newsroom_picking_up_an_interview_that_an_agency_relayed_too_is_derived(tmp_path):
    """FAZ's interview, relayed by dpa (a dpa-credited copy elsewhere), and SZ's rewrite of it
    the same day naming FAZ: the agency's copy of FAZ's text does not make FAZ's own interview
    uncredited wire copy that SZ took from dpa; SZ picked up FAZ."""
    report = _audited(tmp_path / "pickup", [
        {"id": "faz", "url": "https://www.faz.net/aktuell/wirtschaft/hofmeister-interview-1.html", "date": "2024-05-08",
         "text": "Hofmeister plant Milliardenprogramm für Sozialwohnungen\n" + HOFMEISTER_INTERVIEW
         + "Die Opposition sprach von einem Wahlkampfmanöver."},
        {"id": "agency", "source": "Kurier", "url": "https://www.kurier-nord.example/wirtschaft/wohnen-2.html",
         "date": "2024-05-08", "text": "Ministerin will zwölf Milliarden für Sozialwohnungen\nBERLIN (dpa) - "
         + HOFMEISTER_INTERVIEW + "Der Mieterbund begrüßte den Vorstoß."},
        {"id": "sz", "url": "https://www.sueddeutsche.de/wirtschaft/wohnungsbau-hofmeister-1.html", "date": "2024-05-08",
         "text": "Bauministerin will Sozialwohnungen fördern\nWie die Frankfurter Allgemeine Zeitung berichtet, plant "
         "Bundesbauministerin Klara Hofmeister ein Sonderprogramm über zwölf Milliarden Euro für den Bau von Sozialwohnungen. "
         "Das Geld soll nach ihren Plänen vor allem an Genossenschaften und kommunale Wohnungsgesellschaften fließen, die sich "
         "zu dauerhaft niedrigen Mieten verpflichten. Zugleich will die Ministerin die Bauordnungen der Länder mit einem "
         "Mustergesetz vereinfachen, damit Genehmigungen künftig binnen drei Monaten erteilt werden. Abgestimmt mit dem "
         "Finanzminister ist das Programm nach Hofmeisters eigenen Worten noch nicht. Die Bauwirtschaft reagierte zurückhaltend."},
    ])
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("sz", "faz")]
    assert ("faz", "sz") not in {tuple(r["documents"]) for r in report["related"]}


def test_every_id_of_a_derivative_stored_several_times_has_its_origins():
    derivations = [{"derivative": "feed_a", "source": "release"}]
    related = [
        {"documents": ["feed_b", "feed_c"], "reason": "duplicate"},
        {"documents": ["feed_a", "feed_b"], "reason": "duplicate"},
        {"documents": ["other", "release"], "reason": "same_event"},
    ]
    found = derivation.origins(["feed_a", "feed_b", "feed_c", "other", "release"], derivations, related)
    assert found == {"feed_a": ["release"], "feed_b": ["release"], "feed_c": ["release"], "other": ["other"], "release": ["release"]}


def test_two_pages_of_one_outlet_sharing_what_another_outlet_carries_share_agency_copy(tmp_path):
    """An outlet's follow-up repeats a paragraph of its first story that another newsroom ran
    word for word too: agency copy all three took, not the outlet reusing its own story. Without
    the other newsroom's page the follow-up is the outlet's rewrite. Every pair is related once."""
    paragraph = " ".join(STORY[1:6])
    first = {"id": "first", "url": "https://www.faz.net/aktuell/wirtschaft/fernwaerme-1.html", "date": "2024-05-06",
             "text": f"Fernwärme in Nordheim wird teurer\n{STORY[0]} {paragraph} Der Stadtrat will sich in seiner nächsten "
             "Sitzung mit den Fernwärmepreisen befassen."}
    second = {"id": "second", "url": "https://www.faz.net/aktuell/wirtschaft/fernwaerme-2.html", "date": "2024-05-10",
              "text": "Nordheimer Stadtrat streitet über Fernwärme\nIm Nordheimer Stadtrat ist am Donnerstag ein heftiger Streit "
              f"über die höheren Fernwärmepreise der Stadtwerke entbrannt. {paragraph} Die Fraktionen wollen nun einen "
              "Sozialtarif für Fernwärmekunden mit geringem Einkommen prüfen lassen, die Stadtwerke lehnen das bisher ab."}
    other = {"id": "other", "url": "https://www.sueddeutsche.de/wirtschaft/fernwaerme-3.html", "date": "2024-05-06",
             "text": "Fernwärme in Nordheim teurer\nDie Stadtwerke in Nordheim verlangen von Juli an mehr Geld für Fernwärme. "
             f"{paragraph} Verbraucherschützer raten Kunden, ihre Abrechnungen genau zu prüfen."}
    report = pipeline.audit([str(_jsonl(tmp_path / "three.jsonl", [first, second, other]))], store.open_db(tmp_path / "t.db"))
    assert report["derivations"] == []
    pairs = [tuple(r["documents"]) for r in report["related"]]
    assert len(pairs) == len(set(pairs)) == 3
    own = next(r for r in report["related"] if r["documents"] == ["first", "second"])
    assert (own["reason"], own["common_source"]) == ("common_source", "uncredited wire")
    assert "sueddeutsche.de carries word for word too" in own["explanation"]
    report = pipeline.audit([str(_jsonl(tmp_path / "two.jsonl", [first, second]))], store.open_db(tmp_path / "o.db"))
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("second", "first")]


def test_a_copier_site_rewriting_a_newsroom_stays_a_derivation(tmp_path, source_text, derivative_text):
    report = _audited(tmp_path / "copier2", [
        {"id": "faz", "url": "https://www.faz.net/aktuell/politik/xi-1.html", "date": "2024-07-03", "text": source_text},
        {"id": "site", "url": "https://nachrichten-heute-deutschland.example/xi", "date": "2024-07-04", "text": derivative_text},
    ])
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("site", "faz")]


def test_naming_one_s_own_outlet_says_nothing_about_the_order(tmp_path):
    report = _audited(tmp_path / "own", _newsroom_pair(
        "https://www.faz.net/aktuell/wirtschaft/netz-2.html",
        "Wie die Frankfurter Allgemeine Zeitung berichtet, ist das Gesetz beschlossen. ",
    ))
    for found in report["derivations"]:
        assert not any(" names " in reason for reason in found["direction"]["reasons"])
    assert report["derivations"] or report["related"]


def test_a_daily_report_with_evergreen_lines_and_new_figures_is_a_template(tmp_path):
    """A daily report keeps its standing lines word for word and refills the rest, sometimes
    with a word changed besides the figures ("am Montagmorgen" → "am Dienstagmorgen")."""
    evergreen = (
        "Die wirkliche Zahl der Ansteckungen liegt nach Einschätzung von Fachleuten wohl deutlich höher, weil viele Fälle unentdeckt bleiben. "
        "Der Reproduktionswert spiegelt stets das Geschehen von vor ungefähr ein bis zwei Wochen wider. "
        "Bleibt er über längere Zeit unter eins, geht die Zahl der Ansteckungen allmählich zurück."
    )

    def day(weekday, cases, deaths, rate, total):
        return (
            f"RKI meldet neue Zahlen\nBERLIN (dpa) - Die Gesundheitsämter in Deutschland haben dem Robert Koch-Institut "
            f"binnen eines Tages {cases} Corona-Neuinfektionen gemeldet, wie aus Zahlen des RKI vom {weekday}morgen hervorgeht. "
            f"Deutschlandweit wurden den Angaben nach binnen 24 Stunden {deaths} neue Todesfälle verzeichnet. "
            f"Die Sieben-Tage-Inzidenz gab das RKI am {weekday}morgen mit bundesweit {rate} an. "
            f"Das RKI zählte seit Beginn der Pandemie {total} nachgewiesene Infektionen mit dem Virus. {evergreen}"
        )
    report = _audited(tmp_path / "daily", [
        {"id": "montag", "source": "Kurier", "date": "2021-05-03", "text": day("Montag", "6.922", "39", "146,9", "3.433.516")},
        {"id": "dienstag", "source": "Bote", "date": "2021-05-11", "text": day("Dienstag", "6.125", "283", "115,4", "3.510.418")},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "template" in related["explanation"]


# A press office's standing sentences: who ran the survey for whom, who the office speaks for.
_STANDING = (
    "Die Umfrage führte das Institut Civey im Auftrag des Verbands Deutscher Fahrradhändler durch. "
    "Der Verband vertritt rund 900 Fachgeschäfte in ganz Deutschland."
)
_SPRING = (
    "Lastenräder gefragt wie nie\nJeder fünfte Haushalt in Großstädten erwägt den Kauf eines Lastenrads. Vor allem "
    "Familien mit kleinen Kindern nennen den Einkauf und den Weg zur Kita als Gründe. Händler berichten von "
    f"Lieferzeiten bis zu drei Monaten. {_STANDING} Pressekontakt über die Geschäftsstelle in Kassel."
)


def test_one_press_office_s_standing_sentences_do_not_make_its_releases_derived(tmp_path):
    """Two releases on one subject, months apart, sharing the office's standing lines (28 words
    in a row) and loosely matched sentences: a template filled anew, not a rewrite."""
    report = _audited(tmp_path / "office", [
        {"id": "spring", "source": "Radverband", "date": "2024-03-12", "text": _SPRING},
        {"id": "autumn", "source": "Radverband", "date": "2024-10-02", "text":
            "Lastenräder: Förderung wirkt\nSeit Städte den Kauf eines Lastenrads bezuschussen, steigen die Verkäufe "
            "deutlich. Familien mit Kindern nutzen die Räder für den Einkauf, Handwerker für Werkzeug. Die Händler "
            f"erwarten, dass die Lieferzeiten bald kürzer werden. {_STANDING} Pressekontakt über die Geschäftsstelle in Kassel."},
    ])
    related = _only_related(report)
    assert related["reason"] == "other" and "40 words" in related["explanation"]


def test_the_same_lines_in_another_outlet_with_a_paragraph_carried_over_stay_a_derivation(tmp_path):
    """Outside one outlet the rule does not apply: a blog printing the release's lines took them from it."""
    report = _audited(tmp_path / "office2", [
        {"id": "spring", "source": "Radverband", "date": "2024-03-12", "text": _SPRING},
        {"id": "blog", "source": "Stadtrad-Blog", "date": "2024-03-13", "text":
            "Lastenrad-Boom in der Stadt\nFamilien mit Kindern nutzen Lastenräder für den Einkauf und den Weg zur Kita. "
            f"{_STANDING} Wir haben drei Modelle ausprobiert und berichten nächste Woche."},
    ])
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("blog", "spring")]


def test_a_site_s_article_numbers_order_a_same_day_update(tmp_path, source_text):
    """The first version is wholly inside its update, which alone would make it look like the
    copy; the site's article numbers say it came first."""
    paragraphs = [p for p in source_text.split("\n\n") if len(p.split()) > 25]
    first = "Xi in Kasachstan eingetroffen\n" + "\n\n".join(paragraphs[:3])
    update = (
        "Xi und Tokajew vereinbaren engere Zusammenarbeit\nAm Mittwoch unterzeichneten Xi Jinping und "
        "Kassym-Jomart Tokajew in Astana mehrere Abkommen über Handel und Verkehr.\n\n" + "\n\n".join(paragraphs[:5])
    )
    report = _audited(tmp_path / "numbers", [
        {"id": "update", "url": "https://www.abendblatt-beispiel.de/politik/xi-tokajew-100200450.html", "date": "2024-07-03", "text": update},
        {"id": "first", "url": "https://www.abendblatt-beispiel.de/politik/xi-kasachstan-100200300.html", "date": "2024-07-03", "text": first},
    ])
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"]) == ("update", "first")
    assert any("100200300" in reason for reason in found["direction"]["reasons"])


def _far_apart_profiles(source_text, derivative_text):
    from provenance import derivation
    from provenance.ingest import RawRecord

    texts = {"release": source_text, "rewrite": derivative_text}
    texts.update({path.stem: path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))})
    profiles = []
    for n, (name, text) in enumerate(sorted(texts.items())):
        raw = RawRecord(id=name, text=text, origin=name, format="txt", given={"date": f"2024-0{1 + n % 9}-0{1 + n % 7}"})
        profiles.append(pipeline.profile(pipeline.analyse(raw)[0]))
    return derivation, profiles


def test_pairs_settled_without_alignment_align_to_nothing(source_text, derivative_text, monkeypatch):
    """`out_of_reach` is exact: every pair it settles gets no verdict from a full alignment."""
    derivation, profiles = _far_apart_profiles(source_text, derivative_text)
    pairs = [(a, b) for a in profiles for b in profiles if a.id < b.id and derivation.worth_aligning(a, b)]
    settled = [(a, b) for a, b in pairs if derivation.out_of_reach(a, b)]
    monkeypatch.setattr(derivation, "out_of_reach", lambda a, b: False)
    assert settled and len(settled) < len(pairs)
    assert all(derivation.compare_profiles(a, b) is None for a, b in settled)
    assert any(derivation.compare_profiles(a, b) for a, b in pairs)


def test_packed_units_give_the_same_profile(source_text, derivative_text):
    from provenance import terms

    _, profiles = _far_apart_profiles(source_text, derivative_text)
    for profile in profiles:
        units = terms.unpack_units(terms.pack_units(profile.units))
        assert units == profile.units
        assert [list(u.stems.items()) for u in units] == [list(u.stems.items()) for u in profile.units]


def test_figures_written_with_and_without_thousands_separators_are_the_same_figures(tmp_path):
    """One agency report run twice ("8.616" in one outlet, "8616" in another, one of them
    misdated weeks later) is the same story, not a template refilled with other figures."""
    first = (
        "Corona-Zahlen am Sonntag\nDie Gesundheitsämter in Deutschland haben dem Robert Koch-Institut binnen eines Tages "
        "8.616 Neuinfektionen gemeldet. Außerdem wurden 231 weitere Todesfälle verzeichnet, wie aus Zahlen des Instituts "
        "vom Sonntagmorgen hervorgeht. Die Zahl der Genesenen stieg nach Schätzungen auf 1.984.200 Menschen, die Zahl der "
        "Geimpften auf 2.514.000. Die Sieben-Tage-Inzidenz lag den Angaben nach bundesweit bei 75,6 und damit etwas "
        "niedriger als am Vortag.\nQuelle: dpa"
    )
    later = first.replace("8.616", "8616").replace("1.984.200", "1984200").replace("2.514.000", "2514000")
    report = _audited(tmp_path / "figures", [
        {"id": "first", "source": "Morgenpost", "date": "2021-02-07", "text": first},
        {"id": "later", "source": "Abendblatt", "date": "2021-03-16", "text": later},
    ])
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "dpa")


def test_two_sites_of_one_owner_repeating_a_promo_block_are_not_derived(tmp_path):
    """n-tv and Stern belong to one owner in the outlet registry and share its plugs; a shared
    block under a paragraph's length is the owner's furniture, as within one outlet."""
    pair = _promo_pair("ntvde", "sternde")
    pair[0]["url"] = "https://www.n-tv.de/wirtschaft/Stahlwerk-streicht-Stellen-article22000001.html"
    pair[1]["url"] = "https://www.stern.de/wirtschaft/hafen-meldet-rekordumschlag-30000002.html"
    pair[1]["date"] = "2024-05-20"
    report = _audited(tmp_path / "sisters", pair)
    related = _only_related(report)
    assert related["reason"] == "other" and "one owner" in related["explanation"]


SCHOOL_RELEASE = (
    "Handwerk braucht Lehrlinge\n"
    "Die Betriebe des Handwerks finden für jede dritte Lehrstelle keinen Bewerber mehr. "
    "Besonders knapp sind Nachwuchskräfte im Sanitärgewerbe, bei Dachdeckern und in Bäckereien. "
    "Im vergangenen Herbst blieben 23.400 Plätze unbesetzt, 11 Prozent mehr als im Jahr davor, in 14 von 16 Ländern. "
    "Die neue Kurzstudie schlägt vor, Berufsorientierung schon ab der siebten Klasse verbindlich zu machen. "
    "Mit zwei Praxistagen pro Halbjahr lernten Jugendliche die Werkstätten kennen, bevor sie sich für einen Weg entscheiden. "
    "Dazu gehören Schnupperwochen in den Ferien, Werkstattbesuche mit der ganzen Klasse und Paten aus den Innungen. "
    "Die Kosten dafür schätzen die Autoren auf ungefähr 180 Millionen Euro im Jahr. "
    "Der Geschäftsführer der Initiative Neue Soziale Marktwirtschaft fordert die Kultusminister auf, das Programm rasch zu beschließen."
)
SCHOOL_REPORT = (
    "Brücke bleibt monatelang gesperrt\n"
    "Die marode Talbrücke an der Bundesstraße wird frühestens im Herbst wieder für Lastwagen freigegeben. "
    "Gutachter hatten an 37 Stellen Risse im Beton gefunden, die Sanierung kostet nach ersten Schätzungen 12 Millionen Euro. "
    "Täglich müssen nun rund 9.500 Fahrzeuge eine Umleitung von 14 Kilometern nehmen. "
    "Die Anwohner der Umleitungsstrecke klagen über Lärm und verstopfte Ortsdurchfahrten. "
    "Der Landrat will beim Verkehrsministerium eine schnellere Prüfung der Pläne erreichen.\n\n"
    "In einer Kurzstudie fordert die Initiative Neue Soziale Marktwirtschaft (INSM) mehr Berufsorientierung an Schulen. "
    "Schon ab der siebten Klasse solle sie Pflicht werden. "
    "Mit zwei Praxistagen pro Halbjahr lernten Jugendliche die Werkstätten kennen, bevor sie sich für einen Weg entscheiden. "
    "Dazu zählen Schnupperwochen in den Ferien, Werkstattbesuche mit der ganzen Klasse und Paten aus den Innungen."
)


def test_a_report_taking_a_release_published_the_next_day_is_derived_from_it(tmp_path):
    """An embargoed release appears dated a day after the report built on it; the report's other
    story brings figures of its own, which do not make the shared sentences a template. The
    report names the organisation, so it is the later text, and its relation and measures are
    read in that direction (a bounded part of it comes from the release: partial)."""
    report = _audited(tmp_path / "release", [
        {"id": "release", "source": "insm_presse", "url": "https://www.insm.de/presse/lernluecken-messen",
         "date": "2024-03-12", "text": SCHOOL_RELEASE},
        {"id": "report", "source": "FAZ_Politik", "url": "https://www.faz.net/aktuell/politik/schule-im-lockdown-17234827.html",
         "date": "2024-03-11", "text": SCHOOL_REPORT},
    ])
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"]) == ("report", "release")
    assert found["relation"] == "partial"
    assert found["coverage"] == found["evidence"]["coverage"] < 0.5
    assert any("names release" in reason for reason in found["direction"]["reasons"])


SURVEY_RELEASE = (
    "Umfrage: Pendler wollen mehr Homeoffice\n"
    "Die meisten Berufspendler würden gern öfter von zu Hause aus arbeiten. "
    "Zwei Tage pro Woche wünschen sich 61 Prozent der Befragten, vor drei Jahren waren es 44 Prozent und 2015 nur 19 Prozent. "
    "Das ergab eine repräsentative Umfrage des Meinungsinstituts Nordlicht im Auftrag der Initiative Neue Soziale Marktwirtschaft. "
    "Nur 12 Prozent wollen wieder jeden Tag ins Büro fahren. "
    "Als größten Vorteil nennen 57 Prozent die gewonnene Zeit, die sonst im Stau oder im Zug verloren geht. "
    "Sorgen um den Kontakt zu Kollegen äußern 33 Prozent. "
    "Der Geschäftsführer der Initiative sieht darin einen klaren Auftrag an Arbeitgeber und Gesetzgeber. "
    "Befragt wurden im Februar insgesamt 1.480 Erwerbstätige, die mindestens 20 Kilometer zur Arbeit fahren. "
    "Am größten ist der Wunsch unter Eltern kleiner Kinder und unter Beschäftigten in der Verwaltung. "
    "Zurückhaltender sind Angestellte im Handel, deren Arbeit sich kaum verlagern lässt. "
    "Die vollständigen Tabellen und eine Präsentation stehen auf unserer Seite zum Herunterladen bereit."
)


def _survey_report(naming: bool, obtained: str = "") -> str:
    who = "im Auftrag der von Arbeitgebern finanzierten Initiative Neue Soziale Marktwirtschaft (INSM)" if naming else "in diesem Monat"
    return (
        "Lieber daheim als im Stau\n"
        "Wer weit zur Arbeit fährt, will immer seltener ins Büro. "
        "61 Prozent der Pendler hätten gern zwei Tage Homeoffice pro Woche, mehr als dreimal so viele wie 2015, als es 19 Prozent waren. "
        f"Das zeigt eine Umfrage des Meinungsinstituts Nordlicht unter knapp 1500 Pendlern, die {who} entstand{obtained}. "
        "Die gesparte Zeit auf Straße und Schiene ist für 57 Prozent der wichtigste Grund. "
        "Ein Drittel, 33 Prozent, fürchtet allerdings, den Draht zu den Kollegen zu verlieren. "
        "Zugleich geben 41 Prozent an, ihr Arbeitgeber erlaube bisher höchstens einen Tag zu Hause. "
        "In Großstädten ist der Wunsch deutlich stärker als auf dem Land, wo viele ohnehin mit dem Auto fahren. "
        "„Die Leute rechnen sehr genau, was sie das Pendeln kostet“, sagte die Leiterin des Instituts bei der Vorstellung. "
        "Die Verkehrsverbände sehen darin eine Chance, die Züge in den Stoßzeiten zu entlasten. "
        "Kritisch äußerten sich dagegen Innenstadthändler, die weniger Kundschaft in der Mittagspause fürchten. "
        "Ob die Bundesregierung ein Recht auf Homeoffice festschreibt, ist offen. "
        "Die Arbeitgeberverbände lehnen das ab, die Gewerkschaften fordern es seit Jahren. "
        "Eine Sprecherin des Arbeitsministeriums wollte die Zahlen nicht kommentieren."
    )


def _audit_release(tmp_path, release: dict, report: dict) -> dict:
    """The audit of a press release (id 'release', `kind: press_release`) and a report (id 'report')."""
    feed = _jsonl(tmp_path / "release.jsonl", [{"id": "release", "kind": "press_release", **release}, {"id": "report", **report}])
    return pipeline.audit([str(feed)], store.open_db(tmp_path / "release.db"))


@pytest.mark.parametrize("naming", [True, False])
def test_a_report_of_a_release_in_its_own_words_is_derived_from_it_when_it_names_the_issuer(tmp_path, naming):
    """A newsroom tells an organisation's survey from its press release in its own words, the
    release's figures in its matching sentences. Naming the organisation, it reports the
    release: a partial derivation, the release first. Without the name, the shared figures might
    be a third party's: two accounts of one event, nothing claimed."""
    report = _audit_release(
        tmp_path,
        {"source": "insm_presse", "url": "https://www.insm.de/presse/umfrage-vertrauen", "date": "2024-03-30", "text": SURVEY_RELEASE},
        {"source": "FAZ_Wirtschaft", "url": "https://www.faz.net/aktuell/wirtschaft/umfrage-mehr-markt-17271234.html",
         "date": "2024-03-30", "text": _survey_report(naming)},
    )
    if naming:
        (found,) = report["derivations"]
        assert (found["derivative"], found["source"], found["relation"]) == ("report", "release", "partial")
        assert found["direction"]["confidence"] > 0
        assert any("release is a press release" in reason for reason in found["direction"]["reasons"])
        assert found["attributed"] is True
    else:
        related = _only_related(report)
        assert related["reason"] == "same_event" and "press release" in related["explanation"]


def test_a_report_that_had_the_survey_itself_is_not_derived_from_the_release_about_it(tmp_path):
    """The same report in its own words, naming the issuer, but saying the survey lay before its
    newsroom ("…, die dem Morgenblatt vorliegt"): it had the paper, not (only) the release, and
    shares no wording with the release, so the figures tell nothing of which it used. Two
    accounts of one study; the sentence says where the paper came from."""
    report = _audited(tmp_path / "survey", [
        {"id": "release", "source": "insm_presse", "url": "https://www.insm.de/presse/umfrage-vertrauen",
         "date": "2024-03-30", "kind": "press_release", "text": SURVEY_RELEASE},
        {"id": "report", "source": "Morgenblatt", "url": "https://www.morgenblatt.example/wirtschaft/umfrage-homeoffice-1234.html",
         "date": "2024-03-30", "text": _survey_report(True, " und die dem Morgenblatt vorliegt")},
    ])
    related = _only_related(report)
    assert related["reason"] == "same_event"
    assert "die dem Morgenblatt vorliegt" in related["explanation"] and "press release" in related["explanation"]


AFTERNOON_RELEASE = (
    "Ganztag: Lernzeit statt Aufbewahrung\n"
    "Die Ganztagsschule muss mehr sein als eine Aufbewahrung am Nachmittag. "
    "Das fordert die Initiative Neue Soziale Marktwirtschaft (INSM) in einem neuen Positionspapier. "
    "Am Nachmittag sollten Lehrkräfte und Erzieher gemeinsam Förderstunden anbieten, statt nur die Hausaufgaben zu beaufsichtigen. "
    "Vor allem Kinder aus Familien ohne akademischen Hintergrund profitierten von verbindlichen Lernzeiten. "
    "Der Geschäftsführer der INSM, Hubertus Pellengahr, sagt: „Wer den Ganztag nur als Betreuung versteht, verschenkt die "
    "wichtigste Chance für mehr Bildungsgerechtigkeit. Die Länder müssen jetzt verbindliche Qualitätsstandards für den "
    "Nachmittag festlegen.“ "
    "Die Initiative schlägt vor, Sportvereine, Musikschulen und Handwerksbetriebe in die Angebote einzubinden. "
    "Das Positionspapier steht auf unserer Seite zum Herunterladen bereit."
)


def _afternoon_report(naming: bool) -> str:
    who = "die Initiative Neue Soziale Marktwirtschaft (INSM)" if naming else "ein arbeitgebernaher Verband"
    head = "INSM-Geschäftsführer Hubertus Pellengahr" if naming else "Sein Geschäftsführer"
    return (
        "Streit um den Ganztag\n"
        "Vom Sommer an haben Grundschüler einen Anspruch auf einen Platz am Nachmittag, doch vielerorts fehlen Räume und Personal. "
        "Die Kultusminister der Länder beraten an diesem Donnerstag in Potsdam darüber, wie der Ausbau gelingen soll. "
        "Die Kommunen klagen, dass sie mit den Baukosten allein gelassen würden. "
        "Die Gewerkschaft Erziehung und Wissenschaft warnt vor überlasteten Lehrkräften und fordert mehr Stellen. "
        "Elternverbände beklagen, dass die Qualität der Angebote von Schule zu Schule sehr unterschiedlich sei. "
        f"Mehr Förderung statt bloßer Betreuung verlangt nun {who}. "
        "Lehrer und Erzieher sollten nachmittags zusammen Förderstunden geben und nicht bloß Hausaufgaben beaufsichtigen, heißt es in ihrem Papier. "
        "Davon hätten besonders Kinder aus nichtakademischen Familien etwas. "
        f"{head} sagte: „Wer den Ganztag nur als Betreuung versteht, verschenkt die wichtigste Chance für mehr "
        "Bildungsgerechtigkeit.“ "
        "Auch Vereine, Musikschulen und Betriebe sollten mitmachen. "
        "Das Bildungsministerium in Potsdam verwies auf ein Landesprogramm, das schon jetzt Kooperationen mit Vereinen fördert. "
        "Eine Entscheidung der Kultusminister wird für Freitag erwartet."
    )


@pytest.mark.parametrize("naming", [True, False])
def test_a_report_of_a_release_without_figures_is_derived_from_it_by_its_spokesperson_s_words(tmp_path, naming):
    """A release that demands something has no figures to carry over; a report takes it up in its
    own words, one paragraph of a longer story, and quotes the issuer's spokesperson from it.
    Naming the issuer, the quotation and the corresponding sentences come from the release: a
    partial derivation, the release first. Without the name the quotation might be the
    speaker's words given elsewhere too: a shared quote, nothing claimed."""
    report = _audit_release(
        tmp_path,
        {"source": "insm_presse", "url": "https://www.insm.de/presse/ganztag-lernzeit", "date": "2024-05-14", "text": AFTERNOON_RELEASE},
        {"source": "FAZ_Politik", "url": "https://www.faz.net/aktuell/politik/streit-um-den-ganztag-17301234.html",
         "date": "2024-05-14", "text": _afternoon_report(naming)},
    )
    if naming:
        (found,) = report["derivations"]
        assert (found["derivative"], found["source"], found["relation"]) == ("report", "release", "partial")
        assert found["evidence"]["reports_release"] and found["evidence"]["release_quote_words"] >= 12
        assert found["evidence"]["release_figures"] == []
        assert found["direction"]["confidence"] > 0
        assert report["related"] == []
        assert basis(found) == (
            f"it tells the press release in its own words, with {found['evidence']['release_quote_words']} words of the "
            "statement it quotes"
        )
        write_reports(report, {}, tmp_path / "md")
        page = (tmp_path / "md" / "documents" / "report.md").read_text(encoding="utf-8")
        assert f"- why derived: {basis(found)}" in page
    else:
        related = _only_related(report)
        assert related["reason"] == "shared_quote"


LEXICON = [
    "The printing press is a device that applies pressure to an inked surface resting upon a print medium, thereby transferring the ink.",
    "It was invented in the Holy Roman Empire by the goldsmith Johannes Gutenberg around 1440, based on existing screw presses.",
    "Gutenberg's hand mould made it possible to cast movable metal type precisely and in large quantities.",
    "A single Renaissance press could produce up to 3,600 pages per workday, compared to forty by hand printing.",
    "Within several decades the press spread to over two hundred cities in a dozen European countries.",
    "By 1500 printing presses in operation throughout Western Europe had already produced more than twenty million volumes.",
    "The arrival of mechanical movable type printing introduced the era of mass communication, which permanently altered the structure of society.",
    "The relatively unrestricted circulation of information transcended borders and threatened the power of political and religious authorities.",
    "The sharp increase in literacy broke the monopoly of the literate elite on education and learning and bolstered the emerging middle class.",
    "In the nineteenth century the hand-operated press was replaced by steam-powered rotary presses, allowing printing on an industrial scale.",
]
OWN = [
    "I think this was one of the most important inventions in history.",
    "My teacher once showed us a copy of an old printed bible in a museum.",
    "Books became much cheaper, so ordinary families could buy them for the first time.",
    "Today we take printed paper for granted, but it changed how people thought.",
    "Scholars still argue about how quickly the new technique really spread.",
    "It is interesting that the basic idea came from wine presses used by farmers.",
]
MORE_OWN = [
    "Before that, monks copied every book by hand, which took months for a single volume.",
    "Some rulers tried to control what could be printed, but they rarely succeeded for long.",
]
LEXICON_ENTRY = {"id": "a_lexicon", "source": "lexicon", "text": "Printing press\n" + " ".join(LEXICON)}


def _answer(n: int, sentences: list[str]) -> dict:
    return {"id": f"answer_{n}", "source": "class_answers", "text": f"Answer {n}\n" + " ".join(sentences)}


def test_text_many_answers_copy_from_another_source_is_reuse_not_their_furniture(tmp_path):
    """Six answers of one source copy the same three sentences of an article (each with a word of
    its own, so the lines are not one recurring line). Text recurring in
    many documents of one source is that source's furniture (footers, teasers) only when no
    other source has it; here it is the article's, so each answer is derived from it."""
    answers = [_answer(n, [f"{line[:-1]}, as answer {n} recalls." for line in LEXICON[:3]] + [OWN[n]]) for n in range(6)]
    report = pipeline.audit([str(_jsonl(tmp_path / "answers.jsonl", [LEXICON_ENTRY, *answers]))], store.open_db(tmp_path / "a.db"))
    assert {(d["derivative"], d["source"]) for d in report["derivations"]} == {(f"answer_{n}", "a_lexicon") for n in range(6)}
    assert all(d["coverage"] >= 0.75 for d in report["derivations"]), "the copied sentences count in full"
    assert all(r["reason"] == "common_source" and r["common_source"] == "a_lexicon" for r in report["related"])


def test_with_nothing_dating_them_the_text_many_draw_on_is_the_source(tmp_path):
    """An answer that copies most of an article and adds more of its own covers less of itself
    than of the article, so coverage alone calls the article the copy. Four other
    answers draw on the article: it is the centre of the star, and the source."""
    picks = [(6, 7), (8, 9), (6, 8), (7, 9)]
    answers = [_answer(n, [LEXICON[i], LEXICON[j], OWN[n]]) for n, (i, j) in enumerate(picks)]
    answers.append(_answer(4, [*LEXICON[:6], *OWN, *MORE_OWN]))
    report = pipeline.audit([str(_jsonl(tmp_path / "star.jsonl", [LEXICON_ENTRY, *answers]))], store.open_db(tmp_path / "s.db"))
    (expander,) = [d for d in report["derivations"] if "answer_4" in (d["derivative"], d["source"])]
    assert (expander["derivative"], expander["source"]) == ("answer_4", "a_lexicon")
    assert any("draw on a_lexicon" in reason for reason in expander["direction"]["reasons"])
    assert report["origins"]["answer_4"] == ["a_lexicon"]


def test_dates_not_the_star_order_dated_texts(tmp_path):
    """The star decides only where nothing but the wording speaks: with dates on every text,
    the dates order the pair and the centre of the star counts for nothing."""
    picks = [(6, 7), (8, 9), (6, 8), (7, 9)]
    answers = [{**_answer(n, [LEXICON[i], LEXICON[j], OWN[n]]), "date": "2024-05-10"} for n, (i, j) in enumerate(picks)]
    answers.append({**_answer(4, [*LEXICON[:6], *OWN, *MORE_OWN]), "date": "2024-05-02"})
    entry = {**LEXICON_ENTRY, "date": "2024-05-03"}
    report = pipeline.audit([str(_jsonl(tmp_path / "dated.jsonl", [entry, *answers]))], store.open_db(tmp_path / "d.db"))
    assert not any("draw on" in reason for d in report["derivations"] for reason in d["direction"]["reasons"])
    (expander,) = [d for d in report["derivations"] if "answer_4" in (d["derivative"], d["source"])]
    assert (expander["derivative"], expander["source"]) == ("a_lexicon", "answer_4"), "dated a day later, the article is the copy"


def test_the_gate_over_summaries_stops_no_pair_worth_aligning(source_text, derivative_text):
    """`Gate` settles pairs without their profiles: it may let a pair through that
    `worth_aligning` stops, never the other way round, and it does stop some."""
    derivation, profiles = _far_apart_profiles(source_text, derivative_text)
    gate = derivation.Gate()
    for found in profiles:
        gate.add(found.id, derivation.gate_summary(found))
    pairs = [(a, b) for a in profiles for b in profiles if a.id < b.id]
    passed = {(a.id, b.id) for a, b in pairs if gate.may_pass(a.id, b.id)}
    worth = {(a.id, b.id) for a, b in pairs if derivation.worth_aligning(a, b)}
    assert worth <= passed
    assert {(a.id, b.id) for a, b in pairs if derivation.compare_profiles(a, b)} <= passed
    assert len(passed) < len(pairs)


def test_the_gate_passes_what_it_cannot_tell():
    """A document two of whose seeds share a hash, an unreadable URL, and a vocabulary share at
    the threshold (summed in another order than Python's) all pass the gate."""
    import numpy as np

    from provenance import derivation

    def summary(seeds=(), stems=(), weights=(), url=None, quotes=()):
        weights = np.array(weights, dtype=np.float64)
        return derivation.GateSummary(
            seeds=None if seeds is None else np.array(sorted(seeds), dtype=np.int64), stems=tuple(stems),
            weights=weights, total=sum(weights.tolist()), quotes=frozenset(quotes), url=url,
        )

    gate = derivation.Gate()
    gate.add("plain", summary(seeds=[1, 2, 3], stems=["berlin", "senat"], weights=[1.0, 1.0]))
    gate.add("clash", summary(seeds=None, stems=["hamburg"], weights=[1.0]))
    gate.add("url", summary(seeds=[7], stems=["hafen"], weights=[1.0], url=""))
    gate.add("apart", summary(seeds=[9], stems=["hafen", "kran"], weights=[1.0, 1.0]))
    gate.add("quoted", summary(seeds=[8], stems=["bremen"], weights=[1.0], quotes=["wir bauen die brücke neu"]))
    gate.add("quoting", summary(seeds=[6], stems=["kiel"], weights=[1.0], quotes=["wir bauen die brücke neu"]))
    gate.add("two_seeds", summary(seeds=[2, 3, 40], stems=["köln"], weights=[1.0]))
    # 0.1 + 0.1 over a total of 1.0: the share is 0.2 up to rounding, and 0.2 is enough
    gate.add("fifth", summary(seeds=[50], stems=["a", "b", "c"], weights=[0.1, 0.1, 0.8]))
    gate.add("ab", summary(seeds=[51], stems=["b", "a"], weights=[1.0, 1.0]))
    assert gate.may_pass("plain", "clash")
    assert gate.may_pass("url", "plain")
    assert gate.may_pass("quoted", "quoting")
    assert gate.may_pass("plain", "two_seeds")
    assert gate.may_pass("fifth", "ab")
    assert gate.may_pass("apart", "url")      # half of apart's vocabulary is in url's
    assert not gate.may_pass("plain", "apart")
    assert not gate.may_pass("quoted", "plain")


def test_the_wording_bound_is_never_below_difflib():
    """`align.wording_bound` lets align skip difflib for sentence pairs that cannot reach the
    threshold; it must never be below the ratio difflib gives."""
    import difflib
    import random

    from provenance import align

    rng = random.Random(5)
    words = "der die das Senat Hafen baut neue Brücke Kiel am Montag 12 Millionen Euro".split()
    for _ in range(2000):
        a = [rng.choice(words) for _ in range(rng.randint(0, 14))]
        b = [rng.choice(words) for _ in range(rng.randint(0, 14))]
        matcher = difflib.SequenceMatcher(None, b=b, autojunk=False)
        matcher.set_seq1(a)
        assert align.wording_bound(a, b) >= matcher.ratio()


def test_alignment_is_the_same_without_the_bound(source_text, derivative_text, monkeypatch):
    """The bound that spares difflib where the wording cannot help changes nothing align finds."""
    from provenance import align

    derivation, profiles = _far_apart_profiles(source_text, derivative_text)
    pairs = [(a, b) for a in profiles for b in profiles if a.id != b.id and derivation.worth_aligning(a, b)]
    calls = {"wording": 0}

    def counted(*args, _original=align.wording_similarity):
        calls["wording"] += 1
        return _original(*args)

    monkeypatch.setattr(align, "wording_similarity", counted)
    bounded = [align.align(a.units, b.units) for a, b in pairs]
    spared = calls["wording"]
    monkeypatch.setattr(align, "wording_bound", lambda d, s: 1.0)
    assert [align.align(a.units, b.units) for a, b in pairs] == bounded
    assert any(result.sentence_pairs for result in bounded)
    assert spared < calls["wording"] - spared


def test_sentence_pairs_scored_at_once_are_the_reference_scores(source_text, derivative_text):
    """`_shared_weights` scores every sentence pair of two texts with array operations; each
    pair's numbers are `sentence_similarity`'s (the definition, one pair at a time) to the last
    bit: the same topic-discounted weights, their sums, the shared weight, and which pairs a
    stem at POSTING_WEIGHT or more in both sentences joins."""
    from provenance import align

    derivation, profiles = _far_apart_profiles(source_text, derivative_text)
    pairs = [(a, b) for a in profiles for b in profiles if a.id != b.id]
    seen_posting = 0
    for a, b in pairs:
        d, s = a.prepared, b.prepared
        discounted = lambda own, other, unit: {
            stem: w / max(own.df.get(stem, 1), other.df.get(stem, 1)) ** align.TOPIC_DISCOUNT for stem, w in unit.stems.items()
        }
        mine = [discounted(d, s, unit) for unit in d.units]
        theirs = [discounted(s, d, unit) for unit in s.units]
        d_totals, s_totals, scored = align._shared_weights(d, s)
        assert d_totals == [sum(w.values()) for w in mine] and s_totals == [sum(w.values()) for w in theirs]
        reference = {}
        for i, unit in enumerate(d.units):
            for j, other in enumerate(s.units):
                _, shared = align.sentence_similarity(mine[i], theirs[j], set(), set())
                if any(stem in other.stems for stem in unit.stems):
                    posting = any(w >= align.POSTING_WEIGHT and other.stems.get(stem, 0) >= align.POSTING_WEIGHT
                                  for stem, w in unit.stems.items())
                    reference[i, j] = (shared, posting)
        assert {(i, j): (shared, posting) for i, j, shared, posting in scored} == reference
        assert [(i, j) for i, j, _, _ in scored] == sorted(reference)
        seen_posting += sum(posting for _, posting in reference.values())
    assert seen_posting > 50


def test_two_agency_reports_of_one_site_weeks_apart_are_not_a_write_through(tmp_path):
    """One site runs two dpa reports three weeks apart that share the agency's standing
    background: both come from the agency, but they are not two versions of one story."""
    background = (
        "Die Behörde veröffentlicht ihre Zahlen jeden Morgen auf ihrer Internetseite, nachgemeldete Fälle aus den "
        "Ländern werden dabei erst in den folgenden Tagen berücksichtigt, weshalb die Werte am Wochenende meist "
        "niedriger ausfallen und zu Wochenbeginn wieder steigen, wie das Amt selbst in seinen Erläuterungen betont. "
        "Experten raten deshalb, eher auf die Entwicklung über mehrere Wochen als auf einzelne Tageswerte zu schauen."
    )
    report = _audited(tmp_path / "agency", [
        {"id": "first", "source": "Nordbote", "url": "https://www.nordbote.example/panorama/lage-1.html", "date": "2024-02-01",
         "text": "Mehr Fälle im Norden\nDie Zahl der gemeldeten Fälle ist im Norden deutlich gestiegen, vor allem in den "
                 "Küstenkreisen meldeten die Gesundheitsämter viele neue Erkrankungen. " + background + " (dpa)"},
        {"id": "second", "source": "Nordbote", "url": "https://www.nordbote.example/panorama/lage-2.html", "date": "2024-02-22",
         "text": "Kliniken melden Entspannung\nIn den Krankenhäusern des Landes hat sich die Lage spürbar beruhigt, auf den "
                 "Stationen werden wieder planbare Eingriffe vorgenommen. " + background + " (dpa)"},
    ])
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "dpa")
    assert "21 days apart" in related["explanation"] and "write-through" not in related["explanation"]


def test_a_sentence_after_a_run_merged_across_edits_finds_its_source_sentence():
    """A verbatim run merged across two small cuts (three words each in the source) is six words
    longer in the source: the copied sentence after it must still meet the source sentence it
    copies, not only the one the run's start-aligned offsets point into."""
    from provenance import align, terms
    from provenance.ingest import RawRecord

    def units(text, name):
        return terms.units(pipeline.analyse(RawRecord(id=name, text=text, origin=name, format="txt", given={}))[0])

    opening = "Die Kanzlerin eröffnete am Morgen das neue Forschungszentrum für Batteriezellen bei Schwarzheide in der Lausitz, "
    source = units(
        opening + "so das Ministerium, nach langen Verhandlungen mit dem Freistaat und dem Bund, wie es hieß, über die Förderung "
        "der Anlage. Kanzler Scholz lobte Schwarzheides Ingenieure.", "source",
    )
    derivative = units(
        opening + "nach langen Verhandlungen mit dem Freistaat und dem Bund über die Förderung der Anlage. "
        "Kanzler Scholz lobte Schwarzheides Ingenieure.", "derivative",
    )
    d, s = align.prepare(derivative), align.prepare(source)
    ((a0, a1, b0, b1, _),) = align.verbatim_runs(d.forms, s.forms, s.kgrams, d.kgrams)
    assert (b1 - b0) - (a1 - a0) == 6
    pairs = {(i, j) for i, j, _ in align.align(derivative, source).sentence_pairs}
    assert pairs == {(0, 0), (1, 1)}


MINISTER_WORDS = (
    "damit Länder und Gemeinden endlich mehr Geld für Brücken, Schwimmbäder, Bibliotheken, Buslinien und die "
    "Feuerwehr in der Hand haben"
)
CRITICS_RELEASE = (
    "Steuerpläne des Ministers gehen an der Wirklichkeit vorbei\n"
    "Der Verband der Familienunternehmer hält die Pläne des Finanzministers für einen Irrweg. "
    "Die Steuereinnahmen seien in den vergangenen zehn Jahren um mehr als vierzig Prozent gestiegen, rechnet der Verband vor. "
    "Kaum ein anderes Land verteile so stark um wie die Bundesrepublik. "
    f"Der Minister fordert eine neue Abgabe auf große Vermögen, angeblich „{MINISTER_WORDS}“. "
    "Dabei fehle es den Kommunen nicht an Geld, sondern an Planern und schnellen Genehmigungen. "
    "Der Verband verlangt stattdessen eine Reform der Unternehmenssteuern und weniger Bürokratie."
)


def _interview_report(words: str) -> str:
    return (
        "Finanzminister will Reiche stärker belasten\n"
        "Der Finanzminister will nach der Wahl die Steuern für sehr hohe Einkommen erhöhen. "
        "Das sagte er in einem Interview mit einer Regionalzeitung am Wochenende. "
        "Untere und mittlere Einkommen sollen im Gegenzug entlastet werden, etwa über einen höheren Grundfreibetrag. "
        f"Seine Partei unterstütze zudem eine Vermögensteuer, {words}. "
        "Die Opposition kritisierte die Pläne als Wahlkampfmanöver. "
        "Der Koalitionspartner kündigte an, keiner Steuererhöhung zuzustimmen."
    )


def test_a_statement_one_text_quotes_and_the_other_retells_does_not_make_a_derivation():
    """A lobby's release attacks a minister's interview, quoting twenty of his words; a report of
    the interview gives the same words as reported speech, without quotation marks. The words
    are the minister's: both have them from him, and nothing else of the release is in the
    report. Related by a shared quote, not a derivation; the same run in the release's own
    prose (no quotation marks) is still reuse."""
    retold = _interview_report(MINISTER_WORDS.replace("haben", "hätten"))
    verdict = provenance.compare(retold, CRITICS_RELEASE, "report", "release")
    assert verdict["kind"] == "related" and verdict["reason"] == "shared_quote", verdict.get("explanation")
    assert "that release quotes and report gives without quotation marks" in verdict["explanation"]
    prose_release = CRITICS_RELEASE.replace(f"„{MINISTER_WORDS}“", MINISTER_WORDS)
    verdict = provenance.compare(retold, prose_release, "report", "release")
    assert verdict["kind"] == "derivation" and (verdict["derivative"], verdict["source"]) == ("report", "release")


def test_words_the_later_text_quotes_from_a_person_are_not_the_other_s_prose():
    """The other way round: the report quotes the minister („…“, said to a regional paper) and
    the lobby's release gives his words without quotation marks, as its own summary. The report
    names no one but the minister for them: his words, shared, not the release's prose. Quoting
    the release by name ('wie der Verband der Familienunternehmer schreibt: „…“') reuses it."""
    quoting = _interview_report(f"„{MINISTER_WORDS}“, sagte der Minister")
    summary = CRITICS_RELEASE.replace(f"angeblich „{MINISTER_WORDS}“", f"nach eigenen Worten {MINISTER_WORDS}")
    feed = {"given_a": {"url": "https://www.morgenblatt.example/politik/steuern-1.html", "date": "2024-02-26"},
            "given_b": {"url": "https://www.familienunternehmer.example/presse/steuerplaene.html", "date": "2024-02-25"}}
    verdict = pipeline.compare_texts(quoting, summary, "report", "release", **feed)
    assert verdict["kind"] == "related" and verdict["reason"] == "shared_quote", verdict.get("explanation")
    assert "that report quotes and release gives without quotation marks" in verdict["explanation"]
    crediting = _interview_report(f"wie die Familienunternehmer schreiben: „{MINISTER_WORDS}“")
    verdict = pipeline.compare_texts(crediting, summary, "report", "release", **feed)
    assert verdict["kind"] == "derivation" and (verdict["derivative"], verdict["source"]) == ("report", "release")


GASWORKS_BACKGROUND = (
    "Das alte Gaswerk am Hafen steht seit 1994 unter Denkmalschutz und gehört seit zwölf Jahren einer Stiftung, "
    "die dort ein Kulturzentrum mit Ateliers, einem Café und einem kleinen Museum zur Geschichte der Stadtwerke betreibt. "
    "Die Pläne für einen Anbau mit Büros und Wohnungen sind seit Jahren umstritten, weil Anwohner mehr Verkehr und "
    "Lärm am Hafenbecken fürchten und der Naturschutzbund um die Fledermäuse im Dachstuhl bangt. "
)
GASWORKS_FIRST = (
    "Ausschuss vertagt Entscheidung über Gaswerk-Anbau\n"
    "Der Bauausschuss des Bezirks hat die Entscheidung über den Anbau am alten Gaswerk am Dienstagabend erneut vertagt. "
    "Die Abgeordneten wollen zunächst ein Gutachten zu den Verkehrsfolgen abwarten, das im Herbst vorliegen soll. "
    + GASWORKS_BACKGROUND +
    "Die Stiftung zeigte sich enttäuscht und sprach von einer Hängepartie auf Kosten der Künstler. "
    "Der Investor kündigte an, an seinen Plänen festzuhalten und notfalls kleiner zu bauen. "
    "Im Ausschuss warben die Grünen für eine Lösung ohne Parkhaus, die Liberalen für mehr Wohnungen statt Büros. "
    "Eine Bürgerinitiative hatte vor der Sitzung mehr als zweitausend Unterschriften gegen den Anbau übergeben. "
    "Der Bezirksbürgermeister sagte, er rechne nicht vor dem Jahresende mit einem Beschluss."
)
GASWORKS_LATER = (
    "Bezirksversammlung stimmt für Anbau am Gaswerk\n"
    "Die Bezirksversammlung hat den umstrittenen Anbau am alten Gaswerk am Donnerstagabend mit knapper Mehrheit gebilligt. "
    "Für den Bebauungsplan stimmten 28 Abgeordnete, 25 dagegen, zwei enthielten sich. "
    "Das Verkehrsgutachten, auf das der Bauausschuss gewartet hatte, sieht nur eine geringe Zunahme des Verkehrs am Hafenbecken. "
    "Der Investor muss nach dem Beschluss auf das geplante Parkhaus verzichten und ein Drittel der Flächen als Wohnungen bauen. "
    + GASWORKS_BACKGROUND +
    "Die Bürgerinitiative kündigte an, gegen den Bebauungsplan zu klagen. "
    "Die Stiftung begrüßte den Beschluss, weil er die Ateliers und das Museum dauerhaft sichere. "
    "Der Bezirksbürgermeister sprach von einem fairen Kompromiss nach jahrelangem Streit. "
    "Baubeginn soll im kommenden Frühjahr sein, die Arbeiten sollen zwei Jahre dauern."
)
GASWORKS_UPDATE = (
    "Ausschuss vertagt Entscheidung über Gaswerk-Anbau – Stiftung klagt\n"
    "Die Stiftung des alten Gaswerks zieht gegen die Vertagung vor das Verwaltungsgericht, wie ihr Anwalt am Montag mitteilte. "
    "Die Hängepartie gefährde die Förderung des Museums durch das Land, die an einen Baubeginn im nächsten Jahr geknüpft sei. "
    "Das Gericht will im Eilverfahren noch vor der Sommerpause entscheiden. "
    + GASWORKS_FIRST.split("\n", 1)[1]
)


@pytest.mark.parametrize("later, derived", [(GASWORKS_LATER, False), (GASWORKS_UPDATE, True)])
def test_an_outlet_s_new_story_with_an_old_background_paragraph_is_not_its_rewrite(tmp_path, later, derived):
    """Ten days after its report on a committee's adjournment, a local paper reports the assembly's
    vote on the same building plan and carries over the report's background paragraph (some
    sixty words) word for word, the rest new. A new story on the dispute with the outlet's
    background, not the report told again: related. The report re-topped with three new
    sentences over its old copy, ten days on, is its update: a derivation."""
    report = _audited(tmp_path / "gasworks", [
        {"id": "first", "source": "Hafenblatt", "url": "https://www.hafenblatt.example/bezirk/gaswerk-ausschuss-1001.html",
         "date": "2024-06-04", "text": GASWORKS_FIRST},
        {"id": "later", "source": "Hafenblatt", "url": "https://www.hafenblatt.example/bezirk/gaswerk-1002.html",
         "date": "2024-06-14", "text": later},
    ])
    if derived:
        (found,) = report["derivations"]
        assert (found["derivative"], found["source"]) == ("later", "first")
    else:
        related = _only_related(report)
        assert related["reason"] == "other" and "one block of text and little else" in related["explanation"]


def test_an_outlet_reusing_its_own_text_owes_no_credit(tmp_path):
    """Ten days on, a paper tops its report with news it credits to CNN and runs the old copy
    beneath: its own text, which it needs to credit to no one; crediting CNN for what it adds
    is no wrong credit. Before, this update counted as unattributed reuse naming the wrong outlet."""
    update = GASWORKS_UPDATE.replace("vor der Sommerpause entscheiden.", "vor der Sommerpause entscheiden, berichtete CNN.")
    report = _audited(tmp_path / "own", [
        {"id": "first", "url": "https://www.tagesspiegel.de/berlin/gaswerk-ausschuss-1001.html", "date": "2024-06-04",
         "text": GASWORKS_FIRST},
        {"id": "update", "url": "https://www.tagesspiegel.de/berlin/gaswerk-klage-1002.html", "date": "2024-06-14",
         "text": update},
    ])
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"], found["attributed"]) == ("update", "first", True)
    assert found["attribution"]["names_wrong_outlet"] is False


@pytest.mark.parametrize("url, source, names", [
    ("https://news.cgtn.com/news/2024-07-03/a.html", "CGTN", {"cgtn"}),
    ("https://www.rnd.de/politik/a.html", "RND_de", {"rnd"}),
    ("https://www.focus.de/politik/a.html", "FOCUS_TopNews", {"focus"}),
    ("https://www.bbc.co.uk/news/a", None, {"bbc"}),
    (None, "derspiegel", {"derspiegel"}),
    (None, None, set()),
])
def test_the_words_a_text_names_an_outlet_by(url, source, names):
    """What `_names` looks for when a derivative quotes words the source has: the site's name
    and the first word of the feed label, at least three letters."""
    assert derivation.Profile(id="p", units=[], url=url, source=source).names == frozenset(names)


STATEMENT = (
    "„Jedes dritte Kind verlässt die Grundschule, ohne sicher schwimmen zu können, und die Bäder in den "
    "Kleinstädten machen eines nach dem anderen zu. Wir brauchen einen Schwimmpakt von Bund, Ländern und "
    "Gemeinden, der die Sanierung der Lehrschwimmbecken bis zum Ende des Jahrzehnts sichert. Ein Seepferdchen "
    "im Zeugnis darf nicht davon abhängen, ob die Eltern einen privaten Kurs bezahlen können. Wer die Becken "
    "jetzt schließen lässt, bezahlt später mit Badeunfällen an Seen und Flüssen, die niemand mehr verhindern "
    "kann. Die Vereine stehen bereit, ihre Übungsleiter auch vormittags in die Schulen zu schicken, wenn die "
    "Kommunen ihnen die Wasserzeiten dafür freihalten und die Fahrtkosten der Klassen übernehmen.“"
)


def test_a_paragraph_long_statement_is_quoted_to_its_closing_mark(tmp_path):
    """A release's statement of its director runs over 600 characters inside „…“; a report quotes
    two of its sentences. Both texts quote those words: the director's, not the release's prose
    that the report would give as a quotation."""
    from provenance import terms
    from provenance.ingest import RawRecord

    release = (
        "Schwimmverband fordert Pakt für Lehrschwimmbecken\n"
        "Kassel. Der Landesschwimmverband verlangt ein gemeinsames Programm für die Sanierung kleiner Bäder. "
        "Seine Präsidentin Hanna Voss erklärte dazu:\n" + STATEMENT + "\nPressekontakt: Landesschwimmverband"
    )
    assert len(STATEMENT) > 600  # longer than a quotation with marks that open and close alike may run
    doc = pipeline.analyse(RawRecord(id="release", text=release, origin="release", format="txt", given={}))[0]
    statement = [u for u in terms.units(doc) if "Seepferdchen" in release[u.start:u.end]]
    assert statement and all(all(u.quoted) for u in statement)
    report = (
        "Immer weniger Kinder lernen schwimmen\n"
        "Die Bäderschließungen der vergangenen Jahre treffen vor allem die Grundschulen im ländlichen Raum. „Ein "
        "Seepferdchen im Zeugnis darf nicht davon abhängen, ob die Eltern einen privaten Kurs bezahlen können. Wer die "
        "Becken jetzt schließen lässt, bezahlt später mit Badeunfällen an Seen und Flüssen“, sagte Hanna Voss vom "
        "Landesschwimmverband. Der Städtetag verweist auf die Energiekosten, die viele Kommunen zum Handeln zwingen, "
        "und will im Herbst über ein Förderprogramm sprechen."
    )
    feed = _jsonl(tmp_path / "statement.jsonl", [
        {"id": "release", "source": "schwimmverband_presse", "kind": "press_release", "date": "2021-03-10", "text": release},
        {"id": "report", "url": "https://www.zeitung-beispiel.de/politik/schwimmen-1.html", "date": "2021-03-10", "text": report},
    ])
    result = pipeline.audit([str(feed)], store.open_db(tmp_path / "q.db"))
    assert result["derivations"] == []
    (related,) = result["related"]
    assert related["reason"] == "shared_quote"
    assert "without quotation marks" not in related["explanation"]


KRUEGER_INTERVIEW = (
    "Gesundheitsminister Krüger: „Die Kliniken brauchen jetzt einen Rettungsschirm“\n"
    "Der niedersächsische Gesundheitsminister Ulrich Krüger fordert vom Bund ein Sofortprogramm für kleine "
    "Krankenhäuser auf dem Land. „Wenn wir jetzt nicht handeln, schließen bis zum Herbst zwanzig Kliniken in "
    "Niedersachsen ihre Notaufnahmen für immer“, sagte Krüger im Interview mit dem Redaktionsnetzwerk Deutschland. "
    "Die Defizite der Häuser seien seit dem Frühjahr um ein Drittel gestiegen, vor allem wegen der Energiekosten. "
    "„Der Bund hat die Krankenhausreform versprochen, aber das Geld kommt erst, wenn die Häuser längst geschlossen "
    "sind“, sagte der SPD-Politiker. Die Länder wollen das Thema bei der Gesundheitsministerkonferenz im Juni "
    "auf die Tagesordnung setzen."
)


def _credited_quote(credit: str) -> str:
    return (
        "Kliniksterben: Länder schlagen Alarm\n"
        "Der Streit über die Finanzierung der Krankenhäuser spitzt sich zu. Mehrere Länder verlangen vom "
        "Bundesgesundheitsministerium mehr Geld für die Häuser auf dem Land, die Krankenkassen warnen dagegen vor "
        "steigenden Beiträgen. „Wenn wir jetzt nicht handeln, schließen bis zum Herbst zwanzig Kliniken in "
        f"Niedersachsen ihre Notaufnahmen für immer“, {credit}. Das Ministerium in Berlin verwies auf die geplante "
        "Reform, über die der Bundestag nach der Sommerpause beraten soll. Die Deutsche Krankenhausgesellschaft "
        "rechnet mit weiteren Insolvenzen in diesem Jahr."
    )


def _with_interview(folder, report_text: str) -> dict:
    """The audit of RND's interview and a FOCUS report of the same day with `report_text`."""
    return _audited(folder, [
        {"id": "rnd", "url": "https://www.rnd.de/politik/krueger-kliniken-interview-ABC.html", "date": "2024-05-06",
         "text": KRUEGER_INTERVIEW},
        {"id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06", "text": report_text},
    ])


def _retold_interview(credit: str) -> str:
    """`_credited_quote` that goes on to retell three more of the interview's sentences in its own words."""
    return _credited_quote(credit) + (
        " Krüger verlangt vom Bund ein Sofortprogramm für die kleinen Krankenhäuser auf dem Land. Seit dem Frühjahr "
        "seien die Defizite der Kliniken um ein Drittel gestiegen, vor allem wegen hoher Energiekosten. Die Länder wollen "
        "das Thema im Juni bei der Gesundheitsministerkonferenz auf die Tagesordnung setzen."
    )


def test_quotes_said_to_an_outlet_and_lifted_with_its_name_are_taken_from_it(tmp_path):
    """RND's interview gives the minister's words first; a report that quotes them 'sagte Krüger dem
    RND' and retells more of the interview says where it has them from: a derivation of RND's
    interview, credited. The same words with a credit to another outlet, or to none, are the
    minister's words both quote."""
    interview = {"id": "rnd", "url": "https://www.rnd.de/politik/krueger-kliniken-interview-ABC.html",
                 "date": "2024-05-06", "text": KRUEGER_INTERVIEW}
    feed = _jsonl(tmp_path / "credited.jsonl", [interview, {
        "id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06",
        "text": _retold_interview("sagte Niedersachsens Gesundheitsminister Ulrich Krüger dem Redaktionsnetzwerk Deutschland (RND)"),
    }])
    report = pipeline.audit([str(feed)], store.open_db(tmp_path / "c.db"))
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"], found["relation"]) == ("focus", "rnd", "paraphrase")
    assert found["attributed"] is True
    assert any("as said to RND" in reason for reason in found["direction"]["reasons"])
    assert found["direction"]["confidence"] > 0

    for name, credit in (("agency", "sagte Krüger der Deutschen Presse-Agentur"), ("none", "sagte Krüger am Montag in Hannover")):
        feed = _jsonl(tmp_path / f"{name}.jsonl", [interview, {
            "id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06",
            "text": _credited_quote(credit),
        }])
        report = pipeline.audit([str(feed)], store.open_db(tmp_path / f"{name}.db"))
        assert report["derivations"] == [], name
        assert [r["reason"] for r in report["related"]] == ["shared_quote"], name

    # RND's article dated the day after the report is RND's own later account, not where the report had the words.
    report = _audited(tmp_path / "later", [dict(interview, date="2024-05-07"), {
        "id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06",
        "text": _credited_quote("sagte Niedersachsens Gesundheitsminister Ulrich Krüger dem Redaktionsnetzwerk Deutschland (RND)"),
    }])
    assert report["derivations"] == []


def test_direction_lists_the_evidence_against_it_after_the_reasons_for_it(tmp_path):
    """The report picks up RND's interview, crediting it, and adds figures of its own: those
    speak for the other order, and a reader weighing the confidence sees them, marked."""
    text = _retold_interview("sagte Niedersachsens Gesundheitsminister Ulrich Krüger dem Redaktionsnetzwerk Deutschland (RND)") + (
        " Betroffen sind 14 Häuser mit 2300 Beschäftigten und 900 Betten.")
    report = _with_interview(tmp_path / "against", text)
    (found,) = report["derivations"]
    reasons = found["direction"]["reasons"]
    assert (found["derivative"], found["source"]) == ("focus", "rnd") and found["direction"]["confidence"] > 0
    assert "as said to RND" in reasons[1] and not reasons[0].startswith("against")
    assert "against: rnd lacks 3 figures that focus gives (14, 2300, 900)" in reasons
    first_against = next(i for i, r in enumerate(reasons) if r.startswith("against: "))
    assert all(r.startswith("against: ") for r in reasons[first_against:])


BRIDGE_DECISION = (
    "Neue Brücke über die Wessel soll 2029 fertig sein\n\n"
    "Der Kreistag von Hohenfels hat am Donnerstag den Bau einer neuen Brücke über die Wessel beschlossen. Das "
    "Bauwerk soll die marode Stahlbrücke aus dem Jahr 1961 ersetzen, die seit dem vergangenen Sommer nur noch für "
    "Fahrzeuge bis 7,5 Tonnen freigegeben ist. Die Kosten schätzt die Kreisverwaltung auf 23 Millionen Euro, von "
    "denen das Land 60 Prozent übernehmen will. Landrat Bernd Kämpfer sprach von einer „Lebensader für den ganzen "
    "Süden des Kreises“. Während der Bauzeit wird der Verkehr über eine Behelfsbrücke flussaufwärts geführt. Die "
    "Arbeiten sollen im Herbst beginnen und bis 2029 abgeschlossen sein. Pendler müssen sich nach Angaben der "
    "Verwaltung auf längere Fahrzeiten einstellen.\n"
)


def test_undated_a_rewrite_that_adds_text_of_its_own_but_drops_the_figures_is_the_derivative():
    """Undated, a page that takes five of the decision's sentences word for word, leaves out the
    ones with the figures, and adds a paragraph of its own is explained less by the decision than
    the decision is by it: containment alone would take the page for the source. The figures it
    drops say the order, and outweigh it."""
    page = (
        "Hohenfels bekommt eine neue Wesselbrücke\n\n"
        "Der Kreistag von Hohenfels hat am Donnerstag den Bau einer neuen Brücke über die Wessel beschlossen. Landrat "
        "Bernd Kämpfer sprach von einer „Lebensader für den ganzen Süden des Kreises“. Während der Bauzeit wird der "
        "Verkehr über eine Behelfsbrücke flussaufwärts geführt. Die Arbeiten sollen im Herbst beginnen und bis 2029 "
        "abgeschlossen sein. Pendler müssen sich nach Angaben der Verwaltung auf längere Fahrzeiten einstellen.\n\n"
        "Die alte Brücke gehört zu den meistbefahrenen Verbindungen der Region, jeden Morgen stauen sich dort "
        "Lastwagen und Schulbusse. Anwohner des Ortsteils Ebersgrund beklagen seit Jahren den Lärm und die "
        "Erschütterungen, wenn schwere Fahrzeuge über die Fahrbahn rollen. Der Bürgerverein hatte deshalb schon früh "
        "eine Umgehungsstraße gefordert, die nun aber vom Tisch ist. Auch die Fischer am Fluss verfolgen die Pläne "
        "aufmerksam, weil sie um die Laichplätze unterhalb der Brücke fürchten.\n"
    )
    verdict = provenance.compare(page, BRIDGE_DECISION, "page", "decision")
    assert verdict["kind"] == "derivation" and (verdict["derivative"], verdict["source"]) == ("page", "decision")
    reasons = verdict["direction"]["reasons"]
    assert verdict["direction"]["confidence"] > 0
    assert reasons[0] == "page drops 4 figures that decision gives (1961, 23, 60, 7.5); the rewrite is less specific"
    assert reasons[1].startswith("against: ") and "of decision is traced to page" in reasons[1]


AP_FLOOD_BARRIER = (
    "City council approves $48 million flood barrier for Riverside district\n\n"
    "MILLBROOK, Ore. (AP) — The Millbrook city council voted 7-2 on Tuesday to build a $48 million flood "
    "barrier along the Kessel River, a year after floodwaters damaged more than 600 homes in the "
    "Riverside district.\n\n"
    "The barrier, a mix of concrete walls and earthen levees, will stretch 3.2 miles from the Harbor "
    "Street bridge to the old rail yard. Construction is expected to begin next spring and take about "
    "three years.\n\n"
    "Mayor Linda Okafor called the vote “a promise to every family that lost everything last March.” "
    "Federal grants will cover 65 percent of the cost, with the rest coming from a bond measure voters "
    "approved in November.\n\n"
    "Council members Dave Brennan and Rosa Lindqvist voted against the plan, arguing that the city should "
    "first buy out homes in the lowest-lying streets. Brennan said the barrier would push floodwater onto "
    "farmland downstream.\n\n"
    "The Army Corps of Engineers must still sign off on the design before work can start.\n"
)


FLOOD_BARRIER_REWRITE = (
    "Millbrook to build massive flood wall after last year's disaster\n\n"
    "Residents of Millbrook's Riverside neighborhood may finally get the protection they have been asking "
    "for. On Tuesday, city leaders gave the green light to a flood barrier costing $48 million, approving "
    "the project by a 7-2 margin. Last year, the Kessel River overflowed and damaged over 600 houses in "
    "the area.\n\n"
    "The planned structure will combine earthen levees with concrete walls and run for 3.2 miles, from "
    "the Harbor Street bridge all the way to the former rail yard. Work should start next spring and is "
    "set to last roughly three years.\n\n"
    "According to Mayor Linda Okafor, the decision amounts to “a promise to every family that lost "
    "everything last March.” Washington will pay for 65 percent of the project through grants; a bond "
    "measure approved by voters in November covers the remainder.\n\n"
    "Not everyone was on board. Two council members, Dave Brennan and Rosa Lindqvist, opposed the plan "
    "and said the city should buy out homes on the lowest streets first. Brennan warned that the wall "
    "could send floodwater onto farms further downstream.\n\n"
    "Before any construction begins, the design still needs approval from the Army Corps of "
    "Engineers.\n\n"
    "Floods like this are becoming more common across the country, and many towns are struggling to keep "
    "up. Experts say investing in protection now can save much more money later.\n"
)


def test_an_ap_story_with_its_state_in_the_dateline_is_agency_copy():
    """'MILLBROOK, Ore. (AP) —': AP's dateline names the state after the place. Read as a wire
    credit, it makes the story AP copy, and a site's rewrite of it a sibling of the AP story (as
    with dpa copy), not the source of the AP text it rewrites (undated, containment alone would
    have said so)."""
    verdict = provenance.compare(FLOOD_BARRIER_REWRITE, AP_FLOOD_BARRIER, "rewrite", "ap-story")
    assert verdict["kind"] == "related" and verdict["reason"] == "common_source"
    assert verdict["common_source"] == "ap"
    assert "ap-story carries ap copy" in verdict["explanation"]


PLANT_FINE = (
    "Chemical firm fined for river spill\n\n"
    "A chemical company was fined £2.4 million today after a leak from its Harwick plant killed thousands of fish "
    "in the River Lune.\n\n"
    "Norcastle Chemicals admitted breaching environmental permits when it appeared at Preston Crown Court. The "
    "court heard that a corroded valve allowed cleaning solvent to flow into the river for almost six hours in "
    "June 2022.\n\n"
    "Judge Alan Price said the company had ignored repeated warnings from its own engineers. The firm was also "
    "ordered to pay £180,000 in costs.\n"
)
PLANT_FINE_PAPER = (
    "Fish-kill firm hit with £2.4m fine\n\n"
    "A chemical company was fined £2.4 million yesterday after a leak from its Harwick plant killed thousands of "
    "fish in the River Lune.\n\n"
    "Norcastle Chemicals admitted breaching environmental permits at Preston Crown Court. The court heard that a "
    "corroded valve let cleaning solvent flow into the river for almost six hours in June 2022.\n\n"
    "Judge Alan Price said the company had ignored repeated warnings from its own engineers. The firm must also "
    "pay £180,000 in costs.\n\n"
    "Anglers along the Lune say the river has still not recovered. Local clubs have cancelled competitions for two "
    "seasons and volunteers have spent months clearing the banks of dead fish and restocking the water with young "
    "trout. Residents of the villages downstream have called for tougher checks on the plant, which employs "
    "several hundred people and has been part of the town for decades.\n"
)

def test_undated_the_text_that_says_yesterday_where_the_other_says_today_was_written_later():
    """A wire story filed on the day of the hearing says the firm was fined 'today'; the next
    morning's paper retells it, 'yesterday', and adds a paragraph of its own, so more of the
    wire story is found in the paper than the other way round: containment alone would take
    the paper for the source. The days the two put the same fine on say the order. A day
    said inside a quotation is the speaker's, not the writer's, and says nothing of it."""
    verdict = provenance.compare(PLANT_FINE_PAPER, PLANT_FINE, "paper", "wire")
    assert (verdict["derivative"], verdict["source"]) == ("paper", "wire") and verdict["direction"]["confidence"] > 0
    reasons = verdict["direction"]["reasons"]
    assert reasons[0] == (
        "paper says 'yesterday' (characters 36–167) where wire says 'today' of the same event (characters 37–164): "
        "paper was written 1 day later"
    )
    assert reasons[1].startswith("against: 100% of wire is traced to paper")
    quoted = PLANT_FINE_PAPER.replace(
        "A chemical company was fined £2.4 million yesterday",
        "“A chemical company was fined £2.4 million yesterday,” a spokesman said,",
    )
    verdict = provenance.compare(quoted, PLANT_FINE, "paper", "wire")
    assert not any("yesterday" in reason for reason in verdict["direction"]["reasons"])


REUTERS_SIGN_OFF = "(Reporting by Jane Doe in London; Additional reporting by Max Roe in Singapore; Editing by Bill Roe and Ann Lee)\n"


def test_two_wire_stories_by_one_reporter_share_only_their_sign_off():
    """Two Reuters stories by the same reporter and editors, on oil and on retail sales, end with
    the same sign-off. It is the newsroom's furniture, not text of either story: no relation, not
    "siblings of one wire story"."""
    oil = (
        "Oil prices rise as supply worries grow\n\nLONDON, March 3 (Reuters) - Oil prices rose on Tuesday as traders "
        "weighed supply disruptions in the Middle East against weaker demand from China. Brent crude futures gained "
        "1.2 percent to $84.10 a barrel by 1000 GMT.\n\n" + REUTERS_SIGN_OFF
    )
    retail = (
        "British retailers report weak February sales\n\nLONDON, March 5 (Reuters) - British retailers had their "
        "weakest February in three years as shoppers cut back on clothing and furniture, an industry survey showed on "
        "Thursday. Sales fell 0.8 percent from a year earlier.\n\n" + REUTERS_SIGN_OFF
    )
    assert provenance.compare(oil, retail, "oil", "retail")["kind"] == "none"


def test_one_quote_said_to_an_outlet_is_a_pickup_of_the_quote_not_a_rewrite(tmp_path):
    """A report on the dispute between the Länder and the health insurers quotes one of the
    minister's lines 'sagte Krüger dem RND' and tells the rest itself: the words come from RND's
    interview, and the relation says so, but the report is no rewrite of the interview."""
    report = _with_interview(tmp_path / "one-quote", _credited_quote("sagte Niedersachsens Gesundheitsminister Ulrich Krüger dem Redaktionsnetzwerk Deutschland (RND)"))
    related = _only_related(report)
    assert related["reason"] == "shared_quote"
    assert related["evidence"]["quote_picked_up_from"] == "rnd" and related["evidence"]["credited_outlet"] == "RND"
    assert "focus quotes" in related["explanation"] and "as said to RND" in related["explanation"]
    assert "pickup of the quote" in related["explanation"]


KRUEGER_INTERVIEW_GOES_ON = (
    " In der Pflege sieht Krüger das größere Problem. „Uns fehlen in Niedersachsen schon heute viertausend "
    "Pflegekräfte, und jedes Jahr gehen mehr in Rente, als wir ausbilden“, sagte er. Das Land werde die "
    "Ausbildungsvergütung im kommenden Jahr anheben und Anwerbebüros in Südeuropa eröffnen. Von einer Impfpflicht "
    "für Klinikpersonal hält der Minister nichts. Auch die Digitalisierung der Gesundheitsämter komme zu langsam "
    "voran, räumte Krüger ein; noch immer würden Befunde per Fax verschickt. Eine erneute Kandidatur bei der "
    "Landtagswahl ließ er offen: Darüber entscheide die Partei im Herbst."
)


OWN_REPORTING = (
    " Die Krankenkassen halten dagegen. Der Verband der Ersatzkassen rechnet für das kommende Jahr mit einem Defizit "
    "von mehreren Milliarden Euro und verlangt, dass die Länder ihre Investitionskosten selbst tragen. „Wir können "
    "nicht jedes Haus retten, das seit Jahren rote Zahlen schreibt“, sagte Verbandschefin Karin Maiwald in Berlin. "
    "Im Landkreis Hohenfeld hat der Kreistag bereits beschlossen, die Geburtsstation in Altenbruch zu schließen; "
    "Hebammen und Eltern protestierten am Wochenende vor dem Landratsamt. Auch in Sachsen-Anhalt stehen zwei Häuser "
    "zum Verkauf, ein privater Betreiber aus Hamburg prüft die Übernahme. Der Gesundheitsökonom Jens Obermaier hält "
    "eine Konzentration auf weniger, aber besser ausgestattete Standorte für unvermeidlich. Entscheidend sei, dass "
    "Notfälle auch auf dem Land innerhalb von dreißig Minuten versorgt würden. Die Opposition im Bundestag wirft der "
    "Regierung vor, die Reform zu verschleppen. Der CDU-Abgeordnete Till Sandner sprach von einem „kalten "
    "Strukturwandel, den niemand steuert“. Die Grünen fordern einen Fonds, aus dem der Umbau von Kliniken zu "
    "ambulanten Zentren bezahlt werden soll. Im Ministerium hieß es, ein Entwurf liege den Ländern seit April vor. "
    "Eine Einigung werde bis zum Sommer angestrebt. Die Pflegegewerkschaft warnt vor Entlassungen in den "
    "betroffenen Häusern und kündigte Warnstreiks an. Patientenschützer verlangen eine Garantie für die "
    "Notaufnahmen in dünn besiedelten Regionen. Wie viele Betten tatsächlich wegfallen, ist umstritten. Eine Studie "
    "im Auftrag der Kassen kommt auf deutlich geringere Zahlen als die Kliniklobby. Die Bundesärztekammer mahnt, "
    "die Debatte nicht allein über Geld zu führen. Sie verweist auf lange Wartezeiten in den Notaufnahmen der "
    "Großstädte. Der Städtetag will das Thema bei seiner Hauptversammlung im Mai beraten."
)


def test_an_interview_retold_in_one_paragraph_of_a_report_of_its_own_is_a_pickup(tmp_path):
    """The report retells RND's interview as before (the credited quote and three more of its
    sentences; the interview goes on to other topics) but goes on with reporting of its own four times as long: the insurers, a
    district closing a maternity ward, an economist, the opposition. A paragraph picked up from
    the interview, credited, inside another story: the words come from RND, the report was not
    written from it."""
    credit = "sagte Niedersachsens Gesundheitsminister Ulrich Krüger dem Redaktionsnetzwerk Deutschland (RND)"
    related = _only_related(_audited(tmp_path / "paragraph", [
        {"id": "rnd", "url": "https://www.rnd.de/politik/krueger-kliniken-interview-ABC.html", "date": "2024-05-06",
         "text": KRUEGER_INTERVIEW + KRUEGER_INTERVIEW_GOES_ON},
        {"id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06",
         "text": _retold_interview(credit) + OWN_REPORTING},
    ]))
    assert related["reason"] == "shared_quote" and related["evidence"]["quote_picked_up_from"] == "rnd"
    assert "as said to RND" in related["explanation"] and "of its words) match rnd clearly" in related["explanation"]
    # the same paragraph on its own is the interview retold: a derivation, credited
    (found,) = _with_interview(tmp_path / "alone", _retold_interview(credit))["derivations"]
    assert (found["derivative"], found["source"], found["attributed"]) == ("focus", "rnd", True)


def test_the_outlet_named_in_quotation_marks_is_not_part_of_the_picked_up_words(tmp_path):
    """'sagte Krüger dem „Tagesspiegel“: „Wenn wir …“': the outlet's name stands in quotation
    marks right before the quotation, and both texts have it there. The explanation shows what
    was said, from its first word."""
    interview = KRUEGER_INTERVIEW.replace(
        "„Wenn wir jetzt nicht handeln", "Das sagte Krüger dem Tagesspiegel. „Wenn wir jetzt nicht handeln"
    ).replace("“, sagte Krüger im Interview mit dem Redaktionsnetzwerk Deutschland.", "“")
    report = _credited_quote("sagte er").replace(
        "„Wenn wir jetzt nicht handeln", "Das sagte Krüger dem „Tagesspiegel“: „Wenn wir jetzt nicht handeln"
    ).replace("“, sagte er.", "“.")
    related = _only_related(_audited(tmp_path / "named", [
        {"id": "tsp", "url": "https://www.tagesspiegel.de/politik/krueger-kliniken-123.html", "date": "2024-05-06",
         "text": interview},
        {"id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06", "text": report},
    ]))
    assert related["reason"] == "shared_quote" and related["evidence"]["quote_picked_up_from"] == "tsp"
    assert "(„wenn wir jetzt nicht handeln" in related["explanation"], related["explanation"]


KRALL_INTERVIEW = (
    "Arbeitgeberpräsident Krall: „Die Betriebe verlieren die Geduld“\n"
    "BILD am SONNTAG: Herr Krall, wie geht es den Betrieben nach dem langen Winter?\n"
    "Jochen Krall: Viele Mittelständler sind am Ende ihrer Kräfte. Die Aufträge sind da, aber uns fehlen Teile, "
    "Energie ist teuer und die Auflagen ändern sich jede Woche.\n"
    "BamS: Was erwarten Sie von der Ministerpräsidentenkonferenz?\n"
    "Krall: Was die Länderchefs beschließen, hat mit dem Alltag in den Werkhallen seit Wochen nichts mehr zu tun. Mir "
    "wäre ein Plan für alle Länder lieber als zweihundert Sonderregeln in den Kreisen, die kein Betrieb mehr "
    "überblickt.\n"
    "BamS: Halten Sie Steuererhöhungen für nötig?\n"
    "Krall: Auf keinen Fall. Wer jetzt die Steuern erhöht, würgt den Aufschwung ab, bevor er begonnen hat.\n"
    "BamS: Und die Rente mit siebzig?\n"
    "Krall: Darüber werden wir reden müssen, ob wir wollen oder nicht. Die Rechnung geht sonst nicht auf."
)


def _krall_round_up(credit: str) -> str:
    """A round-up of the weekend's reactions, of its own but for one paragraph: two of Krall's answers, quoted."""
    return (
        "Länder streiten über Öffnungen – Wirtschaft macht Druck\n"
        "Vor dem Treffen der Länderchefs am Montag wächst der Streit über den richtigen Kurs. Mehrere "
        "Ministerpräsidenten wollen Geschäfte und Schulen schrittweise öffnen, andere warnen vor steigenden Zahlen. "
        "Der Städtetag verlangt einheitliche Regeln für Innenstädte und Busse. "
        "Arbeitgeberpräsident Jochen Krall kritisierte die Länderchefs scharf. „Was die Länderchefs beschließen, hat "
        f"mit dem Alltag in den Werkhallen seit Wochen nichts mehr zu tun“, {credit}. „Mir wäre ein Plan für alle "
        "Länder lieber als zweihundert Sonderregeln in den Kreisen, die kein Betrieb mehr überblickt.“ "
        "Die Gewerkschaften halten dagegen: Gesundheitsschutz gehe vor, sagte eine Sprecherin in Frankfurt. Der "
        "Handelsverband rechnet mit weiteren Schließungen im Frühjahr und fordert schnellere Hilfen. In Thüringen "
        "kündigte die Landesregierung an, die Notbremse strenger auszulegen. Die Kanzlerin will am Sonntagabend mit "
        "den Fraktionschefs beraten. Eine Einigung gilt als offen."
    )


def test_answers_an_interview_prints_without_quotation_marks_are_the_interviewee_s_words(tmp_path):
    """BILD am SONNTAG prints its interview as questions and answers, without quotation marks; a
    round-up quotes two of the answers 'sagte er der „Bild am Sonntag“' and is otherwise its own.
    Those are words said to the paper (the first person says so: an agency's account of an
    interview gives them as reported speech), picked up from its interview, not the paper's prose
    copied: a shared quote naming the interview. Without the credit the round-up names no outlet and the
    words are still a statement both give, not a derivation."""
    related = _only_related(_audited(tmp_path / "answers", [
        {"id": "bams", "url": "https://www.bild.de/politik/inland/krall-interview-75123456.bild.html",
         "date": "2024-03-03", "text": KRALL_INTERVIEW},
        {"id": "focus", "url": "https://www.focus.de/politik/laender-streiten_id_200.html", "date": "2024-03-03",
         "text": _krall_round_up("sagte er der „Bild am Sonntag“")},
    ]))
    assert related["reason"] == "shared_quote" and related["evidence"].get("quote_picked_up_from") == "bams"
    assert "an interview's answers" in related["explanation"] or "as said to" in related["explanation"]
    uncredited = _only_related(_audited(tmp_path / "uncredited", [
        {"id": "bams", "url": "https://www.bild.de/politik/inland/krall-interview-75123456.bild.html",
         "date": "2024-03-03", "text": KRALL_INTERVIEW},
        {"id": "focus", "url": "https://www.focus.de/politik/laender-streiten_id_200.html", "date": "2024-03-03",
         "text": _krall_round_up("sagte er")},
    ]))
    assert uncredited["reason"] == "shared_quote" and "quote_picked_up_from" not in uncredited["evidence"]
    # A report that retells the interview, answer by answer, quoting one: written from it, credited.
    retold = _audited(tmp_path / "retold", [
        {"id": "bams", "url": "https://www.bild.de/politik/inland/krall-interview-75123456.bild.html",
         "date": "2024-03-03", "text": KRALL_INTERVIEW},
        {"id": "focus", "url": "https://www.focus.de/politik/krall-interview_id_201.html", "date": "2024-03-03", "text": (
            "Arbeitgeberpräsident warnt: Betriebe verlieren die Geduld\n"
            "Arbeitgeberpräsident Jochen Krall sieht viele Mittelständler am Ende ihrer Kräfte. Die Aufträge seien da, "
            "aber es fehlten Teile, Energie sei teuer und die Auflagen änderten sich jede Woche, sagte Krall der „Bild am "
            "Sonntag“. „Mir wäre ein Plan für alle Länder lieber als zweihundert Sonderregeln in den Kreisen, die kein "
            "Betrieb mehr überblickt“, sagte er über die Länderchefs. Steuererhöhungen lehnt Krall ab: Wer jetzt die Steuern erhöhe, "
            "würge den Aufschwung ab, bevor er begonnen habe. Über die Rente mit siebzig werde man reden müssen, ob man "
            "wolle oder nicht, sonst gehe die Rechnung nicht auf."
        )},
    ])
    (found,) = retold["derivations"]
    assert (found["derivative"], found["source"], found["attributed"]) == ("focus", "bams", True)
    assert any("as said to Bild" in reason for reason in found["direction"]["reasons"])


def test_one_quote_with_the_outlet_s_sentence_around_it_is_still_a_pickup(tmp_path):
    """Beside the credited quotation the report copies the interview's one sentence of indirect
    speech word for word (16 words of RND's prose): one statement picked up with its context,
    not a rewrite of the interview. A paragraph of RND's prose would make it one."""
    text = _credited_quote("sagte Niedersachsens Gesundheitsminister Ulrich Krüger dem Redaktionsnetzwerk Deutschland (RND)") + (
        " Die Defizite der Häuser seien seit dem Frühjahr um ein Drittel gestiegen, vor allem wegen der Energiekosten.")
    report = _with_interview(tmp_path / "context", text)
    related = _only_related(report)
    assert related["reason"] == "shared_quote" and related["evidence"]["quote_picked_up_from"] == "rnd"
    assert related["evidence"]["longest_unquoted_verbatim_words"] >= 12


def test_a_statement_retold_with_the_outlet_s_name_says_where_it_was_picked_up(tmp_path):
    """The report gives the minister's words without quotation marks, as reported speech, and
    names RND: a statement picked up from RND's interview, not "a third party's words, which
    both may have from that party"."""
    statement = _credited_quote("sagte Krüger dem Redaktionsnetzwerk Deutschland (RND)").replace("„", "").replace("“", "")
    report = _with_interview(tmp_path / "retold", statement)
    related = _only_related(report)
    assert related["reason"] == "shared_quote" and "without quotation marks" in related["explanation"]
    assert "words focus credits to RND, picked up from its interview" in related["explanation"]
    assert "third party" not in related["explanation"]
    assert related["evidence"]["quote_picked_up_from"] == "rnd"


def test_a_shared_quote_says_when_one_text_names_the_other_s_outlet_elsewhere(tmp_path):
    """The report credits RND for another of the minister's statements, far from the quotation it
    shares with RND's interview: no pickup of that quotation is shown, but the explanation says
    the report names RND, which a reader checking where the words came from needs to know."""
    text = _credited_quote("sagte Krüger am Montag in Hannover") + (
        " Die Kassen verweisen auf Rücklagen, die in diesem Jahr aufgebraucht würden, und fordern eine Reform der "
        "Vergütung, bevor neues Geld fließt. Die Opposition im Landtag wirft der Regierung vor, die Lage zu lange "
        "beschönigt zu haben. Er wolle einen Rettungsschirm für die Häuser auf dem Land, sagte Krüger dem RND.")
    report = _with_interview(tmp_path / "named", text)
    related = _only_related(report)
    assert related["reason"] == "shared_quote" and related["explanation"].startswith("both quote the same words: „")
    assert related["explanation"].endswith("; focus names RND as a source")


def test_an_agency_copy_of_an_outlet_s_interview_is_derived_from_the_interview(tmp_path):
    """BILD's interview, and an AFP report on another site quoting it 'sagte Krüger der „Bild“':
    the agency relayed BILD's interview; BILD did not take the agency's text, so this is no
    agency copy both used (`common_source`), but a pickup of the interview. Weeks later, the
    same credited line as a sliver of a long round-up is a background quote, not a derivation."""
    interview = {"id": "bild", "url": "https://www.bild.de/politik/inland/krueger-kliniken-12345678.bild.html",
                 "date": "2024-05-06", "text": KRUEGER_INTERVIEW.replace("im Interview mit dem Redaktionsnetzwerk Deutschland", "im Interview mit BILD")}
    relay = {"id": "afp", "url": "https://www.tagesspiegel.de/politik/kliniken-100.html", "date": "2024-05-06",
             "text": _retold_interview("sagte Krüger der „Bild“-Zeitung") + " (AFP)"}
    report = pipeline.audit([str(_jsonl(tmp_path / "relay.jsonl", [interview, relay]))], store.open_db(tmp_path / "r.db"))
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"]) == ("afp", "bild")
    assert found["evidence"]["credited_quote_words"] >= 12

    later = dict(relay, id="roundup", date="2024-06-20", text=relay["text"].replace(" (AFP)", "") + "\n\n" + "\n\n".join(
        f"Im Landkreis {name} stehen {n} Betten leer, {n + 7} Pflegekräfte fehlen, und der Kreistag berät am {n % 28 + 1}. Juni "
        f"über einen Zuschuss von {n * 3} Millionen Euro für das Krankenhaus, das seit {2000 + n % 20} zum Landkreis gehört."
        for n, name in enumerate(["Celle", "Uelzen", "Peine", "Goslar", "Nienburg", "Verden", "Diepholz", "Aurich",
                                  "Leer", "Emsland", "Wittmund", "Friesland", "Ammerland", "Cloppenburg"], start=11)
    ))
    report = pipeline.audit([str(_jsonl(tmp_path / "later.jsonl", [interview, later]))], store.open_db(tmp_path / "l.db"))
    assert report["derivations"] == []


@pytest.mark.parametrize("signed, derived", [("RND/dpa", True), ("Quelle: dpa", False)])
def test_a_quotation_credited_to_an_outlet_is_not_taken_from_agency_copy_on_its_site(tmp_path, signed, derived):
    """The minister's words 'sagte Krüger dem RND', and RND's site carrying them. Signed 'RND/dpa',
    the page is RND's own writing with agency material: the report picked up RND's interview.
    Signed 'Quelle: dpa', it is the agency's copy of the interview, which the report need not have
    read there: both carry the agency's text."""
    interview = {"id": "rnd", "url": "https://www.rnd.de/politik/krueger-kliniken-interview-ABC.html",
                 "date": "2024-05-06", "text": KRUEGER_INTERVIEW + "\n" + signed}
    report = _audited(tmp_path / "signed", [interview, {
        "id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06",
        "text": _retold_interview("sagte Niedersachsens Gesundheitsminister Ulrich Krüger dem Redaktionsnetzwerk Deutschland (RND)"),
    }])
    if derived:
        (found,) = report["derivations"]
        assert (found["derivative"], found["source"], found["attributed"]) == ("focus", "rnd", True)
    else:
        assert report["derivations"] == []
        assert [(r["reason"], r["common_source"]) for r in report["related"]] == [("common_source", "dpa")]


def test_one_quotation_found_in_two_texts_of_the_outlet_is_one_pickup(tmp_path):
    """RND's interview and RND's explainer of the same day both carry the minister's words; the
    report quotes them, and a second line only the interview has, 'sagte Krüger dem RND': one
    pickup, from the interview, not two derivations from two RND texts."""
    explainer = (
        "Kliniken in Not: Was Patienten jetzt wissen müssen\n"
        "Wer ein Krankenhaus auf dem Land braucht, muss sich in diesem Sommer auf längere Wege einstellen. Die "
        "Notaufnahmen mehrerer Häuser haben ihre Öffnungszeiten verkürzt, geplante Eingriffe werden verschoben. "
        "„Wenn wir jetzt nicht handeln, schließen bis zum Herbst zwanzig Kliniken in Niedersachsen ihre "
        "Notaufnahmen für immer“, warnt Gesundheitsminister Krüger. Patienten sollten vor einem geplanten Eingriff "
        "bei ihrer Klinik nachfragen, ob der Termin steht, und im Notfall weiter die 112 wählen."
    )
    report = _retold_interview("sagte Krüger dem Redaktionsnetzwerk Deutschland") + (
        " „Der Bund hat die Krankenhausreform versprochen, aber das Geld kommt erst, wenn die Häuser längst "
        "geschlossen sind“, fügte er hinzu."
    )
    feed = _jsonl(tmp_path / "twice.jsonl", [
        {"id": "interview", "url": "https://www.rnd.de/politik/krueger-kliniken-interview-ABC.html", "date": "2024-05-06", "text": KRUEGER_INTERVIEW},
        {"id": "explainer", "url": "https://www.rnd.de/gesundheit/kliniken-fragen-DEF.html", "date": "2024-05-06", "text": explainer},
        {"id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06", "text": report},
    ])
    result = pipeline.audit([str(feed)], store.open_db(tmp_path / "t.db"))
    assert [(d["derivative"], d["source"]) for d in result["derivations"] if d["derivative"] == "focus"] == [("focus", "interview")]
    (once,) = [r for r in result["related"] if r["documents"] == ["explainer", "focus"]]
    assert once["reason"] == "other" and "reported once, as focus ← interview" in once["explanation"]


def test_two_texts_quoting_words_said_to_a_third_outlet_picked_up_its_interview(tmp_path):
    """FOCUS and WELT both quote the minister's words 'sagte Krüger dem RND'; RND's interview is
    not in the corpus. Their likeness comes from RND: a common source named, not a shared quote of
    a statement both may have heard."""
    report = _audited(tmp_path / "third", [
        {"id": "focus", "url": "https://www.focus.de/politik/kliniksterben_id_100.html", "date": "2024-05-06",
         "text": _credited_quote("sagte Niedersachsens Gesundheitsminister Ulrich Krüger dem Redaktionsnetzwerk Deutschland (RND)")},
        {"id": "welt", "url": "https://www.welt.de/politik/deutschland/article250000000/Kliniken.html", "date": "2024-05-06",
         "text": "Krankenhäuser: Minister warnt vor Schließungen\nIn Niedersachsen droht mehreren Kliniken das Aus. „Wenn wir jetzt "
                 "nicht handeln, schließen bis zum Herbst zwanzig Kliniken in Niedersachsen ihre Notaufnahmen für immer“, sagte "
                 "Krüger dem RND. Der Gesundheitsminister verlangt Hilfe vom Bund. Die Landesregierung will im Juni über Hilfen für die Häuser beraten, "
                 "die Opposition fordert ein eigenes Landesprogramm und wirft der Regierung vor, zu spät zu reagieren."},
    ])
    related = _only_related(report)
    assert (related["reason"], related["common_source"]) == ("common_source", "RND")
    assert "said to RND" in related["explanation"]



def test_a_template_refilled_with_the_days_figures_is_no_shared_passage(tmp_path):
    """Outlets that fill one agency sentence with each day's figure share its words, but the
    figures they give differ: a template, not text one has from the other."""
    template = (
        "Die Zahl der Patienten, die seit Beginn der Welle in den Kliniken des ganzen Landes behandelt "
        "werden mussten, stieg laut Lagebericht auf {}."
    )
    records = _daily_records(lambda n: template.format(f"{8412 + 97 * n:,}".replace(",", ".")))
    report = pipeline.audit([str(_jsonl(tmp_path / "template.jsonl", records))], store.open_db(tmp_path / "t.db"))
    assert report["derivations"] == [] and report["related"] == []


def test_a_shared_passage_never_runs_across_a_segment_left_out(source_text):
    """Where one text has a newsletter button between two sentences the other also has, the
    button is debris and left out of its prose, but the words around it are still not one run:
    the passage is the longer of the two sentences, and its offsets cut the same words from both."""
    from provenance.ingest import RawRecord

    first = "Der Stausee oberhalb von Lindach wird ab dem kommenden Frühjahr für mindestens zwei Jahre vollständig abgelassen und saniert."
    middle = "\nNewsletter abonnieren\n"
    last = "Die Fische werden vorher von Mitarbeitern des Fischereivereins abgefischt und in den Weihern rund um den Ort ausgesetzt, wie der Verein mitteilte."

    def profile(name, text, date):
        return pipeline.profile(pipeline.analyse(RawRecord(id=name, text=text, origin=name, format="txt", given={"date": date}))[0])

    with_plug = profile("plug", f"Stausee wird abgelassen\n{first} {middle} {last}", "2024-05-02")
    plain = profile("plain", f"Arbeiten am Stausee\n{first} {last}", "2024-05-20")
    assert not [u for u in with_plug.units if "newsletter" in {w.form for w in u.words}], "the plug is debris"
    verdict = derivation._shared_passage(with_plug, plain)
    assert verdict is not None
    spans = verdict["evidence"]["shared_passage"]
    texts = {"plug": f"Stausee wird abgelassen\n{first} {middle} {last}", "plain": f"Arbeiten am Stausee\n{first} {last}"}
    assert texts["plug"][slice(*spans["plug"])] == texts["plain"][slice(*spans["plain"])] == last.rstrip(".")


def test_a_shared_passage_is_recurring_text_either_way_round():
    """Whether the passage is recurring text is read in each text at its own offsets: the same
    answer whichever text comes first, however the two texts' offsets line up."""
    from provenance.ingest import RawRecord

    line = (
        "Die Messstelle unterhalb der alten Eisenbahnbrücke meldet den Pegel des Flusses alle fünfzehn Minuten "
        "an die Landesanstalt für Umwelt, die ihn im Netz veröffentlicht."
    )
    texts = {"plain": f"Hochwasser am Fluss\n{line} Die Fähre fährt wieder.", "framed": f"Pegel am Morgen\n{line} Der Campingplatz bleibt zu."}

    def profile(name, spans):
        doc = pipeline.analyse(RawRecord(id=name, text=texts[name], origin=name, format="txt", given={}))[0]
        return pipeline.profile(doc, spans)

    start = texts["framed"].index(line)
    plain, framed = profile("plain", []), profile("framed", [(start, start + len(line))])
    assert framed.standing and not plain.standing
    forward, backward = derivation._shared_passage(plain, framed), derivation._shared_passage(framed, plain)
    assert forward["evidence"]["recurring_text"] is backward["evidence"]["recurring_text"] is True


BAHNCARD_SCOOP = (
    "Bahn will BahnCard 50 kräftig verteuern\n"
    "Bahnfahren wird für Vielfahrer deutlich teurer. Wie BILD aus Konzernkreisen erfuhr, will die Deutsche Bahn den "
    "Preis der BahnCard 50 zum Fahrplanwechsel im Dezember um neun Prozent auf 267 Euro anheben. Auch die BahnCard 25 "
    "soll teurer werden, nach internen Unterlagen um sechs Prozent. Der Aufsichtsrat soll die Pläne am kommenden "
    "Mittwoch absegnen, heißt es in dem Papier. Begründet werden die Erhöhungen mit gestiegenen Kosten für Energie und "
    "Personal. Ein Bahnsprecher wollte sich auf Anfrage nicht äußern und verwies auf die übliche Preisrunde im Herbst. "
    "Der Fahrgastverband Pro Bahn reagierte empört: „Die Bahn vergrault ihre treuesten Kunden“, sagte ein Sprecher."
)


def _bahncard_scoop() -> dict:
    """BILD's scoop as a feed record, dated the day the follow-ups appear."""
    return {"id": "bild", "url": "https://www.bild.de/geld/wirtschaft/bahn-bahncard-87654321.bild.html",
            "date": "2024-09-10", "text": BAHNCARD_SCOOP}


def _bahncard_follow_up(credit: str) -> str:
    return (
        "Bahn plant offenbar höhere Preise für BahnCard\n"
        "Die Deutsche Bahn will offenbar die BahnCard 50 zum Fahrplanwechsel im Dezember um neun Prozent verteuern, "
        f"sie soll dann 267 Euro kosten. {credit} Für die BahnCard 25 ist demnach ein Aufschlag von sechs Prozent "
        "vorgesehen. Der Aufsichtsrat soll den Plänen bereits am Mittwoch zustimmen. Als Grund nennt die Bahn höhere "
        "Kosten für Energie und Personal. Der Verkehrsminister kündigte an, die Pläne prüfen zu wollen, und verwies auf "
        "den Koalitionsvertrag, der bezahlbare Mobilität verspreche. Die Grünen forderten die Bahn auf, auf die "
        "Erhöhung zu verzichten."
    )


@pytest.mark.parametrize("credit, wire, scoop_wire, derived", [
    ("Zuerst hatte die „Bild“-Zeitung darüber berichtet.", None, None, True),
    ("Zuerst hatte die „Bild“-Zeitung darüber berichtet.", "AFP", None, True),    # an agency relaying the scoop
    ("Die „Bild“-Zeitung hatte am Dienstag zuerst darüber berichtet.", None, None, True),  # 10 September 2024: a Tuesday
    ("Die „Bild“-Zeitung hatte im Frühjahr über Preispläne berichtet.", None, None, False),  # earlier reporting recalled
    ("Das bestätigten Kreise des Aufsichtsrats.", None, None, False),            # no credit: two reports
    ("Zuerst hatte das „Handelsblatt“ darüber berichtet.", None, None, False),   # it credits someone else
    ("Die „Bild“-Zeitung hatte am Sonntag zuerst darüber berichtet.", None, None, False),  # another BILD report
    ("Das sagte ein Aufsichtsrat der „Bild“-Zeitung.", None, None, False),       # words said to BILD, not its story
    ("„Die Bahn vergrault ihre treuesten Kunden“, sagte ein Verbandssprecher der „Bild“-Zeitung. Die Verbraucherzentralen "
     "raten Pendlern, ihre Abonnements vor dem Fahrplanwechsel zu prüfen und Angebote der Länder zu vergleichen.",
     None, None, True),                                                            # ... with the words BILD quotes
    ("Zuerst hatte die „Bild“-Zeitung darüber berichtet.", None, "dpa", False),  # dpa copy on bild.de: the agency's story
    ("Zuerst hatte die „Bild“-Zeitung darüber berichtet.", None, "mit dpa", True),  # BILD's own, with dpa material
])
def test_a_retold_scoop_that_credits_the_outlet_is_derived_from_it(tmp_path, credit, wire, scoop_wire, derived):
    """BILD's scoop and another site's report of it the same day, in its own words: naming BILD
    as where the story comes from makes it a credited pickup, with that credit as the reason for
    the order (an agency's wire credit on the pickup does not make it the origin). The same
    text without the credit, crediting another outlet or another day's BILD report, or crediting
    words said to BILD without BILD's words beside the credit (BILD may tell that interview in
    another article), is an independent report of one event; so is a report crediting BILD
    beside dpa copy on bild.de, but not beside BILD's own story written with dpa material."""
    follow_up = {"id": "ntv", "url": "https://www.n-tv.de/wirtschaft/Bahn-plant-hoehere-Preise-article25000000.html",
                 "date": "2024-09-10", "text": _bahncard_follow_up(credit)}
    if wire:
        follow_up.update(text=follow_up["text"] + f" ({wire})", wire_credit=wire)
    scoop = _bahncard_scoop()
    if scoop_wire:
        scoop.update(text=scoop["text"] + f" ({scoop_wire})", wire_credit=scoop_wire)
    report = _audited(tmp_path / "scoop", [scoop, follow_up])
    if not derived:
        assert report["derivations"] == []
        assert [r["reason"] for r in report["related"]] == ["same_event"]
        return
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"]) == ("ntv", "bild")
    assert found["attributed"] is True
    assert found["direction"]["confidence"] > 0
    reasons = found["direction"]["reasons"]
    first = "zuerst" in credit.lower()
    assert any(("says Bild had the story first" if first else "credits Bild in a credit phrase") in r for r in reasons)
    assert found["direction"]["confidence"] >= (0.6 if first and not wire else 0.2)
    assert not any(reason.startswith("ntv carries the wire credit") for reason in found["direction"]["reasons"])
    assert found["evidence"]["credited_story"] is True
    start, end = found["evidence"]["credit"]
    assert basis(found) == f"it names Bild as where it has the story (characters {start}–{end}), beside sentences that retell Bild's report"
    assert follow_up["text"][start:end] in credit


CONSUMER_ROUND_UP = (
    " Auch beim Porto ändert sich etwas: Ein Standardbrief kostet ab Januar 95 Cent, eine Postkarte ebenso "
    "viel. Die Post begründet den Aufschlag mit höheren Löhnen für ihre Zusteller und sinkenden Briefmengen. "
    "Wer noch alte Marken hat, kann sie mit Ergänzungsmarken weiter nutzen. Für Mieter mit Gasheizung gilt ab "
    "dem ersten Tag des neuen Jahres ein höherer Abschlag, weil der Preis für Kohlendioxid steigt; Vermieter "
    "müssen einen Teil davon übernehmen, je schlechter das Haus gedämmt ist, desto mehr. Beim Pfand fallen die "
    "letzten Ausnahmen: Auch Milchgetränke in Plastikflaschen kosten dann 25 Cent Pfand. Händler müssen die "
    "Flaschen zurücknehmen, wenn sie selbst solche Getränke verkaufen. Neu ist außerdem, dass Ärzte "
    "Krankmeldungen nur noch elektronisch an die Kassen schicken; Arbeitgeber rufen sie dort selbst ab. Der "
    "Zettel für den Chef entfällt damit, Beschäftigte müssen sich aber weiterhin am ersten Tag krank melden. "
    "Für Rentner steigt der Grundfreibetrag, bis zu dem keine Steuern fällig werden."
)


def test_a_credited_paragraph_inside_a_round_up_of_its_own_is_no_pickup_of_the_story(tmp_path):
    """A round-up of what changes for consumers takes BILD's BahnCard scoop into one paragraph,
    crediting it, and goes on with reporting of its own: the credit says where that paragraph
    comes from, but the round-up is no rewrite of BILD's story (its retold sentences hold under a
    fifth of its words, RETOLD_SHARE), and the two are no independent reports either: the verdict
    names the item picked up. The same paragraph alone is the credited pickup above."""
    round_up = _bahncard_follow_up("Zuerst hatte die „Bild“-Zeitung darüber berichtet.") + CONSUMER_ROUND_UP
    report = _audited(tmp_path / "round-up", [
        _bahncard_scoop(),
        {"id": "ntv", "url": "https://www.n-tv.de/ratgeber/Was-sich-im-Januar-aendert-article25000001.html",
         "date": "2024-09-10", "text": round_up},
    ])
    related = _only_related(report)
    assert related["reason"] == "other"
    assert related["evidence"]["item_picked_up_from"] == "bild" and related["evidence"]["credited_outlet"] == "Bild"
    assert "ntv credits Bild's report beside the 3 sentences that retell bild, which hold only 17% of its words" in related["explanation"]
    assert "one item of that report taken into a story of its own" in related["explanation"]


BAHNCARD_RECORD = (
    "Rekord bei den Vielfahrern\n"
    "So viele Vielfahrer hatte die Bahn noch nie. Wie BILD aus Konzernkreisen erfuhr, besitzen inzwischen 5,8 Millionen "
    "Kunden eine Rabattkarte, ein Plus von zwölf Prozent. Besonders gefragt ist die BahnCard 50 bei Pendlern. Die Bahn "
    "verweist auf höhere Kosten für Energie und Personal, die sie nicht an alle Kunden weitergeben wolle. Der "
    "Verkehrsminister lobte die Zahlen und verwies auf den Koalitionsvertrag."
)


def test_a_credit_to_an_outlet_beside_text_another_of_its_articles_only_touches_is_no_pickup(tmp_path):
    """'Zuerst hatte die „Bild“-Zeitung darüber berichtet' beside the BahnCard price plans, and
    BILD's article of the same day on BahnCard sales: the sentence beside the credit shares the
    topic with one of BILD's (the BahnCard 50) but retells none, so the credit is for another
    BILD article, BILD's scoop, not this one. The two are reports on one subject, of two events
    (the price plans, the sales record): a lead has no counterpart in the other text."""
    follow_up = {"id": "ntv", "url": "https://www.n-tv.de/wirtschaft/Bahn-plant-hoehere-Preise-article25000000.html",
                 "date": "2024-09-10", "text": _bahncard_follow_up("Zuerst hatte die „Bild“-Zeitung darüber berichtet.")}
    other = {"id": "bild", "url": "https://www.bild.de/geld/wirtschaft/bahncard-rekord-87654322.bild.html",
             "date": "2024-09-10", "text": BAHNCARD_RECORD}
    report = pipeline.audit([str(_jsonl(tmp_path / "other.jsonl", [other, follow_up]))], store.open_db(tmp_path / "o.db"))
    assert report["derivations"] == []
    (related,) = report["related"]
    assert related["reason"] == "other" and "has no counterpart in" in related["explanation"]


FERRY_ORIGINAL = (
    "Fähre nach Helgoland fällt bis Ostern aus\n"
    "Die Reederei hat die Verbindung zwischen Cuxhaven und Helgoland bis Ostern eingestellt. "
    "Grund sind Schäden an der Antriebswelle, die bei einer Routineprüfung in der Werft entdeckt wurden. "
    "Ersatzteile müssen aus Norwegen geliefert werden, die Reparatur dauert nach Angaben der Werft mindestens sechs Wochen. "
    "Für die rund 1300 Bewohner der Insel bleibt nur das Flugzeug ab Heide-Büsum. "
    "Die Inselgemeinde fordert das Land auf, die Flüge in dieser Zeit zu bezuschussen. "
    "Der Bürgermeister sprach von einer schwierigen Lage für Handwerker und Pendler. "
    "Auch Lebensmittel kommen nun mit einem Frachtschiff, das nur zweimal pro Woche fährt. "
    "Die Reederei will Fahrgästen mit gebuchten Tickets den vollen Preis erstatten."
)
FERRY_COPY = (
    "Fähre nach Helgoland: Verbindung fällt bis Ostern aus\n"
    "Diese Reederei habe diese Verbindung zwischen Cuxhaven sowie Helgoland demnach bis Ostern eingestellt. "
    "Grund seien offenbar Schäden an dieser Antriebswelle, diese bei einer Routineprüfung in dieser Werft entdeckt wurden. "
    "Permalink: https://www.faz.net/-gzg-b7kq2\n"
    "Ersatzteile müssten aus Norwegen geliefert werden, diese Reparatur dauere nach Angaben dieser Werft mindestens sechs Wochen. "
    "Für diese rund 1300 Bewohner dieser Insel bleibe wohl nur das Flugzeug ab Heide-Büsum. "
    "Die weitere Entwicklung bleibt abzuwarten. "
    "Diese Inselgemeinde fordere das Land auf, diese Flüge in dieser Zeit zu bezuschussen. "
    "Der Bürgermeister sprach so heißt es von einer schwierigen Lage für Handwerker sowie Pendler. "
    "Ebenfalls Lebensmittel kommen jetzt mit einem Frachtschiff, das nur zweimal pro Woche fährt. "
    "Diese Reederei wolle Fahrgästen mit gebuchten Tickets den vollen Preis erstatten. "
    "Wie es nun weitergeht, ist offen."
)


def test_another_site_s_permalink_left_in_a_copy_does_not_make_it_that_site_s_page(tmp_path):
    """A news blog rewrites a F.A.Z. article word by word and leaves the F.A.Z. permalink in the
    text; its input gives its own source label and no URL. The permalink is the page it took the
    text from, not its own: the two are not one outlet's pages (whose rules would call a
    rewrite without a shared paragraph furniture), and the blog's text is derived from F.A.Z.'s.
    The same line in a F.A.Z. feed's own text is F.A.Z.'s URL."""
    from provenance.ingest import RawRecord

    report = _audited(tmp_path / "ferry", [
        {"id": "faz", "source": "FAZ_Politik", "url": "https://www.faz.net/aktuell/gesellschaft/faehre-helgoland-17612345.html",
         "date": "2024-02-20", "text": FERRY_ORIGINAL},
        {"id": "blog", "source": "Nachrichtenblog Nord", "date": "2024-02-21", "text": FERRY_COPY},
    ])
    assert report["related"] == []
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"], found["relation"]) == ("blog", "faz", "paraphrase")

    def doc(source):
        return pipeline.analyse(RawRecord(id="x", text=FERRY_COPY, origin="x", format="txt", given={"source": source}))[0]

    blog, own = doc("Nachrichtenblog Nord"), doc("FAZ_Politik")
    assert blog.url == own.url == "https://www.faz.net/-gzg-b7kq2"
    registry = credibility.default_registry()
    assert pipeline.own_url(blog, credibility.resolve(blog, registry)) is None
    assert pipeline.own_url(own, credibility.resolve(own, registry)) == own.url
    assert pipeline.own_url(blog) is None and pipeline.own_url(own) == own.url  # by name, without the registry


def test_another_site_s_permalink_left_in_a_copy_does_not_make_it_that_site_s_outlet(tmp_path):
    """Nor is the copy F.A.Z.'s for the outlet registry: the report and `document_outlets` do not
    lend it F.A.Z.'s name and record, and list the permalink as another outlet's URL in the text."""
    from provenance.ingest import RawRecord

    base = tmp_path / "ferry"
    report = _audited(base, [
        {"id": "faz", "source": "FAZ_Politik", "url": "https://www.faz.net/aktuell/gesellschaft/faehre-helgoland-17612345.html",
         "date": "2024-02-20", "text": FERRY_ORIGINAL},
        {"id": "blog", "source": "Nachrichtenblog Nord", "date": "2024-02-21", "text": FERRY_COPY},
    ])
    outlets = {d["id"]: (d["outlet"] or {}).get("name") for d in report["documents"]}
    assert outlets == {"faz": "Frankfurter Allgemeine Zeitung", "blog": None}
    stored = dict(store.open_db(base.with_suffix(".db")).execute("select document_id, how from document_outlets").fetchall())
    assert stored == {"faz": "url domain", "blog": "unknown"}
    blog = pipeline.analyse(RawRecord(id="x", text=FERRY_COPY, origin="x", format="txt", given={"source": "Nachrichtenblog Nord"}))[0]
    clues = credibility.resolve(blog, credibility.default_registry())["evidence"]
    assert [(c["how"], c["outlet"]) for c in clues] == [(credibility.COPIED_URL, "Frankfurter Allgemeine Zeitung")]


HARBOUR_WIRE = (
    "Hafen Hamburg schlägt weniger Container um\n"
    "Hamburg. Der Hamburger Hafen hat im ersten Halbjahr deutlich weniger Container umgeschlagen als vor einem Jahr. "
    "Nach Angaben der Hafenbehörde wurden 3,9 Millionen Standardcontainer bewegt, ein Minus von 7,4 Prozent. "
    "Vor allem der Verkehr mit China ging zurück, während die Verbindungen nach Skandinavien zulegten. "
    "Die Hafenwirtschaft macht die schwache Weltkonjunktur und lange Wartezeiten an den Terminals verantwortlich. "
    "Der Wirtschaftssenator kündigte an, die Vertiefung der Zufahrt schneller abzuschließen. "
    "Konkurrenten wie Rotterdam und Antwerpen meldeten für denselben Zeitraum nur leichte Rückgänge. "
    "Die Gewerkschaft Verdi warnt vor einem Stellenabbau bei den Umschlagbetrieben. "
    "Eine Prognose für das Gesamtjahr wollte die Hafenbehörde noch nicht abgeben."
)


def _harbour_page(sign_off: str) -> str:
    return HARBOUR_WIRE + f"\n\n{sign_off}"


def test_a_copy_that_keeps_an_outlet_s_sign_off_is_derived_from_that_outlet_s_page(tmp_path):
    """RND runs a dpa story under its own sign-off ('RND/dpa'), F.A.Z. the same story as agency copy
    ('Quelle: dpa'); a portal without a URL republishes RND's page and keeps 'RND/dpa'. RND and
    F.A.Z. are siblings of one wire story; the portal is not a third sibling but a copy of RND's
    page, and its signature says so."""
    feed = _jsonl(tmp_path / "harbour.jsonl", [
        {"id": "rnd", "source": "RND_de", "url": "https://www.rnd.de/wirtschaft/hafen-hamburg-container-ABCDEF.html",
         "date": "2024-07-30", "text": _harbour_page("RND/dpa")},
        {"id": "faz", "source": "FAZ_Wirtschaft", "url": "https://www.faz.net/aktuell/wirtschaft/hafen-hamburg-19876543.html",
         "date": "2024-07-30", "text": _harbour_page("Quelle: dpa")},
        {"id": "portal", "source": "Nachrichtenportal Elbe", "date": "2024-07-31", "text": _harbour_page("RND/dpa.")},
    ])
    report = pipeline.audit([str(feed)], store.open_db(tmp_path / "h.db"))
    (found,) = report["derivations"]
    assert (found["derivative"], found["source"], found["relation"]) == ("portal", "rnd", "copy")
    assert any("signed as RND signs its pages" in reason for reason in found["direction"]["reasons"])
    related = {tuple(r["documents"]): r for r in report["related"]}
    assert related[("faz", "rnd")]["reason"] == "common_source"
    assert related[("faz", "rnd")]["common_source"] == "dpa"
    assert report["origins"]["portal"] == ["rnd"]


LIGHTHOUSE_ARTICLE = (
    "A lighthouse is a tower that emits light from a system of lamps and lenses to guide ships at sea. "
    "Lighthouses mark dangerous coastlines, hazardous shoals, reefs and safe entries to harbours. "
    "The first lighthouses burned wood or coal in open fires at the top of a tower, and their keepers had to feed the flames all night long. "
    "In the nineteenth century the Fresnel lens allowed a small lamp to be seen many miles away, which made coastal navigation far safer. "
    "Most lighthouses today are automated and no longer need a resident keeper, although some are kept as museums. "
    "Their number has fallen as satellite navigation has become common on ships of every size."
)
LIGHTHOUSE_ESSAY = (
    "A lighthouse is a tower that emits light from a system of lamps and lenses to guide ships at sea. "
    "Lighthouses mark dangerous coastlines, hazardous shoals, reefs and safe entries to harbours. "
    "In the nineteenth century the Fresnel lens allowed a small lamp to be seen many miles away, which made coastal navigation far safer. "
    "The tallest lighthouse tower in the world stands on a breakwater in a Saudi Arabian port. "
    "Keepers and their families often lived in cottages at the foot of the tower for generations. "
    "Since the nineteen-nineties, automated lighthouses along the Norwegian and Scottish coasts have carried "
    "radar beacons, small weather stations and webcams that tourists can watch online."
)


def test_a_cut_and_paste_answer_is_not_padded_with_topic_matches():
    """An essay pastes three sentences of an article and adds three of its own from elsewhere,
    one of them about automated lighthouses like the article's last-but-one sentence. It rewrites
    nothing, so that loose match (similarity 0.24) is the topic's words, not a rewrite: what the
    essay took is what it pasted. Before, the loose match counted, made the article look like the
    one that took more of the other, and turned the direction round."""
    verdict = provenance.compare(LIGHTHOUSE_ESSAY, LIGHTHOUSE_ARTICLE, "essay", "article")
    assert verdict["kind"] == "derivation"
    assert (verdict["derivative"], verdict["source"]) == ("essay", "article")
    assert {p["kind"] for p in verdict["passages"]} == {"verbatim"}
    assert verdict["coverage"] == verdict["verbatim_share"] < 0.5
    assert verdict["relation"] == "partial"


def test_what_a_text_took_word_for_word_is_no_paraphrase():
    """Pasting four of the article's eight sentences and adding two from elsewhere takes the most of
    the essay from the article, all of it word for word: short of a copy, it is a part taken, not a
    paraphrase (no sentence of it was put in other words)."""
    essay = LIGHTHOUSE_ESSAY.replace(
        "The tallest lighthouse", "Most lighthouses today are automated and no longer need a resident keeper, "
        "although some are kept as museums. The tallest lighthouse")
    article = LIGHTHOUSE_ARTICLE + (
        " Some coastal authorities rent out former keepers' houses to holidaymakers to pay for the upkeep of the towers."
        " Preservation societies in several countries restore old lenses and publish registers of the lights that survive.")
    verdict = provenance.compare(essay, article, "essay", "article")
    assert (verdict["derivative"], verdict["source"]) == ("essay", "article")
    assert 0.5 <= verdict["verbatim_share"] == verdict["coverage"] < derivation.COPY_VERBATIM
    assert verdict["relation"] == "partial"


def test_two_newsrooms_weeks_apart_sharing_a_few_agency_lines_are_two_stories():
    """The graph's rule for two newsrooms neither naming the other: three weeks apart, a 30-word
    run that is 6 % of the text is the agency's background lines, two stories (related `other`);
    without the dates it cannot tell, and keeps them siblings of uncredited wire copy."""
    d = {"derivative": "later", "source": "earlier", "relation": "partial", "score": 0.3, "coverage": 0.3,
         "direction": {"confidence": 0.5, "reasons": ["dates"]}, "passages": [],
         "evidence": {"longest_unquoted_verbatim_words": 30, "verbatim_share": 0.06, "coverage": 0.3}}
    wire = {("earlier", "later"): 21}
    _, (related,) = derivation.reconcile([d], [], wire_pairs=wire, dates={"earlier": "2024-03-04", "later": "2024-03-25"})
    assert (related["reason"], related["common_source"]) == ("other", None)
    assert "21 days apart, share a few lines on the topic, most likely an agency's background" in related["explanation"]
    _, (related,) = derivation.reconcile([d], [], wire_pairs=wire)
    assert (related["reason"], related["common_source"]) == ("common_source", "uncredited wire")


def test_a_background_line_no_text_credits_is_not_called_an_agency_s():
    """A line two texts 21 days apart share, which neither credits to anyone (a podcast's promo,
    a publisher's description of a post): two stories repeating standing lines, and the
    explanation does not guess whose they are."""
    d = {"derivative": "later", "source": "earlier", "relation": "partial", "score": 0.3, "coverage": 0.2,
         "direction": {"confidence": 0.5, "reasons": ["dates"]}, "passages": [],
         "evidence": {"longest_unquoted_verbatim_words": 25, "verbatim_share": 0.06, "coverage": 0.2,
                      "background_line": {"days_apart": 21, "run_words": 25}}}
    _, (related,) = derivation.reconcile([d], [], dates={"earlier": "2024-03-04", "later": "2024-03-25"})
    assert (related["reason"], related["common_source"]) == ("other", None)
    assert "21 days apart, share a few standing lines" in related["explanation"]
    assert "agency" not in related["explanation"]


LANDTAG_QUOTE = ("Kultusministerin verteidigt Präsenzunterricht\n\nIn der Debatte über Schulschließungen hat die Kultusministerin ihren Kurs verteidigt. "
     "Im Landtag sagte sie: „Wir halten die Schulen offen, solange es die Lage irgendwie erlaubt, das sind wir den Kindern und ihren Familien schuldig.“ "
     "Die Opposition warf ihr vor, die Lehrkräfte mit den Hygieneregeln allein zu lassen. Der Elternverband forderte Luftfilter für alle Klassenräume "
     "und mehr Personal für die Ganztagsbetreuung. Eine Entscheidung über die Zeit nach den Ferien soll in der kommenden Woche fallen.")
TEACHERS_QUOTE = ("Lehrerverband warnt vor überfüllten Klassen\n\nDer Lehrerverband hat vor überfüllten Klassen im Winter gewarnt. Viele Schulen hätten weder "
     "ausreichend Räume noch genug Personal, um Gruppen zu teilen, erklärte der Verbandschef. Die Kultusministerin hatte zuvor im Landtag angekündigt: „Wir halten die "
     "Schulen offen, solange es die Lage irgendwie erlaubt, das sind wir den Kindern schuldig“. Der Verband hält das nur mit kleineren Lerngruppen für vertretbar und verlangt Tests zweimal pro Woche. "
     "Auch die Schülervertretung meldete sich zu Wort und forderte verbindliche Regeln für den Distanzunterricht.")

def test_a_quotation_cut_differently_is_named_in_the_explanation():
    """Two reports quote one sentence of the minister, one of them cut short: no quotation is
    the same whole, but the 16 words both quote are, and the explanation gives them to check."""
    verdict = provenance.compare(LANDTAG_QUOTE, TEACHERS_QUOTE, "landtag", "teachers")
    assert verdict["reason"] == "shared_quote"
    assert verdict["explanation"] == (
        "both quote the same words: „wir halten die schulen offen solange es die lage irgendwie erlaubt das sind wir den kindern“"
    )


# An invented foundation's two releases, three weeks apart, each closing with its standing
# paragraph; a site republishes the second one a day later.
FOUNDATION_ABOUT = (
    "Über die Stiftung Klares Grundwasser: Die gemeinnützige Stiftung wurde 1998 von Brunnenbauern und Landwirten gegründet, "
    "misst an über dreihundert Messstellen die Qualität des Grundwassers und berät Gemeinden kostenlos beim Schutz ihrer Quellen."
)
FOUNDATION_NITRATE = (
    "Nitratwerte in Heidebrunn gesunken\n\n"
    "Die Stiftung Klares Grundwasser meldet sinkende Nitratwerte im Landkreis Heidebrunn. An 41 von 57 Messstellen lag der Wert im Winter unter "
    "dem Grenzwert von 50 Milligramm je Liter, vor zwei Jahren waren es nur 29. Stiftungsvorstand Ilse Marquardt führt das auf die neuen "
    "Düngeregeln und die Beratung der Betriebe zurück. Entwarnung gebe es dennoch nicht: In drei Gemeinden stiegen die Werte weiter. "
    f"Die Stiftung will dort im Frühjahr zusätzliche Proben nehmen.\n\n{FOUNDATION_ABOUT}"
)
FOUNDATION_WELLS = (
    "Stiftung fordert Schutzzonen für alte Hausbrunnen\n\n"
    "Die Stiftung Klares Grundwasser fordert Schutzzonen für die rund 1.200 privaten Hausbrunnen im Kreis Moorlingen. Viele der Brunnen seien "
    "älter als sechzig Jahre, ihre Abdeckungen undicht, und bei Starkregen gelange Oberflächenwasser direkt in die Schächte. "
    "Die Stiftung bietet Eigentümern eine kostenlose Prüfung an und hat dafür zwei Messwagen angeschafft. Der Kreistag soll im Mai über "
    f"ein Förderprogramm für die Sanierung beraten.\n\n{FOUNDATION_ABOUT}"
)


def test_a_republished_release_is_derived_from_it_not_from_the_issuer_s_other_releases(tmp_path):
    """The copy carries the foundation's standing paragraph because the release it took carries
    it: it is derived from that release, and only related to the foundation's other one."""
    report = _audited(tmp_path / "issuer", [
        {"id": "nitrate", "source": "Stiftung Klares Grundwasser", "kind": "press release", "date": "2024-02-28", "text": FOUNDATION_NITRATE},
        {"id": "wells", "source": "Stiftung Klares Grundwasser", "kind": "press release", "date": "2024-03-20", "text": FOUNDATION_WELLS},
        {"id": "republished", "source": "Nachrichtenecke", "date": "2024-03-21",
         "text": FOUNDATION_WELLS.replace("Stiftung fordert", "Heimische Stiftung fordert").replace("Viele der Brunnen", "Viele Brunnen")},
    ])
    assert [(d["derivative"], d["source"]) for d in report["derivations"]] == [("republished", "wells")]
    related = {tuple(r["documents"]): r for r in report["related"]}
    inherited = related[("nitrate", "republished")]
    assert inherited["reason"] == "other"
    assert "lies inside what it took from wells" in inherited["explanation"]


def test_a_round_up_of_both_releases_is_derived_from_each(tmp_path):
    """Built from both releases, a round-up is derived from each, the standing paragraph they
    share notwithstanding: what it took from the first lies outside what it took from the second."""
    nitrate = FOUNDATION_NITRATE.split("\n\n")[1]
    wells = FOUNDATION_WELLS.split("\n\n")[1]
    round_up = f"Grundwasser im Blick\n\n{nitrate}\n\n{wells}\n\n{FOUNDATION_ABOUT}"
    records = [
        {"id": "nitrate", "source": "Stiftung Klares Grundwasser", "kind": "press release", "date": "2024-02-28", "text": FOUNDATION_NITRATE},
        {"id": "wells", "source": "Stiftung Klares Grundwasser", "kind": "press release", "date": "2024-03-20", "text": FOUNDATION_WELLS},
        {"id": "round-up", "source": "Nachrichtenecke", "date": "2024-03-22", "text": round_up},
    ]
    report = _audited(tmp_path / "round-up", records)
    assert sorted((d["derivative"], d["source"]) for d in report["derivations"]) == [
        ("round-up", "nitrate"), ("round-up", "wells"),
    ]


COMMUTERS_CREDIT_ONE_FACT = (
    "Pendler fordern Preisbremse für Bahn-Abos\n"
    "Die Pendlerverbände in Nordrhein-Westfalen fordern eine gesetzliche Preisbremse für Zeitkarten und Abonnements. "
    "Die Tarife im Nahverkehr seien seit 2019 um fast ein Fünftel gestiegen, erklärte der Landesverband am Dienstag in Düsseldorf. "
    "Laut „Bild“ soll zudem die BahnCard 50 ab Dezember neun Prozent mehr kosten, also 267 Euro. "
    "Der Verband verlangt, dass Bund und Länder solche Erhöhungen über Zuschüsse abfedern. "
    "Vielfahrer dürften nicht für gestiegene Kosten der Bahn für Energie und Personal aufkommen, sagte die Vorsitzende. "
    "Die Landesregierung verwies auf das Deutschlandticket und kündigte Gespräche mit den Verkehrsverbünden an."
)


def test_a_report_crediting_the_outlet_for_one_fact_is_not_its_pickup(tmp_path):
    """The commuters' report credits BILD for the one fact it takes from the scoop and is
    otherwise its own story: no pickup of BILD's report (which retells more of it), so no
    derivation, only two reports on one story."""
    report = _audited(tmp_path / "one-fact", [
        _bahncard_scoop(),
        {"id": "commuters", "url": "https://www.wdr.de/nachrichten/pendler-preisbremse-100.html",
         "date": "2024-09-10", "text": COMMUTERS_CREDIT_ONE_FACT},
    ])
    related = _only_related(report)
    assert related["documents"] == ["bild", "commuters"]
    assert related["reason"] == "other"
    assert "the lead of commuters" in related["explanation"]


@pytest.mark.parametrize("credit, said_to, how", [
    ("„Die Bahn vergrault ihre treuesten Kunden“, sagte ein Verbandssprecher der „Bild“-Zeitung.", True, "as said to Bild"),
    ("„Die Bahn vergrault ihre treuesten Kunden“, sagte ein Sprecher, wie die „Bild“-Zeitung berichtete.", False,
     "beside a credit to Bild's report"),
])
def test_a_quotation_credited_to_the_outlet_s_report_is_not_called_said_to_it(tmp_path, credit, said_to, how):
    """Words quoted beside 'sagte … der „Bild“' were said to BILD; beside 'wie die „Bild“
    berichtete' they are BILD's report of them (a speech, a statement): the derivation says which."""
    follow_up = {"id": "ntv", "url": "https://www.n-tv.de/wirtschaft/Bahn-plant-hoehere-Preise-article25000000.html",
                 "date": "2024-09-10", "text": _bahncard_follow_up(credit)}
    scoop = _bahncard_scoop()
    (found,) = _audited(tmp_path / "quoted", [scoop, follow_up])["derivations"]
    assert found["evidence"]["said_to_outlet"] is said_to
    assert basis(found) == f"it quotes 6 words {how}, and the source has them: an interview or report of that outlet picked up"
