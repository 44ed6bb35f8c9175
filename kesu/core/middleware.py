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
