"""学位 (school places): 班额/校额 against the standards (``class_size``, standards.md §4) and the 学位预警
cohort forecast (``forecast``, §7). Pure, vectorised functions over polars frames — no Django."""

from edubrain.core.places.class_size import (
    BANDS,
    ClassSizeOptions,
    SchoolSizeOptions,
    class_size_summary,
    classify_classes,
    school_size,
)
from edubrain.core.places.forecast import (
    ForecastOptions,
    PlaceData,
    Scenario,
    backtest,
    forecast_places,
    method_text,
)

__all__ = [
    "BANDS",
    "ClassSizeOptions",
    "ForecastOptions",
    "PlaceData",
    "Scenario",
    "SchoolSizeOptions",
    "backtest",
    "class_size_summary",
    "classify_classes",
    "forecast_places",
    "method_text",
    "school_size",
]
