"""Commands that would delete audit records are refused (SPEC §13: append-only)."""

import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.utils import translation

from kesu.masterdata.models import Customer


@pytest.mark.parametrize("command", ["auditlogflush", "axes_reset_logs", "axes_reset_failure_logs"])
def test_deleting_audit_records_is_refused(db, command):
    Customer.objects.create(code="ACME", name="Acme")
    entries = LogEntry.objects.count()
    assert entries >= 1
    with translation.override("en"), pytest.raises(CommandError, match="append-only"):
        call_command(command)
    assert LogEntry.objects.count() == entries


def test_the_kesu_command_line_refuses_with_a_message_and_a_failure_code(tmp_path):
    kesu = Path(sys.executable).parent / "kesu"
    result = subprocess.run(
        [str(kesu), "auditlogflush", "-y"],
        capture_output=True,
        text=True,
        env={"KESU_VAR_DIR": str(tmp_path), "LANGUAGE_CODE": "en", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 1
    assert "append-only" in result.stderr
