"""One way to record a step of an application: the ``ApplicationEvent`` (审核记录) and, when given, the text
message (短信) telling the parent."""

from __future__ import annotations

from typing import Any

from edubrain.admission import sms
from edubrain.admission.models import Application, ApplicationEvent

SIGNATURE = "【沂源县教育和体育局】"


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
        sms.send(application.phone, f"{SIGNATURE}{message}")
    return event
