"""The home page shows the progress of the adopted plan — status counts and the targets behind or at risk —
as the plan dashboard judges them from the indicator store."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from edubrain.plans import dashboard
from factories import UserFactory

pytestmark = pytest.mark.django_db


def test_leader_sees_the_plan_progress(client, demo):
    leader = demo.users["leader"]
    client.force_login(leader)
    html = client.get(reverse("home")).content.decode()
    plan = dashboard.plans_for(leader).filter(status="adopted").first()
    assert plan is not None and f'data-plan="{plan.pk}"' in html
    rows = dashboard.target_rows(leader, plan, dashboard.subject_unit(leader, plan))
    expected = {c["status"]: c["count"] for c in dashboard.status_counts(rows) if c["count"]}
    shown = {s: int(n) for s, n in re.findall(r'data-status="(\w+)" data-count="(\d+)"', html)}
    assert shown == expected and sum(shown.values()) == len(rows)
    watched = [r for r in rows if r["status"] in ("off_track", "at_risk")]
    listed = re.findall(r'<tr data-target="(\d+)">', html)
    assert sorted(int(t) for t in listed) == sorted(r["id"] for r in watched)
    assert watched  # the demo county misses some targets (e.g. 优良率 53.8 % < 55 %)


def test_no_plan_no_section(client):
    client.force_login(UserFactory())  # a user of another county, which has no plan
    html = client.get(reverse("home")).content.decode()
    assert 'id="plan-progress"' not in html
