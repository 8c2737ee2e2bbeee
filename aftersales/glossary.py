"""The one glossary: figure names, English and Chinese labels, units and number formatting.

Every room takes its labels and number formats from here, so a term has one English and one
Chinese name everywhere (价值泄漏, never 价值流失) and money is written one way.

The language rule, used by every function with a ``lang`` argument in the library:

- ``lang="en"``: English only;
- ``lang="zh"``: Chinese only (the Chinese edition of the course);
- ``lang="both"``: ``"English (中文)"``, as the English notebooks introduce a key term.

Money is in yuan inside the library; 1 万 (wan) = 10,000 yuan is for display only.
This module imports nothing of the library.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["LANGS", "Term", "TERMS", "check_lang", "term", "label", "fmt_yuan", "fmt_wan", "fmt_share",
           "fmt_count", "fmt_number", "fmt_value", "UNITS"]

#: The label languages.
LANGS = ("en", "zh", "both")


@dataclass(frozen=True)
class Term:
    """A figure or concept: English and Chinese name, and its unit (a key of :data:`UNITS`)."""

    en: str
    zh: str
    unit: str = ""

    def __call__(self, lang: str = "en") -> str:
        check_lang(lang)
        if lang == "zh":
            return self.zh
        if lang == "both":
            return f"{self.en} ({self.zh})"
        return self.en


#: unit key -> (English, Chinese) as shown after a number.
UNITS = {
    "yuan": ("yuan", "元"),
    "wan": ("wan yuan", "万元"),
    "share": ("", ""),
    "count": ("", ""),
    "customers": ("customers", "人"),
    "years": ("years", "年"),
    "months": ("months", "个月"),
}

#: The course's terms. Keys are the figure names of the ``evaluate --json`` contract where one exists.
TERMS: dict[str, Term] = {
    # -- the after-sales case
    "after_sales": Term("after-sales", "售后"),
    "cost_centre": Term("cost centre", "成本中心"),
    "profit_channel": Term("profit channel", "利润渠道"),
    "remake": Term("remake", "旧衣改造"),
    "deep_clean": Term("deep cleaning and care", "深度清洗护理"),
    "repair": Term("repair", "修补翻新"),
    "storage": Term("seasonal storage", "季节性存储"),
    "value_leakage": Term("value leakage", "价值泄漏"),
    "ltv": Term("customer lifetime value", "客户生命周期价值", "yuan"),
    "acceptance": Term("acceptance", "客户接受度", "share"),
    "wakeup_rate": Term("wake-up rate", "唤醒率", "share"),
    "wakeup_share": Term("share of customers woken", "被唤醒客户占比", "share"),
    "repurchase_12m": Term("12-month repurchase rate", "12个月复购率", "share"),
    "gross_margin": Term("gross margin", "毛利率", "share"),
    "seed_method": Term("the article's code", "原文代码"),
    "corrected_method": Term("corrected", "修正方法"),
    # -- P&L figures (evaluate --json keys)
    "service_revenue": Term("service revenue", "服务收入", "yuan"),
    "service_cost": Term("service cost", "服务成本", "yuan"),
    "service_contribution": Term("service contribution", "服务贡献", "yuan"),
    "traditional_cost": Term("traditional after-sales cost", "传统售后成本", "yuan"),
    "value_added_cost": Term("value-added after-sales cost", "增值售后成本", "yuan"),
    "value_added_net": Term("value-added net", "增值售后净额", "yuan"),
    "wakeup_customers": Term("woken customers", "被唤醒客户", "customers"),
    "wakeup_revenue": Term("wake-up revenue", "唤醒收入", "yuan"),
    "wakeup_contribution": Term("wake-up contribution", "唤醒贡献", "yuan"),
    "total_effect": Term("total effect", "总效应", "yuan"),
}


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`; ValueError naming the choices otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(repr(x) for x in LANGS)}, got {lang!r}")
    return lang


def term(key: str) -> Term:
    """The :class:`Term` of ``key``; KeyError naming the key otherwise."""
    try:
        return TERMS[key]
    except KeyError:
        raise KeyError(f"the glossary has no term {key!r}") from None


def label(key: str, lang: str = "en") -> str:
    """The label of term ``key`` in ``lang`` (see the language rule above).

    Examples
    --------
    >>> label("value_leakage", "both")
    'value leakage (价值泄漏)'
    >>> label("ltv", "zh")
    '客户生命周期价值'
    """
    return term(key)(lang)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x: float | None, decimals: int = 0) -> str:
    """A number with thousands separators: ``fmt_number(1234567.891, 2) == '1,234,567.89'``; ``-`` if missing."""
    if _missing(x):
        return "-"
    if isinstance(x, float) and math.isinf(x):
        raise ValueError("an infinite figure cannot be shown; the model should have refused it")
    return f"{x:,.{decimals}f}"


def fmt_yuan(x: float | None, lang: str = "en", decimals: int = 0) -> str:
    """Yuan: ``'8,838,400 yuan'`` (en) or ``'8,838,400 元'`` (zh)."""
    check_lang(lang)
    unit = UNITS["yuan"][1 if lang == "zh" else 0]
    return "-" if _missing(x) else f"{fmt_number(x, decimals)} {unit}"


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
    return f"{text} {UNITS['wan'][1 if lang == 'zh' else 0]}" if unit else text


def fmt_share(x: float | None, decimals: int = 1) -> str:
    """A share 0-1 as a percentage: ``fmt_share(0.39974, 2) == '39.97%'``."""
    return "-" if _missing(x) else f"{x * 100:,.{decimals}f}%"


def fmt_count(x: float | None) -> str:
    """A count of people or items: whole numbers as such, fractional expected counts with two decimals."""
    if _missing(x):
        return "-"
    return fmt_number(x, 0 if float(x).is_integer() else 2)


def fmt_value(x: float | None, unit: str, lang: str = "en") -> str:
    """Format ``x`` by its unit key: yuan, wan, share, count, customers, years, months."""
    if unit == "yuan":
        return fmt_yuan(x, lang, 2 if not _missing(x) and not float(x).is_integer() else 0)
    if unit == "wan":
        return fmt_wan(x, lang)
    if unit == "share":
        return fmt_share(x)
    text = fmt_count(x)
    suffix = UNITS.get(unit, ("", ""))[1 if lang == "zh" else 0]
    return f"{text} {suffix}".rstrip() if suffix and text != "-" else text
