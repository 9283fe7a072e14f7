"""The import API: upload → status → errors → commit with a token; scoping, read-only roles, auth."""

from __future__ import annotations

import pytest
from django.test import Client

from edubrain.imports.models import ImportBatch
from edubrain.registry.models import Student

from .conftest import token_client
from .files import edited_students
from .test_permissions import make_batch


def post_file(client: Client, content: bytes, name: str, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/imports", {"dataset": "students", "file": SimpleUploadedFile(name, content),
                                        **fields})


def test_upload_status_errors_commit(county):
    client = token_client(county.users.admin)
    response = post_file(client, edited_students(county.users.school_a).xlsx(), "学生.xlsx",
                         school_code=county.school_a.code)
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    batch = ImportBatch.objects.get(pk=body["id"])
    assert body["status"] == {"code": "previewed", "label": "已预检"}
    assert [body[k] for k in ("new", "changed", "unchanged", "invalid")] == [1, 1, 1, 1]
    assert body["school"]["name"] == county.school_a.name and body["can_commit"] is True
    assert body["error_count"] == len(batch.error_list()) >= 1
    assert body["errors"][0].keys() >= {"sheet", "row", "column", "value", "message"}

    status = client.get(f"/api/imports/{batch.pk}").json()
    assert status["id"] == batch.pk and status["progress"] == batch.progress
    errors = client.get(f"/api/imports/{batch.pk}/errors", {"page_size": 1}).json()
    assert errors["count"] == body["error_count"] and len(errors["items"]) == 1

    conflict = client.post(f"/api/imports/{batch.pk}/commit", {"only_valid": False},
                           content_type="application/json")
    assert conflict.status_code == 409 and "only_valid" in conflict.json()["detail"]
    done = client.post(f"/api/imports/{batch.pk}/commit", {"only_valid": True},
                       content_type="application/json")
    assert done.status_code == 200, done.content.decode()
    assert done.json()["status"]["code"] == "committed" and done.json()["only_valid"] is True
    assert Student.objects.filter(school=county.school_a, name="测试甲三").exists()
    again = client.post(f"/api/imports/{batch.pk}/commit", {"only_valid": True},
                        content_type="application/json")
    assert again.status_code == 409


def test_list_is_scoped_and_filtered(county):
    mine = make_batch(county.users.school_a, county.school_a)
    theirs = make_batch(county.users.school_b, county.school_b, status=ImportBatch.Status.COMMITTED)
    ids = {item["id"] for item in token_client(county.users.school_a).get("/api/imports").json()["items"]}
    assert mine.pk in ids and theirs.pk not in ids
    page = token_client(county.users.admin).get("/api/imports", {"status": "committed"}).json()
    assert theirs.pk in {i["id"] for i in page["items"]} and mine.pk not in {i["id"] for i in page["items"]}


def test_another_scopes_batch_is_404(county):
    theirs = make_batch(county.users.school_b, county.school_b)
    client = token_client(county.users.school_a)
    assert client.get(f"/api/imports/{theirs.pk}").status_code == 404
    assert client.get(f"/api/imports/{theirs.pk}/errors").status_code == 404
    response = client.post(f"/api/imports/{theirs.pk}/commit", {"only_valid": True},
                           content_type="application/json")
    assert response.status_code == 404


def test_without_credentials_401(county, client):
    batch = make_batch(county.users.admin, county.school_a)
    assert client.get("/api/imports").status_code == 401
    assert client.get(f"/api/imports/{batch.pk}").status_code == 401
    assert client.post("/api/imports", {"dataset": "students"}).status_code == 401


def test_leader_is_read_only(county):
    client = token_client(county.users.leader)
    response = post_file(client, edited_students(county.users.school_a).csv(), "学生.csv")
    assert response.status_code == 403 and "只读" in response.json()["detail"]
    batch = make_batch(county.users.admin, county.school_a)
    response = client.post(f"/api/imports/{batch.pk}/commit", {"only_valid": True},
                           content_type="application/json")
    assert response.status_code == 403
    assert client.get(f"/api/imports/{batch.pk}").status_code == 200


def test_school_admin_is_fixed_to_their_school(county):
    client = token_client(county.users.school_a)
    response = post_file(client, edited_students(county.users.school_a).csv(), "学生.csv",
                         school_code=county.school_b.code)
    assert response.status_code == 403
    response = post_file(client, edited_students(county.users.school_a).csv(), "学生.csv")
    assert response.status_code == 201 and response.json()["school"]["id"] == county.school_a.pk


def test_session_upload_needs_csrf(county):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.users.admin)
    response = post_file(client, edited_students(county.users.school_a).csv(), "学生.csv")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_bad_dataset_and_template(county):
    client = token_client(county.users.admin)
    response = post_file(client, b"a,b\n1,2\n", "x.csv", dataset="nothing")
    assert response.status_code == 400
    template = client.get("/api/imports/templates/students")
    assert template.status_code == 200 and "filename*=UTF-8''" in template["Content-Disposition"]
    assert client.get("/api/imports/templates/nothing").status_code == 404


@pytest.mark.parametrize("path", ["/imports", "/imports/{id}", "/imports/{id}/errors", "/imports/{id}/commit",
                                  "/imports/templates/{dataset}"])
def test_documented_in_openapi(county, path):
    schema = token_client(county.users.admin).get("/api/openapi.json").json()
    assert f"/api{path}" in schema["paths"]
    assert "BatchDetailOut" in schema["components"]["schemas"]


def test_errors_masked_for_leader(county):
    number = county.students_a[0].id_number
    error = {"sheet": "学生", "row": 5, "column": "身份证号", "value": number, "message": f"“{number}”有误"}
    batch = make_batch(county.users.admin, county.school_a, invalid=1, errors=[error])
    body = token_client(county.users.leader).get(f"/api/imports/{batch.pk}").json()
    assert number not in str(body["errors"]) and body["error_count"] == 1
    page = token_client(county.users.leader).get(f"/api/imports/{batch.pk}/errors").json()
    assert number not in str(page["items"])
    page = token_client(county.users.admin).get(f"/api/imports/{batch.pk}/errors").json()
    assert page["items"][0]["value"] == number
