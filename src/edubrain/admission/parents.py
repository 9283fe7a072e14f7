"""The parent's session (家长): no account — a phone number proven by a one-time code (``otp``).

After the code is verified the session holds the phone; a parent sees and changes only the applications
filed under that phone. Anything else — another applicant's 报名号 in the URL — is a 404, never a hint
that it exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from edubrain.admission.models import Application
from edubrain.core.ids import mask_phone

SESSION_KEY = "enroll_phone"
SESSION_SECONDS = 2 * 60 * 60  # a parent's session lasts two hours


def sign_in(request: HttpRequest, phone: str) -> None:
    """Bind the verified phone to a fresh session (new key: no session fixation)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = phone
    request.session.set_expiry(SESSION_SECONDS)


def sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def parent_phone(request: HttpRequest) -> str | None:
    phone = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return str(phone) if phone else None


def parent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send a parent without a verified phone to the code page, coming back here afterwards."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if parent_phone(request) is None:
            return redirect(f"{reverse('enroll:login')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapped


def own_application_or_404(request: HttpRequest, receipt_no: str) -> Application:
    """The application with this 报名号 filed under the session's phone, or 404."""
    phone = parent_phone(request)
    if phone is None:
        raise Http404
    found = (
        Application.objects.select_related("round", "area__town", "zone_school", "choice_school", "school")
        .select_related("admitted_school")
        .filter(receipt_no=receipt_no, phone=phone)
        .first()
    )
    if found is None:
        raise Http404
    return found


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context for the parents' base template."""
    phone = parent_phone(request)
    return {"parent_phone": phone, "parent_phone_masked": mask_phone(phone)}
