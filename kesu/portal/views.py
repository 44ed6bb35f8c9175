"""The customer portal (SPEC §5 step 5, §13, issue 4).

Every page fetches its complaint through `portal_complaint` (the customer's company, and for a
link session that one complaint), calls one service and renders. Another customer's complaint,
a number that does not exist and one the session may not open all answer the same 404.
"""

from contextlib import nullcontext
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kesu.complaints import downloads, selectors, services
from kesu.complaints.choices import Status, Visibility
from kesu.complaints.models import ComplaintEvent
from kesu.complaints.workflow import Action
from kesu.core.errors import KesuError, NotFound, RateLimited, ValidationFailed
from kesu.core.forms import show_errors
from kesu.core.http import posted_version
from kesu.core.language import set_language_cookie
from kesu.eightd.export import downloads as export_downloads
from kesu.eightd.models import Export, ExportStatus, Purpose
from kesu.eightd.selectors import customer_versions, latest_version
from kesu.org.models import Role
from kesu.portal import document, stages
from kesu.portal.access import (
    portal_complaint,
    portal_complaints,
    session_limit,
    session_limit_to,
)
from kesu.portal.forms import AcceptForm, MessageForm, RejectForm
from kesu.portal.links import LinkRefused, link_open

PAGE_SIZE = 20
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def portal_page(view):
    """Customers only (staff are sent to their own pages); a 404 is the portal's own page;
    nothing of a complaint is kept in a shared cache or the browser's."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.role != Role.CUSTOMER:
            number = kwargs.get("number")
            return redirect(
                reverse("complaint_detail", args=[number]) if number else reverse("my_work")
            )
        try:
            response = view(request, *args, **kwargs)
        except (Http404, NotFound):
            response = render(request, "portal/not_found.html", status=404)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _sent_exports():
    return Export.objects.filter(send=True, status=ExportStatus.DONE, version__isnull=False)


# --- Pages ------------------------------------------------------------------------------------


@portal_page
@require_GET
def complaint_list(request):
    last_seen = (
        ComplaintEvent.objects.filter(complaint=OuterRef("pk"), visibility=Visibility.CUSTOMER)
        .order_by("-at")
        .values("at")[:1]
    )
    complaints = (
        portal_complaints(request)
        .annotate(last_update=Subquery(last_seen))
        .only("number", "title", "status", "received_at", "kind")
        .order_by("-received_at", "-id")
    )
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "portal/list.html", {"page": page, "limited": session_limit(request.session)}
    )


def _render_detail(request, complaint, *, status=200, page=None, **overrides):
    deciding = complaint.status == Status.CONFIRMATION
    # What the customer decides on is the plan; otherwise the last thing they were shown.
    shown = (deciding and latest_version(complaint, Purpose.PLAN)) or latest_version(complaint)
    context = {
        "complaint": complaint,
        "stages": stages.loop_stages(complaint),
        "page": page or selectors.timeline_page(request.user, complaint),
        # Every file of the thread, not only those of the page shown.
        "attachments": selectors.timeline_attachments(request.user, complaint),
        "shown": shown,
        "sections": document.sections(shown.snapshot) if shown else [],
        "deciding": deciding,
        "exports": _sent_exports()
        .filter(version__report__complaint=complaint)
        .select_related("version"),
        "message_form": MessageForm(),
        "message_errors": [],
        "accept_form": AcceptForm(),
        "reject_form": RejectForm(),
    }
    context.update(overrides)
    return render(request, "portal/detail.html", context, status=status)


@portal_page
@require_GET
def complaint_detail(request, number):
    """`?before=<event id>`: the messages before that one, as an htmx fragment for "show
    earlier" or as the whole page without JavaScript."""
    complaint = portal_complaint(request, number)
    try:
        page = selectors.timeline_page(
            request.user, complaint, before=selectors.parse_cursor(request.GET.get("before"))
        )
    except ValidationFailed as exc:
        return HttpResponseBadRequest(exc.message)
    if _fragment_requested(request, "timeline-earlier"):
        context = {"complaint": complaint, "page": page, "fragment": True}
        response = render(request, "portal/_timeline_items.html", context)
    else:
        response = _render_detail(request, complaint, page=page)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _fragment_requested(request, target: str) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Target") == target
    )


@portal_page
@require_GET
def event_note(request, number, event_id):
    """The whole of a long message the thread shows the start of."""
    complaint = portal_complaint(request, number)
    event = selectors.timeline_event(request.user, complaint, event_id)
    if event is None:
        raise Http404
    return render(request, "complaints/_note.html", {"event": event})


def _decide(request, number, action: str, form_class, form_name: str):
    complaint = portal_complaint(request, number)
    try:
        services.complaint_transition(
            actor=request.user,
            complaint=complaint,
            action=action,
            version=posted_version(request),
            data={"note": request.POST.get("note", "")},
        )
    except ValidationFailed as exc:
        form = form_class(request.POST)
        show_errors(form, exc)
        return _render_detail(request, complaint, status=422, **{form_name: form})
    except KesuError as exc:
        # Stale page, or no longer awaiting a decision: say so on the page as it is now.
        messages.error(request, exc.message)
        fresh = portal_complaint(request, number)
        return _render_detail(request, fresh, status=exc.http_status)
    if action == Action.CUSTOMER_ACCEPT:
        messages.success(request, _("Thank you: you accepted the plan. We will implement it."))
    else:
        messages.success(
            request, _("Your rejection and its reason were sent; the team will revise the plan.")
        )
    return redirect("portal:detail", complaint.number)


@portal_page
@require_POST
def plan_accept(request, number):
    return _decide(request, number, Action.CUSTOMER_ACCEPT, AcceptForm, "accept_form")


@portal_page
@require_POST
def plan_reject(request, number):
    return _decide(request, number, Action.CUSTOMER_REJECT, RejectForm, "reject_form")


@portal_page
@require_POST
def message_send(request, number):
    complaint = portal_complaint(request, number)
    try:
        services.complaint_comment(
            actor=request.user,
            complaint=complaint,
            text=request.POST.get("text", ""),
            files=request.FILES.getlist("files"),
        )
    except ValidationFailed as exc:
        form = MessageForm(request.POST)
        rest = show_errors(form, exc)
        other = [message for errors in rest.values() for message in errors]
        return _render_detail(
            request, complaint, status=422, message_form=form, message_errors=other
        )
    except RateLimited as exc:
        # The page again with their text in the form, so nothing typed is lost meanwhile.
        refusal = [exc.message]
        if request.FILES:
            refusal.append(_("Files are not kept: choose them again when you send."))
        return _render_detail(
            request,
            complaint,
            status=exc.http_status,
            message_form=MessageForm(request.POST),
            message_refusal=refusal,
        )
    except KesuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your message was sent."))
    return redirect(reverse("portal:detail", args=[complaint.number]) + "#messages")


@portal_page
@require_GET
def version_list(request, number):
    complaint = portal_complaint(request, number)
    versions = (
        customer_versions(complaint)
        .order_by("-number")
        .prefetch_related(Prefetch("exports", queryset=_sent_exports(), to_attr="sent"))
    )
    return render(request, "portal/versions.html", {"complaint": complaint, "versions": versions})


@portal_page
@require_GET
def version_detail(request, number, n):
    complaint = portal_complaint(request, number)
    version = (
        customer_versions(complaint)
        .filter(number=n)
        .prefetch_related(Prefetch("exports", queryset=_sent_exports(), to_attr="sent"))
        .first()
    )
    if version is None:
        raise Http404
    context = {
        "complaint": complaint,
        "version": version,
        "sections": document.sections(version.snapshot),
    }
    return render(request, "portal/version.html", context)


@portal_page
@require_GET
def attachment_download(request, number, attachment_id):
    """Only files of the customer's side of the thread, through the complaint's access check."""
    complaint = portal_complaint(request, number)
    return downloads.attachment_download(request.user, complaint, attachment_id)


@portal_page
@require_GET
def export_download(request, number, export_id):
    """An 8D export that was sent to the customer: a finished file of a version they saw."""
    complaint = portal_complaint(request, number)
    export = (
        _sent_exports()
        .filter(pk=export_id, version__report__complaint=complaint)
        .select_related("version", "report__complaint")
        .first()
    )
    if export is None or not export.file:
        raise Http404
    return export_downloads.export_download(export)


# --- Signed links -----------------------------------------------------------------------------


@never_cache
@require_GET
def link_follow(request, token):
    """A link from a mail: log its customer in for its one complaint and open it there."""
    try:
        user, complaint = link_open(token)
    except LinkRefused as refused:
        language = refused.user.language if refused.user and refused.user.language else None
        with translation.override(language) if language else nullcontext():
            return render(
                request,
                "portal/link_refused.html",
                {"reason": refused.reason},
                status=refused.status,
            )
    if not (request.user == user and session_limit(request.session) is None):
        # A full login of this very user stays as it is; anyone else's session is replaced.
        login(request, user, backend=MODEL_BACKEND)
        session_limit_to(request.session, complaint.number)
    response = redirect("portal:detail", complaint.number)
    if user.language:
        set_language_cookie(response, user.language)
    return response
