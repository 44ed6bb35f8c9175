"""8D export files leave only through here, from the 8D page, the portal and the API alike,
and under the one name `selectors.file_name` gives them."""

from django.http import FileResponse

from kesu.core.http import file_download
from kesu.eightd.export.selectors import CONTENT_TYPES, NotReady, file_name
from kesu.eightd.models import Export, ExportStatus


def export_download(export: Export) -> FileResponse:
    """NotReady while the file is being made or if making it failed; 404 if storage lost it."""
    if export.status != ExportStatus.DONE or not export.file:
        raise NotReady()
    return file_download(
        export.file, file_name(export), content_type=CONTENT_TYPES[export.format]
    )
