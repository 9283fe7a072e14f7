"""进展报告: drafts, submission, return with a comment, resubmission, acceptance — with every refusal, the
events, the notifications and the evidence attachments (a refused file rolls the whole save back)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from edubrain.work import reporting
from edubrain.work.models import Attachment, Notification, ProgressReport, ReportEvent

from . import test_reporting_support as support_reporting
from .conftest import pdf_upload
from .test_reporting_support import FILLED, open_half, reporter_slot

pytestmark = pytest.mark.django_db
world = support_reporting.world


@pytest.fixture
def slot(world):
    return reporter_slot(world, open_half(world))


def test_a_draft_keeps_the_fields_and_the_evidence(world, slot):
    reporting.save_report(slot, world["reporter"], FILLED, [pdf_upload()])
    slot.refresh_from_db()
    assert (slot.status, slot.percent, slot.narrative, slot.contact) == (
        "draft",
        60,
        FILLED["narrative"],
        FILLED["contact"],
    )
    evidence = Attachment.objects.get(report=slot)
    assert (evidence.purpose, evidence.org_unit_id, evidence.name) == (
        "evidence",
        slot.org_unit_id,
        "佐证材料.pdf",
    )


@pytest.mark.parametrize(("raw", "stored"), [("0", 0), ("100", 100), ("", None), ("55%", 55)])
def test_percent_inside_the_range(world, slot, raw, stored):
    reporting.save_report(slot, world["reporter"], {**FILLED, "percent": raw})
    assert ProgressReport.objects.get(pk=slot.pk).percent == stored


@pytest.mark.parametrize("raw", ["-1", "101", "50.5", "六十"])
def test_percent_outside_the_range_is_refused(world, slot, raw):
    with pytest.raises(ValidationError) as exc:
        reporting.save_report(slot, world["reporter"], {**FILLED, "percent": raw})
    assert "0–100 的整数" in exc.value.message_dict["percent"][0]
    assert ProgressReport.objects.get(pk=slot.pk).status == "pending"


def test_an_executable_renamed_pdf_refuses_the_whole_save(world, slot):
    fake = SimpleUploadedFile("进展材料.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError, match="进展材料.pdf"):
        reporting.save_report(slot, world["reporter"], FILLED, [pdf_upload(), fake])
    fresh = ProgressReport.objects.get(pk=slot.pk)
    assert (fresh.status, fresh.narrative) == ("pending", "")
    assert not Attachment.objects.filter(report=slot).exists()


@pytest.mark.parametrize("who", ["admin", "leader", "school"])
def test_only_the_units_reporter_writes(world, slot, who):
    with pytest.raises(PermissionDenied):
        reporting.save_report(slot, world[who], FILLED)
    with pytest.raises(PermissionDenied):
        reporting.submit(slot, world[who])


def test_another_units_report_is_refused(world):
    cycle = open_half(world)
    other = ProgressReport.objects.filter(cycle=cycle).exclude(org_unit=world["reporter"].org_unit).first()
    with pytest.raises(PermissionDenied, match=other.org_unit.name):
        reporting.save_report(other, world["reporter"], FILLED)


def test_submit_needs_a_narrative_and_a_percent_or_milestone(world, slot):
    with pytest.raises(ValidationError) as exc:
        reporting.submit(slot, world["reporter"])
    assert set(exc.value.message_dict) == {"narrative", "percent"}
    reporting.save_report(slot, world["reporter"], {"narrative": "进展", "milestone": "已立项"})
    reporting.submit(slot, world["reporter"])  # a milestone without a percent is enough
    assert ProgressReport.objects.get(pk=slot.pk).status == "submitted"


def test_the_whole_cycle_submit_return_resubmit_accept(world, slot):
    reporter, admin = world["reporter"], world["admin"]
    reporting.save_report(slot, reporter, FILLED)
    reporting.submit(slot, reporter)
    slot.refresh_from_db()
    first = slot.first_submitted_at
    assert slot.status == "submitted" and first is not None and slot.submitted_by == reporter
    assert Notification.objects.filter(user=admin, kind="submitted", url=f"/work/reports/{slot.pk}/").exists()
    with pytest.raises(ValidationError, match="不能再修改"):
        reporting.save_report(slot, reporter, FILLED)

    with pytest.raises(ValidationError, match="必须填写审核意见"):
        reporting.return_report(slot, admin, "  ")
    assert ProgressReport.objects.get(pk=slot.pk).status == "submitted"
    reporting.return_report(slot, admin, "请补充资金拨付凭证")
    slot.refresh_from_db()
    assert (slot.status, slot.times_returned, slot.review_comment) == ("returned", 1, "请补充资金拨付凭证")
    note = Notification.objects.get(user=reporter, kind="returned", url=f"/work/reports/{slot.pk}/")
    assert "请补充资金拨付凭证" in note.body

    reporting.save_report(slot, reporter, {**FILLED, "percent": "70"}, [pdf_upload("拨付凭证.pdf")])
    assert ProgressReport.objects.get(pk=slot.pk).status == "returned"  # still returned until resubmitted
    reporting.submit(slot, reporter)
    slot.refresh_from_db()
    assert slot.first_submitted_at == first and slot.submitted_at >= first and slot.percent == 70

    reporting.accept(slot, admin, "同意")
    slot.refresh_from_db()
    assert (slot.status, slot.reviewed_by, slot.review_comment) == ("accepted", admin, "同意")
    assert (
        Notification.objects.filter(user=reporter, kind="accepted", url__endswith=f"/{slot.pk}/").count() == 1
    )
    actions = list(ReportEvent.objects.filter(report=slot).values_list("action", "comment"))
    assert actions == [("submit", ""), ("return", "请补充资金拨付凭证"), ("submit", ""), ("accept", "同意")]
    with pytest.raises(ValidationError, match="已通过"):
        reporting.save_report(slot, reporter, FILLED)


def test_review_only_of_a_submitted_report_and_only_by_the_bureau(world, slot):
    with pytest.raises(ValidationError, match="只有已报送待审核"):
        reporting.accept(slot, world["admin"])
    reporting.save_report(slot, world["reporter"], FILLED)
    reporting.submit(slot, world["reporter"])
    for who in ("reporter", "leader"):
        with pytest.raises(PermissionDenied):
            reporting.accept(slot, world[who])
        with pytest.raises(PermissionDenied):
            reporting.return_report(slot, world[who], "意见")
    assert ProgressReport.objects.get(pk=slot.pk).status == "submitted"


def test_a_closed_cycle_takes_no_more_reports(world, slot):
    reporting.close_cycle(slot.cycle, world["admin"])
    slot.refresh_from_db()
    with pytest.raises(ValidationError, match="填报已经结束"):
        reporting.save_report(slot, world["reporter"], FILLED)


def test_a_stale_review_is_refused(world, slot):
    reporting.save_report(slot, world["reporter"], FILLED)
    reporting.submit(slot, world["reporter"])
    first, second = ProgressReport.objects.get(pk=slot.pk), ProgressReport.objects.get(pk=slot.pk)
    reporting.accept(first, world["admin"])
    with pytest.raises(ValidationError, match="刚刚已被他人处理（当前状态：已通过）"):
        reporting.return_report(second, world["staff"], "请修改")
    fresh = ProgressReport.objects.get(pk=slot.pk)
    assert (fresh.status, fresh.times_returned) == ("accepted", 0)
    assert list(ReportEvent.objects.filter(report=slot).values_list("action", flat=True)) == [
        "submit",
        "accept",
    ]
