"""Factories and client helpers shared by the tests."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass

from flask import g
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlmodel import Session, SQLModel
from werkzeug.datastructures import MultiDict

from learner import accounts, groups
from learner.core.db import utc_now
from learner.models import AccountKind, AgeBand, Group, GroupKind, Membership, Role, User

PASSWORD = "correct horse battery staple"


def at_school() -> dict:
    """Where and when a join with a code happens (services count wrong codes per address)."""
    return {"address": "192.0.2.10", "now": utc_now()}


_counter = itertools.count(1)


def make_supervisor(
    session: Session, *, kind: AccountKind = AccountKind.PARENT, name: str | None = None
) -> User:
    """A supervisor account (committed), with PASSWORD."""
    n = next(_counter)
    user = accounts.create_supervisor_account(
        session=session,
        email=f"supervisor{n}@example.com",
        display_name=name or f"Supervisor {n}",
        password=PASSWORD,
        kind=kind,
    )
    session.commit()
    return user


def make_group(session: Session, owner: User, *, kind: GroupKind = GroupKind.FAMILY) -> Group:
    """A group owned by `owner` (committed)."""
    group = groups.create_group(session=session, owner=owner, kind=kind, name=f"{kind} group")
    session.commit()
    return group


def make_learner(
    session: Session, group: Group, *, age_band: AgeBand = AgeBand.AGE_13_15
) -> tuple[User, Membership]:
    """A learner account made by the group's supervisors (committed), with PASSWORD."""
    n = next(_counter)
    user, membership = accounts.create_learner_account(
        session=session,
        group=group,
        username=f"learner{n}",
        display_name=f"Learner {n}",
        age_band=age_band,
        password=PASSWORD,
    )
    session.commit()
    return user, membership


def add_supervisor(session: Session, group: Group, user: User) -> Membership:
    """Make `user` a supervisor of `group` (committed)."""
    membership = Membership(group_id=group.id, user_id=user.id, role=Role.SUPERVISOR)
    session.add(membership)
    session.commit()
    return membership


def make_invite(session: Session, group: Group, by: User, *, role: Role = Role.LEARNER):
    """An open invite to `group` (committed); returns it with its token."""
    invite, token = groups.create_invite(
        session=session, group=group, role=role, created_by=by, email=None, now=utc_now()
    )
    session.commit()
    return invite, token


@dataclass
class Family:
    """A family group with a parent and a teen."""

    group: Group
    parent: User
    teen: User
    teen_membership: Membership


def make_family(session: Session) -> Family:
    """A family: parent (owner) and a teen whose account the parent made."""
    parent = make_supervisor(session)
    group = make_group(session, parent)
    teen, membership = make_learner(session, group)
    return Family(group=group, parent=parent, teen=teen, teen_membership=membership)


def arrange_family(database_url: str) -> Family:
    """A family with a teen, written straight to a database that a real server will use."""
    from app import create_app
    from tests.conftest import test_config

    app = create_app(test_config(database_url))
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as session:
        family = make_family(session)
    app.extensions["engine"].dispose()
    return family


def login(client: FlaskClient, user: User) -> None:
    """Log the client in as `user` directly, replacing whoever was logged in before."""
    now = int(time.time())
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["auth_at"] = now
        session["seen_at"] = now
    g.pop("_login_user", None)


def logout(client: FlaskClient) -> None:
    """Forget the client's session without telling the server (an anonymous visitor)."""
    with client.session_transaction() as session:
        session.clear()
    g.pop("_login_user", None)


def csrf_token(client: FlaskClient) -> str:
    """A valid CSRF token for the client's session (read off a real form)."""
    page = client.get("/join").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token on /join"
    return match.group(1)


def post(client: FlaskClient, url: str, data: dict | MultiDict | None = None, **kwargs):
    """POST a form with a valid CSRF token, like a browser would (repeated keys kept)."""
    # A plain dict's tuple values are files (stream, name), not repeated keys.
    form = data.copy() if isinstance(data, MultiDict) else MultiDict(list((data or {}).items()))
    form["csrf_token"] = csrf_token(client)
    return client.post(url, data=form, **kwargs)


def reload(session: Session, obj: SQLModel) -> SQLModel:
    """Read an object again as the app left it (a new transaction sees the app's commits)."""
    session.rollback()
    session.refresh(obj)
    return obj


def count_rows(session: Session, model: type[SQLModel]) -> int:
    """How many rows a table has, as committed."""
    session.rollback()
    return session.exec(select(func.count()).select_from(model)).one()[0]


def snapshot(session: Session) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a denied request wrote nothing."""
    session.rollback()
    result = {}
    for table in SQLModel.metadata.sorted_tables:
        rows = session.connection().execute(select(table).order_by(*table.primary_key)).all()
        result[table.name] = [tuple(row) for row in rows]
    session.rollback()
    return result


class QueryCounter:
    """Counts the SQL statements an engine runs inside a `with` block."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, _conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        """How many statements ran."""
        return len(self.statements)


def real_catalog():
    """The shipped lesson catalog (loaded once per process)."""
    from lessons.catalog import shipped_catalog

    return shipped_catalog()


def give_learner_history(session: Session, family: Family):
    """A quiz attempt, a privacy setup, a brand profile with a photo and a proposed
    family agreement for the family's teen (committed); returns the attempt and agreement."""
    from learner import agreements, privacy, profile, progress
    from learner.core.images import clean_image
    from lessons.quiz import score

    now = utc_now()
    module = real_catalog().get("public-by-default")
    answers = {q.id: q.correct_ids for q in module.quiz}
    attempt = progress.submit_quiz(
        session=session, user=family.teen, module=module, result=score(module, answers), now=now
    )
    choices = {s.id: s.options[0].value for s in privacy.SETTINGS}
    profile.save_privacy(session=session, user=family.teen, choices=choices, now=now)
    profile.save_brand(
        session=session,
        user=family.teen,
        handle="leo_r",
        display_name="Leo",
        bio="I make music.",
        avatar=clean_image(png_bytes()),
        now=now,
    )
    agreement = agreements.propose(
        session=session,
        membership=family.teen_membership,
        proposer=family.parent,
        terms={t: "We talk first." for t in agreements.REQUIRED_TERMS},
        now=now,
    )
    session.commit()
    return attempt, agreement


def png_bytes(size: tuple[int, int] = (8, 8), *, gps: bool = False, fmt: str = "PNG") -> bytes:
    """A small real image, optionally carrying GPS metadata."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def set_level(session: Session, membership: Membership, level, *, since=None) -> Membership:
    """Put a learner at a level (committed), as if signed off `since` (default now)."""
    membership.level = level
    membership.level_since = since or utc_now()
    session.add(membership)
    session.commit()
    return membership


def make_post(
    session: Session,
    group: Group,
    membership: Membership,
    body: str = "Practising a kind post about my weekend hike.",
    *,
    submit: bool = True,
    audience=None,
    members: tuple[int, ...] = (),
    parent=None,
):
    """A practice post by a learner through the real service (committed)."""
    from learner import practice
    from learner.models import Audience

    post, _created = practice.compose(
        session=session,
        group=group,
        author=membership,
        draft=practice.Draft(body=body, audience=audience or Audience.PUBLIC, member_ids=members),
        submit=submit,
        client_token=None,
        parent=parent,
        now=utc_now(),
    )
    session.commit()
    return post
