"""A request larger than the largest import is refused before it is read: 413, in the API's error
shape under ``/api/``; the web import refuses a file over the limit."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Personas


@pytest.mark.parametrize("path", ["/registry/import/", "/api/registry/persons"])
def test_a_request_larger_than_an_import_is_refused_before_it_is_read(personas: Personas, settings: Any,
                                                                      path: str) -> None:  # fmt: skip
    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    settings.MAX_REQUEST_SIZE = 2 * 1024 * 1024
    client = Client()
    client.force_login(personas.ketapang)
    body = b"x" * (2 * 1024 * 1024 + 1)
    response = client.generic("POST", path, body, content_type="application/octet-stream")
    assert response.status_code == 413
    if path.startswith("/api/"):
        assert response.json()["code"] == "too_large"
    else:
        assert "lebih besar dari 1 MB" in response.content.decode()


def test_the_import_page_refuses_a_file_over_the_limit(personas: Personas, settings: Any) -> None:
    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    client = Client()
    client.force_login(personas.ketapang)
    upload = BytesIO(b"nik,name,birth_date,sex,district_code\n" + b"x" * (1024 * 1024))
    upload.name = "persons.csv"
    response = client.post("/registry/import/", {"kind": "persons", "file": upload, "reason": "test"})
    assert response.status_code == 200
    assert "Berkas lebih besar dari 1 MB" in response.content.decode()
