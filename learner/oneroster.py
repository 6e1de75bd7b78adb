"""OneRoster 1.1 CSV import: a district's zip becomes classes, teachers and students.

The zip holds `manifest.csv` and, in bulk mode, `orgs.csv`, `users.csv`, `classes.csv`,
`enrollments.csv` (and `academicSessions.csv` for the school year). Everything is read
and checked first; one problem anywhere and nothing is saved, and the report lists every
problem by file and spreadsheet row (the header is row 1). Records are matched by their
`sourcedId` (kept in `oneroster_record`), so importing the same file again changes
nothing, and a changed name or title updates the one it names.

Accounts made here have a password nobody knows: students sign in through the learning
platform, or their teacher resets the password (the class manages their accounts).
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


def _active(row: dict) -> bool:
    return row.get("status", "") in ("", "active")


def _index(rows: list[dict], name: str, problems: list[Problem]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for number, row in enumerate(rows, start=2):
        sourced_id = row.get("sourcedId", "")
        if not sourced_id or len(sourced_id) > 255:
            problems.append(Problem(f"{name}.csv", number, str(_l("Give every row a sourcedId."))))
        elif sourced_id in found:
            problems.append(
                Problem(f"{name}.csv", number, str(_l("This sourcedId is used twice.")))
            )
        elif _active(row):
            found[sourced_id] = row | {"_row": number}
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
    users = _index(tables["users"], "users", problems)
    classes = _index(tables["classes"], "classes", problems)
    terms = _index(sessions or [], "academicSessions", problems)
    for sourced_id, row in users.items():
        if row["role"] not in ROLES:
            problems.append(
                Problem(
                    "users.csv", row["_row"], str(_l("Unknown role %(role)s.", role=row["role"]))
                )
            )
        if not (row["givenName"] or row["familyName"] or row["username"]):
            problems.append(Problem("users.csv", row["_row"], str(_l("Give the person a name."))))
        del sourced_id
    for row in classes.values():
        if not row["title"]:
            problems.append(Problem("classes.csv", row["_row"], str(_l("Give the class a title."))))
        if row["schoolSourcedId"] not in orgs:
            problems.append(
                Problem("classes.csv", row["_row"], str(_l("The school is not in orgs.csv.")))
            )
    enrollments = []
    teachers_of: dict[str, int] = Counter()
    for number, row in enumerate(tables["enrollments"], start=2):
        if not _active(row):
            continue
        if row.get("classSourcedId") not in classes:
            problems.append(
                Problem("enrollments.csv", number, str(_l("The class is not in classes.csv.")))
            )
            continue
        if row.get("userSourcedId") not in users:
            problems.append(
                Problem("enrollments.csv", number, str(_l("The person is not in users.csv.")))
            )
            continue
        if row.get("role") not in ROLES:
            problems.append(Problem("enrollments.csv", number, str(_l("Unknown role."))))
            continue
        if row["role"] in TEACHING:
            teachers_of[row["classSourcedId"]] += 1
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
    years = {}
    for sourced_id, row in classes.items():
        for term in row["termSourcedIds"].split(","):
            if term.strip() in terms and terms[term.strip()]["schoolYear"]:
                years[sourced_id] = terms[term.strip()]["schoolYear"][:20]
                break
    return Roster(
        orgs=orgs, users=users, classes=classes, enrollments=enrollments, school_years=years
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


def apply(*, session: Session, roster: Roster) -> Report:
    """Create or update everything in the caller's transaction (commit or roll back there)."""
    report = Report()
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
        existing.manages_account = role is Role.LEARNER
        existing.level = Level.INSTRUCTION if role is Role.LEARNER else None
        existing.level_since = (existing.level_since or utc_now()) if role is Role.LEARNER else None
        session.add(existing)
        members[(group.id, user.id)] = existing
        report.note("enrollments", row.get("sourcedId", ""), outcome)
    session.flush()
    return report
