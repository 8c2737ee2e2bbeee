"""Self-serve layering in Jupyter (自助分析): the BI experience of the article, with ipywidgets.

Checkboxes choose the layer dimensions, multi-value lists filter the cases (tick several
values of a dimension; none ticked is no filter), a slider sets how many layers to draw; every
change redraws the Pareto chart and the layer table into one Output (``clear_output(wait=True)``,
no flicker). A drill-down list picks one layer of the table and shows its cases, with the file
and source row each came from. Every label, value and table is in the explorer's ``lang``
(the glossary's rule: the filters show "抖音" for the code ``douyin``, their values stay the codes).
The explorer is a plain object built by a library
function, so a test can set ``.value`` on a control and read :attr:`SegmentExplorer.table`
headlessly, without a browser.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from aftersales.segment.analysis import (DIMENSIONS, ORDER_DIMENSIONS, attach_tiers, column_label, layer_table,
                                         layer_view, localise, pareto, seg_label)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SegmentExplorer", "explorer", "ALL"]

#: The value meaning "no filter" (kept for callers: a filter with nothing ticked is no filter).
ALL = "(all)"
#: The drill-down value meaning "no layer picked".
NONE = "(pick a layer)"
_DRILL_COLUMNS = ("case_id", "order_id", "customer_id", "opened_at", "channel", "category", "case_type",
                  "reason", "cost", "net", "refund_amount", "source_file", "source_row")


def _in_ipython() -> bool:
    try:
        from IPython.core.interactiveshell import InteractiveShell
    except ImportError:  # pragma: no cover
        return False
    return InteractiveShell.initialized()


def _plain(line: str) -> dict:
    """A line of plain text as a display bundle (shown in an Output like a printed line)."""
    return {"text/plain": line}


class SegmentExplorer:
    """Controls, the current layer table and figure, and the widget to display.

    Checkboxes choose the layer dimensions, multi-value lists filter the cases, a slider sets
    how many layers to draw; every change recomputes the table and redraws. Display the object
    (or its ``widget``) in Jupyter; a test sets ``.value`` on a control and reads the state.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases: cost and net (yuan), case_type, and a column per dimension to offer
        (category, reason, channel, customer_tier, case_type; opened_at for a time dimension in
        ``by``).
    orders : pandas.DataFrame, optional
        Clean orders: with them the table has the rates per order.
    tiers : pandas.DataFrame, optional
        RFM tiers per customer: attached to cases and orders as customer_tier.
    by : sequence of str, optional
        The dimensions ticked at the start (default ``("category", "reason")``).
    top : int, optional
        The layers drawn at the start (slider 3-40; default 15).
    threshold : float, optional
        The share of the cost the vital few reach (0-1, default 0.8).
    lang : {"en", "zh", "both"}, optional
        The language of every label, value and table (default ``"en"``).
    draw : bool, optional
        Draw the Pareto chart on each change (default True; False keeps only the table).

    Attributes
    ----------
    checkboxes : dict of str to ipywidgets.Checkbox
        Per dimension, ticked when the table is cut by it.
    filters : dict of str to ipywidgets.SelectMultiple
        Per dimension, the values kept (codes; several values of a dimension are OR-ed,
        dimensions AND-ed; none ticked is no filter).
    top : ipywidgets.IntSlider
        How many layers the chart and the table show.
    drill : ipywidgets.Dropdown
        A layer of the table whose cases to show.
    table : pandas.DataFrame
        The layer table last drawn (Pareto order, with ``vital_few``).
    figure : matplotlib.figure.Figure or None
        The Pareto chart last drawn.
    drilled : pandas.DataFrame or None
        The cases of the layer picked, largest cost first, with their source file and row.
    error : str or None
        The message of the last failed redraw (shown in the output), else None.

    Raises
    ------
    ValueError
        If a dimension of ``by`` is not a column of the cases.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": ["AS1", "AS2", "AS3", "AS4"],
    ...                       "category": ["dresses", "dresses", "tops", "shoes"],
    ...                       "reason": ["size_fit", "quality_defect", "size_fit", "other"],
    ...                       "channel": ["tmall", "jd", "jd", "tmall"],
    ...                       "case_type": ["return", "repair", "return", "complaint"],
    ...                       "cost": [500.0, 200, 200, 100], "net": [-500.0, -150, -200, -100]})
    >>> ex = SegmentExplorer(cases, by=("category",), draw=False)
    >>> ex.table[["category", "cost", "vital_few"]].values.tolist()
    [['dresses', 700.0, True], ['tops', 200.0, True], ['shoes', 100.0, False]]
    >>> ex.filters["channel"].value = ("jd",)           # keep the JD cases only
    >>> ex.checkboxes["reason"].value = True            # and cut by reason too
    >>> ex.by, ex.layer_labels()
    (('category', 'reason'), ['dresses / quality_defect', 'tops / size_fit'])
    >>> ex.drill.value = "tops / size_fit"
    >>> ex.drilled[["case_id", "cost"]].values.tolist()
    [['AS3', 200.0]]
    """

    def __init__(self, cases: "pd.DataFrame", orders: "pd.DataFrame | None" = None,
                 tiers: "pd.DataFrame | None" = None, by: Sequence[str] = ("category", "reason"),
                 top: int = 15, threshold: float = 0.8, lang: str = "en", draw: bool = True) -> None:
        import ipywidgets as w

        if tiers is not None and "customer_tier" not in cases.columns:
            cases = attach_tiers(cases, tiers)
        if orders is not None and tiers is not None and "customer_tier" not in orders.columns:
            orders = attach_tiers(orders, tiers)
        from aftersales.segment.layers import TIME_DIMENSIONS, period

        wanted = [d for d in by if d in TIME_DIMENSIONS and d not in cases.columns]
        if wanted and "opened_at" in cases.columns:      # a time dimension: the period a case opened in
            cases = cases.assign(**{d: period(cases["opened_at"], d) for d in wanted})
        self.cases, self.orders, self.tiers = cases, orders, tiers
        self.threshold, self.lang, self.draw = threshold, lang, draw
        self.dimensions = [d for d in DIMENSIONS if d in cases.columns]
        self.dimensions += [d for d in wanted if d in cases.columns and d not in self.dimensions]
        unknown = [d for d in by if d not in self.dimensions]
        if unknown:
            raise ValueError(f"cannot layer by {', '.join(unknown)}: the cases have no such column")
        from aftersales.glossary import label

        self.none = NONE if lang == "en" else label("seg_pick_layer", lang)
        self.checkboxes = {d: w.Checkbox(value=d in by, description=column_label(d, lang), indent=False,
                                         layout=w.Layout(width="130px")) for d in self.dimensions}
        self.filters = {}
        for d in self.dimensions:
            values = [str(v) for v in cases[d].cat.categories] if hasattr(cases[d], "cat") \
                else sorted(map(str, cases[d].unique()))
            self.filters[d] = w.SelectMultiple(options=[(seg_label(v, lang), v) for v in values], value=(),
                                               description=column_label(d, lang), rows=4,
                                               layout=w.Layout(width="240px"))
        self.top = w.IntSlider(value=top, min=3, max=40, description=label("seg_layers_shown", lang),
                               continuous_update=False, style={"description_width": "initial"})
        self.summary = w.HTML()
        self.output = w.Output(layout=w.Layout(min_height="520px"))
        self.drill = w.Dropdown(options=[self.none], value=self.none, description=label("seg_cases_of_layer", lang),
                                style={"description_width": "initial"}, layout=w.Layout(width="520px"))
        self.drill_output = w.Output()
        self.drilled: "pd.DataFrame | None" = None
        self.drill.observe(self.show_layer, names="value")
        self.table: "pd.DataFrame | None" = None
        self.figure = None
        self.error: str | None = None
        for c in list(self.checkboxes.values()) + list(self.filters.values()) + [self.top]:
            c.observe(self.refresh, names="value")
        self.widget = w.VBox([
            w.HTML(f"<b>{label('seg_explorer_dims', lang if lang != 'en' else 'both')}</b>"),
            w.HBox(list(self.checkboxes.values())),
            w.HTML(f"<b>{label('seg_explorer_filter', lang if lang != 'en' else 'both')}</b>"),
            w.GridBox(list(self.filters.values()), layout=w.Layout(grid_template_columns="repeat(3, 250px)")),
            self.top, self.summary, self.output,
            w.HTML(f"<b>{label('seg_explorer_drill', lang if lang != 'en' else 'both')}</b>"), self.drill,
            self.drill_output])
        self.refresh()

    # -------------------------------------------------------------- state
    @property
    def by(self) -> tuple[str, ...]:
        """The dimensions ticked, in the order of DIMENSIONS."""
        return tuple(d for d in self.dimensions if self.checkboxes[d].value)

    @property
    def selection(self) -> dict[str, tuple[str, ...]]:
        """The active filters {dimension: values ticked}."""
        return {d: tuple(v for v in sel.value if v != ALL) for d, sel in self.filters.items()
                if [v for v in sel.value if v != ALL]}

    def filtered(self) -> tuple["pd.DataFrame", "pd.DataFrame | None"]:
        """(cases, orders) after the filters; orders are filtered on the dimensions they have."""
        import numpy as np

        mask = np.ones(len(self.cases), dtype=bool)
        for d, vals in self.selection.items():
            mask &= self.cases[d].astype(str).isin(vals).to_numpy()
        orders = self.orders
        if orders is not None:
            om = np.ones(len(orders), dtype=bool)
            for d, vals in self.selection.items():
                if d in ORDER_DIMENSIONS and d in orders.columns:
                    om &= orders[d].astype(str).isin(vals).to_numpy()
            orders = orders.loc[om]
        return self.cases.loc[mask], orders

    def layer_labels(self) -> list[str]:
        """The labels of the table's layers, largest cost first ("dresses / size_fit"; "连衣裙 / 尺码不合适")."""
        if self.table is None:
            return []
        keys = list(self.by) or ["layer"]
        return [" / ".join(seg_label(v, self.lang) for v in row) for row in self.table[keys].itertuples(index=False)]

    def cases_of(self, layer: int | str) -> "pd.DataFrame":
        """The cases (after the filters) of one layer of the current table: its position or label."""
        import numpy as np

        labels = self.layer_labels()
        i = labels.index(layer) if isinstance(layer, str) else int(layer)
        cases, _ = self.filtered()
        mask = np.ones(len(cases), dtype=bool)
        for k in self.by:
            mask &= cases[k].astype(str).to_numpy() == str(self.table.iloc[i][k])
        cols = [c for c in _DRILL_COLUMNS if c in cases.columns]
        return cases.loc[mask, cols].sort_values("cost", ascending=False, kind="stable")

    def show_layer(self, change=None) -> None:
        """Show the cases of the layer picked in :attr:`drill` (largest cost first)."""
        from IPython.display import clear_output, display

        from aftersales.glossary import fmt_number, fmt_yuan, label

        pick = self.drill.value
        self.drilled = None if pick in (NONE, self.none, None) else self.cases_of(pick)
        if not _in_ipython():
            return
        with self.drill_output:
            clear_output(wait=True)
            if self.drilled is not None:
                display(_plain(label("seg_drill_line", self.lang, cases=fmt_number(len(self.drilled)),
                                     cost=fmt_yuan(float(self.drilled["cost"].sum()), self.lang, 2))), raw=True)
                display(localise(self.drilled.head(50), self.lang))

    # -------------------------------------------------------------- drawing
    def refresh(self, change=None) -> None:
        """Recompute the layer table and redraw; errors are shown in the output, never lost."""
        from IPython.display import clear_output, display

        from aftersales.glossary import fmt_number, fmt_wan, label

        try:
            cases, orders = self.filtered()
            table = pareto(layer_table(cases, self.by, orders=orders), self.threshold)
            self.table, self.error = table, None
            self.drill.options = [self.none] + self.layer_labels()
            self.drill.value = self.none
            total = float(cases["cost"].sum())
            n_vital = int(table["vital_few"].sum())
            self.summary.value = label("seg_explorer_summary", self.lang, cases=fmt_number(len(cases)),
                                       cost=fmt_wan(total, self.lang), net=fmt_wan(float(cases["net"].sum()), self.lang),
                                       n=n_vital, layers=len(table), threshold=self.threshold)
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
                display(layer_view(table.drop(columns=["cost_per_order"], errors="ignore"), self.by, self.lang,
                                   self.top.value).hide(axis="index"))
        except Exception as exc:  # shown in the output: exceptions in callbacks are otherwise invisible
            self.error = f"{type(exc).__name__}: {exc}"
            if not _in_ipython():
                return
            with self.output:
                clear_output(wait=True)
                display(_plain(label("seg_cannot_draw", self.lang, error=self.error)), raw=True)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def explorer(dataset_or_cases, orders=None, tiers=None, **kwargs) -> SegmentExplorer:
    """A :class:`SegmentExplorer` for a :class:`~aftersales.segment.analysis.Dataset` or clean cases.

    Parameters
    ----------
    dataset_or_cases : Dataset or pandas.DataFrame
        A loaded dataset (its cases, orders and tiers are used) or clean cases.
    orders, tiers : pandas.DataFrame, optional
        With clean cases: the orders and the RFM tiers (ignored for a dataset).
    **kwargs
        Passed on to :class:`SegmentExplorer` (by, top, threshold, lang, draw).

    Returns
    -------
    SegmentExplorer

    Examples
    --------
    In Chinese: the layers, the dimensions and the filters' values are named in Chinese, the
    values the filters hold stay the codes:

    >>> import pandas as pd
    >>> cases = pd.DataFrame({"category": ["dresses", "tops"], "reason": ["size_fit", "other"],
    ...                       "channel": ["jd", "tmall"], "case_type": ["return", "complaint"],
    ...                       "cost": [500.0, 100], "net": [-500.0, -100]})
    >>> ex = explorer(cases, lang="zh", draw=False)
    >>> ex.layer_labels()
    ['连衣裙 / 尺码不合适', '上衣 / 其他']
    >>> ex.checkboxes["category"].description, ex.filters["channel"].options
    ('品类', (('京东', 'jd'), ('天猫', 'tmall')))
    """
    if hasattr(dataset_or_cases, "cases") and hasattr(dataset_or_cases, "result"):
        ds = dataset_or_cases
        return SegmentExplorer(ds.cases, ds.orders, ds.tiers, **kwargs)
    return SegmentExplorer(dataset_or_cases, orders, tiers, **kwargs)
