"""API of the places app (mounted under /api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["学位与班额"])
