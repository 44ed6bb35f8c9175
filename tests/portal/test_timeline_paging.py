"""The portal's thread is paged like the staff timeline, and shows only the customer's side:
an internal event can neither be shown nor used as a cursor."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints import services
from kesu.complaints.choices import Visibility
from kesu.complaints.models import ComplaintEvent
from kesu.complaints.selectors import TIMELINE_PAGE
from kesu.core import clock

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "timeline-earlier"}


def ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-event-id="(\d+)"', html)]


def test_the_thread_pages_back_through_the_customer_side_only(
    login, customer_contact, cs_agent, make_complaint
):
    complaint = make_complaint()
    services.complaint_comment(
        actor=customer_contact,
        complaint=complaint,
        text="最早的消息",
        files=[SimpleUploadedFile("照片.pdf", b"%PDF-1.4", content_type="application/pdf")],
    )
    with clock.frozen(clock.now()):
        for i in range(2 * TIMELINE_PAGE + 10):
            visibility = Visibility.CUSTOMER if i % 2 else Visibility.INTERNAL
            services.complaint_comment(
                actor=cs_agent, complaint=complaint, text=f"回复{i}", visibility=visibility
            )
    client = login(customer_contact)
    url = f"/portal/{complaint.number}/"
    page = client.get(url).content.decode()
    assert "照片.pdf" in page  # the files card lists files of earlier pages too
    seen = ids(page)
    cursor = re.search(r'hx-get="[^"]*\?before=(\d+)"', page).group(1)
    fragment = client.get(url, {"before": cursor}, **HTMX).content.decode()
    seen = ids(fragment) + seen
    assert 'id="timeline-earlier"' not in fragment
    visible = ComplaintEvent.objects.filter(complaint=complaint, visibility=Visibility.CUSTOMER)
    assert seen == list(visible.order_by("at", "id").values_list("id", flat=True))

    internal = ComplaintEvent.objects.filter(
        complaint=complaint, visibility=Visibility.INTERNAL
    ).last()
    assert client.get(url, {"before": internal.pk}).status_code == 400
    assert client.get(url, {"before": "x" * 40}).status_code == 400
    assert client.get(f"/portal/{complaint.number}/events/{internal.pk}/note/").status_code == 404


def test_a_long_message_is_cut_in_the_portal(login, customer_contact, make_complaint):
    complaint = make_complaint()
    text = "详细描述" * 2400
    event = services.complaint_comment(actor=customer_contact, complaint=complaint, text=text)
    client = login(customer_contact)
    page = client.get(f"/portal/{complaint.number}/").content.decode()
    assert text not in page and 'data-action="show-all"' in page
    whole = client.get(f"/portal/{complaint.number}/events/{event.pk}/note/")
    assert text in whole.content.decode()
