"""Notification pages: the inbox, the bell, channel settings, following a complaint.

Each view parses the request, fetches through a selector or the access-checked complaint getter,
calls one service and renders.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.complaints.access import complaint_or_404
from kesu.notifications import selectors, services
from kesu.notifications.choices import Kind
from kesu.notifications.forms import ChannelPreferencesForm
from kesu.notifications.rendering import digest_lines, render_text

PAGE_SIZE = 30
# htmx stops polling when answered 286: a logged-out tab must not poll forever.
HTMX_STOP_POLLING = 286


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _ids(request) -> list[int]:
    # Longer numbers cannot be ids and would overflow the database integer.
    return [int(v) for v in request.POST.getlist("ids") if v.isdigit() and len(v) < 19]


@login_required
@require_GET
def inbox_view(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = []
    for notification in page.object_list:
        text = render_text(notification)
        if notification.kind == Kind.DIGEST:
            # The first line sums it up; the items are listed as links below it.
            items.append((notification, text.splitlines()[0], digest_lines(notification)))
        else:
            items.append((notification, text, None))
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@require_GET
def bell_view(request):
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    return render(
        request,
        "notifications/_bell.html",
        {"notifications_unread": selectors.unread_count(request.user)},
    )


BELL_LATEST = 8


def _first_line(notification) -> str:
    """A digest by its summary alone (it can hold dozens of items, listed in the inbox); any
    other notice in its short text."""
    text = render_text(notification)
    return text.splitlines()[0] if notification.kind == Kind.DIGEST and text else text


@login_required
@require_http_methods(["GET", "POST"])
def bell_menu_view(request):
    """The bell's menu: the latest notices. POST marks them all read; without script it goes
    back to the inbox, with htmx it redraws the menu and, out of band, the count."""
    if request.method == "POST":
        services.mark_read(user=request.user, ids=None)
        if not _is_htmx(request):
            return redirect("notifications:inbox")
    latest = list(selectors.inbox(request.user)[:BELL_LATEST])
    context = {
        "items": [(notification, _first_line(notification)) for notification in latest],
        "loaded": True,
    }
    if request.method == "POST":
        context.update(oob=True, notifications_unread=0)
        return render(request, "notifications/_bell_menu_marked.html", context)
    return render(request, "notifications/_bell_menu.html", context)


@login_required
@require_POST
def mark_read_view(request):
    """Mark the posted ids read, or every notification when none are posted."""
    services.mark_read(user=request.user, ids=_ids(request) or None)
    return redirect("notifications:inbox")


@login_required
@require_POST
def open_view(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(user=request.user, ids=[notification.pk])
    number = request.POST.get("number")
    if notification.kind == Kind.DIGEST and number in {
        item.get("number") for item in notification.context.get("items") or []
    }:
        # One of the digest's complaints; its page checks access like any other.
        return redirect("complaint_detail", number)
    if notification.complaint_id:
        return redirect("complaint_detail", notification.complaint.number)
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    initial = selectors.channel_preferences(request.user)
    data = request.POST if request.method == "POST" else None
    form = ChannelPreferencesForm(data, user=request.user, initial=initial)
    if form.is_bound and form.is_valid():
        services.channel_preferences_set(user=request.user, enabled=form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


def _after_follow(request, complaint, following: bool):
    if _is_htmx(request):
        return render(
            request,
            "notifications/follow_button.html",
            {"complaint": complaint, "following": following},
        )
    return redirect(reverse("complaint_detail", args=[complaint.number]))


@login_required
@require_POST
def follow_view(request, number):
    complaint = complaint_or_404(request, number)
    services.follow(user=request.user, complaint=complaint)
    return _after_follow(request, complaint, True)


@login_required
@require_POST
def unfollow_view(request, number):
    complaint = complaint_or_404(request, number)
    services.unfollow(user=request.user, complaint=complaint)
    return _after_follow(request, complaint, False)
