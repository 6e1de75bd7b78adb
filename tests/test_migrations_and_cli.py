"""The migrations build exactly the models' schema; the CLI commands work."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from learner import cli
from learner.core.db import make_engine
from learner.models import (
    Group,
    GroupKind,
    Level,
    LicenseCertificate,
    Membership,
    PracticePost,
    Role,
    SupervisionEvent,
    User,
)


def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_migrations_go_down_and_up_again(database_url):
    config = cli.alembic_config(database_url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None
    engine.dispose()


def test_demo_command_loads_three_settings_once(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    for login in (
        "parent@example.com",
        "leo",
        "mia",
        "teacher@example.com",
        "ava.k",
        "ben.t",
        "chloe.m",
        "hr@example.com",
        "manager@example.com",
        "jordan.staff",
        "kim.staff",
        "admin@example.com",
    ):
        assert login in result.output
    kinds = sorted(g.kind.value for g in db.exec(select(Group)).all())
    assert kinds == ["classroom", "family", "workplace"]
    learners = db.exec(select(Membership).where(Membership.role == Role.LEARNER)).all()
    supervisors = db.exec(select(Membership).where(Membership.role == Role.SUPERVISOR)).all()
    assert (len(learners), len(supervisors)) == (7, 4)
    # The class has something to look at: one post waiting for review, one published.
    classroom = db.exec(select(Group).where(Group.kind == GroupKind.CLASSROOM)).one()
    statuses = sorted(
        p.status.value
        for p in db.exec(select(PracticePost).where(PracticePost.group_id == classroom.id)).all()
    )
    assert statuses == ["pending", "published"]
    # The workplace has its starter policy in force, acknowledged by one of two staff.
    from learner.models import PolicyAcknowledgement, PolicyVersion

    assert [v.version for v in db.exec(select(PolicyVersion)).all()] == [1]
    assert len(db.exec(select(PolicyAcknowledgement)).all()) == 1
    again = runner.invoke(args=["demo"])
    assert "already has accounts" in again.output
    assert len(db.exec(select(User)).all()) == 12


def _demo_password(output: str, login: str) -> str:
    return next(line for line in output.splitlines() if f" {login} " in line).split()[-1]


def test_the_demo_family_has_a_licensed_teen_whose_certificate_verifies(app, client, db):
    output = app.test_cli_runner().invoke(args=["demo"]).output
    mia = db.exec(select(User).where(User.username == "mia")).one()
    membership = db.exec(select(Membership).where(Membership.user_id == mia.id)).one()
    assert membership.level is Level.LICENSED
    # She got there through three sign-offs by her mother, the last one issuing the certificate.
    events = db.exec(
        select(SupervisionEvent)
        .where(
            SupervisionEvent.membership_id == membership.id, SupervisionEvent.level_to.is_not(None)
        )
        .order_by(SupervisionEvent.created_at)
    ).all()
    assert [e.level_to for e in events] == [Level.PERMIT, Level.PROVISIONAL, Level.LICENSED]
    certificate = db.exec(
        select(LicenseCertificate).where(LicenseCertificate.membership_id == membership.id)
    ).one()
    assert certificate.revoked_at is None and certificate.issued_at == events[-1].created_at
    page = client.get(f"/verify?code={certificate.code.lower().replace('-', '')}")
    assert page.status_code == 200
    assert "Valid." in page.get_data(as_text=True) and "Mia" in page.get_data(as_text=True)
    # Mia logs in with the printed password and sees her certificate and her readable data.
    from tests.helpers import post

    response = post(client, "/login", {"login": "mia", "password": _demo_password(output, "mia")})
    assert response.status_code == 302
    member = f"/groups/{membership.group_id}/members/{membership.id}"
    assert certificate.code in client.get(member + "/certificate").get_data(as_text=True)
    data = client.get("/account/data/readable").get_data(as_text=True)
    assert "<strong>Maria Rivera</strong> approved a post" in data and certificate.code in data


def test_demo_logins_really_log_in(app, client, db):
    output = app.test_cli_runner().invoke(args=["demo"]).output
    password = _demo_password(output, "leo")
    from tests.helpers import post

    response = post(client, "/login", {"login": "leo", "password": password})
    assert response.status_code == 302


def test_db_upgrade_command_is_idempotent(app):
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "head" in result.output


def test_create_admin_command(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "ops@example.com",
            "--name",
            "Ops",
            "--password",
            "orbit lantern quiet",
        ]
    )
    assert result.exit_code == 0, result.output
    with Session(app.extensions["engine"]) as session:
        admin = session.exec(select(User).where(User.email == "ops@example.com")).one()
    assert admin.is_site_admin


def test_the_demo_parent_opens_on_what_waits_for_her(app, client, db):
    from tests.helpers import post

    output = app.test_cli_runner().invoke(args=["demo"]).output
    password = _demo_password(output, "parent@example.com")
    assert (
        post(client, "/login", {"login": "parent@example.com", "password": password}).status_code
        == 302
    )
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Leo saved their privacy setup" in page
    assert "Leo proposed a family agreement" in page
