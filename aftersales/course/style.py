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
    """Resolve ``lang`` and set fonts and sizes while a figure is built; yields the language used."""
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
    """A matplotlib Figure that shows itself as a PNG in Jupyter (no pyplot needed)."""

    def _repr_png_(self) -> bytes:
        return to_png(self)


def to_png(fig: Figure, dpi: int = DPI, tight: bool = False) -> bytes:
    """The figure as PNG bytes at ``dpi`` (cropped to a tight bounding box if ``tight``)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight" if tight else None,
                pil_kwargs={"compress_level": 1}, metadata={"Software": None})
    return buf.getvalue()


def new_figure(figsize: tuple[float, float]) -> CourseFigure:
    """An empty course figure (constrained layout) of ``figsize`` inches, at most
    :data:`MAX_WIDTH_PX` wide at :data:`DPI`; build it inside :func:`course_style`."""
    w, h = figsize
    top = MAX_WIDTH_PX / DPI
    if w > top:
        w, h = top, h * top / w
    return CourseFigure(figsize=(w, h), dpi=DPI, layout="constrained")


def min_text_px(fig: Figure) -> float:
    """The height in screen pixels of the smallest visible text of ``fig`` shown at its own size."""
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes) * DPI / 72 if sizes else math.inf


def wrap(name: str, width: int = 12) -> str:
    """A name broken into lines of ``width`` characters (Chinese: 6 characters a line)."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        width = max(4, width // 2)
        return "\n".join(name[i:i + width] for i in range(0, len(name), width))
    return "\n".join(textwrap.wrap(name, width)) or name


def bar_labels(ax, n: int, colour: str | None = None, fontsize: float = 8.5) -> list:
    """``n`` empty value labels for bars, to be placed by :func:`set_bar_labels`."""
    return [ax.annotate("", (0, 0), xytext=(0, 3), textcoords="offset points", ha="center",
                        va="bottom", fontsize=fontsize, color=colour or "#222222", annotation_clip=False)
            for _ in range(n)]


def set_bar_labels(labels: Sequence, bars: Sequence, values: Sequence, fmt: Callable[[float], str]) -> None:
    """Write each value at the far end of its bar (above a rise, below a fall)."""
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
    data fill most of them, so an explorer's redraw seldom has to redraw the axes."""
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
    background while the axes' limits and tick labels stay the same."""

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
