"""The look of the course's figures: colours, fonts, resolution, and figures that redraw in place.

- :func:`course_style`: resolves ``lang`` (the glossary's one rule: ``"en"``, ``"zh"``,
  ``"both"``), picks a CJK font for Chinese (WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han
  Sans, SimHei, ...) and falls back to English with one warning per process when none is installed;
- :class:`CourseFigure`: a ``matplotlib.figure.Figure`` that shows itself as a PNG in a notebook
  (no pyplot state); :func:`new_figure`, :func:`to_png`;
- :class:`LiveFigure`: a figure built once whose artists an explorer updates on every change
  (``bar.set_height``, ``line.set_data``, ``text.set_text``), rendered once to PNG per change.

Figures are drawn at :data:`DPI` (110) and sized to be shown unscaled in a notebook or the app
(at most :data:`MAX_WIDTH_PX` wide), so no text is smaller than :data:`MIN_TEXT_PX` on screen.
"""
from __future__ import annotations

import contextlib
import io
import math
import os
import sys
import textwrap
import warnings
from typing import Any, Callable, Iterator, Sequence

import matplotlib
from matplotlib.figure import Figure

from aftersales.glossary import LANGS, check_lang

__all__ = ["LANGS", "DPI", "MAX_WIDTH_PX", "MIN_TEXT_PX", "CJK_FONTS", "find_cjk_font", "course_style",
           "CourseFigure", "LiveFigure", "new_figure", "to_png", "min_text_px", "bar_labels",
           "set_bar_labels", "sticky_ylim", "wrap", "REVENUE", "COST", "GOOD", "BAD", "BASE", "FINAL", "NEUTRAL",
           "SERVICE_COLOURS", "METHOD_COLOURS"]

#: Resolution of every course figure, in a notebook, the app and the site (dots per inch).
DPI = 110
#: The widest a figure is drawn (pixels at DPI): a JupyterLab cell at 1280 px shows it unscaled.
MAX_WIDTH_PX = 1050
#: The smallest text on screen, in pixels, when a figure is shown at its own size.
MIN_TEXT_PX = 10
#: CJK fonts looked for, in order of preference, for Chinese labels.
CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
             "Source Han Sans SC", "Source Han Sans CN", "Source Han Sans", "SimHei",
             "Microsoft YaHei", "PingFang SC", "Heiti SC", "Noto Sans CJK JP", "Noto Sans CJK TC")

# Colours (always 6-digit hex): the article's palette with its 5-digit "#9b59b" fixed.
REVENUE, COST, GOOD, BAD, BASE, FINAL, NEUTRAL = ("#27ae60", "#e74c3c", "#2ecc71", "#e74c3c",
                                                  "#3498db", "#9b59b6", "#7f8c8d")
SERVICE_COLOURS = ("#e74c3c", "#3498db", "#2ecc71", "#f39c12", "#9b59b6", "#1abc9c", "#e67e22",
                   "#34495e")
METHOD_COLOURS = {"seed": "#95a5a6", "corrected": "#2980b9"}

_zh_warned = False


#: File names (lower case) of the CJK fonts looked for on disk when matplotlib's font cache has none
CJK_FONT_FILES = ("wqy-microhei", "wqy-zenhei", "notosanscjk", "notoserifcjk", "sourcehansans",
                  "sourcehanserif", "droidsansfallback")


def _known_cjk_font() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    for name in sorted(names):
        if "CJK" in name or "Han Sans" in name or "WenQuanYi" in name:
            return name
    return None


def find_cjk_font() -> str | None:
    """The name of an installed font that can draw Chinese, or None.

    matplotlib caches the fonts it found when it first ran; a CJK font installed after that (a
    machine set up, then its fonts added) is not in the cache. When the cache has none, the
    system's font folders are searched for the known CJK font files, which are then added.

    Returns
    -------
    str or None
        The first of :data:`CJK_FONTS` matplotlib knows, else the first known font (by name)
        whose name holds "CJK", "Han Sans" or "WenQuanYi"; None when there is none even after
        the font folders were searched.

    Notes
    -----
    A font file found in the folders is added to matplotlib's font list for this process only
    (the cache on disk is not rewritten); a file matplotlib cannot read is passed over.

    Examples
    --------
    The answer depends on the machine's fonts; what is true everywhere is that a name returned
    is one matplotlib can draw with:

    >>> from matplotlib import font_manager
    >>> font = find_cjk_font()
    >>> font is None or font in {f.name for f in font_manager.fontManager.ttflist}
    True
    """
    from matplotlib import font_manager

    found = _known_cjk_font()
    if found is None:
        for path in sorted(font_manager.findSystemFonts()):
            if any(k in os.path.basename(path).lower().replace("-", "").replace("_", "")
                   for k in (f.replace("-", "") for f in CJK_FONT_FILES)):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = _known_cjk_font()
    return found


def _outside_stacklevel() -> int:
    """The warnings stacklevel of the first caller outside the course's figure modules."""
    frame, level = sys._getframe(1), 1  # frame 1: the function that calls warnings.warn
    while frame is not None and (frame.f_globals.get("__name__", "").startswith(
            ("aftersales.course.", "aftersales.segment.")) or frame.f_globals.get("__name__") == "contextlib"):
        frame, level = frame.f_back, level + 1
    return level


def _resolve_lang(lang: str) -> tuple[str, str | None]:
    """(language actually used, CJK font name or None); warns once per process on fallback."""
    global _zh_warned
    check_lang(lang)
    if lang == "en":
        return "en", None
    font = sys.modules[__name__].find_cjk_font()
    if font is None:
        if not _zh_warned:
            _zh_warned = True
            warnings.warn(f"lang={lang!r}: no CJK font found (install e.g. fonts-wqy-microhei or "
                          "fonts-noto-cjk); the figures fall back to English labels",
                          UserWarning, stacklevel=_outside_stacklevel())
        return "en", None
    return lang, font


@contextlib.contextmanager
def course_style(lang: str) -> Iterator[str]:
    """Resolve ``lang`` and set fonts and sizes while a figure is built; yields the language used.

    Parameters
    ----------
    lang : {"en", "zh", "both"}
        The language asked for.

    Yields
    ------
    str
        The language the figure is drawn in: ``lang``, or ``"en"`` when Chinese was asked for
        and no CJK font is installed.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Warns
    -----
    UserWarning
        Once per process, the first time Chinese falls back to English for want of a font.

    Notes
    -----
    Inside the block: no top or right spines, titles 11 pt, labels 9 pt, ticks and legends
    8.5 pt, :data:`DPI` for the figure and for saving; with a CJK font, the font family is that
    font then DejaVu Sans, the minus sign is a hyphen and titles are regular (CJK fonts often have
    no bold face). matplotlib's settings are restored when the block ends.

    Examples
    --------
    >>> import matplotlib
    >>> with course_style("en") as used:
    ...     used, matplotlib.rcParams["figure.dpi"], matplotlib.rcParams["axes.titlesize"]
    ('en', 110.0, 11.0)
    >>> with course_style("zh") as used:
    ...     used in ("zh", "en")
    True
    >>> with course_style("fr"):
    ...     pass
    Traceback (most recent call last):
    ValueError: lang must be one of 'en', 'zh', 'both', got 'fr'
    """
    used, font = _resolve_lang(lang)
    rc: dict[str, Any] = {"axes.spines.top": False, "axes.spines.right": False,
                          "axes.titlesize": 11, "axes.titleweight": "bold", "axes.labelsize": 9,
                          "xtick.labelsize": 8.5, "ytick.labelsize": 8.5, "legend.fontsize": 8.5,
                          "font.size": 9, "figure.titlesize": 12, "figure.titleweight": "bold",
                          "figure.dpi": DPI, "savefig.dpi": DPI}
    if font is not None:
        # Text objects keep their font family list, so the figure renders the same later.
        # CJK fonts often have no bold face: use the regular one rather than a findfont warning.
        rc.update({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False,
                   "axes.titleweight": "normal", "figure.titleweight": "normal"})
    with matplotlib.rc_context(rc):
        yield used


class CourseFigure(Figure):
    """A matplotlib Figure that shows itself as a PNG in Jupyter (no pyplot needed).

    Not registered with pyplot, so it is freed like any object (no ``plt.close``) and a notebook
    shows it once, as the value of its cell.

    Parameters
    ----------
    *args, **kwargs
        Those of ``matplotlib.figure.Figure`` (``figsize`` in inches, ``dpi``, ``layout``, ...);
        use :func:`new_figure` for a course figure.

    Examples
    --------
    >>> fig = CourseFigure(figsize=(2, 1), dpi=DPI)
    >>> png = fig._repr_png_()
    >>> png[:4], int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # 2 x 110, 1 x 110 px
    (b'\\x89PNG', 220, 110)
    """

    def _repr_png_(self) -> bytes:
        return to_png(self)


def to_png(fig: Figure, dpi: int = DPI, tight: bool = False) -> bytes:
    """The figure as PNG bytes at ``dpi`` (cropped to a tight bounding box if ``tight``).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    dpi : int, optional
        Dots per inch (default :data:`DPI`, 110).
    tight : bool, optional
        Crop to the drawn content (default False: the figure's whole size).

    Returns
    -------
    bytes
        A PNG file's bytes, fast-compressed (level 1), with no "Software" entry, so the same figure
        gives the same bytes.

    Examples
    --------
    >>> fig = new_figure((2, 1))
    >>> png = to_png(fig)
    >>> png[:4], int.from_bytes(png[16:20], "big")               # width: 2 in x 110 dpi
    (b'\\x89PNG', 220)
    >>> int.from_bytes(to_png(fig, dpi=55)[16:20], "big")       # 2 in x 55 dpi
    110
    >>> to_png(fig) == png
    True
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight" if tight else None,
                pil_kwargs={"compress_level": 1}, metadata={"Software": None})
    return buf.getvalue()


def new_figure(figsize: tuple[float, float]) -> CourseFigure:
    """An empty course figure (constrained layout) of ``figsize`` inches, at most
    :data:`MAX_WIDTH_PX` wide at :data:`DPI`; build it inside :func:`course_style`.

    Parameters
    ----------
    figsize : tuple of float
        (width, height) in inches.

    Returns
    -------
    CourseFigure
        The figure at :data:`DPI`, with constrained layout.

    Notes
    -----
    A figure wider than MAX_WIDTH_PX / DPI = 1050 / 110 = 9.545 in is scaled down to that width,
    its height in proportion: h' = h * 9.545 / w, so the figure keeps its shape.

    Examples
    --------
    >>> fig = new_figure((6, 4))
    >>> [round(float(x), 3) for x in fig.get_size_inches()], fig.dpi
    ([6.0, 4.0], 110)
    >>> [round(float(x), 3) for x in new_figure((12, 4)).get_size_inches()]   # 1050/110 wide, 4 x 9.545/12 high
    [9.545, 3.182]
    """
    w, h = figsize
    top = MAX_WIDTH_PX / DPI
    if w > top:
        w, h = top, h * top / w
    return CourseFigure(figsize=(w, h), dpi=DPI, layout="constrained")


def min_text_px(fig: Figure) -> float:
    """The height in screen pixels of the smallest visible text of ``fig`` shown at its own size.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to measure.

    Returns
    -------
    float
        The smallest font size (points) of its visible, non-blank texts times DPI / 72; infinity
        when it has no text.

    Notes
    -----
    px = pt * 110 / 72, so the course's :data:`MIN_TEXT_PX` of 10 px is about 6.5 pt.

    Examples
    --------
    >>> fig = new_figure((3, 2))
    >>> min_text_px(fig)
    inf
    >>> _ = fig.text(0.1, 0.5, "revenue", fontsize=9)
    >>> _ = fig.text(0.1, 0.2, "cost", fontsize=7.2)
    >>> round(min_text_px(fig), 1)                      # 7.2 pt x 110 / 72
    11.0
    """
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes) * DPI / 72 if sizes else math.inf


def wrap(name: str, width: int = 12) -> str:
    """A name broken into lines of ``width`` characters (Chinese: 6 characters a line).

    Parameters
    ----------
    name : str
        A label, e.g. a service's name under a bar.
    width : int, optional
        Characters a line for Latin text (default 12); a name with Chinese characters gets
        ``max(4, width // 2)`` a line, as a Chinese character is about twice as wide.

    Returns
    -------
    str
        The name with line breaks: Latin text broken between words, Chinese every n characters.

    Examples
    --------
    >>> print(wrap("Seasonal storage service"))
    Seasonal
    storage
    service
    >>> wrap("季节性存储服务")
    '季节性存储服\\n务'
    >>> wrap("Repair")
    'Repair'
    """
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        width = max(4, width // 2)
        return "\n".join(name[i:i + width] for i in range(0, len(name), width))
    return "\n".join(textwrap.wrap(name, width)) or name


def bar_labels(ax, n: int, colour: str | None = None, fontsize: float = 8.5) -> list:
    """``n`` empty value labels for bars, to be placed by :func:`set_bar_labels`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes of the bars.
    n : int
        How many labels (one per bar).
    colour : str, optional
        Text colour (default dark grey ``"#222222"``).
    fontsize : float, optional
        In points (default 8.5).

    Returns
    -------
    list of matplotlib.text.Annotation
        ``n`` blank annotations, centred, 3 points off their point, drawn even outside the axes.

    Examples
    --------
    >>> ax = new_figure((3, 2)).subplots()
    >>> labels = bar_labels(ax, 2, fontsize=9)
    >>> len(labels), [a.get_text() for a in labels], labels[0].get_fontsize()
    (2, ['', ''], 9.0)
    """
    return [ax.annotate("", (0, 0), xytext=(0, 3), textcoords="offset points", ha="center",
                        va="bottom", fontsize=fontsize, color=colour or "#222222", annotation_clip=False)
            for _ in range(n)]


def set_bar_labels(labels: Sequence, bars: Sequence, values: Sequence, fmt: Callable[[float], str]) -> None:
    """Write each value at the far end of its bar (above a rise, below a fall).

    Parameters
    ----------
    labels : sequence of matplotlib.text.Annotation
        From :func:`bar_labels`, one per bar.
    bars : sequence of matplotlib.patches.Rectangle
        The bars, e.g. what ``ax.bar`` returns.
    values : sequence of float or None
        The values written; None or NaN blanks the label.
    fmt : callable
        Turns a value into its text.

    Returns
    -------
    None
        The labels are changed in place.

    Notes
    -----
    A label sits at x = bar's left + width / 2, y = bar's y + height (its far end), 3 points
    above with its bottom there for a value >= 0, 3 points below with its top there for a
    negative one. Pairs beyond the shortest of the three sequences are left as they are.

    Examples
    --------
    >>> ax = new_figure((3, 2)).subplots()
    >>> bars = ax.bar([0, 1, 2], [3, -2, 1])
    >>> labels = bar_labels(ax, 3)
    >>> set_bar_labels(labels, bars, [3, -2, None], lambda v: f"{v:+.0f}")
    >>> [a.get_text() for a in labels], [a.get_va() for a in labels]
    (['+3', '-2', ''], ['bottom', 'top', 'bottom'])
    >>> [tuple(float(c) for c in a.xy) for a in labels[:2]]
    [(0.0, 3.0), (1.0, -2.0)]
    """
    for a, bar, v in zip(labels, bars, values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            a.set_text("")
            continue
        a.xy = (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height())
        a.xyann = (0, 3 if v >= 0 else -3)
        a.set_va("bottom" if v >= 0 else "top")
        a.set_text(fmt(v))


def sticky_ylim(ax, lo: float, hi: float, margin: float = 0.12) -> None:
    """Show at least [lo, hi] (plus ``margin`` of the span); keep the current limits while the
    data fill most of them, so an explorer's redraw seldom has to redraw the axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes whose y limits are set.
    lo, hi : float
        The lowest and highest value to show (in the axis' unit); 0 is always shown.
    margin : float, optional
        Head room as a share of the span hi - lo (default 0.12).

    Returns
    -------
    None
        The axes' y limits are changed in place (or kept).

    Notes
    -----
    With lo <- min(lo, 0), hi <- max(hi, 0), span = hi - lo (1 if 0): the limits needed are
    (lo - margin/2 * span, hi + margin/2 * span), an end at 0 taking no margin. The current limits
    are kept when they hold those and the needed range is at least half of theirs; otherwise
    they become (lo - 1.5 * margin * span, hi + 1.5 * margin * span), so small changes later fit.

    Examples
    --------
    >>> ax = new_figure((3, 2)).subplots()
    >>> sticky_ylim(ax, 0, 100); [float(y) for y in ax.get_ylim()]     # 100 + 1.5 x 0.12 x 100
    [0.0, 118.0]
    >>> sticky_ylim(ax, 0, 90); [float(y) for y in ax.get_ylim()]      # needs (0, 95.4): kept
    [0.0, 118.0]
    >>> sticky_ylim(ax, -10, 20); [round(float(y), 6) for y in ax.get_ylim()]   # span 30: -10 - 5.4, 20 + 5.4
    [-15.4, 25.4]
    """
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = (hi - lo) or 1.0
    need = (lo - margin / 2 * span if lo < 0 else lo, hi + margin / 2 * span if hi > 0 else hi)
    cur = ax.get_ylim()
    if cur[0] <= need[0] and need[1] <= cur[1] and (need[1] - need[0]) >= 0.5 * (cur[1] - cur[0]):
        return
    ax.set_ylim(lo - 1.5 * margin * span if lo < 0 else lo, hi + 1.5 * margin * span if hi > 0 else hi)


def _view(fig: Figure) -> tuple:
    """What a background depends on: the limits and fixed tick labels of every axes."""
    def fixed(axis):
        return tuple(getattr(axis.get_major_formatter(), "seq", ()) or ())

    return tuple((ax.get_xlim(), ax.get_ylim(), fixed(ax.xaxis), fixed(ax.yaxis)) for ax in fig.axes)


class LiveFigure:
    """A figure built once, updated in place: ``update(data)`` moves its artists, ``png()``
    renders it once. Subclasses set ``self.figure`` and ``self.lang`` in ``__init__`` (inside
    :func:`course_style`), list the artists that change in ``self.animated`` and define
    ``_update``. The rest of the figure (axes, ticks, titles) is drawn once and kept as a
    background while the axes' limits and tick labels stay the same.

    Parameters
    ----------
    *args, **kwargs
        None here: a subclass's ``__init__`` takes its own (e.g. the scenario and ``lang``).

    Notes
    -----
    The background is drawn again only when an axes' limits or fixed tick labels change (see
    :func:`sticky_ylim`, which keeps limits steady); the layout is frozen after the first draw,
    so later pictures only move the listed artists.

    Examples
    --------
    >>> class Bars(LiveFigure):
    ...     def __init__(self):
    ...         with course_style("en"):
    ...             self.figure = new_figure((3, 2))
    ...             ax = self.figure.subplots()
    ...             self.bars = list(ax.bar([0, 1], [1, 1]))
    ...             ax.set_ylim(0, 10)
    ...         self.animated = self.bars
    ...     def _update(self, data):
    ...         for bar, v in zip(self.bars, data):
    ...             bar.set_height(v)
    >>> live = Bars()
    >>> live.update([3, 7]) is live
    True
    >>> [bar.get_height() for bar in live.bars]
    [3, 7]
    >>> live.png()[:4], live.freeze_layout()     # the first png() froze the layout
    (b'\\x89PNG', False)
    >>> live.update([5, 2]).png() != live.update([3, 7]).png()
    True
    """

    figure: CourseFigure
    lang: str = "en"
    animated: list = []
    _background = None
    _view_key = None

    def update(self, data) -> "LiveFigure":
        """Move the artists to ``data``; returns self."""
        with course_style(self.lang):
            self._update(data)
        return self

    def _update(self, data) -> None:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def freeze_layout(self) -> bool:
        """Run the layout once, then keep it: later redraws only move artists. True when this
        call drew the figure (the first time), False when the layout was already frozen."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if not isinstance(self.figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(self.figure)
        if getattr(self, "_frozen", False):
            return False
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        self._frozen = True
        return True

    def png(self) -> bytes:
        """The current picture as PNG bytes: the kept background and the moving artists drawn
        on it (the whole figure again only when an axis changed)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        for a in self.animated:
            a.set_animated(True)
        # the first draw lays the figure out and, the moving artists left out, is the background
        first = self.freeze_layout()
        fig = self.figure
        canvas = fig.canvas
        if not isinstance(canvas, FigureCanvasAgg):
            canvas = FigureCanvasAgg(fig)
        view = _view(fig)
        if first:
            self._background, self._view_key = canvas.copy_from_bbox(fig.bbox), view
        elif self._background is None or view != self._view_key:
            canvas.draw()  # everything but the animated artists
            self._background, self._view_key = canvas.copy_from_bbox(fig.bbox), view
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for a in self.animated:
            if a.get_visible():
                a.draw(renderer)
        buf = io.BytesIO()
        rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        rgba.convert("RGB").save(buf, format="png", compress_level=1)  # opaque: 3 channels encode faster
        return buf.getvalue()
