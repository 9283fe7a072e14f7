"""`edubrain token create|list|revoke`: the key is printed once, only its SHA-256 is stored, and it works."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from edubrain.accounts.models import ApiToken


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def created_key(output: str) -> str:
    lines = [line for line in output.splitlines() if line and " " not in line and "：" not in line]
    assert len(lines) == 1, output
    return lines[0]


def test_create_prints_a_key_that_works_and_stores_only_its_hash(world):
    output = run("create", "t_school", "--name", "数据中心同步")
    key = created_key(output)
    assert len(key) >= 40
    token = ApiToken.objects.get(user=world.users["school"])
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8] and token.name == "数据中心同步"
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(key in value for value in stored)
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/me")
    assert response.status_code == 200 and response.json()["username"] == "t_school"
    assert "只显示这一次" in output


def test_list_shows_prefixes_but_never_keys(world):
    key = created_key(run("create", "t_leader", "--name", "大屏"))
    listing = run("list", "t_leader")
    assert key[:8] in listing and "大屏" in listing and "从未使用" in listing
    assert key not in listing
    assert "没有 API 令牌" in run("list", "t_staff")


def test_revoke_by_prefix_disables_the_key(world):
    key = created_key(run("create", "t_admin"))
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/me").status_code == 200
    assert "已撤销" in run("revoke", key[:8])
    assert not ApiToken.objects.filter(prefix=key[:8]).exists()
    assert client.get("/api/me").status_code == 401


def test_a_prefix_that_looks_like_an_option_is_still_a_prefix(world):
    token, key = ApiToken.issue(world.users["admin"])
    ApiToken.objects.filter(pk=token.pk).update(prefix="-x9Yz0Ab")
    assert "已撤销" in run("revoke", "-x9Yz0Ab")
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_revoke_by_whole_key(world):
    key = created_key(run("create", "t_admin"))
    run("revoke", key)
    assert not ApiToken.objects.filter(user=world.users["admin"]).exists()


def test_an_ambiguous_prefix_revokes_nothing(world):
    for suffix in ("1111", "2222"):
        token, _ = ApiToken.issue(world.users["admin"])
        ApiToken.objects.filter(pk=token.pk).update(prefix=f"zzzz{suffix}")
    with pytest.raises(CommandError, match="多个令牌"):
        run("revoke", "zzzz")
    assert ApiToken.objects.filter(prefix__startswith="zzzz").count() == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (("create", "no-such-user"), "不存在"),
        (("list", "no-such-user"), "不存在"),
        (("revoke", "qqqqqqqq"), "没有前缀"),
        (("revoke", "ab"), "前缀太短"),
        (("revoke",), "prefix"),
        (("revoke", "abcd1234", "efgh5678"), "unrecognized"),
    ],
)
def test_errors_are_chinese_command_errors(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_no_token_for_an_inactive_user(world):
    user = world.users["staff"]
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="已停用"):
        run("create", "t_staff")
    assert not ApiToken.objects.filter(user=user).exists()
