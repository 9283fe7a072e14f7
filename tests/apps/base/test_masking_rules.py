"""Masking helpers of the base layer."""

from __future__ import annotations

from types import SimpleNamespace

from edubrain.base.masking import may_see_personal, show_id_number, show_name

ID = "370323201703150011"


def user(**kw):
    base = {"is_authenticated": True, "is_active": True, "is_superuser": False, "may_see_personal_data": None}
    return SimpleNamespace(**{**base, **kw})


def test_superuser_sees_unmasked():
    assert show_id_number(user(is_superuser=True), ID) == ID


def test_role_check_decides():
    assert show_id_number(user(may_see_personal_data=lambda: True), ID) == ID
    assert show_id_number(user(may_see_personal_data=lambda: False), ID) == "3703**********0011"
    assert show_id_number(user(), ID) == "3703**********0011"


def test_inactive_or_anonymous_masked():
    assert not may_see_personal(user(is_superuser=True, is_active=False))
    assert not may_see_personal(user(is_superuser=True, is_authenticated=False))
    assert show_id_number(None, ID) == "3703**********0011"
    assert show_id_number(None, None) == ""


def test_names():
    assert show_name(user(), "张三") == "张三"
    assert show_name(None, "张三") == "张*"
    assert show_name(user(), None) == ""
