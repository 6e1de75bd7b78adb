"""OneRoster 1.1 CSV import: the sample district, all or nothing, idempotent."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlmodel import select

from learner.models import AgeBand, Group, Membership, OneRosterRecord, Role, User
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


def run_import(app, path: Path):
    return app.test_cli_runner().invoke(args=["oneroster", "import", str(path)])


def test_the_sample_imports_classes_teachers_and_students(app, db, tmp_path):
    path = sample_zip(tmp_path)
    result = app.test_cli_runner().invoke(args=["oneroster", "import", str(path), "--rows"])
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
    # No e-mail is taken from the district's file, and nobody knows the passwords.
    assert db.exec(select(User.email).where(User.email.is_not(None))).all() == []


def test_importing_the_same_file_again_changes_nothing(app, db, tmp_path):
    path = sample_zip(tmp_path)
    run_import(app, path)
    db.rollback()
    before = snapshot(db)
    again = run_import(app, path)
    assert again.exit_code == 0
    assert "classes: 0 created, 0 updated, 2 unchanged" in again.output
    assert "users: 0 created, 0 updated, 5 unchanged" in again.output
    assert "enrollments: 0 created, 0 updated, 5 unchanged" in again.output
    db.rollback()
    assert snapshot(db) == before


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
    for expected in ("<td>2</td><td>0</td><td>0</td>", "<td>0</td><td>0</td><td>2</td>"):
        done = client.post(
            "/admin/oneroster/",
            data={"csrf_token": csrf_token(client), "roster_zip": (io.BytesIO(good), "roster.zip")},
            content_type="multipart/form-data",
        )
        assert done.status_code == 200 and expected in done.get_data(as_text=True)
    db.rollback()
    assert count_rows(db, Group) == 2
