"""Locust scenario of benchmarks/bench_admission_load.py: parents applying online (义务教育入学网上办).

Each simulated parent has a phone number of its own and, like a parent on a phone:
opens /enroll/ (finds the open round), asks for a code (获取验证码), reads it from the SMS file the server
writes (``EDUBRAIN_SMS_FILE``, the "file" backend), signs in, opens the application form of the open round,
submits one application — a valid, unique child 身份证号 born 2020-09 … 2021-08, a real small PNG as the
户口本 photo, an area of the round — and then polls its status page every 2–5 seconds.

Environment: ``BENCH_SMS_FILE`` (the server's SMS file) and ``BENCH_RUN`` (a number distinguishing runs on
the same database, so phones and 身份证号 never repeat).
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import os
import re
import time
from pathlib import Path

from locust import HttpUser, between, task

from edubrain.core.ids import id_check_digit

SMS_FILE = Path(os.environ.get("BENCH_SMS_FILE", "/tmp/bench_admission_sms.log"))
RUN = int(os.environ.get("BENCH_RUN", "0")) % 1000
REGION = "370322"  # a neighbouring county's code: never one of the demo's 沂源县 (370323) children
FIRST_BIRTH = dt.date(2020, 9, 1)
CODE_WAIT_SECONDS = 10.0
_numbers = itertools.count(1)
_round_re = re.compile(r"/enroll/rounds/(\d+)/apply/")
_select_re = re.compile(r'<select id="area" name="area".*?</select>', re.S)
_option_re = re.compile(r'<option value="(\d+)"')
_csrf_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


#: the 户口本 photo: a real 8 × 8 grey PNG (checked by content on upload)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAAAAADhZOFXAAAADklEQVR4nGNogAIGyhgAgIQgAQ2AJGEAAAAASUVORK5CYII="
)


def child_id_number(n: int) -> str:
    """A valid 身份证号, unique per (run, n): born 2020-09-01 + n % 365 days, sequence from run and n."""
    birth = FIRST_BIRTH + dt.timedelta(days=n % 365)
    seq = (RUN + n // 365) % 1000
    first17 = f"{REGION}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def adult_id_number(n: int) -> str:
    first17 = f"{REGION}{dt.date(1990, 1, 1) + dt.timedelta(days=n % 3650):%Y%m%d}{(RUN * 7 + n) % 1000:03d}"
    return first17 + id_check_digit(first17)


def read_code(phone: str) -> str | None:
    """The newest code texted to ``phone`` (a line ``<time>\\t<phone>\\t<text>`` of the SMS file)."""
    found = None
    try:
        lines = SMS_FILE.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        parts = line.split("\t", 2)
        if len(parts) == 3 and parts[1] == phone and (m := re.search(r"验证码为(\d{6})", parts[2])):
            found = m.group(1)
    return found


class Parent(HttpUser):
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.n = next(_numbers)
        self.phone = f"139{RUN:03d}{self.n:05d}"
        self.receipt: str | None = None
        self.apply_once()

    def _csrf(self, html: str) -> str:
        m = _csrf_re.search(html)
        return m.group(1) if m else self.client.cookies.get("csrftoken", "")

    @staticmethod
    def _why(response, expected: str) -> str:
        """The failure text: the connection error when there was no HTTP answer (status 0)."""
        if response.status_code == 0:
            return f"无响应：{response.error!r}"
        return f"{response.status_code}: {expected}"

    def _get(self, url: str, name: str, must: str) -> str | None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or must not in response.text:
                response.failure(self._why(response, f"页面缺少 {must}"))
                return None
            return response.text

    def apply_once(self) -> None:
        index = self._get("/enroll/", "01 入学报名首页 /enroll/", "/enroll/")
        if index is None or not (m := _round_re.search(index)):
            return
        round_id = m.group(1)
        page = self._get("/enroll/login/", "02 登录页", 'id="phone"')
        if page is None:
            return
        with self.client.post(
            "/enroll/login/",
            data={"csrfmiddlewaretoken": self._csrf(page), "phone": self.phone, "action": "send", "next": ""},
            name="03 获取验证码",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or 'id="code"' not in response.text:
                response.failure(self._why(response, "未进入输入验证码步骤"))
                return
            page = response.text
        code, waited = read_code(self.phone), 0.0
        while code is None and waited < CODE_WAIT_SECONDS:
            time.sleep(0.2)
            waited += 0.2
            code = read_code(self.phone)
        if code is None:
            self.environment.events.request.fire(
                request_type="SMS",
                name="短信验证码",
                response_time=waited * 1000,
                response_length=0,
                exception=RuntimeError(f"{CODE_WAIT_SECONDS:g} 秒内短信文件中没有验证码"),
                context={},
            )
            return
        with self.client.post(
            "/enroll/login/",
            data={"csrfmiddlewaretoken": self._csrf(page), "code": code, "action": "verify", "next": ""},
            name="04 验证码登录",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/enroll/mine/" not in response.url:
                response.failure(self._why(response, f"登录后未到“我的报名” ({response.url})"))
                return
        form = self._get(f"/enroll/rounds/{round_id}/apply/", "05 报名表", 'id="application-form"')
        if form is None or not (select := _select_re.search(form)):
            return
        areas = _option_re.findall(select.group(0))
        n = RUN * 100_000 + self.n
        data = {
            "csrfmiddlewaretoken": self._csrf(form),
            "child_name": "压测儿童",
            "child_id_number": child_id_number(self.n),
            "guardian_name": "压测家长",
            "guardian_relation": "父亲",
            "guardian_id_number": adult_id_number(self.n),
            "area": areas[n % len(areas)],
            "address": f"压测路{self.n}号",
            "hukou_in_area": "on",
            "policy_category": "",
            "choice_school": "",
        }
        with self.client.post(
            f"/enroll/rounds/{round_id}/apply/",
            data=data,
            files={"doc_hukou": ("户口本.png", PNG, "image/png")},
            name="06 提交申请",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or 'id="receipt-no"' not in response.text:
                errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)<', response.text)[:3]
                response.failure(self._why(response, f"未到申请状态页 {errors}"))
                return
            self.receipt = response.url.rstrip("/").rsplit("/", 1)[-1]

    @task
    def poll_status(self) -> None:
        if self.receipt is None:
            return
        self._get(f"/enroll/applications/{self.receipt}/", "07 申请状态页（轮询）", 'id="status"')
