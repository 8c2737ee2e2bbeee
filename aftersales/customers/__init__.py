"""Real customers: transaction logs, the BG/NBD repeat-buying model, retention and lifetime value.

The course's closed form assumes one yearly repurchase probability for everyone (geometric
retention). This room measures what real customers do (the CDNOW log carried by the PyPI
package ``lifetimes``, read as a data file) and fits BG/NBD (Fader, Hardie and Lee 2005) with
numpy and scipy. scipy is imported only by the functions that need it.
"""
from aftersales.customers.data import (CDNOW_CALIBRATION_END, REQUIRED_COLUMNS, TransactionLog,
                                       TransactionLogError, cdnow_path, load_cdnow, read_transactions)
from aftersales.customers.summary import FREQ_DAYS, CustomerSummary, summarise
from aftersales.customers.bgnbd import (BGNBD, conditional_expected_purchases, expected_purchases, fit_bgnbd,
                                        log_likelihood, prob_alive, simulate_bgnbd)
from aftersales.customers.retention import REPURCHASE_DAYS, quarterly_retention, repurchase_curve
from aftersales.customers.ltv import LTV_YEARS, bgnbd_value, closed_form_value, first_year_inputs, observed_value
from aftersales.customers.report import customer_report, default_calibration_end, tracking

__all__ = ["CDNOW_CALIBRATION_END", "REQUIRED_COLUMNS", "TransactionLog", "TransactionLogError", "cdnow_path",
           "load_cdnow", "read_transactions", "FREQ_DAYS", "CustomerSummary", "summarise", "BGNBD",
           "conditional_expected_purchases", "expected_purchases", "fit_bgnbd", "log_likelihood", "prob_alive",
           "simulate_bgnbd", "REPURCHASE_DAYS", "quarterly_retention", "repurchase_curve", "LTV_YEARS",
           "bgnbd_value", "closed_form_value", "first_year_inputs", "observed_value", "customer_report",
           "default_calibration_end", "tracking"]
