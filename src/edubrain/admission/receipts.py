"""报名号 (receipt numbers): two digits of the year, P (小学) or J (初中), and seven characters from an
alphabet without look-alikes (no 0/O, 1/I/L) — easy to read out on the phone, hard to guess."""

from __future__ import annotations

import secrets

from edubrain.admission.models import AdmissionRound, Application, Stage

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_CHARS = 7
ATTEMPTS = 20


def prefix(round: AdmissionRound) -> str:
    return f"{round.year % 100:02d}{'P' if round.stage == Stage.PRIMARY else 'J'}"


def new_receipt(round: AdmissionRound) -> str:
    """A receipt number no application has yet."""
    for _ in range(ATTEMPTS):
        receipt = prefix(round) + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
        if not Application.objects.filter(receipt_no=receipt).exists():
            return receipt
    raise RuntimeError("无法生成报名号，请重试")  # 31^7 ≈ 2.75e10 numbers: never in practice


def mask_receipt(receipt: str) -> str:
    """26P3KX7Q9A → 26P****: enough to recognise, not enough to look up."""
    return f"{receipt[:3]}****"
