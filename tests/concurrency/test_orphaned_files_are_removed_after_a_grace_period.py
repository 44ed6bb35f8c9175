"""A stored file whose transaction rolled back is removed by the cleaner, but only after the
grace period (a file stored for a transaction still in flight is never taken away); a file an
attachment refers to is never removed."""

import hashlib
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string

from kesu.complaints import services
from kesu.complaints.models import Attachment
from kesu.complaints.uploads import clean_orphans, stored_name

PDF = b"%PDF-1.4\n" + b"1" * 1024
NAME = stored_name(hashlib.sha256(PDF).hexdigest())


def pdf():
    return SimpleUploadedFile("检验报告.pdf", PDF, content_type="application/pdf")


class Lost(Exception):
    pass


@pytest.fixture
def failing_attach(monkeypatch):
    """The rows are written, then the transaction fails (the connection drops, say)."""
    attach = services._attach

    def failing(*args, **kwargs):
        attach(*args, **kwargs)
        raise Lost

    monkeypatch.setattr(services, "_attach", failing)


def rolled_back_upload(complaint, actor):
    with pytest.raises(Lost):
        services.complaint_attach(actor=actor, complaint=complaint, upload=pdf())
    assert not Attachment.objects.exists()


def test_a_rolled_back_upload_is_removed_after_the_grace_period_not_before(
    make_complaint, cs_agent, failing_attach
):
    rolled_back_upload(make_complaint(), cs_agent)
    assert default_storage.exists(NAME)

    assert clean_orphans(now=timezone.now() + timedelta(minutes=30)) == []
    assert default_storage.exists(NAME)

    assert clean_orphans(now=timezone.now() + timedelta(hours=2)) == [NAME]
    assert not default_storage.exists(NAME)


def test_a_referenced_file_is_never_removed(make_complaint, cs_agent):
    attachment = services.complaint_attach(
        actor=cs_agent, complaint=make_complaint(), upload=pdf()
    )
    assert clean_orphans(now=timezone.now() + timedelta(days=3650)) == []
    assert default_storage.exists(attachment.file.name)


def test_an_old_orphan_stored_again_is_young_again(make_complaint, cs_agent, failing_attach):
    """The same content uploaded again refers to the old orphan: it must not be cleaned away
    from under the transaction that is about to refer to it."""
    complaint = make_complaint()
    rolled_back_upload(complaint, cs_agent)
    two_hours_ago = (timezone.now() - timedelta(hours=2)).timestamp()
    os.utime(default_storage.path(NAME), (two_hours_ago, two_hours_ago))
    rolled_back_upload(complaint, cs_agent)  # stored again; say its transaction is in flight
    assert clean_orphans(now=timezone.now()) == []
    assert default_storage.exists(NAME)


def test_the_command_and_the_hourly_task_keep_a_young_orphan(
    make_complaint, cs_agent, failing_attach
):
    rolled_back_upload(make_complaint(), cs_agent)
    call_command("clean_uploads")
    assert "kesu.complaints.tasks.clean_orphan_uploads" in settings.KESU_EVERY_HOUR
    for path in settings.KESU_EVERY_HOUR:
        import_string(path).call()
    assert default_storage.exists(NAME)  # younger than an hour
