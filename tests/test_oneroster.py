"""OneRoster 1.1 CSV import: the sample district, all or nothing, idempotent."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from learner.models import AccountKind, AgeBand, Group, Membership, OneRosterRecord, Role, User
from tests.helpers import count_rows, snapshot

SAMPLE = Path(__file__).parent / "data" / "oneroster"


def sample_zip(tmp_path: Path, **replace: str) -> Path:
    """The sample folder zipped as a district sends it; `replace` swaps a file's text."""
    path = tmp_path / "oneroster.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for csv_file in sorted(SAMPLE.glob("*.csv")):
            name = csv_file.stem
            archive.writestr(csv_file.name, replace.get(name, csv_file.read_text()))
    return path


def run_import(app, path: Path, *, consent: bool = True):
    """The sample has a student under 13 (Sam Kim, grade 6): the school's consent is
    given unless `consent` is False."""
    args = ["oneroster", "import", str(path)] + (["--under13-consent"] if consent else [])
    return app.test_cli_runner().invoke(args=args)


def test_the_sample_imports_classes_teachers_and_students(app, db, tmp_path):
    path = sample_zip(tmp_path)
    result = app.test_cli_runner().invoke(
        args=["oneroster", "import", str(path), "--rows", "--under13-consent"]
    )
    assert result.exit_code == 0, result.output
    assert "users S-200: created" in result.output and "classes CL-2: created" in result.output
    assert "classes: 2 created" in result.output
    assert "users: 5 created" in result.output  # the parent is not part of a class
    assert "enrollments: 5 created" in result.output
    period2 = db.exec(select(Group).where(Group.name == "Digital Citizenship - Period 2")).one()
    assert period2.school_year == "2027"
    members = db.exec(
        select(User.display_name, Membership.role, Membership.is_owner, Membership.manages_account)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == period2.id)
        .order_by(User.display_name)
    ).all()
    assert members == [
        ("Elena Rivera", Role.SUPERVISOR, True, False),
        ("Maya Lopez", Role.LEARNER, False, True),
        ("Sam Kim", Role.LEARNER, False, True),
    ]
    bands = dict(db.exec(select(User.display_name, User.age_band)).all())
    assert bands["Sam Kim"] is AgeBand.UNDER_13  # grade 6
    assert bands["Maya Lopez"] is AgeBand.AGE_13_15  # grade 8
    assert bands["Ana Patel"] is AgeBand.AGE_16_17  # grades 10-11
    assert "Gloria Lopez" not in bands
    # The school's consent is on the class with the student under 13, not on the other.
    consented = dict(db.exec(select(Group.name, Group.under13_consent_at)).all())
    assert consented["Digital Citizenship - Period 2"] is not None
    assert consented["Media Literacy - Period 5"] is None
    # No e-mail is taken from the district's file, and nobody knows the passwords.
    assert db.exec(select(User.email).where(User.email.is_not(None))).all() == []


def assert_import_again_changes_nothing(app, db, path, *, classes, users, enrollments):
    """Importing the same file again reports everything unchanged and writes nothing."""
    db.rollback()
    before = snapshot(db)
    again = run_import(app, path)
    assert again.exit_code == 0
    assert f"classes: 0 created, 0 updated, {classes} unchanged" in again.output
    assert f"users: 0 created, 0 updated, {users} unchanged" in again.output
    assert f"enrollments: 0 created, 0 updated, {enrollments} unchanged" in again.output
    db.rollback()
    assert snapshot(db) == before


def test_importing_the_same_file_again_changes_nothing(app, db, tmp_path):
    path = sample_zip(tmp_path)
    run_import(app, path)
    assert_import_again_changes_nothing(app, db, path, classes=2, users=5, enrollments=5)


def test_a_changed_title_updates_the_class_it_names(app, db, tmp_path):
    run_import(app, sample_zip(tmp_path))
    classes = (SAMPLE / "classes.csv").read_text().replace("Period 2", "Period 3")
    result = run_import(app, sample_zip(tmp_path, classes=classes))
    assert "classes: 0 created, 1 updated, 1 unchanged" in result.output
    db.rollback()
    assert count_rows(db, Group) == 2 and count_rows(db, OneRosterRecord) == 7
    assert db.exec(select(Group).where(Group.name == "Digital Citizenship - Period 3")).one()


def test_a_file_with_problems_imports_nothing_and_names_each_row(app, db, tmp_path):
    enrollments = (
        SAMPLE / "enrollments.csv"
    ).read_text() + "E-9,,,CL-1,ORG-S1,S-999,student,false,,\n"
    users = (SAMPLE / "users.csv").read_text().replace(",student,skim,", ",pupil,skim,")
    before = snapshot(db)
    result = run_import(app, sample_zip(tmp_path, enrollments=enrollments, users=users))
    assert result.exit_code != 0
    assert "enrollments.csv row 7: The person is not in users.csv." in result.output
    assert "users.csv row 5: Unknown role pupil." in result.output
    assert "nothing was imported" in result.output
    db.rollback()
    assert snapshot(db) == before


def test_a_missing_column_or_a_delta_file_is_refused(app, db, tmp_path):
    orgs = "sourcedId,name,type\nORG-S1,School,school\n"
    result = run_import(app, sample_zip(tmp_path, orgs=orgs))
    assert "orgs.csv row 1: Missing columns: status, dateLastModified" in result.output
    manifest = (SAMPLE / "manifest.csv").read_text().replace("file.users,bulk", "file.users,delta")
    delta = run_import(app, sample_zip(tmp_path, manifest=manifest))
    assert "users.csv must be given in bulk mode." in delta.output
    not_zip = tmp_path / "roster.zip"
    not_zip.write_bytes(b"sourcedId,name\n")
    assert "This is not a zip file." in run_import(app, not_zip).output
    db.rollback()
    assert count_rows(db, User) == 0


def test_the_sample_is_the_zip_a_district_sends(tmp_path):
    with zipfile.ZipFile(io.BytesIO(sample_zip(tmp_path).read_bytes())) as archive:
        names = set(archive.namelist())
    assert {"manifest.csv", "orgs.csv", "users.csv", "classes.csv", "enrollments.csv"} <= names


def test_the_site_admin_imports_on_the_admin_page_with_a_report(app, db, tmp_path):
    from tests.factories import make_supervisor
    from tests.helpers import csrf_token, login

    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    client = app.test_client()
    login(client, admin)
    assert client.get("/admin/oneroster/").status_code == 200
    enrollments = (SAMPLE / "enrollments.csv").read_text() + "E-9,,,CL-9,ORG-S1,S-200,student,,,\n"
    bad = sample_zip(tmp_path, enrollments=enrollments).read_bytes()
    before = snapshot(db)
    refused = client.post(
        "/admin/oneroster/",
        data={"csrf_token": csrf_token(client), "roster_zip": (io.BytesIO(bad), "roster.zip")},
        content_type="multipart/form-data",
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "nothing was imported" in page
    assert "enrollments.csv" in page and "The class is not in classes.csv." in page
    db.rollback()
    assert snapshot(db) == before
    good = sample_zip(tmp_path).read_bytes()
    # Classes: created, updated, unchanged (first import, then the same file again).
    without_consent = client.post(
        "/admin/oneroster/",
        data={"csrf_token": csrf_token(client), "roster_zip": (io.BytesIO(good), "roster.zip")},
        content_type="multipart/form-data",
    )
    assert without_consent.status_code == 400
    assert "This student is under 13" in without_consent.get_data(as_text=True)
    db.rollback()
    assert snapshot(db) == before
    for expected in ("<td>2</td><td>0</td><td>0</td>", "<td>0</td><td>0</td><td>2</td>"):
        done = client.post(
            "/admin/oneroster/",
            data={
                "csrf_token": csrf_token(client),
                "roster_zip": (io.BytesIO(good), "roster.zip"),
                "under13_consent": "y",
            },
            content_type="multipart/form-data",
        )
        assert done.status_code == 200 and expected in done.get_data(as_text=True)
    db.rollback()
    assert count_rows(db, Group) == 2
    period2 = db.exec(select(Group).where(Group.name == "Digital Citizenship - Period 2")).one()
    assert period2.under13_consent_by_id == admin.id


PUBLISHED = Path(__file__).parent / "data" / "oneroster_published"


def published_zip(tmp_path: Path) -> Path:
    path = tmp_path / "published.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for csv_file in sorted(PUBLISHED.glob("*.csv")):
            archive.write(csv_file, csv_file.name)
    return path


def test_a_published_sample_imports_its_classes_teachers_and_students(app, db, tmp_path):
    """The sample from a maintained OneRoster 1.1 implementation (see its README): what is
    ended is left out, people outside any class get no account, a teacher enrolled as a
    student learns in the class but keeps their own account."""
    path = published_zip(tmp_path)
    result = app.test_cli_runner().invoke(args=["oneroster", "import", str(path), "--rows"])
    assert result.exit_code == 0, result.output
    assert "classes: 1 created, 0 updated, 0 unchanged, 0 removed, 1 skipped" in result.output
    assert "classes cls-222-123478: skipped" in result.output  # tobedeleted
    assert "users: 3 created, 0 updated, 0 unchanged, 0 removed, 3 skipped" in result.output
    for outside in ("usr-222-66778899", "usr-222-1234561", "usr-222-567891"):
        assert f"users {outside}: skipped" in result.output
    # Three enrollments in the class; three in the ended class are skipped.
    assert "enrollments: 3 created, 0 updated, 0 unchanged, 0 removed, 3 skipped" in result.output
    physics = db.exec(select(Group).where(Group.name == "Introduction to Physics")).one()
    assert physics.school_year == "2023"
    members = db.exec(
        select(
            User.display_name,
            User.kind,
            User.age_band,
            Membership.role,
            Membership.is_owner,
            Membership.manages_account,
        )
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == physics.id)
        .order_by(User.display_name)
    ).all()
    assert members == [
        ("Jim Smith", AccountKind.TEACHER, AgeBand.ADULT, Role.LEARNER, False, False),
        ("John Doe", AccountKind.TEACHER, AgeBand.ADULT, Role.SUPERVISOR, True, False),
        ("mmichel Jones", AccountKind.LEARNER, AgeBand.AGE_16_17, Role.LEARNER, False, True),
    ]
    assert count_rows(db, Group) == 1 and count_rows(db, User) == 3
    assert db.exec(select(User.email).where(User.email.is_not(None))).all() == []
    assert_import_again_changes_nothing(app, db, path, classes=1, users=3, enrollments=3)


def test_an_ended_enrollment_takes_the_student_out_of_the_class(app, db, tmp_path):
    run_import(app, sample_zip(tmp_path))
    enrollments = (
        (SAMPLE / "enrollments.csv")
        .read_text()
        .replace("E-5,,,CL-2", "E-5,tobedeleted,2027-01-10,CL-2")
    )
    result = run_import(app, sample_zip(tmp_path, enrollments=enrollments))
    assert result.exit_code == 0, result.output
    assert "enrollments: 0 created, 0 updated, 4 unchanged, 1 removed" in result.output
    db.rollback()
    media = db.exec(select(Group).where(Group.name == "Media Literacy - Period 5")).one()
    ana = db.exec(
        select(Membership)
        .join(User)
        .where(Membership.group_id == media.id, User.display_name == "Ana Patel")
    ).one()
    assert ana.removed_at is not None


def test_a_student_under_13_needs_consent_on_file_for_their_class(app, db, tmp_path):
    path = sample_zip(tmp_path)
    before = snapshot(db)
    refused = run_import(app, path, consent=False)
    assert refused.exit_code != 0
    assert "enrollments.csv row 4: This student is under 13 (grades 06)" in refused.output
    assert "nothing was imported" in refused.output
    db.rollback()
    assert snapshot(db) == before
    # Without Sam Kim the file goes in; once the teacher confirms consent for the class
    # (as for the class code), the same file with Sam goes in without the option.
    users = (SAMPLE / "users.csv").read_text().replace("S-201,,", "S-201,tobedeleted,")
    assert run_import(app, sample_zip(tmp_path, users=users), consent=False).exit_code == 0
    db.rollback()
    period2 = db.exec(select(Group).where(Group.name == "Digital Citizenship - Period 2")).one()
    assert period2.under13_consent_at is None
    period2.under13_consent_at = datetime.now(UTC)
    db.add(period2)
    db.commit()
    done = run_import(app, sample_zip(tmp_path), consent=False)
    assert done.exit_code == 0, done.output
    assert "users: 1 created, 0 updated, 4 unchanged" in done.output
    db.rollback()
    sam = db.exec(select(User).where(User.display_name == "Sam Kim")).one()
    assert sam.age_band is AgeBand.UNDER_13
