"""OpenAPI: /api/docs works offline (no CDN) and /api/openapi.json is a valid document listing the API."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

ENDPOINTS = {
    "/api/me", "/api/org-units", "/api/school-years", "/api/zones", "/api/schools", "/api/schools/{id}",
    "/api/groups", "/api/responsible-units", "/api/classes", "/api/students", "/api/students/{id}",
    "/api/staff", "/api/facilities", "/api/finance", "/api/births", "/api/population", "/api/summary",
}


class AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.assets.append(values["src"])
        if tag == "link" and values.get("href"):
            self.assets.append(values["href"])


def test_docs_page_loads_only_local_assets(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>智慧教育大脑 API</title>" in html
    collector = AssetCollector()
    collector.feed(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in collector.assets)
    assert any(a.endswith("swagger-ui.css") for a in collector.assets)
    for asset in collector.assets:
        assert not re.match(r"^(https?:)?//", asset), f"external asset: {asset}"
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"missing static file: {asset}"
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_docs_page_points_at_the_schema_and_calls_no_external_validator(db):
    html = Client().get("/api/docs").content.decode()
    found = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)
    swagger = json.loads(found.group(1))
    assert swagger["url"] == "/api/openapi.json"
    assert swagger["validatorUrl"] is None


def test_openapi_schema_is_valid_and_lists_the_endpoints(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["info"]["title"] == "智慧教育大脑 API"
    assert set(spec["paths"]) >= ENDPOINTS
    registry = {p: ops for p, ops in spec["paths"].items() if not p.startswith("/api/imports")}
    assert all(set(ops) == {"get"} for ops in registry.values())  # the registries are read-only
    assert "post" in spec["paths"]["/api/imports"]  # uploads go through the import workflow
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerAuth"].items()
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_openapi_documents_paging_filters_and_chinese_summaries(db):
    spec = Client().get("/api/openapi.json").json()
    students = spec["paths"]["/api/students"]["get"]
    params = {p["name"] for p in students["parameters"]}
    assert {"page", "page_size", "school", "year", "grade_code", "sex", "q"} <= params
    page_size = next(p for p in students["parameters"] if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 500
    assert students["summary"] == "学生列表"
    schools = spec["paths"]["/api/schools"]["get"]
    assert {"town", "school_type", "ownership", "locality", "q"} <= {p["name"] for p in schools["parameters"]}
    assert spec["paths"]["/api/schools/{id}"]["get"]["summary"] == "学校详情"
    paged = spec["components"]["schemas"]["PagedStudentOut"]
    assert set(paged["required"]) == {"items", "count", "page", "page_size"}
