"""Assets are served locally: no page references an external http(s) URL for scripts or styles."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', re.I)


def pages(county):
    return [
        reverse("home"), reverse("registry:school-list"), reverse("registry:class-list"),
        reverse("registry:student-list"), reverse("registry:staff-list"), reverse("registry:facility-list"),
        reverse("registry:figures"), reverse("registry:school-detail", args=[county.renmin.pk]),
        reverse("registry:student-detail", args=[county.renmin_pupils[0].pk]),
        reverse("registry:staff-detail", args=[county.teacher.pk]),
        reverse("registry:class-detail", args=[county.renmin_classes[county.years[1]].pk]),
    ]


def test_no_external_urls(client, county):
    html = client.get(reverse("login")).content.decode()
    assert not EXTERNAL.search(html)
    client.force_login(county.users.admin)
    for url in pages(county):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not EXTERNAL.search(html), url
        assert "/static/vendor/htmx.min.js" in html and "/static/css/app.css" in html


def test_own_static_files_exist():
    assert finders.find("css/app.css") and finders.find("js/app.js")


def test_vendor_files_installed():
    """scripts/install_assets.py copies htmx 2.0.x and ECharts from node_modules."""
    htmx = finders.find("vendor/htmx.min.js")
    assert htmx, "前端资源未安装：先运行 make setup（scripts/install_assets.py）"
    assert finders.find("vendor/echarts.min.js")
    with open(htmx, encoding="utf-8") as source:
        assert re.search(r'version:"2\.0\.\d+"', source.read())
