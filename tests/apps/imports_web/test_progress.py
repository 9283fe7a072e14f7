"""The progress bar: polled every second while a batch runs in the background; polling stops when done."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edubrain.imports import services
from edubrain.imports.models import ImportBatch

from .files import edited_students
from .test_permissions import make_batch

HTMX = {"HX-Request": "true"}


def test_running_batch_polls(login, county):
    batch = make_batch(county.users.admin, county.school_a, status=ImportBatch.Status.PREVIEWING,
                       progress=40, progress_text="已读取 4000 行")
    client = login(county.users.admin)
    response = client.get(reverse("imports:progress", args=[batch.pk]), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in html and reverse("imports:progress", args=[batch.pk]) in html
    assert 'aria-valuenow="40"' in html and "width: 40%" in html and "已读取 4000 行" in html
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'data-count="new"' not in page


def test_finished_batch_stops_polling(login, county):
    batch = make_batch(county.users.admin, county.school_a, status=ImportBatch.Status.PREVIEWED, progress=100)
    client = login(county.users.admin)
    response = client.get(reverse("imports:progress", args=[batch.pk]), headers=HTMX)
    assert response.status_code == 286  # htmx stops polling
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "hx-trigger=\"every 1s\"" not in page and 'data-count="new" data-value="3"' in page


def test_large_file_runs_in_the_background(login, county, monkeypatch):
    started = []
    monkeypatch.setattr(services, "needs_background", lambda batch: True)
    monkeypatch.setattr(services, "run_in_background",
                        lambda batch, action, **kw: started.append((batch, action)))
    client = login(county.users.school_a)
    content = edited_students(county.users.school_a).csv()
    response = client.post(reverse("imports:index"),
                           {"dataset": "students", "file": SimpleUploadedFile("大文件.csv", content)})
    assert response.status_code == 302
    [(batch, action)] = started
    assert action == "preview"
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "可以离开本页" in page
