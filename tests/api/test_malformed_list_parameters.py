"""Malformed list parameters are the client's fault: never a 5xx (SPEC §13, issue 10 part 5).

A sweep over every list operation of the API (every GET without a path parameter in the
OpenAPI document, with the query parameters it documents) and the main list pages of the web
and the portal: bad whole numbers and dates, numbers and dates beyond what the database and the
business time can hold, repeated parameters, huge pages, bytes that are not UTF-8, NUL bytes,
and more fields than Django parses.
"""

import pytest
from django.test import Client
from django.urls import reverse

from kesu.api.main import api
from kesu.api.tokens import token_issue

VALUES = [
    "",
    " ",
    "abc",
    "客诉",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
    "-" + "9" * 40,
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "31/12/2026",
    "2026-06-01T25:00",
    "a\x00b",
    "é" * 500,
]

# Query strings sent as they are, past the test client's own encoding.
RAW = [
    "{name}=%ff%fe%fd",  # not UTF-8
    "{name}=%c3%28",  # a broken two-byte sequence
    "{name}=%00",
    "{name}=1%00",
    "{name}=%",
    "{name}=%zz",
    "{name}=1&{name}=2",
    "{name}=1&{name}=abc&{name}=" + "9" * 30,
    "{name}[]=1",
    "{name}",
    "&".join(["{name}=1"] * 50),
]
# More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django refuses to parse them.
TOO_MANY = "&".join(f"f{n}=1" for n in range(1200))
PAGE_PARAMETERS = ["page", "limit", "offset"]


def _api_list_operations():
    document = api.get_openapi_schema()
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        yield path.removeprefix("/api/v1"), names


API_LISTS = sorted(_api_list_operations())
WEB_LISTS = [
    ("my_work", "cs_agent", []),
    (
        "complaint_list",
        "cs_agent",
        ["text", "status", "kind", "category", "severity", "customer", "product",
         "department", "received_from", "received_to"],
    ),
    ("notifications:inbox", "cs_agent", []),
    ("on_time", "process_owner", ["start", "end"]),
    ("portal:list", "customer_contact", []),
]


def _query_strings(names):
    for name in [*names, *PAGE_PARAMETERS]:
        for value in VALUES:
            yield name, {name: value}
        for raw in RAW:
            yield name, raw.format(name=name)
    yield "(all)", TOO_MANY


def _sweep(get, names):
    """Send every malformed query; the (parameter, query, status) of each 5xx."""
    sent, failures = 0, []
    for name, query in _query_strings(names):
        if isinstance(query, dict):
            response = get(query)
        else:
            response = get(None, QUERY_STRING=query)
        sent += 1
        if response.status_code >= 500:
            failures.append((name, query if isinstance(query, str) else repr(query),
                             response.status_code))
    return sent, failures


@pytest.mark.parametrize(("path", "names"), API_LISTS, ids=[path for path, _n in API_LISTS])
def test_api_list_operation_never_answers_5xx(path, names, qe, process_owner):
    # The process owner may see the on-time rate; every other list is open to staff.
    user = process_owner if path == "/reports/on-time" else qe
    _token, key = token_issue(user=user)
    # A server error is counted, not raised, so that the sweep reports every one.
    client = Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)

    def get(params, **extra):
        return client.get("/api/v1" + path, params, **extra)

    sent, failures = _sweep(get, names)
    assert sent == (len(names) + len(PAGE_PARAMETERS)) * (len(VALUES) + len(RAW)) + 1
    assert failures == []


@pytest.mark.parametrize(("url_name", "persona", "names"), WEB_LISTS, ids=[w[0] for w in WEB_LISTS])
def test_web_list_page_never_answers_5xx(url_name, persona, names, request, make_complaint):
    make_complaint()
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(persona))
    url = reverse(url_name)

    def get(params, **extra):
        return client.get(url, params, **extra)

    sent, failures = _sweep(get, names)
    assert sent == (len(names) + len(PAGE_PARAMETERS)) * (len(VALUES) + len(RAW)) + 1
    assert failures == []


def test_api_bad_list_parameter_is_422_naming_it(qe):
    _token, key = token_issue(user=qe)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    query = {"customer": str(2**64), "received_to": "9999-12-31"}
    response = client.get("/api/v1/complaints", query)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert set(body["fields"]) == {"customer", "received_to"}
    assert "1900-01-01" in body["fields"]["received_to"][0]


def test_api_too_many_parameters_is_400_in_the_api_shape(qe):
    _token, key = token_issue(user=qe)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    response = client.get("/api/v1/complaints", QUERY_STRING=TOO_MANY)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
