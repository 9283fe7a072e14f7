"""The org-unit side of every monitoring page (体质健康, 视力监测, 均衡发展, 学位与班额).

Which unit a user's page opens on, a unit by id within the user's scope, the breadcrumb trail from the top
of the scope, the child of a unit on the way down to a node (to roll per-school counts up to 镇/街道), and
the typed frame of a ``values_list``. The modules' own ``Selection`` classes (a unit; below a school, a
grade or a class) build on these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from edubrain.base.orgtree import PATH_SEP, OrgKind, OrgUnit
from edubrain.base.scoping import user_scope_path

LEVEL_LABELS: dict[str, str] = {
    OrgKind.PROVINCE: "省",
    OrgKind.CITY: "市",
    OrgKind.COUNTY: "县（区）",
    OrgKind.TOWN: "镇/街道",
    OrgKind.SCHOOL: "学校",
    "grade": "年级",
    "class": "班级",
}
"""The name of each level a monitoring page can look at (org-unit kinds, and below a school)."""


@dataclass(frozen=True)
class UnitSelection:
    """The org unit (county, 镇/街道 or school node) a page looks at."""

    unit: OrgUnit

    @property
    def level(self) -> str:
        return str(self.unit.kind)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "单位")

    @property
    def name(self) -> str:
        return self.unit.name

    def params(self) -> dict[str, Any]:
        """Query parameters that select this unit."""
        return {"unit": self.unit.pk}


def default_unit(user: Any) -> OrgUnit | None:
    """The unit a user's pages open on: their scope unit, or the first county for a superuser without one."""
    scope = user.scope_unit() if hasattr(user, "scope_unit") else None
    if scope is not None:
        return scope
    if getattr(user, "is_superuser", False):
        unit = getattr(user, "org_unit", None)
        if unit is not None:
            return unit
        return OrgUnit.objects.filter(kind=OrgKind.COUNTY).order_by("path").first()
    return None


def visible_unit(user: Any, pk: int) -> OrgUnit | None:
    """The unit ``pk`` if the user may see it, else None."""
    return OrgUnit.objects.visible_to(user).filter(pk=pk).first()


def chosen_unit(user: Any, pk: int | None) -> OrgUnit | None:
    """``?unit=pk`` within the scope (LookupError when outside it or unknown), or the default unit."""
    if pk is None:
        return default_unit(user)
    unit = visible_unit(user, pk)
    if unit is None:
        raise LookupError("没有该单位，或您无权查看")
    return unit


def unit_crumbs(user: Any, unit: OrgUnit) -> list[tuple[str, dict[str, Any]]]:
    """(name, {"unit": pk}) from the top of the user's scope down to ``unit``."""
    scope = user_scope_path(user) or ""
    return [(u.name, {"unit": u.pk}) for u in unit.ancestors() if u.path.startswith(scope)]


def child_of_path(path: pl.Expr, unit: OrgUnit) -> pl.Expr:
    """The id of the child of ``unit`` on the way down to a node with ``path`` (null for ``unit`` itself
    and for nodes elsewhere in the tree are the caller's filter)."""
    depth = unit.path.strip(PATH_SEP).count(PATH_SEP) + 1
    return path.str.strip_chars(PATH_SEP).str.split(PATH_SEP).list.get(depth, null_on_oob=True).cast(pl.Int64)


def named_children(rows: Sequence[dict[str, Any]], key: str = "key") -> list[dict[str, Any]]:
    """Rows keyed by a child unit's id (``child_of_path``), each with the unit's ``name`` and ``params``
    added, in the org tree's order; rows of unknown units are dropped."""
    units = {
        pk: (name, path)
        for pk, name, path in OrgUnit.objects.filter(pk__in=[r[key] for r in rows]).values_list(
            "pk", "name", "path"
        )
    }
    named = [{**r, "name": units[r[key]][0], "params": {"unit": r[key]}} for r in rows if r[key] in units]
    return sorted(named, key=lambda r: units[r[key]][1])


def rows_frame(rows: Sequence[Sequence[Any]], schema: dict[str, Any]) -> pl.DataFrame:
    """Rows of a ``values_list`` (Decimals included) → a frame typed by ``schema`` (name → dtype)."""
    if not rows:
        return pl.DataFrame(schema=schema)
    columns = list(zip(*rows, strict=True))
    series = []
    for (name, dtype), values in zip(schema.items(), columns, strict=True):
        if dtype == pl.Float64:
            values = tuple(None if v is None else float(v) for v in values)
        series.append(pl.Series(name, values, dtype=dtype, strict=False))
    return pl.DataFrame(series)


__all__ = [
    "LEVEL_LABELS",
    "UnitSelection",
    "named_children",
    "child_of_path", "chosen_unit", "default_unit", "rows_frame", "unit_crumbs", "visible_unit"]
