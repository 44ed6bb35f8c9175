"""The portal's pages as a customer contact uses them."""

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints import services
from kesu.complaints.choices import Status, Visibility
from kesu.complaints.events import COMMENT, CREATED
from kesu.core import clock
from kesu.portal.views import PAGE_SIZE
from tests.fixtures import complaint_data
from tests.portal.helpers import PDF, share_file


def numbers(html: str) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)"', html)


def test_the_list_shows_only_the_customers_complaints_newest_first(
    login, customer_contact, make_complaint, cs_agent, product, another_customer
):
    old = make_complaint(received_at=clock.now() - timedelta(days=3), title="旧投诉")
    new = make_complaint(title="新投诉")
    services.complaint_create(
        actor=cs_agent, data=complaint_data(another_customer, product, title="别人的投诉")
    )
    response = login(customer_contact).get("/portal/")
    assert response.status_code == 200
    assert numbers(response.text) == [new.number, old.number]
    # Not even as a name somewhere on the page.
    assert "另一家客户" not in response.text and "别人的投诉" not in response.text


def test_the_list_says_the_customer_facing_status_and_last_update(
    login, customer_contact, make_complaint, drive, cs_agent
):
    complaint = drive(make_complaint(), Status.DISPATCHED)
    services.complaint_comment(actor=cs_agent, complaint=complaint, text="内部讨论")
    row = login(customer_contact).get("/portal/").text.split('data-number="', 1)[1]
    # Internal hand-overs are "under investigation" for the customer.
    assert 'data-status="dispatched"' in row and "Dispatched" not in row
    created = complaint.events.get(type=CREATED).at
    # The last update they see is the last thing meant for them, not the internal message.
    from django.utils import timezone

    assert timezone.localtime(created).strftime("%Y-%m-%d %H:%M") in row


def test_the_list_is_paginated_with_constant_queries(
    login, customer_contact, make_complaint, django_assert_num_queries
):
    for i in range(3):
        make_complaint(title=f"投诉{i}")
    client = login(customer_contact)
    client.get("/portal/")
    # Session, user, the user's customer (header), count, page.
    with django_assert_num_queries(5):
        client.get("/portal/")
    for i in range(PAGE_SIZE):
        make_complaint(title=f"更多投诉{i}")
    with django_assert_num_queries(5):
        first = client.get("/portal/")
    assert len(numbers(first.text)) == PAGE_SIZE
    second = client.get("/portal/?page=2")
    assert len(numbers(second.text)) == 3
    assert not set(numbers(first.text)) & set(numbers(second.text))
    assert client.get("/portal/?page=abc").status_code == 200


def test_an_empty_list_says_so(login, customer_contact):
    response = login(customer_contact).get("/portal/")
    assert response.status_code == 200 and 'class="card empty"' in response.text


def test_customer_sees_own_complaint_but_not_internal_notes(
    login, make_complaint, customer_contact, other_customer_contact, cs_agent
):
    complaint = make_complaint()
    services.complaint_comment(actor=cs_agent, complaint=complaint, text="内部备注：供应商问题")
    services.complaint_comment(
        actor=cs_agent, complaint=complaint, text="已收到您的投诉", visibility="customer"
    )
    response = login(customer_contact).get(f"/portal/{complaint.number}/")
    html = response.text
    assert response.status_code == 200
    assert "已收到您的投诉" in html
    assert "内部备注" not in html
    assert "质量工程师" not in html and "工程管理部" not in html  # owners are internal
    assert 'name="visibility"' not in html
    assert login(other_customer_contact).get(f"/portal/{complaint.number}/").status_code == 404


def test_decision_buttons_only_while_the_plan_awaits(
    login, customer_contact, make_complaint, drive
):
    client = login(customer_contact)
    for status, expected in (
        (Status.RECEIVED, set()),
        (Status.ANALYSIS, set()),
        (Status.CONFIRMATION, {"customer_accept", "customer_reject"}),
        (Status.IMPLEMENTATION, set()),
    ):
        complaint = drive(make_complaint(), status)
        html = client.get(f"/portal/{complaint.number}/").text
        assert set(re.findall(r'data-action="(customer_[a-z]+)"', html)) == expected, status


def test_where_it_is_in_the_loop(login, customer_contact, awaiting_decision, make_complaint, drive):
    client = login(customer_contact)
    html = client.get(f"/portal/{awaiting_decision.number}/").text
    loop = html.split('class="loop', 1)[1].split("</ol>", 1)[0]
    assert loop.count('class="done"') == 3 and loop.count('aria-current="step"') == 1
    cancelled = drive(make_complaint(), Status.CANCELLED)
    html = client.get(f"/portal/{cancelled.number}/").text
    assert 'class="loop' not in html and 'data-status="cancelled"' in html


def test_customer_message_is_always_visible_to_the_customer(
    login, customer_contact, make_complaint
):
    complaint = make_complaint()
    client = login(customer_contact)
    response = client.post(
        f"/portal/{complaint.number}/messages/",
        {
            "text": "请尽快处理",
            "visibility": "internal",
            "files": [SimpleUploadedFile("现场照片.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    comment = complaint.events.get(type=COMMENT)
    assert (comment.note, comment.visibility, comment.actor) == (
        "请尽快处理",
        Visibility.CUSTOMER,
        customer_contact,
    )
    attachment = complaint.attachments.get()
    assert attachment.event.visibility == Visibility.CUSTOMER
    html = client.get(f"/portal/{complaint.number}/").text
    assert "请尽快处理" in html and "现场照片.pdf" in html


def test_an_empty_or_bad_message_is_explained_and_saves_nothing(
    login, customer_contact, make_complaint
):
    complaint = make_complaint()
    client = login(customer_contact)
    events = complaint.events.count()
    response = client.post(f"/portal/{complaint.number}/messages/", {"text": "  "})
    assert response.status_code == 422
    assert response.context["message_form"].errors["text"]
    fake = SimpleUploadedFile("photo.jpg", b"MZ not an image", content_type="image/jpeg")
    url = f"/portal/{complaint.number}/messages/"
    response = client.post(url, {"text": "看图", "files": [fake]})
    assert response.status_code == 422 and "photo.jpg" in response.text
    for bad in ("长" * 10_001, "你好\x00"):
        assert client.post(url, {"text": bad}).status_code == 422
    assert complaint.events.count() == events


def test_files_customer_visible_download_internal_ones_do_not(
    login, customer_contact, make_complaint, cs_agent
):
    complaint = make_complaint()
    shared = share_file(complaint, cs_agent, name="给客户的报告.pdf")
    internal = share_file(complaint, cs_agent, name="内部分析.pdf", visibility="internal")
    client = login(customer_contact)
    html = client.get(f"/portal/{complaint.number}/").text
    assert "给客户的报告.pdf" in html and "内部分析.pdf" not in html
    response = client.get(f"/portal/{complaint.number}/attachments/{shared.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF
    assert client.get(f"/portal/{complaint.number}/attachments/{internal.pk}/").status_code == 404


def test_hostile_text_is_escaped(login, customer_contact, make_complaint, cs_agent):
    hostile = "<script>alert('客诉')</script><img src=x onerror=alert(1)>"
    complaint = make_complaint(title=hostile[:200], description=hostile)
    services.complaint_comment(
        actor=cs_agent, complaint=complaint, text=hostile, visibility="customer"
    )
    client = login(customer_contact)
    for url in ("/portal/", f"/portal/{complaint.number}/"):
        html = client.get(url).text
        assert "<script>alert(" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#x27;客诉&#x27;)&lt;/script&gt;" in html


def test_zh_hans_by_default_english_selectable(login, customer_contact, awaiting_decision):
    client = login(customer_contact)
    url = f"/portal/{awaiting_decision.number}/"
    assert '<html lang="zh-hans">' in client.get(url).text
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).text
    assert '<html lang="en">' in html and "Accept the plan" in html


def test_phone_friendly(login, customer_contact, awaiting_decision):
    html = login(customer_contact).get(f"/portal/{awaiting_decision.number}/").text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert 'table class="stack"' in html  # tables become cards on a narrow screen


def test_pages_need_a_login(client, awaiting_decision):
    for url in ("/portal/", f"/portal/{awaiting_decision.number}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_staff_are_sent_to_their_own_pages(login, cs_agent, awaiting_decision):
    client = login(cs_agent)
    number = awaiting_decision.number
    assert client.get("/portal/")["Location"] == "/"
    assert client.get(f"/portal/{number}/")["Location"] == f"/complaints/{number}/"


def test_portal_pages_are_not_cached(login, customer_contact, awaiting_decision):
    response = login(customer_contact).get(f"/portal/{awaiting_decision.number}/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
