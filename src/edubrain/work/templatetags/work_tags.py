"""Template tags of 工作推进: the accepted attachment types and size for upload fields."""

from __future__ import annotations

from django import template

from edubrain.core.work.filetypes import size_label
from edubrain.work import attachments

register = template.Library()


@register.simple_tag
def attachment_accept() -> str:
    return attachments.accept_attribute()


@register.simple_tag
def attachment_hint() -> str:
    kinds = "、".join(e.lstrip(".") for e in attachments.allowed_extensions())
    return f"{kinds}，每个不超过 {size_label(attachments.max_bytes())}"
