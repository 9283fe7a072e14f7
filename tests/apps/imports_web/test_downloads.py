"""Templates and exports: xlsx/csv downloads with Chinese file names and the spec's headers."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from edubrain.imports.datasets import DATASETS

from .files import read_table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers_of(cfg) -> list[str]:
    return [str(c.header) for c in cfg.spec.columns]


def first_row(content: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    row = next(ws.iter_rows(values_only=True))
    return [str(v) for v in row if v is not None]


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_template_download(login, county, dataset):
    cfg = DATASETS[dataset]
    response = login(county.users.leader).get(reverse("imports:template", args=[dataset]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(str(cfg.label))}" in disposition
    assert first_row(response.content) == headers_of(cfg)


def test_template_needs_login_and_a_known_dataset(client, login, county):
    assert client.get(reverse("imports:template", args=["students"])).status_code == 302
    assert login(county.users.admin).get(reverse("imports:template", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_of_visible_rows(login, county, fmt):
    cfg = DATASETS["students"]
    response = login(county.users.school_a).get(reverse("imports:export", args=["students", fmt]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(XLSX_TYPE if fmt == "xlsx" else "text/csv")
    assert f"filename*=UTF-8''{quote(str(cfg.label))}" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(f".{fmt}")
    header, rows = read_table(response.content, fmt)
    assert set(header) <= set(headers_of(cfg)) and header
    names = {row[header.index(cfg.header_of("name"))] for row in rows}
    assert names == {s.name for s in county.students_a}  # school A only: never school B's pupils


def test_export_rejects_other_formats(login, county):
    client = login(county.users.admin)
    assert client.get("/imports/export/students.pdf").status_code == 404
    assert client.get(reverse("imports:export", args=["nothing", "csv"])).status_code == 404


@pytest.mark.parametrize(("url_name", "dataset"), [
    ("registry:student-list", "students"), ("registry:school-list", "schools"),
    ("registry:staff-list", "staff"), ("registry:class-list", "classes"),
    ("registry:facility-list", "facilities"),
])
def test_registry_lists_offer_export_and_template(login, county, url_name, dataset):
    html = login(county.users.leader).get(reverse(url_name)).content.decode()
    assert reverse("imports:export", args=[dataset, "xlsx"]) in html
    assert reverse("imports:export", args=[dataset, "csv"]) in html
    assert reverse("imports:template", args=[dataset]) in html
    assert "导出 xlsx" in html and "下载模板" in html
    assert f'{reverse("imports:index")}?dataset={dataset}' not in html  # a leader gets no 导入 button


def test_navigation_has_imports(login, county):
    html = login(county.users.admin).get(reverse("home")).content.decode()
    assert f'href="{reverse("imports:index")}"' in html and "数据导入" in html
