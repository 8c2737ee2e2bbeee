"""Scenario files, exactly: every loading error's message and every round trip, pinned.

Written against the survivors of ``make mutate`` in aftersales/model/scenario.py and inputs.py: each
expected message is the documented form ``<file>: <table> <key> <what is wrong>`` (docs/model.md),
spelled out in full, so a changed word, a dropped check or a flipped condition fails.
"""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from aftersales import load_scenario, save_scenario
from aftersales.model.inputs import _CostStructure
from aftersales.model.scenario import (SCENARIO_DIR, ScenarioError, dumps_scenario, scenario_from_dict,
                                       scenario_names, scenario_path)

GOOD = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo():
    return load_scenario("seed-demo")


def _d(demo):
    return demo.to_dict()


def _raises(data, message, source="x.toml"):
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(data, source=source)
    assert str(e.value) == message


def test_the_base_cost_structure_names_its_table():
    with pytest.raises(ValueError, match=r"^costs\.team_salary must be >= 0, got -1$"):
        _CostStructure(-1, 0, 0, 0)


def test_shipped_names_and_paths(tmp_path):
    assert scenario_names() == ["article-headline", "fast-fashion", "outdoor-repair", "seed-demo"]
    assert scenario_path("seed-demo") == SCENARIO_DIR / "seed-demo.toml"
    p = tmp_path / "mine.toml"
    p.write_text(GOOD, encoding="utf-8")
    assert scenario_path(p) == p and scenario_path(str(p)) == p
    with pytest.raises(ScenarioError, match=r"^mine\.toml: no such scenario file$"):
        scenario_path("mine.toml")                       # a .toml name is a path, never a shipped name
    with pytest.raises(ScenarioError, match=r"^sub/seed-demo: no such scenario file$"):
        scenario_path("sub/seed-demo")                   # so is anything with a separator
    with pytest.raises(ScenarioError) as e:
        scenario_path("seed")
    assert str(e.value) == ("seed: no such scenario; known names: article-headline, fast-fashion, outdoor-repair, "
                            "seed-demo (or give a path to a .toml file)")
    # a folder is not a scenario file
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    with pytest.raises(ScenarioError, match="no such scenario file"):
        scenario_path(folder)


def test_load_errors(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_bytes(b"name = \xff\xfe\n")
    with pytest.raises(ScenarioError, match=rf"^{p}: not (valid TOML|UTF-8 text): "):
        load_scenario(p)
    p.write_text("name = [\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"^{p}: not valid TOML: "):
        load_scenario(p)
    p.write_text(GOOD, encoding="utf-8")
    assert load_scenario(p).name == "seed-demo"
    assert load_scenario(Path(p)) == load_scenario("seed-demo")


def test_top_level_errors(demo):
    _raises([], "x.toml: the scenario must be a table")
    d = _d(demo)
    d["colour"] = "red"
    _raises(d, "x.toml: unknown top-level key 'colour' (allowed: name, description, brand, traditional, "
               "value_added, leakage, services, ranges)")
    for table in ("brand", "traditional", "value_added"):
        d = _d(demo)
        del d[table]
        _raises(d, f"x.toml: missing table [{table}]")
    d = _d(demo)
    del d["services"]
    _raises(d, "x.toml: missing [[services]] (at least one service)")
    d = _d(demo)
    d["name"] = ""
    _raises(d, "x.toml: key 'name' must be a non-empty text, got ''")
    d["name"] = 7
    _raises(d, "x.toml: key 'name' must be a non-empty text, got 7")
    d = _d(demo)
    d["description"] = 3
    _raises(d, "x.toml: key 'description' must be text, got 3")


def test_the_name_defaults_to_the_file_stem_and_the_description_to_nothing(demo):
    d = _d(demo)
    del d["name"], d["description"]
    sc = scenario_from_dict(d, source="some/where/my-brand.toml")
    assert sc.name == "my-brand" and sc.description == ""
    assert scenario_from_dict(_d(demo)).name == "seed-demo"


def test_table_errors(demo):
    d = _d(demo)
    d["brand"] = [1]
    _raises(d, "x.toml: [brand] must be a table, got list")
    d = _d(demo)
    del d["traditional"]["logistics"]
    _raises(d, "x.toml: [traditional] missing key 'logistics'")
    d = _d(demo)
    d["value_added"]["bonus"] = 1
    _raises(d, "x.toml: [value_added] unknown key 'bonus' (allowed: team_salary, logistics, quality_check, "
               "discounted_resale_loss)")
    d = _d(demo)
    d["brand"]["return_rate"] = 2
    _raises(d, "x.toml: [brand] return_rate must lie in [0, 1] (a share), got 2")
    d = _d(demo)
    d["traditional"]["logistics"] = -1
    _raises(d, "x.toml: [traditional] logistics must be >= 0, got -1")
    d = _d(demo)
    d["value_added"]["logistics"] = -1
    _raises(d, "x.toml: [value_added] logistics must be >= 0, got -1")
    d = _d(demo)
    d["leakage"]["cogs_ratio"] = 3
    _raises(d, "x.toml: [leakage] cogs_ratio must lie in [0, 1] (a share), got 3")
    d = _d(demo)
    del d["leakage"]["remake_unit_cost"]
    _raises(d, "x.toml: [leakage] missing key 'remake_unit_cost'")


def test_value_added_takes_the_traditional_return_costs_unless_it_has_its_own(demo):
    d = _d(demo)
    del d["value_added"]["quality_check"], d["value_added"]["discounted_resale_loss"]
    d["traditional"]["quality_check"], d["traditional"]["discounted_resale_loss"] = 11.0, 22.0
    sc = scenario_from_dict(d)
    assert (sc.value_added.quality_check, sc.value_added.discounted_resale_loss) == (11.0, 22.0)
    d["value_added"]["quality_check"] = 5.0
    assert scenario_from_dict(d).value_added.quality_check == 5.0
    assert scenario_from_dict(d).value_added.discounted_resale_loss == 22.0


def test_a_scenario_without_leakage(demo):
    d = _d(demo)
    del d["leakage"]
    sc = scenario_from_dict(d)
    assert sc.leakage is None
    assert "[leakage]" not in dumps_scenario(sc)


def test_service_errors(demo):
    d = _d(demo)
    d["services"] = []
    _raises(d, "x.toml: [[services]] must be a list of at least one table")
    d["services"] = {"name": "x"}
    _raises(d, "x.toml: [[services]] must be a list of at least one table")
    d = _d(demo)
    d["services"][1]["acceptance"] = 1.5
    _raises(d, "x.toml: [[services]] #2 ('Designer remake') acceptance must lie in [0, 1] (a share), got 1.5")
    d = _d(demo)
    del d["services"][0]["name"]
    _raises(d, "x.toml: [[services]] #1 missing key 'name'")
    d = _d(demo)
    d["services"][2] = "clean"
    _raises(d, "x.toml: [[services]] #3 must be a table, got str")
    d = _d(demo)
    d["services"][0]["name"] = " "
    _raises(d, "x.toml: [[services]] #1 (' ') services.name must be a non-empty text, got ' '")
    d = _d(demo)
    d["services"][1]["name"] = "Basic remake"
    _raises(d, "x.toml: services: the name 'Basic remake' appears twice")


def test_range_errors(demo):
    d = _d(demo)
    d["ranges"] = [1]
    _raises(d, "x.toml: [ranges] must be a table")
    d["ranges"] = {"dyeing": {}}
    _raises(d, "x.toml: [ranges] unknown service kind 'dyeing' (one of remake, deep_clean, repair, storage)")
    d["ranges"] = {"repair": [1, 2]}
    _raises(d, "x.toml: [ranges.repair] must be a table")
    d["ranges"] = {"repair": {"colour": [1, 2]}}
    _raises(d, "x.toml: [ranges.repair] unknown key 'colour' (allowed: price, acceptance, gross_margin, wakeup_rate, uses_per_user_per_year)")
    for bad in ([1], [1, 2, 3], [True, 2], [1, "2"], 5):
        d["ranges"] = {"repair": {"price": bad}}
        _raises(d, f"x.toml: [ranges.repair] key 'price' must be [low, high], got {bad!r}")
    d["ranges"] = {"repair": {"price": [90, 60]}}
    _raises(d, "x.toml: [ranges.repair] key 'price': range low 90.0 is above high 60.0")
    d["ranges"] = {"repair": {"acceptance": [0.2, 1.2]}}
    _raises(d, "x.toml: ranges.repair.acceptance must lie in [0, 1], got [0.2, 1.2]")
    d["ranges"] = {"repair": {"price": [60, 90], "acceptance": [0, 1]}, "storage": {"wakeup_rate": [0.1, 0.2]}}
    sc = scenario_from_dict(d)
    assert sc.ranges["repair"]["price"].low == 60.0 and type(sc.ranges["repair"]["price"].low) is float
    assert sc.ranges["storage"]["wakeup_rate"].high == 0.2
    assert list(sc.ranges) == ["repair", "storage"]


def test_dumps_writes_every_table_and_reads_back(demo, tmp_path):
    sc = demo.with_changes(
        name='brand "X"\\ two',
        description="line one\nline two",
        ranges={"repair": {"price": __import__("aftersales").Range(60.0, 90.0)}})
    text = dumps_scenario(sc)
    lines = text.splitlines()
    assert lines[0] == 'name = "brand \\"X\\"\\\\ two"'
    assert lines[1] == 'description = "line one\\nline two"'
    assert lines[2] == ""
    assert lines[3] == "[brand]" and lines[4] == "active_customers = 80000"
    assert "[traditional]" in lines and "[value_added]" in lines and "[leakage]" in lines
    assert lines.count("[[services]]") == 5
    assert "[ranges.repair]" in lines and "price = [60.0, 90.0]" in lines
    assert 'billing = "per_month"' in lines and "months_per_use = 5" in lines
    assert "return_rate = 0.18" in lines
    p = save_scenario(sc, tmp_path / "x.toml")
    assert load_scenario(p) == sc
    assert p.read_text(encoding="utf-8") == text
    assert save_scenario(demo, p, force=True) == p
    assert load_scenario(p) == demo


def test_dumps_refuses_what_toml_cannot_hold(demo):
    from aftersales.model.scenario import _toml_value

    assert _toml_value(True) == "true" and _toml_value(False) == "false"
    assert _toml_value(3) == "3" and _toml_value(0.5) == "0.5" and _toml_value([1, 2.5]) == "[1, 2.5]"
    with pytest.raises(ValueError, match=r"^cannot write inf to TOML$"):
        _toml_value(math.inf)
    with pytest.raises(ValueError, match=r"^cannot write nan to TOML$"):
        _toml_value(math.nan)
    with pytest.raises(TypeError, match=r"^cannot write dict to TOML$"):
        _toml_value({})
    with pytest.raises(TypeError, match=r"^cannot write NoneType to TOML$"):
        _toml_value(None)


def test_a_variant_with_more_customers_round_trips(demo, tmp_path):
    big = demo.with_changes(brand=replace(demo.brand, active_customers=123_457))
    p = save_scenario(big, tmp_path / "big.toml")
    assert load_scenario(p).brand.active_customers == 123_457
