"""Electronic sign-off of a discipline (21 CFR Part 11 §11.50, §11.70, §11.200)."""

import pytest

from kesu.complaints.choices import Status
from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.eightd.events import EIGHTD_SIGNED, EIGHTD_UPDATED
from kesu.eightd.models import Discipline
from kesu.eightd.selectors import report_view
from kesu.eightd.services import discipline_update
from kesu.signoff.models import Signature
from tests import eightd_data
from tests.eightd.conftest import sign


def test_a_signature_records_name_meaning_time_and_the_content_hash(written, qe):
    signature = sign(written, qe)
    shown = report_view(written)["d4"]
    assert signature.printed_name == qe.display_name
    assert signature.meaning == "approved" and signature.signed_at
    assert signature.content_hash == shown.hash and len(shown.hash) == 64
    assert shown.signed_off and shown.signatures[0].valid
    event = written.events.get(type=EIGHTD_SIGNED)
    assert event.payload["content_hash"] == shown.hash and event.actor == qe


def test_a_wrong_password_signs_nothing(written, qe):
    with pytest.raises(ValidationFailed) as refused:
        sign(written, qe, password="not-my-password")
    assert list(refused.value.field_errors) == ["password"]
    assert not Signature.objects.exists()
    assert not written.events.filter(type=EIGHTD_SIGNED).exists()


def test_only_managers_trackers_and_process_owners_approve(written, engineer, qe, cs_agent):
    with pytest.raises(NotAllowed):
        sign(written, engineer)
    assert sign(written, engineer, meaning="confirmed").meaning == "confirmed"
    with pytest.raises(NotAllowed):
        sign(written, cs_agent, meaning="reviewed")
    assert not report_view(written)["d4"].signed_off  # confirmed is not an approval


def test_an_edit_invalidates_the_signature_visibly(written, engineer, qe):
    sign(written, qe)
    d4 = Discipline.objects.get(report__complaint=written, code="d4")
    content = {**d4.content, "escape": {**d4.content["escape"], "statement": "另一个原因"}}
    discipline_update(actor=engineer, complaint=written, code="d4", version=d4.version,
                      content=content)
    shown = report_view(written)["d4"]
    assert not shown.signed_off and shown.needs_new_signature
    assert [s.valid for s in shown.signatures] == [False]
    edit = written.events.filter(type=EIGHTD_UPDATED).latest("pk")
    assert edit.payload["signatures_invalidated"] == 1
    sign(written, qe)
    shown = report_view(written)["d4"]
    assert [s.valid for s in shown.signatures] == [False, True] and shown.signed_off


def test_an_internal_note_or_owner_change_leaves_the_signature_valid(written, engineer, qe):
    sign(written, qe)
    d4 = Discipline.objects.get(report__complaint=written, code="d4")
    discipline_update(actor=engineer, complaint=written, code="d4", version=d4.version,
                      internal_note="仅内部：供应商尚未回复", owner=engineer)
    assert report_view(written)["d4"].signed_off


def test_the_same_content_on_another_complaint_is_another_hash(
    written, make_complaint, drive, engineer
):
    other = drive(make_complaint(), Status.ANALYSIS)
    eightd_data.fill(other, engineer, ("d4",))
    assert report_view(other)["d4"].hash != report_view(written)["d4"].hash


def test_the_printed_name_is_kept_as_it_was(written, qe):
    sign(written, qe)
    signed_as = qe.display_name
    qe.display_name = "改名后的张磊"
    qe.save()
    assert report_view(written)["d4"].signatures[0].printed_name == signed_as


def test_signing_is_closed_while_the_customer_decides(make_complaint, drive, qe):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    with pytest.raises(NotAllowed):
        sign(complaint, qe, code="d5")


def test_signatures_cannot_be_changed_in_the_admin(admin_client, written, qe):
    signature = sign(written, qe)
    url = f"/admin/signoff/signature/{signature.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Signature.objects.filter(pk=signature.pk).exists()


def test_namesakes_are_told_apart_by_department_not_username(written, qe):
    from tests.factories import UserFactory

    UserFactory(username="qe2", display_name=qe.display_name)
    printed = sign(written, qe).printed_name
    assert printed == f"{qe.display_name}（{qe.department.name}）"
    assert "qe" not in printed
