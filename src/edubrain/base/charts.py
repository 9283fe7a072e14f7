"""ECharts options built on the server (plain dicts, serialised with ``json_script``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from edubrain.core.palette import PALETTE


def bar_chart(
    categories: Sequence[str], series: Mapping[str, Sequence[float | int]], *, stacked: bool = False,
    unit: str = "", horizontal: bool = False,
) -> dict[str, Any]:
    """A (stacked) bar chart: one bar series per mapping entry, one category per x value."""
    category_axis = {"type": "category", "data": list(categories), "axisTick": {"alignWithLabel": True}}
    value_axis = {"type": "value", "name": unit, "splitLine": {"lineStyle": {"type": "dashed"}}}
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 48, "containLabel": True},
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": [
            {"name": name, "type": "bar", "data": list(values), "barMaxWidth": 36,
             **({"stack": "total"} if stacked else {})}
            for name, values in series.items()
        ],
    }
