"""Claims along a derivation chain: linked to the earliest ancestor that states them, stored in claim_links.

The chain is written for this test: a company's release, a news rewrite of it that adds one
figure of its own, and a rewrite of that rewrite.
"""
import json

import pytest

from provenance import claims, pipeline, store

RELEASE = """Windpark Nordsee-Ost liefert ersten Strom

Die Hansa Wind AG hat am Montag den Windpark Nordsee-Ost vor Borkum in Betrieb genommen. Die 48 Anlagen sollen jährlich rund 1,2 Milliarden Kilowattstunden Strom erzeugen, genug für etwa 350.000 Haushalte. Das Unternehmen investierte nach eigenen Angaben 1,8 Milliarden Euro in das Projekt.

„Mit Nordsee-Ost verdoppeln wir unsere Erzeugung auf See“, sagte Vorstandschef Martin Olbrich. Der Bau hatte im Mai 2021 begonnen und dauerte knapp drei Jahre. Rund 600 Beschäftigte aus 14 Ländern waren an den Arbeiten beteiligt.

Die Hansa Wind AG betreibt bereits drei Windparks in der Ostsee. Bis 2030 will das Unternehmen seine Leistung auf der Nordsee und der Ostsee auf 5 Gigawatt ausbauen."""

REWRITE = """Hansa Wind nimmt Windpark Nordsee-Ost in Betrieb

Die Hansa Wind AG hat am Montag den Windpark Nordsee-Ost vor Borkum in Betrieb genommen. Die 48 Anlagen sollen jährlich rund 1,2 Milliarden Kilowattstunden Strom erzeugen, genug für etwa 350.000 Haushalte. Nach eigenen Angaben investierte das Unternehmen 1,8 Milliarden Euro in das Projekt.

„Mit Nordsee-Ost verdoppeln wir unsere Erzeugung auf See“, sagte Vorstandschef Martin Olbrich. Der Bau hatte im Mai 2021 begonnen und dauerte knapp drei Jahre. Rund 600 Beschäftigte aus 14 Ländern waren an den Arbeiten beteiligt.

An der Börse legte die Aktie der Hansa Wind AG am Montag um 7 Prozent auf 23,40 Euro zu. Die Hansa Wind AG betreibt bereits drei Windparks in der Ostsee."""

REWRITE_OF_REWRITE = """Neuer Windpark vor Borkum am Netz

Die Hansa Wind AG hat am Montag den Windpark Nordsee-Ost vor Borkum in Betrieb genommen. Die 48 Anlagen sollen jährlich rund 1,2 Milliarden Kilowattstunden Strom erzeugen, genug für etwa 350.000 Haushalte. Nach eigenen Angaben investierte das Unternehmen 1,8 Milliarden Euro in das Projekt.

„Mit Nordsee-Ost verdoppeln wir unsere Erzeugung auf See“, sagte Vorstandschef Martin Olbrich. Der Bau hatte im Mai 2021 begonnen und dauerte knapp drei Jahre. Rund 600 Beschäftigte aus 14 Ländern waren an den Arbeiten beteiligt.

An der Börse legte die Aktie der Hansa Wind AG am Montag um 7 Prozent auf 23,40 Euro zu. Die Hansa Wind AG betreibt bereits drei Windparks in der Ostsee."""


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chain")
    feed = folder / "chain.jsonl"
    records = [
        {"id": "release", "text": RELEASE, "date": "2024-03-04", "source": "Hansa Wind AG", "language": "de"},
        {"id": "rewrite", "text": REWRITE, "date": "2024-03-05", "source": "Nordwest-Kurier", "language": "de"},
        {"id": "rewrite2", "text": REWRITE_OF_REWRITE, "date": "2024-03-06", "source": "Energieportal", "language": "de"},
    ]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    db = store.open_db(folder / "chain.db")
    report = pipeline.audit([str(feed)], db)
    return db, report


def one(report, document, words):
    found = [c for c in report["claims"] if c["document"] == document and words in c["text"]]
    assert len(found) == 1, (document, words, [c["text"] for c in report["claims"] if c["document"] == document])
    return found[0]


def test_the_chain_is_a_chain(chain):
    _, report = chain
    pairs = {(d["derivative"], d["source"]) for d in report["derivations"]}
    assert {("rewrite", "release"), ("rewrite2", "rewrite")} <= pairs
    assert report["origins"]["rewrite2"] == ["release"]


def test_a_figure_of_the_release_is_linked_to_the_release(chain):
    _, report = chain
    figure = one(report, "rewrite2", "1,8 Milliarden Euro")
    assert figure["status"] == "supported"
    assert figure["checked_against"] == "release" and figure["source"]["document"] == "release"
    assert RELEASE[figure["source"]["start"]:figure["source"]["end"]] == figure["source"]["text"]
    assert "1,8 Milliarden Euro" in figure["source"]["text"]
    assert 0.5 <= figure["source"]["similarity"] <= 1.0


def test_a_figure_only_the_middle_document_states_is_linked_there(chain):
    _, report = chain
    share = one(report, "rewrite2", "um 7 Prozent")
    assert share["status"] == "supported"
    assert share["checked_against"] == "rewrite" and share["source"]["document"] == "rewrite"
    assert REWRITE[share["source"]["start"]:share["source"]["end"]] == share["source"]["text"]
    assert one(report, "rewrite", "um 7 Prozent")["status"] == "unsupported"


def test_claims_of_the_origin_are_original(chain):
    _, report = chain
    originals = [c for c in report["claims"] if c["document"] == "release"]
    assert originals and {c["status"] for c in originals} == {"original"}
    assert all(c["checked_against"] is None and c["source"] is None for c in originals)


def test_claim_links_hold_one_row_per_linked_claim(chain):
    db, report = chain
    rows = {r["claim"]: r for r in db["claim_links"].rows}
    linked = [c for c in report["claims"] if c["source"]]
    assert set(rows) == {c["id"] for c in linked}
    figure = one(report, "rewrite2", "1,8 Milliarden Euro")
    row = rows[figure["id"]]
    assert (row["source_document"], row["source_start"], row["source_end"]) == (
        "release", figure["source"]["start"], figure["source"]["end"])
    assert row["status"] == "supported" and row["via"] in ("rewrite", "release")
    values = lambda slots: {q["value"] for q in json.loads(slots)["quantities"]}
    assert 1.8e9 in values(row["slots"]) and 1.8e9 in values(row["source_slots"])
    fks = {(fk.column, fk.other_table) for fk in db["claim_links"].foreign_keys}
    assert {("claim", "claims"), ("source_document", "documents"), ("document", "documents")} <= fks


def test_rerun_changes_nothing(chain):
    db, _ = chain
    before = list(db["claim_links"].rows)
    assert pipeline.analyse_claims(db) == 0
    assert list(db["claim_links"].rows) == before


def test_a_claim_taken_unchanged_is_followed_through_its_source():
    """link_claims on plain data: the middle document's claim is supported by the origin."""
    mine = {"id": "c:0", "text": "Umsatz 5 Mio. Euro", "status": "supported", "checked_against": "middle", "drift": [],
            "slots": {"quantities": [{"value": 5e6}]},
            "source": {"document": "middle", "start": 10, "end": 30, "text": "Umsatz von 5 Mio. Euro", "similarity": 0.8}}
    middle_claims = [
        {"id": "m:0", "start": 0, "end": 9, "status": "unsupported", "source": None, "slots": {}},
        {"id": "m:1", "start": 10, "end": 30, "status": "supported", "slots": {"quantities": [{"value": 5e6}]},
         "source": {"document": "origin", "start": 40, "end": 61, "text": "einen Umsatz 5 Mio. Euro", "slots": {"quantities": [{"value": 5e6}]}}},
    ]
    (linked,) = claims.link_claims([[mine]], {"middle": middle_claims}, {"origin": (0,), "middle": (1,)})
    assert linked["checked_against"] == "origin" and linked["via"] == "middle"
    assert (linked["source"]["start"], linked["source"]["end"]) == (40, 61)
    middle_claims[1]["status"] = "drifted"
    (linked,) = claims.link_claims([[mine]], {"middle": middle_claims}, {"origin": (0,), "middle": (1,)})
    assert linked["checked_against"] == "middle" and linked["source"]["start"] == 10


def test_datasette_describes_every_claim_links_column(chain):
    from provenance.cli import datasette_metadata

    db, _ = chain
    tables = next(iter(datasette_metadata("provenance.db")["databases"].values()))["tables"]
    described = tables["claim_links"]["columns"]
    assert set(described) == set(db["claim_links"].columns_dict)
