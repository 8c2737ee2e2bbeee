"""The model: numbers only.

Scenario files and their dataclasses, the vectorised kernel that computes every figure by
the two methods (``seed``, the article's code; ``corrected``, its flaws fixed), the
lifecycle and LTV formulas, the value leakage of a return, sensitivity and goal seek, the
Monte Carlo, and the article's own printed figures. Nothing here draws, prints or imports
the course, segmentation, teacher or web rooms.

Money is in yuan (CNY) a year unless said, shares are 0-1, frequencies are per year; the
formulas are in docs/model.md. The source of every figure is the seed article
"服装品牌售后部门转型" (after-sales, from cost centre to profit channel).

Examples
--------
>>> from aftersales.model import evaluate, goal_seek
>>> round(evaluate("seed-demo", "seed")["service_revenue"])
8838400
>>> round(goal_seek("seed-demo", "scale.acceptance").value, 4)    # break-even acceptance multiplier
1.261
"""
from aftersales.model.inputs import (BILLINGS, SERVICE_KINDS, Brand, LeakageInputs, Range, Scenario,
                                     Service, TraditionalCosts, ValueAddedCosts)
from aftersales.model.scenario import (ScenarioError, dumps_scenario, load_scenario, save_scenario,
                                       scenario_from_dict, scenario_names, scenario_path)
from aftersales.model.kernel import METHODS, apply_parameter, parameter_names
from aftersales.model.evaluation import Evaluation, comparison_table, evaluate, evaluate_both, verdict
from aftersales.model.leakage import leakage, leakage_per_item
from aftersales.model.sensitivity import (GoalSeekResult, compare_scenarios, evaluate_variants, goal_seek,
                                          grid, tornado)
from aftersales.model.article import gap_table, margin_table, storage_billed_per_use
from aftersales.model.lifecycle import (closed_form_ltv, lifetime_multiplier, repurchase_with_services,
                                        wakeup_share)

__all__ = ["BILLINGS", "SERVICE_KINDS", "Brand", "LeakageInputs", "Range", "Scenario", "Service",
           "TraditionalCosts", "ValueAddedCosts", "ScenarioError", "dumps_scenario", "load_scenario",
           "save_scenario", "scenario_from_dict", "scenario_names", "scenario_path", "METHODS", "apply_parameter",
           "parameter_names", "Evaluation", "comparison_table", "evaluate", "evaluate_both", "verdict",
           "leakage", "leakage_per_item", "closed_form_ltv", "lifetime_multiplier",
           "repurchase_with_services", "wakeup_share", "GoalSeekResult", "compare_scenarios",
           "evaluate_variants", "goal_seek", "grid", "tornado", "gap_table", "margin_table",
           "storage_billed_per_use"]
