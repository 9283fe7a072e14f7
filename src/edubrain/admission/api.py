"""网上招生 API (being written)."""

from ninja import Router

router = Router(tags=["网上招生"])
