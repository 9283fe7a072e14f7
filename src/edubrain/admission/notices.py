"""录取通知书 (admission notice): the printable letter a parent opens once the results are published."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from edubrain.admission.events import bureau_name
from edubrain.admission.models import AdmissionRound, Application
from edubrain.base.pdf import render_pdf
from edubrain.core.ids import mask_id_number

TEMPLATE = "admission/public/notice.html"
REPORT_NOTE = (
    "请于开学前按学校通知的时间，由监护人携带本通知书、户口本（或居住证）、儿童预防接种证到校报到。"
    "逾期未报到且未说明理由的，视为放弃录取资格。"
)


def check_notice(application: Application) -> None:
    """A notice exists only for an admitted child of a published round; anything else is a 404."""
    if (
        application.round.status != AdmissionRound.Status.PUBLISHED
        or application.status != Application.Status.ADMITTED
        or application.admitted_school_id is None
    ):
        raise Http404


def notice_context(application: Application) -> dict[str, Any]:
    school = application.admitted_school
    issued = application.round.published_at or timezone.now()
    return {
        "title": "录取通知书",
        "application": application,
        "round": application.round,
        "child_name": application.child_name,
        "child_id_masked": mask_id_number(application.child_id_number),
        "school": school,
        "via": application.get_admitted_via_display(),
        "report_note": REPORT_NOTE,
        "issuer": bureau_name(application.round.county),
        "issued_on": timezone.localtime(issued).date(),
    }


def notice_pdf(application: Application) -> bytes:
    return render_pdf(TEMPLATE, {**notice_context(application), "pdf": True})


def notice_filename(application: Application) -> str:
    return f"录取通知书_{application.receipt_no}.pdf"
