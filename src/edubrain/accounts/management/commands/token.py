"""``edubrain token``: API tokens (API 令牌) for a user.

    edubrain token create USERNAME [--name NAME]   issue a token and print its key once
    edubrain token list USERNAME                   the user's tokens (prefix, name, created, last used)
    edubrain token revoke PREFIX                   delete the token whose key starts with PREFIX (or the key)

Only the SHA-256 of a key is stored; a lost key cannot be shown again — revoke it and create another.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from edubrain.accounts.models import ApiToken, User, hash_token


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "从未使用"


class Command(BaseCommand):
    help = "管理 API 令牌：create 生成、list 列出、revoke 撤销"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="为用户生成令牌（令牌只显示这一次）")
        create.add_argument("username", help="用户名")
        create.add_argument("--name", default="", help="用途说明，如“数据中心同步”")
        listing = actions.add_parser("list", help="列出用户的令牌")
        listing.add_argument("username", help="用户名")
        # A key may begin with "-": this sub-command takes no "-" options, so such a prefix stays a prefix.
        revoke = actions.add_parser("revoke", help="按前缀撤销令牌", prefix_chars="+")
        revoke.add_argument("prefix", help="令牌前缀（list 显示的前 8 位）或完整令牌")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            self.create(options["username"], options["name"])
        elif action == "list":
            self.list(options["username"])
        else:
            self.revoke(options["prefix"])

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"用户“{username}”不存在")

    def create(self, username: str, name: str) -> None:
        user = self._user(username)
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能生成令牌")
        token, key = ApiToken.issue(user, name=name[:64])
        self.stdout.write(f"已为用户“{user.username}”生成 API 令牌（前缀 {token.prefix}）。")
        self.stdout.write("令牌只显示这一次，请妥善保存：")
        self.stdout.write(key)
        self.stdout.write(f"使用方法：在请求头中加入 Authorization: Bearer {key}")

    def list(self, username: str) -> None:
        user = self._user(username)
        tokens = list(ApiToken.objects.filter(user=user).order_by("created"))
        if not tokens:
            self.stdout.write(f"用户“{user.username}”没有 API 令牌")
            return
        self.stdout.write("前缀\t用途\t创建时间\t最近使用")
        for token in tokens:
            row = [token.prefix, token.name or "-", _when(token.created), _when(token.last_used)]
            self.stdout.write("\t".join(row))

    def revoke(self, prefix: str) -> None:
        prefix = prefix.strip().rstrip("…")
        if len(prefix) < 4:
            raise CommandError("前缀太短：请给出令牌前缀的至少 4 位（list 显示 8 位）")
        tokens = ApiToken.objects.select_related("user")
        if len(prefix) > 8:  # a whole key
            matches = list(tokens.filter(key_hash=hash_token(prefix)))
        else:
            matches = list(tokens.filter(prefix__startswith=prefix))
        if not matches:
            raise CommandError(f"没有前缀为“{prefix}”的令牌")
        if len(matches) > 1:
            owners = "、".join(f"{t.prefix}（{t.user.username}）" for t in matches)
            raise CommandError(f"前缀“{prefix}”对应多个令牌：{owners}；请给出更长的前缀或完整令牌")
        token = matches[0]
        token.delete()
        self.stdout.write(f"已撤销用户“{token.user.username}”的令牌 {token.prefix}")
