"""Scenarios: the loader refuses broken files naming the file and the field; the engine's
matching, branching and scoring, table-driven; the shipped files and the CLI check."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from learner import coach
from learner.scenario_engine import (
    Act,
    ScenarioActionError,
    check_act,
    happened,
    hints_due,
    matches,
    next_second,
    score,
    settings_now,
)
from lessons.catalog import load_catalog
from lessons.scenarios import (
    SCENARIOS_DIR,
    Match,
    ScenarioError,
    check_folder,
    load_scenarios,
    parse_scenario,
)
from tests import fingerprints
from tests.conftest import SCENARIOS_FOR_TESTS

CATALOG = load_catalog()
GOOD_FILE = SCENARIOS_FOR_TESTS / "en" / "new-follower-dm.yaml"
GOOD = yaml.safe_load(GOOD_FILE.read_text(encoding="utf-8"))
SCENARIO = parse_scenario(GOOD_FILE, CATALOG)


def write(tmp_path: Path, data: dict, name: str = "new-follower-dm") -> Path:
    folder = tmp_path / "en"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def broken(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def _set(path: str, value):
    """A change that sets a dotted path ('events.0.after') to value (None deletes it)."""

    def change(data):
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        key = int(last) if last.isdigit() else last
        if value is None:
            del node[key]
        else:
            node[key] = value

    return change


# --- The loader -------------------------------------------------------------------------

BROKEN = [
    ("id", _set("id", "Not A Slug"), "id"),
    ("id is the file name", _set("id", "other-name"), "id"),
    ("lang is the folder", _set("lang", "fr"), "lang"),
    ("track", _set("track", "school"), "track"),
    ("stage", _set("stage", "expert"), "stage"),
    ("unknown lesson", _set("lessons", ["no-such-lesson"]), "lessons[0]"),
    ("no lessons", _set("lessons", []), "lessons"),
    ("age band", _set("ages", ["10_12"]), "ages[0]"),
    ("minutes too many", _set("minutes", 30), "minutes"),
    ("minutes too few", _set("minutes", 2), "minutes"),
    ("pass score", _set("pass_score", 101), "pass_score"),
    ("title missing", _set("title", None), "title"),
    ("html in text", _set("summary", "<b>bold</b> move"), "summary"),
    ("html in backstory", _set("backstory", "<script>x</script>"), "backstory"),
    ("no actors", _set("actors", []), "actors"),
    (
        "seven actors",
        lambda d: d.__setitem__("actors", [{**d["actors"][0], "id": f"a{i}"} for i in range(7)]),
        "actors",
    ),
    ("actor called me", _set("actors.0.id", "me"), "actors[0].id"),
    (
        "duplicate actor",
        lambda d: d["actors"].append(copy.deepcopy(d["actors"][0])),
        "actors[2].id",
    ),
    ("avatar color", _set("actors.0.avatar.color", "pink"), "actors[0].avatar.color"),
    (
        "avatar image",
        _set("actors.0.avatar", {"image": "no-such-picture"}),
        "actors[0].avatar.image",
    ),
    ("post actor", _set("feed.0.actor", "nobody"), "feed[0].actor"),
    ("at format", _set("feed.0.at", "14 hours ago"), "feed[0].at"),
    ("at in the future", _set("feed.0.at", "5m"), "feed[0].at"),
    ("comment actor", _set("feed.0.comments.0.actor", "nobody"), "feed[0].comments[0].actor"),
    ("id used twice", _set("feed.1.id", "dm1"), "events[0].id"),
    ("event type", _set("events.0.type", "email"), "events[0].type"),
    ("after too long", _set("events.0.after", 601), "events[0].after"),
    ("after negative", _set("events.0.after", -1), "events[0].after"),
    ("event actor", _set("events.0.actor", "me"), "events[0].actor"),
    ("when target", _set("events.1.when.target", "dm9"), "events[1].when.target"),
    ("when action", _set("events.1.when.action", "shout"), "events[1].when.action"),
    ("when coach", _set("events.2.when.coach", "privacy.shoe"), "events[2].when.coach"),
    (
        "no timed event",
        lambda d: [e.update(when={"action": "like", "target": "p1"}) for e in d["events"]],
        "events",
    ),
    (
        "tag without post",
        lambda d: d["events"].append(
            {"id": "t1", "type": "tag", "actor": "rio", "after": 5, "text": "@you"}
        ),
        "events[5].post",
    ),
    ("guided at", _set("guided.1.at", "dm9"), "guided[1].at"),
    ("no expected", _set("expected", []), "expected"),
    ("only nots expected", _set("expected", [GOOD["expected"][0]]), "expected"),
    ("expected target", _set("expected.1.target", "p1"), "expected[1].target"),
    ("not without match", _set("expected.0.match", None), "expected[0].match"),
    ("weight", _set("expected.1.weight", 0), "expected[1].weight"),
    ("expected lesson", _set("expected.2.lesson", "nope"), "expected[2].lesson"),
    ("no mistakes", _set("mistakes", []), "mistakes"),
    ("mistake why", _set("mistakes.0.why", None), "mistakes[0].why"),
    ("accept a dm", _set("mistakes.1.match.target", "dm1"), "mistakes[1].match.target"),
    (
        "report reason",
        lambda d: d["mistakes"].append(
            {"id": "r", "match": {"action": "report", "reason": "boring"}, "weight": 1, "why": "x"}
        ),
        "mistakes[2].match.reason",
    ),
    ("no reflection", _set("reflection", []), "reflection"),
    ("reflection type", _set("reflection.0.type", "essay"), "reflection[0].type"),
    ("single needs choices", _set("reflection.1.choices", None), "reflection[1].choices"),
    ("setting start", _set("me.settings.account", "secret"), "me.settings.account"),
    (
        "setting value",
        lambda d: d["expected"].append(
            {
                "id": "s",
                "action": "setting",
                "target": "account",
                "value": "hidden",
                "weight": 1,
                "why": "x",
            }
        ),
        "expected[3].value",
    ),
]


@pytest.mark.parametrize(("what", "change", "field"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_names_the_file_and_the_field(tmp_path, what, change, field):
    path = write(tmp_path, broken(change))
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(path, CATALOG)
    assert raised.value.field == field, str(raised.value)
    assert str(raised.value).startswith(f"en/{path.name}: {field}: ")


def test_yaml_that_is_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "en" / "x.yaml"
    path.parent.mkdir()
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"en/x\.yaml: file: is not valid YAML"):
        parse_scenario(path, CATALOG)


def test_the_good_file_loads_with_what_it_says():
    s = SCENARIO
    assert s.ages == ("13_15", "16_17", "18_plus")  # unquoted 13_15 is not the number 1315
    assert s.post("p1").at == -20 * 3600
    assert s.event("dm2").when == Match("reply", target="dm1")
    assert s.expected[2].lesson == "strangers-and-followers"  # the first lesson by default
    assert s.total_weight == 7
    assert s.pass_score == 70


def test_the_same_id_twice_in_a_folder_is_refused(tmp_path):
    write(tmp_path, GOOD)
    (tmp_path / "en" / "copy.yaml").write_text(
        yaml.safe_dump({**GOOD, "id": "copy"}), encoding="utf-8"
    )
    good, problems = check_folder(tmp_path, CATALOG)
    assert len(good) == 2 and not problems
    assert load_scenarios(tmp_path, CATALOG).get("copy") is not None


def test_the_app_refuses_to_start_with_a_broken_scenario(tmp_path, database_url):
    from app import create_app
    from tests.conftest import test_config

    write(tmp_path, broken(_set("track", "school")))
    with pytest.raises(ScenarioError, match="track"):
        create_app(test_config(database_url, SCENARIOS_DIR=str(tmp_path)))


def test_the_cli_check_lists_each_problem_and_fails(tmp_path, app):
    def two_wrongs(data):
        data["track"] = "school"
        data["events"][0]["after"] = 900
        data["reflection"][0]["type"] = "essay"

    write(tmp_path, broken(two_wrongs))
    write(tmp_path, broken(_set("minutes", 99)), "other")
    result = app.test_cli_runner().invoke(args=["scenarios", "check", "--folder", str(tmp_path)])
    assert result.exit_code == 1
    # Every problem of a file, each with its field, in one run.
    assert "en/new-follower-dm.yaml: track:" in result.output
    assert "en/new-follower-dm.yaml: events[0].after: must be between 0 and 600" in result.output
    assert "en/new-follower-dm.yaml: reflection[0].type:" in result.output
    assert "en/other.yaml: id:" in result.output  # the id is not the file name
    assert "en/other.yaml: minutes:" in result.output
    assert "5 problems in 2 files; 0 valid." in result.output


def test_the_cli_check_passes_the_tests_scenarios(app):
    args = ["scenarios", "check", "--folder", str(SCENARIOS_FOR_TESTS)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "2 scenarios: all valid." in result.output


def test_the_shipped_scenarios_load_and_copy_no_source():
    scenarios = load_scenarios(SCENARIOS_DIR, CATALOG)
    sources = fingerprints.load()
    copied = [
        (path.name, run)
        for path in [*SCENARIOS_DIR.rglob("*.yaml"), *SCENARIOS_FOR_TESTS.rglob("*.yaml")]
        for run in fingerprints.runs(path.read_text(encoding="utf-8"))
        if fingerprints.fingerprint(run) in sources
    ]
    assert copied == []
    assert len(scenarios) == len(list(SCENARIOS_DIR.rglob("*.yaml")))


# --- Matching ---------------------------------------------------------------------------

PHONE = frozenset({"privacy.phone"})
MATCHES = [
    (Match("block"), Act("block", "rio"), True),
    (Match("block", target="rio"), Act("block", "mo"), False),
    (Match("block", target="rio"), Act("mute", "rio"), False),
    (Match("reply", coach="privacy.phone"), Act("reply", "dm2", text="5", categories=PHONE), True),
    (Match("reply", coach="privacy.phone"), Act("reply", "dm2", text="hi"), False),
    (
        Match("reply", target="dm1", coach="privacy.phone"),
        Act("reply", "dm2", categories=PHONE),
        False,
    ),
    (Match("report", reason="scam"), Act("report", "p2", reason="scam"), True),
    (Match("report", reason="scam"), Act("report", "p2", reason="spam"), False),
    (
        Match("setting", target="account", value="private"),
        Act("setting", "account", value="private"),
        True,
    ),
    (
        Match("setting", target="account", value="private"),
        Act("setting", "account", value="public"),
        False,
    ),
    (Match("tell_adult"), Act("tell_adult", None, text="help"), True),
]


@pytest.mark.parametrize(("match", "act", "expected"), MATCHES)
def test_a_match_holds_when_every_field_given_holds(match, act, expected):
    assert matches(match, act) is expected


def test_the_coach_reads_a_phone_number_as_privacy_phone():
    # The scenarios lean on this category: a real reply with a number must carry it.
    assert "privacy.phone" in coach.categories(coach.analyze("sure its 555-201-3344 text me"))


# --- Branching --------------------------------------------------------------------------


def ids(events):
    return [(h.event.id, h.second, h.silent) for h in events]


BRANCHES = [
    (
        "nothing done: the timed events",
        [],
        60,
        [("dm1", 10, False), ("req1", 30, False), ("note1", 45, False)],
    ),
    ("before the first event", [], 9, []),
    (
        "a reply sets dm2 off 5 s later",
        [Act("reply", "dm1", 12, "hi")],
        17,
        [("dm1", 10, False), ("dm2", 17, False)],
    ),
    (
        "not yet: dm2 is 5 s after the reply",
        [Act("reply", "dm1", 12, "hi")],
        16,
        [("dm1", 10, False)],
    ),
    (
        "a number sets dm3 off at once",
        [Act("reply", "dm1", 12, "hi"), Act("reply", "dm2", 20, "555", categories=PHONE)],
        29,
        [("dm1", 10, False), ("dm2", 17, False), ("dm3", 20, False)],
    ),
    (
        "no number, no dm3",
        [Act("reply", "dm1", 12, "hi"), Act("reply", "dm2", 20, "no thanks")],
        29,
        [("dm1", 10, False), ("dm2", 17, False)],
    ),
    (
        "a block stops the blocked actor's later events",
        [Act("block", "rio", 11)],
        60,
        [("dm1", 10, False), ("note1", 45, False)],
    ),
    (
        "a block after a trigger stops the delayed event",
        [Act("reply", "dm1", 12, "hi"), Act("block", "rio", 13)],
        60,
        [("dm1", 10, False), ("note1", 45, False)],
    ),
    (
        "a block in the same second as a timed event comes after it",
        [Act("block", "rio", 30)],
        60,
        [("dm1", 10, False), ("req1", 30, False), ("note1", 45, False)],
    ),
    (
        "a mute: the events arrive silently",
        [Act("mute", "rio", 5)],
        60,
        [("dm1", 10, True), ("req1", 30, True), ("note1", 45, False)],
    ),
    (
        "a mute of someone else changes nothing",
        [Act("mute", "mo", 5)],
        40,
        [("dm1", 10, False), ("req1", 30, False)],
    ),
]


@pytest.mark.parametrize(
    ("what", "acts", "clock", "expected"), BRANCHES, ids=[b[0] for b in BRANCHES]
)
def test_events_happen_by_time_trigger_block_and_mute(what, acts, clock, expected):
    assert ids(happened(SCENARIO, acts, clock)) == expected


NEXT = [
    ([], 0, 10),
    ([], 10, 30),
    ([Act("reply", "dm1", 12, "hi")], 12, 17),
    ([], 45, None),
    ([Act("block", "rio", 11)], 11, 45),
]


@pytest.mark.parametrize(("acts", "clock", "expected"), NEXT)
def test_continue_goes_to_the_next_event_that_will_happen(acts, clock, expected):
    assert next_second(SCENARIO, acts, clock) == expected


def test_guided_hints_are_due_at_the_start_and_with_their_event():
    assert hints_due(SCENARIO, []) == ["start"]
    events = happened(SCENARIO, [Act("reply", "dm1", 12, "hi")], 20)
    assert hints_due(SCENARIO, events) == ["start", "dm2"]


# --- Scoring ----------------------------------------------------------------------------

SCORES = [
    ("nothing done scores nothing, the not included", [], 0, False, []),
    ("the careful person", [Act("block", "rio", 11), Act("tell_adult", None, 12)], 100, True, []),
    ("block only", [Act("block", "rio", 11)], 71, True, []),  # 5 of 7 = 71.4
    (
        "gave the number: not broken and a mistake",
        [Act("reply", "dm2", 20, "555", categories=PHONE), Act("block", "rio", 21)],
        0,
        False,
        ["gave-number"],
    ),
    (
        "a mistake made twice counts once",
        [
            Act("accept", "req1", 31),
            Act("accept", "req1", 32),
            Act("block", "rio", 40),
            Act("tell_adult", None, 41),
        ],
        71,  # 7 - 2 = 5 of 7
        True,
        ["accepted"],
    ),
    ("accepted and nothing else", [Act("accept", "req1", 31)], 0, False, ["accepted"]),
    ("told an adult, kept the number", [Act("tell_adult", None, 12)], 71, True, []),  # 2 + 3
]


@pytest.mark.parametrize(
    ("what", "acts", "points", "passed", "mistakes"), SCORES, ids=[s[0] for s in SCORES]
)
def test_the_score(what, acts, points, passed, mistakes):
    result = score(SCENARIO, acts)
    assert result.points == points
    assert result.passed is passed
    assert [m.id for m in result.mistakes] == mistakes


def test_the_score_rounds_half_up():
    # 1 of 2 weights... a scenario where the share is exactly x.5: 1 of 8 = 12.5 -> 13.
    s = copy.deepcopy(GOOD)
    s["expected"] = [
        {"id": "a", "action": "block", "target": "rio", "weight": 1, "why": "x"},
        {"id": "b", "action": "tell_adult", "weight": 7, "why": "y"},
    ]
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        scenario = parse_scenario(write(Path(folder), s), CATALOG)
    assert score(scenario, [Act("block", "rio", 11)]).points == 13


# --- Checking an action -----------------------------------------------------------------

CHECKS = [
    (Act("reply", "dm1", 12, "hi"), [], "target"),  # dm1 has not happened yet at no events
    (Act("reply", "p1", 12, ""), [], "text"),
    (Act("dance", "p1", 1), [], "kind"),
    (Act("block", "p1", 1), [], "target"),
    (Act("report", "p2", 1, reason="boring"), [], "reason"),
    (Act("setting", "account", 1, value="hidden"), [], "value"),
    (Act("open_link", "p1", 1), [], "target"),  # p1 has no link
    (Act("accept", "dm1", 20), happened(SCENARIO, [], 20), "target"),
    (Act("reply", "p1", 1, "x" * 1001), [], "text"),
]


@pytest.mark.parametrize(("act", "events", "field"), CHECKS)
def test_an_action_that_does_not_fit_is_refused_naming_the_field(app, act, events, field):
    with app.test_request_context(), pytest.raises(ScenarioActionError) as raised:
        check_act(SCENARIO, events, act)
    assert field in raised.value.fields


def test_actions_that_fit_are_taken(app):
    events = happened(SCENARIO, [], 60)
    with app.test_request_context():
        for act in [
            Act("reply", "dm1", 60, "hi"),
            Act("open_link", "p2", 60),
            Act("accept", "req1", 60),
            Act("tell_adult", None, 60, "help"),
            Act("setting", "account", 60, value="private"),
            Act("report", "rio", 60, reason="scam"),
        ]:
            check_act(SCENARIO, events, act)
    assert settings_now(SCENARIO, [Act("setting", "account", 1, value="private")]) == {
        "account": "private"
    }


def _careful_run(scenario) -> list[Act]:
    """Do every expected action as soon as its target is on screen (a few rounds, so
    that events set off by earlier actions come too)."""
    acts: list[Act] = []
    clock = scenario.last_timed_second + MAX_WAIT
    for _round in range(4):
        on_screen = {h.event.id for h in happened(scenario, acts, clock)}
        on_screen |= {p.id for p in scenario.feed} | {
            c.id for p in scenario.feed for c in p.comments
        }
        on_screen |= {a.id for a in scenario.actors} | {k for k, _v in scenario.me.settings}
        for item in scenario.expected:
            m = item.match
            if item.negate or any(matches(m, a) for a in acts):
                continue
            if m.target is not None and m.target not in on_screen:
                continue
            acts.append(
                Act(
                    m.action,
                    m.target,
                    clock,
                    "ok" if m.action in ("reply", "tell_adult") else None,
                    m.reason or ("spam" if m.action == "report" else None),
                    m.value,
                    frozenset({m.coach} if m.coach else ()),
                )
            )
        clock += MAX_WAIT
    return acts


MAX_WAIT = 600


@pytest.mark.parametrize("path", sorted(SCENARIOS_DIR.rglob("*.yaml")), ids=lambda p: p.stem)
def test_each_shipped_scenario_can_be_passed_by_a_careful_person(path):
    scenario = parse_scenario(path, CATALOG)
    result = score(scenario, _careful_run(scenario))
    missed = [item.id for item, met in result.expected if not met]
    assert result.passed, (result.points, missed, [m.id for m in result.mistakes])


REPORTS_OF_AN_ACCOUNT = [
    ("the account itself", Act("report", "rio", reason="scam"), True),
    ("its direct message", Act("report", "dm1", reason="scam"), True),
    ("its post", Act("report", "p2", reason="scam"), True),
    ("its comment on your post", Act("report", "c1", reason="scam"), True),
    ("someone else's comment", Act("report", "c2", reason="scam"), False),
    ("its message, for another reason", Act("report", "dm1", reason="spam"), False),
    ("blocking is not reporting", Act("block", "rio"), False),
]


@pytest.mark.parametrize(
    ("what", "act", "expected"), REPORTS_OF_AN_ACCOUNT, ids=[r[0] for r in REPORTS_OF_AN_ACCOUNT]
)
def test_reporting_what_an_account_sent_counts_as_reporting_the_account(what, act, expected):
    from learner.scenario_engine import fits

    assert fits(SCENARIO, Match("report", target="rio", reason="scam"), act) is expected


def test_other_actions_on_an_accounts_items_do_not_count_for_the_account():
    from learner.scenario_engine import fits

    assert not fits(SCENARIO, Match("block", target="rio"), Act("block", "dm1"))
    assert not fits(SCENARIO, Match("reply", target="rio"), Act("reply", "dm1", text="hi"))
