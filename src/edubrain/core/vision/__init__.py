"""视力与近视防控 (vision and myopia) as plain, vectorised functions — no Django.

``acuity`` converts between the 5-point 五分记录 and decimal acuity (standards.md §5.1), ``classify``
classifies screening rows (筛查性近视, spherical equivalent, degree, pre-myopia, the pupil-level warning;
§5.3–5.5), ``school`` computes 总体近视率 and the school-level colour warning (§5.5 (b), §5.6), ``layout``
and ``command`` are the database-free ``edubrain vision classify`` CLI.
"""

from edubrain.core.vision.acuity import to_decimal, to_five_point
from edubrain.core.vision.classify import OUTPUT_COLUMNS, VisionOptions, classify_frame
from edubrain.core.vision.school import myopia_rate, school_colour

__all__ = [
    "OUTPUT_COLUMNS",
    "VisionOptions",
    "classify_frame",
    "myopia_rate",
    "school_colour",
    "to_decimal",
    "to_five_point",
]
