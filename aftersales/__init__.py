"""aftersales: after-sales economics for fashion brands, for teaching.

The front door of the library: the scenario dataclasses and files, both calculation methods
(``seed``: the article's code, flaws included; ``corrected``: the flaws fixed), the leakage of a
discounted return and the what-if tools. Everything here is numbers (:mod:`aftersales.model`);
the rooms for other audiences are subpackages: :mod:`aftersales.customers` (real customers),
:mod:`aftersales.course` (the notebooks' set-up, exercises, charts and explorers),
:mod:`aftersales.segment` (after-sales records), :mod:`aftersales.teacher` (variants and
grading), :mod:`aftersales.web` (app and site) and :mod:`aftersales.cli` (the only place that
prints); :mod:`aftersales.glossary` holds the labels, in English and Chinese, and the number
formats the rooms share, and :mod:`aftersales.resources` the package data. docs/architecture.md
describes the house, and what the glossary owns and what stays in the rooms.

Importing this package stays light: numpy only; pandas, matplotlib and ipywidgets are imported
by the functions that need them.

Examples
--------
>>> import aftersales
>>> ev = aftersales.evaluate("seed-demo")
>>> f"{ev['total_effect'] / 1e4:,.1f} wan yuan a year"
'891.8 wan yuan a year'
"""
from aftersales.model.inputs import (BILLINGS, SERVICE_KINDS, Brand, LeakageInputs, Range, Scenario, Service,
                                     TraditionalCosts, ValueAddedCosts)
from aftersales.model.scenario import ScenarioError, load_scenario, save_scenario, scenario_names
from aftersales.model.evaluation import Evaluation, comparison_table, evaluate, evaluate_both, verdict
from aftersales.model.leakage import leakage, leakage_per_item
from aftersales.model.sensitivity import GoalSeekResult, goal_seek, grid, tornado

#: The package's version (the one in pyproject.toml; a test holds them equal).
__version__ = "0.2.0"

__all__ = ["BILLINGS", "SERVICE_KINDS", "Brand", "LeakageInputs", "Range", "Scenario", "Service",
           "TraditionalCosts", "ValueAddedCosts", "ScenarioError", "load_scenario", "save_scenario",
           "scenario_names", "Evaluation", "evaluate", "evaluate_both", "comparison_table", "verdict",
           "leakage", "leakage_per_item", "GoalSeekResult", "goal_seek", "grid", "tornado"]
