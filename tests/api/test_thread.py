"""The complaint's one thread over the API: timeline, messages, attachments."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.choices import Status
from kesu.complaints.models import Attachment, ComplaintEvent

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def png(name="划痕.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_timeline_lists_every_event_in_order(api_as, cs_agent, make_complaint, drive):
    complaint = drive(make_complaint(), Status.DISPATCHED)
    events = api_as(cs_agent).get(f"/complaints/{complaint.number}/events").json()
    assert [e["type"] for e in events] == ["created", "transition", "transition"]
    assert [e["action"] for e in events[1:]] == ["assess_valid", "dispatch"]
    assert events[1]["payload"]["responsible_department"] == "工程管理部"
    assert events[0]["actor"]["name"] == "客服小王"


def test_customer_sees_only_what_is_meant_for_them(
    api_as, cs_agent, customer_contact, make_complaint
):
    complaint = make_complaint()
    agent = api_as(cs_agent)
    path = f"/complaints/{complaint.number}/messages"
    assert agent.post(path, {"text": "内部：先查库存"}).status_code == 201
    assert agent.post(path, {"text": "您好，已收到", "visibility": "customer"}).status_code == 201
    events = api_as(customer_contact).get(f"/complaints/{complaint.number}/events").json()
    assert [e["note"] for e in events if e["type"] == "comment"] == ["您好，已收到"]
    assert all(e["payload"] == {} for e in events)


def test_customer_message_is_always_visible_to_the_customer(
    api_as, customer_contact, make_complaint
):
    complaint = make_complaint()
    response = api_as(customer_contact).post(
        f"/complaints/{complaint.number}/messages", {"text": "请尽快处理", "visibility": "internal"}
    )
    assert response.status_code == 201
    assert response.json()["visibility"] == "customer"


def test_empty_message_is_422(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    response = api_as(cs_agent).post(f"/complaints/{complaint.number}/messages", {"text": "  "})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["text"]


def test_upload_and_download_an_attachment(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    client = api_as(cs_agent)
    response = client.upload(f"/complaints/{complaint.number}/attachments", png())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "划痕.png"
    assert body["size"] == len(PNG)
    listed = client.get(f"/complaints/{complaint.number}/attachments").json()
    assert [a["id"] for a in listed] == [body["id"]]
    download = client.get(body["url"].removeprefix("/api/v1"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment;")


def test_attachment_of_wrong_type_is_refused(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script>", "image/png")
    response = api_as(cs_agent).upload(f"/complaints/{complaint.number}/attachments", fake)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["files"]
    assert not Attachment.objects.exists()


def test_upload_without_a_file_is_422(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    response = api_as(cs_agent).client.post(
        f"/api/v1/complaints/{complaint.number}/attachments",
        {},
        headers=api_as(cs_agent).headers,
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["file"]


def test_customer_cannot_download_internal_attachments(
    api_as, cs_agent, customer_contact, make_complaint
):
    complaint = make_complaint()
    agent = api_as(cs_agent)
    internal = agent.upload(f"/complaints/{complaint.number}/attachments", png()).json()
    shared = agent.upload(
        f"/complaints/{complaint.number}/attachments", png("给客户.png"), visibility="customer"
    ).json()
    customer = api_as(customer_contact)
    listed = customer.get(f"/complaints/{complaint.number}/attachments").json()
    assert [a["id"] for a in listed] == [shared["id"]]
    assert customer.get(internal["url"].removeprefix("/api/v1")).status_code == 404
    assert customer.get(shared["url"].removeprefix("/api/v1")).status_code == 200


def test_customer_upload_is_visible_to_the_customer(api_as, customer_contact, make_complaint):
    complaint = make_complaint()
    client = api_as(customer_contact)
    response = client.upload(f"/complaints/{complaint.number}/attachments", png())
    assert response.status_code == 201
    event = ComplaintEvent.objects.get(complaint=complaint, type="attachment")
    assert event.visibility == "customer"
    assert [a["id"] for a in client.get(f"/complaints/{complaint.number}/attachments").json()]


def test_attachment_of_another_complaint_is_404(api_as, cs_agent, make_complaint):
    first, second = make_complaint(), make_complaint()
    client = api_as(cs_agent)
    uploaded = client.upload(f"/complaints/{first.number}/attachments", png()).json()
    response = client.get(f"/complaints/{second.number}/attachments/{uploaded['id']}")
    assert response.status_code == 404


def test_timeline_query_count_does_not_grow_with_events(api_as, cs_agent, make_complaint):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    complaint = make_complaint()
    client = api_as(cs_agent)
    path = f"/complaints/{complaint.number}/events"
    client.get("/me")  # the token's first use also records last_used_at
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for n in range(3):
        client.post(f"/complaints/{complaint.number}/messages", {"text": f"消息{n}"})
        client.upload(f"/complaints/{complaint.number}/attachments", png(f"{n}.png"))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(path).json()) == 7
    assert len(many) == len(few)


def test_an_attachment_lost_from_storage_is_404_not_500(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    client = api_as(cs_agent)
    url = client.upload(f"/complaints/{complaint.number}/attachments", png()).json()["url"]
    attachment = Attachment.objects.get()
    attachment.file.storage.delete(attachment.file.name)
    response = client.get(url.removeprefix("/api/v1"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
