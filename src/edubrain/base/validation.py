"""Bridge from the core's typed errors to Django field validators (module-level, so migrations can name them)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

from edubrain.core import ids
from edubrain.core.errors import CoreError


def _run(func: Callable[[str], str], value: str) -> None:
    if value in (None, ""):
        return
    try:
        func(value)
    except CoreError as exc:
        raise ValidationError(exc.message, code=exc.code)


def validate_id_number(value: str) -> None:
    """身份证号 (GB 11643 checksum)."""
    _run(ids.validate_id_number, value)


def validate_school_code(value: str) -> None:
    """学校标识码 (10 digits)."""
    _run(ids.validate_school_code, value)


def validate_division_code(value: str) -> None:
    """行政区划代码 (6/9/12 digits)."""
    _run(ids.validate_division_code, value)


def validate_student_number(value: str) -> None:
    """学籍号."""
    _run(ids.validate_student_number, value)
