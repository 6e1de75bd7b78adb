"""Names and Role Provisioning against the suite's platform: a course's roster, read
page by page over HTTP with a signed client assertion, becomes the class's."""

# ruff: noqa: F401, F811 - the `app` and `platform` fixtures come from tests.lti_helpers

from __future__ import annotations

from sqlmodel import select

from learner.core.db import utc_now
from learner.models import AgeBand, Group, LtiContext, LtiIdentity, Membership, Role, User
from tests.helpers import count_rows, snapshot
from tests.lti_helpers import app, launch, platform
from tests.lti_platform import INSTRUCTOR, LEARNER, NRPS_SCOPE


def member(sub: str, role: str, *, status: str = "Active", name: str | None = None) -> dict:
    return {"user_id": sub, "roles": [role], "status": status, **({"name": name} if name else {})}


def sync(app):
    return app.test_cli_runner().invoke(args=["lti", "sync-rosters"])


def current_members(db, group_id: int) -> dict[str, Role]:
    rows = db.exec(
        select(LtiIdentity.sub, Membership.role)
        .join(Membership, Membership.user_id == LtiIdentity.user_id)
        .where(Membership.group_id == group_id, Membership.removed_at.is_(None))
    ).all()
    return dict(rows)


def test_syncing_a_course_roster_adds_and_removes_its_people(app, db, platform):
    launch(app.test_client(), platform, "t-1", [INSTRUCTOR], name="Ms Rivera")
    launch(app.test_client(), platform, "s-leaving", [LEARNER])
    context = db.exec(select(LtiContext)).one()
    assert context.memberships_url == platform.url + "/memberships/course-1"
    platform.members["course-1"] = [
        member("t-1", INSTRUCTOR),
        member("s-new", LEARNER, name="Sam Kim"),
        member("s-leaving", LEARNER, status="Inactive"),
        member("s-other", "Learner", name="Ana Patel"),  # NRPS may use the short names
        member("t-2", "Instructor"),
    ]
    result = sync(app)
    assert result.exit_code == 0, result.output
    assert "Digital Citizenship, period 2: 3 joined, 1 removed, 1 unchanged, 0 refused" in (
        result.output
    )
    assert "1 classes synced; 0 not reached." in result.output
    assert any(NRPS_SCOPE in request["scope"] for request in platform.token_requests)
    db.rollback()
    assert current_members(db, context.group_id) == {
        "t-1": Role.SUPERVISOR,
        "t-2": Role.SUPERVISOR,
        "s-new": Role.LEARNER,
        "s-other": Role.LEARNER,
    }
    sam = db.exec(select(User).join(LtiIdentity).where(LtiIdentity.sub == "s-new")).one()
    assert sam.display_name == "Sam Kim" and sam.email is None
    # The same roster again changes no one; the synced student's launch is the same person.
    before = snapshot(db)
    again = sync(app)
    assert "0 joined, 0 removed, 5 unchanged, 0 refused" in again.output
    launch(app.test_client(), platform, "s-new", [LEARNER])
    db.rollback()
    after = snapshot(db)
    assert after["membership"] == before["membership"]
    assert after["user_account"] == before["user_account"]


def test_a_platform_that_is_down_leaves_the_class_as_it_was(app, db, platform):
    launch(app.test_client(), platform, "t-1", [INSTRUCTOR])
    platform.members["course-1"] = [member("s-new", LEARNER)]
    platform.down = True
    db.rollback()
    before = count_rows(db, Membership), count_rows(db, User)
    result = sync(app)
    assert "not synced" in result.output
    assert "0 classes synced; 1 not reached." in result.output
    db.rollback()
    assert (count_rows(db, Membership), count_rows(db, User)) == before
    assert db.exec(select(LtiContext.roster_synced_at)).one() is None
    platform.down = False
    assert "1 joined" in sync(app).output


def test_a_synced_student_under_13_joins_only_a_class_with_consent(app, db, platform):
    launch(app.test_client(), platform, "t-1", [INSTRUCTOR])
    launch(app.test_client(), platform, "t-2", [INSTRUCTOR], context_id="course-2")
    db.rollback()
    first, second = db.exec(select(LtiContext).order_by(LtiContext.id)).all()
    young_class = db.get(Group, second.group_id)
    young_class.under13_consent_at = utc_now()
    db.add(young_class)
    db.commit()
    platform.members["course-2"] = [member("s-kid", LEARNER)]
    first_sync = sync(app)
    assert "2 classes synced; 0 not reached." in first_sync.output, first_sync.output
    db.rollback()
    kid = db.exec(select(User).join(LtiIdentity).where(LtiIdentity.sub == "s-kid")).one()
    assert kid.age_band is AgeBand.UNDER_13  # made in the class with consent
    assert "s-kid" in current_members(db, second.group_id)
    # The same child on the roster of a course whose class has no consent: not joined.
    platform.members["course-1"] = [member("s-kid", LEARNER)]
    result = sync(app)
    assert "0 joined, 0 removed, 0 unchanged, 1 refused" in result.output
    db.rollback()
    assert "s-kid" not in current_members(db, first.group_id)
