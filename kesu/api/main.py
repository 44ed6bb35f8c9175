"""The REST API (SPEC §14) at /api/v1/: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import Router
from ninja.renderers import JSONRenderer

from kesu.api import (
    auth,
    complaints,
    eightd,
    exports,
    masterdata,
    radar,
    timelimits,
    verification,
)
from kesu.api.errors import KesuNinjaAPI, install
from kesu.api.security import SessionAuth, TokenAuth
from kesu.core.errors import NotFound


class Utf8JSONRenderer(JSONRenderer):
    # Chinese as characters rather than \uXXXX escapes: readable in curl and logs, and shorter.
    json_dumps_params = {"ensure_ascii": False}


api = KesuNinjaAPI(
    title="Kesu API",
    version="1",
    description=(
        "Customer-complaint handling (客诉). Authenticate with `Authorization: Bearer <token>` "
        "(POST /auth/token) or, from the browser, the session cookie plus X-CSRFToken. Errors "
        'are `{"code", "message", "fields"?}` with messages in the Accept-Language.'
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    renderer=Utf8JSONRenderer(),
)
install(api)
api.add_router("", auth.router)
api.add_router("", complaints.router)
api.add_router("", masterdata.router)
api.add_router("", timelimits.router)
api.add_router("", eightd.router)
api.add_router("", exports.router)
api.add_router("", radar.router)
api.add_router("", verification.router)

# Last: any other path under /api/v1/ answers in the API's error format, not an HTML page.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_path(request, rest: str):
    raise NotFound()


api.add_router("", fallback)
