"""Outgoing e-mail: through SMTP when it is configured, otherwise written to the log."""

from __future__ import annotations

import logging
import re
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from learner.models import Group, User

log = logging.getLogger(__name__)


SECRET_LINK = re.compile(r"(/invite/)[A-Za-z0-9_-]+")


def redacted(text: str) -> str:
    """Text for a log line: single-use links lose their token (a log is no place for one)."""
    return SECRET_LINK.sub(r"\1[token hidden]", text)


def can_send() -> bool:
    """Whether e-mail really leaves this site (an SMTP server is configured)."""
    return bool(current_app.config.get("SMTP_HOST"))


def send(*, to: str, subject: str, body: str) -> bool:
    """Send one plain-text message, or log it when no SMTP server is configured; True
    only when it was handed to the SMTP server, so pages say "sent" only then."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    # One line: a name with a line break in it must not add a header (or fail the send).
    message["Subject"] = " ".join(subject.split())
    message.set_content(body)
    if not config.get("SMTP_HOST"):
        log.info("E-mail (SMTP not configured) to %s: %s\n%s", to, subject, redacted(body))
        return False
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT", 587)), timeout=10) as smtp:
        if str(config.get("SMTP_STARTTLS", "1")) == "1":
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD", ""))
        smtp.send_message(message)
    return True


def send_invite(
    *, to: str, group: Group, inviter: User, link: str, locale: str | None = None
) -> bool:
    """E-mail an invite link in the invitee's language (`locale`, else the page's); True
    when it was really sent."""
    with force_locale(locale or str(get_locale() or "en")):
        subject = _(
            "%(name)s invited you to %(group)s", name=inviter.display_name, group=group.name
        )
        body = _(
            "%(name)s invited you to join %(group)s on Driver's Ed for Social Media.\n\n"
            "Open this link to accept (it works once and expires in 7 days):\n%(link)s\n",
            name=inviter.display_name,
            group=group.name,
            link=link,
        )
    return send(to=to, subject=subject, body=body)


def deliver_invite(
    *, to: str, group: Group, inviter: User, link: str, locale: str | None = None
) -> bool | None:
    """Send an invite and say how it went: True sent, False failed (the SMTP server refused
    or could not be reached), None not tried because no SMTP server is configured."""
    if not can_send():
        send_invite(to=to, group=group, inviter=inviter, link=link, locale=locale)
        return None
    try:
        return send_invite(to=to, group=group, inviter=inviter, link=link, locale=locale)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("Invite e-mail failed: %s", type(error).__name__)
        return False
