"""The after-sales model as plain, validated dataclasses.

Every input of a scenario lives here, checked on construction: a share outside
0-1, a negative amount, NaN, an unknown service kind or billing raise
``ValueError`` naming the field and the value. Money is in yuan (CNY), shares
are 0-1, frequencies are per year.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

__all__ = [
    "SERVICE_KINDS",
    "BILLINGS",
    "Brand",
    "TraditionalCosts",
    "ValueAddedCosts",
    "LeakageInputs",
    "Service",
    "Range",
    "Scenario",
]

#: The four value-added service kinds of the article's service matrix.
SERVICE_KINDS = ("remake", "deep_clean", "repair", "storage")
#: How a service is billed: once per use, or per month for each use.
BILLINGS = ("per_use", "per_month")


def _where(owner: str, name: str) -> str:
    return f"{owner}.{name}" if owner else name


def _number(owner: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{_where(owner, name)} must be a number, got {value!r}")
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{_where(owner, name)} must be finite, got {value!r}")
    return value


def _share(owner: str, name: str, value: Any) -> None:
    v = _number(owner, name, value)
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"{_where(owner, name)} must lie in [0, 1] (a share), got {value!r}")


def _non_negative(owner: str, name: str, value: Any) -> None:
    v = _number(owner, name, value)
    if v < 0:
        raise ValueError(f"{_where(owner, name)} must be >= 0, got {value!r}")


def _positive(owner: str, name: str, value: Any) -> None:
    v = _number(owner, name, value)
    if v <= 0:
        raise ValueError(f"{_where(owner, name)} must be > 0, got {value!r}")


@dataclass(frozen=True)
class Brand:
    """The brand's customer base.

    active_customers: N, customers active in a year (int > 0).
    return_rate: share of items returned or exchanged (0-1).
    avg_order_value: AOV, yuan per order.
    purchases_per_year: orders per active customer per year.
    base_ltv: lifetime value of a customer today, yuan; None (the default) derives it from
      spend: AOV x purchases_per_year x gm x M(p0).
    baseline_repurchase_12m: p0, share buying again within 12 months (0-1).
    wakeup_conversion: c, share of woken customers who really order (0-1).
    product_gross_margin: gm, gross margin on product sales (0-1).
    discount_rate: d, yearly discount rate for lifetime value (0-1).
    price_elasticity: e (<= 0), how acceptance answers a price move: a x (p_new / p_file)^e;
      0 (the default) keeps the article's assumption that demand does not answer price.
    """

    active_customers: int
    avg_order_value: float
    base_ltv: float | None = None
    return_rate: float = 0.18
    purchases_per_year: float = 1.6
    baseline_repurchase_12m: float = 0.28
    wakeup_conversion: float = 0.6
    product_gross_margin: float = 0.6
    discount_rate: float = 0.10
    price_elasticity: float = 0.0

    def __post_init__(self) -> None:
        o = "brand"
        n = self.active_customers
        if isinstance(n, bool) or not isinstance(n, int):
            if isinstance(n, float) and math.isfinite(n) and n.is_integer():
                object.__setattr__(self, "active_customers", int(n))
            else:
                raise ValueError(f"brand.active_customers must be a whole number > 0, got {n!r}")
        _positive(o, "active_customers", self.active_customers)
        for name in ("avg_order_value", "purchases_per_year"):
            _non_negative(o, name, getattr(self, name))
        if self.base_ltv is not None:
            _non_negative(o, "base_ltv", self.base_ltv)
        e = _number(o, "price_elasticity", self.price_elasticity)
        if e > 0:
            raise ValueError(f"brand.price_elasticity must be <= 0 (acceptance falls as the price "
                             f"rises; 0 = demand does not answer price), got {e!r}")
        for name in ("return_rate", "baseline_repurchase_12m", "wakeup_conversion",
                     "product_gross_margin", "discount_rate"):
            _share(o, name, getattr(self, name))

    @property
    def annual_product_margin(self) -> float:
        """AOV x purchases_per_year x gm: product margin a customer brings in a year, yuan."""
        return self.avg_order_value * self.purchases_per_year * self.product_gross_margin


@dataclass(frozen=True)
class _CostStructure:
    """The four yearly cost lines of an after-sales department, yuan per year."""

    team_salary: float
    logistics: float
    quality_check: float
    discounted_resale_loss: float

    _table: ClassVar[str] = "costs"

    def __post_init__(self) -> None:
        for f in fields(self):
            _non_negative(self._table, f.name, getattr(self, f.name))

    @property
    def total(self) -> float:
        """Total yearly cost, yuan."""
        return self.team_salary + self.logistics + self.quality_check + self.discounted_resale_loss


@dataclass(frozen=True)
class TraditionalCosts(_CostStructure):
    """Yearly cost of traditional after-sales (returns and exchanges only), yuan per year."""

    _table: ClassVar[str] = "traditional"


@dataclass(frozen=True)
class ValueAddedCosts(_CostStructure):
    """Yearly fixed costs of value-added after-sales, yuan per year (services' own costs come on top).

    In a scenario file quality_check and discounted_resale_loss default to the traditional
    ones: returns keep arriving.
    """

    _table: ClassVar[str] = "value_added"


@dataclass(frozen=True)
class LeakageInputs:
    """One discounted return, and how many a year.

    original_price: P, yuan. recovery_rate: rho, share of P recovered on resale (0-1).
    cogs_ratio: cost of goods as a share of P (0-1). items_per_year: n.
    remake fees: what the own customer / a new customer pays for a remade item, yuan.
    remake_unit_cost: k, what one remake costs the brand, yuan.
    """

    original_price: float
    recovery_rate: float
    cogs_ratio: float
    items_per_year: float
    remake_fee_own_customer: float
    remake_fee_new_customer: float
    remake_unit_cost: float

    def __post_init__(self) -> None:
        for name in ("recovery_rate", "cogs_ratio"):
            _share("leakage", name, getattr(self, name))
        for name in ("original_price", "items_per_year", "remake_fee_own_customer",
                     "remake_fee_new_customer", "remake_unit_cost"):
            _non_negative("leakage", name, getattr(self, name))


@dataclass(frozen=True)
class Service:
    """One value-added service offering.

    price: yuan per use (per month for ``per_month`` billing).
    material_cost, labor_cost: yuan per billed unit.
    uses_per_user_per_year: u, uses per using customer per year.
    acceptance: a, share of active customers who use it (0-1).
    wakeup_rate: w, share of users who buy again within 90 days (0-1).
    ltv_extension: yuan per user, read by the seed method only.
    months_per_use: months billed per use (``per_month`` billing only).
    logistics_per_use: yuan per use (shipping both ways, packaging), corrected method only,
      counted once per use, not per billed month.
    """

    name: str
    kind: str
    price: float
    material_cost: float
    labor_cost: float
    uses_per_user_per_year: float
    acceptance: float
    wakeup_rate: float
    ltv_extension: float = 0.0
    billing: str = "per_use"
    months_per_use: float = 1.0
    logistics_per_use: float = 0.0

    def __post_init__(self) -> None:
        o = f"services[{self.name!r}]" if isinstance(self.name, str) else "services"
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"services.name must be a non-empty text, got {self.name!r}")
        if self.kind not in SERVICE_KINDS:
            raise ValueError(f"{o}.kind must be one of {', '.join(SERVICE_KINDS)}, got {self.kind!r}")
        if self.billing not in BILLINGS:
            raise ValueError(f"{o}.billing must be one of {', '.join(BILLINGS)}, got {self.billing!r}")
        for name in ("price", "material_cost", "labor_cost", "uses_per_user_per_year",
                     "ltv_extension", "months_per_use", "logistics_per_use"):
            _non_negative(o, name, getattr(self, name))
        for name in ("acceptance", "wakeup_rate"):
            _share(o, name, getattr(self, name))

    @property
    def unit_cost(self) -> float:
        """Material plus labour, yuan per billed unit."""
        return self.material_cost + self.labor_cost

    @property
    def gross_margin(self) -> float:
        """(price - material - labour) / price; 0 where the price is 0."""
        if self.price == 0:
            return 0.0
        return (self.price - self.unit_cost) / self.price


@dataclass(frozen=True)
class Range:
    """A low-high range for Monte Carlo draws and tornado swings."""

    low: float
    high: float

    def __post_init__(self) -> None:
        _number("range", "low", self.low)
        _number("range", "high", self.high)
        if self.low > self.high:
            raise ValueError(f"range low {self.low!r} is above high {self.high!r}")

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Scenario:
    """A whole case: brand, both cost structures, services, optional leakage and ranges.

    ranges: optional per-kind overrides of the article's service matrix, a mapping
    kind -> {input -> Range} with inputs price, acceptance, gross_margin, wakeup_rate.
    """

    name: str
    brand: Brand
    traditional: TraditionalCosts
    value_added: ValueAddedCosts
    services: tuple[Service, ...]
    description: str = ""
    leakage: LeakageInputs | None = None
    ranges: dict[str, dict[str, Range]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty text, got {self.name!r}")
        object.__setattr__(self, "services", tuple(self.services))
        if not self.services:
            raise ValueError("services: a scenario needs at least one service")
        seen = set()
        for s in self.services:
            if not isinstance(s, Service):
                raise ValueError(f"services must hold Service objects, got {s!r}")
            if s.name in seen:
                raise ValueError(f"services: the name {s.name!r} appears twice")
            seen.add(s.name)
        for kind, inputs in self.ranges.items():
            if kind == "brand":
                for key, r in inputs.items():
                    if key not in BRAND_RANGE_INPUTS:
                        raise ValueError(f"ranges.brand.{key}: unknown input (one of {', '.join(BRAND_RANGE_INPUTS)})")
                    if not (0 <= r.low <= r.high <= 1):
                        raise ValueError(f"ranges.brand.{key} must lie in [0, 1], got [{r.low}, {r.high}]")
                continue
            if kind not in SERVICE_KINDS:
                raise ValueError(f"ranges.{kind}: unknown service kind (one of {', '.join(SERVICE_KINDS)})")
            for key, r in inputs.items():
                if key not in RANGE_INPUTS:
                    raise ValueError(f"ranges.{kind}.{key}: unknown input (one of {', '.join(RANGE_INPUTS)})")
                if key == "uses_per_user_per_year":
                    if r.low < 0:
                        raise ValueError(f"ranges.{kind}.{key} must be >= 0, got [{r.low}, {r.high}]")
                elif key != "price" and not (0 <= r.low <= r.high <= 1):
                    raise ValueError(f"ranges.{kind}.{key} must lie in [0, 1], got [{r.low}, {r.high}]")
                if key == "price" and r.low < 0:
                    raise ValueError(f"ranges.{kind}.price must be >= 0, got [{r.low}, {r.high}]")

    def service(self, name: str) -> Service:
        """The service called ``name`` (KeyError naming the known ones otherwise)."""
        for s in self.services:
            if s.name == name:
                return s
        raise KeyError(f"no service {name!r}; known: {', '.join(s.name for s in self.services)}")

    def with_changes(self, **changes: Any) -> "Scenario":
        """A copy with top-level fields replaced (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """Plain data in the layout of the scenario file."""
        out: dict[str, Any] = {"name": self.name, "description": self.description}
        out["brand"] = {f.name: getattr(self.brand, f.name) for f in fields(self.brand)
                        if getattr(self.brand, f.name) is not None}
        out["traditional"] = {f.name: getattr(self.traditional, f.name) for f in fields(self.traditional)}
        out["value_added"] = {f.name: getattr(self.value_added, f.name) for f in fields(self.value_added)}
        if self.leakage is not None:
            out["leakage"] = {f.name: getattr(self.leakage, f.name) for f in fields(self.leakage)}
        out["services"] = [{f.name: getattr(s, f.name) for f in fields(s)} for s in self.services]
        if self.ranges:
            out["ranges"] = {k: {i: [r.low, r.high] for i, r in v.items()} for k, v in self.ranges.items()}
        return out


#: Inputs a range may be given for (per service kind).
RANGE_INPUTS = ("price", "acceptance", "gross_margin", "wakeup_rate", "uses_per_user_per_year")
#: Brand inputs a scenario may give a range for, in ``[ranges.brand]`` (absolute values).
BRAND_RANGE_INPUTS = ("wakeup_conversion",)
