"""The database as a team browses it: Datasette with db/metadata.yml, through its own test client."""
import asyncio
import sqlite3

import pytest
from datasette.app import Datasette

from provenance import pipeline, store
from provenance.cli import datasette_metadata

from .conftest import DERIVATIVE_ID, SEEDS, SOURCE_ID


def get(ds, path):
    return asyncio.run(ds.client.get(path))


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    """The seed corpus audited once for the whole module (the tests only read it)."""
    path = tmp_path_factory.mktemp("seeds") / "provenance.db"
    pipeline.audit([str(SEEDS)], store.open_db(path))
    return path


@pytest.fixture(scope="module")
def ds(seed_db):
    return Datasette([str(seed_db)], metadata=datasette_metadata(str(seed_db)))


def test_datasette_serves_the_audit_with_our_metadata(ds):
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
    evil.write_text(
        '<script>alert("x")</script> Titel\n\nEin Satz mit <img src=x onerror=alert(1)> darin.\n\n'
        "| a | b |\n|---|---|\n| `code` | [klick](javascript:alert(2)) |\n",
        encoding="utf-8",
    )
    pipeline.audit([str(evil)], store.open_db(path))
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    for url in ("/provenance/documents/evil", "/provenance/documents", "/provenance/segments?document_id=evil"):
        page = get(ds, url).text
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert 'href="javascript' not in page.lower() and "<code>code" not in page, url
        assert "&lt;script&gt;" in page, url
    assert "[klick](javascript:alert(2))" in get(ds, "/provenance/documents/evil").text


def test_canned_queries_for_derivatives_chains_and_drift(ds):
    derivatives = get(ds, f"/provenance/derivatives_of_document.json?_shape=array&document={SOURCE_ID}").json()
    assert [row["derivative"] for row in derivatives] == [DERIVATIVE_ID]
    chain = get(ds, f"/provenance/origin_chain.json?_shape=array&document={DERIVATIVE_ID}").json()
    assert [row["document"] for row in chain] == [DERIVATIVE_ID, SOURCE_ID]
    drifted = get(ds, "/provenance/drifted_claims.json?_shape=array").json()
    assert any("Peking" in row["drift"] for row in drifted)


def test_unattributed_reuse_lists_the_seed_rewrite(ds):
    rows = get(ds, "/provenance/unattributed_reuse.json?_shape=array").json()
    assert [(r["derivative"], r["source"], r["source_outlet"], r["relation"]) for r in rows] == [
        (DERIVATIVE_ID, SOURCE_ID, "CGTN", "paraphrase")
    ]
    assert rows[0]["source_state_affiliation"] == "state-controlled"
    page = get(ds, "/provenance/unattributed_reuse").text
    assert "Unattributed reuse" in page and DERIVATIVE_ID in page


def test_state_media_origin_query_names_cgtn(ds):
    rows = get(ds, "/provenance/state_media_origins.json?_shape=array").json()
    assert [(r["document"], r["origin"], r["origin_outlet"]) for r in rows] == [(DERIVATIVE_ID, SOURCE_ID, "CGTN")]
    assert rows[0]["origin_state_affiliation"] == "state-controlled"
    assert rows[0]["credits_its_source"] == 0


def test_outlets_and_attribution_tables_are_described_with_facets(ds):
    data = get(ds, "/provenance/document_outlets.json?_facet=state_affiliation&_shape=objects").json()
    assert {r["document_id"]: r["outlet"] for r in data["rows"]} == {SOURCE_ID: "CGTN", DERIVATIVE_ID: None}
    facet = {v["value"]: v["count"] for v in data["facet_results"]["state_affiliation"]["results"]}
    assert facet == {"state-controlled": 1}
    page = get(ds, "/provenance/attributions").text
    assert "Does the derivative credit" in page
    (row,) = get(ds, "/provenance/attributions.json?_shape=array").json()
    assert (row["derivative"], row["source"], row["attributed"], row["cue"]) == (DERIVATIVE_ID, SOURCE_ID, 0, None)


def _seed_copy(folder):
    folder.mkdir()
    for name in (f"{SOURCE_ID}.txt", f"{DERIVATIVE_ID}.txt"):
        folder.joinpath(name).write_text((SEEDS / name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def _attribution_rows(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("select derivative, source, attributed, cue, run_id from attributions").fetchall()


def test_attribution_is_stored_again_when_the_derivative_starts_crediting(tmp_path):
    path = tmp_path / "provenance.db"
    corpus = _seed_copy(tmp_path / "corpus")
    db = store.open_db(path)
    pipeline.audit([str(corpus)], db)
    first = _attribution_rows(path)
    assert [row[:4] for row in first] == [(DERIVATIVE_ID, SOURCE_ID, 0, None)]
    pipeline.audit([str(corpus)], db)
    assert _attribution_rows(path) == first  # nothing changed, nothing rewritten (same run id)
    derivative = corpus / f"{DERIVATIVE_ID}.txt"
    derivative.write_text(derivative.read_text(encoding="utf-8") + "\n\nQuelle: CGTN\n", encoding="utf-8")
    (d,) = pipeline.audit([str(corpus)], db)["derivations"]
    assert d["attributed"] is True
    ((_, _, attributed, cue, run_id),) = _attribution_rows(path)
    assert attributed == 1 and "CGTN" in cue and run_id != first[0][4]
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    assert get(ds, "/provenance/unattributed_reuse.json?_shape=array").json() == []


def test_a_rejected_derivation_leaves_the_unattributed_query(tmp_path):
    path = tmp_path / "provenance.db"
    db = store.open_db(path)
    pipeline.audit([str(SEEDS)], db)
    store.save_review(db, DERIVATIVE_ID, SOURCE_ID, "rejected", "checked by hand")
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    assert get(ds, "/provenance/unattributed_reuse.json?_shape=array").json() == []
    (row,) = get(ds, "/provenance/derivations_with_titles.json?_shape=array").json()
    assert (row["derivative"], row["attributed"], row["review"]) == (DERIVATIVE_ID, 0, "rejected")


def test_m007_adds_outlets_attribution_and_origins_with_foreign_keys(memory_db):
    fks = lambda table: {(fk.column, fk.other_table) for fk in memory_db[table].foreign_keys}
    assert ("document_id", "documents") in fks("document_outlets")
    assert {("derivative", "documents"), ("source", "documents")} <= fks("attributions")
    assert {("document_id", "documents"), ("origin", "documents")} <= fks("document_origins")
    assert {"outlet", "state_affiliation", "how", "resolution"} <= set(memory_db["document_outlets"].columns_dict)
    assert {"attributed", "cue", "credits", "names_wrong_outlet"} <= set(memory_db["attributions"].columns_dict)


def test_aligned_passages_view_shows_both_sides_as_text(ds):
    rows = get(ds, f"/provenance/aligned_passages.json?_shape=array&derivative={DERIVATIVE_ID}&_size=max").json()
    assert rows and all(r["source"] == SOURCE_ID for r in rows)
    assert any("größte Handelspartner" in r["derivative_text"] and "größte Handelspartner" in r["source_text"] for r in rows)
    derivative = (SEEDS / f"{DERIVATIVE_ID}.txt").read_text(encoding="utf-8")
    assert all(derivative[r["derivative_start"]:r["derivative_end"]] == r["derivative_text"] for r in rows)


def test_a_reported_derivation_is_marked_so_and_needs_no_corpus_verdict(seed_db, ds):
    db = sqlite3.connect(seed_db)
    assert db.execute("select derivative, source, reported from derivations").fetchall() == [(DERIVATIVE_ID, SOURCE_ID, 1)]
    assert db.execute("select count(*) from corpus_verdicts").fetchone() == (0,)
    page = get(ds, "/provenance/corpus_verdicts").text
    assert "two newsrooms running one agency text look derived from each other alone" in page


def test_canned_queries_list_the_derivations_the_report_keeps(tmp_path):
    """A pair the report settles as siblings (its own derivation kept, `reported` 0) is in no
    canned query of derivations, derivatives or chains, as it is in no report."""
    from .test_derivation import _audited, _newsroom_pair

    _audited(tmp_path / "newsrooms", _newsroom_pair("https://www.sueddeutsche.de/wirtschaft/netz-1.html"))
    path = tmp_path / "newsrooms.db"
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    (derivative, source), = sqlite3.connect(path).execute("select derivative, source from derivations").fetchall()
    assert get(ds, "/newsrooms/derivations_with_titles.json?_shape=array").json() == []
    assert get(ds, f"/newsrooms/derivatives_of_document.json?_shape=array&document={source}").json() == []
    chain = get(ds, f"/newsrooms/origin_chain.json?_shape=array&document={derivative}").json()
    assert [row["document"] for row in chain] == [derivative]
    (settled,) = get(ds, "/newsrooms/corpus_verdicts.json?_shape=array").json()
    assert (settled["reason"], settled["common_source"]) == ("common_source", "uncredited wire")
    (listed,) = get(ds, "/newsrooms/report_related.json?_shape=array").json()
    assert (listed["reason"], listed["common_source"], listed["judged"]) == ("common_source", "uncredited wire", "with the corpus")


def test_passages_side_by_side_of_a_derivation_the_report_turns_round(tmp_path):
    """The chain turns the fixture rewrite round (it is the rewrite's rewrite, not its source):
    its passages were measured the other way, and the canned query still shows them, with the
    derivative's words on the left."""
    from .test_derivation import FIXTURES

    path = tmp_path / "corpus.db"
    pipeline.audit([str(SEEDS), str(FIXTURES)], store.open_db(path))
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    rows = get(
        ds, f"/corpus/passages_side_by_side.json?_shape=array&derivative=rewrite_of_rewrite&source={DERIVATIVE_ID}",
    ).json()
    rewrite = (FIXTURES / "rewrite_of_rewrite.txt").read_text(encoding="utf-8")
    seed = (SEEDS / f"{DERIVATIVE_ID}.txt").read_text(encoding="utf-8")
    assert len(rows) >= 3 and {r["measured"] for r in rows} == {"the other way"}
    assert all(r["derivative_text"] in rewrite and r["source_text"] in seed for r in rows)
    straight = get(
        ds, f"/corpus/passages_side_by_side.json?_shape=array&derivative={DERIVATIVE_ID}&source={SOURCE_ID}",
    ).json()
    assert straight and {r["measured"] for r in straight} == {"this way"}
    assert all(r["derivative_text"] in seed for r in straight)
