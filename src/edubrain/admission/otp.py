"""短信验证码 (one-time codes): how a parent proves a phone number without an account.

``request_code`` texts a fresh 6-digit code (``secrets``) and stores only its SHA-256 (salted with the phone)
in a ``PhoneCode`` row; the rows also count requests for the rate limits — one code per phone every
``RESEND_SECONDS`` and at most ``ADMISSION_CODES_PER_HOUR`` in any hour. ``verify_code`` accepts only the
newest unused, unexpired code of the phone, at most ``MAX_ATTEMPTS`` wrong tries per code, and marks it used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from edubrain.admission import sms
from edubrain.admission.events import signature
from edubrain.admission.models import PhoneCode
from edubrain.core.errors import CoreError
from edubrain.core.ids import validate_phone

RESEND_SECONDS = 60  # one code per phone per minute
MAX_ATTEMPTS = 5  # wrong tries per code
CODE_DIGITS = 6


def code_minutes() -> int:
    return int(settings.EDUBRAIN.get("ADMISSION_CODE_MINUTES", 10))


def codes_per_hour() -> int:
    return int(settings.EDUBRAIN.get("ADMISSION_CODES_PER_HOUR", 5))


def code_hash(phone: str, code: str) -> str:
    return hashlib.sha256(f"{phone}|{code}".encode()).hexdigest()


def normalised_phone(phone: str) -> str:
    """The 11-digit phone, or ``ValidationError`` with the Chinese reason."""
    try:
        return validate_phone(phone or "")
    except CoreError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def _check_rate(phone: str, now: dt.datetime) -> None:
    recent = list(
        PhoneCode.objects.filter(phone=phone, created_at__gt=now - dt.timedelta(hours=1))
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: codes_per_hour()]
    )
    if recent:
        waited = (now - recent[0]).total_seconds()
        if waited < RESEND_SECONDS:
            wait = max(1, math.ceil(RESEND_SECONDS - waited))
            raise ValidationError(f"请在{wait}秒后再获取验证码", code="otp.too_soon")
    if len(recent) >= codes_per_hour():
        raise ValidationError(
            f"该手机号1小时内已获取{codes_per_hour()}次验证码，已达上限，请稍后再试", code="otp.hourly"
        )


def request_code(phone: str, ip: str = "") -> None:
    """Text a new code to ``phone``; ``ValidationError`` (Chinese) on a bad number or a rate limit."""
    phone = normalised_phone(phone)
    now = timezone.now()
    _check_rate(phone, now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    minutes = code_minutes()
    PhoneCode.objects.create(
        phone=phone,
        code_hash=code_hash(phone, code),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
        ip=(ip or "")[:45],
    )
    sms.send(
        phone,
        f"{signature()}您的验证码为{code}，{minutes}分钟内有效。请勿将验证码告诉他人；如非本人操作，请忽略本短信。",
    )


def verify_code(phone: str, code: str) -> bool:
    """Whether ``code`` is the newest live code of ``phone``; a right code is used up, a wrong one counted."""
    try:
        phone = validate_phone(phone or "")
    except CoreError:
        return False
    now = timezone.now()
    current = (
        PhoneCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )
    if current is None or current.attempts >= MAX_ATTEMPTS:
        return False
    given = (code or "").strip()
    if not hmac.compare_digest(code_hash(phone, given), current.code_hash):
        PhoneCode.objects.filter(pk=current.pk).update(attempts=F("attempts") + 1)
        return False
    # used once: a second, concurrent verification of the same code finds it already used
    return PhoneCode.objects.filter(pk=current.pk, used_at__isnull=True).update(used_at=now) == 1
