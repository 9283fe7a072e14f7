"""Masking (脱敏) of personal data on screen and in exports, decided by the viewer's role."""

from __future__ import annotations

from typing import Any

from edubrain.core.ids import mask_id_number, mask_name


def may_see_personal(user: Any) -> bool:
    """Whether this user sees ID numbers and contact data unmasked (never anonymous or inactive users)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    check = getattr(user, "may_see_personal_data", None)
    return bool(check and check())


def show_id_number(user: Any, value: str | None) -> str:
    return (value or "") if may_see_personal(user) else mask_id_number(value)


def show_student_number(user: Any, value: str | None) -> str:
    """学籍号: a "G" number is "G" + 身份证号, so it is masked like one for viewers without the right."""
    return show_id_number(user, value)


def show_name(user: Any, value: str | None) -> str:
    """Names are shown to whoever may see the row; only public (anonymous) outputs mask them."""
    return (value or "") if user is not None else mask_name(value)
