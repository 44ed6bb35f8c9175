from django.contrib.auth import views as auth_views
from django.urls import reverse

from kesu.core.language import set_language_cookie
from kesu.org.lockout import (
    LOCKOUT_STATUS,
    attempts_left_message,
    is_locked_out,
    lockout_message,
)
from kesu.portal.access import session_limit, session_unlimit


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

    def form_invalid(self, form):
        if not is_locked_out(self.request):
            warning = attempts_left_message(self.request, form.data.get("username", ""))
            if warning:
                form.add_error(None, warning)
            return super().form_invalid(form)
        # Locked (django-axes): say so, rather than "wrong password" that a retry cannot fix.
        form.errors.clear()
        form.add_error(None, lockout_message())
        return self.render_to_response(self.get_context_data(form=form), status=LOCKOUT_STATUS)

    def form_valid(self, form):
        response = super().form_valid(form)
        # A password login opens everything the user may see, not just the link's complaint.
        session_unlimit(self.request.session)
        language = form.get_user().language
        if language:
            set_language_cookie(response, language)
        return response
