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
    """The Chinese of a table's text (a column, an index entry, a cell) if the glossary knows it.

    Parameters
    ----------
    text : object
        A column name, an index entry or a cell value. Strings are looked up, in this order, as
        a notebook column (``TABLE_WORDS``), a shipped service, a shipped scenario, a figure of
        the comparison or bounds table, a glossary key; ``True``/``False`` become 是/否.

    Returns
    -------
    object
        The Chinese text if one of those knows ``text``; otherwise ``text`` itself, unchanged
        (numbers, ``None`` and unknown strings pass through).

    Notes
    -----
    The first table that knows the word wins, so a notebook column's Chinese (``TABLE_WORDS``)
    takes precedence over a glossary label of the same key.

    Examples
    --------
    >>> zh_text("price"), zh_text("Seasonal storage"), zh_text(True)
    ('价格(元)', '季节性存储', '是')
    >>> zh_text(1200), zh_text("not a known word")
    (1200, 'not a known word')
    """
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
    """``df`` as the notebook shows it, in the notebook's language.

    Parameters
    ----------
    df : pandas.DataFrame
        The table a cell computed, with English column and index names.
    lang : {"en", "zh"}, optional
        The notebook's language (default ``"en"``).
    formats : dict of str to str, str or None, optional
        Format strings such as ``"{:,.0f}"``: one per column (a dict), or one for every column
        (a str; only those in ``subset`` if given). ``None`` (default): values as they are.
    subset : list or None, optional
        The columns a single ``formats`` string applies to (default: all).
    na_rep : str or None, optional
        Text for missing values; ``None`` (default) leaves them to pandas in English and shows
        ``"-"`` in Chinese.
    left : list or None, optional
        Columns of long text, aligned left and wrapped (English only).

    Returns
    -------
    pandas.io.formats.style.Styler or pandas.DataFrame
        English: ``df.style.format(formats, subset=subset, na_rep=na_rep)``. Chinese: a new
        DataFrame of text, each number formatted the same way, columns, index and text cells in
        Chinese (:func:`zh_text`); ``df`` itself is not changed.

    Raises
    ------
    ValueError
        If ``lang`` is not a language of the glossary.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"price": [1200.0, None], "acceptance": [0.3, 0.25]},
    ...                   index=["repair", "storage"])
    >>> fmt = {"price": "{:,.0f}", "acceptance": "{:.0%}"}
    >>> type(show(df, "en", fmt)).__name__
    'Styler'
    >>> zh = show(df, "zh", fmt)
    >>> list(zh.columns), list(zh.index)
    (['价格(元)', '客户接受度'], ['修补翻新', '季节性存储'])
    >>> zh.values.tolist()
    [['1,200', '30%'], ['-', '25%']]
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
    """The input ranges as a matrix: one row per service kind, one column per input.

    Parameters
    ----------
    ranges : dict of str to dict of str to Range
        Ranges per service kind and input, as :func:`aftersales.model.ranges.effective_ranges`
        returns them.
    lang : {"en", "zh"}, optional
        Language of the headers and of "not given" (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Text cells "low-high": prices in yuan, usage per user as a multiplier of each
        service's own value ("x0.8 - x1.2", Chinese "0.8 倍 - 1.2 倍"), every other input in %;
        "not given" (未给出) where a kind has no range for an input.

    Raises
    ------
    ValueError
        If ``lang`` is not a language of the glossary.

    Notes
    -----
    Usage per user has no range in the article; the course's (+-20 % around each service's own
    value) is a multiplier, not a share, so it is printed as one: under the one range rule a
    range [lo, hi] with midpoint m swings a service's value v to v lo / m and v hi / m, and the
    cell shows x(lo / m) - x(hi / m) (the course's [0.8, 1.2] has m = 1: "x0.8 - x1.2"; a
    scenario's own usage range of 2-4 uses a year reads "x0.667 - x1.33").

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), its service matrix (增值服务矩阵): the
       price, acceptance, margin and wake-up ranges per service kind.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> from aftersales.model.ranges import effective_ranges
    >>> ranges = effective_ranges(load_scenario("seed-demo"))
    >>> table = ranges_table(ranges)
    >>> table.loc["remake", ["price", "acceptance"]].tolist()
    ['200-800 yuan', '15%-25%']
    >>> table.loc["storage", "wakeup_rate"], table.loc["storage", "uses_per_user_per_year"]
    ('not given', 'x0.8 - x1.2')
    >>> ranges_table(ranges, "zh").loc["季节性存储", ["唤醒率", "人均年使用次数"]].tolist()
    ['未给出', '0.8 倍 - 1.2 倍']
    """
    import pandas as pd

    from aftersales.glossary import input_label, label

    check_lang(lang)
    yuan = label("yuan_axis", lang)

    def cell(key: str, r) -> str:
        if key == "price":
            return f"{r.low:,.0f}-{r.high:,.0f} {yuan}"
        if key == "uses_per_user_per_year":  # a multiplier of each service's own value
            m = r.mid
            lo, hi = (r.low / m, r.high / m) if m else (1.0, 1.0)
            return f"{lo:.3g} 倍 - {hi:.3g} 倍" if lang == "zh" else f"x{lo:.3g} - x{hi:.3g}"
        return f"{r.low:.0%}-{r.high:.0%}"

    matrix = pd.DataFrame({kind: {key: cell(key, r) for key, r in inputs.items()}
                           for kind, inputs in ranges.items()}).T
    if lang != "zh":
        return matrix.fillna("not given")
    matrix = matrix.fillna(zh_text("not given"))
    matrix.columns = [input_label(c, lang) for c in matrix.columns]
    matrix.index = [zh_text(k) for k in matrix.index]
    return matrix
