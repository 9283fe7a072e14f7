"""Shared fixtures.

The test database always holds a small deterministic demo county (seed 7, scale 0.04), built once per test
session before any test runs — the demo generator is the fixture source. Every test therefore sees the same
world whatever the order: tests that need an isolated tree build it with the factories in tests/factories
under a *different* county (the factories' default county is not the demo's 370323) and assert on their own
rows, never on whole-table counts. Tests run inside a transaction that is rolled back, so the demo county is
never changed. Do not use ``transactional_db``/``live_server`` (they flush the database); browser journeys run
the real server in a subprocess on their own database (tests/e2e).
"""

from __future__ import annotations

import pytest

DEMO_SEED = 7
DEMO_SCALE = 0.04


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    try:
        from edubrain.demo.generator import build_demo
    except ImportError:  # the generator is being written; until then tests run on an empty database
        yield None
        return
    with django_db_blocker.unblock():
        result = build_demo(seed=DEMO_SEED, scale=DEMO_SCALE)
    yield result


@pytest.fixture(scope="session")
def demo_db(django_db_setup):
    """The DemoResult of the session's demo county."""
    if django_db_setup is None:
        pytest.fail("演示县生成器 edubrain.demo.generator 不可用")
    return django_db_setup


@pytest.fixture
def demo(demo_db, db):
    """The demo county, inside a test transaction (rolled back after each test)."""
    return demo_db
