"""Turn a notification into words, in the language it was written for.

Each kind has three plain-text templates under `notifications/<kind>/`: `subject.txt` and
`body.txt` for e-mail, `text.txt` (one or two lines) for chat robots and the inbox. They are text,
not HTML: they switch autoescaping off, and every HTML surface escapes them when it shows them.

Words a sender wants shown are stored as a msgid (`step`, `level`, or `message_id` with its
named `params`) and translated here, so that each reader gets them in their own language.
"""

from datetime import timedelta

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from kesu.complaints.choices import Status as ComplaintStatus
from kesu.complaints.workflow import WORKFLOW
from kesu.core.display import duration_text, enumeration
from kesu.notifications.channels.base import Rendered
from kesu.notifications.choices import Kind
from kesu.notifications.models import Notification

PARTS = ("subject", "body", "text")
ACTION_LABELS = {t.action: t.label for t in WORKFLOW}


class UnknownKind(ValueError):
    pass


def base_url() -> str:
    return getattr(settings, "KESU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def link(notification: Notification) -> str:
    if notification.complaint_id:
        path = reverse("complaint_detail", args=[notification.complaint.number])
    else:
        path = reverse("notifications:inbox")
    return base_url() + path


def _local_time(value) -> str:
    """An ISO timestamp as local wall-clock time (Asia/Shanghai unless TIME_ZONE says else)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return str(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")


def _message(message_id: str, params: dict) -> str:
    """A message stored as its msgid and named parameters, in the active language."""
    try:
        return gettext(message_id) % params
    except (KeyError, TypeError, ValueError):
        # Parameters that do not fit (a row older than its message): the words still go out.
        return gettext(message_id)


def _template_context(notification: Notification) -> dict:
    if notification.kind not in Kind.values:
        raise UnknownKind(f"Unknown notification kind {notification.kind!r}.")
    context = dict(notification.context)
    for key, value in context.items():
        # Times travel as ISO strings (JSON); people read them as local wall-clock time.
        if key.endswith("_at") and value:
            context[key] = _local_time(value)
    for key in ("step", "level"):
        # Names given in English (msgids) are translated here, in the recipient's language.
        if isinstance(context.get(key), str) and context[key]:
            context[key] = gettext(context[key])
    if isinstance(context.get("passed"), list):
        context["passed_count"] = len(context["passed"])
        context["passed"] = enumeration(context["passed"])
    if isinstance(context.get("overdue_minutes"), int) and context["overdue_minutes"] > 0:
        context["overdue_by"] = duration_text(timedelta(minutes=context["overdue_minutes"]))
    if isinstance(context.get("message_id"), str):
        context["message"] = _message(context["message_id"], context.get("params") or {})
    if context.get("status") in ComplaintStatus.values:
        context["status"] = ComplaintStatus(context["status"]).label
    if context.get("action") in ACTION_LABELS:
        context["action"] = ACTION_LABELS[context["action"]]
    context.update(kind=Kind(notification.kind).label, link=link(notification))
    if notification.complaint_id:
        complaint = notification.complaint
        # The complaint as it is now, not as it was when the row was written.
        context.update(
            complaint=complaint,
            number=complaint.number,
            title=complaint.title,
            customer=complaint.customer.name,
        )
    return context


def _part(notification: Notification, part: str, context: dict) -> str:
    name = f"notifications/{notification.kind}/{part}.txt"
    try:
        # .strip() also turns the SafeString the engine returns into a plain str, so that
        # HTML pages escape it like any other text.
        return render_to_string(name, context).strip()
    except TemplateDoesNotExist as exc:
        raise UnknownKind(f"No template {name} for kind {notification.kind!r}.") from exc


def render(notification: Notification, *, language: str | None = None) -> Rendered:
    """Render every part in `language` (default: the notification's own). Raises UnknownKind
    for a kind without templates."""
    with translation.override(language or notification.language):
        context = _template_context(notification)
        parts = {part: _part(notification, part, context) for part in PARTS}
        return Rendered(
            subject=" ".join(parts["subject"].split()),
            body=parts["body"] + "\n",
            text=parts["text"],
            link=context["link"],
            link_label=gettext("Open in Kesu"),
        )


def render_text(notification: Notification) -> str:
    """The short text alone, in the active language: the inbox shows it in the language of
    the page around it."""
    return _part(notification, "text", _template_context(notification))
