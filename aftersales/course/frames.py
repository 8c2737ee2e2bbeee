"""Tables a notebook builds itself, shown in the notebook's language.

A cell computes a DataFrame from the model (English column names, as the model and the cell name
them) and shows it with :func:`show`: in English styled as the cell asks (``formats``); in Chinese
the same numbers formatted the same way, with the columns, services, kinds and figures under the
glossary's Chinese names (:func:`zh_text`) and True/False as 是/否.
"""
from __future__ import annotations

from typing import Any

from aftersales.glossary import check_lang

__all__ = ["zh_text", "show", "ranges_table"]


def zh_text(text: Any) -> Any:
    """The Chinese of a table's text (a column, an index entry, a cell) if the glossary knows it:
    a notebook column (``TABLE_WORDS``), a shipped service or scenario, a figure of the comparison
    table, a glossary key; other values as they are."""
    from aftersales.glossary import SCENARIO_NAMES, SERVICE_NAMES, has_label, label
    from aftersales.glossary.notebook_labels import TABLE_WORDS
    from aftersales.model.evaluation import BOUND_ROWS, COMPARISON_ROWS

    if isinstance(text, bool):
        return "是" if text else "否"
    if not isinstance(text, str):
        return text
    if text in TABLE_WORDS:
        return TABLE_WORDS[text]
    if text in SERVICE_NAMES:
        return SERVICE_NAMES[text]
    if text in SCENARIO_NAMES:
        return SCENARIO_NAMES[text]
    for rows in (COMPARISON_ROWS, BOUND_ROWS):
        for name, key, _ in rows:
            if text == name:
                return label(key, "zh")
    return label(text, "zh") if has_label(text) else text


def _formatted(v, fmt, na_rep):
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return na_rep
    return fmt.format(v) if fmt and not isinstance(v, (str, bool)) else zh_text(v)


def show(df, lang: str = "en", formats: dict | str | None = None, subset: list | None = None,
         na_rep: str | None = None, left: list | None = None):
    """``df`` as the notebook shows it.

    English: ``df.style.format(formats, subset=subset, na_rep=na_rep)`` (and ``left``: columns of
    long text, aligned left and wrapped). Chinese: a DataFrame of text, formatted alike, in Chinese.
    """
    check_lang(lang)
    if lang != "zh":
        st = df.style.format(formats, subset=subset, na_rep=na_rep)
        if left:
            st = st.set_properties(subset=left, **{"text-align": "left", "white-space": "normal"})
        return st
    out = df.copy().astype(object)
    na = "-" if na_rep is None else na_rep
    for col in df.columns:
        if isinstance(formats, dict):
            fmt = formats.get(col)
        else:
            fmt = formats if subset is None or col in subset else None
        out[col] = [_formatted(v, fmt, na) for v in df[col]]
    out.columns = [zh_text(c) for c in df.columns]
    out.index = [zh_text(i) for i in df.index]
    out.index.name = zh_text(df.index.name) if df.index.name else None
    return out


def ranges_table(ranges, lang: str = "en"):
    """The ranges (:func:`aftersales.model.ranges.effective_ranges`) as a matrix: one row per service
    kind, one column per input, "low-high" (prices in yuan, shares in %), "not given" where none is."""
    import pandas as pd

    from aftersales.glossary import input_label, label

    check_lang(lang)
    yuan = label("yuan_axis", lang)
    matrix = pd.DataFrame({kind: {key: f"{r.low:,.0f}-{r.high:,.0f} {yuan}" if key == "price"
                                  else f"{r.low:.0%}-{r.high:.0%}" for key, r in inputs.items()}
                           for kind, inputs in ranges.items()}).T
    if lang != "zh":
        return matrix.fillna("not given")
    matrix = matrix.fillna(zh_text("not given"))
    matrix.columns = [input_label(c, lang) for c in matrix.columns]
    matrix.index = [zh_text(k) for k in matrix.index]
    return matrix
