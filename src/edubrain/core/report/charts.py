"""报告插图 (report charts): the dashboard's charts drawn server-side to PNG for the .docx reports.

Two kinds, in the dashboard's colours (``core.palette.PALETTE``) and words:

- ``trend_png``: a target's yearly values (实际值, solid with points and value labels), the planned path
  (规划路径, dashed), the trend forecast (趋势预测, dotted) and the target (a horizontal line and a marker at
  the target year, labelled "2025年目标 55%");
- ``bar_png``: one bar per school or town (vertical or horizontal) with value labels and an optional limit
  line (e.g. the 0.50 差异系数 line).

Each call builds its own ``matplotlib.figure.Figure`` on the Agg canvas (no pyplot, so nothing is shared
between calls or threads), uses a Chinese font found by matplotlib's font manager (Noto CJK first) and
returns PNG bytes without a timestamp or version (the same input gives the same bytes). A chart without
any value is a picture saying 暂无数据, never an exception.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeGuard

import matplotlib

matplotlib.use("Agg")  # a server: never try a window system

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties, fontManager  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from edubrain.core.palette import PALETTE  # noqa: E402

WIDTH_CM = 16.0
TREND_HEIGHT_CM = 9.0
BAR_HEIGHT_CM = 9.0
DPI = 200
CM = 1 / 2.54
MIN_SLOTS = 6  # vertical bars are never wider than one sixth of the axis
PATH_COLOUR = "#9aa5b1"  # the dashboard's grey for the planned path
GRID_COLOUR = "#d9dee4"
TEXT_COLOUR = "#333333"
EMPTY_TEXT = "暂无数据"

# Chinese fonts in order of preference: the Noto CJK families (fonts-noto-cjk), then common alternatives.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
FALLBACK_FONT = "DejaVu Sans"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font that holds Chinese characters (None when there is none)."""
    installed = {f.name for f in fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    return next((n for n in sorted(installed) if "CJK" in n and "Mono" not in n), None)


def font_family() -> list[str]:
    """The family list of every text in a chart: the Chinese font, then DejaVu Sans for what it lacks."""
    name = cjk_font()
    return [name, FALLBACK_FONT] if name else [FALLBACK_FONT]


def fmt(value: float) -> str:
    """A number as the plan writes it: at most two decimals, no trailing zeros (55, 1.37, 0.5)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ---------------------------------------------------------------- trend


def trend_png(
    title: str,
    unit: str,
    observed: Mapping[int, float | None],
    *,
    path: Iterable[tuple[int, float]] = (),
    forecast: Iterable[tuple[int, float]] = (),
    target: float | None = None,
    target_year: int | None = None,
) -> bytes:
    """A target's trend: observed values, planned path, forecast and target, years on the x-axis."""
    points = sorted((int(y), float(v)) for y, v in observed.items() if _finite(v))
    path_pts = sorted((int(y), float(v)) for y, v in path if _finite(v))
    forecast_pts = sorted((int(y), float(v)) for y, v in forecast if _finite(v))
    if not (points or path_pts or forecast_pts):
        return _empty(title, TREND_HEIGHT_CM)
    fig, ax = _figure(title, TREND_HEIGHT_CM)
    family = font_family()
    if path_pts:
        ax.plot(
            *zip(*path_pts, strict=True), color=PATH_COLOUR, linestyle="--", linewidth=1.4, label="规划路径"
        )
    if forecast_pts:
        ax.plot(
            *zip(*forecast_pts, strict=True),
            color=PALETTE[2],
            linestyle=":",
            linewidth=2.0,
            marker="o",
            markersize=3,
            label="趋势预测",
        )
    if points:
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, color=PALETTE[0], linewidth=2.0, marker="o", markersize=5, label="实际值", zorder=3)
        for x, y in points:
            ax.annotate(
                fmt(y),
                (x, y),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8.5,
                color=PALETTE[0],
                family=family,
                zorder=4,
            )
    years = [y for y, _ in points + path_pts + forecast_pts]
    if target is not None and _finite(target):
        label = f"{target_year}年目标 {fmt(target)}{unit}" if target_year else f"目标 {fmt(target)}{unit}"
        ax.axhline(target, color=PALETTE[3], linestyle="-.", linewidth=1.2, label=label, zorder=2)
        if target_year is not None:
            years.append(target_year)
            ax.plot([target_year], [target], marker="D", markersize=6, color=PALETTE[3], zorder=4)
        ax.annotate(
            label,
            (1.0, target),
            xycoords=("axes fraction", "data"),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8.5,
            color=PALETTE[3],
            family=family,
        )
    _year_axis(ax, min(years), max(years))
    values = [v for _, v in points + path_pts + forecast_pts] + ([target] if target is not None else [])
    _value_axis(ax, values, unit, margin_top=0.18)
    fig.legend(
        loc="outside lower center",
        ncols=4,
        frameon=False,
        prop=FontProperties(family=family, size=9),
    )
    return _png(fig)


def _year_axis(ax: Any, first: int, last: int) -> None:
    """Integer years as ticks ("2021", never "2,021" or "2021.5"), a little room at both ends."""
    step = max(1, math.ceil((last - first + 1) / 12))
    ax.set_xticks(list(range(first, last + 1, step)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{round(x)}"))
    ax.set_xlim(first - 0.4, last + 0.4)


def _value_axis(ax: Any, values: Sequence[float], unit: str, *, margin_top: float) -> None:
    low, high = min(values), max(values)
    span = (high - low) or abs(high) * 0.2 or 1.0
    bottom = low - span * 0.15
    if low >= 0 and bottom < 0:
        bottom = 0.0
    ax.set_ylim(bottom, high + span * margin_top + span * 0.05)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
    if unit:
        ax.set_ylabel(unit, family=font_family(), fontsize=9, color=TEXT_COLOUR)


# ---------------------------------------------------------------- bars


def bar_png(
    title: str,
    unit: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    limit: float | None = None,
    limit_label: str = "",
    horizontal: bool = False,
) -> bytes:
    """One bar per label with its value printed; a missing value leaves a gap marked "—"; ``limit`` draws a
    dashed red line labelled ``limit_label`` (or the number). Horizontal bars read from the top down."""
    pairs = list(zip(labels, values, strict=True))
    present = [float(v) for _, v in pairs if _finite(v)]
    if not present:
        return _empty(title, BAR_HEIGHT_CM)
    n = len(pairs)
    if horizontal:
        height = min(24.0, max(7.0, 0.55 * n + 3.0))
    else:
        height = BAR_HEIGHT_CM + (1.5 if _rotate(labels) else 0.0)
    fig, ax = _figure(title, height)
    family = font_family()
    positions = list(range(n))
    heights = [float(v) if _finite(v) else 0.0 for _, v in pairs]
    texts = [fmt(float(v)) if _finite(v) else "—" for _, v in pairs]
    small = 8.5 if n <= 20 else 7.0
    if horizontal:
        bars = ax.barh(positions, heights, color=PALETTE[0], height=0.62, zorder=2)
        ax.set_yticks(positions, [str(label) for label, _ in pairs])
        ax.invert_yaxis()
        ax.tick_params(axis="y", length=0, labelsize=small)
        ax.grid(axis="x", color=GRID_COLOUR, linestyle="--", linewidth=0.6, zorder=0)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
        if unit:
            ax.set_xlabel(unit, family=family, fontsize=9, color=TEXT_COLOUR)
    else:
        bars = ax.bar(positions, heights, color=PALETTE[0], width=0.62, zorder=2)
        if n < MIN_SLOTS:  # a few bars stay bar-shaped instead of filling the width
            pad = (MIN_SLOTS - n) / 2
            ax.set_xlim(-0.5 - pad, n - 0.5 + pad)
        rotate = _rotate(labels)
        ax.set_xticks(positions, [str(label) for label, _ in pairs])
        ax.tick_params(axis="x", length=0, labelsize=small, labelrotation=40 if rotate else 0)
        if rotate:
            for tick in ax.get_xticklabels():
                tick.set_horizontalalignment("right")
                tick.set_rotation_mode("anchor")
        ax.grid(axis="y", color=GRID_COLOUR, linestyle="--", linewidth=0.6, zorder=0)
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
        if unit:
            ax.set_ylabel(unit, family=family, fontsize=9, color=TEXT_COLOUR)
    ax.bar_label(bars, labels=texts, padding=3, fontsize=small, color=TEXT_COLOUR, family=family)
    _bar_limits(ax, present + ([limit] if limit is not None and _finite(limit) else []), horizontal)
    if limit is not None and _finite(limit):
        _limit_line(fig, ax, float(limit), limit_label or fmt(float(limit)), horizontal)
    return _png(fig)


def _rotate(labels: Sequence[str]) -> bool:
    """Slant the category labels when they would not fit side by side on a 16 cm axis."""
    width = sum(max(2, _text_width(str(label))) for label in labels)
    return width > 80


def _text_width(text: str) -> int:
    """Width in half-width characters (a Chinese character counts two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _bar_limits(ax: Any, values: Sequence[float], horizontal: bool) -> None:
    low, high = min(0.0, min(values)), max(0.0, max(values))
    span = (high - low) or 1.0
    lower = low - span * 0.12 if low < 0 else 0.0
    upper = high + span * 0.14 if high > 0 else 0.0
    (ax.set_xlim if horizontal else ax.set_ylim)(lower, upper)


def _limit_line(fig: Figure, ax: Any, limit: float, label: str, horizontal: bool) -> None:
    """The limit as a dashed red line across the bars, named in a legend under the chart (a label on the
    line itself would sit on the bars' value labels)."""
    style = {"color": PALETTE[3], "linestyle": "--", "linewidth": 1.3, "zorder": 3, "label": label}
    (ax.axvline if horizontal else ax.axhline)(limit, **style)
    fig.legend(
        loc="outside lower center",
        frameon=False,
        prop=FontProperties(family=font_family(), size=9),
    )


# ---------------------------------------------------------------- shared


def _finite(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _figure(title: str, height_cm: float) -> tuple[Figure, Any]:
    """A white figure, 16 cm wide, with its own Agg canvas and a constrained layout (nothing clipped)."""
    fig = Figure(
        figsize=(_inches(WIDTH_CM), _inches(height_cm)), dpi=DPI, facecolor="white", layout="constrained"
    )
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_facecolor("white")
    family = font_family()
    if title:
        ax.set_title(title, family=family, fontsize=11, color=TEXT_COLOUR, pad=10, wrap=True)
    ax.tick_params(labelsize=8.5, labelcolor=TEXT_COLOUR, labelfontfamily=family, color="#888888")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    ax.grid(axis="y", color=GRID_COLOUR, linestyle="--", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _empty(title: str, height_cm: float) -> bytes:
    """The picture of a chart without data: the title and 暂无数据 in the middle."""
    fig = Figure(
        figsize=(_inches(WIDTH_CM), _inches(height_cm)), dpi=DPI, facecolor="white", layout="constrained"
    )
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    family = font_family()
    if title:
        ax.set_title(title, family=family, fontsize=11, color=TEXT_COLOUR, pad=10)
    ax.text(0.5, 0.5, EMPTY_TEXT, ha="center", va="center", fontsize=16, color="#999999", family=family)
    return _png(fig)


def _blank(height_cm: float) -> Figure:
    size = (_inches(WIDTH_CM), _inches(height_cm))
    fig = Figure(figsize=size, dpi=DPI, facecolor="white", layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _inches(cm: float) -> float:
    """A length in inches that is a whole number of pixels at ``DPI`` (16 cm → 1260 px, not 1259)."""
    return round(cm * CM * DPI) / DPI


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # No Software/creation metadata: the same chart gives the same bytes.
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()
