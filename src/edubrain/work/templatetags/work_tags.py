"""Template tags of 工作推进: the accepted attachment types and size for upload fields."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from edubrain.core.work.filetypes import size_label
from edubrain.work import access, attachments

register = template.Library()


@register.simple_tag
def attachment_accept() -> str:
    return attachments.accept_attribute()


@register.simple_tag
def attachment_hint() -> str:
    kinds = "、".join(e.lstrip(".") for e in attachments.allowed_extensions())
    return f"{kinds}，每个不超过 {size_label(attachments.max_bytes())}"


# (url name, label, url names it highlights, who sees it: "all", "bureau" incl. leaders, "reporter", "school")
SECTIONS = (
    ("work:index", "概览", ("index",), "all"),
    ("work:tasks", "任务进展", ("tasks", "task"), "bureau reporter"),
    ("work:cycles", "填报周期", ("cycles", "cycle", "report"), "bureau reporter"),
    ("work:projects", "重点项目", ("projects", "project"), "all"),
    ("work:rounds", "督导检查", ("rounds", "round", "round-new"), "bureau"),
    ("work:findings", "整改台账", ("findings", "finding"), "bureau school"),
    ("work:notifications", "我的通知", ("notifications",), "all"),
)


@register.inclusion_tag("work/_subnav.html", takes_context=True)
def work_subnav(context: dict[str, Any]) -> dict[str, Any]:
    """The 工作推进 section tabs a user may open, the current one marked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else ""
    audience = access.audience(user)
    return {
        "sections": [
            {"url": reverse(name), "label": label, "current": current in names}
            for name, label, names, who in SECTIONS
            if who == "all" or audience in who.split()
        ]
    }
