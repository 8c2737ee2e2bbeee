"""The command line, run as a user runs it."""
import json

import pytest

from aftersales import evaluate, load_scenario, save_scenario
from aftersales.model.scenario import SCENARIO_DIR

CONTRACT = {
    "scenario": None, "method": None, "services": None,
    "totals": {"service_revenue", "service_cost", "service_contribution"},
    "traditional": {"cost", "revenue", "net"},
    "value_added": {"cost", "revenue", "net", "wakeup_customers", "wakeup_revenue",
                    "wakeup_contribution", "total_effect"},
    "lifecycle": {"repurchase_12m_traditional", "repurchase_12m_value_added", "ltv_traditional",
                  "ltv_value_added", "wakeup_share", "wakeup_share_low", "wakeup_share_high",
                  "annual_value_per_customer", "annual_product_margin_per_customer"},
    "leakage": None,
}


@pytest.mark.parametrize("method", ["seed", "corrected"])
@pytest.mark.parametrize("name", ["seed-demo", "article-headline", "fast-fashion", "outdoor-repair"])
def test_evaluate_json_follows_the_contract(run_cli, name, method):
    r = run_cli("evaluate", SCENARIO_DIR / f"{name}.toml", "--method", method, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert list(d) == list(CONTRACT)
    for key, sub in CONTRACT.items():
        if sub:
            assert set(d[key]) == sub, key
    assert d["method"] == method and d["scenario"] == name
    for s in d["services"]:
        assert list(s) == ["name", "kind", "users", "uses", "billable_units", "revenue", "cost",
                           "gross_margin", "wakeups"]
    assert set(d["leakage"]) == {"per_item", "annual"}
    assert set(d["leakage"]["per_item"]) == {"traditional_recovery", "leakage_vs_price", "accounting_loss",
                                             "remake_own_recovery", "remake_new_recovery"}
    assert d == json.loads(json.dumps(evaluate(name, method).to_dict()))


def test_evaluate_defaults_to_corrected_and_reproduces_the_worked_example(run_cli):
    d = json.loads(run_cli("evaluate", "seed-demo", "--json").stdout)
    assert d["method"] == "corrected"
    assert d["value_added"]["net"] == -1_428_000
    assert round(d["value_added"]["total_effect"], 2) == 8_917_532.29


def test_evaluate_without_leakage_gives_null(run_cli, tmp_path):
    from dataclasses import replace
    p = save_scenario(replace(load_scenario("seed-demo"), leakage=None), tmp_path / "noleak.toml")
    d = json.loads(run_cli("evaluate", p, "--json").stdout)
    assert d["leakage"] is None


@pytest.mark.parametrize("content,needle", [
    ("name = 'x'\n", "missing table [brand]"),
    ("not toml at all [", "not valid TOML"),
])
def test_bad_file_gives_one_line_on_stderr(run_cli, tmp_path, content, needle):
    p = tmp_path / "bad.toml"
    p.write_text(content, encoding="utf-8")
    r = run_cli("evaluate", p, "--json")
    assert r.returncode != 0
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "bad.toml" in lines[0]
    assert "Traceback" not in r.stderr


def test_missing_file_and_unknown_name(run_cli, tmp_path):
    for arg in (tmp_path / "nope.toml", "no-such-scenario"):
        r = run_cli("evaluate", arg, "--json")
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.slow
def test_report_prints_both_methods_and_writes_the_dashboard(run_cli, tmp_path):
    png = tmp_path / "dash.png"
    r = run_cli("report", "--png", png)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "After-sales report: seed-demo" in out
    for needle in ("seed", "corrected", "value-added net", "Verdict", "-142.8", "76.1", "Seasonal storage"):
        assert needle in out, needle
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_simulate_json(run_cli, tmp_path):
    r = run_cli("simulate", "seed-demo", "--draws", "20000", "--seed", "7", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) == {"scenario", "method", "draws", "seed", "p5", "p50", "p95", "mean",
                      "prob_value_added_beats_traditional", "prob_net_beats_traditional", "prob_break_even",
                      "va_net_p5", "va_net_p50", "va_net_p95", "prob_total_effect_positive", "verdict"}
    assert (d["scenario"], d["method"], d["draws"], d["seed"]) == ("seed-demo", "corrected", 20000, 7)
    assert d["p5"] <= d["p50"] <= d["p95"] and d["va_net_p5"] <= d["va_net_p50"] <= d["va_net_p95"]
    # with every range degenerate each draw is seed-demo itself: its value-added net is
    # -1,428,000 yuan (docs/model.md's worked example), so it never breaks even
    text = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")
    for kind in ("remake", "deep_clean", "repair", "storage"):
        text += f"\n[ranges.{kind}]\n" + "".join(f"{k} = [0.5, 0.5]\n" for k in
                                                ("acceptance", "wakeup_rate", "uses_per_user_per_year", "gross_margin"))
    fixed = tmp_path / "fixed.toml"
    fixed.write_text(text + "\n[ranges.brand]\nwakeup_conversion = [0.6, 0.6]\n", encoding="utf-8")
    f = json.loads(run_cli("simulate", fixed, "--draws", "50", "--json").stdout)
    assert f["va_net_p5"] == f["va_net_p95"] == pytest.approx(-1_428_000)
    assert (f["prob_break_even"], f["verdict"], f["draws"], f["seed"]) == (0.0, "very unlikely", 50, 0)
    assert d == json.loads(run_cli("simulate", "seed-demo", "--draws", "20000", "--seed", "7", "--json").stdout)
    bad = run_cli("simulate", "seed-demo", "--draws", "0", "--json")
    assert bad.returncode == 2 and "--draws" in bad.stderr
