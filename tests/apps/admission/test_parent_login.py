"""家长登录: phone → code → signed in, back to a local ``next`` only; pages behind it redirect to the code
page; rate limits and wrong codes are shown in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from edubrain.admission import parents
from edubrain.admission.models import PhoneCode

from .test_parent_support import PHONE, sign_in, texted_code

pytestmark = pytest.mark.django_db
LOGIN = reverse("enroll:login")


def _send(client, phone=PHONE, next_url=""):
    return client.post(LOGIN, {"phone": phone, "action": "send", "next": next_url})


def test_two_steps_sign_in_and_go_to_my_applications(client):
    page = client.get(LOGIN).content.decode()
    assert 'id="phone"' in page and 'id="send-code"' in page and 'id="code"' not in page
    response = _send(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "验证码已发送至138****5678" in page
    assert 'id="code"' in page and 'id="verify"' in page
    response = client.post(LOGIN, {"code": texted_code(PHONE), "action": "verify"})
    assert response.status_code == 302 and response["Location"] == reverse("enroll:mine")
    assert client.session[parents.SESSION_KEY] == PHONE
    assert client.get(reverse("enroll:mine")).status_code == 200


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/enroll/mine/?x=1", "/enroll/mine/?x=1"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_next_only_a_local_path(client, next_url, expected):
    _send(client, next_url=next_url)
    response = client.post(LOGIN, {"code": texted_code(PHONE), "action": "verify", "next": next_url})
    assert response["Location"] == (expected or reverse("enroll:mine"))


def test_wrong_code_is_refused_in_chinese(client):
    _send(client)
    code = texted_code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(LOGIN, {"code": wrong, "action": "verify"})
    assert response.status_code == 400
    assert "验证码错误或已失效" in response.content.decode()
    assert parents.SESSION_KEY not in client.session


def test_expired_code_is_refused(client):
    _send(client)
    PhoneCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(LOGIN, {"code": texted_code(PHONE), "action": "verify"})
    assert response.status_code == 400


def test_bad_phone_names_the_field(client):
    response = _send(client, phone="12345")
    assert response.status_code == 400
    assert "手机号：" in response.content.decode() and 'id="phone"' in response.content.decode()


def test_second_code_within_a_minute_is_429(client):
    _send(client)
    response = client.post(LOGIN, {"action": "resend"})
    assert response.status_code == 429
    assert "秒后再获取验证码" in response.content.decode()


def test_change_phone_goes_back_to_step_one(client):
    _send(client)
    client.post(LOGIN, {"action": "change"})
    assert 'id="phone"' in client.get(LOGIN).content.decode()


def test_development_hint_with_the_console_backend(client, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SMS_BACKEND": "console"}
    _send(client)
    assert "验证码打印在服务器控制台" in client.get(LOGIN).content.decode()


def test_no_development_hint_with_a_real_backend(client, settings):
    settings.DEBUG = False
    _send(client)
    assert "服务器控制台" not in client.get(LOGIN).content.decode()


@pytest.mark.parametrize("name", ["enroll:mine"])
def test_parent_pages_redirect_to_the_code_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_apply_and_detail_need_a_phone(client, world):
    for url in (
        reverse("enroll:apply", args=[world.round.pk]),
        reverse("enroll:detail", args=["27PABCDEFG"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"{LOGIN}?next=")


def test_logout_is_post_only(client):
    sign_in(client)
    assert client.get(reverse("enroll:logout")).status_code == 405
    client.post(reverse("enroll:logout"))
    assert parents.SESSION_KEY not in client.session


def test_index_lists_the_open_round_and_the_policy(client, world):
    page = client.get(reverse("enroll:index")).content.decode()
    assert world.round.name in page
    assert reverse("enroll:apply", args=[world.round.pk]) in page
    assert "户籍与房产一致" in page and "公民同招" in page


def test_index_hides_a_round_not_yet_open(client, world):
    world.round.opens_on = timezone.localdate() + dt.timedelta(days=1)
    world.round.save()
    assert (
        reverse("enroll:apply", args=[world.round.pk])
        not in client.get(reverse("enroll:index")).content.decode()
    )


def test_signed_in_parent_skips_the_code_page(client):
    sign_in(client)
    response = client.get(LOGIN, {"next": "/enroll/mine/?a=1&b=2"})
    assert response.status_code == 302 and response["Location"] == "/enroll/mine/?a=1&b=2"


def test_next_with_a_query_survives_the_code_step(client):
    next_url = "/enroll/mine/?a=1&b=2"
    response = _send(client, next_url=next_url)
    assert client.get(response["Location"]).content.decode().count('value="/enroll/mine/?a=1&amp;b=2"') == 1
