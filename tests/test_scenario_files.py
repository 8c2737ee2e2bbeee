"""Scenario files: every shipped file loads; bad files give one clear error naming file, table, key."""
import pytest

from aftersales import evaluate, load_scenario, save_scenario, scenario_names
from aftersales.model.scenario import SCENARIO_DIR, ScenarioError, dumps_scenario

GOOD = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")


def test_shipped_scenarios():
    names = scenario_names()
    assert {"seed-demo", "article-headline", "fast-fashion", "outdoor-repair"} <= set(names)
    for n in names:
        sc = load_scenario(n)
        assert sc.name == n
        for method in ("seed", "corrected"):
            evaluate(sc, method).to_dict()


def test_seed_demo_has_the_article_parameters():
    sc = load_scenario("seed-demo")
    assert sc.brand.active_customers == 80000 and sc.brand.avg_order_value == 1800
    storage = [s for s in sc.services if s.kind == "storage"][0]
    assert storage.billing == "per_month" and storage.months_per_use == 5
    assert sc.value_added.quality_check == sc.traditional.quality_check  # default: returns keep arriving
    assert [s.price for s in sc.services] == [280, 580, 128, 88, 40]


@pytest.mark.parametrize("name", ["seed-demo", "article-headline", "fast-fashion", "outdoor-repair"])
def test_save_and_load_back_unchanged(tmp_path, name):
    sc = load_scenario(name)
    p = save_scenario(sc, tmp_path / f"{name}.toml")
    again = load_scenario(p)
    assert again == sc
    assert dumps_scenario(again) == dumps_scenario(sc)


def test_save_never_overwrites_without_force(tmp_path):
    sc = load_scenario("seed-demo")
    p = save_scenario(sc, tmp_path / "x.toml")
    with pytest.raises(FileExistsError, match="force"):
        save_scenario(sc, p)
    save_scenario(sc, p, force=True)


def write(tmp_path, text):
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("old,new,match", [
    ("acceptance = 0.18", "acceptance = 1.8", r"bad.toml: \[\[services\]\] #1 \('Basic remake'\) acceptance must lie in \[0, 1\]"),
    ("active_customers = 80000", "active_customers = \"many\"", r"bad.toml: \[brand\] active_customers must be a whole number"),
    ("return_rate = 0.18 ", "return_rate = -0.18 ", r"bad.toml: \[brand\] return_rate must lie in \[0, 1\]"),
    ("team_salary = 2800000.0", "team_salry = 2800000.0", r"bad.toml: \[traditional\] unknown key 'team_salry'"),
    ("kind = \"repair\"", "kind = \"mending\"", r"bad.toml: \[\[services\]\] #4 \('Repair & refresh'\) kind must be one of"),
    ("billing = \"per_month\"", "billing = \"monthly\"", r"billing must be one of per_use, per_month"),
    ("price = 88.0", "price = -88.0", r"#4 \('Repair & refresh'\) price must be >= 0"),
    ("[leakage]", "[leakage]\nfoo = 1", r"bad.toml: \[leakage\] unknown key 'foo'"),
    ("name = \"seed-demo\"", "name = \"seed-demo\"\ncolour = \"red\"", r"unknown top-level key 'colour'"),
    ("base_ltv = 3200.0", "base_ltv = nan", r"\[brand\] base_ltv must be finite"),
])
def test_bad_files_give_one_clear_error(tmp_path, old, new, match):
    assert old in GOOD
    p = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ScenarioError, match=match):
        load_scenario(p)


def test_missing_tables_and_keys(tmp_path):
    start = GOOD.index("[traditional]")
    end = GOOD.index("[value_added]")
    with pytest.raises(ScenarioError, match=r"missing table \[traditional\]"):
        load_scenario(write(tmp_path, GOOD[:start] + GOOD[end:]))
    with pytest.raises(ScenarioError, match=r"\[brand\] missing key 'avg_order_value'"):
        load_scenario(write(tmp_path, GOOD.replace("avg_order_value = 1800.0", "")))
    with pytest.raises(ScenarioError, match=r"missing \[\[services\]\]"):
        load_scenario(write(tmp_path, GOOD[:GOOD.index("[[services]]")]))
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(write(tmp_path, "name = \n"))
    with pytest.raises(ScenarioError, match="no such scenario"):
        load_scenario("does-not-exist")
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(tmp_path / "nope.toml")


def test_own_ranges_are_read_and_validated(tmp_path):
    sc = load_scenario(write(tmp_path, GOOD + "\n[ranges.repair]\nprice = [60, 90]\nacceptance = [0.3, 0.5]\n"))
    assert sc.ranges["repair"]["price"].low == 60
    with pytest.raises(ScenarioError, match=r"\[ranges.repair\] key 'price' must be \[low, high\]"):
        load_scenario(write(tmp_path, GOOD + "\n[ranges.repair]\nprice = 60\n"))
    with pytest.raises(ScenarioError, match=r"\[ranges.repair\] unknown key 'colour'"):
        load_scenario(write(tmp_path, GOOD + "\n[ranges.repair]\ncolour = [1, 2]\n"))
