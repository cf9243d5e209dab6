"""Claims: extraction and normalisation (German and English), the seed pair's gold claims, drift."""
import pytest

from provenance import align, claims, terms
from provenance.ingest import RawRecord
from provenance.pipeline import analyse

from .conftest import DERIVATIVE_ID, SEEDS, SOURCE_ID


def document(text, language="de", id="doc"):
    doc, _ = analyse(RawRecord(id=id, text=text, origin=id, format="txt", given={"language": language}))
    return doc


def seed(doc_id):
    text = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
    doc, _ = analyse(RawRecord(id=doc_id, text=text, origin=doc_id, format="txt"))
    return doc


def check(derivative, source, profile=None):
    alignment = align.align(terms.units(derivative), terms.units(source))
    return claims.check_claims(derivative, source, alignment.sentence_pairs, profile)


def check_retelling(source, retelling, language="de"):
    """A retelling's claims checked against its source, both given as text."""
    return check(document(retelling, language, id="d"), document(source, language, id="s"))


def only_claim(text, language="de"):
    found = claims.extract_claims(document(text, language))
    assert found, text
    return found[0]


def covering(found, start, end):
    """The most specific claim covering an annotated span: most of it covered, then the shortest."""
    def key(c):
        return (-(min(end, c["end"]) - max(start, c["start"])), c["end"] - c["start"])
    best = sorted(found, key=key)[0]
    assert min(end, best["end"]) > max(start, best["start"]), (start, end)
    return best


# --- the seed pair ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_docs():
    return seed(DERIVATIVE_ID), seed(SOURCE_ID)


@pytest.fixture(scope="module")
def seed_claims(seed_docs):
    derivative, source = seed_docs
    return check(derivative, source)


def test_every_gold_claim_gets_its_status(seed_claims, gold):
    for item in gold["claims"]:
        claim = covering(seed_claims, *item["derivative_span"])
        assert claim["status"] == item["status"], (item["derivative"], claim["text"], claim["drift"])
        assert claim["checked_against"] == SOURCE_ID
        if item["status"] == "unsupported":
            assert claim["source"] is None and claim["drift"] == []
            continue
        assert claim["source"]["document"] == SOURCE_ID
        assert any(
            claim["source"]["start"] < end and start < claim["source"]["end"] for start, end in item["source_spans"]
        ), (item["derivative"], claim["source"]["text"])
        assert {d["type"] for d in claim["drift"]} == {d["type"] for d in item.get("drift", [])}


def test_the_meeting_moved_to_peking_is_place_drift_against_the_event(seed_claims, gold):
    item = next(c for c in gold["claims"] if c["status"] == "drifted")
    claim = covering(seed_claims, *item["derivative_span"])
    (drift,) = claim["drift"]
    assert drift["type"] == "place" and drift["value"] == "Peking"
    assert "Kasachstan" in drift["source_value"] and "Astana" in drift["source_value"]
    assert "Peking" not in drift["source_value"]


def test_trade_figure_slots_and_source_sentence(seed_claims, gold):
    item = next(c for c in gold["claims"] if "slots" in c)
    claim = covering(seed_claims, *item["derivative_span"])
    slots = claim["slots"]
    assert claim["kind"] == "quantity" and claim["status"] == "supported"
    assert slots["year"] == item["slots"]["year"] == 2023
    assert slots["change_percent"] == item["slots"]["change_percent"] == 32
    assert slots["value"] == item["slots"]["value"] == 41e9
    assert slots["currency"] == item["slots"]["currency"] == "USD"
    assert "32 Prozent auf 41 Milliarden US-Dollar" in claim["source"]["text"]


def test_at_least_eight_claims_are_linked_to_the_source(seed_claims):
    linked = [c for c in seed_claims if c["source"] and c["source"]["document"] == SOURCE_ID]
    assert len(linked) >= 8


def test_source_event_frame_leaves_out_dateline_and_other_dates(seed_docs):
    _, source = seed_docs
    event = claims.profile_source(source)["event"]
    names = [p["name"] for p in event["places"]]
    assert names[0] == "Kasachstan" and "Astana" in names and "Peking" not in names
    assert event["label"] == "Kasachstan (Astana)"


def test_offsets_are_exact_and_boilerplate_never_claimed(seed_docs):
    for doc in seed_docs:
        found = claims.extract_claims(doc)
        boilerplate = [s for s in doc.segments if s.boilerplate]
        for claim in found:
            assert doc.text[claim["start"]:claim["end"]] == claim["text"]
            assert claim["kind"] in claims.KINDS
            assert not any(s.start < claim["end"] and claim["start"] < s.end for s in boilerplate)
        assert [c["id"] for c in found] == [f"{doc.id}:{n}" for n in range(len(found))]


def test_extraction_is_deterministic(seed_docs):
    derivative, source = seed_docs
    assert claims.extract_claims(derivative) == claims.extract_claims(derivative)
    assert check(derivative, source) == check(derivative, source)


def test_original_claims_have_nothing_to_check_against(seed_docs):
    _, source = seed_docs
    for claim in claims.original_claims(source):
        assert (claim["status"], claim["checked_against"], claim["source"], claim["drift"]) == ("original", None, None, [])


# --- normalisation ---------------------------------------------------------------------------------

QUANTITIES = [
    ("de", "Der Gewinn stieg auf 41 Milliarden US-Dollar.", {"value": 41e9, "currency": "USD", "kind": "money"}),
    ("de", "Die Firma zahlte 5,2 Mio. Euro Strafe.", {"value": 5.2e6, "currency": "EUR", "kind": "money"}),
    ("de", "Bezos spendete zehn Milliarden Dollar für den Klimaschutz.", {"value": 1e10, "currency": "USD", "kind": "money"}),
    ("de", "Das Werk kostete 1.200 Euro pro Quadratmeter.", {"value": 1200.0, "currency": "EUR", "kind": "money"}),
    ("de", "Der Umsatz wuchs um 32 Prozent im Vergleich zum Vorjahr.", {"value": 32.0, "kind": "percent", "role": "change"}),
    ("de", "Die Inflation lag zuletzt bei 3,8 Prozent im Euroraum.", {"value": 3.8, "kind": "percent"}),
    ("de", "Der Konzern strich 1.200 Arbeitsplätze in der Region.", {"value": 1200.0, "kind": "count", "unit": "arbeitsplatz"}),
    ("de", "Die Partner arbeiten seit drei Jahrzehnten zusammen.", {"value": 3.0, "kind": "count", "unit": "jahrzehnt"}),
    ("de", "Bei seinem fünften Besuch traf er den Präsidenten.", {"value": 5.0, "kind": "ordinal", "unit": "besuch"}),
    ("de", "Die Kürzung beträgt 30-prozentige Abschläge beim Geld.", {"value": 30.0, "kind": "percent"}),
    ("en", "Revenue rose to $3.5bn last year.", {"value": 3.5e9, "currency": "USD", "kind": "money"}),
    ("en", "The club paid £40 million for the striker.", {"value": 4e7, "currency": "GBP", "kind": "money"}),
    ("en", "The company cut 1,200 jobs in Ohio.", {"value": 1200.0, "kind": "count", "unit": "job"}),
    ("en", "Sales fell 12% in the second quarter.", {"value": 12.0, "kind": "percent"}),
    ("en", "Prices fell by 4.5 per cent in March.", {"value": 4.5, "kind": "percent", "role": "change"}),
    ("en", "Officials said two million people were affected.", {"value": 2e6, "kind": "count", "unit": "peopl"}),
]


@pytest.mark.parametrize("language,text,expected", QUANTITIES)
def test_quantities_are_normalised(language, text, expected):
    claim = only_claim(text, language)
    found = [q for q in claim["slots"]["quantities"] if q["kind"] == expected["kind"]]
    assert found, claim["slots"]["quantities"]
    assert {key: found[0].get(key) for key in expected} == expected


DATES = [
    ("de", "Xi und Tokajew trafen sich im Oktober 2023 in Peking.", "2023-10", "month"),
    ("de", "Der Vertrag wurde am 3. Juli 2024 unterzeichnet.", "2024-07-03", "day"),
    ("de", "Die Frist endete am 03.07.2024 um Mitternacht.", "2024-07-03", "day"),
    ("de", "Im Jahr 2023 war China der größte Handelspartner.", "2023", "year"),
    ("de", "Das erklärte der Präsident am Mittwoch in Astana.", "Wednesday", "weekday"),
    ("en", "The deal was signed on July 3, 2024 in Brussels.", "2024-07-03", "day"),
    ("en", "The plant opened in March 2021 near Antwerp.", "2021-03", "month"),
    ("en", "The minister resigned on Friday after the vote.", "Friday", "weekday"),
    ("en", "The report was published 2024-07-03 by the agency.", "2024-07-03", "day"),
    ("de", "Die Bauarbeiten an der Brücke beginnen Anfang April.", "--04", "month"),
    ("en", "The new line will open in late September, the operator said.", "--09", "month"),
]


@pytest.mark.parametrize("language,text,value,granularity", DATES)
def test_dates_are_normalised(language, text, value, granularity):
    claim = only_claim(text, language)
    assert [(d["value"], d["granularity"]) for d in claim["slots"]["dates"]][:1] == [(value, granularity)]


SPEECH = [
    ("de", "Die Preise steigen nicht, erklärte Finanzminister Christian Lindner am Montag.", "Christian Lindner", True),
    ("de", "Laut dem Statistischen Bundesamt lag die Inflation bei 3,8 Prozent.", "Statistischen Bundesamt", False),
    ("de", "Xi zufolge wird China keine Truppen entsenden.", "Xi", True),
    ("de", "„Wir werden die Zusammenarbeit vertiefen“, sagte Kanzler Olaf Scholz in Paris.", "Olaf Scholz", False),
    ("de", "Die Gespräche waren nicht nur lang, sondern auch zäh, so der Sprecher.", "Sprecher", False),
    ("en", '"We will not raise taxes," Prime Minister Keir Starmer told reporters.', "Keir Starmer", True),
    ("en", "According to the World Health Organization, cases rose sharply.", "World Health Organization", False),
    ("en", "Profits doubled, the company said on Tuesday.", "company", False),
    ("en", "The firm cut 300 jobs, spokesman John Smith said.", "John Smith", False),
    ("de", "Bürgermeister Tobias Rademacher erklärte: Die Schulen bleiben nicht geschlossen.", "Tobias Rademacher", True),
    ("de", "Der Umsatz sei nicht gesunken, so Vertriebschef Markus Sommer.", "Markus Sommer", True),
    ("de", "Ministerin Laura Kraft sprach von einem schwierigen Jahr für die Landwirte.", "Laura Kraft", False),
    ("de", "Die Straße bleibt nicht gesperrt, erklärte der Leitende Polizeidirektor Stefan Ahlers.", "Stefan Ahlers", True),
    ("de", "Die Fähre fährt wieder, sagte Verkehrsminister Michael R. Brenner am Abend.", "Michael R. Brenner", False),
]


@pytest.mark.parametrize("language,text,speaker,negated", SPEECH)
def test_reported_speech_speaker_and_negation(language, text, speaker, negated):
    claim = only_claim(text, language)
    assert claim["kind"] == "quote"
    assert claim["slots"]["speaker"] == speaker
    assert claim["slots"]["negated"] is negated


GERMAN_SPEAKERS = [
    # the one told is no speaker: "sagte er dem WDR", "sagte Name den Zeitungen"
    ("Jonas Wendt leitet den Verein seit 2019. „Wir bauen das Vereinsheim im Sommer“, sagte er dem WDR.", [None, "Jonas Wendt"]),
    # the name before a parenthesis speaks, not the party inside it
    ("Bildungsministerin Karla Henning (54, SPD) kündigte am Montag neue Lehrpläne für die Grundschulen an.", ["Karla Henning", None]),
    # the member speaks, not her party
    ('Der Stadtrat Jonas Wendt von den Linken sagte dem Kurier: "Das mag schon stimmen, wie das Landeskriminalamt erklärt.',
     ["Jonas Wendt"]),
    # a surname that is a common adverb after a given name ("Lange")
    ("„Das halten wir für machbar“, sagte Buchautor Thomas Lange dem WDR.", ["Thomas Lange", None]),
    # the person who introduces a quotation is the "sie" after it, not the last one before the sentence
    ("Petra Olbrich leitet das Amt. Am Donnerstag hatte Ministerin Karla Henning eine Pause gefordert: "
     "„Die Fähre fällt wohl bis Ostern aus“, sagte sie.", [None, "Karla Henning", None]),
    # a person inside what was said is not the pronoun's person
    ("Petra Olbrich leitet das Amt. Jonas Wendt müsse sofort freikommen, schrieb sie am Sonntag.", [None, "Petra Olbrich"]),
    # the person in apposition after a role and its body
    ("„Die Schulen bleiben offen“, erklärte die Vorsitzende des Hessischen Elternverbandes, Karla Henning, dem WDR.",
     ["Karla Henning", None]),
    # a role after the verb is its subject; the name before the comma belongs to what comes before
    ("Mit Blick auf die entführte Studentin Anna Vogel, meinte der Aktivist auf seiner Webseite: „Sie muss frei sein.“", ["Aktivist"]),
    # a verb inside a quotation opened in the sentence reports what was said
    ('Wendt zweifelt: "Das mag schon stimmen, wie das Landeskriminalamt erklärt.', [None]),
]


@pytest.mark.parametrize("text,speakers", GERMAN_SPEAKERS)
def test_german_speakers_are_who_told(text, speakers):
    assert [c["slots"]["speaker"] for c in claims.extract_claims(document(text))] == speakers


@pytest.mark.parametrize("source,retelling,drift", [
    # papers are no speakers: another paper named for the same figures changes no one's words
    ("Den Berechnungen zufolge sinkt der Verbrauch der Fähren bis 2030 um 8 Prozent.",
     "Der Verbrauch der Fähren sinkt laut Studie bis 2030 um 8 Prozent.", []),
    ("Laut Jonas Wendt sinkt der Verbrauch der Fähren bis 2030 um 8 Prozent.",
     "Laut Petra Olbrich sinkt der Verbrauch der Fähren bis 2030 um 8 Prozent.",
     [{"type": "speaker", "value": "Petra Olbrich", "source_value": "Jonas Wendt"}]),
])
def test_a_document_named_as_source_is_no_speaker(source, retelling, drift):
    assert [c["drift"] for c in check_retelling(source, retelling)] == [drift]


def test_a_quotation_the_source_does_not_hold_is_another_statement_not_another_speaker():
    """Two ministers' statements on one event: the retelling's quotation is not the source's, so its
    speaker is no speaker changed; the claim is unsupported."""
    source = document("„Der Blogger muss sofort freikommen“, schrieb Ministerin Karla Henning am Sonntag bei Twitter "
                      "zur Festnahme in Minsk.", id="s")
    retold = document("„Wir sind sehr besorgt“, schrieb Minister Jonas Wendt am Sonntag bei Twitter zur Festnahme in Minsk.")
    quoted = check(retold, source)[0]
    assert (quoted["status"], quoted["drift"]) == ("unsupported", [])


ANOTHER_STATEMENT = [
    # a date or figure compared only with one where the source says much the same
    ("Die Senatorin will die Vorschläge zu den Fährpreisen an diesem Mittwoch in Bremen präsentieren.",
     "„Wir wollen den Fahrgästen faire Preise garantieren und das auch durchsetzen“, sagte die Senatorin zu den "
     "Fährpreisen am Donnerstag in Bremen.", "unsupported", []),
    ("Die Senatorin will die Vorschläge zu den Fährpreisen an diesem Mittwoch in Bremen präsentieren.",
     "Die Senatorin will ihre Vorschläge zu den Fährpreisen am Donnerstag in Bremen präsentieren.", "drifted",
     [{"type": "date", "value": "am Donnerstag", "source_value": "Mittwoch"}]),
    ("Laut einer Umfrage des Senders unterstützen 54 Prozent der Teilnehmer einen strengeren Schutz der Wälder.",
     "Laut einer Umfrage von Nordstat für zwei Zeitungen unterstützen 70 Prozent der Schweden höhere Preise für Holz "
     "aus den Wäldern.", "unsupported", []),
    ("Laut einer Umfrage des Senders unterstützen 54 Prozent der Teilnehmer einen strengeren Schutz der Wälder.",
     "Laut einer Umfrage des Senders unterstützen 70 Prozent der Teilnehmer einen strengeren Schutz der Wälder.", "drifted",
     [{"type": "number", "value": "70 Prozent", "source_value": "54 Prozent"}]),
]


@pytest.mark.parametrize("source,retelling,status,drift", ANOTHER_STATEMENT)
def test_a_date_or_figure_of_another_statement_is_no_drift(source, retelling, status, drift):
    found = check_retelling(source, retelling)
    assert [(c["status"], c["drift"]) for c in found] == [(status, drift)]


def test_a_small_town_after_a_given_name_is_a_surname():
    """'Markus Wedel': a town of 30,000 in the gazetteer, but after a first name a surname."""
    assert only_claim("Petra Olbrich und Markus Wedel stellten am Freitag ein neues Konzept für den Hafen vor.")["slots"]["persons"] == [
        "Petra Olbrich", "Markus Wedel"]


def test_a_person_the_source_names_in_other_words_is_no_person_changed():
    """A word the claim's reader took for a name after a role ('die Kreis-Chefin Angaben') that the
    source has as well is no person put in the place of the source's."""
    source = document("Landrätin Petra Olbrich prüfte am Montag in Kiel die Angaben im Jahresbericht des Kreises.", id="src")
    retold = document("Am Montag prüfte die Kreis-Chefin Angaben im Jahresbericht des Kreises.")
    assert [d for c in check(retold, source, claims.profile_source(source)) for d in c["drift"]] == []


@pytest.mark.parametrize("role", ["der frühere niedersächsische Finanzminister", "der SPD-Vorsitzende"])
def test_a_role_is_no_speaker_drift_against_a_name_whatever_its_words(role):
    """A role of several words, lower-case adjectives or a party before it, may be the named speaker."""
    source = document("„Über den Haushalt stimmt am Ende der Landtag in Hannover ab“, sagte Jonas Wendt der Zeitung.", id="src")
    retold = document(f"„Über den Haushalt stimmt am Ende der Landtag in Hannover ab“, sagte {role}.")
    found = check(retold, source, claims.profile_source(source))
    assert [(c["status"], c["drift"]) for c in found] == [("supported", [])]


def test_names_places_roles_and_quotes():
    claim = only_claim("„Wir investieren in die Netze“, sagte Bürgermeisterin Anna Schmidt am Mittwoch in Berlin.")
    slots = claim["slots"]
    assert slots["quote"] == "Wir investieren in die Netze"
    assert slots["persons"] == ["Anna Schmidt"] and slots["locations"] == ["Berlin"]
    roles = claims.extract_claims(document("Das sagte Bürgermeisterin Anna Schmidt am Mittwoch in Berlin."))
    assert any(c["kind"] == "person" and c["text"] == "Bürgermeisterin Anna Schmidt" for c in roles)
    orgs = only_claim("Beide Länder unterstützen die Vereinten Nationen und die Shanghaier Organisation für Zusammenarbeit.")
    assert orgs["slots"]["organisations"] == ["Vereinten Nationen", "Shanghaier Organisation für Zusammenarbeit"]


def test_two_people_joined_by_and_are_two_names():
    """'Mayor Linda Okafor and Governor Tomas Reyes' names two people; 'Bank of England' is
    one name, and a company with an organisation word keeps its 'and'."""
    claim = only_claim("Mayor Linda Okafor and Governor Tomas Reyes signed the agreement on Monday.", "en")
    assert claim["slots"]["persons"] == ["Linda Okafor", "Tomas Reyes"]
    bank = only_claim("Rates were raised by the Bank of England on Thursday, its governor Andrew Bailey said.", "en")
    assert "Bank of England" in bank["slots"]["organisations"]
    firm = only_claim("Harland and Wolff Group said on Tuesday that it would hire 200 welders.", "en")
    assert "Harland and Wolff Group" in firm["slots"]["organisations"]


def test_a_country_after_und_is_no_part_of_the_organisation_before_it():
    """'die Europäische Union und Norwegen': a union and a country, named side by side."""
    claim = only_claim("Die Europäische Union und Norwegen haben am Montag neue Fangquoten vereinbart.")
    assert claim["slots"]["organisations"] == ["Europäische Union"]
    assert "Norwegen" in claim["slots"]["places"]


def test_hundert_or_tausend_alone_is_the_figure_itself():
    """German writes 'zweihundert' as one word: 'hundert' alone is 100, but not in 'einige
    hundert' (a rough amount)."""
    def figures(text):
        return [(q["text"], q["value"]) for q in only_claim(text)["slots"]["quantities"]]

    assert figures("Bei dem Unfall wurden mehr als hundert Menschen verletzt.") == [("hundert", 100.0)]
    assert figures("Rund tausend Beschäftigte legten am Montag die Arbeit nieder.") == [("tausend", 1000.0)]
    assert ("hundert", 100.0) not in figures("Einige hundert Menschen zogen am Samstag vor das Rathaus.")


def test_hundred_after_a_number_word_multiplies_it():
    """'two hundred' is 200, not 2; 'three hundred million dollars' 300 million; 'hundert
    Millionen Euro' 100 million, not the bare scale word alone."""
    def figures(text, language="de"):
        return [(q["text"], q["value"]) for q in only_claim(text, language)["slots"]["quantities"]]

    assert figures("Two hundred people attended the vigil on Sunday.", "en") == [("Two hundred", 200.0)]
    assert figures("The new bridge will cost three hundred million dollars.", "en") == [
        ("three hundred million dollars", 3e8)]
    assert figures("A hundred volunteers cleaned the beach.", "en") == [("A hundred", 100.0)]
    assert figures("Two hundred and fifty seats were sold.", "en") == [("Two hundred and fifty", 250.0)]
    assert figures("Der Umbau kostet hundert Millionen Euro.") == [("hundert Millionen Euro", 1e8)]
    assert figures("Zum Fest kamen drei hundert Gäste.") == [("drei hundert", 300.0)]
    assert ("Millionen", 1e6) in figures("Einige hundert Millionen Euro fehlen noch.")


def test_a_figure_in_words_is_checked_as_the_figure():
    """'two hundred' retells '200'; 'hundert Millionen' against '200 Millionen' is a changed number."""
    source = document("The festival drew 200 visitors on its first day, the organisers said on Monday.", "en", id="src-en")
    same = check(document("Two hundred visitors came to the festival on its first day, organisers said on Monday.", "en"),
                 source, claims.profile_source(source))
    assert [c["status"] for c in same if c["slots"]["quantities"]] == ["supported"]
    source = document("Für neue Radwege an Landstraßen gibt Brandenburg 200 Millionen Euro aus, kündigte die Verkehrsministerin an.", id="src-de")
    changed = check(document("Brandenburg gibt für neue Radwege an Landstraßen hundert Millionen Euro aus, kündigte die Verkehrsministerin an."),
                    source, claims.profile_source(source))
    drifted = [d for c in changed for d in c["drift"]]
    assert {"type": "number", "value": "hundert Millionen Euro", "source_value": "200 Millionen Euro"} in [
        {k: d[k] for k in ("type", "value", "source_value")} for d in drifted]


def test_a_share_written_as_a_fraction_is_a_figure():
    """'ein Drittel der Befragten', 'two-thirds of voters', 'die Hälfte' are shares; a period
    ('im ersten Drittel', 'in der zweiten Hälfte'), a part of town ('in einem Viertel'), a time
    ('Viertel nach zehn') and an ordinal ('a third term') are not."""
    def shares(text, language="de"):
        return [(q["text"], round(q["value"], 3)) for q in only_claim(text, language)["slots"]["quantities"]
                if q["kind"] == "fraction"]

    assert shares("Ein Drittel der Befragten lehnt die neue Grundsteuer ab.") == [("Ein Drittel", 0.333)]
    assert shares("Gut zwei Drittel der Mitglieder stimmten für den Vorstand.") == [("zwei Drittel", 0.667)]
    assert shares("Die Hälfte der Filialen soll bis Ende Mai schließen.") == [("Die Hälfte", 0.5)]
    assert shares("Two-thirds of the members voted for the merger.", "en") == [("Two-thirds", 0.667)]
    assert shares("A quarter of the staff will work from home.", "en") == [("A quarter", 0.25)]
    assert shares("Half of the new flats are still empty.", "en") == [("Half", 0.5)]
    assert shares("Im ersten Drittel des Spiels fiel kein Tor.") == []
    assert shares("In der zweiten Hälfte fielen drei Tore.") == []
    assert shares("Die Pakete werden in einem Viertel gesammelt und dann zugestellt.") == []
    assert shares("Um Viertel nach zehn begann die Sitzung des Rates.") == []
    assert shares("The mayor is running for a third term in office.", "en") == []


def test_a_changed_share_drifts_and_a_share_retold_as_a_percentage_does_not():
    """'die Hälfte' for 'ein Drittel' is a changed number; 'ein Drittel' retells '34 Prozent'
    and '50 Prozent' retells 'die Hälfte', but not '60 Prozent'."""
    def checked(source_text, text, language="de"):
        source = document(source_text, language, id="src")
        found = check(document(text, language), source, claims.profile_source(source))
        return [c["status"] for c in found], [(d["type"], d["value"], d["source_value"]) for c in found for d in c["drift"]]

    source = "Laut der Umfrage lehnt ein Drittel der Mieter die Reform ab, teilte das Institut am Montag mit."
    assert checked(source, "Die Hälfte der Mieter lehnt die Reform laut der Umfrage ab, teilte das Institut am Montag mit.") == (
        ["drifted"], [("number", "Die Hälfte", "ein Drittel")])
    assert checked(source, "Laut der Umfrage lehnen 34 Prozent der Mieter die Reform ab, teilte das Institut am Montag mit.") == (
        ["supported"], [])
    assert checked(source.replace("ein Drittel", "60 Prozent").replace("lehnt", "lehnen"),
                   "Ein Drittel der Mieter lehnt laut der Umfrage die Reform ab, teilte das Institut am Montag mit.") == (
        ["drifted"], [("number", "Ein Drittel", "60 Prozent")])
    assert checked("Ab dem dritten Semester übernimmt das Land die Hälfte der Mensakosten, erklärte der Rektor in Jena.",
                   "Ab dem dritten Semester übernimmt das Land 50 Prozent der Mensakosten, erklärte der Rektor in Jena.")[1] == []
    assert checked("Two-thirds of the residents voted against the new runway, the council said on Friday.",
                   "Half of the residents voted against the new runway, the council said on Friday.", "en") == (
        ["drifted"], [("number", "Half", "Two-thirds")])


def test_a_change_told_as_a_factor_drifts_when_the_factor_changes():
    """'verdreifacht' for 'verdoppelt', 'doubled' for 'halved': an exaggerated change is a changed
    number; the same factor in other words is supported, and bare 'double' is no factor."""
    def checked(source_text, text, language):
        source = document(source_text, language, id="src")
        found = check(document(text, language), source, claims.profile_source(source))
        return [c["status"] for c in found], [(d["type"], d["value"], d["source_value"]) for c in found for d in c["drift"]]

    source = "Die Wohngeldanträge in Kiel haben sich binnen zwölf Monaten verdoppelt, meldete das Sozialamt der Stadt."
    assert checked(source, source.replace("verdoppelt", "verdreifacht"), "de") == (
        ["drifted"], [("number", "verdreifacht", "verdoppelt")])
    assert checked(source, "Binnen zwölf Monaten verdoppelten sich in Kiel die Wohngeldanträge, meldete das Sozialamt der Stadt.", "de") == (
        ["supported"], [])
    source = "Vantorek halved its workforce in Malmö last year, the Swedish maker said on Monday."
    assert checked(source, source.replace("halved", "doubled"), "en") == (["drifted"], [("number", "doubled", "halved")])
    assert [q["kind"] for q in only_claim("The court heard a double murder case in Malmö on Monday.", "en")["slots"]["quantities"]] == []


def test_a_figure_inside_a_code_or_name_is_no_quantity():
    """'CO2', 'CO₂', 'G7', 'FFP2-Masken', 'A380': the figure names a thing, it counts nothing."""
    def figures(text, language="de"):
        return [q["text"] for q in only_claim(text, language)["slots"]["quantities"]]

    assert figures("Der CO₂-Ausstoß der Werke in Bremen sank 2023 um 5 Prozent.") == ["5 Prozent"]
    assert figures("Beim G7-Gipfel in Elmau sagten die Staaten 600 Millionen Euro zu.") == ["600 Millionen Euro"]
    assert figures("In Bussen und Bahnen gilt ab Montag eine FFP2-Maskenpflicht.") == []
    assert figures("The airline retired its last A380 on Friday after 14 years.", "en") == ["14"]


@pytest.mark.parametrize("text,speaker", [
    ('"We will not raise taxes," said opposition leader Mark Dunmore.', "Mark Dunmore"),
    ("Jane Holloway, the prime minister, said the budget would be balanced by 2027.", "Jane Holloway"),
    ("Holloway, 52, told the BBC that she would not resign.", "Holloway"),
    ("Holloway told reporters in Ottawa that the deal was done.", "Holloway"),
    ("Police said three men were arrested in Bristol on Saturday.", "Police"),
    ('"We will win the seat," Labour said on Sunday.', "Labour"),
    ("According to the finance ministry, the deficit fell to 2.1 per cent.", "finance ministry"),
    ('"Nobody told us about the closure," said Anna Pike, who farms near Leeds.', "Anna Pike"),
    ("‘Nobody told us about the closure,’ said Anna Pike, who farms near Leeds.", "Anna Pike"),
    ("It said the new plant would cost $4bn.", None),
    ("According to a statement, 12 people died in the fire.", None),
    ("The mill closed in 1998, according to council records.", None),
    ("Lena Ortiz, 41, a teacher from Cádiz, said the school had no heating.", "Lena Ortiz"),
    ("The referee, Tomasz Wolny, told the panel he had seen no foul.", "Tomasz Wolny"),
    ("A senior diplomat said the talks would resume in March.", "senior diplomat"),
    ("Fishermen say the catch has halved since the dam was built.", "Fishermen"),
])
def test_english_speakers(text, speaker):
    """Who speaks in English reported speech: the role before the name after 'said', the subject
    with an apposition between commas, the one who told (not the one told), a bare subject
    opening the sentence, the body 'according to' names; not a verb inside the quotation."""
    assert only_claim(text, "en")["slots"]["speaker"] == speaker


def test_an_english_quotation_given_to_another_speaker_drifts():
    source = document('"The closure of the Leeds depot is a disgrace," said union leader Mark Dunmore on Monday.', "en", id="src")
    retold = document('"The closure of the Leeds depot is a disgrace," said union leader Paul Raine on Monday.', "en")
    found = check(retold, source, claims.profile_source(source))
    drift = [(d["type"], d["value"], d["source_value"]) for c in found for d in c["drift"]]
    assert ("speaker", "Paul Raine", "Mark Dunmore") in drift


def test_a_place_of_several_words_is_one_place():
    """'New York', 'New Delhi', 'Rio de Janeiro', 'Frankfurt am Main': the first word alone is a
    common word ('New'), the whole a place; a preposition opening the sentence is no part of it."""
    def where(text, language="en"):
        slots = only_claim(text, language)["slots"]
        return slots["locations"], slots["names"]

    assert where("The talks took place in New York on Monday.") == (["New York"], [])
    assert where("In New York, the talks went on until midnight.") == (["New York"], [])
    assert where("The minister flew to New Delhi for two days of talks.") == (["New Delhi"], [])
    assert where("The carnival in Rio de Janeiro drew two million people.") == (["Rio de Janeiro"], [])
    assert where("Die Messe für Landtechnik beginnt am Montag in Frankfurt am Main.", "de") == (["Frankfurt am Main"], [])
    assert where("Die Gespräche fanden in New York statt.", "de") == (["New York"], [])


def test_places_listed_after_a_place_are_places_too():
    """'in Leipzig, Dresden und Chemnitz': every place of the list is where it happens, if of the
    first one's kind and country: in 'eine Stiftung in Thüringen und Santiago' Santiago is no place of it."""
    def where(text, language="de"):
        return only_claim(text, language)["slots"]["locations"]

    assert where("Der Konzern baut neue Werke in Leipzig, Dresden und Chemnitz.") == ["Leipzig", "Dresden", "Chemnitz"]
    assert where("In Sachsen und Thüringen fielen am Montag 80 Liter Regen.") == ["Sachsen", "Thüringen"]
    assert where("In Deutschland, Frankreich und Italien stiegen die Preise.") == ["Deutschland", "Frankreich", "Italien"]
    assert where("Factories in Leeds, York and Hull will close next year.", "en") == ["Leeds", "York", "Hull"]
    assert where("Die Stiftung für Orgelbau in Thüringen und Santiago vergibt zwei Stipendien.") == ["Thüringen"]


def test_a_place_changed_in_a_list_or_of_several_words_drifts_against_the_one_it_replaced():
    def drift(source_text, text, language):
        source = document(source_text, language, id="src")
        found = check(document(text, language), source, claims.profile_source(source))
        return [(d["type"], d["value"], d["source_value"]) for c in found for d in c["drift"]]

    assert drift("Der Konzern baut neue Werke in Leipzig, Dresden und Chemnitz, teilte der Vorstand am Montag mit.",
                 "Der Konzern baut neue Werke in Leipzig, Dresden und Erfurt, teilte der Vorstand am Montag mit.", "de") == [
        ("place", "Erfurt", "Chemnitz")]
    assert drift("The talks between the two delegations will take place in New York on Monday, the ministry said.",
                 "The talks between the two delegations will take place in New Delhi on Monday, the ministry said.", "en") == [
        ("place", "New Delhi", "New York")]


def test_an_abbreviated_month_with_its_stop_is_a_date():
    """'Jan. 1, 2025', 'Sept. 14', 'Nov. 2026': the abbreviation's full stop is no end of the date."""
    def dates(text, language="en"):
        return [(d["text"], d["value"]) for d in only_claim(text, language)["slots"]["dates"]]

    assert dates("The law took effect on Jan. 1, 2025.") == [("on Jan. 1, 2025", "2025-01-01")]
    assert dates("The deal was signed on Sept. 14 in Oslo.") == [("on Sept. 14", "--09-14")]
    assert dates("The vote is due in Nov. 2026.") == [("in Nov. 2026", "2026-11")]
    assert dates("He met Gen. Okafor on Monday.") == [("on Monday", "Monday")]


def test_a_rough_amount_is_its_order_of_magnitude():
    """'Hunderte' retold as 'Tausende' is an exaggeration (a changed number); 'Tausende' retelling
    'rund 3.000' or 'tens of thousands' retelling 'about 40,000' is none."""
    def checked(source_text, text, language):
        source = document(source_text, language, id="src")
        found = check(document(text, language), source, claims.profile_source(source))
        return [c["status"] for c in found], [(d["type"], d["value"], d["source_value"]) for c in found for d in c["drift"]]

    march = "Menschen demonstrierten am Samstag in Kiel gegen die neue Autobahn, teilte die Polizei mit."
    assert checked(f"Hunderte {march}", f"Tausende {march}", "de") == (["drifted"], [("number", "Tausende", "Hunderte")])
    assert checked(f"Rund 3.000 {march}", f"Tausende {march}", "de") == (["supported"], [])
    assert checked(f"Rund 300 {march}", f"Tausende {march}", "de")[1] == [("number", "Tausende", "300")]
    march = "marched through Leeds on Saturday against the new motorway, police said."
    assert checked(f"About 40,000 people {march}", f"Tens of thousands of people {march}", "en") == (["supported"], [])
    assert [(q["text"], q["value"], q.get("rough")) for q in only_claim("Dutzende Häuser wurden beschädigt.")["slots"]["quantities"]] == [
        ("Dutzende", 12.0, True)]


@pytest.mark.parametrize("text,speaker", [
    ("Landesbischöfin Karla Henning kritisierte den Beschluss des Kirchenamts scharf.", "Karla Henning"),
    ("Der Vorsitzende des Kleingartenvereins, Jonas Wendt, forderte die Stadt auf, die Pacht zu senken.", "Jonas Wendt"),
    ("Der Naturschutzbund forderte ein Verbot von Feuerwerk an der Küste.", None),
    ("Gestern sagte der Sprecher des Ministeriums, die Brücke werde gesperrt.", "Sprecher"),
    ("Der Sprecher sagte, die Brücke über die Saale bleibe gesperrt.", "Sprecher"),
    ("Verkehrsminister fordert Tempolimit auf allen Autobahnen", "Verkehrsminister"),
])
def test_german_speakers_before_the_verb_and_no_object_as_speaker(text, speaker):
    """A person's name right before the speech verb is its subject, a role before the name or
    not; a name in an apposition between commas too; an object after 'forderte' is no speaker."""
    assert only_claim(text)["slots"]["speaker"] == speaker


def test_a_role_alone_is_no_speaker_drift_against_a_name():
    """A role and a name may be one person: roles are compared with roles, names with names."""
    source = document("„Wir bauen die Brücke über die Saale bis 2027 neu“, sagte Verkehrsministerin Petra Albers am Montag.", id="src")
    retold = document("„Wir bauen die Brücke über die Saale bis 2027 neu“, so die Ministerin am Montag.")
    found = check(retold, source, claims.profile_source(source))
    assert [d for c in found for d in c["drift"]] == []
    source = document("„Die Fähre nach Tarnholm fährt ab Mai wieder täglich“, sagte der Sprecher der Reederei am Montag.", id="src2")
    retold = document("„Die Fähre nach Tarnholm fährt ab Mai wieder täglich“, sagte Jonas Wendt am Montag.")
    found = check(retold, source, claims.profile_source(source))
    assert [d for c in found for d in c["drift"] if d["type"] == "speaker"] == []


def test_a_common_word_opening_a_sentence_is_no_place():
    """'Dabei' opens a sentence as an adverb, though the gazetteer knows a town of that name."""
    source = document("In Kanada bleibt die Fähre zur Insel Tarnholm bis zum März außer Betrieb.", id="src")
    retold = document("Dabei bleibt die Fähre zur Insel Tarnholm bis zum März außer Betrieb.")
    found = check(retold, source, claims.profile_source(source))
    assert [d for c in found for d in c["drift"] if d["type"] == "place"] == []


def test_a_place_name_that_is_a_noun_there_is_no_place():
    """'kein gutes Haar' is hair (Haar is also a town near Munich), 'in der Kita' a day nursery
    (Kita is also a name of Quito), 'in der Halle' a hall; without the article they are places."""
    assert only_claim("Die Prüferin ließ an dieser kein gutes Haar.")["slots"]["places"] == []
    assert only_claim("Die Köchin in der Kita bekommt ab Mai mehr Lohn.")["slots"]["places"] == []
    assert only_claim("In der Halle fanden am Abend 500 Menschen Platz.")["slots"]["places"] == []
    assert only_claim("Die Messe fand am Abend in Halle statt.")["slots"]["places"] == ["Halle"]
    assert only_claim("Das Treffen fand in Haar bei München statt.")["slots"]["places"] == ["Haar", "München"]


def test_an_outlet_closing_the_source_headline_is_no_organisation_changed():
    """'... - KURIER' names the site; a headline that goes on '- SPD skeptisch' changes no organisation."""
    source = document("Ministerin Albers hält Fahrverbote bei hoher Feinstaubbelastung für möglich - KURIER\n\n"
                      "Die Ministerin sprach am Montag in Kiel.", id="src")
    retold = document("Auch bei hoher Feinstaubbelastung: Albers hält Fahrverbote für möglich - SPD skeptisch\n\n"
                      "Die Ministerin sprach am Montag in Kiel.")
    found = check(retold, source, claims.profile_source(source))
    assert [d for c in found for d in c["drift"]] == []
    assert found[0]["slots"]["organisations"] == ["SPD"]


def test_a_place_is_checked_against_the_event_only_where_the_claim_retells_the_source():
    """A sentence the source does not tell ('Auch in Polen ...') is unsupported, not a place
    moved away from the source's event: only a claim aligned with the source drifts against it."""
    source = document("Ministerpräsidentin eröffnet Werft in Kiel\n\nDie Ministerpräsidentin hat am Montag in Kiel "
                      "die neue Werft der Nordmetall AG eröffnet. Dort sollen 400 Menschen arbeiten.", id="src")
    retold = document("Neue Werft eröffnet\n\nDie Ministerpräsidentin hat am Montag in Kiel die neue Werft der Nordmetall AG "
                      "eröffnet. Dort sollen 400 Menschen arbeiten. Auch in Polen wächst der Schiffbau seit Jahren.")
    found = check(retold, source, claims.profile_source(source))
    assert [(c["status"], c["drift"]) for c in found if "Polen" in c["text"]] == [("unsupported", [])]


def test_a_place_added_beside_the_source_place_or_read_where_the_source_has_its_name_is_no_drift():
    """'in Bremen und Hannover' for 'in Hannover' adds a place and replaces none; a forest named after
    a town, which the claim's reader took for the town, stands in the aligned sentence as it is."""
    source = document("Tausende demonstrieren in Hannover\n\nAm Samstag haben in Hannover rund 5.000 Menschen gegen die "
                      "Schließung der Bibliotheken demonstriert.", id="src")
    retold = document("Tausende demonstrieren\n\nAm Samstag haben in Bremen und Hannover rund 5.000 Menschen gegen die "
                      "Schließung der Bibliotheken demonstriert.")
    assert [d for c in check(retold, source, claims.profile_source(source)) for d in c["drift"]] == []
    source = document("Naturschützer aus Hamburg zählen seit Mai die alten Eichen, die den Wedel Forst prägen.", id="src2")
    retold = document("Im alten Wedel Forst zählen Naturschützer aus Hamburg seit Mai die Eichen.")
    assert [d for c in check(retold, source, claims.profile_source(source)) for d in c["drift"]] == []


def test_states_lander_and_cantons_are_places_where_a_place_is_meant():
    """pycountry's first-level subdivisions: 'in Sachsen' is a place, and so is Ontario, the
    province rather than the Californian town; 'im Zug' is a train and 'Jura' a subject."""
    land = only_claim("In Sachsen sollen bis 2028 zwölf neue Schulen entstehen.")
    assert land["slots"]["locations"] == ["Sachsen"]
    province = only_claim("Hospitals in Ontario will hire 300 nurses, officials said in Toronto.", "en")
    assert "Ontario" in province["slots"]["places"]
    assert claims._gazetteer()["Ontario"].country == "CA"
    train = only_claim("Der Minister studierte Jura und kam am Montag im Zug nach Dresden.")
    assert train["slots"]["places"] == ["Dresden"]


def test_a_dateline_has_its_full_stop_and_a_section_label_is_none():
    """'Kiel.' opening a paragraph says where the report was written; 'Deutschland' alone on a
    line is a site's section label, no claim of where anything was written."""
    doc = document(
        "Werft meldet volle Auftragsbücher\n\nDie Werft hat Aufträge für 14 Fähren bis 2029.\n\nDeutschland\n\n"
        "Kiel. Die Beschäftigten sollen im Herbst einen Bonus von 1.500 Euro bekommen."
    )
    datelines = [c["text"] for c in claims.extract_claims(doc) if c["slots"].get("dateline")]
    assert datelines == ["Kiel."]


def test_a_noun_for_a_kind_of_place_makes_the_name_after_it_a_place():
    """'im Kanton Zug', 'der Freistaat Bayern', 'the state of Oregon': the noun says it is a place,
    which a common word ('Zug') or a name that is also a club ('Bayern') needs; the noun itself is
    no place ('Kanton' is also an old German name of Guangzhou)."""
    canton = only_claim("Die Firma hat ihren Sitz im Kanton Zug und zahlt dort 12 Prozent Steuern.")
    assert canton["slots"]["places"] == ["Zug"]
    land = only_claim("Der Freistaat Bayern will 2025 rund 400 neue Lehrer einstellen.")
    assert land["slots"]["places"] == ["Bayern"]
    state = only_claim("The state of Oregon will hire 300 firefighters this year.", "en")
    assert state["slots"]["places"] == ["Oregon"]


def test_an_expert_named_with_the_newspaper_told_is_the_speaker():
    """'sagte Parteienforscher Oskar Brandt der Zeitung': the role is no part of the name, and
    'der Zeitung' is whom he told, not an organisation named 'Oskar Brandt der Zeitung'."""
    claim = only_claim("„Die Partei zahlt dafür einen Preis“, sagte Parteienforscher Oskar Brandt der Zeitung.")
    assert claim["slots"]["speaker"] == "Oskar Brandt"
    assert claim["slots"]["persons"] == ["Oskar Brandt"] and not claim["slots"]["organisations"]


def test_a_first_name_makes_a_common_noun_after_it_a_surname():
    """'Sabine Vogel', 'Thomas Krüger': no title, no speech verb, and the surnames are common
    nouns, but the first names say these are people. A place before a name is no part of it,
    and a role before a speaker's name is not the speaker."""
    claim = only_claim("Das Gutachten stammt von Sabine Vogel und Thomas Krüger aus Kassel.")
    assert claim["slots"]["persons"] == ["Sabine Vogel", "Thomas Krüger"]
    dateline = only_claim("Kassel Jens Harkort hat am Montag im Kreishaus gesprochen.")
    assert dateline["slots"]["persons"] == ["Jens Harkort"]
    quoted = only_claim("„Wir brauchen mehr Lehrkräfte“, erklärte die SPD-Bildungsexpertin Petra Olbrich.")
    assert quoted["slots"]["speaker"] == "Petra Olbrich"
    assert only_claim("Der Vogel baut sein Nest im Mai in der alten Scheune.")["slots"]["persons"] == []


def test_clauses_split_at_wobei_and_keep_offsets():
    doc = document("China ist der größte Handelspartner Kasachstans, wobei der Handel um 32 Prozent auf 41 Milliarden US-Dollar stieg.")
    found = claims.extract_claims(doc)
    assert [c["text"] for c in found] == [
        "China ist der größte Handelspartner Kasachstans",
        "wobei der Handel um 32 Prozent auf 41 Milliarden US-Dollar stieg.",
    ]


# --- drift against a source ------------------------------------------------------------------------
# Texts written for these tests; each altered sentence sits inside a faithful paraphrase.

SOURCE_DE = """Stadtwerke melden Rekordgewinn

Berlin (dpa) - Die Stadtwerke Leipzig haben im Geschäftsjahr 2023 einen Gewinn von 41 Millionen Euro erzielt, wie das Unternehmen am Mittwoch in Leipzig mitteilte. Der Umsatz stieg demnach um 12 Prozent auf 1,8 Milliarden Euro.

„Wir investieren jeden Euro in die Netze der Stadt“, sagte Geschäftsführer Karsten Rothenburg bei der Vorstellung der Bilanz. Die Preise für Fernwärme sollen im kommenden Jahr nicht steigen, erklärte Rothenburg.

Im Oktober 2022 hatte der Versorger in Dresden eine neue Leitstelle eröffnet. Das Unternehmen beschäftigt rund 3.200 Mitarbeiterinnen und Mitarbeiter."""

PARAPHRASE_DE = """Leipziger Versorger mit Rekordgewinn

Die Stadtwerke Leipzig haben im Geschäftsjahr 2023 einen Gewinn von 41 Millionen Euro erwirtschaftet, teilte das Unternehmen am Mittwoch in Leipzig mit. Der Umsatz wuchs um 12 Prozent auf 1,8 Milliarden Euro.

„Wir investieren jeden Euro in die Netze der Stadt“, sagte Geschäftsführer Karsten Rothenburg. Die Fernwärmepreise sollen im kommenden Jahr nicht steigen, so Rothenburg.

Der Versorger beschäftigt rund 3.200 Mitarbeiterinnen und Mitarbeiter."""

SOURCE_EN = """Harbour operator posts record profit

LONDON (Reuters) - Northgate Ports made a profit of $3.5bn in 2023, the company said on Tuesday in Rotterdam. Revenue rose 12% to $9.1bn.

"We will keep investing in the terminals," chief executive Maria Lindqvist told reporters. The company will not cut jobs this year, Lindqvist said.

In March 2021 the group opened a new terminal in Antwerp. It employs about 4,500 people."""

PARAPHRASE_EN = """Northgate Ports reports record result

Northgate Ports earned a profit of $3.5bn in 2023, the company announced on Tuesday in Rotterdam. Its revenue grew 12% to $9.1bn.

"We will keep investing in the terminals," chief executive Maria Lindqvist said. The company will not cut jobs this year, according to Lindqvist.

The group employs about 4,500 people."""

DRIFTS = [
    ("de", "number", "Gewinn von 41 Millionen Euro", "Gewinn von 44 Millionen Euro", "44 Millionen Euro", "41 Millionen Euro"),
    ("de", "unit", "Gewinn von 41 Millionen Euro", "Gewinn von 41 Milliarden Euro", "41 Milliarden Euro", "41 Millionen Euro"),
    ("de", "unit", "Gewinn von 41 Millionen Euro", "Gewinn von 41 Millionen US-Dollar", "41 Millionen US-Dollar", "41 Millionen Euro"),
    ("de", "number", "um 12 Prozent auf", "um 21 Prozent auf", "21 Prozent", "12 Prozent"),
    ("de", "date", "am Mittwoch in Leipzig", "am Donnerstag in Leipzig", "am Donnerstag", "am Mittwoch"),
    ("de", "date", "Geschäftsjahr 2023", "Geschäftsjahr 2021", "2021", "2023"),
    ("de", "place", "am Mittwoch in Leipzig", "am Mittwoch in Hamburg", "Hamburg", "Leipzig"),
    ("de", "speaker", "sagte Geschäftsführer Karsten Rothenburg", "sagte Oberbürgermeister Burkhard Jung", "Burkhard Jung", "Karsten Rothenburg"),
    ("de", "negation", "im kommenden Jahr nicht steigen", "im kommenden Jahr steigen", False, True),
    ("de", "quote", "jeden Euro in die Netze", "jeden zweiten Euro in die Netze",
     "Wir investieren jeden zweiten Euro in die Netze der Stadt", "Wir investieren jeden Euro in die Netze der Stadt"),
    ("en", "number", "$3.5bn in 2023", "$4.5bn in 2023", "$4.5bn", "$3.5bn"),
    ("en", "unit", "$3.5bn in 2023", "$3.5m in 2023", "$3.5m", "$3.5bn"),
    ("en", "date", "on Tuesday", "on Friday", "on Friday", "on Tuesday"),
    ("en", "date", "in 2023", "in 2022", "in 2022", "in 2023"),
    ("en", "place", "in Rotterdam", "in Hamburg", "Hamburg", "Rotterdam"),
    ("en", "speaker", "chief executive Maria Lindqvist said", "finance chief Tom Becker said", "Tom Becker", "Maria Lindqvist"),
    ("en", "negation", "will not cut jobs", "will cut jobs", False, True),
    ("en", "quote", "keep investing", "stop investing",
     "We will stop investing in the terminals", "We will keep investing in the terminals"),
]


@pytest.fixture(scope="module")
def sources():
    out = {}
    for language, text in (("de", SOURCE_DE), ("en", SOURCE_EN)):
        doc = document(text, language, id=f"source-{language}")
        out[language] = (doc, claims.profile_source(doc))
    return out


@pytest.mark.parametrize("language", ["de", "en"])
def test_faithful_paraphrase_has_no_drift(sources, language):
    source, profile = sources[language]
    paraphrase = PARAPHRASE_DE if language == "de" else PARAPHRASE_EN
    checked = check(document(paraphrase, language, id="paraphrase"), source, profile)
    assert not [c for c in checked if c["drift"]]
    body = [c for c in checked if c["start"] > paraphrase.index("\n")]
    assert all(c["status"] == "supported" for c in body), [(c["text"], c["status"]) for c in body]


@pytest.mark.parametrize("language,kind,old,new,value,source_value", DRIFTS)
def test_altered_sentence_drifts(sources, language, kind, old, new, value, source_value):
    source, profile = sources[language]
    paraphrase = PARAPHRASE_DE if language == "de" else PARAPHRASE_EN
    assert old in paraphrase
    text = paraphrase.replace(old, new, 1)
    checked = check(document(text, language, id="altered"), source, profile)
    where = text.index(new)
    claim = covering(checked, where, where + len(new))
    assert claim["status"] == "drifted", (claim["text"], claim["drift"])
    found = [{key: d[key] for key in ("type", "value", "source_value")} for d in claim["drift"]]
    assert {"type": kind, "value": value, "source_value": source_value} in found
    assert claim["source"]["document"] == source.id
    others = [c for c in checked if c["drift"] and not (c["start"] < where + len(new) and where < c["end"])]
    assert not others, others


NEGATION_PAIRS = [
    # saying no in other words is no change of polarity
    ("de", "Der Ministerpräsident will keine Sonderrechte für Besitzer von Zweitwohnungen auf den Inseln, sagte er am Montag in Mainz.",
     "Der Ministerpräsident lehnt Sonderrechte für Besitzer von Zweitwohnungen auf den Inseln ab, sagte er am Montag in Mainz.", False),
    ("de", "Unter dieser Regierung kommen keine höheren Abgaben für Handwerksbetriebe, sagte Weber in Erfurt.",
     "Weber sprach sich in Erfurt gegen höhere Abgaben für Handwerksbetriebe aus.", False),
    ("en", "The council will not close the harbour library this spring, the mayor said on Monday.",
     "The council rejected plans to close the harbour library this spring, the mayor said on Monday.", False),
    ("en", "Economists and engineers disagree on how the harbour should be expanded.",
     "Economists and engineers do not agree on how the harbour should be expanded.", False),
    # 'nicht X, sondern Y' asserts Y
    ("de", "Laut Satzung gilt seit 2015, dass die Zuschüsse der Vereine bei sinkenden Mitgliederzahlen nicht gekürzt werden, sondern gleich bleiben.",
     "Die Mitgliederzahlen der Vereine sinken, die Zuschüsse bleiben laut Satzung aber seit 2015 gleich.", False),
    # the source negates something the claim does not retell
    ("de", "Auf den Straßen des Landkreises sterben jedes Jahr rund 3.000 Rehe bei Unfällen mit Autos, deren Fahrer die Tiere nicht rechtzeitig sehen.",
     "Allein auf den Straßen des Landkreises sterben jährlich etwa 3.000 Rehe bei Unfällen mit Autos.", False),
    # a negation dropped or added where the rest is the same
    ("de", "Die Gebühren für Kindergärten sollen im nächsten Jahr nicht steigen, sagte die Bürgermeisterin am Dienstag.",
     "Die Gebühren für Kindergärten sollen im nächsten Jahr steigen, sagte die Bürgermeisterin am Dienstag.", True),
    ("de", "Die Gebühren für Kindergärten sollen im nächsten Jahr steigen, sagte die Bürgermeisterin am Dienstag.",
     "Die Gebühren für Kindergärten sollen im nächsten Jahr nicht steigen, sagte die Bürgermeisterin am Dienstag.", True),
    ("en", "The council will not close the harbour library this spring, the mayor said on Monday.",
     "The council will close the harbour library this spring, the mayor said on Monday.", True),
]


@pytest.mark.parametrize("language,source,retelling,drifts", NEGATION_PAIRS)
def test_negation_drift_needs_the_same_statement(language, source, retelling, drifts):
    checked = check_retelling(source, retelling, language)
    negation = [d for c in checked for d in c["drift"] if d["type"] == "negation"]
    assert bool(negation) == drifts, [(c["text"], c["status"], c["drift"]) for c in checked]
    if not drifts:
        assert all(c["status"] == "supported" for c in checked), [(c["text"], c["status"], c["drift"]) for c in checked]


def test_a_range_writes_its_unit_once():
    """'von 12,4 auf 15,1 Prozent', 'zwischen 20 und 30 Millionen Euro': both figures are shares
    or sums of money; the level a figure changes to is the claim's percentage."""
    rise = only_claim("Der Anteil der Radfahrer steigt bis 2035 von 12,4 auf 15,1 Prozent.")
    assert [(q["text"], q["kind"]) for q in rise["slots"]["quantities"]] == [("12,4", "percent"), ("15,1 Prozent", "percent")]
    assert rise["slots"]["percent"] == 15.1
    spend = only_claim("Die Stadt gibt dafür zwischen 20 und 30 Millionen Euro aus.")
    assert [(q["kind"], q["value"]) for q in spend["slots"]["quantities"]] == [("money", 20e6), ("money", 30e6)]


FIGURE_PAIRS = [
    # the unit written once, away from the first figure, in the source
    ("Der Anteil der Radfahrer steigt von heute 12,4 bis 2035 auf 15,1 Prozent.",
     "Bis 2035 steigt der Anteil der Radfahrer von 12,4 auf 15,1 Prozent.", "supported", []),
    # 9 rounds 9,3; the figure for Poland is the claim's own, not a changed one
    ("In der EU lag die Quote der Schulabbrecher im Jahr 2023 bei 9,3 Prozent.",
     "Die Quote der Schulabbrecher lag im Jahr 2023 in der EU bei 9 Prozent und in Polen bei 12 Prozent.", "unsupported", []),
    # a sum of money is no rival of a number of people
    ("Knapp ein Drittel der 1,6 Millionen Beschäftigten im Nahverkehr wird nicht nach Tarif bezahlt.",
     "Lohnplus von bis zu 300 Euro: Knapp ein Drittel der 1,6 Millionen Beschäftigten im Nahverkehr wird nicht nach Tarif bezahlt.", "unsupported", []),
    # one million for 1.2 million is no rounding
    ("Der Verein zählt inzwischen 1,2 Millionen Mitglieder in ganz Bayern.",
     "Der Verein zählt inzwischen 1 Million Mitglieder in ganz Bayern.", "drifted",
     [{"type": "number", "value": "1 Million", "source_value": "1,2 Millionen"}]),
]


@pytest.mark.parametrize("source,retelling,status,drift", FIGURE_PAIRS)
def test_figures_rounded_ranged_or_added_are_no_drift(source, retelling, status, drift):
    found = check_retelling(source, retelling)
    assert [(c["status"], c["drift"]) for c in found] == [(status, drift)]


QUOTE_CUTS = [
    # a shorter cut of the source's quotation keeps its wording
    ("„Aber so weit sind wir beim Bau der Brücke noch nicht“, sagte die Senatorin am Montag.",
     "„So weit sind wir beim Bau der Brücke noch nicht“, sagte die Senatorin am Montag.", "supported", []),
    ("„Wir bauen die Brücke neu, und zwar schon im nächsten Jahr“, sagte die Senatorin am Montag.",
     "„Wir bauen die Brücke neu“, sagte die Senatorin am Montag.", "supported", []),
    # reported speech quoted, word forms aside ('fährt' for 'fahre')
    ("Die Senatorin sagte am Montag, die Fähre fahre ab Mai wieder täglich nach Helgoland.",
     "„Die Fähre fährt ab Mai wieder täglich nach Helgoland“, sagte die Senatorin am Montag.", "supported", []),
    # the source's quotation with the words it reports around it, quoted whole ('ist' for 'sei')
    ("Der Zustand der Kaimauer sei „schlecht, schlechter als befürchtet“, schrieb die Senatorin am Montag.",
     "„Der Zustand der Kaimauer ist schlecht, schlechter als befürchtet“, schrieb die Senatorin am Montag.", "supported", []),
    ("Wer kein Ticket vorzeige, werde „von der Reederei nicht mitgenommen“, schrieb die Senatorin am Montag.",
     "„Wer kein Ticket vorzeigt, wird von der Reederei nicht mitgenommen“, schrieb die Senatorin am Montag.", "supported", []),
    # words the source does not have, put in the speaker's mouth
    ("Der Zustand der Kaimauer sei „schlecht, schlechter als befürchtet“, schrieb die Senatorin am Montag.",
     "„Der Zustand der Kaimauer ist schlecht, schlechter als befürchtet, und die Reederei trägt die Schuld“, schrieb die Senatorin am Montag.",
     "drifted", ["quote"]),
    # a cut that leaves out the negation before it changes what was said
    ("„Wir werden die Gebühren für den Hafen nicht erhöhen“, sagte die Senatorin am Montag.",
     "„Die Gebühren für den Hafen erhöhen“, das wolle die Senatorin, sagte sie am Montag.", "drifted", ["negation", "quote"]),
]


@pytest.mark.parametrize("source,retelling,status,kinds", QUOTE_CUTS)
def test_a_quotation_cut_short_keeps_its_wording(source, retelling, status, kinds):
    found = check_retelling(source, retelling)
    assert [(c["status"], [d["type"] for d in c["drift"]]) for c in found] == [(status, kinds)]


def test_compare_claim_on_plain_context(sources):
    source, profile = sources["de"]
    claim = only_claim("Die Stadtwerke Leipzig erzielten einen Gewinn von 41 Milliarden Euro.")
    alignment_unit = next(s["unit"] for s in profile["sentences"] if "41 Millionen Euro" in s["text"])
    context = claims.source_context(claim, profile, [(alignment_unit, 0.8)])
    status, drift = claims.compare_claim(claim, context)
    assert status == "drifted"
    assert drift == [{"type": "unit", "value": "41 Milliarden Euro", "source_value": "41 Millionen Euro"}]


def test_new_claims_are_unsupported(sources):
    source, profile = sources["de"]
    text = PARAPHRASE_DE + "\n\nDie Zukunft des Versorgers scheint rosig, da die Kunden zufrieden sind.\n\nDer Versorger plant 2026 einen Börsengang über 900 Millionen Euro."
    checked = check(document(text, "de", id="added"), source, profile)
    added = [c for c in checked if c["start"] >= len(PARAPHRASE_DE)]
    assert added and all(c["status"] == "unsupported" and c["source"] is None for c in added)


def test_the_closest_quotation_is_the_one_sorting_by_similarity_gives():
    """The pruned search answers exactly what sorting every candidate by `_similar` would,
    ties going to the earlier candidate, in word and in character mode."""
    from provenance.claims import _most_similar, _similar

    quotes = [
        "Wir werden die Schulen nicht schließen",
        "Wir werden die Schulen so lange wie möglich offen halten",
        "Die Schulen bleiben offen",
        "Ja",
        "Wir werden die Schulen nicht schließen",
        "Das ist ein guter Tag für die Steuerzahler",
        "Nein danke",
    ]
    for claim in ["Wir werden die Schulen keinesfalls schließen", "Die Schulen bleiben zu", "Ja!", "Nein", "Ganz anders"]:
        expected = sorted(((_similar(claim, q), q) for q in quotes), key=lambda t: -t[0])[0]
        assert _most_similar(claim, quotes) == expected
    assert _most_similar("irgendwas", []) is None
