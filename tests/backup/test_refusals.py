"""What restore refuses: replacing a working instance without --force, and what is not a backup."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kesu.complaints.models import Complaint
from kesu.ops.backup import FORMAT, MANIFEST

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_restore_refuses_an_instance_with_complaints_without_force(archive, make_complaint):
    make_complaint()
    call_command("backup", output=archive)
    make_complaint()
    with pytest.raises(CommandError, match="complaints, users.*--force"):
        call_command("restore", archive)
    assert Complaint.objects.count() == 2
    call_command("restore", archive, force=True)
    assert Complaint.objects.count() == 1


def test_restore_refuses_an_instance_with_stored_files(settings, archive):
    call_command("backup", output=archive)
    (settings.MEDIA_ROOT / "attachments").mkdir(parents=True)
    (settings.MEDIA_ROOT / "attachments" / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="stored files"):
        call_command("restore", archive)


def tar_with(path, members: dict[str, bytes]):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "members",
    [
        {"kesu-backup/other.txt": b"hello"},
        {MANIFEST: b"not json"},
        {MANIFEST: json.dumps({"format": "something-else", "version": 1}).encode()},
        {MANIFEST: json.dumps({"format": FORMAT, "version": 1}).encode()},
    ],
    ids=["no manifest", "garbled manifest", "another format", "manifest without contents"],
)
def test_restore_refuses_an_archive_that_is_not_a_kesu_backup(tmp_path, members):
    bogus = tar_with(tmp_path / "bogus.tar.gz", members)
    with pytest.raises(CommandError, match="not a Kesu backup"):
        call_command("restore", bogus)


def test_restore_refuses_a_file_that_is_no_archive(tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("客诉")
    with pytest.raises(CommandError, match="not a Kesu backup"):
        call_command("restore", bogus)


def test_restore_says_when_there_is_no_such_file(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", tmp_path / "missing.tar.gz")


def test_restore_refuses_an_unknown_format_version(tmp_path):
    future = tar_with(
        tmp_path / "future.tar.gz",
        {MANIFEST: json.dumps({"format": FORMAT, "version": 99}).encode()},
    )
    with pytest.raises(CommandError, match="format version 99"):
        call_command("restore", future)


def test_restore_refuses_a_backup_of_a_newer_kesu(tmp_path, archive):
    call_command("backup", output=archive)
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    manifest = json.loads(members[MANIFEST])
    manifest["migrations"].append(["complaints", "9999_from_the_future"])
    members[MANIFEST] = json.dumps(manifest).encode()
    newer = tar_with(tmp_path / "newer.tar.gz", members)
    with pytest.raises(CommandError, match="newer Kesu.*complaints.9999_from_the_future"):
        call_command("restore", newer)


def test_restore_warns_when_the_environment_sets_another_key(
    settings, archive, key_file, monkeypatch, capsys
):
    call_command("backup", output=archive)
    monkeypatch.setenv("SECRET_KEY", "a key set for this server")
    call_command("restore", archive)
    err = capsys.readouterr().err
    assert "SECRET_KEY is set in the environment and differs" in err
    assert str(key_file) in err
    assert key_file.read_text() == settings.SECRET_KEY


def test_restore_refuses_while_a_worker_is_alive(archive, make_complaint):
    from kesu.core import health

    make_complaint()
    call_command("backup", output=archive)
    health.beat(health.worker_name("default"))
    with pytest.raises(CommandError, match=r"Kesu is running: a worker \(.+ pid \d+\)"):
        call_command("restore", archive, force=True)
    assert Complaint.objects.count() == 1
    # A worker that stops says so, and the restore goes ahead at once.
    health.forget(health.worker_name("default"))
    call_command("restore", archive, force=True)
