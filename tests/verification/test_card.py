"""The verification card on the complaint page: the watched lots with their results and
"N of 3 clean lots"; its queries do not grow with the lots."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.masterdata.models import Inspection
from kesu.verification.selectors import current_round
from tests import verification_data
from tests.fixtures import PASSWORD


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def page(client, complaint):
    response = client.get(f"/complaints/{complaint.number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_card_lists_the_lots_and_counts_the_clean_ones(verifying, as_user, qe):
    clean = verification_data.deliver(verifying, 1)[0]
    waiting = verification_data.deliver(verifying, 1, result=None, days_after=1)[0]
    html = page(as_user(qe), verifying)
    assert 'id="verification"' in html
    assert f'data-lot="{clean.number}" data-result="ok"' in html
    assert f'data-lot="{waiting.number}" data-result="pending"' in html
    assert 'data-action="record-result"' in html  # the tracker records results here
    assert "1 / 3" in html or "1 of 3" in html or "3 批中已有 1 批" in html


def test_the_card_is_not_drawn_before_verification(make_complaint, drive, as_user, qe):
    from kesu.complaints.choices import Status

    complaint = drive(make_complaint(), Status.ANALYSIS)
    assert 'id="verification"' not in page(as_user(qe), complaint)


def test_the_cards_queries_do_not_grow_with_the_lots(verifying, as_user, qe):
    client = as_user(qe)
    verification_data.deliver(verifying, 1)
    page(client, verifying)
    with CaptureQueriesContext(connection) as one:
        page(client, verifying)
    verification_data.deliver(verifying, 2, days_after=1)
    with CaptureQueriesContext(connection) as three:
        page(client, verifying)
    assert len(three.captured_queries) == len(one.captured_queries)
    # The card and the close step's gate read verification once (kesu.core.memo): its round,
    # the watched lots, their inspections with defect codes.
    card = [q["sql"] for q in one.captured_queries if "verification_round" in q["sql"]
            or '"delivery_date" >=' in q["sql"] or "masterdata_inspection" in q["sql"]]
    assert len(card) == 3, "\n\n".join(card)


def test_recording_a_result_from_the_card(verifying, as_user, qe):
    lot = verification_data.deliver(verifying, 1, result=None)[0]
    response = as_user(qe).post(
        f"/complaints/{verifying.number}/verification/result/",
        {"lot": lot.pk, "side": "customer", "result": "ok", "quantity_checked": 200,
         "quantity_bad": 0, "inspected_on": "2026-04-01"},
    )
    assert response.status_code == 302 and response.url.endswith("#verification")
    assert Inspection.objects.get(lot=lot).result == "ok"


def test_the_handler_cannot_confirm_from_the_card(verifying, as_user, qe, engineer):
    from kesu.verification import services

    services.verification_propose_outcome(actor=qe, complaint=verifying, outcome="effective")
    client = as_user(engineer)
    assert 'data-action="verification-confirm"' not in page(client, verifying)
    client.post(
        f"/complaints/{verifying.number}/verification/confirm/",
        {"version": current_round(verifying).version, "password": PASSWORD},
    )
    assert current_round(verifying).outcome_confirmed_at is None


def test_an_override_from_the_card(verifying, as_user, dept_manager):
    response = as_user(dept_manager).post(
        f"/complaints/{verifying.number}/verification/override/",
        {"reason": "客户同意", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert current_round(verifying).override_signature.signer == dept_manager


def test_customers_do_not_see_the_card(verifying, as_user, customer_contact):
    response = as_user(customer_contact).get(f"/complaints/{verifying.number}/")
    assert 'id="verification"' not in response.content.decode()
