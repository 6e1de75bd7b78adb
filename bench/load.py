"""Load and fault runs against real gunicorn servers, then a reconciliation with the database.

`make load` runs, on PostgreSQL and on SQLite: 50 simulated users for 60 s against
gunicorn with 2 workers (learners composing and revising, supervisors deciding, students
answering a live session), and reports requests/s, p50/p95/p99 and errors. Then every
acknowledged post, revision, decision and answer is looked up in the database: each must
be there exactly once. Fault runs: a worker killed with SIGKILL mid-run, a SQLite lock held
past the busy timeout, PostgreSQL restarted mid-run. The scale-out run serves one
PostgreSQL database from two gunicorn instances on two ports, the users spread over both.

Everything is loopback only and bounded in time. `python bench/load.py --help` for options.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from learner import cli, live  # noqa: E402
from learner.core.db import utc_now  # noqa: E402
from learner.models import (  # noqa: E402
    EventKind,
    Group,
    GroupKind,
    Level,
    LiveAnswer,
    Membership,
    PostRevision,
    PracticePost,
    Role,
    SupervisionEvent,
    User,
)
from learner.seeds import scale  # noqa: E402
from lessons import get_catalog  # noqa: E402
from tests.servers import Browserless, gunicorn  # noqa: E402

# Who may take part: enough for 50 users (30 % students, 10 % supervisors, the rest posting).
POSTERS, STUDENTS, SUPERVISORS = 34, 15, 5
# A worker killed mid-answer cuts the link (OSError) or the response (IncompleteRead).
LOST_LINK = (OSError, http.client.HTTPException)
KIND_NAMES = {
    (None, "sqlite"): "load",
    (None, "postgresql"): "load",
    ("kill", "sqlite"): "worker killed",
    ("kill", "postgresql"): "worker killed",
    ("db", "sqlite"): "database lock",
    ("db", "postgresql"): "postgres restart",
}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
POST_LINK = re.compile(r"/posts/(\d+)$")
# How the app says that something was not done (the flash of a refused live answer).
NOT_SAVED = 'class="flash flash-error"'


@dataclass
class Record:
    """What the simulated users saw, and what the server acknowledged."""

    latencies: list[float] = field(default_factory=list)
    # The same, by kind of request ("GET /groups/#/review"): where the time goes.
    by_request: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    connection_errors: int = 0
    posts: dict[str, int] = field(default_factory=dict)  # body token -> post id
    revisions: set[tuple[int, int]] = field(default_factory=set)  # (post, revision)
    decisions: set[tuple[int, int, str]] = field(default_factory=set)  # (post, revision, kind)
    answers: set[tuple[int, int]] = field(default_factory=set)  # (user, step)
    answers_not_saved: int = 0  # refused, and the student was told (the step moved on)
    friendly_503: int = 0
    logins_unfinished: int = 0  # still getting "try again" at login when the run ended
    unfriendly_5xx: int = 0
    # Saves acknowledged after a fault ended: the app recovered without a restart.
    fault_ended_at: float | None = None
    saved_after_fault: int = 0
    lock = threading.Lock()

    def timed(self, client: Browserless, path: str, data: dict | None = None):
        """One request, timed and counted; (status, body, location) or None on a lost link."""
        start = time.perf_counter()
        try:
            status, body, location = _request(client, path, data)
        except LOST_LINK:
            with self.lock:
                self.connection_errors += 1
            return None
        elapsed = (time.perf_counter() - start) * 1000
        kind = ("POST " if data is not None else "GET ") + re.sub(r"\d+", "#", path)
        with self.lock:
            self.latencies.append(elapsed)
            self.by_request.setdefault(kind, []).append(elapsed)
            self.statuses[status] += 1
            if status == 302 and self.fault_ended_at and time.monotonic() > self.fault_ended_at:
                self.saved_after_fault += 1
            if status >= 500:
                if status == 503 and "Traceback" not in body and "try again" in body.lower():
                    self.friendly_503 += 1
                else:
                    self.unfriendly_5xx += 1
        return status, body, location


def _request(client: Browserless, path: str, data: dict | None):
    import urllib.error
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(client.base_url + path, data=body)  # noqa: S310
    try:
        with client.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode(), response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers.get("Location", "") or ""


@dataclass
class World:
    """Who takes part in a run."""

    group_id: int
    session_id: int
    steps: int
    posters: list[str]
    students: list[tuple[int, str]]  # (user id, login)
    supervisors: list[str]
    teacher: str


def arrange(url: str, *, posters: int, students: int, supervisors: int) -> World:
    """Scale data (small), with the big class at the permit and a live session on."""
    cli.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "load", "RATELIMIT_ENABLED": False})
    engine = app.extensions["engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        # The small data set, with one class big enough for every simulated learner.
        size = replace(scale.SMALL, big_class=posters + students)
        scale.seed(session=session, catalog=get_catalog(), seed=1, size=size)
        group = session.exec(
            select(Group).where(Group.kind == GroupKind.CLASSROOM).order_by(Group.id)
        ).first()
        learners = session.exec(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.group_id == group.id, Membership.role == Role.LEARNER)
            .order_by(Membership.id)
        ).all()
        for membership, _user in learners:
            membership.level = Level.PERMIT
            session.add(membership)
        teacher = session.exec(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role == Role.SUPERVISOR)
        ).first()
        # More supervisors for the class: the other classes' teachers.
        others = session.exec(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id != group.id, Membership.role == Role.SUPERVISOR)
            .where(User.email.like("teacher%") | User.email.like("parent%"))
            .order_by(User.id)
            .limit(supervisors - 1)
        ).all()
        for user in others:
            session.add(Membership(group_id=group.id, user_id=user.id, role=Role.SUPERVISOR))
        module = get_catalog().get("public-by-default")
        running = live.start(
            session=session, group=group, module=module, teacher=teacher, now=utc_now()
        )
        running.step = 1 + len(module.sections)  # straight to the first question
        session.add(running)
        session.commit()
        steps = 1 + len(module.sections) + len(module.quiz) + 1
        people = [u for _m, u in learners]
        world = World(
            group_id=group.id,
            session_id=running.id,
            steps=steps,
            posters=[u.username for u in people[:posters]],
            students=[(u.id, u.username) for u in people[posters : posters + students]],
            supervisors=[teacher.email] + [u.email for u in others],
            teacher=teacher.email,
        )
    engine.dispose()
    return world


class Deadline:
    """When the simulated users stop: `seconds` after the start, never while a fault is
    on, and never sooner than half of `seconds` after a fault has ended, so that a fault
    run has time for work after its fault however slow a busy machine makes the fault."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.holding = False

    def passed(self) -> bool:
        return not self.holding and time.monotonic() >= self.at

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.at = max(self.at, time.monotonic() + self.seconds / 2)
        self.holding = False


def _login(url: str, login: str, until: Deadline, record: Record) -> Browserless | None:
    """A signed-in client. A "try again" page (a fault is on) is tried again, as a person
    would, until the run ends (then this user never got in: counted, None); anything else
    stops this user."""
    client = Browserless(url)
    while True:
        status, page = client.request("/login")
        token = _token(page) if status == 200 else None
        if token:
            data = {"csrf_token": token, "login": login, "password": scale.PASSWORD}
            status, page = client.request("/login", data)
            if status == 302:
                return client
        if status != 503:
            raise RuntimeError(f"login failed for {login}: {status}")
        if until.passed():
            with record.lock:
                record.logins_unfinished += 1
            return None
        time.sleep(0.5)


def _token(page: str) -> str | None:
    found = TOKEN.search(page)
    return found.group(1) if found else None


def learner(
    url: str, login: str, world: World, record: Record, until: Deadline, rng: random.Random
):
    """Writes posts; revises the ones a supervisor sent back."""
    client = _login(url, login, until, record)
    if client is None:
        return
    base = f"/groups/{world.group_id}"
    mine: list[int] = []
    while not until.passed():
        if mine and rng.random() < 0.3:
            post_id = rng.choice(mine)
            shown = record.timed(client, f"{base}/posts/{post_id}")
            if not shown or "waiting for your changes" not in shown[1]:
                continue
            got = record.timed(client, f"{base}/posts/{post_id}/edit")
            if got and got[0] == 200:
                revision = re.search(r'name="base_revision" type="hidden" value="(\d+)"', got[1])
                data = {
                    "csrf_token": _token(got[1]),
                    "body": f"revised {uuid.uuid4().hex}",
                    "audience": "public",
                    "base_revision": revision.group(1),
                    "action": "submit",
                }
                done = record.timed(client, f"{base}/posts/{post_id}/edit", data)
                if done and done[0] == 302:
                    with record.lock:
                        record.revisions.add((post_id, int(revision.group(1)) + 1))
            continue
        page = record.timed(client, f"{base}/posts/new")
        if not page or page[0] != 200:
            time.sleep(0.2)
            continue
        token = f"load-{uuid.uuid4().hex}"
        data = {
            "csrf_token": _token(page[1]),
            "body": f"Practice post {token}",
            "audience": "public",
            "token": uuid.uuid4().hex,
            "action": "submit",
        }
        done = record.timed(client, f"{base}/posts/new", data)
        if done and done[0] == 302 and (found := POST_LINK.search(done[2])):
            post_id = int(found.group(1))
            mine.append(post_id)
            with record.lock:
                record.posts[token] = post_id
        time.sleep(rng.uniform(0.05, 0.3))


def supervisor(
    url: str, login: str, world: World, record: Record, until: Deadline, rng: random.Random
):
    """Decides on posts in the queue: approve, or ask for changes."""
    client = _login(url, login, until, record)
    if client is None:
        return
    base = f"/groups/{world.group_id}"
    while not until.passed():
        queue = record.timed(client, f"{base}/review")
        ids = re.findall(r'id="post-(\d+)"', queue[1]) if queue and queue[0] == 200 else []
        if not ids:
            time.sleep(0.3)
            continue
        post_id = int(rng.choice(ids[:10]))
        page = record.timed(client, f"{base}/posts/{post_id}")
        if not page or page[0] != 200:
            continue
        revision = re.search(r'name="revision" type="hidden" value="(\d+)"', page[1])
        if not revision:
            continue
        kind = "approved" if rng.random() < 0.7 else "changes"
        data = {"csrf_token": _token(page[1]), "decision": kind, "revision": revision.group(1)}
        if kind == "changes":
            data["note"] = "Have another look at this."
        done = record.timed(client, f"{base}/posts/{post_id}/decision", data)
        if done and done[0] == 302:
            with record.lock:
                record.decisions.add((post_id, int(revision.group(1)), kind))
        time.sleep(rng.uniform(0.05, 0.3))


def teacher(url: str, world: World, record: Record, until: Deadline):
    """Moves the live session on every two seconds."""
    client = _login(url, world.teacher, until, record)
    if client is None:
        return
    path = f"/groups/{world.group_id}/live/{world.session_id}"
    while not until.passed():
        time.sleep(2)
        page = record.timed(client, path)
        state = record.timed(client, path + "/state")
        if not page or not state or state[0] != 200:
            continue
        current = json.loads(state[1])
        if current["ended"] or current["step"] + 1 >= world.steps - 1:
            return
        data = {"csrf_token": _token(page[1]), "action": "next", "version": current["version"]}
        record.timed(client, path + "/control", data)


def student(url: str, user: tuple[int, str], world: World, record: Record, until: Deadline):
    """Polls the live session every second and answers each question once."""
    user_id, login = user
    client = _login(url, login, until, record)
    if client is None:
        return
    path = f"/groups/{world.group_id}/live/{world.session_id}"
    answered: set[int] = set()
    while not until.passed():
        time.sleep(1)
        state = record.timed(client, path + "/state")
        if not state or state[0] != 200:
            continue
        current = json.loads(state[1])
        if current["ended"]:
            return
        if current["step"] in answered:
            continue
        page = record.timed(client, path)
        if page and f'action="{path}/join"' in page[1]:  # not joined yet: join, then look
            record.timed(client, path + "/join", {"csrf_token": _token(page[1])})
            page = record.timed(client, path)
        if not page or 'class="live-answer"' not in page[1]:
            continue
        step = int(re.search(r'name="step" value="(\d+)"', page[1]).group(1))
        choice = re.search(r'name="choice" value="([^"]+)"', page[1]).group(1)
        data = {"csrf_token": _token(page[1]), "step": step, "choice": choice}
        done = record.timed(client, path + "/answer", data)
        if not done or done[0] != 302 or not done[2].endswith(path):
            continue
        # Saved or not, the answer redirects to the live page: what that page tells the
        # student (as a browser would show it) is the acknowledgement.
        landed = record.timed(client, path)
        saved = answer_saved(landed[0], landed[1]) if landed else None
        if saved:
            answered.add(step)
            with record.lock:
                record.answers.add((user_id, step))
        elif saved is False:
            with record.lock:
                record.answers_not_saved += 1


def answer_saved(status: int, page: str) -> bool | None:
    """What the live page a student lands on after answering says: saved (True), not
    saved (False, an error message such as "your teacher moved on"), or nothing to go by
    (None: the page did not come)."""
    if status != 200:
        return None
    return NOT_SAVED not in page


def drive(urls: list[str], world: World, seconds: float, users: int, fault=None) -> Record:
    """Run the simulated users (spread over the given servers) for `seconds`."""
    record = Record()
    until = Deadline(seconds)
    rng = random.Random(7)
    plan = []
    n_students = min(len(world.students), max(1, users * 3 // 10))
    n_supervisors = min(len(world.supervisors), max(1, users // 10))
    n_learners = min(len(world.posters), max(1, users - n_students - n_supervisors - 1))
    for i, login in enumerate(world.posters[:n_learners]):
        plan.append((learner, (urls[i % len(urls)], login, world, record, until, random.Random(i))))
    for i, login in enumerate(world.supervisors[:n_supervisors]):
        plan.append(
            (supervisor, (urls[i % len(urls)], login, world, record, until, random.Random(100 + i)))
        )
    for i, user in enumerate(world.students[:n_students]):
        plan.append((student, (urls[i % len(urls)], user, world, record, until)))
    plan.append((teacher, (urls[0], world, record, until)))
    rng.shuffle(plan)
    threads = [
        threading.Thread(target=_safely, args=(target, args, record)) for target, args in plan
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if fault is not None:
        time.sleep(seconds / 3)
        until.hold()
        try:
            fault()
        finally:
            record.fault_ended_at = time.monotonic()
            until.release()
    for thread in threads:
        thread.join()
    record.elapsed = time.monotonic() - started
    record.users = len(plan)
    return record


def _safely(target, args, record: Record) -> None:
    try:
        target(*args)
    except LOST_LINK:
        with record.lock:
            record.connection_errors += 1


def reconcile(url: str, record: Record) -> dict:
    """Every acknowledged thing is in the database exactly once; what else was saved."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "load", "RATELIMIT_ENABLED": False})
    engine = app.extensions["engine"]
    problems = []
    with Session(engine) as session:
        saved = {}
        for post_id, body in session.exec(
            select(PostRevision.post_id, PostRevision.body).where(
                PostRevision.number == 1, PostRevision.body.like("Practice post load-%")
            )
        ).all():
            token = body.removeprefix("Practice post ")
            saved.setdefault(token, []).append(post_id)
        for token, post_id in record.posts.items():
            if saved.get(token) != [post_id]:
                problems.append(f"post {token}: acknowledged {post_id}, saved {saved.get(token)}")
        unacknowledged = sorted(set(saved) - set(record.posts))
        revisions = set(session.exec(select(PostRevision.post_id, PostRevision.number)).all())
        problems += [f"revision {r} missing" for r in record.revisions if r not in revisions]
        events = Counter(
            (post_id, revision, kind.value)
            for post_id, revision, kind in session.exec(
                select(
                    SupervisionEvent.post_id, SupervisionEvent.revision, SupervisionEvent.kind
                ).where(
                    SupervisionEvent.kind.in_([EventKind.APPROVED, EventKind.CHANGES_REQUESTED])
                )
            ).all()
        )
        problems += [
            f"decision {d} counted {events[d]} times" for d in record.decisions if events[d] != 1
        ]
        twice = [key for key, n in events.items() if n > 1]
        problems += [f"two decisions on one revision: {key}" for key in twice]
        live_rows = Counter(
            session.exec(
                select(Membership.user_id, LiveAnswer.step).join(
                    Membership, Membership.id == LiveAnswer.membership_id
                )
            ).all()
        )
        problems += [
            f"answer {a} counted {live_rows[a]} times" for a in record.answers if live_rows[a] != 1
        ]
        posts = session.exec(select(func.count(PracticePost.id))).one()
    engine.dispose()
    return {
        "posts_acknowledged": len(record.posts),
        "posts_saved_not_acknowledged": len(unacknowledged),
        "revisions_acknowledged": len(record.revisions),
        "decisions_acknowledged": len(record.decisions),
        "answers_acknowledged": len(record.answers),
        "answers_not_saved": record.answers_not_saved,
        "posts_in_database": posts,
        "problems": problems[:20],
        "problem_count": len(problems),
    }


def summary(name: str, database: str, record: Record, check: dict) -> dict:
    """One line of the report."""
    lat = sorted(record.latencies) or [0.0]

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(len(lat) * p))], 1)

    fivexx = sum(n for s, n in record.statuses.items() if s >= 500)
    return {
        "run": name,
        "database": database,
        "users": record.users,
        "seconds": round(record.elapsed, 1),
        "requests": len(record.latencies),
        "requests_per_s": round(len(record.latencies) / record.elapsed, 1),
        "p50_ms": round(statistics.median(lat), 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "status": dict(sorted(record.statuses.items())),
        "5xx": fivexx,
        "friendly_503": record.friendly_503,
        "unfriendly_5xx": record.unfriendly_5xx,
        "connection_errors": record.connection_errors,
        "logins_unfinished": record.logins_unfinished,
        "saved_after_fault": record.saved_after_fault,
        # Per kind of request: how many, the median, and the share of all the time spent.
        "by_request": {
            kind: {
                "n": len(times),
                "p50_ms": round(statistics.median(times), 1),
                "share": round(sum(times) / max(1e-9, sum(lat)), 3),
            }
            for kind, times in sorted(record.by_request.items(), key=lambda kv: -sum(kv[1]))
        },
        **check,
    }


def _failed_login_status(url: str, *, timeout: float) -> int | None:
    """The status of one wrong-password login (a write), or None when the link was lost."""
    try:
        return Browserless(url, timeout=timeout).submit(
            "/login", {"login": "nobody@example.com", "password": "not this one"}
        )[0]
    except LOST_LINK:
        return None


def _friendly_503(url: str, *, timeout: float) -> bool:
    """Whether a write now gets the friendly 'try again' page (the database is locked)."""
    try:
        status, body = Browserless(url, timeout=timeout).submit(
            "/login", {"login": "nobody@example.com", "password": "not this one"}
        )
    except LOST_LINK:
        return False
    return status == 503 and "try again" in body.lower()


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def run(
    database: str, url, folder: Path, *, seconds: float, users: int, kinds, pg=None
) -> list[dict]:
    """Runs of the given kinds (None: plain load; "kill", "db": faults), each on fresh data."""
    results = []
    runs = [(KIND_NAMES[(kind, database)], kind) for kind in kinds]
    for n, (name, kind) in enumerate(runs):
        fault_kind = kind
        run_url = url(f"{database}_{kind or 'load'}")
        world = arrange(run_url, posters=POSTERS, students=STUDENTS, supervisors=SUPERVISORS)
        logs = folder / f"{database}-{n}"
        logs.mkdir(parents=True, exist_ok=True)
        probes: list[bool] = []
        after: list[bool] = []
        with gunicorn(run_url, logs, workers=2, kills_expected=fault_kind == "kill") as server:
            fault = None
            if fault_kind == "kill":

                def fault(server=server):
                    os.kill(_workers(server.process.pid)[0], signal.SIGKILL)
            elif fault_kind == "db" and database == "sqlite":
                database_file = run_url.removeprefix("sqlite:///")

                def fault(path=database_file, server=server, probes=probes, after=after):
                    # Taking the lock waits its turn: on a busy machine the app's own
                    # write transactions can hold it for longer than a second.
                    holder = sqlite3.connect(path, timeout=30)
                    holder.execute("BEGIN IMMEDIATE")
                    held = time.monotonic()
                    # One write of our own while the lock is held must get the friendly
                    # page, whatever the simulated users happen to be doing just then. With
                    # many users it may not get a worker in time: then theirs count.
                    probes.append(_friendly_503(server.url, timeout=10))
                    # Hold it longer than the app's 5 s busy timeout in all.
                    time.sleep(max(0.0, 7 - (time.monotonic() - held)))
                    holder.rollback()
                    holder.close()
                    # Once the lock is gone, writing works again without a restart (a
                    # failed login is a write: it is counted towards the throttle).
                    after.append(_failed_login_status(server.url, timeout=60) == 401)
            elif fault_kind == "db":

                def fault(pg=pg):
                    pg.restart()

            record = drive([server.url], world, seconds, users, fault)
        if record.unfriendly_5xx:
            print((logs / "gunicorn.log").read_text(), file=sys.stderr)
        line = summary(name, database, record, reconcile(run_url, record))
        if probes:
            line["lock_probe_friendly"] = all(probes)
            line["writes_after_lock"] = bool(after) and all(after)
        results.append(line)
    return results


def scale_out(url: str, folder: Path, *, seconds: float, users: int) -> dict:
    """Two app instances on two ports, one PostgreSQL; the users spread over both."""
    world = arrange(url, posters=POSTERS, students=STUDENTS, supervisors=SUPERVISORS)
    with ExitStack() as stack:
        servers = []
        for n in range(2):
            logs = folder / f"instance-{n}"
            logs.mkdir(parents=True, exist_ok=True)
            servers.append(stack.enter_context(gunicorn(url, logs, workers=2)))
        record = drive([s.url for s in servers], world, seconds, users)
        # Throttling is shared: wrong passwords on one instance lock the account on the other.
        victim = world.posters[-1]
        for i in range(5):
            Browserless(servers[i % 2].url).submit(
                "/login", {"login": victim, "password": "wrong password"}
            )
        throttled = Browserless(servers[1].url).submit(
            "/login", {"login": victim, "password": scale.PASSWORD}
        )[0]
    line = summary("two instances", "postgresql", record, reconcile(url, record))
    line["throttle_shared"] = throttled == 429
    if not line["throttle_shared"]:
        line["problem_count"] += 1
        line["problems"].append(f"login after 5 failures on two instances answered {throttled}")
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--fault-seconds", type=float, default=20)
    parser.add_argument("--no-faults", action="store_true")
    args = parser.parse_args()
    results = []
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        kinds = [None] if args.no_faults else [None, "kill", "db"]
        if args.database in ("postgresql", "both"):
            from tests.pgserver import PostgresServer

            pg = PostgresServer()
            pg.start()
            stack.callback(pg.stop)
            results += run(
                "postgresql",
                pg.create_database,
                folder,
                seconds=args.seconds,
                users=args.users,
                kinds=kinds[:1],
                pg=pg,
            )
            results += run(
                "postgresql",
                pg.create_database,
                folder,
                seconds=args.fault_seconds,
                users=args.users,
                kinds=kinds[1:],
                pg=pg,
            )
            results.append(
                scale_out(
                    pg.create_database("scale_out"),
                    folder,
                    seconds=args.fault_seconds,
                    users=args.users,
                )
            )
        if args.database in ("sqlite", "both"):
            results += run(
                "sqlite",
                lambda name: f"sqlite:///{folder}/{name}.db",
                folder,
                seconds=args.seconds,
                users=args.users,
                kinds=kinds[:1],
            )
            results += run(
                "sqlite",
                lambda name: f"sqlite:///{folder}/{name}.db",
                folder,
                seconds=args.fault_seconds,
                users=args.users,
                kinds=kinds[1:],
            )
    for line in results:
        print(json.dumps(line))
    columns = ("run", "database", "requests_per_s", "p50_ms", "p95_ms", "p99_ms")
    counts = ("unfriendly_5xx", "friendly_503", "connection_errors", "problem_count")
    print("\n" + " ".join(f"{c:>14}" for c in columns + counts))
    for r in results:
        print(" ".join(f"{r[c]!s:>14}" for c in columns + counts))
    for r in results:
        print(f"\n{r['run']} on {r['database']}: where the time went")
        for kind, figures in list(r["by_request"].items())[:8]:
            print(
                f"  {kind:<48} {figures['n']:>6} requests, p50 {figures['p50_ms']:>7} ms,"
                f" {figures['share']:.0%} of the time"
            )
    if any(r["problem_count"] or r["unfriendly_5xx"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
