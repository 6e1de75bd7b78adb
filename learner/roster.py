"""Class lists: a teacher's CSV file becomes student accounts, all of them or none.

`read_roster` checks the whole file first and lists every problem by the row number the
teacher sees in their spreadsheet (the header is row 1); `create_roster` then makes the
accounts in the caller's transaction and returns the passwords, in clear, this once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner import accounts, groups
from learner.errors import AccountError
from learner.models import AgeBand, Group, Membership, Role, User

MAX_STUDENTS = 200
MAX_BYTES = 1_000_000  # 200 students fit in a few dozen kilobytes
MAX_NAME_LENGTH = 80
MAX_REPORTED = 50
NAME_HEADINGS = frozenset({"display name", "name"})
USERNAME_HEADINGS = frozenset({"username", "user name"})
# What a spreadsheet may run as a formula when the file is opened again (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@")
EXAMPLE = "display name,username\nMaya Lopez,\nSam Kim,sam.k\nSam Patel,\n"

# Letters that Unicode does not decompose into a base letter and an accent.
_ASCII_SPELLING = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


@dataclass(frozen=True)
class Problem:
    """Something wrong in the file: its spreadsheet row (None for the whole file) and why."""

    row: int | None
    message: str


class RosterError(Exception):
    """A class list that cannot be used as it is; `problems` are in row order."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the class list")
        self.problems = sorted(problems, key=lambda problem: problem.row or 0)

    @property
    def shown(self) -> list[Problem]:
        """The problems a report lists; the rest are only counted."""
        return self.problems[:MAX_REPORTED]

    @property
    def more(self) -> int:
        """How many problems the report leaves out."""
        return max(0, len(self.problems) - MAX_REPORTED)


@dataclass(frozen=True)
class RosterRow:
    """A student to create: their spreadsheet row, name and username (given or made)."""

    row: int
    display_name: str
    username: str
    username_given: bool


@dataclass(frozen=True)
class Roster:
    """A class list that passed every check, and how many blank rows it skipped."""

    rows: list[RosterRow]
    blank_rows: int


@dataclass(frozen=True)
class CreatedLogin:
    """A new account's login for its card; the password exists in clear only here."""

    display_name: str
    username: str
    password: str = field(repr=False)


def read_roster(data: bytes, *, taken_usernames: set[str]) -> Roster:
    """Check a whole class list and give every student a username.

    Raises RosterError listing every problem found, so the teacher fixes the file once.
    """
    text = decode_csv(data)
    heading_row, columns = None, {}
    students: list[tuple[int, list[str]]] = []
    total = blank = 0
    for row, cells in csv_records(text):
        filled = any(cell.strip() for cell in cells)
        if heading_row is None:
            if filled:  # blank rows above the header are not worth a word
                heading_row, columns = row, _columns(row, cells)
        elif not filled:
            blank += 1
        else:
            total += 1
            if total <= MAX_STUDENTS:
                students.append((row, cells))
    if heading_row is None:
        raise RosterError([Problem(None, _l("The file is empty."))])
    if total > MAX_STUDENTS:
        message = _l(
            "The file has %(count)s students; one file can add at most %(max)s. "
            "Split the list into smaller files.",
            count=total,
            max=MAX_STUDENTS,
        )
        raise RosterError([Problem(None, message)])
    if not total:
        raise RosterError([Problem(None, _l("The file has a header row but no students."))])
    accepted = _check_rows(students, columns, taken_usernames)
    return Roster(rows=_with_usernames(accepted, taken_usernames), blank_rows=blank)


def usernames_in_use(session: Session) -> set[str]:
    """Every username taken so far, to check a class list against (one query)."""
    return set(session.exec(select(User.username).where(User.username.is_not(None))).all())


def create_roster(
    *, session: Session, group: Group, rows: list[RosterRow], age_band: AgeBand
) -> list[CreatedLogin]:
    """Make every student's account in the group at the instruction level, managed by its
    supervisors. Raises RosterError naming the rows that failed; the caller then rolls
    back, so a class list is created whole or not at all."""
    _refuse_students_already_there(session, group, rows)
    logins = []
    for row in rows:
        password = _password_for(row)
        try:
            user, _membership = accounts.create_learner_account(
                session=session,
                group=group,
                username=row.username,
                display_name=row.display_name,
                age_band=age_band,
                password=password,
            )
        except AccountError as error:
            raise RosterError([Problem(row.row, error.message)]) from error
        except IntegrityError as error:  # the same username, made at the same moment
            message = _l("This username was taken a moment ago. Upload the file again.")
            raise RosterError([Problem(row.row, message)]) from error
        logins.append(
            CreatedLogin(display_name=user.display_name, username=user.username, password=password)
        )
    return logins


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file; RosterError when it is too big or not UTF-8."""
    if len(data) > MAX_BYTES:
        message = _l(
            "The file is larger than 1 MB, far more than a class list. Check that it is the "
            "right file."
        )
        raise RosterError([Problem(None, message)])
    try:
        text: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:  # NUL bytes: UTF-16 or a binary file
        message = _l(
            "The file is not CSV UTF-8. In your spreadsheet, save it with File > Save As > "
            "CSV UTF-8 (or download it as CSV), then upload that file."
        )
        raise RosterError([Problem(None, message)])
    return text


def csv_records(text: str):
    """(row number, cells) for each record; a quoted line break stays inside its row."""
    heading = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=heading.count)  # European Excel writes ';'
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            yield row, cells
    except csv.Error as error:
        message = _l(
            "This row cannot be read (%(reason)s). Check it for a stray quotation mark.",
            reason=str(error),
        )
        raise RosterError([Problem(row + 1, message)]) from error


def _columns(row: int, cells: list[str]) -> dict[str, int]:
    """Where the name and username are, from the header row; raises RosterError."""
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    for index, cell in enumerate(cells):
        heading = " ".join(cell.replace("_", " ").split()).casefold()
        if not heading:
            continue  # an empty column; a value under it is a problem of its row
        if heading in NAME_HEADINGS:
            column = "name"
        elif heading in USERNAME_HEADINGS:
            column = "username"
        else:
            column = None
        if column is None:
            unknown.append(cell)
        elif column in columns:
            repeated.append(cell)
        else:
            columns[column] = index
    if "name" not in columns:
        message = _l(
            "The first row must name the columns: “display name” and, if you like, "
            "“username”. It has: %(found)s.",
            found=_quoted(cell for cell in cells if cell.strip()),
        )
        raise RosterError([Problem(row, message)])
    problems = []
    if unknown:
        message = _l(
            "Unknown columns: %(names)s. Keep only “display name” and “username”.",
            names=_quoted(unknown),
        )
        problems.append(Problem(row, message))
    if repeated:
        message = _l("These columns repeat another one: %(names)s.", names=_quoted(repeated))
        problems.append(Problem(row, message))
    if problems:
        raise RosterError(problems)
    return columns


def _check_rows(
    students: list[tuple[int, list[str]]], columns: dict[str, int], taken: set[str]
) -> list[tuple[int, str, str | None]]:
    """(row, name, username or None) for every student; raises RosterError otherwise."""
    problems: list[Problem] = []
    accepted = []
    rows_by_name: dict[str, list[tuple[int, str | None]]] = {}
    row_by_username: dict[str, int] = {}
    for row, cells in students:
        raw_name = _cell(cells, columns.get("name"))
        raw_username = _cell(cells, columns.get("username"))
        found = _row_problems(cells, columns, raw_name, raw_username)
        name = " ".join(raw_name.split())
        username = accounts.normalize_username(raw_username) or None
        if username and not _cell_problems(raw_username, is_name=False):
            found += _username_problems(username, raw_username, taken, row_by_username)
            row_by_username.setdefault(username, row)
        if name:
            same = rows_by_name.setdefault(name.casefold(), [])
            other = next((r for r, u in same if not (username and u and u != username)), None)
            if other is not None:
                found.append(
                    _l(
                        "“%(name)s” is also on row %(other)s. Give each a different "
                        "username, or tell them apart (an initial is enough).",
                        name=_short(name),
                        other=other,
                    )
                )
            same.append((row, username))
        problems += [Problem(row, message) for message in found]
        accepted.append((row, name, username))
    if problems:
        raise RosterError(problems)
    return accepted


def _row_problems(cells: list[str], columns: dict[str, int], name: str, username: str) -> list:
    found = []
    stray = next(
        (i for i, cell in enumerate(cells) if cell.strip() and i not in columns.values()), None
    )
    if stray is not None:
        found.append(
            _l(
                "Column %(column)s has something in it, but no heading in the first row.",
                column=_column_letter(stray),
            )
        )
    if not name.strip():
        found.append(
            _l("There is a username but no name.") if username.strip() else _l("The name is empty.")
        )
    found += _cell_problems(name, is_name=True) + _cell_problems(username, is_name=False)
    if len(" ".join(name.split())) > MAX_NAME_LENGTH:
        found.append(_l("The name is longer than %(max)s characters.", max=MAX_NAME_LENGTH))
    return found


def _cell_problems(value: str, *, is_name: bool) -> list:
    """A cell a spreadsheet could run as a formula, or one hiding a line break or tab."""
    found = []
    if value.strip().startswith(FORMULA_STARTS):
        found.append(
            _l("The name starts with =, +, - or @, which a spreadsheet could run as a formula.")
            if is_name
            else _l(
                "The username starts with =, +, - or @, which a spreadsheet could run as a formula."
            )
        )
    if any(unicodedata.category(char) == "Cc" for char in value):
        found.append(
            _l("The name contains a tab or a line break.")
            if is_name
            else _l("The username contains a tab or a line break.")
        )
    return found


def _username_problems(
    username: str, typed: str, taken: set[str], row_by_username: dict[str, int]
) -> list:
    if not accounts.USERNAME_RE.match(username):
        return [
            _l(
                "The username “%(username)s” does not follow the rules: 3 to 40 letters, "
                "digits, dots, dashes or underscores, starting with a letter or digit.",
                username=_short(typed.strip()),
            )
        ]
    if username in taken:
        return [
            _l(
                "The username “%(username)s” is taken. Choose another, or leave it empty "
                "and one is made.",
                username=username,
            )
        ]
    if username in row_by_username:
        return [
            _l(
                "The username “%(username)s” is also on row %(other)s.",
                username=username,
                other=row_by_username[username],
            )
        ]
    return []


def _with_usernames(
    accepted: list[tuple[int, str, str | None]], taken: set[str]
) -> list[RosterRow]:
    """Give each student without a username one made from their name, unique everywhere."""
    reserved = taken | {username for _row, _name, username in accepted if username}
    rows = []
    for row, name, username in accepted:
        given = username is not None
        if not given:
            username = _new_username(name, reserved)
            reserved.add(username)
        rows.append(RosterRow(row=row, display_name=name, username=username, username_given=given))
    return rows


def _new_username(name: str, reserved: set[str]) -> str:
    """maya.lopez, then maya.lopez2, maya.lopez3... within the username rules."""
    spelled = unicodedata.normalize("NFKD", name.casefold().translate(_ASCII_SPELLING))
    ascii_name = spelled.encode("ascii", "ignore").decode().replace("'", "")
    base = re.sub(r"[^a-z0-9]+", ".", ascii_name).strip(".") or "student"
    for n in count(1):
        # Usernames have at least 3 characters: "Li" becomes li1, "A" a01.
        suffix = "" if n == 1 and len(base) >= 3 else str(n).zfill(3 - len(base))
        candidate = base[: 40 - len(suffix)].rstrip(".") + suffix
        if candidate not in reserved and accounts.USERNAME_RE.match(candidate):
            return candidate
    raise AssertionError("unreachable")


def new_cards(
    *,
    session: Session,
    students: list[tuple[Membership, User]],
    supervisor: User,
    now: datetime,
) -> list[CreatedLogin]:
    """New passwords for students whose accounts the group manages (the caller asked the
    policy about each), for new login cards: the old passwords and every open session stop
    working, and each student's transparency log says who did it and when."""
    logins = []
    for membership, user in students:
        password = accounts.reset_learner_password(
            session=session, learner=user, membership=membership, supervisor=supervisor, now=now
        )
        logins.append(
            CreatedLogin(
                display_name=user.display_name, username=user.login_name, password=password
            )
        )
    session.flush()
    return logins


def _password_for(row: RosterRow) -> str:
    """A generated password that passes the rules (it must not contain the student's name)."""
    return accounts.generated_password(row.username, row.display_name)


def _refuse_students_already_there(session: Session, group: Group, rows: list[RosterRow]) -> None:
    """The same list uploaded twice would make everyone a second account: refuse names
    already in the class, unless the file gives a username to tell a namesake apart."""
    existing = session.exec(
        select(User.display_name, User.username, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(
            groups.current_members(group.id, role=Role.LEARNER),
        )
    ).all()
    logins = {name.casefold(): username or email for name, username, email in existing}
    problems = [
        Problem(
            row.row,
            _l(
                "“%(name)s” is already in this class (username %(login)s). Remove the row, "
                "or give a username if this is another student.",
                name=_short(row.display_name),
                login=logins[row.display_name.casefold()],
            ),
        )
        for row in rows
        if not row.username_given and row.display_name.casefold() in logins
    ]
    if problems:
        raise RosterError(problems)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _column_letter(index: int) -> str:
    """A spreadsheet's name for a column: A, B, ... Z, AA, AB..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _quoted(values) -> str:
    return ", ".join(f"“{_short(value.strip())}”" for value in values)
