"""Signing a discipline on the page (21 CFR Part 11 §11.50, §11.200): the password again, a
meaning, and a signature that shows as no longer valid once the content changes."""

from kesu.eightd.models import Discipline
from kesu.signoff.models import Signature
from tests.eightd_data import COMPLETE, fill
from tests.eightd_pages.formdata import encode
from tests.fixtures import PASSWORD


def sign_url(number, code):
    return f"/complaints/{number}/8d/{code}/sign/"


def card(html, code):
    return html.split(f'id="{code}"', 1)[1].split("</section>", 1)[0]


def test_signing_with_the_password(as_user, engineer, qe, analysis):
    fill(analysis, engineer, ("d3",))
    client = as_user(qe)
    html = client.get(f"/complaints/{analysis.number}/8d/").content.decode()
    sign_box = card(html, "d3").split('class="sign-box"', 1)[1]
    assert "exactly as it is shown above" in sign_box
    for meaning in ("reviewed", "approved", "confirmed"):
        assert f'value="{meaning}"' in sign_box
    assert 'type="password"' in sign_box

    response = client.post(
        sign_url(analysis.number, "d3"),
        {"d3-sign-password": PASSWORD, "d3-sign-meaning": "approved"},
        follow=True,
    )

    signature = Signature.objects.get()
    assert (signature.signer, signature.meaning) == (qe, "approved")
    d3 = card(response.content.decode(), "d3")
    assert 'data-state="signed"' in d3.split(">", 1)[0]
    assert "质量工程师老张" in d3 and "Approved" in d3
    assert 'data-signature="valid"' in d3
    assert analysis.events.filter(type="eightd_signed", payload__discipline="d3").exists()


def test_a_handler_may_review_but_not_approve(as_user, engineer, analysis):
    fill(analysis, engineer, ("d2",))
    client = as_user(engineer)
    html = client.get(f"/complaints/{analysis.number}/8d/").content.decode()
    assert 'value="approved"' not in card(html, "d2")
    response = client.post(sign_url(analysis.number, "d2"),
                           {"d2-sign-password": PASSWORD, "d2-sign-meaning": "approved"})
    assert response.status_code == 302
    assert not Signature.objects.exists()


def test_a_wrong_password_signs_nothing(as_user, engineer, qe, analysis):
    fill(analysis, engineer, ("d3",))
    response = as_user(qe).post(
        sign_url(analysis.number, "d3"),
        {"d3-sign-password": "wrong", "d3-sign-meaning": "approved"},
    )
    assert response.status_code == 422
    assert not Signature.objects.exists()
    html = response.content.decode()
    assert "The password is not correct; nothing was signed." in card(html, "d3")
    assert '<details class="signer" data-signer="d3" open>' in html
    assert 'value="wrong"' not in html


def test_an_incomplete_discipline_cannot_be_signed(as_user, qe, analysis):
    response = as_user(qe).post(
        sign_url(analysis.number, "d4"),
        {"d4-sign-password": PASSWORD, "d4-sign-meaning": "approved"},
    )
    assert response.status_code == 422
    assert not Signature.objects.exists()
    d4 = card(response.content.decode(), "d4")
    assert "is not complete" in d4 and "analyse both causes, occurrence and escape" in d4


def test_no_meaning_no_signature(as_user, engineer, qe, analysis):
    fill(analysis, engineer, ("d3",))
    response = as_user(qe).post(sign_url(analysis.number, "d3"), {"d3-sign-password": PASSWORD})
    assert response.status_code == 422
    assert "Choose what your signature means." in response.content.decode()
    assert not Signature.objects.exists()


def test_an_edit_after_signing_voids_the_signature_on_both_pages(
    as_user, engineer, qe, analysis
):
    fill(analysis, engineer, ("d3",))
    qe_client = as_user(qe)
    qe_client.post(sign_url(analysis.number, "d3"),
                   {"d3-sign-password": PASSWORD, "d3-sign-meaning": "approved"})
    detail = qe_client.get(f"/complaints/{analysis.number}/").content.decode()
    assert 'data-signature="valid"' in detail.split('data-discipline="d3"', 1)[1]

    client = as_user(engineer)
    version = Discipline.objects.get(report__complaint=analysis, code="d3").version
    changed = {"actions": [{**COMPLETE["d3"]["actions"][0], "qty_bad": 13}]}
    assert client.post(f"/complaints/{analysis.number}/8d/d3/",
                       encode("d3", changed, version=version)).status_code == 302

    html = client.get(f"/complaints/{analysis.number}/8d/").content.decode()
    d3 = card(html, "d3")
    assert 'data-signature="invalid"' in d3 and 'data-signature="valid"' not in d3
    assert "no longer valid — the content changed after signing" in d3
    assert "edited after signing: sign again" in d3
    detail = client.get(f"/complaints/{analysis.number}/").content.decode()
    row = detail.split('data-discipline="d3"', 1)[1].split("</tr>", 1)[0]
    assert 'data-state="resign"' in detail
    assert 'data-signature="invalid"' in row and "质量工程师老张" in row
    # The timeline says which signatures the edit voided.
    assert "Signatures no longer valid" in detail
