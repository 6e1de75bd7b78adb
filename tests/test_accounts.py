"""Account rules without HTTP: passwords, login, throttling, sessions and deactivation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from learner import accounts
from learner.core import passwords, throttle
from learner.core.db import utc_now
from learner.errors import AccountError, LoginFailed, LoginThrottled
from learner.models import AccountKind, AgeBand, AuthFailure
from tests.factories import PASSWORD, make_family, make_supervisor
from tests.helpers import count_rows


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least 10"),
        ("x" * 129, "at most 128"),
        ("password123", "too common"),
        ("Qwertyuiop", "too common"),
        ("aaaaaaaaaaaa", "too common"),
    ],
)
def test_password_rules_refuse_weak_passwords(password, reason):
    with pytest.raises(passwords.PasswordError, match=reason):
        passwords.check_password_rules(password)


def test_password_rules_refuse_the_persons_own_name():
    with pytest.raises(passwords.PasswordError, match="name"):
        passwords.check_password_rules("mariarivera2026!", personal=("mariarivera",))


def test_password_rules_accept_a_passphrase_and_the_bounds():
    passwords.check_password_rules("orbit lantern quiet")
    passwords.check_password_rules("k7#Vq!2zRm")  # exactly 10
    passwords.check_password_rules("word " * 25 + "end")  # 128


def test_shipped_common_password_list_is_loaded():
    common = passwords.common_passwords()
    assert len(common) > 1000 and "1234567890" in common and "iloveyou12" in common


def test_generated_passwords_pass_the_rules_and_differ():
    made = {passwords.generate_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        passwords.check_password_rules(password)


def test_default_hasher_is_argon2id_with_owasp_parameters(app):
    app.config.pop("PASSWORD_HASHER")
    with app.app_context():
        hashed = passwords.hash_password("orbit lantern quiet")
        assert hashed.startswith("$argon2id$") and "m=19456,t=2,p=1" in hashed
        assert passwords.verify_password(hashed, "orbit lantern quiet")
        assert not passwords.verify_password(hashed, "orbit lantern quieT")
        assert PasswordHasher().check_needs_rehash(hashed) is not None


def test_signup_stores_lowercase_email_and_never_the_password(app, db):
    with app.app_context():
        user = accounts.create_supervisor_account(
            session=db,
            email="Maria@Example.COM",
            display_name="Maria",
            password=PASSWORD,
            kind=AccountKind.PARENT,
        )
    assert user.email == "maria@example.com"
    assert PASSWORD not in user.password_hash and user.age_band is AgeBand.ADULT


def test_duplicate_email_is_refused_with_the_field_named(app, db):
    existing = make_supervisor(db)
    with app.app_context(), pytest.raises(AccountError) as error:
        accounts.create_supervisor_account(
            session=db,
            email=existing.email.upper(),
            display_name="X",
            password=PASSWORD,
            kind=AccountKind.PARENT,
        )
    assert error.value.field == "email"


def test_learners_cannot_sign_up_as_supervisors(app, db):
    with app.app_context(), pytest.raises(AccountError):
        accounts.create_supervisor_account(
            session=db,
            email="kid@example.com",
            display_name="Kid",
            password=PASSWORD,
            kind=AccountKind.LEARNER,
        )


def test_authenticate_by_email_or_username(app, db):
    family = make_family(db)
    with app.app_context():
        for login in (family.parent.email.upper(), family.teen.username):
            user = accounts.authenticate(
                session=db, login=login, password=PASSWORD, address="10.0.0.1", now=utc_now()
            )
            assert user.id in (family.parent.id, family.teen.id)


def test_wrong_password_and_unknown_login_fail_alike(app, db):
    family = make_family(db)
    with app.app_context():
        for login in (family.parent.email, "nobody@example.com"):
            with pytest.raises(LoginFailed, match="do not match"):
                accounts.authenticate(
                    session=db,
                    login=login,
                    password="wrong password!",
                    address="10.0.0.1",
                    now=utc_now(),
                )


def test_five_failures_throttle_the_account_for_a_while_only(app, db):
    family = make_family(db)
    now = utc_now()
    with app.app_context():
        for _ in range(throttle.ACCOUNT_LIMIT):
            with pytest.raises(LoginFailed):
                accounts.authenticate(
                    session=db,
                    login=family.teen.username,
                    password="nope!",
                    address="10.0.0.1",
                    now=now,
                )
        # Even the right password must wait now, from any address...
        with pytest.raises(LoginThrottled) as error:
            accounts.authenticate(
                session=db,
                login=family.teen.username,
                password=PASSWORD,
                address="10.9.9.9",
                now=now + timedelta(seconds=30),
            )
        assert 0 < error.value.retry_after <= throttle.WINDOW.total_seconds()
        # ...but the wait ends by itself: no permanent lockout.
        later = now + throttle.WINDOW + timedelta(seconds=1)
        user = accounts.authenticate(
            session=db, login=family.teen.username, password=PASSWORD, address="10.0.0.1", now=later
        )
    assert user.id == family.teen.id


def test_one_address_is_throttled_across_accounts(app, db):
    now = utc_now()
    with app.app_context():
        for n in range(throttle.ADDRESS_LIMIT):
            with pytest.raises(LoginFailed):
                accounts.authenticate(
                    session=db,
                    login=f"guess{n}@example.com",
                    password="nope!",
                    address="10.0.0.7",
                    now=now,
                )
        with pytest.raises(LoginThrottled):
            accounts.authenticate(
                session=db, login="fresh@example.com", password="nope!", address="10.0.0.7", now=now
            )


def test_successful_login_clears_the_accounts_failures(app, db):
    family = make_family(db)
    now = utc_now()
    with app.app_context():
        for _ in range(throttle.ACCOUNT_LIMIT - 1):
            with pytest.raises(LoginFailed):
                accounts.authenticate(
                    session=db,
                    login=family.parent.email,
                    password="nope!",
                    address="10.0.0.1",
                    now=now,
                )
        accounts.authenticate(
            session=db, login=family.parent.email, password=PASSWORD, address="10.0.0.1", now=now
        )
        db.commit()
        assert (
            throttle.check(session=db, login=family.parent.email, address="10.0.0.2", now=now)
            is None
        )
        later = now + throttle.LONGEST_WINDOW
        assert throttle.prune(session=db, now=later) == throttle.ACCOUNT_LIMIT - 1
        db.commit()
    assert count_rows(db, AuthFailure) == 0


def test_deactivated_account_cannot_log_in(app, db):
    family = make_family(db)
    with app.app_context():
        accounts.set_active(session=db, user=family.teen, active=False)
        db.commit()
        with pytest.raises(LoginFailed, match="deactivated"):
            accounts.authenticate(
                session=db,
                login=family.teen.username,
                password=PASSWORD,
                address="10.0.0.1",
                now=utc_now(),
            )
    assert family.teen.deactivated_at is not None and family.teen.session_version == 2


def test_change_password_checks_the_current_one_and_ends_sessions(app, db):
    family = make_family(db)
    with app.app_context():
        with pytest.raises(AccountError) as error:
            accounts.change_password(
                session=db, user=family.parent, current="wrong one!", new="orbit lantern quiet"
            )
        assert error.value.field == "current_password"
        accounts.change_password(
            session=db, user=family.parent, current=PASSWORD, new="orbit lantern quiet"
        )
        db.commit()
        assert passwords.verify_password(family.parent.password_hash, "orbit lantern quiet")
    assert family.parent.session_version == 2


def test_reset_learner_password_returns_a_working_new_one(app, db):
    family = make_family(db)
    with app.app_context():
        new = accounts.reset_learner_password(
            session=db,
            learner=family.teen,
            membership=family.teen_membership,
            supervisor=family.parent,
            now=utc_now(),
        )
        db.commit()
        assert passwords.verify_password(family.teen.password_hash, new)
        assert not passwords.verify_password(family.teen.password_hash, PASSWORD)
    assert family.teen.session_version == 2


def test_account_counts_by_kind(app, db):
    make_family(db)
    with app.app_context():
        counts = accounts.account_counts(db)
    assert counts["parent"] == 1 and counts["learner"] == 1 and counts["deactivated"] == 0
