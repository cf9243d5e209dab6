"""The database as a team browses it: Datasette with db/metadata.yml, through its own test client."""
import asyncio

from datasette.app import Datasette

from provenance import pipeline, store
from provenance.cli import datasette_metadata

from .conftest import DERIVATIVE_ID, SEEDS, SOURCE_ID


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def test_datasette_serves_the_audit_with_our_metadata(tmp_path):
    path = tmp_path / "provenance.db"
    pipeline.audit([str(SEEDS)], store.open_db(path))
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    response = get(ds, "/provenance/derivations.json?_shape=array")
    assert response.status_code == 200
    (row,) = response.json()
    assert (row["derivative"], row["source"], row["relation"]) == (DERIVATIVE_ID, SOURCE_ID, "paraphrase")
    page = get(ds, "/provenance/segments")
    assert "Titles, datelines, sentences" in page.text
    canned = get(
        ds,
        f"/provenance/passages_side_by_side.json?_shape=array&derivative={DERIVATIVE_ID}&source={SOURCE_ID}",
    ).json()
    assert any("größte Handelspartner" in r["derivative_text"] and "größte Handelspartner" in r["source_text"] for r in canned)


def test_metadata_follows_the_database_file_name(tmp_path):
    assert "corpus" in datasette_metadata(str(tmp_path / "corpus.db"))["databases"]


def test_hostile_text_is_escaped_in_datasette(tmp_path):
    path = tmp_path / "provenance.db"
    evil = tmp_path / "evil.txt"
    evil.write_text('<script>alert("x")</script> Titel\n\nEin Satz mit <img src=x onerror=alert(1)> darin.', encoding="utf-8")
    pipeline.audit([str(evil)], store.open_db(path))
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    page = get(ds, "/provenance/documents/evil").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_canned_queries_for_derivatives_chains_and_drift(tmp_path):
    path = tmp_path / "provenance.db"
    pipeline.audit([str(SEEDS)], store.open_db(path))
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    derivatives = get(ds, f"/provenance/derivatives_of_document.json?_shape=array&document={SOURCE_ID}").json()
    assert [row["derivative"] for row in derivatives] == [DERIVATIVE_ID]
    chain = get(ds, f"/provenance/origin_chain.json?_shape=array&document={DERIVATIVE_ID}").json()
    assert [row["document"] for row in chain] == [DERIVATIVE_ID, SOURCE_ID]
    drifted = get(ds, "/provenance/drifted_claims.json?_shape=array").json()
    assert any("Peking" in row["drift"] for row in drifted)
