"""The 视力监测 overview's follow-up callout and its xlsx export of the next level, and
GET /api/vision/followups/summary — on the hand-built county of ``test_pages`` (no warning levels stored
there, so the follow-ups are opened here by hand)."""

from __future__ import annotations

import datetime as dt
import io

from django.test import Client
from openpyxl import load_workbook

from edubrain.vision import followups as fus
from edubrain.vision.models import FollowUpStatus, VisionFollowUp, VisionScreening

from .test_api import client_for
from .test_pages import fast_password_hashing, vis  # noqa: F401


def open_followups(vis):  # noqa: F811
    """Warning levels on the 2025 screenings of 视力小学 (2 pupils) and 视力初中 (1), then one overdue."""
    mine = VisionScreening.objects.filter(school__in=[vis.primary, vis.junior], school_year__start_year=2025)
    mine.filter(degree__in=["低度", "高度", "中度"]).update(warning_level=2)
    mine.exclude(degree__in=["低度", "高度", "中度"]).update(warning_level=0)
    fus.sync_followups(mine.values_list("student_id", flat=True), today=dt.date(2025, 12, 1))
    fus_ = VisionFollowUp.objects.filter(school__in=[vis.primary, vis.junior])
    junior = fus_.get(school=vis.junior)
    junior.due_on = dt.date.today() - dt.timedelta(days=3)
    junior.save()
    primary = fus_.filter(school=vis.primary)
    primary.update(due_on=dt.date.today() + dt.timedelta(days=10))
    return fus_


def test_counts_and_children_in_the_api(vis):  # noqa: F811
    made = open_followups(vis)
    # p1 (two 2025 screenings: the later one, day 20, is 无 → level 0; the earlier warns) and p3 at the
    # primary school, j1 at the junior school
    assert made.count() == 3
    data = client_for(vis.users.leader).get("/api/vision/followups/summary", {"unit": vis.county.pk}).json()
    assert data["counts"]["open"] == 3 and data["counts"]["overdue"] == 1 and data["counts"]["closed"] == 0
    children = {c["name"]: (c["open"], c["overdue"]) for c in data["children"]}
    assert children == {"视力镇甲": (2, 0), "视力镇乙": (1, 1)}
    # a school admin sees only the junior school; the county is out of scope
    junior = client_for(vis.users.junior)
    assert junior.get("/api/vision/followups/summary", {"unit": vis.county.pk}).status_code == 404
    assert junior.get("/api/vision/followups/summary").json()["counts"]["open"] == 1


def test_overview_callout_and_export(vis):  # noqa: F811
    made = open_followups(vis)
    made.filter(school=vis.primary).update(status=FollowUpStatus.CLOSED)
    c = Client()
    c.force_login(vis.users.leader)
    html = c.get("/vision/", {"unit": vis.county.pk, "year": 2025}).content.decode()
    assert 'id="followup-callout"' in html
    assert "<b data-open>1</b>" in html and "<b data-overdue>1</b>" in html
    r = c.get("/vision/", {"unit": vis.county.pk, "year": 2025, "format": "xlsx"})
    assert r.status_code == 200 and "filename*=utf-8''" in r["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "各镇、街道"  # Excel forbids "/" in sheet names
    assert rows[0][:4] == ("镇/街道", "筛查人数", "近视人数", "总体近视率(%)")
    # 镇乙: 2 screened, 1 myopic (50%); 镇甲: 4 screened, 2 myopic (50%) — both 50.0
    towns = sorted((r[0], r[1], r[2], r[3]) for r in rows[1:])
    assert towns == [("视力镇乙", 2, 1, 50.0), ("视力镇甲", 4, 2, 50.0)]
