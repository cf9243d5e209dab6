"""The registry and credibility through the real CLI and the report object."""
import json

from .conftest import DERIVATIVE_ID, SOURCE_ID


def test_audit_report_names_outlet_distributor_and_missing_attribution(run, seeds):
    report = json.loads(run("audit", seeds, "--json").stdout)
    outlets = {d["id"]: d["outlet"] for d in report["documents"]}
    assert outlets[SOURCE_ID] == {"name": "CGTN", "role": "broadcaster", "state_affiliation": "state-controlled", "country": "China"}
    assert outlets[DERIVATIVE_ID] is None
    (derivation,) = report["derivations"]
    assert derivation["attributed"] is False and derivation["attribution"]["credits"] == []
    entries = {c["document"]: c for c in report["credibility"]}
    assert entries[SOURCE_ID]["distributor"] == "news aktuell / PR Newswire"
    names = [s["name"] for s in entries[DERIVATIVE_ID]["signals"]]
    assert "unattributed_reuse" in names and "state_media_origin_undisclosed" in names
    assert entries[DERIVATIVE_ID]["score"] < entries[SOURCE_ID]["score"]
    for entry in report["credibility"]:
        for signal in entry["signals"]:
            assert signal["severity"] in ("info", "low", "medium", "high") and signal["explanation"]


def test_credibility_command(run, seeds):
    run("audit", seeds)
    entry = json.loads(run("credibility", DERIVATIVE_ID, "--json").stdout)
    assert entry["document"] == DERIVATIVE_ID and 0 <= entry["score"] <= 100
    plain = run("credibility", DERIVATIVE_ID).stdout
    assert "unattributed_reuse" in plain and "CGTN" in plain
    assert run("credibility", "nope").exit_code == 1


def test_outlets_list_and_import(run, tmp_path):
    listed = json.loads(run("outlets", "--json", "--search", "xinhua").stdout)
    xinhua = [r for r in listed if r["name"] == "Xinhua"][0]
    assert (xinhua["role"], xinhua["state_affiliation"]) == ("news agency", "state-controlled")
    good = tmp_path / "mine.json"
    good.write_text(json.dumps([{
        "name": "Beispiel-Kurier", "role": "news outlet", "state_affiliation": "none known",
        "country": "Germany", "domains": ["beispiel-kurier.de"], "feeds": ["Kurier_Politik"],
    }]), encoding="utf-8")
    result = run("outlets", "import", good)
    assert result.exit_code == 0 and "1 outlets imported" in result.stdout
    found = json.loads(run("outlets", "--json", "--search", "kurier_politik").stdout)
    assert [r["name"] for r in found] == ["Beispiel-Kurier"]


def test_bad_outlet_file_is_refused_whole_with_one_line_per_problem(run, tmp_path):
    before = json.loads(run("outlets", "--json").stdout)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,role,state_affiliation\nGut,news outlet,none known\nSchlecht,blogger,none known\n", encoding="utf-8")
    result = run("outlets", "import", bad)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    problem_lines = [line for line in result.stderr.splitlines() if "row 2" in line]
    assert len(problem_lines) == 1 and "blogger" in problem_lines[0] and str(bad) in problem_lines[0]
    assert json.loads(run("outlets", "--json").stdout) == before
