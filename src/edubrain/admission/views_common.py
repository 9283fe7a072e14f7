"""What the staff pages' POST actions share: run the service call; a refusal re-renders the page with the
Chinese messages (HTTP 400, nothing written); success flashes a message and redirects (post/redirect/get)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from edubrain.base.validation import error_messages


def run_action(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    template: str,
    context: Callable[[list[str]], dict[str, Any]],
    success: str,
    target: str,
) -> HttpResponse:
    """``action()``; on ``ValidationError`` render ``template`` with ``context(errors)``; else flash the text
    the action returned (or ``success``) and redirect to ``target``."""
    try:
        result = action()
    except ValidationError as exc:
        return render(request, template, context(error_messages(exc)), status=400)
    messages.success(request, result if isinstance(result, str) and result else success)
    return redirect(target)
