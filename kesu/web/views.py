from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse

from kesu.portal.access import session_limit, session_unlimit


def set_language_cookie(response, language: str) -> None:
    """LocaleMiddleware reads this cookie on every later request, as after set_language."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginView(auth_views.LoginView):
    """Django's login, which also switches the interface to the user's own language if set.
    Customer contacts land in the portal."""

    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # Someone who came in through a mailed link may still log in with a password.
        self.redirect_authenticated_user = session_limit(request.session) is None
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        if self.request.user.is_authenticated and self.request.user.is_customer:
            return reverse("portal:list")
        return super().get_default_redirect_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        # A password login opens everything the user may see, not just the link's complaint.
        session_unlimit(self.request.session)
        language = form.get_user().language
        if language:
            set_language_cookie(response, language)
        return response
