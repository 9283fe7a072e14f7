"""Report charts: PNG pictures in the dashboard's colours, 16 cm at 200 dpi, Chinese text drawn with a CJK
font, the same bytes for the same input, and a 暂无数据 picture instead of an exception."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from matplotlib._pylab_helpers import Gcf
from PIL import Image

from edubrain.base import charts as dashboard
from edubrain.core.palette import PALETTE
from edubrain.core.report import charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH_PX = round(16 / 2.54 * 200)  # 1260

OBSERVED = {2020: 91.2, 2021: 92.5, 2022: None, 2023: 94.1, 2024: 95.33}
PATH = [(2020, 91.2), (2021, 92.16), (2022, 93.12), (2023, 94.08), (2024, 95.04), (2025, 96.0)]
FORECAST = [(2024, 95.2), (2025, 96.3)]
TOWNS = ["南麻街道", "历山街道", "悦庄镇", "东里镇", "西里镇", "大张庄镇", "中庄镇", "张家坡镇"]


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(image(png))


def colour_pixels(png: bytes, hex_colour: str) -> int:
    """How many pixels have exactly this colour (a line's or bar's inside is drawn without anti-aliasing)."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return int((pixels(png) == rgb).all(axis=2).sum())


def white_share(png: bytes) -> float:
    return float((pixels(png).min(axis=2) >= 250).mean())


def trend(**kw: object) -> bytes:
    args: dict[str, object] = {"path": PATH, "forecast": FORECAST, "target": 96.0, "target_year": 2025}
    args.update(kw)
    return charts.trend_png("学前三年毛入园率", "%", OBSERVED, **args)  # type: ignore[arg-type]


def test_trend_is_a_png_16_cm_wide_at_200_dpi_on_white() -> None:
    png = trend()
    assert png.startswith(PNG_SIGNATURE)
    img = image(png)
    assert img.width == WIDTH_PX
    assert img.height == round(9 / 2.54 * 200)
    assert img.getpixel((0, 0)) == (255, 255, 255)
    assert white_share(png) > 0.8


def test_same_input_same_bytes_and_no_timestamp_or_version() -> None:
    assert trend() == trend()
    bars = charts.bar_png("巩固率", "%", TOWNS, [99.1, 98.7, 97.2, 96.0, 100.0, 95.5, 94.4, 99.9], limit=97)
    assert bars == charts.bar_png(
        "巩固率", "%", TOWNS, [99.1, 98.7, 97.2, 96.0, 100.0, 95.5, 94.4, 99.9], limit=97
    )
    for chunk in (b"tIME", b"Software", b"matplotlib"):
        assert chunk not in trend()
        assert chunk not in bars


def test_different_data_draws_a_different_picture() -> None:
    assert trend() != charts.trend_png("学前三年毛入园率", "%", {**OBSERVED, 2024: 90.0})


def test_series_use_the_dashboard_palette() -> None:
    full = trend()
    observed_only = charts.trend_png("学前三年毛入园率", "%", OBSERVED)
    assert colour_pixels(full, PALETTE[0]) > 500  # 实际值: blue line and points
    assert colour_pixels(full, PALETTE[3]) > 200  # the target line and its marker: red
    assert colour_pixels(full, PALETTE[2]) > 50  # 趋势预测: amber dots
    assert colour_pixels(full, charts.PATH_COLOUR) > 100  # 规划路径: the dashboard's grey
    assert colour_pixels(observed_only, PALETTE[3]) == 0
    assert colour_pixels(observed_only, PALETTE[2]) == 0
    assert colour_pixels(observed_only, charts.PATH_COLOUR) == 0


def test_years_are_integer_ticks() -> None:
    fig, ax = charts._figure("趋势", charts.TREND_HEIGHT_CM)
    ax.plot([2019, 2025], [1.0, 2.0])
    charts._year_axis(ax, 2019, 2025)
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(y) for y in range(2019, 2026)]


def test_a_long_span_of_years_thins_the_ticks_but_keeps_integers() -> None:
    fig, ax = charts._figure("趋势", charts.TREND_HEIGHT_CM)
    charts._year_axis(ax, 2000, 2025)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "2000" and len(labels) <= 13
    assert all(label.isdigit() for label in labels)


def test_chinese_text_needs_no_missing_glyph_fallback() -> None:
    assert charts.cjk_font() is not None, "没有找到中文字体：请安装 fonts-noto-cjk（make system）"
    assert "CJK" in str(charts.cjk_font())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trend()
        charts.bar_png("各镇（街道）巩固率", "个百分点", TOWNS, [1.5, -2.0, None, 0, 3, 4, 5, 6], limit=2)
        charts.bar_png("各校近视率", "%", TOWNS, [50, 52, 48, 47, 60, 55, 51, 49], horizontal=True)
        charts.trend_png("暂无", "%", {})
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert glyphs == []


def test_no_figure_is_left_in_pyplot() -> None:
    before = Gcf.get_num_fig_managers()
    trend()
    charts.bar_png("巩固率", "%", TOWNS[:2], [1.0, 2.0])
    assert Gcf.get_num_fig_managers() == before


def test_bars_in_the_main_colour_with_an_optional_red_limit() -> None:
    values = [99.1, 98.7, 97.2, 96.0, 100.0, 95.5, 94.4, 99.9]
    plain = charts.bar_png("巩固率", "%", TOWNS, values)
    limited = charts.bar_png("巩固率", "%", TOWNS, values, limit=97, limit_label="目标 97%")
    assert colour_pixels(plain, PALETTE[0]) > 20_000
    assert colour_pixels(plain, PALETTE[3]) == 0
    assert colour_pixels(limited, PALETTE[3]) > 500
    assert image(plain).width == WIDTH_PX


def test_horizontal_bars_grow_with_the_number_of_rows() -> None:
    few = charts.bar_png("差异系数", "", TOWNS[:3], [0.3, 0.4, 0.5], horizontal=True)
    schools = [f"沂源县第{i}中学" for i in range(1, 31)]
    many = charts.bar_png("差异系数", "", schools, [0.3 + i / 100 for i in range(30)], horizontal=True)
    assert image(few).width == image(many).width == WIDTH_PX
    assert image(many).height > image(few).height
    assert image(many).height <= round(24 / 2.54 * 200)  # never taller than a page's 版心


def test_missing_bars_leave_a_gap() -> None:
    full = charts.bar_png("巩固率", "%", TOWNS[:4], [99.0, 98.0, 97.0, 96.0])
    gap = charts.bar_png("巩固率", "%", TOWNS[:4], [99.0, None, 97.0, 96.0])
    assert 0 < colour_pixels(gap, PALETTE[0]) < colour_pixels(full, PALETTE[0])


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.trend_png("学前三年毛入园率", "%", {}),
        lambda: charts.trend_png("学前三年毛入园率", "%", {2023: None, 2024: float("nan")}),
        lambda: charts.bar_png("巩固率", "%", [], []),
        lambda: charts.bar_png("巩固率", "%", TOWNS[:2], [None, None], limit=97),
        lambda: charts.bar_png("巩固率", "%", [], [], horizontal=True),
    ],
)
def test_no_data_gives_a_picture_saying_so(make: object) -> None:
    png = make()  # type: ignore[operator]
    assert png.startswith(PNG_SIGNATURE)
    assert image(png).width == WIDTH_PX
    assert colour_pixels(png, PALETTE[0]) == 0  # no series drawn
    assert white_share(png) > 0.95
    assert png == charts.trend_png("学前三年毛入园率", "%", {}) or png == charts.bar_png(
        "巩固率", "%", [], []
    )


def test_the_empty_picture_carries_the_words() -> None:
    empty = charts.trend_png("巩固率", "%", {})
    assert colour_pixels(empty, "#999999") > 200  # 暂无数据, in grey, in the middle
    img = image(empty)
    centre = np.asarray(img)[img.height // 3 : 2 * img.height // 3, img.width // 3 : 2 * img.width // 3]
    assert centre.min() < 200
    assert charts.EMPTY_TEXT == "暂无数据"


def test_only_a_target_is_not_a_chart() -> None:
    assert charts.trend_png("x", "%", {}, target=96, target_year=2025) == charts.trend_png("x", "%", {})


def test_a_path_without_observations_is_still_drawn() -> None:
    png = charts.trend_png("x", "%", {}, path=PATH, target=96, target_year=2025)
    assert colour_pixels(png, charts.PATH_COLOUR) > 100
    assert colour_pixels(png, PALETTE[0]) == 0


def test_the_palette_is_the_dashboards() -> None:
    assert dashboard.PALETTE is PALETTE


def test_numbers_are_written_as_the_plan_writes_them() -> None:
    assert [charts.fmt(v) for v in (55.0, 1.370, 0.5, 95.333, -0.001, 100)] == [
        "55",
        "1.37",
        "0.5",
        "95.33",
        "0",
        "100",
    ]


def test_a_few_vertical_bars_stay_narrow_and_centred() -> None:
    png = charts.bar_png("优良率", "%", TOWNS[:2], [44.7, 60.3], limit=55, limit_label="规划目标55%")
    rgb = [int(PALETTE[0][i : i + 2], 16) for i in (1, 3, 5)]
    columns = np.where((pixels(png) == rgb).all(axis=2).any(axis=0))[0]
    assert columns.max() - columns.min() < WIDTH_PX / 3
    assert abs((columns.max() + columns.min()) / 2 - WIDTH_PX / 2) < WIDTH_PX / 10
