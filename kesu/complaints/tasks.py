"""Background work of the complaint loop."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from kesu.complaints.models import ComplaintEvent


@task()
def send_customer_update(event_id: int) -> None:
    """Tell the customer contact what happened (SPEC §3: acknowledgement on receipt and every
    milestone), in Chinese unless the complaint says otherwise."""
    event = ComplaintEvent.objects.select_related("complaint", "complaint__customer").get(
        pk=event_id
    )
    complaint = event.complaint
    with translation.override(settings.LANGUAGE_CODE):
        context = {"event": event, "complaint": complaint}
        subject = render_to_string("complaints/mail/customer_update_subject.txt", context)
        body = render_to_string("complaints/mail/customer_update.txt", context)
    send_mail(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [complaint.contact_email]
    )
