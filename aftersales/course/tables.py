"""Tables for the notebooks, formatted here so the cells a student reads show the economics.

Each function returns a pandas DataFrame of text, ready to display: numbers with separators,
money in yuan or 万 yuan, shares as percentages, and "n/a: free service" where a margin has no
meaning (a price of 0). Labels follow the glossary's language rule (``"en"``, ``"zh"``, ``"both"``).
"""
from __future__ import annotations

from aftersales.glossary import (FREE_SERVICE, check_lang, fmt_number, fmt_share, fmt_wan, label, service_name,
                                 unit_label)

__all__ = ["BINDER_REPOSITORY", "binder_url", "FREE_SERVICE", "margin_text", "series_table",
           "glossary_table", "cost_table", "services_table", "comparison_display", "leakage_inputs_table",
           "leakage_table", "wakeup_bounds_table", "case_table"]

#: The public repository Binder builds the course from (its environment.yml).
BINDER_REPOSITORY = "aftersales-course/aftersales"


def _t(en: str, zh: str, lang: str) -> str:
    check_lang(lang)
    return zh if lang == "zh" else f"{en} ({zh})" if lang == "both" else en


def binder_url(notebook: str = "00_start_here.ipynb", repository: str = BINDER_REPOSITORY,
               ref: str = "HEAD") -> str:
    """The Binder address that opens ``notebook`` in JupyterLab (Binder installs environment.yml).

    Parameters
    ----------
    notebook : str, optional
        The notebook's path under ``notebooks/`` (default ``"00_start_here.ipynb"``; the Chinese
        edition under ``zh/``).
    repository : str, optional
        The GitHub repository, ``owner/name`` (default :data:`BINDER_REPOSITORY`).
    ref : str, optional
        The branch, tag or commit Binder builds (default ``"HEAD"``).

    Returns
    -------
    str
        The mybinder.org address; nothing is checked or fetched.

    Examples
    --------
    >>> binder_url()
    'https://mybinder.org/v2/gh/aftersales-course/aftersales/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb'
    >>> binder_url("zh/03_lifecycle_extension.ipynb", ref="v1.0").split("?")[1]
    'urlpath=lab/tree/notebooks/zh/03_lifecycle_extension.ipynb'
    """
    return f"https://mybinder.org/v2/gh/{repository}/{ref}?urlpath=lab/tree/notebooks/{notebook}"


def margin_text(price: float, margin: float, lang: str = "en") -> str:
    """A gross margin as a percentage, or "n/a: free service" when the price is 0.

    Parameters
    ----------
    price : float
        The service's price, yuan.
    margin : float
        Its gross margin, share 0-1: (price - material - labour) / price.
    lang : {"en", "zh", "both"}, optional
        The language of the free-service text (default English).

    Returns
    -------
    str
        The margin with one decimal and ``%``, or the glossary's ``FREE_SERVICE`` text.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> margin_text(280.0, 180 / 280)
    '64.3%'
    >>> margin_text(0.0, 0.0)
    'n/a: free service'
    """
    check_lang(lang)
    return FREE_SERVICE[lang] if price == 0 else fmt_share(margin)


def series_table(lang: str = "both"):
    """The notebooks of the series, from the table of contents: id, title and what each teaches.

    Parameters
    ----------
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default ``"both"``); ``"both"`` writes ``English (中文)``.

    Returns
    -------
    pandas.DataFrame
        One row per notebook of :func:`aftersales.course.toc.series`, indexed by its id: the
        English and/or Chinese title and what it teaches.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> table = series_table()
    >>> table.index.name, table.columns.tolist()
    ('notebook (笔记本)', ['title', '标题', 'what it teaches (内容)'])
    >>> table.index.tolist()
    ['00', '01', '02', '03', '04', '05', '06', '07']
    """
    import pandas as pd

    from aftersales.course.toc import series

    rows = []
    for e in series():
        row = {_t("notebook", "笔记本", lang): e.id}
        if lang != "zh":
            row["title"] = e.title
        if lang != "en":
            row["标题"] = e.title_zh
        row[_t("what it teaches", "内容", lang)] = e.teaches_zh if lang == "zh" else e.teaches
        rows.append(row)
    return pd.DataFrame(rows).set_index(_t("notebook", "笔记本", lang))


def glossary_table():
    """Every term of the glossary: English, Chinese and the unit it is measured in.

    Returns
    -------
    pandas.DataFrame
        One row per term of ``aftersales.glossary.TERMS``, columns ``English``, ``中文`` and
        ``unit (单位)`` (empty where the term has no unit).

    Examples
    --------
    >>> table = glossary_table()
    >>> table.columns.tolist()
    ['English', '中文', 'unit (单位)']
    >>> len(table) > 30
    True
    """
    import pandas as pd

    from aftersales.glossary import TERMS, UNITS

    rows = [{"English": t.en, "中文": t.zh,
             "unit (单位)": "" if not t.unit else "share 0-1 (比例)" if t.unit == "share"
             else f"{UNITS[t.unit][0]} ({UNITS[t.unit][1]})"} for t in TERMS.values()]
    return pd.DataFrame(rows)


def cost_table(sc, lang: str = "en"):
    """Traditional after-sales a year: its four costs, the total and the net, in 万 yuan.

    Parameters
    ----------
    sc : Scenario
        The scenario: its traditional costs (yuan a year).
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default English); ``"both"`` writes ``English (中文)``.

    Returns
    -------
    pandas.DataFrame
        Six rows (team salaries, logistics, quality check, discounted resale loss, the total and
        the net = -total), one column of text in 万 yuan a year.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> table = cost_table(load_scenario("seed-demo"))
    >>> table.iloc[:, 0].tolist()
    ['280.0', '150.0', '80.0', '170.0', '680.0', '-680.0']
    """
    import pandas as pd

    t = sc.traditional
    names = {"team_salary": ("team salaries", "团队薪资"), "logistics": ("logistics", "物流"),
             "quality_check": ("quality check", "质检"),
             "discounted_resale_loss": ("discounted resale loss", "折价处理损失")}
    rows = [(_t(*names[k], lang), getattr(t, k)) for k in names]
    rows.append((label("traditional_cost", lang), t.total))
    rows.append((_t("traditional net", "传统售后净额", lang), -t.total))
    unit = _t("万 yuan a year", "万元/年", lang)
    return pd.DataFrame({unit: [fmt_wan(v, unit=False) for _, v in rows]}, index=[r for r, _ in rows])


def services_table(sc, lang: str = "en"):
    """The service menu of a scenario: inputs and gross margin, one row per service (in Chinese
    the services by their Chinese names, :func:`aftersales.glossary.service_name`).

    Parameters
    ----------
    sc : Scenario
        The scenario whose services are shown.
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default English); ``"both"`` writes ``English (中文)``.

    Returns
    -------
    pandas.DataFrame
        One row per service, indexed by its name: price (yuan), billing (per use, or per month x
        months a use), material + labour (yuan), gross margin, uses per user a year, acceptance
        and wake-up rate (percentages), all as text.

    Notes
    -----
    gross margin = (price - material - labour) / price; "n/a: free service" at a price of 0.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> table = services_table(load_scenario("seed-demo"))
    >>> table.loc["Seasonal storage"].tolist()
    ['40', 'per month x 5', '13', '67.5%', '0.3', '12%', '15%']
    """
    import pandas as pd

    rows = []
    for s in sc.services:
        margin = (s.price - s.material_cost - s.labor_cost) / s.price if s.price else 0.0
        per = _t("per month", "按月", lang) if s.billing == "per_month" else _t("per use", "按次", lang)
        rows.append({
            _t("service", "服务", lang): service_name(s.name, lang, s.kind) if lang == "zh" else s.name,
            _t("price, yuan", "价格（元）", lang): fmt_number(s.price, 0 if float(s.price).is_integer() else 2),
            _t("billed", "计费", lang): per + (f" x {s.months_per_use:g}" if s.billing == "per_month" else ""),
            _t("material + labour, yuan", "材料+人工（元）", lang): fmt_number(s.material_cost + s.labor_cost, 0),
            label("gross_margin", lang): margin_text(s.price, margin, lang),
            _t("uses per user a year", "每位用户年使用次数", lang): f"{s.uses_per_user_per_year:g}",
            label("acceptance", lang): fmt_share(s.acceptance, 0),
            label("wakeup_rate", lang): fmt_share(s.wakeup_rate, 0),
        })
    return pd.DataFrame(rows).set_index(_t("service", "服务", lang))


def comparison_display(sc, lang: str = "en"):
    """The seed and corrected figures side by side (``aftersales.comparison_table``), formatted;
    in ``lang`` the figures, the columns and the units are the glossary's (English: as the model names them).

    Parameters
    ----------
    sc : Scenario or str
        The scenario, a scenario name or a path.
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default English); ``"both"`` writes ``English (中文)``.

    Returns
    -------
    pandas.DataFrame
        One row per figure of ``COMPARISON_ROWS``: seed, corrected and difference as text (shares
        as percentages, other figures with two decimals) and the unit.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> table = comparison_display(load_scenario("seed-demo"))
    >>> table.loc["service revenue"].tolist()
    ['8,838,400.00', '9,299,200.00', '460,800.00', 'yuan']
    """
    from aftersales.model.evaluation import COMPARISON_ROWS, comparison_table

    check_lang(lang)
    table = comparison_table(sc)
    out = table.copy().astype(object)
    units = table["unit"] if "unit" in table else [""] * len(table)
    for col in ("seed", "corrected", "difference"):
        if col in out:
            out[col] = [fmt_share(v, 2) if u == "share" else fmt_number(v, 2) for v, u in zip(table[col], units)]
    if lang == "en":
        return out
    out["unit"] = [unit_label(u, lang) or label("share_word", lang) for u in units]
    out.index = [label(key, lang) for _, key, _ in COMPARISON_ROWS]
    out.index.name = label("figure", lang)
    return out.rename(columns={c: label(c, lang) for c in ("seed", "corrected", "difference", "unit")})


def wakeup_bounds_table(ev, lang: str = "en"):
    """:func:`aftersales.model.evaluation.wakeup_bounds` as a table: in English its rows as the model
    gives them; in another ``lang`` the glossary's names, money in 万元 (LTV in yuan), shares in %.

    Parameters
    ----------
    ev : Evaluation
        A corrected evaluation.
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default English); ``"both"`` writes ``English (中文)``.

    Returns
    -------
    pandas.DataFrame
        One row per figure, a column for each end of the overlap between services: in English the
        rows of :func:`aftersales.model.evaluation.wakeup_bounds` as numbers (``key``, ``unit``,
        ``full_overlap``, ``independent``, ``no_overlap``); otherwise formatted text.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Notes
    -----
    Share woken: full overlap max_i a_i w_i, independent 1 - prod_i (1 - a_i w_i), no overlap
    min(1, sum_i a_i w_i).

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> table = wakeup_bounds_table(evaluate(load_scenario("seed-demo")))
    >>> ends = ["full_overlap", "independent", "no_overlap"]
    >>> [round(float(v), 4) for v in table.loc["wake-up share", ends]]
    [0.112, 0.2772, 0.3114]
    """
    import pandas as pd

    from aftersales.model.evaluation import wakeup_bounds

    check_lang(lang)
    rows = wakeup_bounds(ev)
    if lang == "en":
        return pd.DataFrame(rows).set_index("figure")
    ends = ("full_overlap", "independent", "no_overlap")
    out = {}
    for r in rows:
        if r["unit"] == "share":
            name, fmt = label(r["key"], lang), (lambda v: fmt_share(v, 2))
        elif "ltv" in r["key"]:
            name, fmt = label("yuan_col", lang, name=label(r["key"], lang)), (lambda v: fmt_number(v, 2))
        else:
            name, fmt = label("wan_col", lang, name=label(r["key"], lang)), (lambda v: fmt_wan(v, unit=False))
        out[name] = {label(e, lang): fmt(r[e]) for e in ends}
    df = pd.DataFrame(out).T
    df.index.name = label("figure", lang)
    return df


def leakage_inputs_table(lk, lang: str = "en"):
    """The inputs of the value-leakage example, one row each, with their symbols.

    Parameters
    ----------
    lk : LeakageInputs
        The value-leakage example.
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default English); ``"both"`` writes ``English (中文)``.

    Returns
    -------
    pandas.DataFrame
        Seven rows (P, rho, cost of goods, n, the two remake fees and k), one column of text.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> table = leakage_inputs_table(load_scenario("seed-demo").leakage)
    >>> table.iloc[:, 0].tolist()
    ['1,500.00', '15.0%', '40.0%', '6,000', '300.00', '500.00', '100.00']
    """
    import pandas as pd

    rows = [(_t("original price P, yuan", "原价 P（元）", lang), fmt_number(lk.original_price, 2)),
            (_t("recovery rate rho, share of P", "回收率 ρ（占原价）", lang), fmt_share(lk.recovery_rate)),
            (_t("cost of goods, share of P", "商品成本（占原价）", lang), fmt_share(lk.cogs_ratio)),
            (_t("items resold a year n", "每年折价处理件数 n", lang), fmt_number(lk.items_per_year, 0)),
            (_t("remake fee, own customer, yuan", "改造费（原顾客，元）", lang),
             fmt_number(lk.remake_fee_own_customer, 2)),
            (_t("remake fee, new customer, yuan", "改造费（新顾客，元）", lang),
             fmt_number(lk.remake_fee_new_customer, 2)),
            (_t("remake unit cost k, yuan", "单件改造成本 k（元）", lang), fmt_number(lk.remake_unit_cost, 2))]
    return pd.DataFrame({_t("value", "数值", lang): [v for _, v in rows]}, index=[r for r, _ in rows])


def leakage_table(lk, lang: str = "en"):
    """The five leakage figures by both methods, per item (yuan) and a year (万 yuan).

    Parameters
    ----------
    lk : LeakageInputs
        The value-leakage example.
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default English); ``"both"`` writes ``English (中文)``.

    Returns
    -------
    pandas.DataFrame
        Five rows (:data:`aftersales.model.leakage.LEAKAGE_FIGURES`) and four columns, a
        (method, unit) pair each: seed and corrected, per item and a year, as text.

    Notes
    -----
    See :func:`aftersales.model.leakage.leakage_per_item`: the seed method leaves the remake
    cost k out of the remake recoveries; a year = per item x n.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> table = leakage_table(load_scenario("seed-demo").leakage)
    >>> table.loc["remake recovery, own customer"].tolist()     # 225 + 300, then - 100
    ['525.00', '315.0', '425.00', '255.0']
    """
    import pandas as pd

    from aftersales.model.leakage import LEAKAGE_FIGURES, leakage

    names = {"traditional_recovery": ("recovery on discounted resale", "折价回收"),
             "leakage_vs_price": ("leakage against price", "相对原价的价值泄漏"),
             "accounting_loss": ("accounting loss against cost", "相对成本的会计损失"),
             "remake_own_recovery": ("remake recovery, own customer", "改造回收（原顾客）"),
             "remake_new_recovery": ("remake recovery, new customer", "改造回收（新顾客）")}
    cols = {}
    for m in ("seed", "corrected"):
        fig = leakage(lk, m)
        cols[(_t(m, label(m, "zh"), lang), _t("per item, yuan", "单件（元）", lang))] = [fmt_number(fig["per_item"][k], 2)
                                                             for k in LEAKAGE_FIGURES]
        cols[(_t(m, label(m, "zh"), lang), _t("a year, 万 yuan", "全年（万元）", lang))] = [fmt_wan(fig["annual"][k], unit=False)
                                                             for k in LEAKAGE_FIGURES]
    return pd.DataFrame(cols, index=[_t(*names[k], lang) for k in LEAKAGE_FIGURES])


def case_table(sc, lang: str = "en"):
    """The services of a homework case (notebook 06): inputs as numbers (rounded to 3 places);
    in Chinese the services, kinds, billing and columns by the glossary's names.

    Parameters
    ----------
    sc : Scenario
        The student's case.
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default English); ``"both"`` writes ``English (中文)``.

    Returns
    -------
    pandas.DataFrame
        One row per service: name, kind, price (yuan), billing, acceptance (share 0-1), uses per
        user a year, unit cost (yuan) and wake-up rate (share 0-1), numbers rounded to 3 places.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> table = case_table(load_scenario("seed-demo"))
    >>> table.columns.tolist()[:4]
    ['service', 'kind', 'price (yuan)', 'billing']
    >>> [str(v) for v in table.iloc[4]]
    ['Seasonal storage', 'storage', '40.0', 'per_month', '0.12', '0.3', '13.0', '0.15']
    """
    import pandas as pd

    from aftersales.glossary import kind_name

    check_lang(lang)
    zh = lang == "zh"
    cols = ("service", "kind", "price_yuan_col", "billing", "acceptance", "uses_per_user_year",
            "unit_cost_yuan_col", "wakeup_rate_col")
    rows = [(service_name(s.name, lang, s.kind) if zh else s.name, kind_name(s.kind, lang) if zh else s.kind,
             s.price, label(s.billing, lang) if zh else s.billing, s.acceptance, s.uses_per_user_per_year,
             s.unit_cost, s.wakeup_rate) for s in sc.services]
    names = [label(c, lang) for c in cols]
    return pd.DataFrame(rows, columns=names).round(3)
