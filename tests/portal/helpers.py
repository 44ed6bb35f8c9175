"""Files and exports on a complaint, as the portal tests need them."""

from kesu.complaints import services

PDF = b"%PDF-1.4 portal test"


def share_file(complaint, actor, name="检验报告.pdf", visibility="customer"):
    """A file on the complaint's thread, on the customer's side unless told otherwise."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.complaint_comment(
        actor=actor,
        complaint=complaint,
        text="",
        visibility=visibility,
        files=[SimpleUploadedFile(name, PDF, content_type="application/pdf")],
    )
    return complaint.attachments.order_by("-pk").first()


def sent_export(complaint, actor, *, send=True, status="done", version=None):
    """An 8D export as the worker leaves it (the worker itself is another engineer's)."""
    from django.core.files.base import ContentFile

    from kesu.core import clock
    from kesu.eightd.models import Export
    from kesu.eightd.selectors import latest_version

    export = Export(
        report=complaint.eightd,
        version=version or latest_version(complaint),
        format="pdf",
        language="zh-hans",
        status=status,
        requested_by=actor,
        requested_at=clock.now(),
        finished_at=clock.now(),
        send=send,
    )
    export.file.save("8d.pdf", ContentFile(PDF), save=False)
    export.save()
    return export
