"""Demo data for the places app: filled in with the app (called by demo.generator.build_demo after the
registry is written; deleted by delete_places_demo from demo.reset)."""

from __future__ import annotations

from edubrain.base.orgtree import OrgUnit


def build_places_demo(county: OrgUnit, seed: int) -> dict[str, int]:
    """Rows written per table."""
    return {}


def delete_places_demo(prefix: str) -> dict[str, int]:
    """Delete this app's demo rows under the org-tree path prefix; rows deleted per table."""
    return {}
