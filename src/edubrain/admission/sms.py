"""短信 (text messages) to parents: one-time codes and status notices.

``EDUBRAIN["SMS_BACKEND"]``: "console" (default, development) prints the message to the server console;
"file" appends it as one line ``<time>\t<phone>\t<text>`` to ``EDUBRAIN["SMS_FILE"]`` (the load benchmark
reads its codes there). Every message is also kept in ``outbox`` (the last 500, in memory) for tests.
A real SMS gateway is one more backend here.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from edubrain.core.ids import mask_phone


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str


outbox: deque[Sms] = deque(maxlen=500)
_lock = threading.Lock()


def send(phone: str, text: str) -> None:
    """Send ``text`` to ``phone`` through the configured backend."""
    message = Sms(phone, text)
    outbox.append(message)
    backend = str(settings.EDUBRAIN.get("SMS_BACKEND", "console"))
    if backend == "file":
        path = Path(str(settings.EDUBRAIN.get("SMS_FILE")))
        path.parent.mkdir(parents=True, exist_ok=True)
        line = f"{timezone.now().isoformat()}\t{phone}\t{text}\n"
        with _lock, path.open("a", encoding="utf-8") as fh:
            fh.write(line)
    elif backend == "console":
        print(f"【短信】发送至 {mask_phone(phone)}（{phone}）：{text}", file=sys.stdout, flush=True)


def last_to(phone: str) -> Sms | None:
    """The newest message in ``outbox`` sent to ``phone`` (tests)."""
    for message in reversed(outbox):
        if message.phone == phone:
            return message
    return None
