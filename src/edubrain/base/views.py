"""Generic list and detail views driven by ``base.listing`` declarations; htmx-aware.

Every queryset starts from ``Model.objects.visible_to(request.user)`` and single objects come from
``get_visible_or_404`` — the views never see a row outside the user's scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views import View

from edubrain.base.listing import DetailConfig, FilterState, ListConfig, search_condition
from edubrain.base.scoping import get_visible_or_404


def is_htmx_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore needs the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Boosted") != "true"
    )


def render_page_or_partial(
    request: HttpRequest, page_template: str, partial_template: str, context: dict[str, Any]
) -> HttpResponse:
    template = partial_template if is_htmx_partial(request) else page_template
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


class ListPage(LoginRequiredMixin, View):
    """A searchable, filterable, sortable, paginated list of one model."""

    config: ListConfig = None  # type: ignore[assignment]  # given to as_view(config=...)
    template_name = "base/list.html"
    partial_template_name = "base/_list_results.html"
    nav_name: str | None = None

    def get(self, request: HttpRequest) -> HttpResponse:
        cfg = self.config
        params = request.GET
        filters = self.filter_states(request)
        values = {state.name: state.value for state in filters}
        query = params.get("q", "").strip()[:100]
        sort = self.sort_key(params.get("sort", ""))

        qs = cfg.model.objects.visible_to(request.user)  # type: ignore[attr-defined]
        if cfg.select_related:
            qs = qs.select_related(*cfg.select_related)
        condition, across = Q(), Q()
        for state in filters:
            if state.value:
                if state.filter.distinct:
                    across &= state.filter.condition(state.value)
                else:
                    condition &= state.filter.condition(state.value)
        if across:
            # To-many filters go into one semi-join (all on the same related row) instead of JOIN + DISTINCT,
            # which made the database sort every matching row before counting a page.
            condition &= Q(pk__in=cfg.model._default_manager.filter(across).values("pk"))
        found = search_condition(cfg.search_fields, query)
        if found is not None:
            condition &= found
        qs = qs.filter(condition)
        if cfg.prepare is not None:
            qs = cfg.prepare(qs, request.user, values)
        qs = qs.order_by(*self.ordering(sort))

        paginator = Paginator(qs, cfg.page_size)
        page = paginator.get_page(params.get("page"))
        rows = [
            {"cells": [{"value": col.cell(obj, request.user), "numeric": col.numeric} for col in cfg.columns]}
            for obj in page.object_list
        ]
        context = {
            "config": cfg,
            "title": cfg.title,
            "filters": filters,
            "query": query,
            "sort": sort,
            "columns": [self.column_context(col, sort) for col in cfg.columns],
            "rows": rows,
            "page": page,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filtered": bool(query) or any(s.value for s in filters),
        }
        return render_page_or_partial(request, self.template_name, self.partial_template_name, context)

    def filter_states(self, request: HttpRequest) -> list[FilterState]:
        states = []
        for flt in self.config.filters:
            options = flt.options(request.user)
            states.append(FilterState(flt, options, flt.selected(request.GET, options, request.user)))
        return states

    def sort_key(self, raw: str) -> str:
        name = raw.lstrip("-")
        col = self.config.column(name)
        return raw if col is not None and col.sort else ""

    def ordering(self, sort: str) -> list[str]:
        if not sort:
            return [*self.config.default_sort, "pk"]
        col = self.config.column(sort.lstrip("-"))
        assert col is not None and col.sort
        prefix = "-" if sort.startswith("-") else ""
        fields = [f"{prefix}{part}" for part in col.sort.split(",")]
        return [*fields, f"{prefix}pk"]

    @staticmethod
    def column_context(col: Any, sort: str) -> dict[str, Any]:
        current = sort.lstrip("-") == col.name
        descending = sort.startswith("-")
        return {
            "label": col.label,
            "numeric": col.numeric,
            "sortable": bool(col.sort),
            "sorted": ("desc" if descending else "asc") if current else "",
            "next_sort": f"-{col.name}" if current and not descending else col.name,
        }


class DetailPage(LoginRequiredMixin, View):
    """One object the user may see: its fields, then tables (sections) built by the app's declaration."""

    config: DetailConfig = None  # type: ignore[assignment]  # given to as_view(config=...)
    template_name = "base/detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cfg = self.config
        obj = get_visible_or_404(cfg.model, request.user, pk=pk)
        params = []
        for flt in cfg.params:
            options = flt.options(request.user)
            params.append(FilterState(flt, options, flt.selected(request.GET, options, request.user)))
        values = {state.name: state.value for state in params}
        sections = cfg.sections(obj, request, values) if cfg.sections else []
        context = {
            "config": cfg,
            "object": obj,
            "title": cfg.title(obj),
            "fields": [(col.label, col.cell(obj, request.user)) for col in cfg.fields],
            "params": params,
            "sections": sections,
        }
        return render(request, self.template_name, context)

