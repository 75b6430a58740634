"""`flask consult create-organiser`."""

from __future__ import annotations

import re

from consult.auth import services
from consult.extensions import db
from consult.timeutil import now_utc
from tests.auth.helpers import PASSWORD

COMMAND = ["consult", "create-organiser"]


def test_generated_password_is_printed_and_works(runner):
    result = runner.invoke(args=[*COMMAND, "New@Example.org", "--generate-password"])
    assert result.exit_code == 0, result.output
    assert "Created organiser new@example.org" in result.output
    password = re.search(r"Password: (\S+)", result.output).group(1)
    db.session.remove()
    user = services.authenticate("new@example.org", password, now=now_utc())
    assert user is not None and user.role == "organiser"


def test_prompted_password_creates_an_admin(runner):
    result = runner.invoke(
        args=[*COMMAND, "boss@example.org", "--admin", "--name", "Boss"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    db.session.remove()
    user = services.authenticate("boss@example.org", PASSWORD, now=now_utc())
    assert user.role == "admin" and user.name == "Boss"


def test_weak_password_is_refused_with_a_clear_message(runner):
    result = runner.invoke(
        args=[*COMMAND, "weak@example.org"], input="password123\npassword123\n"
    )
    assert result.exit_code != 0
    assert "common password" in result.output
    db.session.remove()
    assert services.find_user_by_email("weak@example.org") is None


def test_short_password_is_refused(runner):
    result = runner.invoke(args=[*COMMAND, "short@example.org"], input="abc\nabc\n")
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output


def test_bad_email_and_duplicate_are_refused(runner, organiser):
    bad = runner.invoke(args=[*COMMAND, "not-an-address", "--generate-password"])
    assert bad.exit_code != 0
    assert "valid email address" in bad.output

    duplicate = runner.invoke(
        args=[*COMMAND, "ORGANISER@example.org", "--generate-password"]
    )
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
