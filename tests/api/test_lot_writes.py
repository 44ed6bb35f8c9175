"""Lots and inspection results written over the API (issue 13): idempotent by key, all or
nothing, refused row by row with clear messages."""

import threading

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection

from kesu.masterdata.models import Inspection, Lot
from kesu.org.models import Role
from tests import factories as f


@pytest.fixture
def admin(db):
    return f.UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def codes(customer, product):
    f.DefectCodeFactory(code="SCR", name="划伤")
    return {"product": product.code, "customer": customer.code}


def lot_body(codes, **overrides):
    return {
        **codes,
        "quantity": 5000,
        "ship_date": "2026-10-08",
        "delivery_date": "2026-10-10",
        **overrides,
    }


def test_put_creates_then_same_body_is_unchanged_then_a_change_updates(api_as, admin, codes):
    api = api_as(admin)
    first = api.put("/lots/L20261008-01", lot_body(codes))
    assert first.status_code == 200, first.json()
    assert first.json()["outcome"] == "created"
    assert first.json()["product"]["code"] == "BRK-100"

    again = api.put("/lots/L20261008-01", lot_body(codes))
    assert again.json()["outcome"] == "unchanged"
    changed = api.put("/lots/L20261008-01", lot_body(codes, quantity=4800, delivery_date=None))
    assert changed.json()["outcome"] == "updated"
    lot = Lot.objects.get(number="L20261008-01")
    assert (lot.quantity, lot.delivery_date) == (4800, None)
    assert LogEntry.objects.get_for_object(lot).count() == 2  # created, updated


def test_bulk_post_is_all_or_nothing_and_idempotent(api_as, admin, codes):
    api = api_as(admin)
    body = {"lots": [lot_body(codes, number=f"L{i}") for i in range(3)]}
    created = api.post("/lots", body)
    assert created.status_code == 200, created.json()
    assert (created.json()["created"], created.json()["unchanged"]) == (3, 0)
    again = api.post("/lots", body).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert [lot["outcome"] for lot in again["lots"]] == ["unchanged"] * 3


def test_bulk_post_names_each_bad_row_and_writes_nothing(api_as, admin, codes):
    body = {
        "lots": [
            lot_body(codes, number="L1"),
            lot_body(codes, number="L2", customer="NOPE"),
            lot_body(codes, number="L3", ship_date="2026-10-10", delivery_date="2026-10-01"),
            lot_body(codes, number="L1"),
        ]
    }
    response = api_as(admin).post("/lots", body)
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["lots.1.customer"] == ["No customer with the code “NOPE”."]
    assert fields["lots.2.delivery_date"] == ["The delivery date is before the ship date."]
    assert fields["lots.3.number"] == ["“L1” already appears in row 0."]
    assert Lot.objects.count() == 0


def test_too_many_lots_in_one_call_are_refused(api_as, admin, codes):
    body = {"lots": [lot_body(codes, number=f"L{i}") for i in range(1001)]}
    assert api_as(admin).post("/lots", body).status_code == 422
    assert Lot.objects.count() == 0


def test_only_who_may_import_lots_may_write_them(api_as, qe, customer_contact, codes):
    assert api_as(customer_contact).put("/lots/L1", lot_body(codes)).status_code == 403
    assert api_as(qe).put("/lots/L1", lot_body(codes)).status_code == 403
    qe.is_staff = True
    qe.save()
    qe.user_permissions.add(*Permission.objects.filter(codename__in=["add_lot", "change_lot"]))
    assert api_as(qe).put("/lots/L1", lot_body(codes)).status_code == 200


def test_hostile_and_out_of_range_input_is_a_422_never_a_500(api_as, admin, codes):
    api = api_as(admin)
    assert api.put("/lots/" + "L" * 51, lot_body(codes)).status_code == 422
    assert api.put("/lots/L1", lot_body(codes, ship_date="0001-01-01")).status_code == 422
    assert api.put("/lots/L1", lot_body(codes, quantity=2**40)).status_code == 422
    assert api.put("/lots/L1", lot_body(codes, quantity=0)).status_code == 422
    assert api.put("/lots/L1", lot_body(codes, product="<script>x")).status_code == 422
    assert api.put("/lots/L%00", lot_body(codes)).status_code in (404, 422)
    script = api.put("/lots/<script>alert(1)<", lot_body(codes))
    assert script.status_code == 200  # stored as text; pages escape it
    assert Lot.objects.filter(number="<script>alert(1)<").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_of_one_new_number_both_succeed(api_as, admin, codes):
    outcomes, errors = [], []

    def put():
        try:
            response = api_as(admin).put("/lots/L-RACE", lot_body(codes))
            outcomes.append((response.status_code, response.json().get("outcome")))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=put) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(outcomes) == [(200, "created")] + [(200, "unchanged")] * 3
    assert Lot.objects.filter(number="L-RACE").count() == 1


def inspection_body(**overrides):
    return {
        "result": "ng",
        "defect_code": "SCR",
        "quantity_checked": 200,
        "quantity_bad": 3,
        "inspected_on": "2026-10-12",
        "note": "<script>alert(1)</script> 外观划伤",
        **overrides,
    }


def test_qe_records_an_inspection_and_the_same_again_is_unchanged(api_as, qe, codes):
    lot = f.LotFactory(number="L1", product__code="P9", quantity=1000)
    api = api_as(qe)
    first = api.put("/lots/L1/inspections/customer", inspection_body())
    assert first.status_code == 200, first.json()
    assert (first.json()["outcome"], first.json()["defect_code"]["code"]) == ("created", "SCR")
    assert first.json()["recorded_by"] == "质量工程师老张"
    assert api.put("/lots/L1/inspections/customer", inspection_body()).json()["outcome"] == (
        "unchanged"
    )
    ok = api.put(
        "/lots/L1/inspections/outgoing",
        inspection_body(result="ok", quantity_bad=0, defect_code=None),
    )
    assert ok.json()["outcome"] == "created"
    listed = api.get("/lots/L1/inspections").json()
    assert [(i["side"], i["result"]) for i in listed] == [("customer", "ng"), ("outgoing", "ok")]
    assert Inspection.objects.filter(lot=lot).count() == 2


def test_inconsistent_inspections_are_refused_with_reasons(api_as, qe, codes):
    f.LotFactory(number="L1", quantity=100)
    api = api_as(qe)

    def fields(**overrides):
        response = api.put("/lots/L1/inspections/customer", inspection_body(**overrides))
        assert response.status_code == 422, response.json()
        return response.json()["fields"]

    assert fields(quantity_bad=300, quantity_checked=50) == {
        "quantity_bad": ["More found bad (300) than checked (50)."]
    }
    assert fields(result="ok", defect_code=None)["result"] == [
        "The result is OK but 3 were found bad; enter NG, or 0 bad."
    ]
    assert fields(quantity_checked=101)["quantity_checked"] == [
        "More checked (101) than the lot holds (100)."
    ]
    assert fields(defect_code="NOPE")["defect_code"] == ["No defect code with the code “NOPE”."]
    assert fields(inspected_on="2999-01-01")["inspected_on"] == [
        "The inspection date is in the future."
    ]
    assert Inspection.objects.count() == 0
    # NG without a defect code is accepted: the analysis names it later.
    assert api.put(
        "/lots/L1/inspections/customer", inspection_body(defect_code=None, quantity_checked=50)
    ).status_code == 200


def test_inspections_of_an_unknown_lot_and_by_others(api_as, qe, outsider, customer_contact):
    f.LotFactory(number="L1")
    assert api_as(qe).put("/lots/NOPE/inspections/customer", inspection_body()).status_code == 404
    assert api_as(qe).put("/lots/L1/inspections/sideways", inspection_body()).status_code == 422
    assert api_as(outsider).put("/lots/L1/inspections/customer", inspection_body()).status_code == (
        403
    )
    assert api_as(customer_contact).get("/lots/L1/inspections").status_code == 403
