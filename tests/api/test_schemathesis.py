"""schemathesis over every operation of /api/v1 (SPEC §13, issue 10 part 5): no server error,
and every answer is documented (status code, content type, body matching its schema).

Runs in the normal suite so that `.ci/run` fails on any server error or schema violation, on
SQLite and PostgreSQL alike. Examples are bounded (KESU_SCHEMATHESIS_EXAMPLES, default 12 per
operation for the fuzzing phase; the examples and coverage phases add their own) so that the
run stays within about two minutes on two idle cores; raise it locally to search harder. Requests go
through Django's WSGI application in this process, inside each test's transaction: what a
generated request writes is rolled back.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from kesu.api.tokens import token_issue

EXAMPLES = int(os.environ.get("KESU_SCHEMATHESIS_EXAMPLES", "12"))
# For measuring: a file to which each answer's status and operation are appended.
TALLY = os.environ.get("KESU_SCHEMATHESIS_TALLY")
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(max_examples=EXAMPLES)


@pytest.fixture(autouse=True)
def _one_connection_per_test():
    """The real WSGI handler closes the database connection after each request; that would
    end the test's transaction. Django's test client makes the same exception."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_of(db, settings):
    settings.AXES_ENABLED = False  # generated logins must not lock the test client out

    def issue(user):
        _token, key = token_issue(user=user)
        return key

    return issue


@pytest.fixture
def known_complaint(make_complaint):
    return make_complaint()


def _call_and_validate(case, token, complaint):
    if "number" in (case.path_parameters or {}):
        # A real complaint, so that generation reaches past the 404 into the operation itself.
        case.path_parameters["number"] = complaint.number
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    if TALLY:
        with open(TALLY, "a") as tally:
            tally.write(f"{response.status_code} {case.operation.label}\n")
    case.validate_response(response, checks=CHECKS)


HYPOTHESIS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@HYPOTHESIS
def test_staff_get_every_answer_as_documented(case, token_of, qe, known_complaint):
    _call_and_validate(case, token_of(qe), known_complaint)


@schema.parametrize()
@HYPOTHESIS
def test_customers_get_every_answer_as_documented(
    case, token_of, customer_contact, known_complaint
):
    # Their own complaint: the refusals of what is staff-only must be documented too.
    _call_and_validate(case, token_of(customer_contact), known_complaint)
