"""Small HTTP helpers every app's edges share: the staff pages, the portal and the API.

Each exists once here so that the pages and the API cannot drift apart (a missing file is a 404
everywhere, a garbled version a stale one everywhere).
"""

from django.http import FileResponse, Http404

from kesu.core.errors import NotFound


def or_404(getter, *args, **kwargs):
    """What an access-checked getter returns; its NotFound as the page's 404."""
    try:
        return getter(*args, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def posted_version(request) -> int:
    """The version the user's page was rendered from; garbage counts as stale."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def file_download(field, filename: str, *, content_type: str | None = None) -> FileResponse:
    """A stored file as a download; 404 when storage has lost it (or the field is empty).
    Never kept by a shared cache or the browser: files leave only through access checks."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
