"""Class lists: a CSV file becomes student accounts and login cards, or a report of its
wrong rows (row 1 is the header, as in the spreadsheet) and nothing at all."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from learner import accounts, roster
from learner.core import passwords
from learner.models import (
    AgeBand,
    EventKind,
    GroupKind,
    Level,
    Membership,
    Role,
    SupervisionEvent,
    User,
)
from tests.factories import PASSWORD, make_family, make_group, make_learner, make_supervisor
from tests.helpers import count_rows, login, logout, post

TAKEN = "taken.name"


@pytest.fixture
def classroom(db):
    """A teacher's class, and elsewhere an account that already has the username TAKEN."""
    teacher = make_supervisor(db, name="Ms Rivera")
    group = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    other = make_group(db, make_supervisor(db))
    accounts.create_learner_account(
        session=db,
        group=other,
        username=TAKEN,
        display_name="Someone Else",
        age_band=AgeBand.AGE_13_15,
        password=PASSWORD,
    )
    db.commit()
    return teacher, group


def upload(client, group, data: bytes, *, age_band: str = "13_15"):
    """Send a class list through the upload form, as a browser would."""
    form = {"class_list": (io.BytesIO(data), "class.csv"), "age_band": age_band}
    return post(client, f"/groups/{group.id}/roster", form, content_type="multipart/form-data")


def report(response) -> list[tuple[str, str]]:
    """The problem table of the upload page: (row, message) in order."""
    page = response.get_data(as_text=True)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', page, re.S)
    return [(html.unescape(row), html.unescape(message)) for row, message in rows]


def cards(response) -> list[tuple[str, str, str]]:
    """The login cards: (display name, username, password) in order."""
    page = response.get_data(as_text=True)
    names = re.findall(r'<p class="login-card-name">(.*?)</p>', page)
    usernames = re.findall(r'<dd class="username">(.*?)</dd>', page)
    secrets = re.findall(r'<dd class="secret">(.*?)</dd>', page)
    assert len(names) == len(usernames) == len(secrets)
    return [
        (html.unescape(n), html.unescape(u), html.unescape(s))
        for n, u, s in zip(names, usernames, secrets, strict=True)
    ]


def counts(db) -> tuple[int, int]:
    return count_rows(db, User), count_rows(db, Membership)


BAD_FILES = {
    "no display name column": (
        b"email,username\nmaya@example.com,maya\n",
        [("1", "The first row must name the columns")],
    ),
    "no header row": (
        b"Maya Lopez,maya.l\nSam Kim,\n",
        [("1", "It has: \u201cMaya Lopez\u201d, \u201cmaya.l\u201d.")],
    ),
    "unknown columns are named": (
        b"name,username,email,age\nMaya,,maya@example.com,14\n",
        [("1", "Unknown columns: \u201cemail\u201d, \u201cage\u201d.")],
    ),
    "a column given twice": (
        b"name,Display name\nMaya,Maya\n",
        [("1", "repeat another one: \u201cDisplay name\u201d")],
    ),
    "duplicate names name both rows": (
        b"name\nSam\n\nMaya\n  sam \n",
        [("5", "\u201csam\u201d is also on row 2.")],
    ),
    "same name, one without a username": (
        b"name,username\nSam,sam.k\nSam,\n",
        [("3", "\u201cSam\u201d is also on row 2.")],
    ),
    "duplicate usernames in the file": (
        b"name,username\nSam A,sam\nSam B,SAM\n",
        [("3", "The username \u201csam\u201d is also on row 2.")],
    ),
    "a username already in use": (
        b"name,username\nMaya,Taken.Name\n",
        [("2", f"The username \u201c{TAKEN}\u201d is taken.")],
    ),
    "usernames outside the rules": (
        b"name,username\nMaya,Maya Lopez\nSam,sa\n",
        [("2", "does not follow the rules"), ("3", "does not follow the rules")],
    ),
    "a username with no name; blank rows skipped": (
        b"name,username\nMaya,\n,\n\n,orphan\n,\n",
        [("5", "There is a username but no name.")],
    ),
    "spreadsheet formulas": (
        b'name,username\n=HYPERLINK("http://x"),\nSam,@sam\n  +Jo,\n-1,\nMaya,\n',
        [
            ("2", "The name starts with =, +, - or @"),
            ("3", "The username starts with =, +, - or @"),
            ("4", "The name starts with =, +, - or @"),
            ("5", "The name starts with =, +, - or @"),
        ],
    ),
    "tabs and carriage returns": (
        b'name\n"Maya\tLopez"\nSam\n"Jo\rKim"\n',
        [("2", "contains a tab or a line break"), ("4", "contains a tab or a line break")],
    ),
    "a name too long": (
        b"name\nMaya\n" + b"x" * 81 + b"\n",
        [("3", "longer than 80 characters")],
    ),
    "a value in a column without heading": (
        b"name\nMaya,maya.l\n",
        [("2", "Column B has something in it")],
    ),
    "not UTF-8": (
        "name\nZo\u00eb\n".encode("cp1252"),
        [("Whole file", "save it with File > Save As > CSV UTF-8")],
    ),
    "UTF-16": ("name\nMaya\n".encode("utf-16"), [("Whole file", "not CSV UTF-8")]),
    "5,000 rows": (
        b"name\n" + b"".join(b"Student %d\n" % n for n in range(5000)),
        [("Whole file", "The file has 5000 students; one file can add at most 200.")],
    ),
    "an empty file": (b"", [("Whole file", "The file is empty.")]),
    "a header and no students": (
        b"display name,username\n\n,\n",
        [("Whole file", "no students")],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_wrong_file_gets_its_rows_reported_and_creates_nothing(client, db, classroom, case):
    teacher, group = classroom
    data, expected = BAD_FILES[case]
    login(client, teacher)
    before = counts(db)
    response = upload(client, group, data)
    assert response.status_code == 400
    found = report(response)
    assert [row for row, _message in found] == [row for row, _fragment in expected], found
    for (_row, message), (_same_row, fragment) in zip(found, expected, strict=True):
        assert fragment in message
    assert "Nothing was created" in response.get_data(as_text=True)
    assert counts(db) == before


def test_the_report_lists_50_problems_and_counts_the_rest(client, db, classroom):
    teacher, group = classroom
    login(client, teacher)
    data = b"name\n" + b"".join(b"=cmd%d\n" % n for n in range(60))
    response = upload(client, group, data)
    assert response.status_code == 400
    found = report(response)
    assert len(found) == 50 and found[0][0] == "2" and found[-1][0] == "51"
    assert "And 10 more problems." in response.get_data(as_text=True)


def test_a_good_file_creates_managed_accounts_and_cards_that_log_in(client, db, classroom):
    teacher, group = classroom
    login(client, teacher)
    before_users, before_members = counts(db)
    data = b"Display name,Username\nMaya Lopez,\nSam Kim,sam.k\n\nSam Patel,\n,\n"
    response = upload(client, group, data, age_band="under_13")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "3 accounts are ready." in page and "2 blank rows were skipped." in page
    made = cards(response)
    assert [(name, username) for name, username, _password in made] == [
        ("Maya Lopez", "maya.lopez"),
        ("Sam Kim", "sam.k"),
        ("Sam Patel", "sam.patel"),
    ]
    assert counts(db) == (before_users + 3, before_members + 3)
    for name, username, password in made:
        user = db.exec(select(User).where(User.username == username)).one()
        membership = db.exec(select(Membership).where(Membership.user_id == user.id)).one()
        assert user.display_name == name and user.email is None
        assert user.age_band is AgeBand.UNDER_13
        assert password not in user.password_hash and user.password_hash.startswith("$argon2id$")
        assert membership.group_id == group.id and membership.role is Role.LEARNER
        assert membership.level is Level.INSTRUCTION and membership.manages_account

    _name, username, password = made[2]
    logout(client)
    response = post(client, "/login", {"login": username, "password": password})
    assert response.status_code == 302 and not response.headers["Location"].startswith("/login")


def test_usernames_are_made_unique_against_the_file_and_existing_accounts(client, db, classroom):
    teacher, group = classroom
    accounts.create_learner_account(
        session=db,
        group=make_group(db, make_supervisor(db)),
        username="maya.lopez",
        display_name="Another Maya",
        age_band=AgeBand.AGE_16_17,
        password=PASSWORD,
    )
    db.commit()
    login(client, teacher)
    data = (
        "name,username\nMaya Lopez,\nMaya L\u00f3pez,\nSam,sam.k\nSam,sam.p\nSam Lee,\n"
        "Samuel,sam.lee\nLi,\n"
    ).encode()
    response = upload(client, group, data)
    assert response.status_code == 200, report(response)
    assert [username for _name, username, _password in cards(response)] == [
        "maya.lopez2",
        "maya.lopez3",
        "sam.k",
        "sam.p",
        "sam.lee2",
        "sam.lee",
        "li1",
    ]


@pytest.mark.parametrize(
    "data",
    [
        "display name;username\nZo\u00eb \u00d8deg\u00e5rd;\nLi Wei;li.w\n".encode(),
        "Display name,Username\r\nZo\u00eb \u00d8deg\u00e5rd,\r\nLi Wei,li.w\r\n".encode(
            "utf-8-sig"
        ),
    ],
    ids=["semicolons", "byte-order-mark"],
)
def test_european_excel_files_work(client, db, classroom, data):
    teacher, group = classroom
    login(client, teacher)
    response = upload(client, group, data)
    assert response.status_code == 200, report(response)
    assert [(name, username) for name, username, _password in cards(response)] == [
        ("Zo\u00eb \u00d8deg\u00e5rd", "zoe.odegard"),
        ("Li Wei", "li.w"),
    ]


def test_a_failure_while_creating_rolls_back_every_account(client, db, classroom, monkeypatch):
    teacher, group = classroom
    login(client, teacher)
    # As if TAKEN were made between the check and the creation: the third row then fails.
    monkeypatch.setattr(roster, "usernames_in_use", lambda session: set())
    before = counts(db)
    response = upload(client, group, f"name,username\nMaya,\nSam,\nJo,{TAKEN}\n".encode())
    assert response.status_code == 400
    assert report(response) == [("4", "This username is taken. Try another.")]
    assert counts(db) == before


def test_the_same_list_twice_is_refused(client, db, classroom):
    teacher, group = classroom
    login(client, teacher)
    data = b"name,username\nMaya Lopez,\nSam Kim,sam.k\n"
    assert upload(client, group, data).status_code == 200
    before = counts(db)
    response = upload(client, group, b"name\nMaya Lopez\nSam Patel\n")
    assert response.status_code == 400
    assert [row for row, _message in report(response)] == ["2"]
    assert "already in this class (username maya.lopez)" in report(response)[0][1]
    assert counts(db) == before


def test_the_form_needs_a_file_and_an_age_band(client, db, classroom):
    teacher, group = classroom
    login(client, teacher)
    response = post(client, f"/groups/{group.id}/roster", {}, content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose the CSV file of your class list." in page and "Choose an age band." in page


def test_the_class_page_links_to_the_upload_and_the_page_explains_the_format(client, db, classroom):
    teacher, group = classroom
    login(client, teacher)
    assert "Add a class list (CSV)" in client.get(f"/groups/{group.id}").get_data(as_text=True)
    page = client.get(f"/groups/{group.id}/roster")
    assert page.status_code == 200
    assert "display name,username\nMaya Lopez," in page.get_data(as_text=True)


def test_learners_and_other_teachers_are_refused(client, db, classroom):
    _teacher, group = classroom
    student, _membership = make_learner(db, group)
    outsider = make_supervisor(db)
    make_group(db, outsider, kind=GroupKind.CLASSROOM)
    before = counts(db)
    for user, status in ((student, 403), (outsider, 404)):
        login(client, user)
        assert client.get(f"/groups/{group.id}/roster").status_code == status
        assert upload(client, group, b"name\nMaya\n").status_code == status
    logout(client)
    response = client.get(f"/groups/{group.id}/roster")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert counts(db) == before


def test_families_have_no_class_list(client, db):
    family = make_family(db)
    login(client, family.parent)
    assert client.get(f"/groups/{family.group.id}/roster").status_code == 404
    assert upload(client, family.group, b"name\nMaya\n").status_code == 404
    page = client.get(f"/groups/{family.group.id}").get_data(as_text=True)
    assert "Add a class list" not in page


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Zo\u00eb \u00d8deg\u00e5rd", "zoe.odegard"),
        ("Se\u00e1n O'Brien-Walsh", "sean.obrien.walsh"),
        ("Stra\u00dfe", "strasse"),
        ("Li", "li1"),
        ("A", "a01"),
        ("\u674e\u660e", "student"),
        ("Maximilian " * 7, "maximilian.maximilian.maximilian.maximil"),
    ],
)
def test_usernames_made_from_names_follow_the_rules(name, expected):
    rows = roster.read_roster(f"name\n{name}\n".encode(), taken_usernames=set()).rows
    assert rows[0].username == expected
    assert accounts.USERNAME_RE.match(rows[0].username)


def test_200_students_fit_in_one_file_and_201_do_not():
    def names(n):
        return ("name\n" + "".join(f"Student {i}\n" for i in range(n))).encode()

    assert len(roster.read_roster(names(200), taken_usernames=set()).rows) == 200
    with pytest.raises(roster.RosterError) as raised:
        roster.read_roster(names(201), taken_usernames=set())
    assert [p.row for p in raised.value.problems] == [None]


def test_created_logins_keep_the_password_out_of_their_repr():
    login_card = roster.CreatedLogin(display_name="Maya", username="maya", password="amber-1")
    assert "amber-1" not in repr(login_card)


def test_an_oversized_file_or_an_unreadable_row_is_one_clear_problem():
    with pytest.raises(roster.RosterError) as raised:
        roster.read_roster(b"name\n" + b"Maya\n" * 250_000, taken_usernames=set())
    assert [(p.row, str(p.message)[:30]) for p in raised.value.problems] == [
        (None, "The file is larger than 1 MB, ")
    ]
    with pytest.raises(roster.RosterError) as raised:
        roster.read_roster(b'name\nMaya\n"' + b"x" * 140_000, taken_usernames=set())
    assert [p.row for p in raised.value.problems] == [3]
    assert "cannot be read" in str(raised.value.problems[0].message)


def test_new_cards_reset_the_chosen_students_and_log_it(client, db, classroom):
    teacher, group = classroom
    maya, maya_m = make_learner(db, group)
    sam, _sam_m = make_learner(db, group)
    login(client, teacher)
    page = client.get(f"/groups/{group.id}/roster/cards").get_data(as_text=True)
    assert maya.display_name in page and sam.display_name in page
    assert "current passwords stop working" in page

    response = post(
        client,
        f"/groups/{group.id}/roster/cards",
        MultiDict([("members", maya_m.id), ("confirm", "y")]),
    )
    assert response.status_code == 200
    made = cards(response)
    assert [(name, username) for name, username, _p in made] == [(maya.display_name, maya.username)]
    assert "data-print" in response.get_data(as_text=True)  # the print button
    new_password = made[0][2]
    db.expire_all()
    # The new password works, the old one does not; Sam keeps his.
    maya = db.get(User, maya.id)
    assert passwords.verify_password(maya.password_hash, new_password)
    assert not passwords.verify_password(maya.password_hash, PASSWORD)
    assert passwords.verify_password(db.get(User, sam.id).password_hash, PASSWORD)
    # Maya's log names the reset; Sam's has nothing.
    events = db.exec(select(SupervisionEvent)).all()
    assert [(e.membership_id, e.kind, e.actor_id) for e in events] == [
        (maya_m.id, EventKind.PASSWORD_RESET, teacher.id)
    ]
    logout(client)
    login(client, maya)
    log = client.get(f"/groups/{group.id}/members/{maya_m.id}/log").get_data(as_text=True)
    assert "made a new password" in log


def test_new_cards_need_a_choice_and_the_confirmation(client, db, classroom):
    teacher, group = classroom
    maya, maya_m = make_learner(db, group)
    login(client, teacher)
    url = f"/groups/{group.id}/roster/cards"
    unconfirmed = post(client, url, {"members": maya_m.id})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    nobody = post(client, url, {"confirm": "y"})
    assert nobody.status_code == 400
    assert "Choose at least one student." in nobody.get_data(as_text=True)
    db.expire_all()
    assert count_rows(db, SupervisionEvent) == 0
    assert passwords.verify_password(db.get(User, maya.id).password_hash, PASSWORD)


def test_new_cards_skip_students_who_made_their_own_account(client, db, classroom):
    from learner import groups
    from tests.factories import at_school

    teacher, group = classroom
    own = make_supervisor(db, name="Own Account")
    own_m = groups.join_with_code(session=db, code=group.join_code, user=own, **at_school())
    db.commit()
    login(client, teacher)
    page = client.get(f"/groups/{group.id}/roster/cards").get_data(as_text=True)
    assert "Own Account" not in page
    assert "made their own account with the class code" in page
    response = post(
        client,
        f"/groups/{group.id}/roster/cards",
        MultiDict([("members", own_m.id), ("confirm", "y")]),
    )
    assert response.status_code == 400  # not a choice on this page
    assert count_rows(db, SupervisionEvent) == 0
