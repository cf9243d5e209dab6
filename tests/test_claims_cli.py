"""Claims through the audit, the report object and the `claims` command."""
import json
from pathlib import Path

from .conftest import DERIVATIVE_ID, SOURCE_ID


def test_audit_links_claims_to_the_source_and_flags_the_drift(run, seeds, derivative_text):
    report = json.loads(run("audit", seeds, "--json").stdout)
    claims = [c for c in report["claims"] if c["document"] == DERIVATIVE_ID]
    assert claims and all(c["checked_against"] == SOURCE_ID for c in claims)
    for claim in claims:
        assert derivative_text[claim["start"]:claim["end"]] == claim["text"]
        assert claim["status"] in ("supported", "drifted", "unsupported")
    peking = [c for c in claims if "in Peking deutlich" in c["text"]]
    assert peking and peking[0]["status"] == "drifted"
    assert any(d["type"] == "place" and d["value"] == "Peking" for d in peking[0]["drift"])
    trade = [c for c in claims if "32 Prozent auf 41 Milliarden" in c["text"]]
    assert trade and trade[0]["status"] == "supported"
    assert "41 Milliarden US-Dollar" in trade[0]["source"]["text"] and trade[0]["source"]["document"] == SOURCE_ID
    originals = [c for c in report["claims"] if c["document"] == SOURCE_ID]
    assert originals and {c["status"] for c in originals} == {"original"}
    names = {s["name"] for e in report["credibility"] if e["document"] == DERIVATIVE_ID for s in e["signals"]}
    assert "drifted_claims" in names


def test_claims_command(run, seeds):
    run("audit", seeds)
    listed = json.loads(run("claims", DERIVATIVE_ID, "--json").stdout)
    assert any(c["status"] == "drifted" for c in listed)
    plain = run("claims", DERIVATIVE_ID).stdout
    assert "[drifted]" in plain and "drift (place): 'Peking' here" in plain
    assert run("claims", "nope").exit_code == 1


def test_a_changed_word_in_a_quotation_is_shown_beside_the_two_quotations(run, tmp_path):
    """Quote drift names the words that changed ('gut' became 'schnell'), in the JSON, the
    `claims` listing and the Markdown page: two long quotations are checked word by word at a
    glance only where the difference is shown."""
    cases = json.loads((Path(__file__).parent / "fixtures" / "drift" / "cases.json").read_text(encoding="utf-8"))["cases"]
    (case,) = [c for c in cases if c["id"] == "de-quote-word"]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # without its dpa dateline the story is the rewrite's own source, not a sibling of one dpa story
    (corpus / "bahn_meldung.txt").write_text(case["source"].replace("Hannover (dpa) - ", ""), encoding="utf-8")
    (corpus / "bahn_umschrieben.txt").write_text(case["derivative"], encoding="utf-8")
    report = json.loads(run("audit", corpus, "--json").stdout)
    (derivation,) = report["derivations"]
    drifted = [d for c in report["claims"] if c["document"] == derivation["derivative"] for d in c["drift"] if d["type"] == "quote"]
    assert drifted and drifted[0]["changes"] == [{"source": "gut", "here": "schnell"}]
    plain = run("claims", derivation["derivative"]).stdout
    assert "changed: „gut“ → „schnell“" in plain
    run("report", "--out", tmp_path / "reports")
    page = (tmp_path / "reports" / "documents" / f"{derivation['derivative']}.md").read_text(encoding="utf-8")
    assert "(changed: „gut“ → „schnell“)" in page
