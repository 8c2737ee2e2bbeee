"""After-sales case records: one import for the schema, the alias table, reading, cleaning, writing.

One row is one after-sales case (售后工单). The canonical CSV has the columns of
:data:`CASE_COLUMNS`, ISO dates (YYYY-MM-DD) and plain numbers (yuan). A shop's
back-office exports are shaped differently (Chinese headers, GBK text or .xlsx,
date-times, amounts such as ``¥1,280.00``); :func:`read_cases` maps them onto the
canonical columns through the alias table.

The code lives by concept: :mod:`~aftersales.segment.schema` (columns, closed lists),
:mod:`~aftersales.segment.aliases`, :mod:`~aftersales.segment.readers` (sources and
encodings), :mod:`~aftersales.segment.parsing` (vectorised cells),
:mod:`~aftersales.segment.cleaning` (nothing lost: rows in = clean + set aside) and
:mod:`~aftersales.segment.writers`. This module re-exports them.

Cost of a case = logistics_cost + handling_cost + discount_loss (yuan);
net of a case = service_revenue - cost (yuan). refund_amount is money handed
back for the item, not a cost of after-sales, and is kept for information.
"""
from __future__ import annotations

from aftersales.segment.aliases import Aliases, load_aliases
from aftersales.segment.cleaning import CleanResult, clean_cases, clean_chunk, load_cases
from aftersales.segment.parsing import (as_numpy, as_table, map_labels, parse_dates,  # noqa: F401
                                        parse_numbers, text_column)
from aftersales.segment.readers import read_cases, read_source
from aftersales.segment.schema import (CASE_COLUMNS, CASE_TYPES, EXPORT_DATE_FORMATS, ID_COLUMNS,
                                       LABEL_COLUMNS, MONEY_COLUMNS, REASONS, RETURN_TYPES,
                                       SET_ASIDE_COLUMNS, SET_ASIDE_REASONS, UNKNOWN, label_key,  # noqa: F401
                                       data_path)
from aftersales.segment.writers import write_csv

__all__ = [
    "CASE_COLUMNS", "ID_COLUMNS", "MONEY_COLUMNS", "LABEL_COLUMNS", "CASE_TYPES", "REASONS",
    "RETURN_TYPES", "SET_ASIDE_REASONS", "SET_ASIDE_COLUMNS", "EXPORT_DATE_FORMATS", "UNKNOWN", "Aliases",
    "CleanResult", "load_aliases", "read_cases", "read_source", "clean_cases", "clean_chunk", "load_cases",
    "write_csv", "data_path",
]
