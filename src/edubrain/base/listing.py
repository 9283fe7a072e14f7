"""Declarations for the generic list and detail pages (no domain knowledge here).

An app describes each model once — columns, search fields, filters, sorting, detail fields and sections —
and the generic views in ``base.views`` do the rest: scoping (``visible_to``), masking, search, filters,
sorting, pagination and htmx partials.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import and_, or_
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q

from edubrain.base.masking import may_see_personal, show_id_number

EMPTY = "—"
HIDDEN = "（已隐藏）"
Choices = Sequence[tuple[Any, str]]


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere."""

    text: str
    url: str


@dataclass(frozen=True)
class Column:
    """One column of a list (or one field of a detail page).

    ``accessor``: a dotted attribute path ("school.name") or a callable ``(obj) -> value``;
    defaults to ``name``.
    ``sort``: the ORM ordering expression when the column is sortable.
    ``link``: ``(obj) -> url | None`` turns the cell into a link.
    ``mask``: "id" masks the value (身份证号 and numbers embedding one) and "personal" hides it, unless the
    viewer may see personal data.
    ``fmt``: "int" (thousands separators), "decimal" (two places), "money" (元, two places), "bool" (是/否).
    """

    name: str
    label: str
    accessor: str | Callable[[Any], Any] | None = None
    sort: str | None = None
    link: Callable[[Any], str | None] | None = None
    mask: str | None = None
    fmt: str | None = None
    align: str = ""

    def raw(self, obj: Any) -> Any:
        accessor = self.accessor or self.name
        if callable(accessor):
            return accessor(obj)
        return resolve(obj, accessor)

    def cell(self, obj: Any, user: Any) -> Any:
        value = self.raw(obj)
        if self.mask == "id":
            value = show_id_number(user, value) or None
        elif self.mask == "personal" and value and not may_see_personal(user):
            value = HIDDEN
        text = format_value(value, self.fmt)
        url = self.link(obj) if self.link and value not in (None, "") else None
        return Link(text, url) if url else text

    @property
    def numeric(self) -> bool:
        return self.fmt in {"int", "decimal", "money"} or self.align == "right"


@dataclass(frozen=True)
class Filter:
    """One filter (a ``<select>``): the GET parameter ``name`` restricts rows by ``lookup`` (or ``q``).

    ``choices``: static pairs or ``(user) -> pairs``; only listed values are accepted (bad input is ignored).
    ``default``: ``(user) -> value`` applied when the parameter is absent (an empty value means "全部").
    ``distinct``: the lookup crosses a to-many relation, so the rows must be made distinct.
    """

    name: str
    label: str
    lookup: str | None = None
    choices: Choices | Callable[[Any], Iterable[tuple[Any, str]]] = ()
    q: Callable[[str], Q] | None = None
    default: Callable[[Any], Any] | None = None
    distinct: bool = False

    def options(self, user: Any) -> list[tuple[str, str]]:
        pairs = self.choices(user) if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in pairs]

    def selected(self, params: Any, options: list[tuple[str, str]], user: Any = None) -> str:
        if self.name in params:
            value = str(params.get(self.name, "")).strip()
        else:
            default = self.default(user) if self.default else None
            value = "" if default is None else str(default)
        return value if value in {v for v, _ in options} else ""

    def condition(self, value: str) -> Q:
        if self.q is not None:
            return self.q(value)
        if self.lookup is None:
            raise TypeError(f"filter {self.name} needs a lookup or q")
        return Q(**{self.lookup: value})


@dataclass(frozen=True)
class Section:
    """A titled table on a detail page (cells may be Links)."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    empty: str = "暂无数据"
    numeric: Sequence[int] = ()
    note: str = ""


@dataclass(frozen=True)
class ListConfig:
    """How one model is listed: the queryset always starts from ``model.objects.visible_to(user)``."""

    model: type[models.Model]
    title: str
    columns: Sequence[Column]
    search_fields: Sequence[str] = ()
    search_placeholder: str = "搜索"
    filters: Sequence[Filter] = ()
    default_sort: Sequence[str] = ("pk",)
    select_related: Sequence[str] = ()
    prepare: Callable[[Any, Any, dict[str, str]], Any] | None = None
    page_size: int = 50
    description: str = ""
    # The name of an import dataset holding the same rows: the page then offers 导出 xlsx/csv and 下载模板.
    dataset: str | None = None

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class DetailConfig:
    """How one object is shown: fields, then sections built by ``sections(obj, request, params)``.

    ``params``: selectors shown above the sections (e.g. a school year); their values go to ``sections``.
    """

    model: type[models.Model]
    fields: Sequence[Column]
    title: Callable[[Any], str] = str
    params: Sequence[Filter] = ()
    sections: Callable[[Any, Any, dict[str, str]], list[Section]] | None = None
    back_url_name: str | None = None
    back_label: str = "返回列表"


def resolve(obj: Any, path: str) -> Any:
    """Follow a dotted path; the last step of a field with choices gives its label."""
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        display = _choice_display(value, part)
        value = display() if display is not None else getattr(value, part)
    return value


def _choice_display(obj: Any, attr: str) -> Callable[[], Any] | None:
    if not isinstance(obj, models.Model):
        return None
    try:
        model_field = obj._meta.get_field(attr)
    except FieldDoesNotExist:
        return None
    if getattr(model_field, "choices", None) and not model_field.is_relation:
        return getattr(obj, f"get_{attr}_display", None)
    return None


def format_value(value: Any, fmt: str | None = None) -> str:
    if value is None or value == "":
        return EMPTY
    if fmt == "bool" or isinstance(value, bool):
        return "是" if value else "否"
    if fmt == "int":
        return f"{int(value):,}"
    if fmt in {"decimal", "money"}:
        return f"{Decimal(value):,.2f}"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def search_condition(fields: Sequence[str], text: str) -> Q | None:
    """Admin-style search: each word must match one field; "=field" is an exact (case-insensitive) match."""
    words = text.split()
    if not fields or not words:
        return None
    per_word = []
    for word in words:
        parts = []
        for name in fields:
            if name.startswith("="):
                parts.append(Q(**{f"{name[1:]}__iexact": word}))
            elif name.startswith("^"):
                parts.append(Q(**{f"{name[1:]}__istartswith": word}))
            else:
                parts.append(Q(**{f"{name}__icontains": word}))
        per_word.append(reduce(or_, parts))
    return reduce(and_, per_word)


@dataclass
class FilterState:
    """A filter as rendered: its options and current value."""

    filter: Filter
    options: list[tuple[str, str]]
    value: str = ""
    label: str = field(init=False)
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.label = self.filter.label
        self.name = self.filter.name
