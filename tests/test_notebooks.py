"""The notebook series: stored clean, parameterised, and right when papermill runs it with other values.

1. Every notebook in notebooks/ is stored without outputs, opens with learning objectives, has
   exactly one ``parameters`` cell followed by the validation cell, and exercises with solution
   markers. The .ipynb files are the source: a teacher edits them in JupyterLab.
2. Each of 00-04 runs through papermill (kernel python3, cwd notebooks/) with its defaults and with
   another scenario file plus another acceptance multiplier; the figures it records equal what
   ``aftersales.evaluate`` gives for the same inputs, and they changed.
3. Invalid parameters stop each notebook at the validation cell with a clear ParameterError.

The papermill runs execute once per session in two worker processes (the machine has two cores).
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import multiprocessing
import re
from pathlib import Path

import nbformat
import pytest

from aftersales.model.kernel import apply_parameter
from aftersales.course.exercises import key_figures, read_records
from aftersales.course.parameters import scenario_from_parameters
from aftersales.model.scenario import load_scenario, save_scenario

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
ALL_NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
SERIES = ("00_start_here", "01_value_leakage", "02_service_matrix", "03_lifecycle_extension",
          "04_pnl_comparison")
#: The recorded figure that must move, and the direction it moves, in the variant run.
MOVES = {
    "00_start_here": ("corrected.value_added.net", +1),
    "01_value_leakage": ("corrected.leakage.per_item.leakage_vs_price", +1),
    "02_service_matrix": ("corrected.totals.service_revenue", +1),
    "03_lifecycle_extension": ("corrected.lifecycle.repurchase_12m_value_added", +1),
    "04_pnl_comparison": ("corrected.value_added.total_effect", +1),
}
VARIANT_MULTIPLIER = 1.25
INVALID = {
    "negative_customers": ({"active_customers": -5}, "active_customers"),
    "acceptance_above_one": ({"overrides": {"service[Basic remake].acceptance": 1.5}}, "acceptance"),
    "multiplier_pushes_acceptance_above_one": ({"acceptance_multiplier": 3.0}, "acceptance_multiplier"),
    "missing_scenario": ({"scenario": "no-such-scenario"}, "no-such-scenario"),
}
#: The multiplier case goes through the same code path as the override; one notebook is enough.
MULTIPLIER_CASE_IN = "02_service_matrix"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _invalid_case_applies(name: str, case: str) -> bool:
    return case != "multiplier_pushes_acceptance_above_one" or name == MULTIPLIER_CASE_IN


def _read(path: Path):
    return nbformat.read(str(path), as_version=4)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


# ------------------------------------------------------------------------ 1. structure
@pytest.fixture(params=ALL_NOTEBOOKS, ids=[p.stem for p in ALL_NOTEBOOKS])
def stored(request):
    return request.param, _read(request.param)


def test_the_series_is_there():
    names = {p.stem for p in ALL_NOTEBOOKS}
    assert set(SERIES) <= names, f"missing notebooks: {sorted(set(SERIES) - names)}"


def test_stored_without_outputs(stored):
    path, nb = stored
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has stored outputs (strip them)"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


def test_opens_with_learning_objectives(stored):
    path, nb = stored
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "Learning objectives" in first.source, \
        f"{path.name} must open with a markdown cell containing 'Learning objectives'"


def test_one_parameters_cell_then_validation(stored):
    path, nb = stored
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in _tags(c)]
    assert len(tagged) == 1, f"{path.name} has {len(tagged)} cells tagged 'parameters', needs exactly 1"
    i = tagged[0]
    assert nb.cells[i].cell_type == "code"
    nxt = next(c for c in nb.cells[i + 1:] if c.cell_type == "code")
    assert "scenario_from_parameters" in nxt.source, \
        f"{path.name}: the code cell after the parameters cell must validate via scenario_from_parameters"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


def test_exercises_have_solution_markers(stored):
    path, nb = stored
    blocks = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = [ln.strip() for ln in cell.source.splitlines()]
        assert lines.count(BEGIN) == lines.count(END), f"{path.name}: unbalanced solution markers"
        for b, e in zip([k for k, ln in enumerate(lines) if ln == BEGIN],
                        [k for k, ln in enumerate(lines) if ln == END]):
            assert b < e, f"{path.name}: END SOLUTION before BEGIN SOLUTION"
            blocks += 1
    assert blocks >= 1, f"{path.name} has no exercise with solution markers"
    if path.stem in SERIES:
        assert 3 <= blocks <= 5, f"{path.name} has {blocks} exercises, the series has 3-5 per notebook"


@pytest.mark.parametrize("name", SERIES)
def test_numeric_exercises_are_checked(name):
    nb = _read(NB_DIR / f"{name}.ipynb")
    for cell in nb.cells:
        if cell.cell_type == "code" and BEGIN in cell.source:
            after = cell.source.split(END, 1)[1]
            assert re.search(r"\bcheck\(", after), \
                f"{name}: every exercise checks its answer after the solution:\n{cell.source}"


@pytest.mark.parametrize("name", SERIES)
def test_papermill_reads_every_parameter(name):
    """papermill (and the homework tools built on it) can list every parameter with its default."""
    import ast

    import papermill as pm

    path = NB_DIR / f"{name}.ipynb"
    cell = next(c for c in _read(path).cells if "parameters" in _tags(c))
    assigned = [t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                for t in node.targets]
    assert "scenario" in assigned
    assert list(pm.inspect_notebook(str(path))) == assigned


# ------------------------------------------------------------------------ 2./3. papermill runs
def _execute(job: dict) -> dict:
    """Run one notebook with papermill (in a worker process); return its records."""
    import papermill as pm

    nb = pm.execute_notebook(job["input"], job["output"], parameters=job["parameters"],
                             kernel_name="python3", cwd=job["cwd"], progress_bar=False,
                             start_timeout=120, execution_timeout=300)
    return {"records": read_records(nb)}


def _variant_scenario(path: Path) -> Path:
    """seed-demo with another order value, team cost, deep-clean price and leakage table."""
    sc = load_scenario("seed-demo")
    sc = apply_parameter(sc, "brand.avg_order_value", 2400.0)
    sc = apply_parameter(sc, "value_added.team_salary", 2_600_000.0)
    sc = apply_parameter(sc, "service[Deep clean & care].price", 150.0)
    sc = dataclasses.replace(sc, name="variant-for-tests",
                             leakage=dataclasses.replace(sc.leakage, original_price=1800.0, recovery_rate=0.2))
    return save_scenario(sc, path)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every papermill run of this file, executed once, two at a time. {(name, case): result}."""
    tmp = tmp_path_factory.mktemp("papermill")
    variant = _variant_scenario(tmp / "variant.toml")
    jobs = {}
    for name in SERIES:
        cases = {"default": {},
                 "variant": {"scenario": str(variant), "acceptance_multiplier": VARIANT_MULTIPLIER}}
        cases.update({k: params for k, (params, _) in INVALID.items() if _invalid_case_applies(name, k)})
        for case, params in cases.items():
            jobs[(name, case)] = {"input": str(NB_DIR / f"{name}.ipynb"),
                                  "output": str(tmp / f"{name}.{case}.ipynb"),
                                  "parameters": params, "cwd": str(NB_DIR)}
    no_leakage = save_scenario(dataclasses.replace(load_scenario("seed-demo"), name="no-leakage", leakage=None),
                               tmp / "no_leakage.toml")
    jobs[("01_value_leakage", "no_leakage")] = {
        "input": str(NB_DIR / "01_value_leakage.ipynb"), "output": str(tmp / "01.no_leakage.ipynb"),
        "parameters": {"scenario": str(no_leakage)}, "cwd": str(NB_DIR)}
    ctx = multiprocessing.get_context("fork")
    results = {}
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        futures = {pool.submit(_execute, job): key for key, job in jobs.items()}
        for fut in cf.as_completed(futures):
            key = futures[fut]
            try:
                results[key] = fut.result()
            except Exception as exc:  # noqa: BLE001 - inspected by the tests
                results[key] = {"error": exc, "output": jobs[key]["output"]}
    results["variant_path"] = variant
    return results


def _record(result: dict, name: str) -> dict:
    if "error" in result:
        raise AssertionError(f"{name} failed under papermill: {result['error']}")
    recs = [r for r in result["records"] if r.get("notebook") == name]
    assert len(recs) == 1, f"{name} must record its key figures exactly once, found {len(recs)}"
    return recs[0]


def _assert_matches_library(rec: dict, sc, name: str) -> None:
    expected = key_figures(sc, rec["figures"])
    for path, value in rec["figures"].items():
        assert value == pytest.approx(expected[path], rel=1e-12, abs=1e-9), \
            f"{name}: recorded {path} = {value}, aftersales.evaluate gives {expected[path]}"


@pytest.mark.slow
@pytest.mark.parametrize("name", SERIES)
def test_default_run_records_the_library_figures(runs, name):
    rec = _record(runs[(name, "default")], name)
    assert rec["figures"], f"{name} recorded no figures"
    _assert_matches_library(rec, load_scenario("seed-demo"), name)


@pytest.mark.slow
@pytest.mark.parametrize("name", SERIES)
def test_variant_run_changes_the_figures_accordingly(runs, name):
    base = _record(runs[(name, "default")], name)
    var = _record(runs[(name, "variant")], name)
    sc = scenario_from_parameters(str(runs["variant_path"]), acceptance_multiplier=VARIANT_MULTIPLIER)
    _assert_matches_library(var, sc, name)
    key, sign = MOVES[name]
    assert key in var["figures"], f"{name} must record {key}"
    assert (var["figures"][key] - base["figures"][key]) * sign > 0, \
        f"{name}: {key} did not move as expected ({base['figures'][key]} -> {var['figures'][key]})"


@pytest.mark.slow
def test_extra_figures_agree_with_the_library(runs):
    from aftersales.model.montecarlo import simulate
    from aftersales.model.sensitivity import goal_seek

    sc = scenario_from_parameters(str(runs["variant_path"]), acceptance_multiplier=VARIANT_MULTIPLIER)
    sim = _record(runs[("03_lifecycle_extension", "variant")], "03_lifecycle_extension")["extra"]
    assert sim["ltv_closed_form"] == pytest.approx(key_figures(sc, ["corrected.lifecycle.ltv_value_added"])
                                                   ["corrected.lifecycle.ltv_value_added"])
    assert abs(sim["ltv_simulated"] - sim["ltv_closed_form"]) < 5 * sim["ltv_standard_error"]
    assert sim["repurchase_12m_simulated"] == pytest.approx(sim["repurchase_12m_closed_form"], abs=0.02)
    extra = _record(runs[("04_pnl_comparison", "variant")], "04_pnl_comparison")["extra"]
    assert extra["break_even_acceptance_multiplier"] == pytest.approx(
        goal_seek(sc, "scale.acceptance", "va_net", 0.0).value, rel=1e-12)
    mc = simulate(sc, draws=extra["monte_carlo"]["draws"], seed=extra["monte_carlo"]["seed"]).summary()
    for key in ("p5", "p50", "p95", "prob_value_added_beats_traditional", "prob_break_even"):
        assert extra["monte_carlo"][key] == pytest.approx(mc[key], rel=1e-12), key


@pytest.mark.slow
@pytest.mark.parametrize("name, case", [(n, c) for n in SERIES for c in sorted(INVALID)
                                        if _invalid_case_applies(n, c)])
def test_invalid_parameters_stop_at_the_validation_cell(runs, name, case):
    from papermill.exceptions import PapermillExecutionError

    result = runs[(name, case)]
    assert "error" in result, f"{name} ran to the end with invalid parameters ({case})"
    exc = result["error"]
    assert isinstance(exc, PapermillExecutionError), f"{name} ({case}) failed another way: {exc!r}"
    assert exc.ename == "ParameterError", f"{name} ({case}): {exc.ename}: {exc.evalue}"
    word = INVALID[case][1]
    assert word in exc.evalue and "is invalid" in exc.evalue, f"unclear message: {exc.evalue}"
    assert "scenario_from_parameters" in exc.source, \
        f"{name} ({case}) stopped in another cell than the validation cell:\n{exc.source}"
    # in the saved output: the first code cell after the injected parameters failed, nothing after ran
    out = _read(Path(result["output"]))
    code = [c for c in out.cells if c.cell_type == "code"]
    injected = [i for i, c in enumerate(code) if "injected-parameters" in _tags(c)]
    assert len(injected) == 1, "papermill should have injected one parameters cell"
    failed = code[injected[0] + 1]
    assert any(o.get("output_type") == "error" and o.get("ename") == "ParameterError" for o in failed.outputs)
    assert all(c.execution_count is None for c in code[injected[0] + 2:]), \
        f"{name} ({case}) went on executing after the validation cell"


@pytest.mark.slow
def test_leakage_notebook_needs_a_leakage_table(runs):
    from papermill.exceptions import PapermillExecutionError

    exc = runs[("01_value_leakage", "no_leakage")].get("error")
    assert isinstance(exc, PapermillExecutionError), "01 ran on a scenario without a [leakage] table"
    assert exc.ename == "ParameterError" and "[leakage] table" in exc.evalue
    assert "scenario_from_parameters" in exc.source
