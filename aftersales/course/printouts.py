"""The lines the notebooks print, in the notebook's language (``lang``: "en", "zh" or "both").

A notebook cell prints what one of these functions returns, so the Chinese edition runs the same
code as the English one and its student reads no English. Words come from the glossary.
"""
from __future__ import annotations

from aftersales.glossary import (LABELS, UNITS, check_lang, fmt_input, fmt_share, fmt_yuan, label, pick,
                                 scenario_name)

__all__ = ["mine_and_library", "scenario_files", "leakage_slips", "leakage_controls", "leakage_interact",
           "case_brand_lines"]

#: The unit after a number compared (English, Chinese): the glossary's yuan and short 万.
_UNITS = {"yuan": UNITS["yuan"], "wan": LABELS["wan_short"], "": ("", "")}


def mine_and_library(mine: float, library: float, lang: str = "en", decimals: int = 0, unit: str = "") -> str:
    """One's own result beside the library's, to compare: ``mine 1,612,800 yuan, the library's 1,612,800 yuan``.

    Parameters
    ----------
    mine : float
        The student's own result.
    library : float
        The library's figure for the same quantity, in the same unit.
    lang : {"en", "zh", "both"}, optional
        The language of the words (default English); ``"both"`` writes the English unit.
    decimals : int, optional
        Decimals shown for both numbers (default 0).
    unit : {"", "yuan", "wan"}, optional
        ``"yuan"``, ``"wan"`` (the numbers are already in 万) or ``""`` (default: a share or a
        count, no unit written).

    Returns
    -------
    str
        One line with both numbers, thousands separated, rounded to ``decimals``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.
    KeyError
        If ``unit`` is none of the three.

    Examples
    --------
    >>> mine_and_library(1612800, 1612800.0, unit="yuan")
    "mine 1,612,800 yuan, the library's 1,612,800 yuan"
    >>> mine_and_library(929.92, 929.92, "zh", 1, "wan")
    '我的结果 929.9 万,库的结果 929.9 万'
    """
    check_lang(lang)
    word = pick(*_UNITS[unit], "zh" if lang == "zh" else "en")
    show = (lambda v: f"{v:,.{decimals}f}" + (f" {word}" if word else ""))
    return label("mine_library", lang, mine=show(mine), library=show(library))


def _quoted(name: str, lang: str) -> str:
    zh = scenario_name(name, "zh")
    return f"{name!r}({zh})" if lang == "zh" and zh != name else repr(name) if lang == "zh" else name


def scenario_files(scenario: str, lang: str = "en") -> str:
    """The shipped scenario files and the head of ``scenario``'s file (brand, costs, leakage example).

    In English the file's own text above its services; in Chinese the same inputs under the
    glossary's names (the file's comments are English).

    Parameters
    ----------
    scenario : str or path
        A scenario name from the shipped scenarios or a path to a TOML file.
    lang : {"en", "zh", "both"}, optional
        The language (default English); ``"both"`` is shown as English.

    Returns
    -------
    str
        A line listing the shipped scenario files, a blank line, then the head of the file: in
        English its text up to the first ``[[services]]`` (comments included); in Chinese the name,
        the description and the ``[brand]``, ``[traditional]``, ``[value_added]`` and
        ``[leakage]`` inputs, one per line, under the glossary's names.

    Raises
    ------
    aftersales.model.scenario.ScenarioError
        If there is no such scenario name or file.

    Examples
    --------
    >>> text = scenario_files("seed-demo")
    >>> print(text.splitlines()[0])
    Scenario files: article-headline, fast-fashion, outdoor-repair, seed-demo
    >>> [line for line in text.splitlines() if line.startswith("active_customers")]
    ['active_customers = 80000']
    >>> scenario_files("seed-demo", "zh").splitlines()[4:6]
    ['[品牌]', '  活跃客户数 = 80,000']
    """
    import tomllib

    from aftersales.model.scenario import scenario_names, scenario_path

    check_lang(lang)
    path = scenario_path(scenario)
    text = path.read_text(encoding="utf-8")
    lines = [label("scenario_files", lang) + " " + ("、" if lang == "zh" else ", ").join(
        _quoted(n, lang) for n in scenario_names()), ""]
    if lang != "zh":
        return "\n".join(lines) + "\n" + text.split("[[services]]")[0]
    from aftersales.glossary import INPUTS, scenario_description

    data = tomllib.loads(text)
    name = str(data.get("name", path.stem))
    lines.append(f"{_quoted(name, lang)}:{scenario_description(name, str(data.get('description', '')), lang)}")
    for section in ("brand", "traditional", "value_added", "leakage"):
        values = data.get(section)
        if not isinstance(values, dict):
            continue
        lines += ["", label(f"file_section_{section}", lang)]
        for field, v in values.items():
            if section == "leakage":
                shown = fmt_share(v) if field in ("recovery_rate", "cogs_ratio") else fmt_input("price", v)
                lines.append(f"  {label('field_' + field, lang)} = {shown}")
            elif field in INPUTS:
                lines.append(f"  {INPUTS[field](lang)} = {fmt_input(field, v)}")
    return "\n".join(lines) + "\n"


def leakage_slips(sc, lk, lang: str = "en") -> str:
    """The leakage of a year beside the traditional budget (notebook 01): what the books show and miss.

    Parameters
    ----------
    sc : Scenario
        The scenario: its traditional after-sales costs (yuan a year).
    lk : LeakageInputs
        The value-leakage example (e.g. ``sc.leakage`` or
        :func:`aftersales.course.parameters.leakage_inputs`), with ``items_per_year`` n > 0.
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Four lines in 万 yuan a year (written as :func:`aftersales.course.lines.wan_text` writes
        them, like the other lines): the leakage against price and the accounting loss (corrected
        method, x n), the whole traditional budget, and the discounted-resale loss booked in it
        with that loss per item (yuan).

    Notes
    -----
    leakage a year = (P - rho P) n; accounting loss a year = (P cogs - rho P) n; booked loss per
    item = discounted-resale loss / n.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), section 价值泄漏: 每年 6000 件退换货衣物被折价处理.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> print(leakage_slips(sc, sc.leakage))
    leakage against price (2), a year:   765.0 wan
    accounting loss (3), a year:         225.0 wan
    whole traditional after-sales budget: 680.0 wan
    resale loss booked in that budget:    170.0 wan = 283.33 yuan an item
    """
    from aftersales.course.lines import wan_text
    from aftersales.model.leakage import leakage

    year = leakage(lk)["annual"]            # corrected method, x n items a year
    booked = sc.traditional.discounted_resale_loss
    return "\n".join([
        label("slip_leakage", lang, v=wan_text(year["leakage_vs_price"], lang)),
        label("slip_accounting", lang, v=wan_text(year["accounting_loss"], lang)),
        label("slip_budget", lang, v=wan_text(sc.traditional.total, lang)),
        label("slip_booked", lang, v=wan_text(booked, lang), per=fmt_yuan(booked / lk.items_per_year, lang, 2)),
    ])


def leakage_controls(lk, lang: str = "en") -> tuple:
    """What :func:`leakage_interact` wires together: the two drop-downs and the chart they drive.

    Builds the widgets without displaying them and draws nothing, so it is quiet outside a
    notebook; ``draw(method=..., route=...)`` returns the waterfall for one choice.

    Parameters
    ----------
    lk : LeakageInputs
        The value-leakage example drawn by :func:`aftersales.course.charts.leakage_waterfall`
        (prices in yuan, shares 0..1).
    lang : {"en", "zh", "both"}, optional
        The language of the drop-downs' labels and the chart (default English).

    Returns
    -------
    method : ipywidgets.Dropdown
        The method drop-down: values ``"corrected"`` (first, the default) and ``"seed"``.
    route : ipywidgets.Dropdown
        The route drop-down: values ``"own"`` (first, the default) and ``"new"`` customer.
    draw : callable
        ``draw(method, route)``: the waterfall figure of ``lk`` for that choice, in ``lang``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> method, route, draw = leakage_controls(load_scenario("seed-demo").leakage, "zh")
    >>> method.description, method.options, method.value
    ('方法', (('修正方法', 'corrected'), ('原文代码', 'seed')), 'corrected')
    >>> [value for _, value in route.options], route.value
    (['own', 'new'], 'own')
    """
    from ipywidgets import Dropdown

    from aftersales.course.charts import leakage_waterfall

    check_lang(lang)
    method = Dropdown(options=[(label(m, lang), m) for m in ("corrected", "seed")], description=label("method_choice", lang))
    route = Dropdown(options=[(label(f"route_{r}_short", lang), r) for r in ("own", "new")],
                     description=label("route_choice", lang))

    def draw(method, route):
        return leakage_waterfall(lk, method=method, route=route, lang=lang)

    return method, route, draw


def leakage_interact(lk, lang: str = "en") -> None:
    """The leakage waterfall with a choice of method and route (two drop-downs, labelled in ``lang``).

    Displays the widgets and the chart (ipywidgets' ``interact``) and returns nothing, so it is
    meant for a notebook cell; what it displays is built by :func:`leakage_controls`, whose
    drop-downs and drawing function the example shows without displaying them.

    Parameters
    ----------
    lk : LeakageInputs
        The value-leakage example drawn by :func:`aftersales.course.charts.leakage_waterfall`.
    lang : {"en", "zh", "both"}, optional
        The language of the drop-downs and the chart (default English).

    Returns
    -------
    None
        The drop-downs (method ``"corrected"``/``"seed"``, route ``"own"``/``"new"`` customer) and
        the waterfall are displayed, not returned.

    Notes
    -----
    ``interact`` draws the chart once for the defaults (corrected method, own customer) and again
    on every change of a drop-down.

    Examples
    --------
    The controls and the chart that ``leakage_interact(lk)`` displays:

    >>> from aftersales import load_scenario
    >>> method, route, draw = leakage_controls(load_scenario("seed-demo").leakage)
    >>> method.description, [text for text, _ in method.options]
    ('method', ['corrected', 'seed'])
    >>> route.description, [text for text, _ in route.options]
    ('route', ['own', 'new'])
    >>> fig = draw(method="seed", route="new")
    >>> len(fig.axes), fig.axes[0].get_ylabel()
    (1, 'yuan per item')
    """
    from ipywidgets import interact

    method, route, draw = leakage_controls(lk, lang)
    interact(draw, method=method, route=route)


def case_brand_lines(sc, lang: str = "en") -> str:
    """The brand figures of a homework case (notebook 06): customers, order value, p0, c, LTV, recovery.

    Parameters
    ----------
    sc : Scenario
        The student's case, with a ``[leakage]`` example and a ``base_ltv`` (yuan).
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Three lines: active customers and order value (yuan); p0, c (shares as percentages) and
        the LTV today (yuan); the recovery rate of a returned garment.

    Raises
    ------
    AttributeError
        If the case has no leakage example (``sc.leakage`` is None).

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> print(case_brand_lines(load_scenario("seed-demo")))
    Active customers: 80,000   order value: 1,800 yuan
    12-month repurchase today (p0): 28%   conversion of woken customers (c): 60%   LTV today: 3,200 yuan
    Returned garments resold at 15% of their price
    """
    b = sc.brand
    return "\n".join([
        label("case_brand_1", lang, n=f"{b.active_customers:,}", aov=f"{b.avg_order_value:,.0f}"),
        label("case_brand_2", lang, p0=f"{b.baseline_repurchase_12m:.0%}", c=f"{b.wakeup_conversion:.0%}",
              ltv=f"{b.base_ltv:,.0f}"),
        label("case_brand_3", lang, rho=f"{sc.leakage.recovery_rate:.0%}"),
    ])
