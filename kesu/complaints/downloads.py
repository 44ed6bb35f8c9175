"""A complaint's files leave only through here, for the staff pages, the portal and the API
alike: the complaint's access check (the caller's getter) and the timeline's visibility rule
decide, never a public /media/ URL."""

from django.http import FileResponse, Http404

from kesu.complaints.events import ATTACHMENT
from kesu.complaints.selectors import complaint_timeline
from kesu.complaints.uploads import served_type
from kesu.core.http import file_download


def attachment_download(user, complaint, attachment_id) -> FileResponse:
    """404 for a file the user may not see on the timeline, and for one storage has lost."""
    event = (
        complaint_timeline(user, complaint)
        .filter(type=ATTACHMENT, attachment__pk=attachment_id)
        .select_related("attachment")
        .first()
    )
    if event is None:
        raise Http404
    attachment = event.attachment
    # The type of the checked extension: rows recorded before carry the uploader's claim.
    return file_download(
        attachment.file, attachment.original_name,
        content_type=served_type(attachment.original_name),
    )
