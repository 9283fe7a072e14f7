"""录取通知书: only for the parent's own admitted application of a published round; HTML and PDF."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from edubrain.admission import parents, placing
from edubrain.admission.models import Quota

from .conftest import make_application

pytestmark = pytest.mark.django_db


def parent(phone):
    client = Client()
    session = client.session
    session[parents.SESSION_KEY] = phone
    session.save()
    return client


@pytest.fixture
def results(world):
    """Two applicants for school 1's two places, and school 0 full: one more is not admitted."""
    Quota.objects.filter(round=world.round).exclude(school=world.schools[1]).update(places=0)
    admitted = [make_application(world, area=world.areas[2], status="approved") for _ in range(2)]
    world.round.status = "closed"
    world.round.save()
    placing.run_placement(world.round, world.bureau, seed="s")
    refused = make_application(world, area=world.areas[0], status="approved")  # added after: not placed
    return world, admitted, refused


def url(app, **query):
    base = reverse("enroll:notice", args=[app.receipt_no])
    return base + ("?format=pdf" if query.get("pdf") else "")


def test_notice_of_the_own_admitted_application(results):
    world, admitted, _ = results
    placing.publish(world.round, world.bureau)
    app = admitted[0]
    response = parent(app.phone).get(url(app))
    assert response.status_code == 200
    html = response.content.decode()
    assert app.child_name in html and world.schools[1].name in html and "沂源县教育和体育局" in html
    assert app.child_id_number not in html and "@media print" in html


def test_notice_is_404_for_another_phone_before_publishing_and_when_not_admitted(results):
    world, admitted, refused = results
    app = admitted[0]
    assert parent(app.phone).get(url(app)).status_code == 404  # placed, not yet published
    placing.publish(world.round, world.bureau)
    assert parent(admitted[1].phone).get(url(app)).status_code == 404  # someone else's 报名号
    assert parent(refused.phone).get(url(refused)).status_code == 404  # approved, never admitted
    assert parent(app.phone).get(url(app)).status_code == 200


def test_notice_without_a_session_goes_to_the_code_page(results):
    world, admitted, _ = results
    placing.publish(world.round, world.bureau)
    response = Client().get(url(admitted[0]))
    assert response.status_code == 302 and reverse("enroll:login") in response["Location"]


def test_notice_as_pdf(results):
    world, admitted, _ = results
    placing.publish(world.round, world.bureau)
    response = parent(admitted[0].phone).get(url(admitted[0], pdf=True))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "录取通知书" in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]
