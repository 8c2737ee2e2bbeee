"""Value leakage of a discounted return, per item and per year.

A returned garment that is resold at a discount recovers rho x P of its price P.
Against the price, the brand leaks P - rho x P; against what the item cost to make
(P x cogs_ratio), the accounting loss is P x cogs_ratio - rho x P. Remaking it for
the own customer or for a new one adds a fee but costs k to do: recovery
rho x P + fee - k. The article's arithmetic (the ``seed`` method) leaves k out.
"""
from __future__ import annotations

from aftersales.model.inputs import LeakageInputs

__all__ = ["LEAKAGE_FIGURES", "leakage_per_item", "leakage"]

#: The five figures of one discounted return, in the order the report prints them.
LEAKAGE_FIGURES = ("traditional_recovery", "leakage_vs_price", "accounting_loss",
                   "remake_own_recovery", "remake_new_recovery")


def leakage_per_item(inputs: LeakageInputs, method: str = "corrected") -> dict[str, float]:
    """The five leakage figures of one discounted return, yuan per item.

    Parameters
    ----------
    inputs : LeakageInputs
        The return: original price P (yuan), recovery rate rho (share 0-1 of P recovered on
        resale), cost-of-goods ratio (share 0-1 of P), the two remake fees (yuan) and the
        remake unit cost k (yuan per item).
    method : {"corrected", "seed"}, optional
        ``"seed"`` follows the article's arithmetic, which leaves the remake cost k out;
        ``"corrected"`` (default) subtracts it.

    Returns
    -------
    dict of str to float
        Yuan per item, keyed by :data:`LEAKAGE_FIGURES`: ``traditional_recovery``,
        ``leakage_vs_price``, ``accounting_loss``, ``remake_own_recovery``,
        ``remake_new_recovery``.

    Raises
    ------
    ValueError
        If ``method`` is neither ``"seed"`` nor ``"corrected"``.

    Notes
    -----
    With recovery R = rho x P:

    - traditional recovery = R
    - leakage against price = P - R
    - accounting loss = P x cogs_ratio - R (against what the item cost to make)
    - remake recovery = R + fee - k, for the own customer's fee and a new customer's fee
      (k = 0 by the seed method)

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), section 价值泄漏 (value leakage): a 1500-yuan
       item resold for 225 yuan; remade for 300 or 500 yuan more.
    .. [2] V. D. R. Guide and L. N. Van Wassenhove, "The evolution of closed-loop supply chain
       research", Operations Research 57(1), 10-18, 2009 (value recovery from returns).

    Examples
    --------
    The article's 1500-yuan coat, resold at 15 % of its price, or remade for 300 yuan (own
    customer) or 500 yuan (a new one) at a cost of 100 yuan:

    >>> from aftersales.model.inputs import LeakageInputs
    >>> coat = LeakageInputs(original_price=1500, recovery_rate=0.15, cogs_ratio=0.4,
    ...                      items_per_year=6000, remake_fee_own_customer=300,
    ...                      remake_fee_new_customer=500, remake_unit_cost=100)
    >>> leakage_per_item(coat)
    {'traditional_recovery': 225.0, 'leakage_vs_price': 1275.0, 'accounting_loss': 375.0, \
'remake_own_recovery': 425.0, 'remake_new_recovery': 625.0}
    >>> leakage_per_item(coat, "seed")["remake_own_recovery"]   # the article forgets the cost
    525.0
    """
    if method not in ("seed", "corrected"):
        raise ValueError(f"method must be seed or corrected, got {method!r}")
    p, rho = inputs.original_price, inputs.recovery_rate
    recovered = rho * p
    k = 0.0 if method == "seed" else inputs.remake_unit_cost
    return {"traditional_recovery": recovered,
            "leakage_vs_price": p - recovered,
            "accounting_loss": p * inputs.cogs_ratio - recovered,
            "remake_own_recovery": recovered + inputs.remake_fee_own_customer - k,
            "remake_new_recovery": recovered + inputs.remake_fee_new_customer - k}


def leakage(inputs: LeakageInputs | None, method: str = "corrected") -> dict | None:
    """The leakage figures per item and per year.

    Parameters
    ----------
    inputs : LeakageInputs or None
        The discounted return and ``items_per_year`` n, the returns resold at a discount a
        year. ``None`` (a scenario without a ``[leakage]`` table) gives ``None``.
    method : {"corrected", "seed"}, optional
        As in :func:`leakage_per_item`.

    Returns
    -------
    dict or None
        ``{"per_item": {...}, "annual": {...}}``: the five figures of
        :func:`leakage_per_item` in yuan per item, and the same times n in yuan per year.

    Notes
    -----
    annual figure = per-item figure x n. For the article's 6000 items a year, the leakage
    against price is 1275 x 6000 = 765万 yuan.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), section 价值泄漏: 每年 6000 件退换货衣物被折价处理.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> yearly = leakage(load_scenario("seed-demo").leakage)["annual"]
    >>> f"{yearly['leakage_vs_price']:,.0f} yuan a year leak against the price"
    '7,650,000 yuan a year leak against the price'
    >>> leakage(None) is None
    True
    """
    if inputs is None:
        return None
    per_item = leakage_per_item(inputs, method)
    return {"per_item": per_item,
            "annual": {k: v * inputs.items_per_year for k, v in per_item.items()}}
