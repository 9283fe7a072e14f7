"""短信验证码: sending (rate limits at the threshold and one over), verification (expiry, wrong attempts,
one use, newest code only), nothing but the hash stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from edubrain.admission import otp
from edubrain.admission.models import PhoneCode

from .test_parent_support import PHONE, texted_code

pytestmark = pytest.mark.django_db


def _age_codes(*seconds_ago: int) -> None:
    """Existing codes of PHONE sent that many seconds ago."""
    now = timezone.now()
    for ago in seconds_ago:
        at = now - dt.timedelta(seconds=ago)
        PhoneCode.objects.create(phone=PHONE, code_hash="x" * 64, created_at=at, expires_at=at)


def test_code_is_texted_and_only_its_hash_is_stored():
    otp.request_code(PHONE, ip="10.0.0.1")
    code = texted_code(PHONE)
    row = PhoneCode.objects.get(phone=PHONE)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert row.ip == "10.0.0.1"
    minutes = (row.expires_at - row.created_at).total_seconds() / 60
    assert minutes == 10
    assert "【沂源县教育和体育局】" in texted_sms_text()


def texted_sms_text() -> str:
    from edubrain.admission import sms

    message = sms.last_to(PHONE)
    assert message is not None
    return message.text


def test_right_code_verifies_once():
    otp.request_code(PHONE)
    code = texted_code(PHONE)
    assert otp.verify_code(PHONE, code) is True
    assert otp.verify_code(PHONE, code) is False  # used
    assert PhoneCode.objects.get(phone=PHONE).used_at is not None


def test_phone_with_blanks_is_the_same_phone():
    otp.request_code("138 1234 5678")
    assert otp.verify_code("138-1234-5678", texted_code(PHONE)) is True


@pytest.mark.parametrize("phone", ["", "1381234567", "23812345678", "138123456789", "1381234567a"])
def test_bad_phone_refused_in_chinese(phone):
    with pytest.raises(ValidationError) as caught:
        otp.request_code(phone)
    assert "手机号" in caught.value.messages[0]
    assert not PhoneCode.objects.exists()


@pytest.mark.parametrize(("ago", "allowed"), [(59, False), (60, True), (61, True)])
def test_one_code_per_minute(ago, allowed):
    _age_codes(ago)
    if allowed:
        otp.request_code(PHONE)
        assert PhoneCode.objects.filter(phone=PHONE).count() == 2
    else:
        with pytest.raises(ValidationError, match="请在1秒后再获取验证码"):
            otp.request_code(PHONE)


def test_wait_names_the_seconds_left():
    _age_codes(15)
    with pytest.raises(ValidationError, match="请在45秒后再获取验证码"):
        otp.request_code(PHONE)


@pytest.mark.parametrize(("earlier", "allowed"), [(3, True), (4, True), (5, False)])
def test_codes_per_hour(earlier, allowed):
    """ADMISSION_CODES_PER_HOUR = 5: the 5th code in an hour is sent, the 6th refused."""
    _age_codes(*[120 * (i + 1) for i in range(earlier)])
    if allowed:
        otp.request_code(PHONE)
    else:
        with pytest.raises(ValidationError, match="1小时内已获取5次验证码"):
            otp.request_code(PHONE)


def test_codes_older_than_an_hour_do_not_count():
    _age_codes(120, 240, 360, 480, 3601)
    otp.request_code(PHONE)
    assert texted_code(PHONE)


def test_hourly_limit_follows_the_setting(settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "ADMISSION_CODES_PER_HOUR": 2}
    _age_codes(120, 240)
    with pytest.raises(ValidationError, match="已获取2次"):
        otp.request_code(PHONE)


@pytest.mark.parametrize(("seconds_left", "ok"), [(-1, False), (1, True)])
def test_expired_code_refused(seconds_left, ok):
    otp.request_code(PHONE)
    code = texted_code(PHONE)
    PhoneCode.objects.filter(phone=PHONE).update(
        expires_at=timezone.now() + dt.timedelta(seconds=seconds_left)
    )
    assert otp.verify_code(PHONE, code) is ok


@pytest.mark.parametrize(("wrong", "ok"), [(4, True), (5, False)])
def test_at_most_five_wrong_attempts(wrong, ok):
    otp.request_code(PHONE)
    code = texted_code(PHONE)
    bad = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(wrong):
        assert otp.verify_code(PHONE, bad) is False
    assert PhoneCode.objects.get(phone=PHONE).attempts == wrong
    assert otp.verify_code(PHONE, code) is ok


def test_only_the_newest_code_counts():
    otp.request_code(PHONE)
    first = texted_code(PHONE)
    PhoneCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=90))
    otp.request_code(PHONE)
    second = texted_code(PHONE)
    if first != second:
        assert otp.verify_code(PHONE, first) is False
    assert otp.verify_code(PHONE, second) is True


def test_code_of_another_phone_refused():
    otp.request_code(PHONE)
    code = texted_code(PHONE)
    assert otp.verify_code("13900000000", code) is False
    assert otp.verify_code("not a phone", code) is False
