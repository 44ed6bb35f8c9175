"""/api/v1/openapi.json is complete and valid OpenAPI."""

import pytest
from openapi_spec_validator import validate

from kesu.complaints.workflow import ACTIONS

EXPECTED_PATHS = {
    "/api/v1/auth/token": {"post", "delete"},
    "/api/v1/me": {"get"},
    "/api/v1/complaints": {"get", "post"},
    "/api/v1/complaints/{number}": {"get", "patch"},
    "/api/v1/complaints/{number}/transitions": {"post"},
    "/api/v1/complaints/{number}/events": {"get"},
    "/api/v1/complaints/{number}/messages": {"post"},
    "/api/v1/complaints/{number}/attachments": {"get", "post"},
    "/api/v1/complaints/{number}/attachments/{attachment_id}": {"get"},
    "/api/v1/complaints/{number}/8d": {"get"},
    "/api/v1/complaints/{number}/verification": {"get"},
    "/api/v1/complaints/{number}/verification/results": {"post"},
    "/api/v1/complaints/{number}/verification/override": {"post"},
    "/api/v1/complaints/{number}/verification/outcome": {"post"},
    "/api/v1/complaints/{number}/verification/outcome/confirmation": {"post"},
    **{f"/api/v1/complaints/{{number}}/8d/d{n}": {"put"} for n in range(1, 9)},
    "/api/v1/complaints/{number}/8d/{code}/signatures": {"post"},
    "/api/v1/complaints/{number}/8d/versions": {"get"},
    "/api/v1/complaints/{number}/8d/versions/{version}": {"get"},
    "/api/v1/complaints/{number}/8d/exports": {"get", "post"},
    "/api/v1/complaints/{number}/8d/exports/{export_id}/file": {"get"},
    "/api/v1/complaints/{number}/8d/send": {"post"},
    "/api/v1/radar": {"post"},
    "/api/v1/complaints/{number}/radar": {"get"},
    "/api/v1/complaints/{number}/links": {"post"},
    "/api/v1/complaints/{number}/steps": {"get"},
    "/api/v1/complaints/{number}/info-request": {"post"},
    "/api/v1/complaints/{number}/info-received": {"post"},
    "/api/v1/reports/on-time": {"get"},
    "/api/v1/customers": {"get"},
    "/api/v1/products": {"get"},
    "/api/v1/product-lines": {"get"},
    "/api/v1/suppliers": {"get"},
    "/api/v1/defect-codes": {"get"},
    "/api/v1/lots": {"get", "post"},
    "/api/v1/lots/{number}": {"put"},
    "/api/v1/lots/{number}/inspections": {"get"},
    "/api/v1/lots/{number}/inspections/{side}": {"put"},
    "/api/v1/departments": {"get"},
    "/api/v1/users": {"get"},
    "/api/v1/routing-rules": {"get"},
    "/api/v1/imports": {"post"},
    "/api/v1/imports/{job_id}": {"get"},
}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(schema):
    validate(schema)
    assert schema["info"]["title"] == "Kesu API"
    assert schema["info"]["version"] == "1"


def test_every_operation_is_documented(schema):
    documented = {path: set(ops) for path, ops in schema["paths"].items()}
    assert documented == EXPECTED_PATHS


def test_operations_need_auth_except_the_token_exchange(schema):
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            public = (path, method) == ("/api/v1/auth/token", "post")
            assert bool(operation.get("security")) is not public, (path, method)
            if not public:
                assert "401" in operation["responses"], (path, method)


def test_errors_are_documented_with_one_shape(schema):
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ErrorOut"


def test_transitions_are_described_from_the_workflow_table(schema):
    operation = schema["paths"]["/api/v1/complaints/{number}/transitions"]["post"]
    for action in ACTIONS:
        assert f"| {action} |" in operation["description"]
    assert set(schema["components"]["schemas"]["Action"]["enum"]) == ACTIONS


def test_interactive_docs_are_served_without_a_cdn(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle" in page
    assert "cdn" not in page.lower()
