"""Self-serve layering in Jupyter (自助分析): the BI experience of the article, with ipywidgets.

Checkboxes choose the layer dimensions, dropdowns filter the cases, a slider sets how many
layers to draw; every change redraws the Pareto chart and the layer table into one Output
(``clear_output(wait=True)``, no flicker). The explorer is a plain object built by a library
function, so a test can set ``.value`` on a control and read :attr:`SegmentExplorer.table`
headlessly, without a browser.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from aftersales.segment.analysis import DIMENSIONS, ORDER_DIMENSIONS, attach_tiers, layer_table, pareto

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SegmentExplorer", "explorer", "ALL"]

#: The dropdown value meaning "no filter".
ALL = "(all)"


def _in_ipython() -> bool:
    try:
        from IPython.core.interactiveshell import InteractiveShell
    except ImportError:  # pragma: no cover
        return False
    return InteractiveShell.initialized()


class SegmentExplorer:
    """Controls, the current layer table and figure, and the widget to display.

    checkboxes: {dimension: Checkbox}; filters: {dimension: Dropdown}; top: IntSlider.
    table: the layer table last drawn (Pareto order, with ``vital_few``); figure: the Pareto
    chart last drawn; error: the message of the last failed redraw, else None.
    """

    def __init__(self, cases: "pd.DataFrame", orders: "pd.DataFrame | None" = None,
                 tiers: "pd.DataFrame | None" = None, by: Sequence[str] = ("category", "reason"),
                 top: int = 15, threshold: float = 0.8, lang: str = "en", draw: bool = True) -> None:
        import ipywidgets as w

        if tiers is not None and "customer_tier" not in cases.columns:
            cases = attach_tiers(cases, tiers)
        if orders is not None and tiers is not None and "customer_tier" not in orders.columns:
            orders = attach_tiers(orders, tiers)
        self.cases, self.orders, self.tiers = cases, orders, tiers
        self.threshold, self.lang, self.draw = threshold, lang, draw
        self.dimensions = [d for d in DIMENSIONS if d in cases.columns]
        unknown = [d for d in by if d not in self.dimensions]
        if unknown:
            raise ValueError(f"cannot layer by {', '.join(unknown)}: the cases have no such column")
        self.checkboxes = {d: w.Checkbox(value=d in by, description=d, indent=False,
                                         layout=w.Layout(width="130px")) for d in self.dimensions}
        self.filters = {}
        for d in self.dimensions:
            values = [str(v) for v in cases[d].cat.categories] if hasattr(cases[d], "cat") \
                else sorted(map(str, cases[d].unique()))
            self.filters[d] = w.Dropdown(options=[ALL] + values, value=ALL, description=d,
                                         layout=w.Layout(width="240px"))
        self.top = w.IntSlider(value=top, min=3, max=40, description="layers shown",
                               continuous_update=False, style={"description_width": "initial"})
        self.summary = w.HTML()
        self.output = w.Output(layout=w.Layout(min_height="520px"))
        self.table: "pd.DataFrame | None" = None
        self.figure = None
        self.error: str | None = None
        for c in list(self.checkboxes.values()) + list(self.filters.values()) + [self.top]:
            c.observe(self.refresh, names="value")
        self.widget = w.VBox([
            w.HTML("<b>Layer by (分层维度)</b>"), w.HBox(list(self.checkboxes.values())),
            w.HTML("<b>Filter (筛选)</b>"),
            w.GridBox(list(self.filters.values()), layout=w.Layout(grid_template_columns="repeat(3, 250px)")),
            self.top, self.summary, self.output])
        self.refresh()

    # -------------------------------------------------------------- state
    @property
    def by(self) -> tuple[str, ...]:
        """The dimensions ticked, in the order of DIMENSIONS."""
        return tuple(d for d in self.dimensions if self.checkboxes[d].value)

    @property
    def selection(self) -> dict[str, str]:
        """The active filters {dimension: value}."""
        return {d: dd.value for d, dd in self.filters.items() if dd.value != ALL}

    def filtered(self) -> tuple["pd.DataFrame", "pd.DataFrame | None"]:
        """(cases, orders) after the filters; orders are filtered on the dimensions they have."""
        import numpy as np

        mask = np.ones(len(self.cases), dtype=bool)
        for d, v in self.selection.items():
            mask &= (self.cases[d] == v).to_numpy()
        orders = self.orders
        if orders is not None:
            om = np.ones(len(orders), dtype=bool)
            for d, v in self.selection.items():
                if d in ORDER_DIMENSIONS and d in orders.columns:
                    om &= (orders[d] == v).to_numpy()
            orders = orders.loc[om]
        return self.cases.loc[mask], orders

    # -------------------------------------------------------------- drawing
    def refresh(self, change=None) -> None:
        """Recompute the layer table and redraw; errors are shown in the output, never lost."""
        from IPython.display import clear_output, display

        try:
            cases, orders = self.filtered()
            table = pareto(layer_table(cases, self.by, orders=orders), self.threshold)
            self.table, self.error = table, None
            total = float(cases["cost"].sum())
            n_vital = int(table["vital_few"].sum())
            self.summary.value = (f"{len(cases):,} cases, cost {total / 1e4:,.1f} wan yuan, net "
                                  f"{cases['net'].sum() / 1e4:,.1f} wan yuan; {n_vital} of {len(table)} "
                                  f"layers carry {self.threshold:.0%} of the cost")
            fig = None
            if self.draw and len(table) and total > 0:
                from aftersales.segment.charts import pareto_chart
                fig = pareto_chart(table, top=self.top.value, threshold=self.threshold, lang=self.lang)
            self.figure = fig
            if not _in_ipython():      # headless (a test): the state above is the result
                return
            with self.output:
                clear_output(wait=True)
                if fig is not None:
                    display(fig)
                cols = list(self.by or ["layer"]) + ["cases", "cost", "net", "share_of_cost",
                                                     "cumulative_share", "cost_per_case"]
                cols += [c for c in ("case_rate", "return_rate") if c in table.columns]
                display(table[cols].head(self.top.value).style.format(
                    {"cost": "{:,.0f}", "net": "{:,.0f}", "share_of_cost": "{:.1%}",
                     "cumulative_share": "{:.1%}", "cost_per_case": "{:,.1f}", "case_rate": "{:.2%}",
                     "return_rate": "{:.2%}"}, na_rep="-").hide(axis="index"))
        except Exception as exc:  # shown in the output: exceptions in callbacks are otherwise invisible
            self.error = f"{type(exc).__name__}: {exc}"
            if not _in_ipython():
                return
            with self.output:
                clear_output(wait=True)
                print(f"cannot draw this selection: {self.error}")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def explorer(dataset_or_cases, orders=None, tiers=None, **kwargs) -> SegmentExplorer:
    """A :class:`SegmentExplorer` for a :class:`~aftersales.segment.analysis.Dataset` or clean cases."""
    if hasattr(dataset_or_cases, "cases") and hasattr(dataset_or_cases, "result"):
        ds = dataset_or_cases
        return SegmentExplorer(ds.cases, ds.orders, ds.tiers, **kwargs)
    return SegmentExplorer(dataset_or_cases, orders, tiers, **kwargs)
