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
    """The brand's customer base: the ``[brand]`` table of a scenario file.

    Parameters
    ----------
    active_customers : int
        N, customers active in a year (a whole number > 0; a float such as ``80000.0`` is
        accepted and stored as int).
    avg_order_value : float
        AOV, yuan per order.
    base_ltv : float or None
        Lifetime value of a customer today, yuan, at the file's own AOV, purchases and gm.
        None (the default) derives it from spend: AOV x purchases_per_year x gm x M(p0).
    return_rate : float, optional
        Share (0-1) of items returned or exchanged. Default 0.18.
    purchases_per_year : float, optional
        Orders per active customer per year. Default 1.6.
    baseline_repurchase_12m : float, optional
        p0, share (0-1) of customers buying again within 12 months. Default 0.28.
    wakeup_conversion : float, optional
        c, share (0-1) of woken customers who really order. Default 0.6.
    product_gross_margin : float, optional
        gm, gross margin (0-1) on product sales. Default 0.6.
    discount_rate : float, optional
        d, yearly discount rate (0-1) of lifetime value. Default 0.10.
    price_elasticity : float, optional
        e (<= 0), how acceptance answers a price move: a x (p_new / p_file)^e, clipped to
        [0, 1]. Default 0: the article's assumption that demand does not answer price.

    Raises
    ------
    ValueError
        A count that is not a whole number > 0, a negative amount, a share outside 0-1, NaN or
        infinity; the message names the field (``brand.return_rate``) and the value.

    Notes
    -----
    p0, c, gm and d enter the corrected method: incremental orders = N x (1 - p0) x omega x c,
    wake-up contribution = orders x AOV x gm, LTV = (base_ltv / M(p0) + s) x M(p1) with
    M(p) = (1 + d) / (1 + d - p) (docs/model.md).

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): 8万 active customers, 18 % returns, 28 %
       repurchase within 12 months, LTV 3200 yuan (its ``CustomerBase``).

    Examples
    --------
    A womenswear brand with 80,000 active customers, 1800-yuan orders and an LTV of 3200 yuan:

    >>> b = Brand(active_customers=80_000, avg_order_value=1800, base_ltv=3200)
    >>> b.baseline_repurchase_12m, b.wakeup_conversion
    (0.28, 0.6)
    >>> Brand(active_customers=80_000, avg_order_value=1800, base_ltv=3200, return_rate=1.8)
    Traceback (most recent call last):
    ValueError: brand.return_rate must lie in [0, 1] (a share), got 1.8
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
    """The four yearly cost lines of an after-sales department, yuan per year.

    Parameters
    ----------
    team_salary, logistics, quality_check, discounted_resale_loss : float
        Yearly cost lines, yuan per year, each >= 0.
    """

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
        """Total yearly cost, yuan per year: team + logistics + quality check + resale loss.

        Examples
        --------
        >>> TraditionalCosts(2_800_000, 1_500_000, 800_000, 1_700_000).total
        6800000
        """
        return self.team_salary + self.logistics + self.quality_check + self.discounted_resale_loss


@dataclass(frozen=True)
class TraditionalCosts(_CostStructure):
    """Yearly cost of traditional after-sales (returns and exchanges only): ``[traditional]``.

    Parameters
    ----------
    team_salary : float
        The after-sales team, yuan per year.
    logistics : float
        Return and exchange shipping, yuan per year.
    quality_check : float
        Inspecting returned items, yuan per year.
    discounted_resale_loss : float
        What reselling returns at a discount loses, yuan per year.

    Raises
    ------
    ValueError
        A negative, NaN or infinite amount (the message names ``traditional.<field>``).

    Notes
    -----
    Traditional after-sales earns nothing: net = -(team + logistics + quality check +
    discounted-resale loss) = -:attr:`total`.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): the traditional department costs 680万 yuan a
       year with no revenue (its ``TraditionalAfterSales``).

    Examples
    --------
    The article's department: 280万 team, 150万 logistics, 80万 checks, 170万 resale loss.

    >>> t = TraditionalCosts(team_salary=2_800_000, logistics=1_500_000, quality_check=800_000,
    ...                      discounted_resale_loss=1_700_000)
    >>> f"{t.total / 1e4:.0f}万 yuan a year"
    '680万 yuan a year'
    """

    _table: ClassVar[str] = "traditional"


@dataclass(frozen=True)
class ValueAddedCosts(_CostStructure):
    """Yearly fixed costs of value-added after-sales: ``[value_added]``.

    The services' own material and labour costs come on top (see :class:`Service`).

    Parameters
    ----------
    team_salary : float
        The after-sales and service team, yuan per year.
    logistics : float
        Shipping, yuan per year.
    quality_check : float
        Inspecting returns, yuan per year. In a scenario file it defaults to the traditional one.
    discounted_resale_loss : float
        Resale loss on returns, yuan per year. In a scenario file it defaults to the traditional
        one: returns keep arriving.

    Raises
    ------
    ValueError
        A negative, NaN or infinite amount (the message names ``value_added.<field>``).

    Notes
    -----
    Corrected method: value-added cost = team + logistics + quality check + resale loss +
    service cost. The seed method counts team + logistics + service cost only.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): 320万 team and 120万 logistics, hard-coded in its
       ``compare_after_sales_models``.

    Examples
    --------
    >>> va = ValueAddedCosts(team_salary=3_200_000, logistics=1_200_000, quality_check=800_000,
    ...                      discounted_resale_loss=1_700_000)
    >>> va.total
    6900000
    """

    _table: ClassVar[str] = "value_added"


@dataclass(frozen=True)
class LeakageInputs:
    """One discounted return, and how many a year: the ``[leakage]`` table.

    Parameters
    ----------
    original_price : float
        P, the item's price, yuan.
    recovery_rate : float
        rho, share (0-1) of P recovered when the return is resold at a discount.
    cogs_ratio : float
        Cost of goods as a share (0-1) of P.
    items_per_year : float
        n, returns resold at a discount a year (items per year).
    remake_fee_own_customer : float
        What the own customer pays to have the item remade, yuan per item.
    remake_fee_new_customer : float
        What a new customer pays for the remade item, yuan per item.
    remake_unit_cost : float
        k, what one remake costs the brand, yuan per item.

    Raises
    ------
    ValueError
        A share outside 0-1 or a negative amount (the message names ``leakage.<field>``).

    Notes
    -----
    Leakage against price = P - rho x P; accounting loss = P x cogs_ratio - rho x P; remake
    recovery = rho x P + fee - k (see :func:`aftersales.model.leakage.leakage_per_item`).

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), section 价值泄漏: 原价 1500 元, 回收 225 元.

    Examples
    --------
    >>> coat = LeakageInputs(original_price=1500, recovery_rate=0.15, cogs_ratio=0.4,
    ...                      items_per_year=6000, remake_fee_own_customer=300,
    ...                      remake_fee_new_customer=500, remake_unit_cost=100)
    >>> coat.original_price * coat.recovery_rate      # yuan recovered by a discounted resale
    225.0
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
    """One value-added service offering: a ``[[services]]`` table.

    Parameters
    ----------
    name : str
        The service's name, unique in a scenario (e.g. ``"Basic remake"``).
    kind : {"remake", "deep_clean", "repair", "storage"}
        Its row of the article's service matrix (:data:`SERVICE_KINDS`).
    price : float
        Yuan per use, or yuan per month for ``per_month`` billing.
    material_cost, labor_cost : float
        Yuan per billed unit (per use, or per month).
    uses_per_user_per_year : float
        u, uses per using customer per year.
    acceptance : float
        a, share (0-1) of active customers who use it.
    wakeup_rate : float
        w, share (0-1) of its users who buy again within 90 days.
    ltv_extension : float, optional
        Yuan per user, read by the seed method only (an input the article adds as if it were
        a cash flow). Default 0.
    billing : {"per_use", "per_month"}, optional
        How it is billed (:data:`BILLINGS`). Default ``"per_use"``.
    months_per_use : float, optional
        Months billed per use (``per_month`` billing only). Default 1.
    logistics_per_use : float, optional
        Yuan per use (shipping both ways, packaging), corrected method only, counted once per
        use, not per billed month. Default 0.

    Raises
    ------
    ValueError
        An empty name, an unknown kind or billing, a negative amount or a share outside 0-1;
        the message names ``services['<name>'].<field>`` and the value.

    Notes
    -----
    Corrected method: users = N x a; uses = users x u; billable units = uses x months_per_use
    (per month) or uses; revenue = units x price; cost = units x (material + labour) + uses x
    logistics_per_use.
    Gross margin = (price - material - labour) / price.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), its service matrix (增值服务矩阵) and
       ``build_service_menu``: remake 200-800 yuan, deep clean 80-200, repair 50-150,
       storage 30-50 a month.

    Examples
    --------
    The article's repair service: 88 yuan a time, 40 yuan of material and labour, used 0.8
    times a year by 40 % of customers:

    >>> repair = Service(name="Repair & refresh", kind="repair", price=88, material_cost=15,
    ...                  labor_cost=25, uses_per_user_per_year=0.8, acceptance=0.40,
    ...                  wakeup_rate=0.28)
    >>> repair.unit_cost, round(repair.gross_margin, 4)
    (40, 0.5455)
    >>> Service(name="Dyeing", kind="dyeing", price=88, material_cost=15, labor_cost=25,
    ...         uses_per_user_per_year=0.8, acceptance=0.4, wakeup_rate=0.28)
    Traceback (most recent call last):
    ValueError: services['Dyeing'].kind must be one of remake, deep_clean, repair, storage, got 'dyeing'
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
        """Material plus labour, yuan per billed unit.

        Examples
        --------
        >>> Service("Repair", "repair", 88, 15, 25, 0.8, 0.4, 0.28).unit_cost
        40
        """
        return self.material_cost + self.labor_cost

    @property
    def gross_margin(self) -> float:
        """Gross margin 毛利率, a share: (price - material - labour) / price; 0 where the price is 0.

        Examples
        --------
        >>> round(Service("Storage", "storage", 40, 5, 8, 0.3, 0.12, 0.15).gross_margin, 3)
        0.675
        >>> Service("Free check", "repair", 0, 5, 8, 1, 0.1, 0.1).gross_margin
        0.0
        """
        if self.price == 0:
            return 0.0
        return (self.price - self.unit_cost) / self.price


@dataclass(frozen=True)
class Range:
    """A low-high range for Monte Carlo draws and tornado swings.

    Parameters
    ----------
    low, high : float
        The ends, in the unit of the input they bound (yuan for a price, a share for an
        acceptance); ``low <= high``.

    Raises
    ------
    ValueError
        A non-number, NaN, infinity, or ``low`` above ``high``.

    Notes
    -----
    The tornado swings an input from ``low`` to ``high``; the Monte Carlo draws it uniformly in
    [low, high], whose mean is :attr:`mid` = (low + high) / 2.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), its service matrix: e.g. remake acceptance 15-25 %.

    Examples
    --------
    >>> Range(0.15, 0.25).mid
    0.2
    >>> Range(800, 200)
    Traceback (most recent call last):
    ValueError: range low 800 is above high 200
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        _number("range", "low", self.low)
        _number("range", "high", self.high)
        if self.low > self.high:
            raise ValueError(f"range low {self.low!r} is above high {self.high!r}")

    @property
    def mid(self) -> float:
        """The middle of the range, (low + high) / 2.

        Examples
        --------
        >>> Range(200, 800).mid
        500.0
        """
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Scenario:
    """A whole case: brand, both cost structures, services, optional leakage and ranges.

    Usually read from a TOML file with :func:`aftersales.load_scenario`.

    Parameters
    ----------
    name : str
        The scenario's name (non-empty).
    brand : Brand
        The customer base.
    traditional : TraditionalCosts
        Yearly cost of traditional after-sales, yuan per year.
    value_added : ValueAddedCosts
        Yearly fixed costs of value-added after-sales, yuan per year.
    services : sequence of Service
        At least one service; names unique. Stored as a tuple.
    description : str, optional
        One line on what the case is.
    leakage : LeakageInputs or None, optional
        The value-leakage example (``None`` if the file has no ``[leakage]`` table).
    ranges : dict, optional
        Per-kind overrides of the article's service matrix: kind -> {input -> Range}, inputs
        ``price`` (yuan, >= 0), ``acceptance``, ``gross_margin``, ``wakeup_rate`` (shares 0-1).

    Raises
    ------
    ValueError
        No services, a name used twice, an unknown kind or input in ``ranges``, or a share
        range outside 0-1.

    Notes
    -----
    Frozen: use :meth:`with_changes`, :func:`dataclasses.replace` or
    :func:`aftersales.model.kernel.apply_parameter` for a variant, which is validated again.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its DEMO is the shipped ``seed-demo`` scenario.

    Examples
    --------
    A one-service case built in code:

    >>> sc = Scenario(
    ...     name="tiny",
    ...     brand=Brand(active_customers=10_000, avg_order_value=1000, base_ltv=2000),
    ...     traditional=TraditionalCosts(500_000, 200_000, 100_000, 200_000),
    ...     value_added=ValueAddedCosts(600_000, 200_000, 100_000, 200_000),
    ...     services=[Service("Repair", "repair", 90, 15, 25, 1.0, 0.4, 0.3)])
    >>> sc.service("Repair").price
    90
    >>> sc.with_changes(name="tiny, renamed").name
    'tiny, renamed'
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
        """The service called ``name``.

        Parameters
        ----------
        name : str
            A service's name, e.g. ``"Basic remake"``.

        Returns
        -------
        Service

        Raises
        ------
        KeyError
            No such service; the message names the known ones.

        Examples
        --------
        >>> from aftersales import load_scenario
        >>> load_scenario("seed-demo").service("Seasonal storage").billing
        'per_month'
        """
        for s in self.services:
            if s.name == name:
                return s
        raise KeyError(f"no service {name!r}; known: {', '.join(s.name for s in self.services)}")

    def with_changes(self, **changes: Any) -> "Scenario":
        """A copy with top-level fields replaced, validated again.

        Parameters
        ----------
        **changes
            Fields of the scenario (``name``, ``brand``, ``services``, ...) and their new values.

        Returns
        -------
        Scenario

        Examples
        --------
        >>> from aftersales import load_scenario
        >>> sc = load_scenario("seed-demo")
        >>> len(sc.with_changes(services=sc.services[:2]).services)
        2
        """
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """Plain data in the layout of the scenario file (what :func:`save_scenario` writes).

        Returns
        -------
        dict
            Tables ``brand``, ``traditional``, ``value_added``, optional ``leakage``, the list
            ``services`` and optional ``ranges`` ({kind: {input: [low, high]}}).

        Examples
        --------
        >>> from aftersales import load_scenario
        >>> d = load_scenario("seed-demo").to_dict()
        >>> d["brand"]["active_customers"], [s["name"] for s in d["services"]][:2]
        (80000, ['Basic remake', 'Designer remake'])
        """
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
