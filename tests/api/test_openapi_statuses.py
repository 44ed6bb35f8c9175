"""Every status an operation can answer is in the OpenAPI document (issue 10 part 5).

The statuses are checked against what the error handlers of kesu.api.errors can produce, and
the generic ones (401, 403 for CSRF, 400 for an unreadable body, 422 for a malformed path id)
are provoked on every operation and must be documented there."""

import re

import pytest
from django.test import Client

from kesu.api.errors import ERROR_REF
from kesu.api.main import api
from kesu.core.errors import KesuError

DOCUMENT = api.get_openapi_schema()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, operations in DOCUMENT["paths"].items()
    for method, operation in operations.items()
]
IDS = [f"{method} {path}" for method, path, _op in OPERATIONS]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _handler_statuses() -> set[int]:
    # install(): KesuError's own status, 401 (authentication), ninja's HttpError (400, 429),
    # Http404, PermissionDenied (403), RequestDataTooBig (413), SuspiciousOperation (400),
    # ninja's ValidationError (422).
    return {400, 401, 403, 404, 413, 422, 429} | {
        cls.http_status for cls in [KesuError, *_subclasses(KesuError)]
    }


def _url(path, operation, integer="1"):
    """The path with a number that exists nowhere, discipline d1 and `integer` for ids."""

    def value(match):
        return {"number": "KS-0000-000000", "code": "d1"}.get(match[1], integer)

    return re.sub(r"\{(\w+)\}", value, path)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_documented_errors_are_ones_the_handlers_give_in_the_error_shape(
    method, path, operation
):
    for status, response in operation["responses"].items():
        if int(status) < 400:
            continue
        assert int(status) in _handler_statuses(), (status, path)
        assert response["content"]["application/json"]["schema"] == ERROR_REF


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_an_anonymous_call_is_a_documented_401(db, method, path, operation):
    if not operation.get("security"):
        pytest.skip("open to everyone")
    response = Client().generic(method, _url(path, operation))
    assert response.status_code == 401
    assert 401 in operation["responses"]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_an_unreadable_body_is_a_documented_400_or_422(api_as, qe, method, path, operation):
    if "requestBody" not in operation:
        pytest.skip("no body")
    client = api_as(qe)
    response = client.client.generic(
        method, _url(path, operation), b"\x00{not json", content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code in (400, 422), response.content
    assert response.status_code in operation["responses"]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_a_malformed_path_id_is_a_documented_422(api_as, qe, method, path, operation):
    ints = [p["name"] for p in operation.get("parameters", [])
            if p["in"] == "path" and p["schema"].get("type") == "integer"]
    if not ints:
        pytest.skip("no integer in the path")
    client = api_as(qe)
    url = _url(path, operation, integer="abc")
    response = client.client.generic(method, url, headers=client.headers)
    assert response.status_code == 422
    assert 422 in operation["responses"]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_a_session_write_without_csrf_is_a_documented_403(qe, method, path, operation):
    if method == "GET" or not operation.get("security"):
        pytest.skip("not a write with a session")
    client = Client(enforce_csrf_checks=True)
    client.force_login(qe)
    response = client.generic(method, _url(path, operation), b"{}",
                              content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert 403 in operation["responses"]
