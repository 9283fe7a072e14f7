"""The placement panel of the round page and the POST-only place / publish actions."""

from __future__ import annotations

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from edubrain.admission import placing
from edubrain.admission.models import Application, Draw

from .conftest import make_application

pytestmark = pytest.mark.django_db


def panel(world, user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return render_to_string(
        "admission/staff/_placement_panel.html", {"round": world.round, "user": user}, request=request
    )


def login(user):
    client = Client()
    client.force_login(user)
    return client


def close(world, status="closed"):
    world.round.status = status
    world.round.save()


def test_panel_before_closing_has_no_forms_but_states_the_rules(world):
    html = panel(world, world.bureau)
    assert 'id="place-form"' not in html and 'id="publish-submit"' not in html
    assert "户籍与房产一致" in html and "sha256-rank-v1" in html and "统筹调剂" in html


def test_panel_of_a_closed_round_offers_placement_to_the_bureau_only(world):
    close(world)
    html = panel(world, world.bureau)
    assert 'id="place-form"' in html and 'id="seed"' in html and 'id="place-submit"' in html
    assert 'id="publish-submit"' not in html
    for user in (world.heads[0], world.leader):
        assert 'id="place-form"' not in panel(world, user)


def test_panel_counts_pending_reviews_and_disables_placement(world):
    make_application(world, status="submitted")
    close(world)
    html = panel(world, world.bureau)
    assert "1 份" in html and "disabled" in html


def test_panel_after_placement_shows_the_summary_and_publish(world):
    for _ in range(4):
        make_application(world, area=world.areas[2], status="approved")  # school 1: 2 places
    close(world)
    placing.run_placement(world.round, world.bureau, seed="公开种子")
    html = panel(world, world.bureau)
    assert 'id="publish-submit"' in html and "公开种子" in html
    assert 'data-count="admitted">4<' in html and 'data-count="draws">1 场<' in html
    assert reverse("admission:draws", args=[world.round.pk]) in html
    placing.publish(world.round, world.bureau)
    html = panel(world, world.bureau)
    assert 'id="publish-submit"' not in html and 'id="place-form"' not in html
    assert reverse("enroll:results", args=[world.round.pk]) in html


def test_place_and_publish_by_post(world):
    make_application(world, area=world.areas[0], status="approved")
    close(world)
    client = login(world.bureau)
    url = reverse("admission:place", args=[world.round.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"seed": "20270720"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "admission:round", args=[world.round.pk]
    )
    world.round.refresh_from_db()
    assert world.round.status == "placed" and world.round.seed == "20270720"
    response = client.post(reverse("admission:publish", args=[world.round.pk]))
    world.round.refresh_from_db()
    assert response.status_code == 302 and world.round.status == "published"


def test_a_refused_placement_is_a_message_not_a_change(world):
    make_application(world, status="more")
    close(world)
    response = login(world.bureau).post(reverse("admission:place", args=[world.round.pk]), follow=False)
    assert response.status_code == 302
    world.round.refresh_from_db()
    assert world.round.status == "closed"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("尚有1份申请未审核完毕" in m for m in messages)


def test_a_school_cannot_place_or_publish(world):
    make_application(world, area=world.areas[0], status="approved")
    close(world)
    client = login(world.heads[0])
    assert client.post(reverse("admission:place", args=[world.round.pk])).status_code == 403
    assert not Application.objects.filter(round=world.round, status="admitted").exists()
    assert not Draw.objects.filter(round=world.round).exists()


def test_place_needs_csrf(world):
    close(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.bureau)
    assert client.post(reverse("admission:place", args=[world.round.pk])).status_code == 403
    world.round.refresh_from_db()
    assert world.round.status == "closed"


def test_the_round_page_includes_the_panel(world):
    close(world)
    html = login(world.bureau).get(reverse("admission:round", args=[world.round.pk])).content.decode()
    assert 'id="placement-panel"' in html and 'id="place-form"' in html
