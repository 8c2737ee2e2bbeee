"""aftersales: after-sales economics for fashion brands, for teaching.

The model (dataclasses), the scenario files, both calculation methods (``seed``:
the article's code, flaws included; ``corrected``: the flaws fixed) and the
analyses the notebooks use. Importing this package stays light: pandas,
matplotlib and ipywidgets are imported only by the functions that need them.
"""
from aftersales.model.inputs import (BILLINGS, SERVICE_KINDS, Brand, LeakageInputs, Range, Scenario, Service,
                    TraditionalCosts, ValueAddedCosts)
from aftersales.model.scenario import ScenarioError, load_scenario, save_scenario, scenario_names
from aftersales.model.evaluation import Evaluation, comparison_table, evaluate, evaluate_both, verdict

__version__ = "0.1.0"

__all__ = ["BILLINGS", "SERVICE_KINDS", "Brand", "LeakageInputs", "Range", "Scenario", "Service",
           "TraditionalCosts", "ValueAddedCosts", "ScenarioError", "load_scenario", "save_scenario",
           "scenario_names", "Evaluation", "evaluate", "evaluate_both", "comparison_table", "verdict"]
