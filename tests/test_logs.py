"""Nothing personal in logs: the suite-wide check works, and what the app logs is clean."""

from __future__ import annotations

import logging

from learner.core import mail
from tests.conftest import LOG_LINES, personal_data_in_logs
from tests.factories import PASSWORD, make_family
from tests.helpers import login, post


def test_the_suite_collects_the_apps_log_lines():
    logging.getLogger("learner.core.mail").info("a line from the app")
    assert LOG_LINES[-1].endswith("a line from the app None")


def test_the_check_finds_passwords_and_tokens():
    assert personal_data_in_logs([f"login failed for x with {PASSWORD}"])
    assert personal_data_in_logs(["link http://h/invite/abcdefghijklmnopqrstuvwxyz012345"])
    assert personal_data_in_logs(["all fine"]) == []


def test_an_invite_e_mail_is_logged_without_its_token(client, db):
    family = make_family(db)
    login(client, family.parent)
    before = len(LOG_LINES)
    response = post(
        client,
        f"/groups/{family.group.id}/invites/new",
        {"role": "supervisor", "email": "second.parent@example.com"},
    )
    assert response.status_code == 200 and "/invite/" in response.get_data(as_text=True)
    logged = "\n".join(LOG_LINES[before:])
    assert "second.parent@example.com" in logged and "/invite/[token hidden]" in logged
    assert personal_data_in_logs(LOG_LINES[before:]) == []


def test_redacted_hides_single_use_links():
    assert (
        mail.redacted("open http://x/invite/Abc_12-3 now")
        == "open http://x/invite/[token hidden] now"
    )
