"""Spreadsheet input for the pure core: readers (bytes → string frames) and vectorised normalisers."""

from __future__ import annotations

from edubrain.core.io.normalise import (
    fullwidth_to_halfwidth,
    id_number_precision_lost,
    normalise_header,
    parse_bool,
    parse_date,
    parse_duration,
    parse_number,
    parse_sex,
)
from edubrain.core.io.readers import ROW, ReadError, Sheet, read_file

__all__ = [
    "ROW",
    "ReadError",
    "Sheet",
    "fullwidth_to_halfwidth",
    "id_number_precision_lost",
    "normalise_header",
    "parse_bool",
    "parse_date",
    "parse_duration",
    "parse_number",
    "parse_sex",
    "read_file",
]
