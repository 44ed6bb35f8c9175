"""Customers use the portal, not the staff pages (SPEC §13).

A customer contact who opens a staff page is sent to its portal equivalent: a complaint page to
the portal page of that number (which answers 404 if it is not theirs), anything else to the
portal's list. Logging in and out, switching language, static files and the health check stay
open; the API keeps its own scoping. A session opened by a signed link is for one complaint in
the portal only, so the API does not accept it.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from kesu.org.models import Role
from kesu.portal.access import session_limit

HTMX_STOP_POLLING = 286


def _open_prefixes() -> tuple[str, ...]:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return ("/portal/", "/login/", "/logout/", "/i18n/", "/healthz", "/metrics", static)


def portal_equivalent(path: str) -> str:
    try:
        number = resolve(path).kwargs.get("number")
    except Resolver404:
        number = None
    if number:
        try:
            return reverse("portal:detail", args=[number])
        except NoReverseMatch:
            pass
    return reverse("portal:list")


class CustomerPortalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.open = _open_prefixes()

    def __call__(self, request):
        path = request.path_info
        if path.startswith(self.open):
            return self.get_response(request)
        if path.startswith("/api/"):
            if session_limit(request.session) is not None:
                request.user = AnonymousUser()
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and user.role == Role.CUSTOMER:
            if request.headers.get("HX-Request") == "true":
                # A fragment (the bell on an error page) must not swap a portal page into
                # itself; 286 also tells htmx to stop polling.
                return HttpResponse(status=HTMX_STOP_POLLING)
            return redirect(portal_equivalent(path))
        return self.get_response(request)
