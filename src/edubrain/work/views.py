"""工作推进 overview page (``work:index``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "work/index.html", {"title": "工作推进", "heading": "工作推进"})
