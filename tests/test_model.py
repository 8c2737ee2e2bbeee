"""Validation on construction: a clear ValueError naming the field and the value."""
import dataclasses
import math
import re

import pytest

from aftersales import Brand, Service, TraditionalCosts, load_scenario
from aftersales.model.inputs import LeakageInputs, Range, Scenario


def exactly(message: str) -> str:
    """A ``match=`` pattern that holds the whole message, nothing more and nothing less."""
    return "^" + re.escape(message) + "$"


def svc(**kw):
    base = dict(name="Repair", kind="repair", price=88.0, material_cost=15.0, labor_cost=25.0,
                uses_per_user_per_year=0.8, acceptance=0.4, wakeup_rate=0.28)
    base.update(kw)
    return Service(**base)


@pytest.mark.parametrize("kw,match", [
    ({"acceptance": 1.5}, "services['Repair'].acceptance must lie in [0, 1] (a share), got 1.5"),
    ({"wakeup_rate": -0.1}, "services['Repair'].wakeup_rate must lie in [0, 1] (a share), got -0.1"),
    ({"price": -1.0}, "services['Repair'].price must be >= 0, got -1.0"),
    ({"price": math.nan}, "services['Repair'].price must be finite, got nan"),
    ({"labor_cost": math.inf}, "services['Repair'].labor_cost must be finite, got inf"),
    ({"kind": "dyeing"}, "services['Repair'].kind must be one of remake, deep_clean, repair, storage, got 'dyeing'"),
    ({"billing": "yearly"}, "services['Repair'].billing must be one of per_use, per_month, got 'yearly'"),
    ({"price": "88"}, "services['Repair'].price must be a number, got '88'"),
    ({"name": ""}, "services.name must be a non-empty text, got ''"),
])
def test_service_rejects_bad_values(kw, match):
    """The whole message: the service, the field, the rule and the value given."""
    with pytest.raises(ValueError, match=exactly(match)):
        svc(**kw)


def test_price_zero_gives_zero_margin():
    assert svc(price=0.0).gross_margin == 0.0


@pytest.mark.parametrize("kw,match", [
    ({"active_customers": 0}, "brand.active_customers must be > 0, got 0"),
    ({"active_customers": 10.5}, "brand.active_customers must be a whole number > 0, got 10.5"),
    ({"return_rate": 1.2}, "brand.return_rate must lie in [0, 1] (a share), got 1.2"),
    ({"avg_order_value": -5}, "brand.avg_order_value must be >= 0, got -5"),
    ({"base_ltv": math.nan}, "brand.base_ltv must be finite, got nan"),
])
def test_brand_rejects_bad_values(kw, match):
    base = dict(active_customers=80000, avg_order_value=1800.0, base_ltv=3200.0)
    base.update(kw)
    with pytest.raises(ValueError, match=exactly(match)):
        Brand(**base)


def test_costs_and_leakage_reject_negatives():
    with pytest.raises(ValueError, match=exactly("traditional.logistics must be >= 0, got -1")):
        TraditionalCosts(team_salary=1, logistics=-1, quality_check=0, discounted_resale_loss=0)
    with pytest.raises(ValueError, match=exactly("leakage.recovery_rate must lie in [0, 1] (a share), got 1.5")):
        LeakageInputs(1500, 1.5, 0.4, 10, 300, 500, 100)


def test_scenario_rejects_duplicate_service_names_and_bad_ranges():
    sc = load_scenario("seed-demo")
    with pytest.raises(ValueError, match=exactly("services: the name 'Basic remake' appears twice")):
        sc.with_changes(services=sc.services + (sc.services[0],))
    with pytest.raises(ValueError, match=exactly("services: a scenario needs at least one service")):
        sc.with_changes(services=())
    with pytest.raises(ValueError, match=exactly(
            "ranges.dyeing: unknown service kind (one of remake, deep_clean, repair, storage)")):
        sc.with_changes(ranges={"dyeing": {"price": Range(1, 2)}})
    with pytest.raises(ValueError, match=exactly("range low 2 is above high 1")):
        Range(2, 1)


def test_scenario_is_frozen():
    sc = load_scenario("seed-demo")
    with pytest.raises(dataclasses.FrozenInstanceError, match=exactly("cannot assign to field 'name'")):
        sc.name = "x"
    with pytest.raises(dataclasses.FrozenInstanceError, match=exactly("cannot assign to field 'price'")):
        sc.services[0].price = 1.0
    assert isinstance(sc, Scenario) and sc.name == "seed-demo" and sc.services[0].price == 280.0


def test_notebook_parameter_helpers(tmp_path):
    from aftersales.course.parameters import ParameterError, existing_file, label_language, share, whole_number

    assert share("cut", 0.3) == 0.3 and whole_number("seed", 4.0) == 4
    assert [label_language(x) for x in ("en", "zh", "both")] == ["en", "zh", "both"]   # the glossary's rule
    with pytest.raises(ParameterError, match=r"parameter cut=1.5 is invalid: it must be <= 1"):
        share("cut", 1.5)
    with pytest.raises(ParameterError, match=r"parameter cut=0 is invalid: it must be > 0"):
        share("cut", 0, allow_zero=False)
    with pytest.raises(ParameterError, match=exactly("parameter seed=1.5 is invalid: it must be a whole number")):
        whole_number("seed", 1.5)
    for bad in ("fr", "ZH", None, ["zh"]):
        with pytest.raises(ParameterError, match=exactly(
                f"parameter lang={bad!r} is invalid: use 'en', 'zh' or 'both'")):
            label_language(bad)
    assert existing_file("cases_file", "cases_sample.csv").is_file()
    with pytest.raises(ParameterError, match=r"parameter orders_file='nope.csv' is invalid: no such file"):
        existing_file("orders_file", "nope.csv")
