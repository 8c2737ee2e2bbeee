"""The canonical case columns, closed label lists and set-aside reasons (no I/O).

Two grains of setting aside:

- a **case** is set aside (with its reason, file, source row and whatever cost could be read)
  when it cannot be counted: no case_id, a duplicate case_id, no date, or a cost amount that
  is not a number >= 0 (:data:`SET_ASIDE_REASONS`);
- a **field** is set aside when only that field is unusable: the case stays, its cost lands in
  the ``unknown`` layer of that dimension, and the field is listed in the unattributed report
  (:data:`FIELD_REASONS`): an empty order_id or customer_id, an empty or unknown channel,
  category, case_type or reason, a bad item_price or refund_amount, satisfaction not 1-5,
  resolution_days not a number >= 0.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

#: The canonical columns of a case file, in order.
CASE_COLUMNS = ("case_id", "order_id", "customer_id", "opened_at", "channel", "category",
                "case_type", "reason", "item_price", "refund_amount", "logistics_cost",
                "handling_cost", "discount_loss", "service_revenue", "satisfaction",
                "resolution_days")
ID_COLUMNS = ("case_id", "order_id", "customer_id")
#: Amounts in yuan: numbers >= 0; an empty cell or ``-`` is none (0 yuan).
MONEY_COLUMNS = ("item_price", "refund_amount", "logistics_cost", "handling_cost",
                 "discount_loss", "service_revenue")
LABEL_COLUMNS = ("channel", "category", "case_type", "reason")
#: Amounts that make the cost or the net of a case: a case whose amount here is unreadable is set aside.
COST_COLUMNS = ("logistics_cost", "handling_cost", "discount_loss", "service_revenue")
#: Closed list of case types (退货/退货退款, 换货, 维修/保修, 投诉, 改造, 清洗, 存储, 仅退款).
CASE_TYPES = ("return", "exchange", "repair", "complaint", "remake", "deep_clean", "storage",
              "refund_only")
#: Case types that send an item back (they count for the return rate).
RETURN_TYPES = ("return", "exchange")
#: Closed list of reasons (尺码不合适, 质量问题, 描述不符, 物流延误, 运输损坏, 不想要了, 色差, 其他).
REASONS = ("size_fit", "quality_defect", "description_mismatch", "logistics_delay",
           "transit_damage", "changed_mind", "color_difference", "other")
#: The fields whose values come from a closed list, with that list.
CLOSED_FIELDS = {"case_type": CASE_TYPES, "reason": REASONS}
#: The layer a case's cost lands in when a dimension's field is empty or not known.
UNKNOWN = "unknown"
#: Columns a source may leave out (read as empty); the others must be present.
OPTIONAL_COLUMNS = ("order_id", "customer_id", "channel", "category", "reason", "item_price",
                    "refund_amount", "logistics_cost", "handling_cost", "discount_loss",
                    "service_revenue", "satisfaction", "resolution_days")
REQUIRED_COLUMNS = tuple(c for c in CASE_COLUMNS if c not in OPTIONAL_COLUMNS)

#: Why a case is set aside, in the order the checks apply (a row gets the first that fits).
#: The last three are field-level since version 0.3 and listed for set-aside files written before.
SET_ASIDE_REASONS = ("missing_id", "duplicate_case_id", "bad_date", "non_numeric_money",
                     "negative_money", "unknown_label", "satisfaction_out_of_range",
                     "bad_resolution_days")
#: Why a field's attribution is set aside (the case stays; see the module docstring).
FIELD_REASONS = ("missing_id", "unknown_label", "non_numeric_money", "negative_money",
                 "satisfaction_out_of_range", "bad_resolution_days")
#: Columns added to set-aside rows; a set-aside file loads again with them present.
#: set_aside_cost: the cost of the case as far as its amounts could be read (yuan).
SET_ASIDE_COLUMNS = ("set_aside_reason", "set_aside_detail", "source_file", "source_row",
                     "set_aside_cost")
#: Columns of the unattributed report (one row per case and field set aside).
UNATTRIBUTED_COLUMNS = ("source_file", "source_row", "case_id", "field", "value", "reason", "cost")
#: Columns a loader ignores because it derives them (cost, net) or wrote them (set-aside info).
DERIVED_COLUMNS = ("cost", "net", "customer_tier") + SET_ASIDE_COLUMNS
#: Date formats accepted in every source, each also with a time of day (``2024-03-05 14:23:11``,
#: ``2024/3/5 9:05``, ``2024-03-05T14:23:11``); the day is kept.
EXPORT_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
#: What a money amount may carry besides its number (stripped before parsing), and a plain number.
CURRENCY_PATTERN = r"(?i)[¥￥$,\s]|元|RMB|CNY"
NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"


def data_path(name: str | os.PathLike) -> Path:
    """A path as given if it exists, else the file of that name in the project's ``data`` folder."""
    from aftersales.model.scenario import DATA_DIR

    p = Path(name)
    if p.exists() or p.is_absolute():
        return p
    q = DATA_DIR / p
    return q if q.exists() else p


def label_key(label: str) -> str:
    """How labels are compared: trimmed, case-folded, runs of space/_/- as one underscore."""
    return re.sub(r"[\s_\-]+", "_", str(label).strip().casefold())




#: The other sources, each in its own shape, joined to the cases on their keys.
ORDER_COLUMNS = ("order_id", "customer_id", "ordered_at", "channel", "category", "amount",
                 "refund_amount")
ORDER_REQUIRED = ("order_id", "customer_id", "ordered_at", "amount")
#: A repair record (维修记录): joined to its case by case_id; one without a case is a repair case.
REPAIR_COLUMNS = ("repair_id", "case_id", "order_id", "customer_id", "opened_at", "channel",
                  "category", "reason", "repair_cost", "logistics_cost", "service_revenue")
REPAIR_REQUIRED = ("repair_id", "opened_at", "repair_cost")
#: A customer feedback row (评价/回访): its satisfaction joined to the case (case_id, else order_id).
FEEDBACK_COLUMNS = ("feedback_id", "case_id", "order_id", "satisfaction", "comment")
FEEDBACK_REQUIRED = ("satisfaction",)
#: Every canonical column name any source may have (the alias table maps headers onto these).
ALL_COLUMNS = tuple(dict.fromkeys(CASE_COLUMNS + ORDER_COLUMNS + REPAIR_COLUMNS + FEEDBACK_COLUMNS))
