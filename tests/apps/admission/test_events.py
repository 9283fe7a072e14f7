"""The one event writer: the ApplicationEvent row and the parent's text message signed by the round's own
county bureau (any county, not only the demo's)."""

from __future__ import annotations

import pytest

from edubrain.admission import events, sms
from edubrain.admission.models import ApplicationEvent

from .conftest import make_application

pytestmark = pytest.mark.django_db


def test_record_writes_the_event_and_signs_the_text_with_the_rounds_county(world):
    app = make_application(world)
    event = events.record(app, "request", actor=world.heads[0], note="请补充户口本", message="请补充材料")
    assert ApplicationEvent.objects.get(pk=event.pk).actor == world.heads[0]
    text = sms.last_to(app.phone).text
    assert text == "【测试县教育和体育局】请补充材料"


def test_no_message_no_text_and_the_parent_is_no_actor(world):
    app = make_application(world)
    event = events.record(app, "supplement", actor=None, note="补充1张")
    assert event.actor is None and event.actor_label == "家长"
    assert sms.last_to(app.phone) is None


def test_bureau_name_defaults_to_the_configured_county(world, settings):
    assert events.bureau_name(world.county) == "测试县教育和体育局"
    settings.EDUBRAIN = {**settings.EDUBRAIN, "COUNTY_DIVISION_CODE": world.county.division_code}
    assert events.signature() == "【测试县教育和体育局】"
    settings.EDUBRAIN = {**settings.EDUBRAIN, "COUNTY_DIVISION_CODE": "000000"}
    assert events.bureau_name() == "县教育和体育局"
