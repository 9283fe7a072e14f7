"""站内通知 pages (namespace ``work``): the user's notifications (unread first), opening one (marks it read
and follows its link) and 全部标为已读. A user only ever reaches their own notifications (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from edubrain.work.models import Notification

PAGE_SIZE = 50


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(user=request.user)
    ordered = mine.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = mine.filter(read_at__isnull=True).count()
    context = {
        "title": "通知",
        "heading": "我的通知",
        "subtitle": f"未读 {unread} 条" if unread else "没有未读通知",
        "crumbs": [("工作推进", reverse("work:index")), ("通知", "")],
        "page": page,
        "items": page.object_list,
        "unread": unread,
        "pages": list(page.paginator.get_elided_page_range(page.number))
        if page.paginator.num_pages > 1
        else [],
    }
    return render(request, "work/notifications.html", context)


@login_required
def notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read and go to what it is about."""
    item = get_object_or_404(Notification, pk=pk, user=request.user)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    target = item.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("work:notifications")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, f"已将 {count} 条通知标为已读" if count else "没有未读通知")
    return redirect("work:notifications")
