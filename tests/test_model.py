"""Validation on construction: a clear ValueError naming the field and the value."""
import math

import pytest

from aftersales import Brand, Service, TraditionalCosts, load_scenario
from aftersales.model.inputs import LeakageInputs, Range, Scenario


def svc(**kw):
    base = dict(name="Repair", kind="repair", price=88.0, material_cost=15.0, labor_cost=25.0,
                uses_per_user_per_year=0.8, acceptance=0.4, wakeup_rate=0.28)
    base.update(kw)
    return Service(**base)


@pytest.mark.parametrize("kw,match", [
    ({"acceptance": 1.5}, r"acceptance must lie in \[0, 1\].*1\.5"),
    ({"wakeup_rate": -0.1}, r"wakeup_rate must lie in \[0, 1\]"),
    ({"price": -1.0}, r"price must be >= 0, got -1.0"),
    ({"price": math.nan}, r"price must be finite, got nan"),
    ({"labor_cost": math.inf}, r"labor_cost must be finite"),
    ({"kind": "dyeing"}, r"kind must be one of remake, deep_clean, repair, storage, got 'dyeing'"),
    ({"billing": "yearly"}, r"billing must be one of per_use, per_month, got 'yearly'"),
    ({"price": "88"}, r"price must be a number, got '88'"),
    ({"name": ""}, r"name must be a non-empty text"),
])
def test_service_rejects_bad_values(kw, match):
    with pytest.raises(ValueError, match=match):
        svc(**kw)


def test_price_zero_gives_zero_margin():
    assert svc(price=0.0).gross_margin == 0.0


@pytest.mark.parametrize("kw,match", [
    ({"active_customers": 0}, "active_customers must be > 0"),
    ({"active_customers": 10.5}, "active_customers must be a whole number"),
    ({"return_rate": 1.2}, r"brand.return_rate must lie in \[0, 1\]"),
    ({"avg_order_value": -5}, "brand.avg_order_value must be >= 0"),
    ({"base_ltv": math.nan}, "brand.base_ltv must be finite"),
])
def test_brand_rejects_bad_values(kw, match):
    base = dict(active_customers=80000, avg_order_value=1800.0, base_ltv=3200.0)
    base.update(kw)
    with pytest.raises(ValueError, match=match):
        Brand(**base)


def test_costs_and_leakage_reject_negatives():
    with pytest.raises(ValueError, match="traditional.logistics must be >= 0"):
        TraditionalCosts(team_salary=1, logistics=-1, quality_check=0, discounted_resale_loss=0)
    with pytest.raises(ValueError, match=r"leakage.recovery_rate must lie in \[0, 1\]"):
        LeakageInputs(1500, 1.5, 0.4, 10, 300, 500, 100)


def test_scenario_rejects_duplicate_service_names_and_bad_ranges():
    sc = load_scenario("seed-demo")
    with pytest.raises(ValueError, match="appears twice"):
        sc.with_changes(services=sc.services + (sc.services[0],))
    with pytest.raises(ValueError, match="at least one service"):
        sc.with_changes(services=())
    with pytest.raises(ValueError, match="unknown service kind"):
        sc.with_changes(ranges={"dyeing": {"price": Range(1, 2)}})
    with pytest.raises(ValueError, match="above high"):
        Range(2, 1)


def test_scenario_is_frozen():
    sc = load_scenario("seed-demo")
    with pytest.raises(Exception):
        sc.name = "x"
    assert isinstance(sc, Scenario)


def test_notebook_parameter_helpers(tmp_path):
    from aftersales.course.parameters import ParameterError, existing_file, label_language, share, whole_number

    assert share("cut", 0.3) == 0.3 and whole_number("seed", 4.0) == 4 and label_language("zh") == "zh"
    with pytest.raises(ParameterError, match=r"parameter cut=1.5 is invalid: it must be <= 1"):
        share("cut", 1.5)
    with pytest.raises(ParameterError, match=r"parameter cut=0 is invalid: it must be > 0"):
        share("cut", 0, allow_zero=False)
    with pytest.raises(ParameterError, match="whole number"):
        whole_number("seed", 1.5)
    with pytest.raises(ParameterError, match="use 'en' or 'zh'"):
        label_language("fr")
    assert existing_file("cases_file", "cases_sample.csv").is_file()
    with pytest.raises(ParameterError, match=r"parameter orders_file='nope.csv' is invalid: no such file"):
        existing_file("orders_file", "nope.csv")
