"""站内通知 pages: a user sees only their own, unread first; opening one marks it read and follows its
link (404 for someone else's); 全部标为已读; the header's unread count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from edubrain.work.models import Notification
from edubrain.work.notify import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo):
    users = demo.users
    Notification.objects.filter(user__in=[users["reporter"], users["school"]]).delete()
    return users


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def ids_on_page(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-notification="(\d+)"', html)]


def test_own_notifications_only_unread_first(people):
    reporter, school = people["reporter"], people["school"]
    t0 = timezone.now() - dt.timedelta(days=2)
    notify([reporter], "slot", "旧的已读", url="/work/", at=t0)
    notify([reporter], "returned", "新的未读", url="/work/", at=t0 + dt.timedelta(days=1))
    notify([reporter], "deadline", "最早的未读", url="/work/", at=t0 - dt.timedelta(days=1))
    notify([school], "order", "学校的通知", url="/work/")
    Notification.objects.filter(user=reporter, title="旧的已读").update(read_at=timezone.now())
    page = client_for(reporter).get(reverse("work:notifications"))
    assert page.status_code == 200
    titles = {n.pk: n.title for n in Notification.objects.filter(user=reporter)}
    assert [titles[i] for i in ids_on_page(page.content.decode())] == ["新的未读", "最早的未读", "旧的已读"]
    assert "学校的通知" not in page.content.decode()
    assert page.context["unread"] == 2


def test_opening_marks_read_and_follows_the_link(people):
    reporter = people["reporter"]
    notify([reporter], "returned", "报告退回", url="/work/projects/")
    item = Notification.objects.get(user=reporter, title="报告退回")
    response = client_for(reporter).get(reverse("work:notification", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == "/work/projects/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_an_outside_link_is_not_followed(people):
    notify([people["reporter"]], "slot", "外链", url="https://evil.example.com/")
    item = Notification.objects.get(user=people["reporter"], title="外链")
    response = client_for(people["reporter"]).get(reverse("work:notification", args=[item.pk]))
    assert response["Location"] == reverse("work:notifications")


def test_someone_elses_notification_is_404_and_stays_unread(people):
    notify([people["school"]], "order", "整改通知", url="/work/")
    theirs = Notification.objects.get(user=people["school"], title="整改通知")
    assert (
        client_for(people["reporter"]).get(reverse("work:notification", args=[theirs.pk])).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_mine(people):
    notify([people["reporter"]], "slot", "一", url="/work/")
    notify([people["reporter"]], "slot", "二", url="/work/")
    notify([people["school"]], "order", "学校", url="/work/")
    c = client_for(people["reporter"])
    assert c.get(reverse("work:notifications-read-all")).status_code == 405  # POST only
    response = c.post(reverse("work:notifications-read-all"), follow=True)
    assert "已将 2 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=people["reporter"], read_at__isnull=True).exists()
    assert Notification.objects.filter(user=people["school"], read_at__isnull=True).count() == 1


def test_header_shows_the_unread_count(people):
    c = client_for(people["reporter"])
    html = c.get(reverse("work:notifications")).content.decode()
    assert 'data-testid="notifications-link"' in html and "data-unread" not in html
    notify([people["reporter"]], "slot", "一", url="/work/")
    notify([people["reporter"]], "slot", "二", url="/work/")
    html = c.get(reverse("home")).content.decode()
    assert re.search(r'data-unread="2">2</span>', html)


def test_login_required(people):
    response = Client().get(reverse("work:notifications"))
    assert response.status_code == 302 and "login" in response["Location"]
