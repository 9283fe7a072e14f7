"""Shared fixtures. ``demo`` builds a small deterministic demo county once per test session — the demo
generator is the fixture source for integration tests; unit tests use the factories in tests/factories."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_db(django_db_setup, django_db_blocker):
    """A small demo county (scale 0.04, seed 7) in the test database, shared by the session."""
    from edubrain.demo.generator import build_demo

    with django_db_blocker.unblock():
        result = build_demo(seed=7, scale=0.04)
    return result


@pytest.fixture
def demo(demo_db, db):
    """The demo county, inside a test transaction (rolled back after each test)."""
    return demo_db
