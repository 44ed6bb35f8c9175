"""A backup restores completely (SPEC §13): every row, every stored file, and the secret key,
so that links mailed before the backup still open."""

import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from kesu.complaints import services
from kesu.complaints.choices import Visibility
from kesu.eightd.export.services import export_request
from kesu.eightd.models import Export, ExportStatus
from kesu.org.models import User
from kesu.portal.links import signed_url
from tests.backup.conftest import row_counts

pytestmark = pytest.mark.django_db(transaction=True)

PDF = "%PDF-1.4 检验报告".encode()
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def test_restore_brings_back_rows_files_and_signed_links(
    settings, client, archive, key_file, make_complaint, cs_agent, customer_contact, capsys
):
    complaint = make_complaint(contact_email=customer_contact.email)
    services.complaint_attach(
        actor=cs_agent, complaint=complaint,
        upload=SimpleUploadedFile("检验报告.pdf", PDF, content_type="application/pdf"),
    )
    services.complaint_attach(
        actor=customer_contact, complaint=complaint, visibility=Visibility.CUSTOMER,
        upload=SimpleUploadedFile("划伤.jpg", JPEG, content_type="image/jpeg"),
    )
    # Tasks run inline: the workbook is made when the request commits.
    export = export_request(actor=cs_agent, complaint=complaint, format="xlsx", language="en")
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    files = {
        f"/complaints/{complaint.number}/attachments/{a.pk}/": a.file.read()
        for a in complaint.attachments.all()
    }
    files[f"/complaints/{complaint.number}/8d/exports/{export.pk}/file/"] = export.file.read()
    link = signed_url(user=customer_contact, complaint=complaint)
    key = settings.SECRET_KEY
    before = row_counts()

    call_command("backup", output=archive)
    call_command("flush", interactive=False)
    shutil.rmtree(settings.MEDIA_ROOT)
    # A new installation has a key of its own until the restore writes the archived one.
    settings.SECRET_KEY = "the key of the installation restored into"
    with translation.override("en"):
        call_command("restore", archive)

    assert "do not hold the rows" not in capsys.readouterr().err
    assert row_counts() == before
    assert key_file.read_text() == key
    settings.SECRET_KEY = key_file.read_text()  # as the restarted server reads it
    client.force_login(cs_agent)
    for url, content in files.items():
        assert download(client, url) == content
    client.logout()
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/{complaint.number}/"
    assert Export.objects.get().file.name == export.file.name


def test_the_summary_gives_the_archive_and_its_counts(archive, make_complaint, capsys):
    make_complaint()
    with translation.override("en"):
        call_command("backup", output=archive)
    out = capsys.readouterr().out
    assert f"Backup written: {archive}" in out
    assert f"complaints: 1, users: {User.objects.count()}." in out
    assert "Stored files: 0" in out
    assert archive.stat().st_mode & 0o077 == 0  # it holds the secret key


def test_the_default_archive_is_timestamped_under_the_backup_folder(settings, tmp_path, db):
    settings.KESU_BACKUP_DIR = tmp_path / "backups"
    call_command("backup")
    [made] = Path(settings.KESU_BACKUP_DIR).glob("kesu-backup-*.tar.gz")
    assert made.stat().st_size > 0


def test_restore_leaves_no_table_the_backup_does_not_have(archive, make_complaint):
    """A newer schema (an upgraded install) is replaced by the archive's whole, even where its
    tables refer to the archive's, so that migrate can then build the newer one again."""
    make_complaint()
    call_command("backup", output=archive)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE kesu_newer (id integer PRIMARY KEY,"
            " complaint_id bigint REFERENCES complaints_complaint (id))"
        )
    call_command("restore", archive, force=True)
    assert "kesu_newer" not in connection.introspection.table_names()
