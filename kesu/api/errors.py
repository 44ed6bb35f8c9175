"""Every error the API returns has one shape: {"code", "message", "fields"?}, with messages in
the request's language (LocaleMiddleware reads Accept-Language).

Pydantic's own messages are English only, so schema errors are re-worded with the messages of
Django's form fields, whose Chinese translations Django ships.
"""

import math

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kesu.core import clock
from kesu.core.errors import KesuError, NotAllowed, NotFound, RateLimited, ValidationFailed


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


def errors(*statuses: int) -> dict:
    """Response declarations for OpenAPI: these statuses answer with ErrorOut."""
    return {status: ErrorOut for status in statuses}


def _respond(api: NinjaAPI, request: HttpRequest, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "value_error" and ctx.get("error"):
        # Our own validators (e.g. the 8D's "more found bad than checked") speak for themselves.
        return str(ctx["error"])
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith(("float_", "decimal_")):
        return _("Enter a number.")
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": error.get("kesu_length", 0)}
    if kind in ("enum", "literal_error"):
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {
            "value": error.get("kesu_input", "")
        }
    if kind.startswith("datetime_"):
        return _("Enter a valid date/time.")
    if kind.startswith("date_"):
        return _("Enter a valid date.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Enter a list of values.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge")
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le")
        }
    if kind == "extra_forbidden":
        return _("This field cannot be changed here.")
    if kind == "null_characters":
        return _("Null characters are not allowed.")
    if kind == "string_type":
        return _("Enter text.")
    return _("Enter a valid value.")


def validation_fields(raw_errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in raw_errors:
        field = error.get("kesu_field") or ".".join(str(p) for p in error.get("loc", ())[1:])
        fields.setdefault(field or "__all__", []).append(_pydantic_message(error))
    return fields


def _field_path(model, loc: tuple) -> str:
    """The client's name for the field at `loc`: ("filters", "status", 0) → "status.0",
    ("payload", "products", 0) → "products.0". Operation parameter names are ours, not theirs."""
    reverse = getattr(model, "__ninja_flatten_map_reverse__", None) or {}
    for cut in range(len(loc), 0, -1):
        if loc[:cut] in reverse:
            loc = tuple(reverse[loc[:cut]]) + tuple(loc[cut:])
            break
    else:
        if getattr(model, "__read_from_single_attr__", None) and loc:
            loc = loc[1:]
    return ".".join(str(part) for part in loc) or "__all__"


ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
SAFE_METHODS = frozenset({"get", "head", "options", "trace"})


def generic_statuses(method: str, operation: dict) -> dict[int, str]:
    """The statuses the handlers of `install` give any operation of this shape, whatever it
    does, with why: an operation declares only the answers its own rules give (403, 404, 409…).
    """
    statuses = {}
    security = {name for item in operation.get("security", []) for name in item}
    if security:
        statuses[401] = "Not authenticated, or the token is not valid."
        if method not in SAFE_METHODS and "SessionAuth" in security:
            statuses[403] = "With the session cookie: the CSRF check failed."
    parameters = operation.get("parameters", [])
    if any(p["in"] == "path" for p in parameters):
        statuses[404] = "Not found, or you have no access to it."
    if "requestBody" in operation:
        statuses[400] = "The body could not be read (not valid JSON or form data)."
        statuses[413] = "The request is too large."
    if "requestBody" in operation or any(
        p["in"] == "query" or p.get("schema", {}).get("type") != "string" for p in parameters
    ):
        statuses[422] = "A parameter or field is not valid."
    return statuses


class KesuNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, why in generic_statuses(method, operation).items():
                    content = {"application/json": {"schema": ERROR_REF}}
                    responses.setdefault(status, {"description": why, "content": content})
        return schema

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        # Ninja drops the offending input from each error; keep the two facts our messages
        # quote (a text's length, a rejected choice) before it does, and the field's name as
        # the client knows it. Same order as ninja's own loop.
        extras = []
        for context in error_contexts:
            for error in context.pydantic_validation_error.errors(include_url=False):
                value = error.get("input")
                extra = {"kesu_field": _field_path(context.model, tuple(error["loc"]))}
                if error["type"] == "string_too_long" and isinstance(value, str):
                    extra["kesu_length"] = len(value)
                elif error["type"] in ("enum", "literal_error"):
                    extra["kesu_input"] = str(value)[:50]
                extras.append(extra)
        exc = super().validation_error_from_error_contexts(error_contexts)
        for error, extra in zip(exc.errors, extras, strict=False):
            error.update(extra)
        return exc


def install(api: NinjaAPI) -> None:
    @api.exception_handler(KesuError)
    def kesu_error(request, exc: KesuError):
        response = _respond(api, request, exc.http_status, exc.as_dict())
        if isinstance(exc, RateLimited) and exc.retry_at is not None:
            # RFC 9110 §10.2.3: seconds until the request would be accepted.
            wait = math.ceil((exc.retry_at - clock.now()).total_seconds())
            response["Retry-After"] = str(max(wait, 1))
        return response

    @api.exception_handler(ValidationError)
    def schema_error(request, exc: ValidationError):
        failed = ValidationFailed(field_errors=validation_fields(exc.errors))
        return _respond(api, request, failed.http_status, failed.as_dict())

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        if getattr(request, "kesu_bad_token", False):
            message = _(
                "The token is not valid: it is unknown, revoked or expired, or its user's "
                "password has changed."
            )
        else:
            message = _("Authentication required: send “Authorization: Bearer <token>”.")
        response = _respond(api, request, 401, {"code": "unauthenticated", "message": message})
        response["WWW-Authenticate"] = 'Bearer realm="kesu"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # Raised by ninja itself: an unparsable body (400), throttling (429).
        codes = {400: "bad_request", 403: "not_allowed", 404: "not_found", 429: "throttled"}
        messages = {
            400: _("The request could not be read; send valid JSON."),
            429: _("Too many requests; try again later."),
        }
        code = codes.get(exc.status_code, "error")
        message = messages.get(exc.status_code, str(exc))
        return _respond(api, request, exc.status_code, {"code": code, "message": message})

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _respond(api, request, 404, NotFound().as_dict())

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return _respond(api, request, 403, NotAllowed().as_dict())

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        body = {"code": "too_large", "message": _("The request is too large.")}
        return _respond(api, request, 413, body)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        # Too many fields, a malformed multipart body and the like: the client's fault.
        body = {"code": "bad_request", "message": _("The request could not be read.")}
        return _respond(api, request, 400, body)
