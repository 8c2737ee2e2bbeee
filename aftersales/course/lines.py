"""The lines notebooks 02-04 print, in the notebook's language (see :mod:`aftersales.course.printouts`)."""
from __future__ import annotations

from aftersales.glossary import check_lang, fmt_wan, fmt_wan_short, kind_name, label, service_name

__all__ = ["wan_text", "service_totals", "wakeup_share_lines", "highest_margin", "uses_lines", "best_services"]


def wan_text(x: float, lang: str = "en") -> str:
    """Yuan in 万 with one decimal: ``'-142.8 wan'`` (en, as the exercises write it) or ``'-142.8 万元'``."""
    return fmt_wan(x, "zh") if check_lang(lang) == "zh" else fmt_wan_short(x)


def service_totals(ev, ev_seed, lang: str = "en") -> str:
    """Service revenue, cost and contribution a year, corrected beside seed (notebook 02)."""
    return "\n".join(label(f"line_{k}", lang, v=wan_text(ev[k], lang), s=wan_text(ev_seed[k], lang))
                     for k in ("service_revenue", "service_cost", "service_contribution"))


def wakeup_share_lines(ev, lang: str = "en") -> str:
    """The share of customers woken at both ends of the overlap between services and in the model."""
    lc = ev.to_dict()["lifecycle"]
    return "\n".join(label(f"line_share_{end}", lang, v=f"{lc[key]:.2%}") for end, key in
                     (("low", "wakeup_share_low"), ("mid", "wakeup_share"), ("high", "wakeup_share_high")))


def _name(s, lang):
    return service_name(s.name, lang, s.kind) if lang == "zh" else s.name


def highest_margin(sc, lang: str = "en") -> str:
    """The service of ``sc`` with the highest gross margin, its kind and margin."""
    best = max(sc.services, key=lambda s: s.gross_margin)
    kind = kind_name(best.kind, lang) if lang == "zh" else best.kind
    return label("line_highest_margin", lang, name=_name(best, lang), kind=kind, margin=f"{best.gross_margin:.1%}")


def uses_lines(sc, ev, lang: str = "en") -> str:
    """The first service's uses a year as the article's code computes them and as its comment reads."""
    first = sc.services[0]
    return "\n".join([
        label("line_uses_code", lang, name=_name(first, lang), v=f"{ev.services[0]['uses']:,.0f}"),
        label("line_uses_comment", lang, name=_name(first, lang),
              v=f"{sc.brand.active_customers * first.uses_per_user_per_year:,.0f}")])


def best_services(rows, lang: str = "en") -> str:
    """The services (``evaluate(sc).services``) with the largest contribution and the highest margin."""
    earner = max(rows, key=lambda r: r["revenue"] - r["cost"])
    best = max(rows, key=lambda r: r["gross_margin"])
    name = (lambda r: service_name(r["name"], lang, r.get("kind")) if lang == "zh" else r["name"])
    return label("line_best_services", lang, earner=name(earner), best=name(best))
