"""The notebook series: stored clean, parameterised, exercises under the one protocol, and right when
papermill runs it with other values.

1. Every notebook in notebooks/ opens with learning objectives and has exactly one ``parameters``
   cell followed by the validation cell. Every notebook the project stores (notebooks/, the Chinese
   edition in notebooks/zh/ and the app's aftersales/data/app/) is stored without outputs. The
   .ipynb files are the source.
2. The practice notebooks on a scenario (00-04) follow the one exercise protocol: for each question
   q1..qn of ``aftersales.course.keys`` a question, the student's cell with an empty answer
   (``qN = None`` and ``check("qN", qN)``), then the solution in a collapsed cell tagged
   ``solution``; a recap closes the notebook. The solutions, executed on every shipped scenario,
   make every check say right, and the empty answers say "not answered yet". Notebooks 05 and 07
   use the same protocol on data instead of a scenario (the cleaned cases, the customers report);
   tests/test_exercises_data.py holds them to it.
3. Papermill runs only other parameters than the defaults (nbval executes each notebook once with
   its defaults): another scenario file plus another acceptance multiplier, where the figures
   recorded equal what ``aftersales.evaluate`` gives and the checks of the solutions say right;
   a scenario without a ``[leakage]`` table for 01; invalid parameters, which stop each notebook
   at the validation cell with a clear ParameterError.

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
from aftersales.course.exercises import RECORD_MIME, key_figures, read_records
from aftersales.course.keys import NOTEBOOKS as PRACTICE, context_of, questions
from aftersales.course.parameters import leakage_inputs, scenario_from_parameters
from aftersales.model.scenario import load_scenario, save_scenario, scenario_names

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
ALL_NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
#: Every notebook the project stores: the series, its Chinese edition and the app's notebook.
STORED_NOTEBOOKS = ALL_NOTEBOOKS + sorted((NB_DIR / "zh").glob("*.ipynb")) + sorted(
    (ROOT / "aftersales" / "data" / "app").glob("*.ipynb"))
SERIES = tuple(n for n in PRACTICE if context_of(n) == "scenario")   # 00-04: exercises on the scenario
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


def test_every_stored_notebook_is_listed():
    folders = {p.parent.relative_to(ROOT).as_posix() for p in STORED_NOTEBOOKS}
    assert folders == {"notebooks", "notebooks/zh", "aftersales/data/app"}


@pytest.mark.parametrize("path", STORED_NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in STORED_NOTEBOOKS])
def test_stored_without_outputs(path):
    nb = _read(path)
    where = path.relative_to(ROOT).as_posix()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{where} cell {i} has stored outputs (strip them)"
            assert cell.execution_count is None, f"{where} cell {i} has an execution count"


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


def _is_solution(cell) -> bool:
    return "solution" in _tags(cell)


def _exercise_start(nb) -> int:
    for i, c in enumerate(nb.cells):
        if c.cell_type == "markdown" and c.source.lstrip().startswith("## Exercises"):
            return i
    raise AssertionError("no '## Exercises' heading")


def test_exercises_have_solutions(stored):
    """Every notebook with exercises shows its solutions only on purpose: solution cells, or (for the
    notebooks not yet converted to the protocol) balanced solution markers."""
    path, nb = stored
    solutions = [c for c in nb.cells if c.cell_type == "code" and _is_solution(c)]
    for c in solutions:
        assert c.metadata.get("jupyter", {}).get("source_hidden") is True, \
            f"{path.name}: a solution cell must be collapsed (jupyter.source_hidden)"
    blocks = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = [ln.strip() for ln in cell.source.splitlines()]
        assert lines.count(BEGIN) == lines.count(END), f"{path.name}: unbalanced solution markers"
        blocks += lines.count(BEGIN)
    assert solutions or blocks, f"{path.name} has no exercise with a solution"
    if path.stem in SERIES:
        assert blocks == 0, f"{path.name}: the practice notebooks use solution cells, not markers"


@pytest.mark.parametrize("name", SERIES)
def test_practice_exercises_follow_the_protocol(name):
    """Per question of the keys: its question, the student's empty cell, then the collapsed solution."""
    nb = _read(NB_DIR / f"{name}.ipynb")
    cells = nb.cells[_exercise_start(nb):]
    setup = next(c for c in cells if c.cell_type == "code")
    assert f'practice("{name}", sc' in setup.source, f"{name}: the exercises start with practice({name!r}, sc)"
    qids = list(questions(name))
    asked = re.findall(r"\*\*Exercise \d+ \((q\d+)\)\.\*\*", "\n".join(c.source for c in cells
                                                                    if c.cell_type == "markdown"))
    assert asked == qids, f"{name}: the questions {asked} are not those of the keys {qids}"
    for qid in qids:
        k = next(i for i, c in enumerate(cells) if c.cell_type == "code" and not _is_solution(c)
                 and re.match(rf"{qid} = None\b", c.source))
        student, sol = cells[k], cells[k + 1]
        lines = [ln for ln in student.source.splitlines() if ln.strip()]
        assert lines == [lines[0], f'check("{qid}", {qid})'] and "# your answer:" in lines[0], \
            f"{name} {qid}: the student's cell holds only the empty answer and its check:\n{student.source}"
        assert _is_solution(sol) and sol.metadata["jupyter"]["source_hidden"] is True, \
            f"{name} {qid}: the cell under the student's is the collapsed solution"
        assert re.search(rf"^{qid} = ", sol.source, re.M) and f'check("{qid}", {qid})' in sol.source
        assert cells[k - 1].cell_type == "markdown" and f"({qid})" in cells[k - 1].source
        assert re.search(r"\*Answer in [^*]+\.\*", cells[k - 1].source), \
            f"{name} {qid}: the question says the unit and the decimals of the answer"
    assert "expected" not in "".join(c.source for c in cells if c.cell_type == "code" and not _is_solution(c)
                                     and c is not setup), f"{name}: an expected value in a student's cell"


@pytest.mark.parametrize("name", SERIES)
def test_closes_with_a_recap(name):
    nb = _read(NB_DIR / f"{name}.ipynb")
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## Recap"), f"{name} must end with a recap"


def _practice_namespace(name: str, scenario) -> tuple[dict, list]:
    """Run a practice notebook's parameters, validation and exercise cells in this process, with
    ``scenario`` injected; returns the namespace and [(cell kind, record)] of every check."""
    import contextlib
    import io

    import IPython
    import IPython.display

    nb = _read(NB_DIR / f"{name}.ipynb")
    i = next(k for k, c in enumerate(nb.cells) if "parameters" in _tags(c))
    validation = next(c for c in nb.cells[i + 1:] if c.cell_type == "code")
    ns: dict = {}
    seen: list = []
    orig = IPython.get_ipython, IPython.display.display
    IPython.get_ipython = lambda: object()
    IPython.display.display = lambda data, raw=False: seen.append(data[RECORD_MIME])
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(nb.cells[i].source, ns)
            ns["scenario"] = scenario
            exec(validation.source, ns)
            for c in nb.cells[_exercise_start(nb):]:
                if c.cell_type == "code":
                    before = len(seen)
                    exec(c.source, ns)
                    kind = "solution" if _is_solution(c) else "student"
                    seen[before:] = [(kind, r) for r in seen[before:]]
    finally:
        IPython.get_ipython, IPython.display.display = orig
    return ns, seen


def _no_leakage_file(tmp_path) -> Path:
    sc = dataclasses.replace(load_scenario("seed-demo"), name="no-leakage", leakage=None)
    return save_scenario(sc, tmp_path / "no_leakage.toml")


@pytest.mark.parametrize("scenario", scenario_names() + ["no-leakage"])
@pytest.mark.parametrize("name", SERIES)
def test_the_solutions_are_right_and_the_empty_answers_are_not_answered(name, scenario, tmp_path):
    scenario = str(_no_leakage_file(tmp_path)) if scenario == "no-leakage" else scenario
    _, seen = _practice_namespace(name, scenario)
    qids = list(questions(name))
    student = [r for kind, r in seen if kind == "student"]
    solution = [r for kind, r in seen if kind == "solution"]
    assert [r["question"] for r in student] == qids and [r["question"] for r in solution] == qids
    assert all(r["verdict"] == "unanswered" and r["value"] is None for r in student), student
    wrong = [r for r in solution if r["verdict"] != "right"]
    assert not wrong, f"{name} on {scenario}: solutions the checker does not accept: {wrong}"


def test_notebook_00_introduces_the_series_and_the_glossary():
    from aftersales.course.tables import binder_url, glossary_table, series_table
    from aftersales.course.toc import series

    nb = _read(NB_DIR / "00_start_here.ipynb")
    text = "\n".join(c.source for c in nb.cells)
    assert "series_table(" in text and "glossary_table()" in text
    assert binder_url("00_start_here.ipynb") in text and "environment.yml" in text
    ids = [e.id for e in series()]
    assert ids == [f"{k:02d}" for k in range(8)], ids
    e07 = series()[7]
    assert (e07.file, e07.title, e07.title_zh) == (
        "07_real_customers.ipynb", "Real customers: retention, repeat buying and what the closed form misses",
        "真实客户：留存、复购与闭式公式遗漏了什么")
    table = series_table("both")
    assert list(table.index) == ids and table.loc["07", "标题"] == e07.title_zh
    g = glossary_table()
    assert {"value leakage", "customer lifetime value"} <= set(g["English"])
    assert "价值泄漏" in set(g["中文"])


@pytest.mark.parametrize("name", ["00_start_here", "01_value_leakage"])
def test_formulas_are_rendered_and_numbered_with_references(name):
    text = "\n".join(c.source for c in _read(NB_DIR / f"{name}.ipynb").cells if c.cell_type == "markdown")
    tags = re.findall(r"\\tag\{(\d+)\}", text)
    assert tags and tags == [str(k) for k in range(1, len(tags) + 1)], f"{name}: formulas numbered 1..n"
    for t in tags:
        assert f"({t})" in text.replace(f"\\tag{{{t}}}", ""), f"{name}: the prose refers to formula ({t})"
    assert "**References.**" in text and "source article" in text


def test_tables_show_a_free_service_margin_as_not_applicable():
    from aftersales.course.tables import services_table

    sc = apply_parameter(load_scenario("seed-demo"), "service[Basic remake].price", 0.0)
    table = services_table(sc)
    assert table.loc["Basic remake", "gross margin"] == "n/a: free service"
    assert table.loc["Designer remake", "gross margin"] == "65.5%"
    assert services_table(sc, lang="zh").loc["基础旧衣改造", "毛利率"] == "不适用：免费服务"


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
    """Every papermill run of this file, executed once, two at a time. {(name, case): result}.

    No run uses the default parameters: nbval executes each notebook once with those."""
    tmp = tmp_path_factory.mktemp("papermill")
    variant = _variant_scenario(tmp / "variant.toml")
    jobs = {}
    for name in SERIES:
        cases = {"variant": {"scenario": str(variant), "acceptance_multiplier": VARIANT_MULTIPLIER}}
        cases.update({k: params for k, (params, _) in INVALID.items() if _invalid_case_applies(name, k)})
        for case, params in cases.items():
            jobs[(name, case)] = {"input": str(NB_DIR / f"{name}.ipynb"),
                                  "output": str(tmp / f"{name}.{case}.ipynb"),
                                  "parameters": params, "cwd": str(NB_DIR)}
    no_leakage = _no_leakage_file(tmp)
    jobs[("01_value_leakage", "no_leakage")] = {
        "input": str(NB_DIR / "01_value_leakage.ipynb"), "output": str(tmp / "01.no_leakage.ipynb"),
        "parameters": {"scenario": str(no_leakage)}, "cwd": str(NB_DIR)}
    assert all(job["parameters"] for job in jobs.values()), "a papermill run with the default parameters"
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
            results[key]["output"] = jobs[key]["output"]
    results["variant_path"] = variant
    results["no_leakage_path"] = no_leakage
    return results


def _record(result: dict, name: str) -> dict:
    if "error" in result:
        raise AssertionError(f"{name} failed under papermill: {result['error']}")
    recs = [r for r in result["records"]["figures"] if r.get("notebook") == name]
    assert len(recs) == 1, f"{name} must record its key figures exactly once, found {len(recs)}"
    return recs[0]


def _assert_matches_library(rec: dict, sc, name: str) -> None:
    expected = key_figures(sc, rec["figures"])
    for path, value in rec["figures"].items():
        assert value == pytest.approx(expected[path], rel=1e-12, abs=1e-9), \
            f"{name}: recorded {path} = {value}, aftersales.evaluate gives {expected[path]}"


def _variant_sc(runs, name):
    sc = scenario_from_parameters(str(runs["variant_path"]), acceptance_multiplier=VARIANT_MULTIPLIER)
    return sc


@pytest.mark.slow
@pytest.mark.parametrize("name", SERIES)
def test_variant_run_records_the_library_figures_and_they_moved(runs, name):
    var = _record(runs[(name, "variant")], name)
    _assert_matches_library(var, _variant_sc(runs, name), name)
    key, sign = MOVES[name]
    assert key in var["figures"], f"{name} must record {key}"
    default = key_figures(load_scenario("seed-demo"), [key])[key]
    assert (var["figures"][key] - default) * sign > 0, \
        f"{name}: {key} did not move as expected ({default} -> {var['figures'][key]})"


@pytest.mark.slow
@pytest.mark.parametrize("name", SERIES)
def test_variant_run_solutions_are_right_and_each_record_shows_once(runs, name):
    result = runs[(name, "variant")]
    assert "error" not in result, f"{name} failed under papermill: {result.get('error')}"
    out = _read(Path(result["output"]))
    checks = result["records"]["checks"]
    by_kind = {"solution": [], "student": []}
    for c in checks:
        by_kind["solution" if _is_solution(out.cells[c["cell"]]) else "student"].append(c)
    qids = list(questions(name))
    assert [c["question"] for c in by_kind["student"]] == qids
    assert all(c["verdict"] == "unanswered" for c in by_kind["student"])
    assert [(c["question"], c["verdict"]) for c in by_kind["solution"]] == [(q, "right") for q in qids]
    rec_cell = next(c for c in out.cells if c.cell_type == "code" and "record(key_figures(" in c.source)
    assert len(rec_cell.outputs) == 1, f"{name}: the key-figures cell shows {len(rec_cell.outputs)} outputs"


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
def test_leakage_notebook_runs_without_a_leakage_table(runs):
    """Without [leakage], 01 builds the example from the brand, says so, and records its figures."""
    from aftersales.model.leakage import leakage

    result = runs[("01_value_leakage", "no_leakage")]
    rec = _record(result, "01_value_leakage")
    assert rec["extra"]["leakage_from_brand"] is True
    lk, note = leakage_inputs(load_scenario(str(runs["no_leakage_path"])))
    fig = leakage(lk)
    assert lk.original_price == 1800.0 and lk.items_per_year == pytest.approx(23_040)
    for path, value in rec["figures"].items():
        method, _, scale, figure = path.split(".")
        assert value == pytest.approx(leakage(lk, method)[scale][figure], rel=1e-12), path
    assert rec["figures"]["corrected.leakage.per_item.traditional_recovery"] == pytest.approx(270)
    assert fig["annual"]["leakage_vs_price"] == pytest.approx((1800 - 270) * 23_040)
    out = _read(Path(result["output"]))
    printed = "".join(o.get("text", "") for c in out.cells if c.cell_type == "code" for o in c.outputs)
    assert "no [leakage] table, so the example is built from its brand" in printed
    assert [c["verdict"] for c in result["records"]["checks"]].count("right") == len(questions("01_value_leakage"))
