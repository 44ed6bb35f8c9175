"""Export and send the 8D from its page (the panel `eightd/_exports.html`).

Staff who may see the complaint ask for a PDF or workbook and download it; the handling team
and customer service send the 8D to the customer. Customers and everyone without access get
404, as for a complaint that does not exist. Files leave only through `export_download`, never
a public media URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import engines
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kesu.complaints.access import complaint_or_404
from kesu.core.errors import KesuError
from kesu.eightd.export import downloads, selectors, services
from kesu.eightd.models import ExportFormat

# Without JavaScript the panel is its own page, the same markup inside the site's frame.
STANDALONE = (
    '{% extends "base.html" %}{% load i18n %}'
    '{% block title %}{% translate "8D exports" %} · {{ complaint.number }}{% endblock %}'
    '{% block content %}{% include "eightd/_exports.html" %}{% endblock %}'
)


def _back(complaint):
    return redirect(reverse("eightd_page", args=[complaint.number]) + "#exports")


def _refused(request, exc: KesuError) -> None:
    messages.error(request, exc.message)
    for errors in exc.field_errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_GET
def export_panel(request, number):
    """The panel alone: htmx loads it into the 8D page and polls it while exports are made."""
    complaint = complaint_or_404(request, number, staff_only=True)
    context = {
        "complaint": complaint,
        "export_panel": selectors.export_panel(request.user, complaint),
    }
    if request.headers.get("HX-Request") == "true":
        response = render(request, "eightd/_exports.html", context)
    else:
        template = engines["django"].from_string(STANDALONE)
        response = HttpResponse(template.render(context, request))
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def export_new(request, number):
    complaint = complaint_or_404(request, number, staff_only=True)
    try:
        export = services.export_request(
            actor=request.user,
            complaint=complaint,
            format=request.POST.get("format", ""),
            language=request.POST.get("language", ""),
        )
    except KesuError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("The %(format)s is being made; it appears in the list when it is ready.")
            % {"format": ExportFormat(export.format).label},
        )
    return _back(complaint)


@login_required
@require_POST
def export_send(request, number):
    complaint = complaint_or_404(request, number, staff_only=True)
    try:
        export = services.export_send(
            actor=request.user, complaint=complaint, note=request.POST.get("note", "")
        )
    except KesuError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _(
                "The 8D was sent: version %(number)d is shown to the customer, and its PDF "
                "will be mailed to %(email)s as soon as it is ready."
            )
            % {"number": export.version.number, "email": complaint.contact_email},
        )
    return _back(complaint)


@login_required
@require_GET
def export_download(request, number, export_id):
    complaint = complaint_or_404(request, number, staff_only=True)
    try:
        return downloads.export_download(selectors.export_get(complaint, export_id))
    except KesuError as exc:
        # Not there, or not ready yet: the page shows the link only once it is.
        raise Http404 from exc
