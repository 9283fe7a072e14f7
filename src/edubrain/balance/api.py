"""API of the balance app (mounted under /api)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["均衡发展"])
