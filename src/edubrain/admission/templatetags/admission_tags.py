"""Template tags of 网上招生: the data of the round page's placement panel."""

from __future__ import annotations

from typing import Any

from django import template

from edubrain.admission import placing

register = template.Library()


@register.simple_tag
def placement_panel(round: Any, user: Any) -> dict[str, Any]:
    """``{% placement_panel round user as panel %}``: state, pending reviews, rules, summary."""
    return placing.panel_context(round, user)
