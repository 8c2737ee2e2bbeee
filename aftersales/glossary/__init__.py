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
    """The :class:`Term` of ``key`` (TERMS or INPUTS); KeyError naming the key otherwise."""
    for table in (TERMS, INPUTS):
        if key in table:
            return table[key]
    raise KeyError(f"the glossary has no term {key!r}")


def has_label(key: str) -> bool:
    """True if :func:`label` knows ``key``."""
    return key in TERMS or key in INPUTS or key in LABELS


def entry(key: str) -> Term:
    """The English and Chinese text of any key (TERMS, INPUTS or LABELS) as a :class:`Term`,
    to pass into another label's template (each language gets its own text)."""
    if key in LABELS:
        return Term(*LABELS[key])
    return term(key)


def label(key: str, lang: str = "en", **fmt: Any) -> str:
    """The label of ``key`` in ``lang`` (see the language rule above), formatted with ``fmt``.

    A :class:`Term` among the ``fmt`` values fills the English template with its English text
    and the Chinese template with its Chinese one (see :func:`entry`).

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
    """The word shown after a number of ``unit`` ("" for shares and counts)."""
    en, zh = UNITS.get(unit, (unit, unit))
    return pick(en, zh, lang) if en else ""


def kind_name(kind: str, lang: str = "en") -> str:
    """The name of a service kind (remake, deep_clean, repair, storage)."""
    return TERMS[kind](lang) if kind in TERMS else kind


def service_name(name: str, lang: str = "en", kind: str | None = None) -> str:
    """A service's name in ``lang``: the shipped services have Chinese names (:data:`SERVICE_NAMES`);
    in Chinese another service is called by its kind (``kind``), else by its own name."""
    zh = SERVICE_NAMES.get(name) or (TERMS[kind].zh if kind in TERMS else name)
    return pick(name, zh, lang)


def scenario_name(name: str, lang: str = "en") -> str:
    """A scenario's name in ``lang`` (shipped scenarios have Chinese names; others keep theirs)."""
    return pick(name, SCENARIO_NAMES.get(name, name), lang)


def scenario_description(name: str, text: str, lang: str = "en") -> str:
    """A scenario's description in ``lang``: ``text`` (the file's) in English; the shipped scenarios'
    Chinese ones (:data:`SCENARIO_DESCRIPTIONS`) in Chinese; another file's own text otherwise."""
    return pick(text, SCENARIO_DESCRIPTIONS.get(name, text), lang)


def input_label(field: str, lang: str = "en", service: str | None = None, kind: str | None = None) -> str:
    """The label of an input: ``"Basic remake: price"`` / ``"基础旧衣改造:价格"``; a ``scale.``
    field (``service="*"``) is "every service"."""
    base = INPUTS[field](lang) if field in INPUTS else field.replace("_", " ")
    if service is None:
        return base
    if service == "*":
        return pick(f"all services: {base} x", f"所有服务:{base}倍数", lang)
    name = service_name(service, lang, kind)
    return f"{name}:{base}" if lang == "zh" else f"{name}: {base}"


_WORD = re.compile(r"[A-Za-z][A-Za-z'&]*[0-9]*")


def english_words(text: str, allowed: frozenset[str] | set[str] = ZH_ALLOWED_WORDS) -> list[str]:
    """The ASCII words of ``text`` that a Chinese label should not hold (for tests of zh output).

    Code quoted in backticks (a file's key, a function to call) is code, not English.

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
    ``-`` if missing; never ``-0``."""
    if _missing(x):
        return "-"
    if isinstance(x, float) and math.isinf(x):
        raise ValueError("an infinite figure cannot be shown; the model should have refused it")
    return _no_signed_zero(f"{x:,.{decimals}f}")


def fmt_signed(x: float | None, decimals: int = 0) -> str:
    """A change with its sign: ``fmt_signed(547.18) == '+547'``; ``0`` for nothing."""
    if _missing(x):
        return "-"
    text = fmt_number(x, decimals)
    return text if text.startswith("-") or not text.strip("0.,") else "+" + text


def fmt_yuan(x: float | None, lang: str = "en", decimals: int = 0, unit: bool = True) -> str:
    """Yuan: ``'8,838,400 yuan'`` (en) or ``'8,838,400 元'`` (zh)."""
    check_lang(lang)
    if _missing(x):
        return "-"
    text = fmt_number(x, decimals)
    return f"{text} {unit_label('yuan', lang)}" if unit else text


def fmt_wan(x: float | None, lang: str = "en", decimals: int = 1, unit: bool = True) -> str:
    """Yuan shown in wan (1 万 = 10,000 yuan): ``fmt_wan(-1_428_000) == '-142.8 wan yuan'``.

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

    Examples
    --------
    >>> fmt_wan_short(-1_428_000)
    '-142.8 wan'
    """
    return f"{fmt_wan(x, unit=False)} wan"


def fmt_answer(value: float) -> str:
    """A recorded answer or key figure as a person reads it: whole numbers with separators, a
    number below 1 with four decimals and as a percentage, others with four or two decimals.

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
    """A count of people or items: whole numbers as such, fractional expected counts with two decimals."""
    if _missing(x):
        return "-"
    return fmt_number(x, 0 if float(x).is_integer() else 2)


def fmt_value(x: float | None, unit: str, lang: str = "en") -> str:
    """Format ``x`` by its unit key: yuan, wan, share, count, people, customers, years, months."""
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
    money and counts with thousands separators (``1,200``)."""
    v = float(v)
    if scale:
        return f"x{v:g}"
    if field in _SHARE_FIELDS:
        return f"{100 * v:.3g}%"
    return f"{v:,.6g}" if abs(v) < 1000 else f"{v:,.0f}"
