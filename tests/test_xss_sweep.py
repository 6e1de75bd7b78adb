"""Stored XSS sweep: every payload goes into every text field people can fill in, then every
page that shows them is parsed: no script, event handler, dangerous URL or stray element
may come out of user text anywhere. CSV exports are checked for formula cells."""

from __future__ import annotations

import copy
import csv
import io
import re
from datetime import date, timedelta
from html import unescape
from html.parser import HTMLParser

import pytest

from learner import agreements, classroom, ladder, practice, profile, progress, workplace
from learner.core.db import utc_now
from learner.models import AccountKind, Audience, EventKind, GroupKind, Level
from tests.factories import (
    add_supervisor,
    decide,
    make_group,
    make_learner,
    make_post,
    make_supervisor,
    real_catalog,
    set_level,
)
from tests.helpers import login, post

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table>"
    "</mtext></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "{{ 7*7 }}",
    "{% print(1) %}",
    "${7*7}",
    "<%= 7*7 %>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=&#x61;lert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<x onclick=alert(1)>click</x>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
]
MARKERS = ("lert(1)", "7*7", "print(1)", "msgbox(1)", "evil.example", "base64,")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}
FORBIDDEN_TAGS = {"base", "iframe", "object", "embed", "style", "frame", "frameset", "applet"}


class Scanner(HTMLParser):
    """Collects what in a page could run: scripts, handlers, dangerous URLs, odd elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        found = dict(attrs)
        if tag == "script" and not (found.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script> {found}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in found:
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value:
                cleaned = re.sub(r"[\x00-\x20]", "", unescape(value)).lower()
                if cleaned.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}={value!r}>")


def scan(html: str) -> list[str]:
    scanner = Scanner()
    scanner.feed(html)
    return scanner.problems


def _world(db, payload: str):
    """Every text field of every setting filled with the payload, through the services."""
    name = f"Ann {payload}"[:80]
    parent = make_supervisor(db, name=name)
    family = make_group(db, parent)
    family.name = payload[:120]
    teen, teen_m = make_learner(db, family)
    friend, friend_m = make_learner(db, family)
    for user in (teen, friend):
        user.display_name = f"Teen {payload}"[:80]
        db.add(user)
    db.add(family)
    db.commit()
    set_level(db, teen_m, Level.PERMIT)
    set_level(db, friend_m, Level.LICENSED)
    now = utc_now()
    body = (payload + " my password is Sunflower2009")[:1000]
    pending = make_post(db, family, teen_m, body)
    published = make_post(db, family, friend_m, payload, audience=Audience.PUBLIC)
    make_post(db, family, teen_m, payload, parent=published)
    decide(db, pending, by=parent, decision=EventKind.COMMENTED, note=payload, when=now)
    rule = practice.findings_of(db, [practice.current_revision(db, pending).id])
    first = next(iter(rule.values()))[0].rule
    practice.dismiss_rule(
        session=db, post=pending, supervisor=parent, rule=first, reason=payload, now=now
    )
    practice.flag(session=db, post=published, supervisor=parent, note=payload, now=now)
    module = real_catalog().get("public-by-default")
    progress.mark_discussed(
        session=db, membership=teen_m, module=module, supervisor=parent, note=payload, now=now
    )
    agreements.propose(
        session=db,
        membership=teen_m,
        proposer=parent,
        terms={t: payload for t in agreements.REQUIRED_TERMS},
        now=now,
    )
    profile.save_brand(
        session=db,
        user=teen,
        handle="safe_handle",
        display_name=payload[:80],
        bio=payload[:160],
        avatar=None,
        now=now,
    )
    ladder.step_back(
        session=db,
        membership=friend_m,
        group=family,
        supervisor=parent,
        learner=friend,
        expected_level=Level.LICENSED,
        reason=payload,
        now=now,
    )
    db.commit()
    # A class with the teen in it, and a workplace with a policy written in Markdown.
    teacher = make_supervisor(db, kind=AccountKind.TEACHER, name=f"Tia {payload}"[:80])
    klass = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    klass.school_year = payload[:20]
    student, _sm = make_learner(db, klass)
    student.display_name = f"Stu {payload}"[:80]
    db.add_all([klass, student])
    classroom.assign(
        session=db,
        group=klass,
        module=module,
        due_on=date.today() + timedelta(days=1),
        teacher=teacher,
        today=date.today(),
    )
    admin = make_supervisor(db, kind=AccountKind.ORG_ADMIN, name=f"Ola {payload}"[:80])
    company = make_group(db, admin, kind=GroupKind.WORKPLACE)
    staff, _staff_m = make_learner(db, company)
    staff.display_name = f"Sid {payload}"[:80]
    db.add(staff)
    version = workplace.save_draft(
        session=db,
        group=company,
        title=payload[:160],
        body=f"## {payload}\n\n{payload}\n\n- {payload}",
        editor=admin,
        now=now,
    )
    workplace.publish(session=db, group=company, version=version, admin=admin, now=now)
    workplace.acknowledge(
        session=db, version=version, user=staff, typed_name=f"{staff.display_name} X", now=now
    )
    add_supervisor(db, company, make_supervisor(db))
    db.commit()
    g, c, w = family.id, klass.id, company.id
    m = teen_m.id
    pages = {
        parent: [
            "/dashboard",
            f"/groups/{g}",
            f"/groups/{g}/feed",
            f"/groups/{g}/review",
            f"/groups/{g}/posts/{pending.id}",
            f"/groups/{g}/posts/{published.id}",
            f"/groups/{g}/members/{m}/progress",
            f"/groups/{g}/members/{m}/ladder",
            f"/groups/{g}/members/{m}/log",
            f"/groups/{g}/members/{friend_m.id}/log",
            f"/groups/{g}/members/{m}/agreement",
            "/notifications",
            "/account/data/readable",
        ],
        teen: [
            "/dashboard",
            f"/groups/{g}/posts/{pending.id}",
            f"/groups/{g}/posts/{pending.id}/edit",
            f"/groups/{g}/members/{m}/log",
            f"/groups/{g}/members/{m}/visibility",
            "/brand",
            "/brand/preview",
            "/notifications",
            f"/groups/{g}/feed",
            "/account/data/readable",
        ],
        friend: [
            f"/groups/{g}/members/{friend_m.id}/log",
            "/notifications",
            "/account/data/readable",
        ],
        teacher: [f"/groups/{c}", f"/groups/{c}/dashboard", f"/groups/{c}/assignments"],
        admin: [
            f"/groups/{w}",
            f"/groups/{w}/report",
            f"/groups/{w}/policy",
            f"/groups/{w}/policy/edit",
            f"/groups/{w}/policy/versions/{version.id}",
        ],
        staff: [f"/groups/{w}/policy", "/dashboard", "/account/data/readable"],
    }
    exports = {teacher: [f"/groups/{c}/dashboard/progress.csv"], admin: [f"/groups/{w}/report.csv"]}
    return pages, exports


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_payload_runs_anywhere(client, db):
    # One database is enough here: escaping does not depend on it.
    failures = []
    for payload in PAYLOADS:
        pages, exports = _world(db, payload)
        for user, urls in pages.items():
            login(client, user)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (payload, url, response.status_code)
                html = response.get_data(as_text=True)
                failures += [(payload, url, p) for p in scan(html)]
                if url.endswith("/feed"):
                    # The payload is really there, shown as text.
                    assert any(t in unescape(html) for t in MARKERS), (payload, url)
        for user, urls in exports.items():
            login(client, user)
            for url in urls:
                rows = csv.reader(
                    io.StringIO(client.get(url).get_data(as_text=True).lstrip("\ufeff"))
                )
                failures += [
                    (payload, url, cell)
                    for row in rows
                    for cell in row
                    if cell.startswith(("=", "+", "-", "@"))
                ]
        # The coach's try page echoes what was typed.
        response = post(client, "/coach", {"text": payload})
        failures += [(payload, "/coach", p) for p in scan(response.get_data(as_text=True))]
    assert failures == []


def test_the_scanner_catches_what_it_should():
    assert scan("<p>ok</p><script src='/static/js/site.js'></script>") == []
    for html in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='java&#x09;script:alert(1)'>x</a>",
        "<base href='https://evil.example/'>",
        "<iframe></iframe>",
    ):
        assert scan(html), html


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_e_mails_carry_payloads_only_as_plain_text(app, client, db):
    from learner import notifications
    from tests.smtpsink import SmtpSink

    with SmtpSink() as sink:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_STARTTLS="0")
        for payload in [*PAYLOADS[:12], "Name\r\nBcc: victim@example.com"]:
            parent = make_supervisor(db, name=f"P {payload}"[:80])
            family = make_group(db, parent)
            family.name = payload[:120]
            db.add(family)
            db.commit()
            teen, teen_m = make_learner(db, family)
            teen.display_name = payload[:80]
            db.add(teen)
            db.commit()
            set_level(db, teen_m, Level.PERMIT)
            make_post(db, family, teen_m, payload)
            login(client, parent)
            invite = post(
                client,
                f"/groups/{family.id}/invites/new",
                {"role": "supervisor", "email": "second@example.com"},
            )
            assert invite.status_code == 200
        with app.test_request_context():
            notifications.send_digests(session=db, now=utc_now(), link="http://x/notifications")
        db.commit()
    assert len(sink.messages) >= 26
    for message in sink.messages:
        assert message.get_content_type() == "text/plain" and not message.is_multipart()
        assert message["Bcc"] is None and "\n" not in message["Subject"]


def _scenario_with(payload: str, scenario_id: str) -> dict:
    """The tests' scenario with the payload in every text field a scenario has."""
    from tests.test_scenarios import GOOD

    data = copy.deepcopy(GOOD)
    data["id"] = scenario_id
    data["title"] = f"T {payload}"
    data["summary"] = f"S {payload}"
    data["backstory"] = f"{payload}\n\n- {payload}\n\n[link]({payload})"
    data["me"]["name"] = f"Me {payload}"
    for actor in data["actors"]:
        actor["name"] = f"N {payload}"
        actor["handle"] = f"h{payload}"
        actor["bio"] = f"B {payload}"
    for post_ in data["feed"]:
        post_["text"] = f"P {payload}"
        for comment in post_.get("comments", []):
            comment["text"] = f"C {payload}"
        if "link" in post_:
            post_["link"] = {"label": f"L {payload}", "explain": f"E {payload}"}
    for event in data["events"]:
        if "text" in event:
            event["text"] = f"V {payload}"
    for hint in data["guided"]:
        hint["text"] = f"H {payload}"
    for item in [*data["expected"], *data["mistakes"]]:
        item["why"] = f"W {payload}"
    for prompt in data["reflection"]:
        prompt["prompt"] = f"Q {payload}"
        for choice in prompt.get("choices", []):
            choice["text"] = f"A {payload}"
    return data


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_scenario_text_and_learner_replies_never_run(tmp_path, database_url):
    """Scenario files are plain text (the loader refuses HTML); what it lets through, and
    whatever a learner types in a scenario, is shown as text on every page."""
    import yaml

    from app import create_app
    from lessons.catalog import load_catalog
    from lessons.scenarios import ScenarioError, parse_scenario
    from tests.conftest import test_config

    folder = tmp_path / "en"
    folder.mkdir()
    accepted = []
    for i, payload in enumerate(PAYLOADS):
        path = folder / f"xss-{i}.yaml"
        path.write_text(yaml.safe_dump(_scenario_with(payload, f"xss-{i}")), encoding="utf-8")
        try:
            parse_scenario(path, load_catalog())
            accepted.append((i, payload))
        except ScenarioError as error:
            assert re.search(r"<\s*/?\s*[a-zA-Z]", payload), (payload, str(error))
            path.unlink()
    assert len(accepted) >= 10  # the payloads without tags are in the files
    app = create_app(test_config(database_url, SCENARIOS_DIR=str(tmp_path)))
    context = app.app_context()
    context.push()
    try:
        _play_the_payloads(app, accepted)
    finally:
        context.pop()
        app.extensions["engine"].dispose()


def _play_the_payloads(app, accepted) -> None:
    from sqlmodel import Session

    from learner.views.scenarios import TRY_KEY
    from tests.factories import make_family

    client = app.test_client()
    with Session(app.extensions["engine"], expire_on_commit=False) as db:
        family = make_family(db)
    failures = []
    reply_payloads = PAYLOADS
    for n, (i, payload) in enumerate(accepted):
        sid = f"xss-{i}"
        login(client, family.teen)
        base = f"/scenarios/{sid}"
        pages = [base]
        post(client, f"{base}/start")
        post(client, f"{base}/continue")
        typed = reply_payloads[n % len(reply_payloads)]
        post(client, f"{base}/act", {"kind": "reply", "target": "dm1", "text": typed})
        post(client, f"{base}/act", {"kind": "reply", "target": "p2", "text": typed})
        post(client, f"{base}/act", {"kind": "tell_adult", "text": typed})
        post(client, f"{base}/act", {"kind": "reply", "target": "dm1", "text": "x" * 1001})
        playing = client.get(base).get_data(as_text=True)
        # The scenario's text and the learner's reply are really there, as text.
        assert f"P {payload}" in unescape(playing) and typed in unescape(playing), payload
        failures += [(payload, "play", p) for p in scan(playing)]
        pages += [f"{base}/link/p2", f"{base}/state"]
        finished = post(client, f"{base}/finish")
        run_url = finished.location
        post(client, f"{run_url}/reflection", {"r-feel": typed, "r-next-time": "a"})
        pages += [run_url, "/scenarios"]
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (payload, url, response.status_code)
            failures += [(payload, url, p) for p in scan(response.get_data(as_text=True))]
        post(client, f"{base}/start")
        refused = post(
            client, f"{base}/act", {"kind": "reply", "target": "p2", "text": typed + "x" * 1000}
        )
        assert refused.status_code == 400
        failures += [(payload, "refused", p) for p in scan(refused.get_data(as_text=True))]
        login(client, family.parent)
        progress_page = f"/groups/{family.group.id}/members/{family.teen_membership.id}"
        for url in (f"{progress_page}/progress", f"{progress_page}/log", "/notifications"):
            failures += [(payload, url, p) for p in scan(client.get(url).get_data(as_text=True))]
    # The try-out shows the shortest scenario: its pages, with a typed payload.
    client = app.test_client()
    token = re.search(
        r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
        client.get("/try").get_data(as_text=True),
    ).group(1)
    client.post("/try/start", data={"csrf_token": token})
    client.post("/try/continue", data={"csrf_token": token})
    for payload in PAYLOADS[:10]:
        client.post(
            "/try/act",
            data={"csrf_token": token, "kind": "reply", "target": "dm1", "text": payload},
        )
    failures += [("try", "/try", p) for p in scan(client.get("/try").get_data(as_text=True))]
    client.post("/try/finish", data={"csrf_token": token})
    failures += [
        ("try", "/try/end", p) for p in scan(client.get("/try/end").get_data(as_text=True))
    ]
    with client.session_transaction() as cookie:
        assert TRY_KEY not in cookie
    assert failures == []
