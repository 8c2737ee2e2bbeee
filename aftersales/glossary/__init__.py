"""The one glossary: figure names, English and Chinese labels, units and number formatting.

The rooms take their labels and number formats from here, so a term has one English and one
Chinese name everywhere (价值泄漏, never 价值流失; 客户生命周期价值, never 客户终身价值;
客户接受度, never 接受率) and money is written one way. Not here, by design: the model's
assumption sentences and Monte Carlo verdict words (content of the model, listed in
docs/model.md) and each question's own Chinese method and explanation (``aftersales.course.keys``);
not here yet: some column headers and axis labels the course writes inline as an
(English, Chinese) pair. docs/architecture.md lists both.

The language rule, used by every function with a ``lang`` argument in the library:

- ``lang="en"``: English only;
- ``lang="zh"``: Chinese only (the Chinese edition of the course);
- ``lang="both"``: ``"English (中文)"``, as the English notebooks introduce a key term.

Tables: :data:`TERMS` (concepts and the figures of the ``evaluate --json`` contract, with their
unit), :data:`INPUTS` (the inputs a slider or a sensitivity moves, by field name),
:data:`LABELS` (the words of figures, tables, explorers and the report, by key; a label may be
a ``str.format`` template), :data:`SERVICE_NAMES` and :data:`SCENARIO_NAMES` (Chinese names of
the shipped services and scenarios). :func:`label` looks a key up in TERMS, INPUTS and LABELS
(one namespace: no key is in two tables). The course's tools have their own tables
(:mod:`aftersales.glossary.course_words`): the exercise checker's messages
(:data:`CHECKER_MESSAGES`, :data:`QUESTION_UNITS`, :data:`PRECISION_WORDS`, :data:`PER_WORDS`),
the margin of a free service (:data:`FREE_SERVICE`), the words of notebook 07's charts
(:data:`CUSTOMER_CHART_WORDS`) and the course site's words (:data:`SITE_WORDS`).

Number formats: :func:`fmt_number`, :func:`fmt_yuan`, :func:`fmt_wan` (and the short
:func:`fmt_wan_short` of a printed equation), :func:`fmt_share`, :func:`fmt_count`,
:func:`fmt_value`, :func:`fmt_margin`, :func:`fmt_input`, :func:`fmt_signed` and
:func:`fmt_answer` (a recorded answer or key figure). None of them writes ``-0``.

Money is in yuan inside the library; 1 万 (wan) = 10,000 yuan is for display only.
This module imports nothing of the library.
"""
from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["LANGS", "Term", "TERMS", "INPUTS", "LABELS", "UNITS", "SERVICE_NAMES", "SCENARIO_NAMES",
           "SCENARIO_DESCRIPTIONS", "ZH_ALLOWED_WORDS", "scenario_description", "check_lang", "pick", "term", "entry", "label", "has_label", "unit_label",
           "service_name", "scenario_name", "kind_name", "input_label", "english_words",
           "fmt_number", "fmt_yuan", "fmt_wan", "fmt_share", "fmt_count", "fmt_value", "fmt_margin",
           "fmt_input", "fmt_signed", "fmt_answer", "fmt_wan_short", "QUESTION_UNITS", "PRECISION_WORDS",
           "PER_WORDS", "CHECKER_MESSAGES", "FREE_SERVICE", "SITE_WORDS", "CUSTOMER_CHART_WORDS"]

from aftersales.glossary.tables import (INPUTS, LABELS, LANGS, SCENARIO_DESCRIPTIONS, SCENARIO_NAMES,
                                        SERVICE_NAMES, TERMS, UNITS, Term, check_lang, pick)
from aftersales.glossary.course_words import (CHECKER_MESSAGES, CUSTOMER_CHART_WORDS, FREE_SERVICE, PER_WORDS,
                                              PRECISION_WORDS, QUESTION_UNITS, SITE_WORDS)

#: ASCII words a Chinese label may hold: symbols of the formulas and the one acronym the
#: Chinese course keeps (LTV), percentiles (p5, p50, p95) and the multiplier sign x.
ZH_ALLOWED_WORDS = frozenset({"LTV", "p0", "p1", "p5", "p50", "p95", "c", "d", "x", "N", "a", "w",
                              # formula symbols of the assumptions: a0, M(p), e, prod, a_i w_i, [lo, hi], v x / m
                              "a0", "M", "p", "e", "prod", "i", "lo", "hi", "m", "v",
                              # symbols of the leakage formulas: price P, items n, remake cost k
                              "P", "n", "k",
                              # proper names kept in Chinese text: the BG/NBD model, the CDNOW data set
                              "BG", "NBD", "CDNOW",
                              # the RFM segmentation and the symbols of statistics: a z-score, the
                              # BG/NBD parameters r, alpha, a, b
                              "RFM", "z", "r", "alpha", "b",
                              # symbols of the service formulas: uses per user u, service value s, sqrt;
                              # the authors of the profit multiplier
                              "u", "s", "sqrt", "Gupta", "Lehmann"})


_overlap = (set(TERMS) & set(LABELS)) | (set(TERMS) & set(INPUTS)) | (set(INPUTS) & set(LABELS))
assert not _overlap, f"glossary keys in two tables: {sorted(_overlap)}"


def term(key: str) -> Term:
    """The :class:`Term` of ``key`` (TERMS or INPUTS); KeyError naming the key otherwise.

    Parameters
    ----------
    key : str
        A figure or concept (a key of :data:`TERMS`) or an input field (a key of :data:`INPUTS`).

    Returns
    -------
    Term
        Its English and Chinese names and its unit.

    Raises
    ------
    KeyError
        ``the glossary has no term '<key>'``; a key of :data:`LABELS` is not a term (use
        :func:`entry` or :func:`label`).

    Examples
    --------
    >>> term("ltv")
    Term(en='customer lifetime value', zh='客户生命周期价值', unit='yuan')
    >>> term("acceptance").unit
    'share'
    """
    for table in (TERMS, INPUTS):
        if key in table:
            return table[key]
    raise KeyError(f"the glossary has no term {key!r}")


def has_label(key: str) -> bool:
    """True if :func:`label` knows ``key``.

    Parameters
    ----------
    key : str
        A key of :data:`TERMS`, :data:`INPUTS` or :data:`LABELS`, or not.

    Returns
    -------
    bool

    Examples
    --------
    >>> has_label("ltv"), has_label("free"), has_label("lifetime_value")
    (True, True, False)
    """
    return key in TERMS or key in INPUTS or key in LABELS


def entry(key: str) -> Term:
    """The English and Chinese text of any key (TERMS, INPUTS or LABELS) as a :class:`Term`,
    to pass into another label's template (each language gets its own text).

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`, :data:`TERMS` or :data:`INPUTS`.

    Returns
    -------
    Term
        For a :data:`LABELS` key, its two texts (maybe templates) and no unit; otherwise
        :func:`term`.

    Raises
    ------
    KeyError
        If no table has ``key``.

    Examples
    --------
    >>> entry("free")
    Term(en='free', zh='免费', unit='')
    >>> entry("ltv")("zh")
    '客户生命周期价值'
    """
    if key in LABELS:
        return Term(*LABELS[key])
    return term(key)


def label(key: str, lang: str = "en", **fmt: Any) -> str:
    """The label of ``key`` in ``lang`` (see the language rule above), formatted with ``fmt``.

    A :class:`Term` among the ``fmt`` values fills the English template with its English text
    and the Chinese template with its Chinese one (see :func:`entry`).

    Parameters
    ----------
    key : str
        A key of :data:`TERMS`, :data:`INPUTS` or :data:`LABELS`.
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).
    **fmt
        Values for the label's ``str.format`` template (numbers, text, or a :class:`Term`).

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If no table has ``key``, or the template needs a value ``fmt`` does not give.
    ValueError
        If ``lang`` is not one of :data:`LANGS`.

    Examples
    --------
    >>> label("value_leakage", "both")
    'value leakage (价值泄漏)'
    >>> label("ltv", "zh")
    '客户生命周期价值'
    >>> label("p1_note", "en", p1=0.39974)
    'p1 = 40.0%'
    """
    check_lang(lang)
    en, zh = LABELS[key] if key in LABELS else (term(key).en, term(key).zh)
    if fmt:
        en = en.format(**{k: v.en if isinstance(v, Term) else v for k, v in fmt.items()})
        zh = zh.format(**{k: v.zh if isinstance(v, Term) else v for k, v in fmt.items()})
    return pick(en, zh, lang)


def unit_label(unit: str, lang: str = "en") -> str:
    """The word shown after a number of ``unit`` ("" for shares and counts).

    Parameters
    ----------
    unit : str
        A key of :data:`UNITS` (``"yuan"``, ``"wan"``, ``"people"``, ``"months"``, ...).
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).

    Returns
    -------
    str
        The unit's word in ``lang``; an empty string for ``"share"`` and ``"count"``.

    Notes
    -----
    A unit the table does not know is not refused: its key is shown as it is, in every language.

    Examples
    --------
    >>> unit_label("wan"), unit_label("wan", "zh"), unit_label("people", "both")
    ('wan yuan', '万元', 'customers (人)')
    >>> unit_label("share"), unit_label("furlongs", "zh")
    ('', 'furlongs')
    """
    en, zh = UNITS.get(unit, (unit, unit))
    return pick(en, zh, lang) if en else ""


def kind_name(kind: str, lang: str = "en") -> str:
    """The name of a service kind (remake, deep_clean, repair, storage).

    Parameters
    ----------
    kind : str
        A service kind of the scenario files.
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).

    Returns
    -------
    str
        The kind's name in ``lang``; an unknown kind is returned as it is.

    Examples
    --------
    >>> kind_name("storage"), kind_name("storage", "zh"), kind_name("teleport", "zh")
    ('seasonal storage', '季节性存储', 'teleport')
    """
    return TERMS[kind](lang) if kind in TERMS else kind


def service_name(name: str, lang: str = "en", kind: str | None = None) -> str:
    """A service's name in ``lang``: the shipped services have Chinese names (:data:`SERVICE_NAMES`);
    in Chinese another service is called by its kind (``kind``), else by its own name.

    Parameters
    ----------
    name : str
        The service's name in its scenario file (English).
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).
    kind : str, optional
        The service's kind (``"remake"``, ``"repair"``, ...), naming in Chinese a service the
        table does not know.

    Returns
    -------
    str

    Examples
    --------
    >>> service_name("Basic remake", "zh"), service_name("Basic remake", "both")
    ('基础旧衣改造', 'Basic remake (基础旧衣改造)')
    >>> service_name("Mending club", "zh", kind="repair"), service_name("Mending club", "zh")
    ('修补翻新', 'Mending club')
    """
    zh = SERVICE_NAMES.get(name) or (TERMS[kind].zh if kind in TERMS else name)
    return pick(name, zh, lang)


def scenario_name(name: str, lang: str = "en") -> str:
    """A scenario's name in ``lang`` (shipped scenarios have Chinese names; others keep theirs).

    Parameters
    ----------
    name : str
        The scenario's name (its file name without ``.toml``).
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).

    Returns
    -------
    str

    Examples
    --------
    >>> scenario_name("seed-demo", "both"), scenario_name("my-shop", "zh")
    ('seed-demo (原文示例)', 'my-shop')
    """
    return pick(name, SCENARIO_NAMES.get(name, name), lang)


def scenario_description(name: str, text: str, lang: str = "en") -> str:
    """A scenario's description in ``lang``: ``text`` (the file's) in English; the shipped scenarios'
    Chinese ones (:data:`SCENARIO_DESCRIPTIONS`) in Chinese; another file's own text otherwise.

    Parameters
    ----------
    name : str
        The scenario's name.
    text : str
        The description its file gives (English for the shipped scenarios).
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).

    Returns
    -------
    str

    Examples
    --------
    >>> scenario_description("seed-demo", "The article's example.", "zh")
    '原文代码中的示例参数:80,000 名客户,五项服务,存储按月计费。'
    >>> scenario_description("my-shop", "Our shop.", "zh")
    'Our shop.'
    """
    return pick(text, SCENARIO_DESCRIPTIONS.get(name, text), lang)


def input_label(field: str, lang: str = "en", service: str | None = None, kind: str | None = None) -> str:
    """The label of an input: ``"Basic remake: price"`` / ``"基础旧衣改造:价格"``; a ``scale.``
    field (``service="*"``) is "every service".

    Parameters
    ----------
    field : str
        An input field (a key of :data:`INPUTS`); another field is shown with its underscores
        as spaces.
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).
    service : str, optional
        The service the input belongs to (its English name), ``"*"`` for a multiplier on every
        service, or None (the default) for an input of the brand.
    kind : str, optional
        The service's kind, naming in Chinese a service :data:`SERVICE_NAMES` does not know
        (:func:`service_name`).

    Returns
    -------
    str

    Notes
    -----
    With ``lang="both"`` the service and the field are each written ``"English (中文)"``
    (``"Basic remake (基础旧衣改造): price (价格)"``). For ``service="*"`` the whole phrase is
    written once in each language, ``"English (中文)"`` as the language rule says: ``"all
    services: acceptance x (所有服务:客户接受度倍数)"``, each language's field name appearing once.

    Examples
    --------
    >>> input_label("price", "en", "Basic remake"), input_label("price", "zh", "Basic remake")
    ('Basic remake: price', '基础旧衣改造:价格')
    >>> input_label("acceptance", "zh", "*"), input_label("team_salary")
    ('所有服务:客户接受度倍数', 'team salary')
    >>> input_label("acceptance", "both", "*")
    'all services: acceptance x (所有服务:客户接受度倍数)'
    """
    if service == "*":
        en, zh = (INPUTS[field](one) if field in INPUTS else field.replace("_", " ") for one in ("en", "zh"))
        return pick(f"all services: {en} x", f"所有服务:{zh}倍数", lang)
    base = INPUTS[field](lang) if field in INPUTS else field.replace("_", " ")
    if service is None:
        return base
    name = service_name(service, lang, kind)
    return f"{name}:{base}" if lang == "zh" else f"{name}: {base}"


_WORD = re.compile(r"[A-Za-z][A-Za-z'&]*[0-9]*")


def english_words(text: str, allowed: frozenset[str] | set[str] = ZH_ALLOWED_WORDS) -> list[str]:
    """The ASCII words of ``text`` that a Chinese label should not hold (for tests of zh output).

    Code quoted in backticks (a file's key, a function to call) is code, not English.

    Parameters
    ----------
    text : str
        A Chinese label or text.
    allowed : set of str, optional
        ASCII words a Chinese text may hold (default :data:`ZH_ALLOWED_WORDS`: formula symbols,
        LTV, BG/NBD, CDNOW, RFM, ...).

    Returns
    -------
    list of str
        The other ASCII words, in order of appearance (repeats kept); a multiplier such as ``x3``
        is not a word.

    Examples
    --------
    >>> english_words("LTV(元/人) revenue 3,200")
    ['revenue']
    >>> english_words("可在 `price_elasticity` 中修改")
    []
    """
    text = re.sub(r"`[^`\n]+`", " ", text)
    return [w for w in _WORD.findall(text) if w not in allowed and not re.fullmatch(r"x\d+", w)]


# ------------------------------------------------------------------ numbers
def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x: float | None, decimals: int = 0) -> str:
    """A number with thousands separators: ``fmt_number(1234567.891, 2) == '1,234,567.89'``;
    ``-`` if missing; never ``-0``.

    Parameters
    ----------
    x : float or None
        The number; None or NaN is missing.
    decimals : int, optional
        Decimals shown (default 0), rounded as Python's format does.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``x`` is infinite (a figure the model should have refused).

    Examples
    --------
    >>> fmt_number(1234567.891), fmt_number(1234567.891, 2)
    ('1,234,568', '1,234,567.89')
    >>> fmt_number(-0.4), fmt_number(None)        # rounds to zero: no minus
    ('0', '-')
    """
    if _missing(x):
        return "-"
    if isinstance(x, float) and math.isinf(x):
        raise ValueError("an infinite figure cannot be shown; the model should have refused it")
    return _no_signed_zero(f"{x:,.{decimals}f}")


def fmt_signed(x: float | None, decimals: int = 0) -> str:
    """A change with its sign: ``fmt_signed(547.18) == '+547'``; ``0`` for nothing.

    Parameters
    ----------
    x : float or None
        The change (any unit); None or NaN is missing.
    decimals : int, optional
        Decimals shown (default 0).

    Returns
    -------
    str
        :func:`fmt_number` with a ``+`` before a positive figure; a figure that shows as zero
        gets no sign; ``-`` if missing.

    Examples
    --------
    >>> fmt_signed(547.18), fmt_signed(-12.5, 1), fmt_signed(0.004, 2)
    ('+547', '-12.5', '0.00')
    """
    if _missing(x):
        return "-"
    text = fmt_number(x, decimals)
    return text if text.startswith("-") or not text.strip("0.,") else "+" + text


def fmt_yuan(x: float | None, lang: str = "en", decimals: int = 0, unit: bool = True) -> str:
    """Yuan: ``'8,838,400 yuan'`` (en) or ``'8,838,400 元'`` (zh).

    Parameters
    ----------
    x : float or None
        An amount in yuan; None or NaN is missing.
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).
    decimals : int, optional
        Decimals shown (default 0).
    unit : bool, optional
        Write the unit after the number (default True).

    Returns
    -------
    str
        ``-`` if missing.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGS`, or ``x`` is infinite.

    Examples
    --------
    >>> fmt_yuan(8_838_400), fmt_yuan(8_838_400, "zh"), fmt_yuan(319.5, "both", 2)
    ('8,838,400 yuan', '8,838,400 元', '319.50 yuan (元)')
    """
    check_lang(lang)
    if _missing(x):
        return "-"
    text = fmt_number(x, decimals)
    return f"{text} {unit_label('yuan', lang)}" if unit else text


def fmt_wan(x: float | None, lang: str = "en", decimals: int = 1, unit: bool = True) -> str:
    """Yuan shown in wan (1 万 = 10,000 yuan): ``fmt_wan(-1_428_000) == '-142.8 wan yuan'``.

    Parameters
    ----------
    x : float or None
        An amount in yuan (not in wan); None or NaN is missing.
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).
    decimals : int, optional
        Decimals of the wan figure (default 1, i.e. to the 1,000 yuan).
    unit : bool, optional
        Write the unit after the number (default True).

    Returns
    -------
    str
        ``-`` if missing.

    Notes
    -----
    wan = yuan / 10,000: for display only, the library computes in yuan.

    Examples
    --------
    >>> fmt_wan(8_838_400, "zh")
    '883.8 万元'
    >>> fmt_wan(-1_428_000, unit=False)
    '-142.8'
    """
    check_lang(lang)
    if _missing(x):
        return "-"
    text = fmt_number(x / 1e4, decimals)
    return f"{text} {unit_label('wan', lang)}" if unit else text


def _no_signed_zero(text: str) -> str:
    """``text`` without the minus of a number that shows as zero (``-0.0`` -> ``0.0``)."""
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def fmt_share(x: float | None, decimals: int = 1) -> str:
    """A share 0-1 as a percentage: ``fmt_share(0.39974, 2) == '39.97%'``; never ``-0.0%``.

    Parameters
    ----------
    x : float or None
        A share, 0-1 (1 = 100 %); None or NaN is missing (``-``).
    decimals : int, optional
        Decimals of the percentage (default 1).

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_share(-0.00001)
    '0.0%'
    >>> fmt_share(-0.002)
    '-0.2%'
    """
    return "-" if _missing(x) else _no_signed_zero(f"{x * 100:,.{decimals}f}") + "%"


def fmt_wan_short(x: float) -> str:
    """Yuan as wan with one decimal and the short unit a printed equation uses: ``'-142.8 wan'``.

    Parameters
    ----------
    x : float
        An amount in yuan.

    Returns
    -------
    str
        English only; ``'- wan'`` for a missing figure.

    Examples
    --------
    >>> fmt_wan_short(-1_428_000)
    '-142.8 wan'
    """
    return f"{fmt_wan(x, unit=False)} wan"


def fmt_answer(value: float) -> str:
    """A recorded answer or key figure as a person reads it: whole numbers with separators, a
    number below 1 with four decimals and as a percentage, others with four or two decimals.

    Parameters
    ----------
    value : float
        The answer, in its question's unit (yuan, a share 0-1, a count, ...).

    Returns
    -------
    str

    Notes
    -----
    The unit is not known here, so the form follows the size: whole numbers (below 10^15) with
    separators; |v| < 1 as ``0.4000 (40.00%)``, since such a figure is most often a share;
    |v| < 100 with four decimals; larger ones with two.

    Examples
    --------
    >>> fmt_answer(80000)
    '80,000'
    >>> fmt_answer(0.4)
    '0.4000 (40.00%)'
    >>> fmt_answer(1234567.891)
    '1,234,567.89'
    """
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return f"{v:,.0f}"
    if abs(v) < 1:
        return f"{v:.4f} ({v:.2%})"
    if abs(v) < 100:
        return f"{v:,.4f}"
    return f"{v:,.2f}"


def fmt_margin(margin: float | None, price: float | None, lang: str = "en", decimals: int = 1) -> str:
    """A gross margin as a percentage, or "free" where the price is 0 (no margin to speak of).

    Parameters
    ----------
    margin : float or None
        Gross margin, share 0-1 of the price.
    price : float or None
        The service's price, yuan; 0 makes the service free.
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).
    decimals : int, optional
        Decimals of the percentage (default 1).

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_margin(0.6429, 280.0)
    '64.3%'
    >>> fmt_margin(0.0, 0.0, "zh")
    '免费'
    """
    if price is not None and not _missing(price) and price == 0:
        return label("free", lang)
    return fmt_share(margin, decimals)


def fmt_count(x: float | None) -> str:
    """A count of people or items: whole numbers as such, fractional expected counts with two decimals.

    Parameters
    ----------
    x : float or None
        The count; None or NaN is missing (``-``).

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_count(80000), fmt_count(1788.6), fmt_count(None)
    ('80,000', '1,788.60', '-')
    """
    if _missing(x):
        return "-"
    return fmt_number(x, 0 if float(x).is_integer() else 2)


def fmt_value(x: float | None, unit: str, lang: str = "en") -> str:
    """Format ``x`` by its unit key: yuan, wan, share, count, people, customers, years, months.

    Parameters
    ----------
    x : float or None
        The figure, in ``unit`` (yuan for ``"yuan"`` and ``"wan"``, 0-1 for ``"share"``).
    unit : str
        A key of :data:`UNITS` (a :class:`Term`'s ``unit``).
    lang : {"en", "zh", "both"}, optional
        English (default), Chinese, or ``"English (中文)"`` (the language rule above).

    Returns
    -------
    str
        Yuan by :func:`fmt_yuan` (two decimals unless whole), wan by :func:`fmt_wan`, shares by
        :func:`fmt_share`; any other unit as :func:`fmt_count` followed by its word
        (:func:`unit_label`); ``-`` if missing.

    Examples
    --------
    >>> fmt_value(1234.5, "yuan"), fmt_value(8_838_400, "wan", "zh"), fmt_value(0.4, "share")
    ('1,234.50 yuan', '883.8 万元', '40.0%')
    >>> fmt_value(80000, "people", "zh"), fmt_value(2.5, "years")
    ('80,000 人', '2.50 years')
    """
    if unit == "yuan":
        return fmt_yuan(x, lang, 2 if not _missing(x) and not float(x).is_integer() else 0)
    if unit == "wan":
        return fmt_wan(x, lang)
    if unit == "share":
        return fmt_share(x)
    text = fmt_count(x)
    suffix = unit_label(unit, lang)
    return f"{text} {suffix}".rstrip() if suffix and text != "-" else text


_SHARE_FIELDS = frozenset(k for k, t in INPUTS.items() if t.unit == "share")


def fmt_input(field: str, v: float, scale: bool = False) -> str:
    """An input value as a reader expects it: shares in % (``15%``), multipliers ``x1.5``,
    money and counts with thousands separators (``1,200``).

    Parameters
    ----------
    field : str
        The input's field (a key of :data:`INPUTS`); a field whose unit is ``"share"`` is shown
        in %.
    v : float
        The value, in the field's unit (share 0-1, yuan, months, ...).
    scale : bool, optional
        The value is a multiplier (a ``scale.`` input): shown ``x1.5`` (default False).

    Returns
    -------
    str
        Shares with 3 significant digits; values below 1,000 with up to 6 significant digits;
        larger ones rounded to whole numbers.

    Examples
    --------
    >>> fmt_input("acceptance", 0.15), fmt_input("price", 1.5, scale=True)
    ('15%', 'x1.5')
    >>> fmt_input("active_customers", 80000), fmt_input("price", 999.123456)
    ('80,000', '999.123')
    """
    v = float(v)
    if scale:
        return f"x{v:g}"
    if field in _SHARE_FIELDS:
        return f"{100 * v:.3g}%"
    return f"{v:,.6g}" if abs(v) < 1000 else f"{v:,.0f}"
