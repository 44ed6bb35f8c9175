"""The radar's pages (issue 13): the candidates while a complaint is recorded (an htmx partial
asked as the agent types), the card on the complaint page, and linking from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kesu.complaints.access import can_record, complaint_get_for_user, complaint_or_404
from kesu.complaints.inputs import MAX_TEXT
from kesu.core.bounds import DB_INT_MAX
from kesu.core.errors import KesuError
from kesu.radar.selectors import Draft, radar
from kesu.radar.services import can_link, radar_link


def _id(raw) -> int | None:
    text = (raw or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= DB_INT_MAX:
        return int(text)
    return None


def draft_from(data) -> Draft:
    """The draft as the record form holds it; what does not parse is left out, not refused:
    the agent is still typing."""
    title = (data.get("title") or "")[:200]
    description = (data.get("description") or "")[:MAX_TEXT]
    return Draft(
        customer_id=_id(data.get("customer")),
        product_ids=[pk for raw in data.getlist("products")[:50] if (pk := _id(raw))],
        defect_code_id=_id(data.get("defect_code")),
        text=f"{title} {description}".replace("\x00", " "),
    )


@login_required
@require_POST
def radar_draft(request):
    """The candidates for the complaint being recorded (the record form asks on change)."""
    if not can_record(request.user):
        raise PermissionDenied
    candidates = radar(request.user, draft_from(request.POST))
    return render(request, "radar/_candidates.html", {"candidates": candidates, "draft": True})


def _complaint_context(request, complaint) -> dict:
    return {
        "complaint": complaint,
        "candidates": radar(request.user, Draft.of(complaint)),
        "linkable": can_link(request.user, complaint),
    }


@login_required
@require_GET
def radar_complaint(request, number):
    complaint = complaint_or_404(request, number, staff_only=True)
    return render(request, "radar/_candidates.html", _complaint_context(request, complaint))


@login_required
@require_POST
def radar_link_view(request, number):
    complaint = complaint_or_404(request, number, staff_only=True)
    try:
        earlier = complaint_get_for_user(request.user, (request.POST.get("earlier") or "")[:20])
        radar_link(
            actor=request.user, complaint=complaint, earlier=earlier,
            kind=request.POST.get("kind", ""),
        )
    except KesuError as exc:
        error = " ".join(str(m) for ms in exc.field_errors.values() for m in ms) or exc.message
        if request.headers.get("HX-Request"):
            context = {**_complaint_context(request, complaint), "error": error}
            return render(request, "radar/_candidates.html", context, status=exc.http_status)
        messages.error(request, error)
    else:
        messages.success(request, _("Linked to %(number)s.") % {"number": earlier.number})
        if request.headers.get("HX-Request"):
            return render(request, "radar/_candidates.html", _complaint_context(request, complaint))
    return redirect(reverse("complaint_detail", args=[complaint.number]) + "#radar")
