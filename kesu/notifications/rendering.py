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
from django.utils.translation import gettext, ngettext

from kesu.complaints.choices import Status as ComplaintStatus
from kesu.complaints.workflow import WORKFLOW
from kesu.core import clock
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


def late_by(late) -> str:
    """How late, as people say it: days and hours ("2 天 3 小时"), hours and minutes under a
    day, never hundreds of hours. Wall-clock time: what the reader feels, not business time."""
    minutes = max(int(late.total_seconds() // 60), 1)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def _late(context: dict, at) -> str | None:
    """How late the step is at `at`, for overdue and escalated notices."""
    due = parse_datetime(context["due_at"]) if isinstance(context.get("due_at"), str) else None
    if due is None or at is None or context.get("kind") not in ("overdue", "escalated"):
        return None
    return late_by(at - due) if at > due else None


def _item_context(item: dict, at) -> dict:
    """One line of a digest, its words in the active language."""
    line = dict(item)
    line["late"] = _late(item, at)
    for key, value in item.items():
        if key.endswith("_at") and value:
            line[key] = _local_time(value)
    for key in ("step", "level"):
        if isinstance(item.get(key), str) and item[key]:
            line[key] = gettext(item[key])
    if isinstance(item.get("passed"), list):
        line["passed"] = enumeration(item["passed"]) if item["passed"] else ""
    if item.get("kind") in Kind.values:
        line["kind_label"] = Kind(item["kind"]).label
    if isinstance(item.get("message_id"), str):
        line["message"] = _message(item["message_id"], item.get("params") or {})
    if item.get("number"):
        line["link"] = base_url() + reverse("complaint_detail", args=[item["number"]])
    line["what"] = _what(line)
    return line


def _what(line: dict) -> str:
    """The line's second half: what is late and by how much, or what the notice says."""
    step, late, level = line.get("step"), line.get("late"), line.get("level")
    if line.get("kind") == "escalated" and step and late:
        return gettext("escalated to %(level)s: %(step)s, overdue by %(overdue_by)s") % {
            "level": level or "", "step": step, "overdue_by": late,
        }
    if step and late:
        return gettext("%(step)s, overdue by %(overdue_by)s") % {"step": step, "overdue_by": late}
    if step and line.get("due_at"):
        return gettext("%(step)s is due at %(due_at)s") % {"step": step, "due_at": line["due_at"]}
    return line.get("message") or step or line.get("kind_label") or ""


def digest_lines(notification: Notification) -> list[dict]:
    """The items of a digest, ready for a template, in the active language.

    Lateness is as of now, that is as of rendering: the inbox and the bell render when they
    are looked at, so the in-app digest, a live list that takes in items for days while it is
    unread, says how late each step is now; a mail is rendered when it is sent (each try
    anew), so it says how late as of sending, the time it names. Never as of the row's
    `created_at`: a digest's items were raised at different times, and in the app that time
    moves with each item added."""
    items = (notification.context or {}).get("items") or []
    # A complaint's lines together (templates group them), in the order they were raised.
    order = {number: i for i, number in reversed(list(enumerate(i.get("number") for i in items)))}
    items = sorted(items, key=lambda item: order.get(item.get("number"), 0))
    now = clock.now()
    return [_item_context(item, now) for item in items]


def _digest_context(notification: Notification, context: dict) -> dict:
    lines = digest_lines(notification)
    kinds: dict[str, int] = {}
    for line in lines:
        kinds[line.get("kind_label") or ""] = kinds.get(line.get("kind_label") or "", 0) + 1
    return {
        "lines": lines,
        "count": len(lines),
        "complaints": len({line.get("number") for line in lines if line.get("number")}),
        "summary": enumeration(
            gettext("%(kind)s: %(count)s") % {"kind": kind, "count": count}
            for kind, count in kinds.items() if kind
        ),
        # The moment the lines' lateness is counted to (see digest_lines).
        "sent_at": _local_time(clock.now()),
    }


def _template_context(notification: Notification) -> dict:
    if notification.kind not in Kind.values:
        raise UnknownKind(f"Unknown notification kind {notification.kind!r}.")
    context = dict(notification.context)
    if notification.kind == Kind.DIGEST:
        context.pop("items", None)
        context.update(_digest_context(notification, context))
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
