"""The model: numbers only.

Scenario files and their dataclasses, the vectorised kernel that computes every figure by
the two methods (``seed``, the article's code; ``corrected``, its flaws fixed), the
lifecycle and LTV formulas, the value leakage of a return, sensitivity and goal seek, the
Monte Carlo, and the article's own printed figures. Nothing here draws, prints or imports
the course, segmentation, teacher or web rooms.
"""
from aftersales.model.inputs import (BILLINGS, SERVICE_KINDS, Brand, LeakageInputs, Range, Scenario,
                                     Service, TraditionalCosts, ValueAddedCosts)
from aftersales.model.scenario import (ScenarioError, dumps_scenario, load_scenario, save_scenario,
                                       scenario_names, scenario_path)
from aftersales.model.kernel import METHODS, apply_parameter, parameter_names
from aftersales.model.evaluation import Evaluation, comparison_table, evaluate, evaluate_both, verdict
from aftersales.model.leakage import leakage, leakage_per_item
from aftersales.model.lifecycle import (closed_form_ltv, lifetime_multiplier, repurchase_with_services,
                                        wakeup_share)

__all__ = ["BILLINGS", "SERVICE_KINDS", "Brand", "LeakageInputs", "Range", "Scenario", "Service",
           "TraditionalCosts", "ValueAddedCosts", "ScenarioError", "dumps_scenario", "load_scenario",
           "save_scenario", "scenario_names", "scenario_path", "METHODS", "apply_parameter",
           "parameter_names", "Evaluation", "comparison_table", "evaluate", "evaluate_both", "verdict",
           "leakage", "leakage_per_item", "closed_form_ltv", "lifetime_multiplier",
           "repurchase_with_services", "wakeup_share"]
