"""The generic endpoint builder (base.api): scoping cannot be forgotten, choices resolve themselves."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from edubrain.base.api import ApiSchema, Choice, Endpoint
from edubrain.registry.api import ENDPOINTS
from edubrain.registry.models import School


def test_a_model_without_visible_to_must_declare_its_scope(db):
    endpoint = Endpoint("groups-of-users", Group, ApiSchema)
    with pytest.raises(TypeError, match="visible_to"):
        endpoint.list_queryset(None)


def test_only_code_lists_are_unscoped():
    assert [e.path for e in ENDPOINTS if e.unscoped] == ["school-years"]
    # every other endpoint, org units included, is scoped by its model's visible_to
    assert [e.path for e in ENDPOINTS if e.scope is not None] == []


def test_every_list_query_is_ordered_to_the_row(db):
    for endpoint in ENDPOINTS:
        order = endpoint.list_queryset(None).query.order_by
        assert order and order[-1] in ("pk", "id"), endpoint.path


class _Out(ApiSchema):
    school_type: Choice
    ownership: Choice | None
    history: list[Choice] = []  # not a coded field of the row: no resolver


def test_choice_fields_resolve_to_code_and_label(world):
    out = _Out.model_validate(School(school_type="kindergarten", ownership="private", name="x"))
    assert out.school_type.model_dump() == {"code": "kindergarten", "label": "幼儿园"}
    assert out.ownership.model_dump() == {"code": "private", "label": "民办"}
    assert set(_Out._ninja_resolvers) == {"school_type", "ownership"}
