"""Claims through the audit, the report object and the `claims` command."""
import json

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
