"""A portal user of one customer can never read or change another customer's complaint, whatever
URL or id they try (issue 4): every portal URL × every kind of number × both customers."""

import pytest

from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.eightd.models import CustomerVersion
from kesu.portal.links import signed_url
from tests.portal.helpers import sent_export, share_file

NONEXISTENT = "KS-1999-999999"
HOSTILE = [
    "..",
    "%2e%2e",
    "KS-2026-000001%00",
    "KS-2026-000001' OR '1'='1",
    "<script>alert(1)<%2Fscript>",
    "%E5%AE%A2%E8%AF%89",
]


class World:
    """Two customers, each with a complaint whose plan awaits them, a file and a sent export."""

    def __init__(self, complaints, files, exports):
        self.complaints = complaints
        self.files = files
        self.exports = exports

    def own(self, persona):
        return self.complaints[persona]

    def foreign(self, persona):
        other = "other" if persona == "mine" else "mine"
        return self.complaints[other]


@pytest.fixture
def world(awaiting_decision, others_complaint, cs_agent):
    complaints = {"mine": awaiting_decision, "other": others_complaint}
    files = {key: share_file(c, cs_agent) for key, c in complaints.items()}
    exports = {key: sent_export(c, cs_agent) for key, c in complaints.items()}
    return World(complaints, files, exports)


PERSONAS = {"mine": "customer_contact", "other": "other_customer_contact"}


def urls(number, attachment_id, export_id):
    """Every portal URL of one complaint: (name, method, path, data)."""
    base = f"/portal/{number}"
    return [
        ("detail", "get", f"{base}/", None),
        ("versions", "get", f"{base}/versions/", None),
        ("version", "get", f"{base}/versions/1/", None),
        ("attachment", "get", f"{base}/attachments/{attachment_id}/", None),
        ("export", "get", f"{base}/exports/{export_id}/", None),
        ("accept", "post", f"{base}/accept/", {"version": "99", "note": "同意"}),
        ("reject", "post", f"{base}/reject/", {"version": "99", "note": "不同意"}),
        ("message", "post", f"{base}/messages/", {"text": "我来看看"}),
    ]


def state():
    """Everything a POST could have changed."""
    return (
        sorted(Complaint.objects.values_list("number", "version", "status", "plan_rounds")),
        ComplaintEvent.objects.count(),
        sorted(CustomerVersion.objects.values_list("pk", "decision", "reason")),
    )


def refused(client, method, path, data):
    before = state()
    response = getattr(client, method)(path, data or {})
    assert response.status_code == 404, (path, response.status_code)
    assert state() == before, path
    return response


@pytest.mark.parametrize("me", ["mine", "other"])
def test_own_complaint_opens_on_every_page(request, world, login, me):
    user = request.getfixturevalue(PERSONAS[me])
    client = login(user)
    complaint = world.own(me)
    for name, method, path, _data in urls(
        complaint.number, world.files[me].pk, world.exports[me].pk
    ):
        if method == "get":
            assert client.get(path).status_code == 200, name
    assert complaint.number in client.get("/portal/").text
    assert world.foreign(me).number not in client.get("/portal/").text


@pytest.mark.parametrize("me", ["mine", "other"])
def test_another_customers_complaint_is_always_404(request, world, login, me):
    client = login(request.getfixturevalue(PERSONAS[me]))
    theirs = world.foreign(me)
    other_key = "other" if me == "mine" else "mine"
    for _name, method, path, data in urls(
        theirs.number, world.files[other_key].pk, world.exports[other_key].pk
    ):
        response = refused(client, method, path, data)
        assert theirs.title not in response.text


@pytest.mark.parametrize("me", ["mine", "other"])
def test_their_files_under_my_number_are_404(request, world, login, me):
    """An attachment or export id of another complaint does not open under one's own number."""
    client = login(request.getfixturevalue(PERSONAS[me]))
    mine = world.own(me)
    other_key = "other" if me == "mine" else "mine"
    refused(client, "get", f"/portal/{mine.number}/attachments/{world.files[other_key].pk}/", None)
    refused(client, "get", f"/portal/{mine.number}/exports/{world.exports[other_key].pk}/", None)


@pytest.mark.parametrize("number", [NONEXISTENT, *HOSTILE])
@pytest.mark.parametrize("me", ["mine", "other"])
def test_nonexistent_and_hostile_numbers_are_404(request, world, login, me, number):
    client = login(request.getfixturevalue(PERSONAS[me]))
    for _name, method, path, data in urls(number, world.files[me].pk, world.exports[me].pk):
        response = refused(client, method, path, data)
        assert "<script>alert(1)" not in response.text


def test_a_version_number_that_was_never_shown_is_404(world, login, customer_contact):
    client = login(customer_contact)
    number = world.own("mine").number
    for n in (0, 2, 999999):
        refused(client, "get", f"/portal/{number}/versions/{n}/", None)


def test_a_link_session_opens_its_complaint_only(
    world, login, customer_contact, make_complaint, client
):
    """A link for complaint A of this customer: complaint B of the same customer, and another
    customer's complaint, stay closed on every page; the list shows A alone."""
    mine = world.own("mine")
    second = make_complaint(title="同一客户的第二个投诉")
    share_file(second, customer_contact)
    response = client.get(signed_url(user=customer_contact, complaint=mine))
    assert response.status_code == 302
    assert response["Location"] == f"/portal/{mine.number}/"
    assert client.get(f"/portal/{mine.number}/").status_code == 200
    for complaint, key in ((second, None), (world.foreign("mine"), "other")):
        attachment = complaint.attachments.first() if key is None else world.files[key]
        export_id = world.exports[key].pk if key else world.exports["mine"].pk
        for _name, method, path, data in urls(complaint.number, attachment.pk, export_id):
            refused(client, method, path, data)
    listing = client.get("/portal/").text
    assert mine.number in listing and second.number not in listing


def test_a_link_session_cannot_use_the_api(world, customer_contact, client):
    mine = world.own("mine")
    client.get(signed_url(user=customer_contact, complaint=mine))
    assert client.get(f"/api/v1/complaints/{mine.number}").status_code == 401


def test_a_link_never_opens_anything_but_its_own_complaint(
    world, customer_contact, other_customer_contact, client
):
    """The link of the other customer's contact logs them in for their complaint, and from
    there this customer's complaint is 404 like any other."""
    theirs = world.own("other")
    response = client.get(signed_url(user=other_customer_contact, complaint=theirs))
    assert response["Location"] == f"/portal/{theirs.number}/"
    refused(client, "get", f"/portal/{world.own('mine').number}/", None)


def test_a_link_made_for_someone_elses_complaint_opens_nothing(
    world, customer_contact, client
):
    """Even a genuine token naming a complaint the user may not see logs nobody in."""
    response = client.get(signed_url(user=customer_contact, complaint=world.own("other")))
    assert response.status_code == 410
    assert "_auth_user_id" not in client.session
