"""`kesu create-user`: accounts for installers and scripts, without prompts."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kesu.org.models import Role, User

PASSWORD = "Ample-Pass-2026"


@pytest.fixture(autouse=True)
def _english():
    # The messages asserted below are the English originals.
    with translation.override("en"):
        yield


def create_user(*args):
    call_command("create_user", *args)


def test_creates_an_engineer_in_a_department(org_chart):
    create_user(
        "--username", "zhang", "--password", PASSWORD, "--role", Role.ENGINEER,
        "--department", "ENG", "--display-name", "张工", "--email", "zhang@example.com",
    )
    user = User.objects.get(username="zhang")
    assert user.role == Role.ENGINEER
    assert user.department == org_chart["eng"]
    assert user.display_name == "张工"
    assert user.email == "zhang@example.com"
    assert user.check_password(PASSWORD)


def test_password_may_come_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("KESU_NEW_USER_PASSWORD", PASSWORD)
    create_user("--username", "li", "--role", Role.QE)
    assert User.objects.get(username="li").check_password(PASSWORD)


def test_customer_contact_belongs_to_a_customer(customer):
    create_user(
        "--username", "acme2", "--password", PASSWORD, "--role", Role.CUSTOMER,
        "--customer", "ACME",
    )
    assert User.objects.get(username="acme2").customer == customer


def test_missing_password_is_refused(db, monkeypatch):
    monkeypatch.delenv("KESU_NEW_USER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="KESU_NEW_USER_PASSWORD"):
        create_user("--username", "li", "--role", Role.QE)


def test_unknown_role_is_refused(db):
    with pytest.raises(CommandError, match="Unknown role boss"):
        create_user("--username", "li", "--password", PASSWORD, "--role", "boss")


def test_unknown_department_is_refused(db):
    with pytest.raises(CommandError, match="Unknown department code NOPE"):
        create_user(
            "--username", "li", "--password", PASSWORD, "--role", Role.ENGINEER,
            "--department", "NOPE",
        )


def test_unknown_customer_is_refused(db):
    with pytest.raises(CommandError, match="Unknown customer code NOPE"):
        create_user(
            "--username", "li", "--password", PASSWORD, "--role", Role.CUSTOMER,
            "--customer", "NOPE",
        )


def test_customer_contact_needs_a_customer(db):
    with pytest.raises(CommandError, match="--customer"):
        create_user("--username", "li", "--password", PASSWORD, "--role", Role.CUSTOMER)


def test_staff_cannot_belong_to_a_customer(customer):
    with pytest.raises(CommandError, match="Only customer contacts"):
        create_user(
            "--username", "li", "--password", PASSWORD, "--role", Role.QE, "--customer", "ACME",
        )


def test_existing_username_is_refused(cs_agent):
    with pytest.raises(CommandError, match="already exists"):
        create_user("--username", cs_agent.username, "--password", PASSWORD, "--role", Role.QE)
    assert User.objects.filter(username=cs_agent.username).count() == 1


def test_weak_password_is_refused(db):
    with pytest.raises(CommandError, match="too common"):
        create_user("--username", "li", "--password", "password", "--role", Role.QE)
    assert not User.objects.filter(username="li").exists()


@pytest.mark.parametrize(
    "password, complaint",
    [
        ("zhang-wei-2026", "too similar"),  # the user name
        ("zhangsan@example.com", "too similar"),  # the e-mail address
        ("Short-1", "too short"),
        ("1234567890123", "entirely numeric"),
        ("password123", "too common"),
    ],
)
def test_weak_passwords_are_refused(org_chart, password, complaint):
    with pytest.raises(CommandError, match=complaint):
        create_user(
            "--username", "zhang-wei-2026", "--password", password, "--role", Role.ENGINEER,
            "--department", "ENG", "--email", "zhangsan@example.com",
        )
    assert not User.objects.filter(username="zhang-wei-2026").exists()


def test_a_password_like_the_display_name_is_refused(org_chart):
    with pytest.raises(CommandError, match="too similar"):
        create_user(
            "--username", "li", "--password", "Li-Xiaolong-88", "--role", Role.ENGINEER,
            "--department", "ENG", "--display-name", "Li Xiaolong 88",
        )
