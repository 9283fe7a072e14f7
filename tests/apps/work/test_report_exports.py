"""填报 exports read back: the 任务进展台账 xlsx (columns, one row per visible slot, states and lateness) and
the one-page unit summary PDF (unit name, a task title; scoped)."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from edubrain.work import report_exports, reporting
from edubrain.work.models import ProgressReport

from . import test_reporting_support as support_reporting
from .test_reporting_support import FILLED, YEAR, open_half, reporter_slot

pytestmark = pytest.mark.django_db
world = support_reporting.world


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def rows_of(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def filed(world):
    cycle = open_half(world)
    slot = reporter_slot(world, cycle)
    reporting.save_report(slot, world["reporter"], FILLED)
    reporting.submit(slot, world["reporter"])
    reporting.return_report(slot, world["admin"], "请补充拨付凭证")
    return cycle, slot


def test_the_ledger_has_one_row_per_slot_with_the_contract_columns(world, filed):
    cycle, slot = filed
    response = client(world["admin"]).get(reverse("work:reports-export", args=[cycle.pk]))
    assert response.status_code == 200 and "任务进展台账" in unquote(response["Content-Disposition"])
    rows = rows_of(response.content)
    assert list(rows[0]) == report_exports.LEDGER_COLUMNS
    assert len(rows) - 1 == ProgressReport.objects.filter(cycle=cycle).count()
    mine = [r for r in rows[1:] if r[0] == slot.task.code and r[2] == slot.org_unit.name]
    assert len(mine) == 1
    code, title, unit, role, state, percent, narrative, at, late, comment = mine[0]
    assert (title, state, percent, narrative, comment) == (
        slot.task.title,
        "已退回",
        "60%",
        FILLED["narrative"],
        "请补充拨付凭证",
    )
    assert late == "否" and at.startswith(str(timezone.localdate().year))


def test_the_ledger_flags_missing_and_late_reports(world, filed):
    cycle, slot = filed
    today = cycle.due_on + dt.timedelta(days=1)  # the day after the deadline: unsubmitted slots are missing
    frame = report_exports.ledger_frame(world["admin"], cycle, today)
    assert set(frame.filter(frame["状态"] == "逾期未报")["是否逾期"].to_list()) == {"逾期未报"}
    on_due_day = report_exports.ledger_frame(world["admin"], cycle, cycle.due_on)
    assert "逾期未报" not in on_due_day["状态"].to_list()
    ProgressReport.objects.filter(pk=slot.pk).update(
        first_submitted_at=dt.datetime(YEAR, 7, 11, 9, tzinfo=dt.UTC), status="submitted"
    )
    late = report_exports.ledger_frame(world["admin"], cycle, today)
    assert late.filter(late["任务编号"] == slot.task.code)["是否逾期"].to_list().count("逾期报送") == 1


def test_a_reporter_exports_only_their_rows(world, filed):
    cycle, slot = filed
    rows = rows_of(client(world["reporter"]).get(reverse("work:reports-export", args=[cycle.pk])).content)
    assert {r[2] for r in rows[1:]} == {slot.org_unit.name}
    assert len(rows) - 1 == ProgressReport.objects.filter(cycle=cycle, org_unit=slot.org_unit).count()


def test_the_unit_summary_is_one_a4_page(world, filed):
    cycle, slot = filed
    url = reverse("work:unit-pdf", args=[slot.org_unit_id]) + f"?cycle={cycle.pk}"
    response = client(world["admin"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert slot.org_unit.name in text and slot.task.title[:10] in text and "已退回" in text


def test_the_unit_summary_is_scoped(world, filed):
    cycle, slot = filed
    url = reverse("work:unit-pdf", args=[slot.org_unit_id])
    assert client(world["reporter"]).get(url).status_code == 200  # their own unit, latest cycle
    other = ProgressReport.objects.filter(cycle=cycle).exclude(org_unit=slot.org_unit).first().org_unit_id
    assert client(world["reporter"]).get(reverse("work:unit-pdf", args=[other])).status_code == 404
    assert client(world["school"]).get(url).status_code == 404
    school_unit = world["school"].org_unit_id  # not a 责任单位
    assert client(world["admin"]).get(reverse("work:unit-pdf", args=[school_unit])).status_code == 404


def test_the_busiest_units_summary_still_fits_one_page(world):
    """The demo's 县教育和体育局 leads every task: the longest unit page there is."""
    from django.db.models import Count

    cycle = open_half(world)
    busiest = (
        ProgressReport.objects.filter(cycle=cycle)
        .values("org_unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    long_text = "按照规划要求推进各项工作，" * 20
    ProgressReport.objects.filter(cycle=cycle, org_unit_id=busiest["org_unit_id"]).update(
        narrative=long_text,
        percent=80,
        status="submitted",
        first_submitted_at=dt.datetime(YEAR, 7, 20, tzinfo=dt.UTC),
    )
    url = reverse("work:unit-pdf", args=[busiest["org_unit_id"]]) + f"?cycle={cycle.pk}"
    reader = PdfReader(io.BytesIO(client(world["admin"]).get(url).content))
    assert busiest["n"] > 20 and len(reader.pages) == 1


def test_a_user_without_slots_gets_the_headers_only(world, filed):
    cycle, _slot = filed
    response = client(world["school"]).get(reverse("work:reports-export", args=[cycle.pk]))
    assert response.status_code == 200
    assert rows_of(response.content) == [tuple(report_exports.LEDGER_COLUMNS)]
