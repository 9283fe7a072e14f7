"""One way to record a step of an application: the ``ApplicationEvent`` (审核记录) and, when given, the text
message (短信) telling the parent."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from edubrain.admission import sms
from edubrain.admission.models import Application, ApplicationEvent
from edubrain.base.orgtree import OrgKind, OrgUnit

BUREAU_SUFFIX = "教育和体育局"


def bureau_name(county: OrgUnit | None = None) -> str:
    """The issuing bureau of a county ("沂源县教育和体育局"); without one, the configured county's
    (``EDUBRAIN["COUNTY_DIVISION_CODE"]``)."""
    if county is None:
        code = settings.EDUBRAIN.get("COUNTY_DIVISION_CODE", "")
        county = OrgUnit.objects.filter(kind=OrgKind.COUNTY, division_code=code).only("name").first()
    return f"{county.name if county is not None else '县'}{BUREAU_SUFFIX}"


def signature(county: OrgUnit | None = None) -> str:
    """The text-message signature: 【沂源县教育和体育局】."""
    return f"【{bureau_name(county)}】"


def record(
    application: Application,
    action: str,
    *,
    actor: Any = None,
    note: str = "",
    message: str | None = None,
) -> ApplicationEvent:
    """Write the event; ``message`` (without the signature) is sent to the application's phone."""
    event = ApplicationEvent.objects.create(
        application=application,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )
    if message:
        sms.send(application.phone, f"{signature(application.round.county)}{message}")
    return event
