from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class KesuLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose otherwise (language switch or profile).

    The browser's Accept-Language is ignored in the web UI: factory PCs often run English
    Windows while their users expect the Chinese UI. API clients still get error messages in
    the language they ask for.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware:
    """Sends settings.KESU_CSP as the Content-Security-Policy header on every response that has
    none yet (Django 5.2 has no CSP of its own). Empty setting: no header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.KESU_CSP and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.KESU_CSP
        return response
