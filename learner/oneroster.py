"""OneRoster 1.1 CSV import: a district's zip becomes classes, teachers and students.

The zip holds `manifest.csv` and, in bulk mode, `orgs.csv`, `users.csv`, `classes.csv`,
`enrollments.csv` (and `academicSessions.csv` for the school year). Everything is read
and checked first; one problem anywhere and nothing is saved, and the report lists every
problem by file and spreadsheet row (the header is row 1). Records are matched by their
`sourcedId` (kept in `oneroster_record`), so importing the same file again changes
nothing, and a changed name or title updates the one it names.

Accounts made here have a password nobody knows: students sign in through the learning
platform, or their teacher resets the password (the class manages their accounts).

What a real export holds beyond the minimum: rows marked `tobedeleted` (a class, a person
or an enrollment the district has ended) are not imported, and an enrollment that points
at one is skipped, not refused; an ended enrollment removes the person from the class it
names. People with no current enrollment in a class of the file (a parent, a student not
placed in a class yet) get no account. Teachers who are enrolled as students of a class
are its learners, but the class does not manage their account.

Students under 13 (by their grades) come in only to classes with consent for under-13
learners on file, as joining with the class code asks: the person importing confirms it
for the file (`consent_by`), or the class's teacher confirmed it before. Otherwise the
file is refused, naming each such enrollment.
"""

from __future__ import annotations

import csv
import io
import secrets
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from learner import groups
from learner.core import passwords
from learner.core.db import utc_now
from learner.models import (
    AccountKind,
    AgeBand,
    Group,
    GroupKind,
    Level,
    Membership,
    OneRosterRecord,
    Role,
    User,
)

MAX_ZIP_BYTES = 20 * 1024 * 1024
MAX_FILE_BYTES = 50 * 1024 * 1024  # unpacked, each file
MAX_REPORTED = 100
REQUIRED_FILES = ("orgs", "users", "classes", "enrollments")
# The columns the OneRoster 1.1 CSV tables require in each file we read (§3 of the spec).
HEADERS = {
    "academicSessions": (
        "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
        "parentSourcedId", "schoolYear",
    ),
    "orgs": ("sourcedId", "status", "dateLastModified", "name", "type", "identifier",
             "parentSourcedId"),
    "users": (
        "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role",
        "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email",
        "sms", "phone", "agentSourcedIds", "grades", "password",
    ),
    "classes": (
        "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
        "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
        "subjectCodes", "periods",
    ),
    "enrollments": (
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
        "userSourcedId", "role", "primary", "beginDate", "endDate",
    ),
}  # fmt: skip
TEACHING = {"teacher", "administrator", "aide"}
LEARNING = {"student"}
ROLES = TEACHING | LEARNING | {"guardian", "parent", "proctor", "relative"}


@dataclass(frozen=True)
class Problem:
    file: str | None
    row: int | None
    message: str


class OneRosterError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the OneRoster file")
        self.problems = problems

    @property
    def shown(self) -> list[Problem]:
        return self.problems[:MAX_REPORTED]


@dataclass
class Report:
    """What an import did, by kind: created, updated, unchanged."""

    counts: Counter = field(default_factory=Counter)
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # file, sourcedId, outcome

    def note(self, kind: str, sourced_id: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1
        self.rows.append((kind, sourced_id, outcome))

    def count(self, kind: str, outcome: str) -> int:
        return self.counts[(kind, outcome)]

    @property
    def changed(self) -> int:
        return sum(n for (_kind, outcome), n in self.counts.items() if outcome != "unchanged")


def _read_csv(archive: zipfile.ZipFile, name: str, problems: list[Problem]) -> list[dict] | None:
    try:
        info = archive.getinfo(f"{name}.csv")
    except KeyError:
        problems.append(Problem(f"{name}.csv", None, str(_l("The file is missing from the zip."))))
        return None
    if info.file_size > MAX_FILE_BYTES:
        problems.append(Problem(f"{name}.csv", None, str(_l("The file is too large."))))
        return None
    try:
        text = archive.read(info).decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(f"{name}.csv", None, str(_l("Save the file as UTF-8."))))
        return None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    wanted = HEADERS.get(name)
    if wanted is not None:
        missing = [column for column in wanted if column not in header]
        if missing:
            problems.append(
                Problem(
                    f"{name}.csv",
                    1,
                    str(_l("Missing columns: %(columns)s.", columns=", ".join(missing))),
                )
            )
            return None
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _manifest(archive: zipfile.ZipFile, problems: list[Problem]) -> dict[str, str]:
    rows = _read_csv(archive, "manifest", problems)
    if rows is None:
        return {}
    values = {row.get("propertyName", ""): row.get("value", "") for row in rows}
    if values.get("oneroster.version") != "1.1":
        problems.append(
            Problem("manifest.csv", None, str(_l("This is not a OneRoster 1.1 file set.")))
        )
    for name in REQUIRED_FILES:
        if values.get(f"file.{name}") != "bulk":
            problems.append(
                Problem(
                    "manifest.csv",
                    None,
                    str(_l("%(file)s.csv must be given in bulk mode.", file=name)),
                )
            )
    return values


@dataclass
class Roster:
    orgs: dict[str, dict]
    users: dict[str, dict]
    classes: dict[str, dict]
    enrollments: list[dict]
    school_years: dict[str, str]
    # Ended enrollments (status tobedeleted): (classSourcedId, userSourcedId, sourcedId).
    ended: list[tuple[str, str, str]] = field(default_factory=list)
    # Rows read but not imported: (file kind, sourcedId, why).
    skipped: list[tuple[str, str, str]] = field(default_factory=list)


def _active(row: dict) -> bool:
    return row.get("status", "") in ("", "active")


def _index(
    rows: list[dict], name: str, problems: list[Problem], ended: set[str] | None = None
) -> dict[str, dict]:
    """The active rows by sourcedId; the sourcedIds of the others go into `ended`."""
    found: dict[str, dict] = {}
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        sourced_id = row.get("sourcedId", "")
        if not sourced_id or len(sourced_id) > 255:
            problems.append(Problem(f"{name}.csv", number, str(_l("Give every row a sourcedId."))))
        elif sourced_id in seen:
            problems.append(
                Problem(f"{name}.csv", number, str(_l("This sourcedId is used twice.")))
            )
        elif _active(row):
            found[sourced_id] = row | {"_row": number}
        elif ended is not None:
            ended.add(sourced_id)
        seen.add(sourced_id)
    return found


def read(data: bytes) -> Roster:
    """Read and check the whole zip; raises OneRosterError listing every problem."""
    problems: list[Problem] = []
    if len(data) > MAX_ZIP_BYTES:
        raise OneRosterError([Problem(None, None, str(_l("The zip is larger than 20 MB.")))])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise OneRosterError([Problem(None, None, str(_l("This is not a zip file.")))]) from None
    with archive:
        manifest = _manifest(archive, problems)
        tables = {name: _read_csv(archive, name, problems) for name in REQUIRED_FILES}
        sessions = (
            _read_csv(archive, "academicSessions", problems)
            if manifest.get("file.academicSessions") == "bulk"
            else []
        )
    if problems:
        raise OneRosterError(problems)
    orgs = _index(tables["orgs"], "orgs", problems)
    gone_users: set[str] = set()
    gone_classes: set[str] = set()
    users = _index(tables["users"], "users", problems, gone_users)
    classes = _index(tables["classes"], "classes", problems, gone_classes)
    terms = _index(sessions or [], "academicSessions", problems)
    for row in users.values():
        if row["role"] not in ROLES:
            problems.append(
                Problem(
                    "users.csv", row["_row"], str(_l("Unknown role %(role)s.", role=row["role"]))
                )
            )
        if not (row["givenName"] or row["familyName"] or row["username"]):
            problems.append(Problem("users.csv", row["_row"], str(_l("Give the person a name."))))
    for row in classes.values():
        if not row["title"]:
            problems.append(Problem("classes.csv", row["_row"], str(_l("Give the class a title."))))
        if row["schoolSourcedId"] not in orgs:
            problems.append(
                Problem("classes.csv", row["_row"], str(_l("The school is not in orgs.csv.")))
            )
    enrollments = []
    ended: list[tuple[str, str, str]] = []
    skipped: list[tuple[str, str, str]] = []
    teachers_of: dict[str, int] = Counter()
    for number, row in enumerate(tables["enrollments"], start=2):
        class_id, user_id = row.get("classSourcedId", ""), row.get("userSourcedId", "")
        if not _active(row):
            ended.append((class_id, user_id, row.get("sourcedId", "")))
            continue
        if class_id in gone_classes or user_id in gone_users:
            skipped.append(("enrollments", row.get("sourcedId", ""), "ended class or person"))
            continue
        if class_id not in classes:
            problems.append(
                Problem("enrollments.csv", number, str(_l("The class is not in classes.csv.")))
            )
            continue
        if user_id not in users:
            problems.append(
                Problem("enrollments.csv", number, str(_l("The person is not in users.csv.")))
            )
            continue
        if row.get("role") not in ROLES:
            problems.append(Problem("enrollments.csv", number, str(_l("Unknown role."))))
            continue
        if row["role"] in TEACHING:
            teachers_of[class_id] += 1
        enrollments.append(row | {"_row": number})
    for sourced_id, row in classes.items():
        if not teachers_of[sourced_id]:
            problems.append(
                Problem(
                    "classes.csv", row["_row"], str(_l("No teacher is enrolled in this class."))
                )
            )
    if problems:
        raise OneRosterError(sorted(problems, key=lambda p: (p.file or "", p.row or 0)))
    placed = {row["userSourcedId"] for row in enrollments if row["role"] in TEACHING | LEARNING}
    for sourced_id, row in list(users.items()):
        if sourced_id not in placed or row["role"] not in TEACHING | LEARNING:
            skipped.append(("users", sourced_id, "not in a class"))
            del users[sourced_id]
    enrollments = [
        row
        for row in enrollments
        if row["userSourcedId"] in users and row["role"] in TEACHING | LEARNING
    ]
    for sourced_id in sorted(gone_classes):
        skipped.append(("classes", sourced_id, "ended"))
    years = {}
    for sourced_id, row in classes.items():
        for term in row["termSourcedIds"].split(","):
            if term.strip() in terms and terms[term.strip()]["schoolYear"]:
                years[sourced_id] = terms[term.strip()]["schoolYear"][:20]
                break
    return Roster(
        orgs=orgs,
        users=users,
        classes=classes,
        enrollments=enrollments,
        school_years=years,
        ended=ended,
        skipped=skipped,
    )


def _record(session: Session, kind: str, sourced_id: str) -> OneRosterRecord | None:
    return session.exec(
        select(OneRosterRecord).where(
            OneRosterRecord.kind == kind, OneRosterRecord.sourced_id == sourced_id
        )
    ).first()


def _name(row: dict) -> str:
    name = " ".join(part for part in (row["givenName"], row["familyName"]) if part)
    return (name or row["username"])[:80]


def _age_band(row: dict) -> AgeBand:
    """From the grade levels: up to grade 7 is under 13, 8 to 10 is 13-15, then 16-17."""
    grades = [g.strip() for g in row["grades"].split(",") if g.strip()]
    numbers = [int(g) for g in grades if g.isdigit()]
    if any(g in ("IT", "PR", "PK", "TK", "KG") for g in grades) or (numbers and max(numbers) <= 7):
        return AgeBand.UNDER_13
    if numbers and max(numbers) >= 11:
        return AgeBand.AGE_16_17
    return AgeBand.AGE_13_15


def _user(session: Session, sourced_id: str, row: dict, report: Report) -> User:
    teacher = row["role"] in TEACHING
    record = _record(session, "user", sourced_id)
    name = _name(row)
    if record is not None:
        user = session.get(User, record.local_id)
        if user.display_name != name:
            user.display_name = name
            session.add(user)
            report.note("users", sourced_id, "updated")
        else:
            report.note("users", sourced_id, "unchanged")
        return user
    user = User(
        username=f"or-{secrets.token_hex(8)}",
        display_name=name,
        password_hash=passwords.hash_password(secrets.token_urlsafe(32)),
        kind=AccountKind.TEACHER if teacher else AccountKind.LEARNER,
        age_band=AgeBand.ADULT if teacher else _age_band(row),
    )
    session.add(user)
    session.flush()
    session.add(OneRosterRecord(kind="user", sourced_id=sourced_id, local_id=user.id))
    report.note("users", sourced_id, "created")
    return user


def _under_13(roster: Roster) -> list[dict]:
    """The enrollments of students under 13 (by the grades of users.csv)."""
    return [
        row
        for row in roster.enrollments
        if row["role"] in LEARNING
        and roster.users[row["userSourcedId"]]["role"] in LEARNING
        and _age_band(roster.users[row["userSourcedId"]]) is AgeBand.UNDER_13
    ]


def _refuse_without_consent(session: Session, roster: Roster, young: list[dict]) -> None:
    """Raises OneRosterError for each under-13 enrollment in a class with no consent on
    file (a class made by this import has none yet)."""
    consented = set()
    for sourced_id in {row["classSourcedId"] for row in young}:
        record = _record(session, "class", sourced_id)
        group = session.get(Group, record.local_id) if record is not None else None
        if group is not None and group.under13_consent_at is not None:
            consented.add(sourced_id)
    problems = [
        Problem(
            "enrollments.csv",
            row["_row"],
            str(
                _l(
                    "This student is under 13 (grades %(grades)s) and the class has no "
                    "consent for learners under 13 on file. Confirm that the school holds "
                    "it, or ask the class's teacher to confirm it first.",
                    grades=roster.users[row["userSourcedId"]]["grades"],
                )
            ),
        )
        for row in young
        if row["classSourcedId"] not in consented
    ]
    if problems:
        raise OneRosterError(problems)


def apply(
    *,
    session: Session,
    roster: Roster,
    under13_consent: bool = False,
    consent_by: User | None = None,
) -> Report:
    """Create or update everything in the caller's transaction (commit or roll back there).

    `under13_consent`: the person importing confirms the school holds consent for the
    students under 13 in this file; it is recorded on their classes (by `consent_by`).
    Without it, students under 13 are refused unless their class has consent on file."""
    report = Report()
    young_rows = _under_13(roster)
    if not under13_consent:
        _refuse_without_consent(session, roster, young_rows)
    young = {row["classSourcedId"] for row in young_rows}
    people = {
        sid: _user(session, sid, row, report)
        for sid, row in roster.users.items()
        if row["role"] in TEACHING | LEARNING
    }
    owners: dict[str, User] = {}
    for row in sorted(roster.enrollments, key=lambda r: r.get("primary") != "true"):
        if row["role"] in TEACHING and row["userSourcedId"] in people:
            owners.setdefault(row["classSourcedId"], people[row["userSourcedId"]])
    classes: dict[str, Group] = {}
    new_groups: set[int] = set()
    for sourced_id, row in roster.classes.items():
        record = _record(session, "class", sourced_id)
        title = row["title"][:120]
        year = roster.school_years.get(sourced_id)
        if record is None:
            group = groups.create_group(
                session=session,
                owner=owners[sourced_id],
                kind=GroupKind.CLASSROOM,
                name=title,
                school_year=year,
            )
            session.add(OneRosterRecord(kind="class", sourced_id=sourced_id, local_id=group.id))
            new_groups.add(group.id)
            report.note("classes", sourced_id, "created")
        else:
            group = session.get(Group, record.local_id)
            if group.name != title or (year and group.school_year != year):
                group.name = title
                group.school_year = year or group.school_year
                session.add(group)
                report.note("classes", sourced_id, "updated")
            else:
                report.note("classes", sourced_id, "unchanged")
        if under13_consent and sourced_id in young and group.under13_consent_at is None:
            group.under13_consent_at = utc_now()
            group.under13_consent_by_id = consent_by.id if consent_by is not None else None
            session.add(group)
        classes[sourced_id] = group
    session.flush()
    members = {
        (m.group_id, m.user_id): m
        for m in session.exec(
            select(Membership).where(Membership.group_id.in_([g.id for g in classes.values()]))
        ).all()
    }
    for row in roster.enrollments:
        user = people.get(row["userSourcedId"])
        if user is None:
            continue  # guardians and others: not part of a class here
        group = classes[row["classSourcedId"]]
        role = Role.SUPERVISOR if row["role"] in TEACHING else Role.LEARNER
        existing = members.get((group.id, user.id))
        if existing is not None and existing.removed_at is None and existing.role is role:
            # The owner of a class made just now came in with it.
            outcome = "created" if group.id in new_groups else "unchanged"
            report.note("enrollments", row.get("sourcedId", ""), outcome)
            continue
        if existing is None:
            existing = Membership(group_id=group.id, user_id=user.id, role=role)
            outcome = "created"
        else:
            outcome = "updated"
        existing.role = role
        existing.removed_at = None
        # A teacher enrolled as a student learns here; their account stays their own.
        existing.manages_account = role is Role.LEARNER and user.kind is AccountKind.LEARNER
        existing.level = Level.INSTRUCTION if role is Role.LEARNER else None
        existing.level_since = (existing.level_since or utc_now()) if role is Role.LEARNER else None
        session.add(existing)
        members[(group.id, user.id)] = existing
        report.note("enrollments", row.get("sourcedId", ""), outcome)
    _end_enrollments(session, roster, report)
    for kind, sourced_id, _why in roster.skipped:
        report.note(kind, sourced_id, "skipped")
    session.flush()
    return report


def _end_enrollments(session: Session, roster: Roster, report: Report) -> None:
    """An enrollment marked tobedeleted takes the person out of the class (not its owner)."""
    for class_id, user_id, sourced_id in roster.ended:
        class_record = _record(session, "class", class_id)
        user_record = _record(session, "user", user_id)
        membership = None
        if class_record is not None and user_record is not None:
            membership = session.exec(
                select(Membership).where(
                    Membership.group_id == class_record.local_id,
                    Membership.user_id == user_record.local_id,
                    Membership.removed_at.is_(None),
                    Membership.is_owner.is_(False),
                )
            ).first()
        if membership is None:
            report.note("enrollments", sourced_id, "skipped")
            continue
        membership.removed_at = utc_now()
        session.add(membership)
        report.note("enrollments", sourced_id, "removed")
