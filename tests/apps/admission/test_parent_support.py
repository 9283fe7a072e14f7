"""Helpers shared by the parent-side tests (no tests here): a signed-in parent client, a valid form, the
code texted to a phone."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from edubrain.admission import parents, sms

from .conftest import adult_id, child_id, photo

PHONE = "13812345678"
OTHER_PHONE = "13987654321"


def sign_in(client: Any, phone: str = PHONE) -> Any:
    """Put a verified phone in the client's session (the login view itself is tested in test_parent_login)."""
    session = client.session
    session[parents.SESSION_KEY] = phone
    session.save()
    return client


def texted_code(phone: str) -> str:
    message = sms.last_to(phone)
    assert message is not None, f"no text to {phone}"
    found = re.search(r"验证码为(\d{6})", message.text)
    assert found, message.text
    return found.group(1)


def form(world: Any, seq: int = 1, **overrides: Any) -> dict[str, Any]:
    """A valid application (户籍与房产一致 in the first area), with one 户口本 and one 房产证 photo."""
    data: dict[str, Any] = {
        "child_name": "张小明",
        "child_id_number": child_id(seq),
        "guardian_name": "张大明",
        "guardian_relation": "父亲",
        "guardian_id_number": adult_id(seq),
        "area": str(world.areas[0].pk),
        "address": "幸福小区3号楼2单元401",
        "hukou_in_area": "on",
        "property_in_area": "on",
        "doc_hukou": [photo("户口本.png")],
        "doc_property": [photo("房产证.png")],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def apply_url(world: Any) -> str:
    return reverse("enroll:apply", args=[world.round.pk])


def post_application(client: Any, world: Any, **overrides: Any) -> Any:
    return client.post(apply_url(world), form(world, **overrides))
