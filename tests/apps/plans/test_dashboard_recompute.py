"""重新计算指标: a POST for bureau administrators and staff only; it runs the indicator engine for the plan's
area and reports the counts."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from edubrain.accounts.models import Role
from edubrain.plans import compute
from edubrain.plans.models import IndicatorValue
from edubrain.plans.views import recompute_message
from factories import UserFactory

from . import support_dashboard as support

world = support.world  # fixture


@pytest.fixture
def calls(monkeypatch):
    seen = []

    def fake(county=None, years=None):
        seen.append(county)
        return {
            "years": [2021, 2022, 2023, 2024],
            "indicators": 26,
            "values": 1200,
            "without_value": 30,
            "manual_kept": 1,
            "seconds": 0.8,
        }

    monkeypatch.setattr(compute, "recompute", fake)
    return seen


def post(client, user, plan):
    client.force_login(user)
    return client.post(reverse("plans:recompute", args=[plan.pk]))


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_bureau_recomputes_the_plan_area(client, world, calls, who):
    response = post(client, getattr(world.users, who), world.plan)
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:detail", args=[world.plan.pk]
    )
    assert calls == [world.county]
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "已重新计算测试监测县的指标：2021—2024年，26 个指标，写入 1,200 条指标值，"
        "其中 30 条因缺数据无法计算，保留人工填报 1 条，用时 0.8 秒。"
    )


@pytest.mark.parametrize("who", ["leader", "school"])
def test_readers_may_not_recompute(client, world, calls, who):
    assert post(client, getattr(world.users, who), world.plan).status_code == 403
    assert calls == []


def test_other_areas_and_strangers(client, world, calls):
    assert post(client, world.users.other, world.plan).status_code == 404
    client.logout()
    response = client.post(reverse("plans:recompute", args=[world.plan.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert calls == []


def test_get_is_refused(client, world, calls):
    client.force_login(world.users.admin)
    assert client.get(reverse("plans:recompute", args=[world.plan.pk])).status_code == 405
    assert calls == []


def test_csrf_is_checked(world, calls):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.admin)
    assert client.post(reverse("plans:recompute", args=[world.plan.pk])).status_code == 403
    assert calls == []


def test_the_real_engine_runs(client, demo, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    plan = support.build_plan(demo.county, "演示县测试规划")
    admin = UserFactory(username="mon_demo_admin", role=Role.BUREAU_ADMIN, org_unit=demo.county)
    response = post(client, admin, plan)
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert demo.county.name in message and "写入" in message
    assert IndicatorValue.objects.filter(org_unit=demo.county, source="computed").exists()


def test_message_of_the_engine_is_kept():
    assert recompute_message({"message": "已计算某县 2024年的 3 项指标。", "values": 3}, "某县") == (
        "已计算某县 2024年的 3 项指标。"
    )


def test_message_without_counts():
    assert recompute_message(None, "某县") == "已重新计算某县的指标。"
    assert (
        recompute_message({"years": [2024], "values": 3}, "某县")
        == "已重新计算某县的指标：2024年，写入 3 条指标值。"
    )
