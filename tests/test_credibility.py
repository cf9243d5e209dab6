"""Outlet registry, resolution, attribution, signals and score: seeds, hand-written cases, the build."""
import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest

from provenance import credibility
from provenance.credibility import (
    OutletFileError,
    Registry,
    affiliation_from_typology,
    attribution,
    load_registry,
    merge,
    read_outlets_file,
    report_entry,
    resolve,
    score,
    signals,
    validate_outlet,
)
from provenance.ingest import read_paths
from provenance.pipeline import analyse

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "derivation"
SHARED_DATA = ROOT.parent / "shared" / "data"
OUTLETS_DIR = ROOT / "src" / "provenance" / "data" / "outlets"
SOURCE_ID = "000_9adfba21b048cf0a"
DERIVATIVE_ID = "001_45da5be54d483bbf"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def docs() -> dict:
    """The seeds and the derivation fixtures as ingested (text, title, url, dateline, wire credit, segments)."""
    out = {}
    for raw in read_paths([SEEDS, FIXTURES]):
        doc, _ = analyse(raw)
        out[doc.id] = doc
    return out


@pytest.fixture(scope="module")
def resolutions(docs, registry) -> dict:
    return {doc_id: resolve(doc, registry) for doc_id, doc in docs.items()}


def names(records):
    return [r["name"] for r in records]


# --- resolution ----------------------------------------------------------------------------------


def test_seed_source_resolves_to_cgtn_by_url_and_headline(resolutions):
    result = resolutions[SOURCE_ID]
    outlet = result["outlet"]
    assert outlet["name"] == "CGTN"
    assert (outlet["role"], outlet["state_affiliation"], outlet["country"]) == ("broadcaster", "state-controlled", "China")
    assert result["how"] == "url domain"
    found_by = {e["how"] for e in result["evidence"] if e["outlet"] == "CGTN"}
    assert {"url domain", "headline"} <= found_by
    assert sorted(names(result["distributors"])) == ["PR Newswire", "news aktuell"]
    assert result["distributor"] == "news aktuell / PR Newswire"  # in the order of 'ots/PRNewswire'
    assert all(d["role"] == "press-release distributor" for d in result["distributors"])
    assert result["conflicts"] == []


def test_seed_derivative_stays_unknown(resolutions):
    result = resolutions[DERIVATIVE_ID]
    assert result["outlet"] is None
    assert result["how"] == "unknown"
    assert result["distributor"] is None
    assert result["evidence"] == []


def test_distributor_is_never_the_outlet(registry):
    release = {"id": "r", "url": "https://www.presseportal.de/pm/12345/67890", "title": "Firma X stellt neues Produkt vor",
               "text": "Hamburg (ots) - Firma X stellt ein neues Produkt vor."}
    result = resolve(release, registry)
    assert result["outlet"] is None
    assert names(result["distributors"]) == ["news aktuell"]


def test_release_footer_names_the_issuer_and_the_distributor(registry):
    text = "Peking (ots/PRNewswire) - Text der Meldung.\n\nOriginal-Content von: CGTN, übermittelt durch news aktuell\n"
    result = resolve({"id": "f", "text": text}, registry)
    assert result["outlet"]["name"] == "CGTN"
    assert result["how"] == "release footer"
    assert "news aktuell" in names(result["distributors"])


def test_unknown_stays_unknown(registry):
    result = resolve({"id": "x", "url": "https://blog.example.org/2024/07/03/post", "source": "Some Blog",
                      "title": "China und Kasachstan: Eine Partnerschaft", "text": "Deutschland\n\nText."}, registry)
    assert result["outlet"] is None and result["how"] == "unknown"


@pytest.mark.parametrize("title", ["Iran: Proteste in Teheran", "Welt: Neue Zahlen", "China und Kasachstan: Partner"])
def test_headline_prefix_needs_a_distinctive_outlet_name(registry, title):
    assert resolve({"id": "h", "title": title, "text": title}, registry)["outlet"] is None


def test_headline_suffix_identifies_the_outlet(registry):
    result = resolve({"id": "h", "title": "Was Xi in Astana will - WELT", "text": "…"}, registry)
    assert result["outlet"]["name"] == "Die Welt" and result["how"] == "headline"


@pytest.mark.parametrize("handle", ["FAZ_Politik", "FAZ_Wirtschaft", "faznet", "@faznet"])
def test_feed_handles_map_to_one_outlet(registry, handle):
    result = resolve({"id": "f", "source": handle, "text": "…"}, registry)
    assert result["outlet"]["name"] == "Frankfurter Allgemeine Zeitung"
    assert result["how"] == "feed handle"
    assert "FAZ" in result["outlet"]["aliases"]


def test_insm_corpus_handles_are_all_known(registry):
    handles = ("BILD BILD_Politik FAZ_Politik FAZ_Wirtschaft FOCUS_TopNews RND_de RTLde SPIEGEL_Politik SZ "
               "Tagesspiegel derspiegel faznet focusfinanzen focuspolitik ntvde ntvde_Politik sternde tonline "
               "welt zeitonline insm_presse").split()
    assert all(registry.by_feed(h) is not None for h in handles)
    assert registry.by_feed("insm_presse")["role"] == "organisation"
    assert registry.by_feed("ntvde") is registry.by_feed("ntvde_Politik")


def test_url_domain_matches_subdomains_and_sections(registry):
    assert registry.by_url("https://news.cgtn.com/news/2024-07-03/x")[0]["name"] == "CGTN"
    record, matched = registry.by_url("https://www.newyorker.com/humor/daily-shouts/x")
    assert matched == "newyorker.com/humor"
    assert registry.by_url("https://www.newyorker.com/news/x")[1] == "newyorker.com"
    assert registry.by_url("not a url") is None


# --- the registry --------------------------------------------------------------------------------


def test_xinhua_is_a_state_controlled_news_agency(registry):
    xinhua = registry.lookup("Xinhua")
    assert (xinhua["role"], xinhua["state_affiliation"], xinhua["country"]) == ("news agency", "state-controlled", "China")
    assert xinhua["typology"] == "SC"
    assert registry.by_url("http://www.news.cn/politics/x.htm")[0] is xinhua


@pytest.mark.parametrize("name, role, affiliation", [
    ("dpa", "news agency", "none known"),
    ("Deutsche Presse-Agentur", "news agency", "none known"),
    ("Reuters", "news agency", "none known"),
    ("TASS", "news agency", "state-controlled"),
    ("RIA Novosti", "news agency", "state-controlled"),
    ("EFE", "news agency", "state-funded independent"),   # ASD: ISFM
    ("PAP", "news agency", "state-captured"),             # ASD: CaPu
    ("KNA", "news agency", "none known"),
    ("epd", "news agency", "none known"),
    ("PR Newswire", "press-release distributor", "none known"),
    ("PRNewswire", "press-release distributor", "none known"),
    ("ots", "press-release distributor", "none known"),
    ("APA-OTS", "press-release distributor", "none known"),
    ("Business Wire", "press-release distributor", "none known"),
    ("GlobeNewswire", "press-release distributor", "none known"),
    ("EIN Presswire", "press-release distributor", "none known"),
    ("China Global Television Network", "broadcaster", "state-controlled"),
    ("Deutsche Welle", "broadcaster", "state-funded independent"),  # ASD: ISF
    ("BBC", "broadcaster", "state-funded independent"),            # ASD: IP
])
def test_curated_roles_and_affiliations(registry, name, role, affiliation):
    record = registry.lookup(name)
    assert record is not None, name
    assert (record["role"], record["state_affiliation"]) == (role, affiliation)


@pytest.mark.parametrize("code, affiliation", [
    ("SC", "state-controlled"), ("CaPu", "state-captured"), ("CaPr", "state-captured"),
    ("ISFM", "state-funded independent"), ("ISF", "state-funded independent"), ("ISM", "state-funded independent"),
    ("IP", "state-funded independent"), ("ISFM?", "state-funded independent"), ("", "none known"), (None, "none known"),
])
def test_asd_typology_mapping(code, affiliation):
    assert affiliation_from_typology(code) == affiliation


def test_registry_vocabularies_and_counts(registry):
    assert len(registry) > 3000
    assert {r["role"] for r in registry} <= set(credibility.ROLES)
    assert {r["state_affiliation"] for r in registry} <= set(credibility.STATE_AFFILIATIONS)
    for record in registry:
        assert validate_outlet(record) == [], record["name"]


def test_ratings_carry_source_and_licence(registry):
    cgtn = registry.get("CGTN")
    ratings = {(r["source"].split(" (")[0], r["value"], r["licence"]) for r in cgtn["ratings"]}
    assert ("CRED-1", "unreliable", "CC BY 4.0") in ratings
    assert ("Wikipedia perennial sources", "Deprecated", "CC BY-SA 3.0") in ratings
    assert all(r["licence"] for record in registry for r in record["ratings"])


def test_licences_are_kept_apart_and_shipped():
    by_file = {name: json.loads((OUTLETS_DIR / name).read_text(encoding="utf-8")) for name in credibility.DEFAULT_FILES}
    licences = {name: {r["licence"] for record in records for r in record.get("ratings", [])}
                for name, records in by_file.items()}
    assert licences["wikipedia-perennial-sources.json"] == {"CC BY-SA 3.0"}
    assert licences["cred-1.json"] == {"CC BY 4.0"}
    assert licences["outlets.json"] == set()
    for name in ("NOTICE.md", "LICENSE-WIKIPEDIA-CC-BY-SA-3.0.md", "LICENSE-ASD-STATE-MEDIA-PROFILES.txt",
                 "LICENSE-CRED-1-CC-BY-4.0.txt", "ATTRIBUTION-CRED-1.md"):
        assert (OUTLETS_DIR / name).stat().st_size > 100, name
    notice = (OUTLETS_DIR / "NOTICE.md").read_text(encoding="utf-8")
    assert "CRED-1 by Alexander Loth" in notice and "Wikipedia contributors" in notice and "ASD-at-GMF" in notice


def test_outlet_schema_is_valid_draft_2020_12():
    schema = json.loads((ROOT / "schemas" / "outlet.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_rejects_a_bad_role():
    assert validate_outlet({"name": "Blog", "role": "blogger"}) == [
        "$.role: 'blogger' is not one of ['news outlet', 'broadcaster', 'news agency', "
        "'press-release distributor', 'organisation', 'unknown']"
    ]
    assert validate_outlet({"name": "X", "domains": ["https://www.x.com/"]})[0].startswith("$.domains[0]: ")
    assert validate_outlet({"name": "X", "rol": "news outlet"})[0].startswith("$: Additional properties")
    assert validate_outlet({"name": "FAZ", "role": "news outlet", "domains": ["faz.net"], "feeds": ["FAZ_Politik"]}) == []


# --- importing and merging -----------------------------------------------------------------------


def test_csv_import(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text(
        "name,role,state_affiliation,country,domains,feeds,aliases,rating_source,rating_value,rating_licence\n"
        "Lokalblatt,news outlet,none known,Germany,https://www.lokalblatt.de/; lokalblatt.com,lokalblatt_news,"
        "LB | Das Lokalblatt,our desk,trusted,internal\n",
        encoding="utf-8",
    )
    [record] = read_outlets_file(path)
    assert record["domains"] == ["lokalblatt.com", "lokalblatt.de"]
    assert record["aliases"] == ["Das Lokalblatt", "LB"]
    assert record["ratings"] == [{"source": "our desk", "value": "trusted", "licence": "internal"}]


def test_csv_with_semicolons(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text("name;role;feeds\nLokalblatt;news outlet;lb_news | lb_sport\n", encoding="utf-8-sig")
    assert read_outlets_file(path) == [{"name": "Lokalblatt", "role": "news outlet", "feeds": ["lb_news", "lb_sport"]}]


def test_csv_errors_are_one_line_naming_file_and_row(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text("name,role\nGood,news outlet\nBad,blogger\n,broadcaster\nShort\n", encoding="utf-8")
    with pytest.raises(OutletFileError) as caught:
        read_outlets_file(path)
    errors = caught.value.errors
    assert errors[0] == (
        f"{path}: row 2 (line 3): $.role: 'blogger' is not one of ['news outlet', 'broadcaster', "
        "'news agency', 'press-release distributor', 'organisation', 'unknown']"
    )
    assert errors[1].startswith(f"{path}: row 3 (line 4): $: 'name' is a required property")
    assert errors[2] == f"{path}: row 4 (line 5): $: 1 fields, but the header has 2"
    assert all("\n" not in error for error in errors)
    assert str(caught.value) == "\n".join(errors)


def test_csv_unknown_column(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text("name,rol\nX,news outlet\n", encoding="utf-8")
    with pytest.raises(OutletFileError, match=r"header \(line 1\): unknown column 'rol'"):
        read_outlets_file(path)


def test_json_import_errors_name_the_record(tmp_path):
    path = tmp_path / "outlets.json"
    path.write_text(json.dumps([{"name": "A", "role": "news outlet"}, {"name": "B", "state_affiliation": "state"}]))
    with pytest.raises(OutletFileError) as caught:
        read_outlets_file(path)
    assert caught.value.errors == [
        f"{path}: record 2: $.state_affiliation: 'state' is not one of ['state-controlled', 'state-captured', "
        "'state-funded independent', 'none known']"
    ]
    path.write_text("{not json")
    with pytest.raises(OutletFileError, match=r"line 1: invalid JSON"):
        read_outlets_file(path)


def test_merge_overrides_adds_and_moves_feeds(registry):
    merged = merge(registry, [
        {"name": "FAZ", "feeds": ["FAZ_Sport"], "notes": "checked by our desk"},        # alias → updates FAZ
        {"name": "Lokalblatt", "domains": ["lokalblatt.de"], "feeds": ["faznet"]},     # takes a feed
        {"name": "CGTN", "ratings": [{"source": "our desk", "value": "do not cite", "licence": "internal"}]},
    ], source="user", match_aliases=True)
    faz = merged.get("Frankfurter Allgemeine Zeitung")
    assert "FAZ_Sport" in faz["feeds"] and "faznet" not in faz["feeds"]
    assert faz["notes"] == "checked by our desk" and "user" in faz["data_sources"]
    new = merged.get("Lokalblatt")
    assert (new["role"], new["state_affiliation"]) == ("unknown", "none known")
    assert merged.by_feed("faznet") is new
    assert len(merged.get("CGTN")["ratings"]) == len(registry.get("CGTN")["ratings"]) + 1
    assert "FAZ_Sport" not in registry.get("Frankfurter Allgemeine Zeitung")["feeds"]  # input untouched


def test_merge_matches_names_only_unless_asked(registry):
    merged = merge(registry, [{"name": "FAZ", "role": "organisation"}])
    assert merged.get("FAZ")["role"] == "organisation"
    assert merged.get("Frankfurter Allgemeine Zeitung")["role"] == "news outlet"


def test_every_shipped_record_survives_loading():
    loaded = load_registry()
    for name in credibility.DEFAULT_FILES:
        for record in json.loads((OUTLETS_DIR / name).read_text(encoding="utf-8")):
            assert loaded.get(record["name"]) is not None, record["name"]


def test_load_registry_from_a_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"outlets": [{"name": "Lokalblatt", "role": "news outlet", "domains": ["lokalblatt.de"]}]}))
    mine = load_registry(path)
    assert len(mine) == 1 and mine.by_url("https://lokalblatt.de/a")[0]["name"] == "Lokalblatt"


# --- attribution ---------------------------------------------------------------------------------


def test_unattributed_rewrite_of_the_seed(docs, resolutions, registry):
    result = attribution(docs[DERIVATIVE_ID], docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert result["attributed"] is False
    assert result["credits"] == []
    assert result["names_wrong_outlet"] is False


def test_unattributed_copy(docs, resolutions, registry):
    result = attribution(docs["copy_wire"], docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert result["attributed"] is False and result["names_wrong_outlet"] is False


def test_partial_quote_credits_cgtn_with_offsets(docs, resolutions, registry):
    doc = docs["partial_quote"]
    result = attribution(doc, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert result["attributed"] is True
    assert result["credits"] == [{"text": "wie der chinesische Staatssender CGTN verbreitete", "start": 418, "end": 467}]
    assert doc.text[418:467] == "wie der chinesische Staatssender CGTN verbreitete"
    assert result["names_wrong_outlet"] is False


WRONG_DE = (
    "Wie die Nachrichtenagentur Reuters berichtet, war China im Jahr 2023 der größte Handelspartner "
    "Kasachstans. Der Handel in beide Richtungen stieg im Vergleich zum Vorjahr um 32 Prozent auf "
    "41 Milliarden US-Dollar."
)
WRONG_EN = (
    "China was Kazakhstan's largest trading partner in 2023, according to Reuters, with two-way trade "
    "up 32 percent year on year to 41 billion US dollars."
)
RIGHT_EN = (
    "China was Kazakhstan's largest trading partner in 2023, with two-way trade up 32 percent year on "
    "year to 41 billion US dollars, the Chinese state broadcaster CGTN reported."
)
UNATTRIBUTED_EN = (
    "China was Kazakhstan's largest trading partner in 2023, with two-way trade up 32 percent year on "
    "year to 41 billion US dollars."
)


@pytest.mark.parametrize("text, credit", [
    (WRONG_DE, "Wie die Nachrichtenagentur Reuters berichtet"),
    (WRONG_EN, "according to Reuters"),
])
def test_names_the_wrong_outlet(docs, resolutions, registry, text, credit):
    result = attribution({"id": "d", "text": text}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert result["attributed"] is False
    assert result["names_wrong_outlet"] is True
    [wrong] = result["wrong_credits"]
    assert wrong["text"] == credit and text[wrong["start"]:wrong["end"]] == credit
    assert wrong["outlet"] == "Reuters"


def test_crediting_dpa_for_an_ots_release_is_wrong(docs, resolutions, registry):
    text = "Berlin (dpa) - " + UNATTRIBUTED_EN
    result = attribution({"id": "d", "text": text}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert result["names_wrong_outlet"] is True and result["wrong_credits"][0]["text"] == "(dpa)"


@pytest.mark.parametrize("text, expected", [
    (RIGHT_EN, "CGTN reported"),
    (UNATTRIBUTED_EN, None),
    ("Peking (ots) - " + UNATTRIBUTED_EN, "(ots)"),                                   # the wire
    (UNATTRIBUTED_EN + " Source: https://news.cgtn.com/news/2024-07-03/China-Kazakhstan", None),  # checked below
    ("Laut CGTN stieg der Handel um 32 Prozent.", "Laut CGTN"),
    ("CGTN zufolge stieg der Handel um 32 Prozent.", "CGTN zufolge"),
    ("Der Handel stieg um 32 Prozent, teilte China Global Television Network mit.", "teilte China Global Television Network mit"),
])
def test_attributed_in_german_and_english(docs, resolutions, registry, text, expected):
    result = attribution({"id": "d", "text": text}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    if "news.cgtn.com" in text:
        assert result["attributed"] is True
        assert result["credits"][0]["text"].startswith("Source: https://news.cgtn.com/news/2024-07-03/")
    elif expected is None:
        assert result["attributed"] is False and result["credits"] == []
    else:
        assert result["attributed"] is True
        assert [c["text"] for c in result["credits"]] == [expected]
        [c] = result["credits"]
        assert text[c["start"]:c["end"]] == expected
    assert result["names_wrong_outlet"] is False


@pytest.mark.parametrize("text, expected", [
    ("Die China Media Group baut ihr Auslandsprogramm aus. " + UNATTRIBUTED_EN, None),
    ("„Die China Media Group hat nichts verschwiegen“, sagte ein Sprecher. " + UNATTRIBUTED_EN, None),
    ("Wie die China Media Group mitteilte, stieg der Handel um 32 Prozent.", "Wie die China Media Group mitteilte"),
])
def test_the_source_s_owner_credits_it_only_in_a_credit_phrase(docs, resolutions, registry, text, expected):
    """A publisher is news itself (a media group's deal, its spokesman's statement): naming it
    is no credit of its outlet's story unless the text says the story comes from it."""
    result = attribution({"id": "d", "text": text}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert [c["text"] for c in result["credits"]] == ([expected] if expected else [])
    assert result["attributed"] is bool(expected)


def test_quoted_title_counts_as_a_credit(docs, resolutions, registry):
    text = "Der Beitrag „China und Kasachstan pflegen freundschaftliche Beziehungen und verabreden weitere Zusammenarbeit“ lobt Xi."
    result = attribution({"id": "d", "text": text}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert result["attributed"] is True
    assert result["credits"][0]["text"].startswith("„China und Kasachstan") and result["credits"][0]["text"].endswith("“")


def test_a_speaker_s_words_in_a_headline_are_no_credit_when_quoted(registry):
    """A headline that gives a speaker's words after a clause naming the speaker: another text
    quoting those words quotes the speaker, it does not credit the page."""
    source = {"id": "s", "url": "https://www.nachrichten-nord.example/politik/runde-1.html",
              "title": "Kanzlerin räumt in interner Runde ein: Uns ist die Lage entglitten",
              "text": "In einer Schalte mit Abgeordneten sprach die Kanzlerin offen über Fehler."}
    resolution = resolve(source, registry)
    quoting = "Die Kanzlerin sagte nach Angaben von Teilnehmern: „Uns ist die Lage entglitten.“ Danach wurde gestritten."
    assert attribution({"id": "d", "text": quoting}, source, resolution, registry)["attributed"] is False
    labelled = {**source, "title": "Exklusiv: Uns ist die Lage völlig entglitten"}
    quoting_label = "Der Bericht „Uns ist die Lage völlig entglitten“ sorgte für Aufsehen."
    assert attribution({"id": "d", "text": quoting_label}, labelled, resolve(labelled, registry), registry)["attributed"] is True
    # a speaker's name before the colon is no label: the rest is the speaker's words
    spoken = {**source, "title": "Kranz: Diese Entscheidung ist ein Skandal"}
    quoting_speaker = "Die Bürgermeisterin reagierte empört: „Diese Entscheidung ist ein Skandal.“ Der Rat tagt erneut."
    assert attribution({"id": "d", "text": quoting_speaker}, spoken, resolve(spoken, registry), registry)["attributed"] is False
    outlet_label = {**source, "title": "CGTN: Diese Entscheidung ist ein Skandal"}
    assert attribution({"id": "d", "text": quoting_speaker}, outlet_label, resolve(outlet_label, registry), registry)["attributed"] is True


def test_everyday_word_names_need_a_credit_phrase(registry):
    source = {"id": "s", "url": "https://www.welt.de/politik/x.html", "text": "Text der Welt."}
    resolution = resolve(source, registry)
    assert resolution["outlet"]["name"] == "Die Welt"
    plain = attribution({"id": "d", "text": "China will in der Welt eine größere Rolle spielen."}, source, resolution, registry)
    credited = attribution({"id": "d", "text": "China will, wie die Welt berichtet, mehr Einfluss."}, source, resolution, registry)
    assert plain["attributed"] is False
    assert credited["attributed"] is True and credited["credits"][0]["text"] == "wie die Welt berichtet"


def test_names_too_common_to_match_bare_count_in_quotation_marks(registry):
    """„Bild“, "Focus": German prints a periodical's name in quotation marks; bare, the word is
    an everyday noun and never a credit."""
    source = {"id": "s", "url": "https://www.bild.de/politik/inland/x.html", "text": "Text der Zeitung."}
    resolution = resolve(source, registry)
    assert resolution["outlet"]["name"] == "Bild"
    credited = attribution({"id": "d", "text": "Die Ministerin sagte das, wie die „Bild“-Zeitung berichtet, vor Zeugen."},
                           source, resolution, registry)
    assert credited["attributed"] is True and credited["credits"][0]["text"] == "wie die „Bild“-Zeitung berichtet"
    bare = attribution({"id": "d", "text": "Das Bild zeigt die Ministerin. Ein „Bild“ des Jammers bot sich."}, source, resolution, registry)
    assert bare["attributed"] is False
    named = credibility.credited_outlets(
        {"id": "d", "url": "https://www.tagesspiegel.de/x.html",
         "text": "Laut „Focus“ plant die Regierung Kürzungen. Das Bild ist klar, wie der „Tagesspiegel“ erfuhr."},
        registry,
    )
    assert named == {"Focus"}


@pytest.mark.parametrize("text, named", [
    ("Die Ministerin sagte der Zeitung Bild: „Wir prüfen alle Optionen.“", {"Bild"}),
    ("Das sagte die Ministerin dem Magazin Stern am Rande des Treffens.", {"Stern"}),
    ("Wie das Nachrichtenmagazin Focus berichtet, zieht die Firma um.", {"Focus"}),
    ("Er zeigte der Zeitung Bilder vom Unfallort.", set()),           # another word
    ("Das Bild in der Zeitung zeigt den Minister.", set()),           # the everyday noun
])
def test_a_press_noun_before_an_everyday_word_name_makes_it_the_outlet(registry, text, named):
    """'sagte der Zeitung Bild': after 'Zeitung', 'Magazin' or 'Sender' the paper's name needs no
    quotation marks to be a credit."""
    fields = {"id": "d", "url": "https://www.faz.net/aktuell/politik/x-17340583.html", "text": text}
    assert credibility.credited_outlets(fields, registry) == named


def test_outlets_the_source_itself_names_are_not_wrong_credits(docs, resolutions, registry):
    text = "Der Botschafter hob in einem Interview mit People's Daily die Neue Seidenstraße hervor, berichtete People's Daily."
    result = attribution({"id": "d", "text": text}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert result["names_wrong_outlet"] is False


def test_picture_credits_and_platforms_are_not_text_credits(docs, resolutions, registry):
    text = ("Bild: Reuters\n\nDer Handel stieg um 32 Prozent. Die Zahlen kamen per E-Mail. "
            "Wie der Minister auf Twitter schrieb, ist das ein Rekord.")
    result = attribution({"id": "d", "text": text}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    assert result == {"attributed": False, "credits": [], "names_wrong_outlet": False, "wrong_credits": []}


# --- signals and score ---------------------------------------------------------------------------


def seed_derivation(docs, resolutions, registry) -> dict:
    """The seed pair as derivation detection reports it (numbers as measured on the seeds)."""
    result = attribution(docs[DERIVATIVE_ID], docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    return {
        "derivative": DERIVATIVE_ID, "source": SOURCE_ID, "relation": "paraphrase", "score": 0.65,
        "coverage": 0.77, "source_coverage": 0.65, "verbatim_share": 0.0,
        "attributed": result["attributed"], "attribution": credibility.contract_attribution(result),
        "passages": [],
    }


def test_seed_signals_and_scores(docs, resolutions, registry):
    derivation = seed_derivation(docs, resolutions, registry)
    source_signals = signals(docs[SOURCE_ID], resolutions[SOURCE_ID], [derivation], registry, resolutions=resolutions)
    derivative_signals = signals(docs[DERIVATIVE_ID], resolutions[DERIVATIVE_ID], [derivation], registry,
                                 resolutions=resolutions)
    source_names = {s["name"] for s in source_signals}
    derivative_names = {s["name"] for s in derivative_signals}
    assert {"state_media", "press_release", "low_credibility_rating", "reused_by"} <= source_names
    assert {"unattributed_reuse", "state_media_origin_undisclosed", "paraphrased_reuse", "press_release_as_news",
            "scrape_debris", "unknown_outlet"} <= derivative_names
    assert score(derivative_signals) <= score(source_signals) - 20
    for signal in source_signals + derivative_signals:
        assert signal["severity"] in credibility.SEVERITIES
        assert signal["explanation"] and signal["explanation"].endswith(".")
        assert isinstance(signal["evidence"], list)
    severities = [credibility.SEVERITIES.index(s["severity"]) for s in derivative_signals]
    assert severities == sorted(severities, reverse=True)  # most serious first
    debris = next(s for s in derivative_signals if s["name"] == "scrape_debris")
    assert [d["text"] for d in debris["evidence"]] == ["Deutschland", 'Schaltfläche "Zurück zum Anfang"']
    text = docs[DERIVATIVE_ID].text
    assert all(text[d["start"]:d["end"]] == d["text"] for d in debris["evidence"])


def test_state_media_laundered_through_a_rewrite(docs, resolutions, registry):
    derivation = {"derivative": "rewrite_of_rewrite", "source": DERIVATIVE_ID, "relation": "paraphrase",
                  "coverage": 0.9, "verbatim_share": 0.1, "attributed": False,
                  "attribution": {"credits": [], "names_wrong_outlet": False}}
    result = signals(docs["rewrite_of_rewrite"], resolutions["rewrite_of_rewrite"], [derivation], registry,
                     resolutions=resolutions, origins=[SOURCE_ID])
    undisclosed = [s for s in result if s["name"] == "state_media_origin_undisclosed"]
    assert undisclosed and undisclosed[0]["severity"] == "high"
    assert undisclosed[0]["evidence"][0]["document"] == SOURCE_ID


def test_wrong_outlet_and_unflagged_state_media_signals(docs, resolutions, registry):
    wrong = attribution({"id": "d", "text": WRONG_EN}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry)
    derivation = {"derivative": "d", "source": SOURCE_ID, "relation": "partial", "coverage": 0.6,
                  "verbatim_share": 0.3, "attributed": wrong["attributed"], "attribution": wrong}
    result = signals({"id": "d", "text": WRONG_EN, "date": "2024-07-04", "author": "A. Writer"}, resolve({"id": "d"}, registry),
                     [derivation], registry, resolutions=resolutions)
    named = next(s for s in result if s["name"] == "names_wrong_outlet")
    assert named["severity"] == "high" and named["evidence"][0]["text"] == "according to Reuters"

    right = attribution({"id": "e", "text": "Laut CGTN stieg der Handel um 32 Prozent."}, docs[SOURCE_ID],
                        resolutions[SOURCE_ID], registry)
    derivation = {"derivative": "e", "source": SOURCE_ID, "relation": "partial", "coverage": 0.5,
                  "verbatim_share": 0.5, "attributed": True, "attribution": right}
    result = signals({"id": "e", "text": "Laut CGTN stieg der Handel um 32 Prozent."}, resolve({"id": "e"}, registry),
                     [derivation], registry, resolutions=resolutions)
    assert "state_media_origin_unflagged" in {s["name"] for s in result}
    assert "unattributed_reuse" not in {s["name"] for s in result}


def test_section_ratings_apply_to_their_section_only(registry):
    humour = signals({"id": "h", "url": "https://www.newyorker.com/humor/x", "text": "…", "date": "2024-01-01"},
                     resolve({"id": "h", "url": "https://www.newyorker.com/humor/x"}, registry), [], registry)
    news = signals({"id": "n", "url": "https://www.newyorker.com/news/x", "text": "…", "date": "2024-01-01"},
                   resolve({"id": "n", "url": "https://www.newyorker.com/news/x"}, registry), [], registry)
    assert "low_credibility_rating" in {s["name"] for s in humour}
    assert "low_credibility_rating" not in {s["name"] for s in news}


def test_claims_feed_drift_signals(docs, resolutions, registry):
    claims = [{"id": "c1", "document": DERIVATIVE_ID, "status": "drifted", "text": "in Peking", "start": 1, "end": 2,
               "drift": [{"type": "place", "value": "Peking", "source_value": "Astana"}]}]
    result = signals(docs[DERIVATIVE_ID], resolutions[DERIVATIVE_ID], [], registry, claims=claims)
    drifted = next(s for s in result if s["name"] == "drifted_claims")
    assert drifted["severity"] == "medium" and drifted["evidence"][0]["claim"] == "c1"


def test_score_formula():
    assert score([]) == 100
    assert score([{"name": "a", "severity": "high"}, {"name": "a", "severity": "low"}]) == 75  # once per name
    assert score([{"name": n, "severity": "high"} for n in "abcde"]) == 0                       # clamped
    assert score([{"name": "a", "severity": "medium"}, {"name": "b", "severity": "low"},
                  {"name": "c", "severity": "info"}]) == 83


def test_report_entry_has_the_contract_shape(docs, resolutions, registry):
    entry = report_entry(SOURCE_ID, resolutions[SOURCE_ID], signals(docs[SOURCE_ID], resolutions[SOURCE_ID], [], registry))
    assert set(entry) == {"document", "outlet", "distributor", "score", "signals"}
    assert entry["outlet"] == {"name": "CGTN", "role": "broadcaster", "state_affiliation": "state-controlled",
                               "country": "China"}
    assert entry["distributor"] == "news aktuell / PR Newswire"
    assert 0 <= entry["score"] <= 100
    json.dumps(entry)  # plain data


# --- the build -----------------------------------------------------------------------------------


def build_module():
    spec = importlib.util.spec_from_file_location("build_outlets", ROOT / "scripts" / "build_outlets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SHARED_DATA / "state-media-profiles").exists(), reason="../shared/data is not present")
def test_build_is_deterministic_and_matches_the_shipped_registry(tmp_path):
    build = build_module()
    first, second = build.build(SHARED_DATA), build.build(SHARED_DATA)
    assert first == second
    assert build.differences(first, OUTLETS_DIR) == [], "run scripts/build_outlets.py"
    build.build = lambda data: first  # the CLI below writes and checks what was just built
    assert build.main(["--data", str(SHARED_DATA), "--out", str(tmp_path)]) == 0
    assert build.main(["--data", str(SHARED_DATA), "--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "outlets.json").write_text("[]\n")
    assert build.main(["--data", str(SHARED_DATA), "--out", str(tmp_path), "--check"]) == 1


def test_shipped_files_are_sorted_stable_json():
    for name in credibility.DEFAULT_FILES:
        text = (OUTLETS_DIR / name).read_text(encoding="utf-8")
        records = json.loads(text)
        assert text == json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        keys = [(r["name"].casefold(), r["name"]) for r in records]
        assert keys == sorted(keys)


@pytest.mark.parametrize("text, wrong", [
    (RIGHT_EN + " Source: example.invalid, kh/AFP", False),     # the agency relayed the credited report
    (UNATTRIBUTED_EN + " Source: example.invalid, kh/AFP", True),  # the agency credited for CGTN's content
])
def test_an_agency_sign_off_is_wrong_only_without_a_credit_to_the_source(docs, resolutions, registry, text, wrong):
    reused = [{"derivative_start": 0, "derivative_end": len(text)}]  # the sign-off lies beside reused text
    result = attribution(
        {"id": "d", "text": text, "wire_credit": "AFP"}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry, passages=reused,
    )
    assert result["names_wrong_outlet"] is wrong
    assert [w["outlet"] for w in result["wrong_credits"]] == (["AFP"] if wrong else [])


@pytest.mark.parametrize("text, named", [
    ("Zuerst hatte die „Bild“-Zeitung darüber berichtet.", {"Bild"}),
    ("Das hatte zuvor der „Spiegel“ am Abend gemeldet.", {"Der Spiegel"}),
    ("Der Spiegel hatte im Mai über den Fall berichtet.", {"Der Spiegel"}),
    ("Wie die „New York Times“ berichtet, zieht die Firma um.", {"The New York Times"}),  # not New York magazine
    ("Laut der Washington Post zieht die Firma um.", {"The Washington Post"}),
    ("Die Bild hat das nicht berichtet.", set()),                    # a denial is no credit
    ("Die Welt und die Bahn haben gestern Zahlen veröffentlicht.", set()),  # the verb belongs to both
    ("Die Umfrage entstand im Auftrag der Initiative Neue Soziale Marktwirtschaft (INSM).", set()),  # an abbreviation, not '(dpa)'
])
def test_credits_in_the_perfect_tense_and_english_names_without_their_article(registry, text, named):
    """German credits a scoop in the perfect tense, the verb at the end ('Zuerst hatte die „Bild“
    darüber berichtet'), and names English papers without 'The' ('die New York Times')."""
    fields = {"id": "d", "url": "https://www.n-tv.de/politik/x-article100.html", "text": text}
    assert credibility.credited_outlets(fields, registry) == named


@pytest.mark.parametrize("text, phrase, weekday", [
    ("Die „Süddeutsche Zeitung“ hatte schon am Mittwochabend über den Entwurf berichtet, den niemand bestätigte.",
     "„Süddeutsche Zeitung“ hatte schon am Mittwochabend über den Entwurf berichtet", 2),
    ("Das sagte die Ministerin der „Welt am Sonntag“. Sie will mehr Geld.", "sagte die Ministerin der „Welt am Sonntag“", None),
    ("Das sagte die Ministerin der Bild am Sonntag. Sie will mehr Geld.", "sagte die Ministerin der Bild am Sonntag", None),
    ("Der „Spiegel“ hatte am Sonntag berichtet, die Firma ziehe um.", "„Spiegel“ hatte am Sonntag berichtet", 6),
])
def test_the_weekday_a_credit_dates_its_report_to(registry, text, phrase, weekday):
    """A credit in the perfect tense may take seven words to its verb ('hatte schon am
    Mittwochabend über den Entwurf berichtet'); its weekday says which report it credits. 'am
    Sonntag' in the name of a Sunday paper dates nothing."""
    fields = {"id": "d", "url": "https://www.n-tv.de/politik/x-article100.html", "text": text}
    (found,) = credibility.credit_phrases(fields, registry)
    assert (text[found.start:found.end], found.weekday) == (phrase, weekday)


@pytest.mark.parametrize("text, named", [
    # a person's outlet in brackets: where they work, not where the text has its story
    ("Den Preis überreichten Erika Beispiel („Der Spiegel“) und Max Muster (ZDF).", set()),
    ("Es moderierte die Journalistin Anna Beispiel (ZDF).", set()),
    ("Laut Ulrich von Beispiel (FAZ) zieht die Firma um.", set()),
    # credits in brackets: a dateline (two-word cities too), a closing credit, an outlet's long name
    ("Bad Homburg (dpa) – Die Firma zieht um.", {"dpa"}),
    ("New York (Reuters) - Die Firma zieht um.", {"Reuters"}),
    ("Die Firma zieht nach Berlin um (Der Spiegel).", {"Der Spiegel"}),
    ("Das sagte der Minister der Frankfurter Allgemeinen Zeitung (FAZ).", {"Frankfurter Allgemeine Zeitung"}),
    ("Das berichtet das Wall Street Journal (WSJ).", {"The Wall Street Journal"}),
])
def test_an_outlet_in_brackets_after_a_persons_name_is_no_credit(registry, text, named):
    """A prize report lists 'Erika Beispiel („Der Spiegel“)' among the winners: that outlet is
    news here, and counting it as a credit made the report a derivation of Spiegel's own."""
    fields = {"id": "d", "url": "https://www.n-tv.de/politik/x-article100.html", "text": text}
    assert credibility.credited_outlets(fields, registry) == named


@pytest.mark.parametrize("text, phrase, named", [
    # declined adjectives of a name after an article
    ("Laut einem Bericht der Süddeutschen Zeitung zieht die Firma um.", "Laut einem Bericht der Süddeutschen Zeitung", {"Süddeutsche Zeitung"}),
    ("Das sagte der Minister der Frankfurter Allgemeinen Zeitung.", "sagte der Minister der Frankfurter Allgemeinen Zeitung", {"Frankfurter Allgemeine Zeitung"}),
    ("Nach Angaben der Deutschen Presse-Agentur zieht die Firma um.", "Nach Angaben der Deutschen Presse-Agentur", {"dpa"}),
    ("Der Neuen Zürcher Zeitung zufolge zieht die Firma um.", "Neuen Zürcher Zeitung zufolge", {"Neue Zürcher Zeitung"}),
    # the genitive -s after 'des'
    ("Nach Informationen des Spiegels zieht die Firma um.", "Nach Informationen des Spiegels", {"Der Spiegel"}),
    ("Laut einem Bericht des Handelsblattes zieht die Firma um.", "Laut einem Bericht des Handelsblattes", {"Handelsblatt"}),
    # a quoted name: its marks belong to the phrase, and the cue reaches across them
    ("Laut einem Bericht der „Süddeutschen Zeitung“ zieht die Firma um.", "Laut einem Bericht der „Süddeutschen Zeitung“", {"Süddeutsche Zeitung"}),
    ("Der „Tagesspiegel“ berichtet, die Firma ziehe um.", "„Tagesspiegel“ berichtet", {"Der Tagesspiegel"}),
    ("Wie der „Spiegel“ berichtet, zieht die Firma um.", "Wie der „Spiegel“ berichtet", {"Der Spiegel"}),
    # not names: a declined word that is no outlet's, a genitive without a credit
    ("Die Süddeutschen Verkehrsbetriebe ziehen um.", None, set()),
    ("Der Glanz des Spiegels täuscht.", None, set()),
    # an everyday-word name that goes on as another name, or describes a quoted title
    ("Das berichtet die Tageszeitung „Österreich“.", None, set()),
    ("Die Studie wurde zuerst in den „Proceedings of the National Academy of Sciences“ veröffentlicht.", None, set()),
    ("Die Firma hat ihre Zahlen für das erste Quartal veröffentlicht.", None, set()),
    ("Das sagte er der „Welt am Sonntag“.", "sagte er der „Welt am Sonntag“", {"Die Welt"}),
    ("Laut Tagesspiegel „verdichten sich die Hinweise“ auf einen Umzug.", "Laut Tagesspiegel", {"Der Tagesspiegel"}),  # its words, no title
])
def test_declined_genitive_and_quoted_names_are_credited(registry, text, phrase, named):
    """German declines the names it credits ('laut der Süddeutschen Zeitung', 'nach Informationen
    des Spiegels') and quotes them ('wie der „Spiegel“ berichtet'): each is the outlet's credit."""
    fields = {"id": "d", "url": "https://www.n-tv.de/politik/x-article100.html", "text": text}
    phrases = credibility.credit_phrases(fields, registry)
    assert [text[p.start:p.end] for p in phrases] == ([phrase] if phrase else [])
    assert credibility.credited_outlets(fields, registry) == named


@pytest.mark.parametrize("text, wrong", [
    # beside a credit to the source, a credit a sentence away is for another fact
    (RIGHT_EN + " The talks are broadcast live tonight, according to the BBC.", []),
    # inside the reused sentence it credits the source's content to another outlet
    (RIGHT_EN.replace("in 2023,", "in 2023, according to the BBC,"), ["BBC"]),
    # with no credit to the source, one close by is still the wrong credit it looks like
    (UNATTRIBUTED_EN + " The talks are broadcast live tonight, according to the BBC.", ["BBC"]),
    # one credit phrase for the source's outlet and another: the other is credited beside it
    (UNATTRIBUTED_EN.replace("dollars.", "dollars, according to CGTN and the BBC."), []),
])
def test_a_credit_for_another_fact_beside_a_credit_to_the_source_is_not_wrong(docs, resolutions, registry, text, wrong):
    reused = [{"derivative_start": 0, "derivative_end": text.index("dollars") + len("dollars")}]
    result = attribution({"id": "d", "text": text}, docs[SOURCE_ID], resolutions[SOURCE_ID], registry, passages=reused)
    assert [w["outlet"] for w in result["wrong_credits"]] == wrong


@pytest.mark.parametrize("text, reported, weekday", [
    ("Zuerst hatte das Redaktionsnetzwerk Deutschland (RND) darüber berichtet.", True, None),
    ("Wie die „Bild“ am Dienstag berichtete, zieht die Firma um.", True, 1),
    ("Der „Bild“-Zeitung zufolge zieht die Firma um.", True, None),
    ("Das sagte der Minister der „Bild“-Zeitung am Sonntag.", False, 6),   # words said to the paper
    ("Nach ARD-Angaben geht es um die Zukunft der Firma.", False, None),  # what ARD says, not its report
    ("Der „Spiegel“ hatte im Mai über den Fall berichtet.", False, None),  # earlier reporting recalled
    ("Zuvor hatte der „Spiegel“ über den Fall berichtet.", True, None),
    # another, earlier report recalled, or a report the outlet relays
    ("NDR, WDR und „Spiegel“ berichteten vergangene Woche, dass die Firma umzieht.", False, None),
    ("Der „Spiegel“ berichtete bereits vor zwei Wochen über den Fall.", False, None),
    ("Wie der „Spiegel“ unter Berufung auf die Agentur AFP berichtet, zieht die Firma um.", False, None),
    ("Wie der „Spiegel“ unter Berufung auf Ermittler berichtet, zieht die Firma um.", True, None),  # its own sources
    # the story's own time words and tense are not the credit's
    ("Wie der „Spiegel“ berichtet, zieht die Firma im Mai um.", True, None),
    ("Die Firma hat im Mai, wie der „Spiegel“ berichtet, Verluste gemacht.", True, None),
])
def test_a_credit_phrase_tells_a_reported_story_from_words_said_to_the_outlet(registry, text, reported, weekday):
    fields = {"id": "d", "url": "https://www.n-tv.de/politik/x-article100.html", "text": text}
    phrases = credibility.credit_phrases(fields, registry)  # the first names the outlet ('(RND)' may follow)
    assert (phrases[0].reported, phrases[0].weekday) == (reported, weekday)
    assert phrases[0].first == text.startswith(("Zuerst", "Zuvor"))  # it says the outlet had the story first


@pytest.mark.parametrize("text, credit", [
    # the speaker's title and name between the verb and the outlet's dative
    ("„Das ist ein Skandal“, sagte die stellvertretende Vorsitzende des Landeselternrats Martina Köhler-Brandt dem RND.",
     "sagte die stellvertretende Vorsitzende des Landeselternrats Martina Köhler-Brandt dem RND"),
    ("Das sagte der verkehrspolitische Sprecher Tobias Lindemann am Abend den Zeitungen des Redaktionsnetzwerks Deutschland.",
     "sagte der verkehrspolitische Sprecher Tobias Lindemann am Abend den Zeitungen des Redaktionsnetzwerks Deutschland"),
    # a comma opens another clause: the outlet is what she speaks about, not whom she speaks to
    ("Die Ministerin sagte am Mittwoch im Bundestag, sie habe mit dem „Spiegel“ nie gesprochen.", None),
    ("Der Minister sagte, er lese jeden Morgen in aller Ruhe den Wirtschaftsteil der „Süddeutschen Zeitung“.", None),
])
def test_words_said_to_an_outlet_are_credited_however_long_the_speaker_s_title(registry, text, credit):
    fields = {"id": "d", "url": "https://www.n-tv.de/politik/x-article100.html", "text": text}
    phrases = credibility.credit_phrases(fields, registry)
    assert [text[p.start:p.end] for p in phrases] == ([credit] if credit else [])
    assert not any(p.reported for p in phrases)


def test_a_sentence_break_just_before_a_name_ends_the_credit_s_context(registry):
    """The sentence before a credit that opens its own sentence is not part of it: its perfect
    tense ('hatte … gemacht') makes no background credit, its verb ('sagte er.') no credit."""
    text = "Die Firma hatte im Mai Verluste gemacht. Wie der „Spiegel“ berichtet, zieht sie um. Das sagte er. Der Spiegel erscheint am Samstag."
    fields = {"id": "d", "url": "https://www.n-tv.de/politik/x-article100.html", "text": text}
    phrases = credibility.credit_phrases(fields, registry)
    assert [(text[p.start:p.end], p.reported) for p in phrases] == [("Wie der „Spiegel“ berichtet", True)]


def test_an_outlet_the_source_names_in_another_form_is_no_wrong_credit(registry):
    """The source says 'wie die Frankfurter Allgemeine Zeitung berichtet'; the rewrite keeps that
    credit declined ('laut der Frankfurter Allgemeinen Zeitung'): the source's own sourcing, kept."""
    source = {"id": "s", "url": "https://www.cgtn.com/news/2024-07-03/trade.html",
              "text": "Handel wächst\nDer Handel wuchs um 32 Prozent, wie die Frankfurter Allgemeine Zeitung berichtet."}
    derivative = {"id": "d", "url": "https://www.example-news.de/handel.html",
                  "text": "Handel wächst stark\nDer Handel wuchs laut der Frankfurter Allgemeinen Zeitung um 32 Prozent."}
    reused = [{"derivative_start": 0, "derivative_end": len(derivative["text"])}]
    result = attribution(derivative, source, None, registry, passages=reused)
    assert result["wrong_credits"] == []


@pytest.mark.parametrize("text, phrase, reported, first", [
    ("Trade rose 32 percent, as the BBC reported on Monday.", "as the BBC reported", True, False),
    ("As The New York Times first reported, the company is moving.", "As The New York Times first reported", True, True),
    ("Trade rose, as The Wall Street Journal reported last week.", "as The Wall Street Journal reported", False, False),  # an earlier report
    ("He worked as a reporter for the BBC for ten years.", None, None, None),  # 'as' without a verb of reporting
])
def test_english_as_reported_credits_the_outlet(registry, text, phrase, reported, first):
    """English credits a report with 'as … reported', as German does with 'wie … berichtet'."""
    fields = {"id": "d", "url": "https://www.example-news.com/business/trade.html", "text": text}
    phrases = credibility.credit_phrases(fields, registry)
    assert [(text[p.start:p.end], p.reported, p.first) for p in phrases] == ([(phrase, reported, first)] if phrase else [])


def test_every_news_agency_whose_credit_is_read_is_a_news_agency_of_the_registry(registry):
    """The credit table (`agencies`) says how an agency's copy signs; the registry says who the
    agency is. An agency missing there would be read in credits, but its own text (its site,
    its feed) would not be known as the agency's, the copy the newsrooms run."""
    from provenance.agencies import AGENCIES, NEWS

    for agency in AGENCIES:
        if agency.kind == NEWS:
            found = [registry.lookup(form) for form in (agency.name, *agency.signs, *agency.bare)]
            assert any(record and record["role"] == "news agency" for record in found), agency.name


@pytest.mark.parametrize("text, credit", [
    ("Eine Steuer auf Zweitwohnungen hatte die Bürgermeisterin schon Ende Mai in der „Zeit“ ins Spiel gebracht.",
     "in der „Zeit“"),
    ("Die Senatorin warb im „Tagesspiegel“ um Geduld mit den neuen Radwegen.", "im „Tagesspiegel“"),
    ("Der Minister hatte im „Spiegel“ eine Pflicht zum Testen gefordert.", "im „Spiegel“"),
    # nobody states anything there: a workplace, a debate
    ("Er arbeitete lange in der „Süddeutschen Zeitung“ als Redakteur.", None),
    ("Die Debatte wurde im „Spiegel“ ausgetragen.", None),
])
def test_words_stated_in_an_outlet_s_pages_are_credited_to_it(registry, text, credit):
    """'hatte … in der „Zeit“ ins Spiel gebracht': what a politician proposed in a paper's
    interview or guest article, retold by another outlet, comes from that paper."""
    fields = {"id": "d", "url": "https://www.faz.net/aktuell/politik/x-123.html", "text": text}
    phrases = credibility.credit_phrases(fields, registry)
    assert [text[p.start:p.end] for p in phrases] == ([credit] if credit else [])
    assert not any(p.reported for p in phrases)
