"""The worked example of the model spec (seed-demo), reproduced to the yuan by both methods."""
import pytest

from aftersales import evaluate

SEED = {"service_revenue": 8_838_400, "service_cost": 3_677_440, "va_cost": 8_077_440,
        "va_net": 760_960, "wakeup_customers": 24_912, "wakeup_revenue": 26_904_960,
        "total_effect": 43_385_920, "ltv_traditional": 3200, "ltv_value_added": 3732.81,
        "traditional_cost": 6_800_000}
CORRECTED = {"service_revenue": 9_299_200, "service_cost": 3_827_200, "va_cost": 10_727_200,
             "va_net": -1_428_000, "wakeup_customers": 22_174.07, "wakeup_revenue": 17_242_553.81,
             "wakeup_contribution": 10_345_532.29, "total_effect": 8_917_532.29,
             "repurchase_12m_traditional": 0.28, "ltv_traditional": 3200, "ltv_value_added": 3854.63,
             "traditional_cost": 6_800_000}


@pytest.mark.parametrize("method,expected", [("seed", SEED), ("corrected", CORRECTED)])
def test_worked_example_figures(method, expected):
    ev = evaluate("seed-demo", method)
    for key, value in expected.items():
        assert ev[key] == pytest.approx(value, abs=0.005), key


def test_repurchase_corrected():
    ev = evaluate("seed-demo", "corrected")
    assert round(ev["repurchase_12m_value_added"] * 100, 3) == 39.974


def test_seed_leaves_out_what_it_does_not_compute():
    d = evaluate("seed-demo", "seed").to_dict()
    assert d["value_added"]["wakeup_contribution"] is None
    assert d["lifecycle"]["repurchase_12m_traditional"] is None
    assert d["lifecycle"]["repurchase_12m_value_added"] is None


def test_gross_margins():
    ev = evaluate("seed-demo")
    margins = [round(s["gross_margin"] * 100, 2) for s in ev.services]
    assert margins == [64.29, 65.52, 57.03, 54.55, 67.50]


@pytest.mark.parametrize("method,own,new", [("seed", 525, 725), ("corrected", 425, 625)])
def test_leakage_per_item(method, own, new):
    item = evaluate("seed-demo", method).to_dict()["leakage"]["per_item"]
    assert item["traditional_recovery"] == pytest.approx(225)
    assert item["remake_own_recovery"] == pytest.approx(own)
    assert item["remake_new_recovery"] == pytest.approx(new)
    assert item["leakage_vs_price"] == pytest.approx(1275)


def test_storage_billed_per_use_gives_the_spec_net():
    """Keeping the returns costs with storage billed per use gives -173.9 wan (spec)."""
    from dataclasses import replace

    from aftersales import load_scenario

    sc = load_scenario("seed-demo")
    svcs = tuple(replace(s, billing="per_use", months_per_use=1) if s.kind == "storage" else s
                 for s in sc.services)
    ev = evaluate(replace(sc, services=svcs), "corrected")
    assert round(ev["va_net"] / 1e4, 1) == -173.9


def test_article_headline_within_one_percent():
    ev = evaluate("article-headline", "corrected")
    assert ev["traditional_cost"] == pytest.approx(6_800_000)
    assert ev["va_cost"] == pytest.approx(5_200_000, rel=0.01)
    assert ev["va_revenue"] == pytest.approx(3_400_000, rel=0.01)
    assert ev["va_net"] == pytest.approx(-1_800_000, rel=0.01)
