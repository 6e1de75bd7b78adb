"""The graduated-freedom ladder (DESIGN §2): what unlocks each level, sign-off and step back.

The rules are pure functions over a learner's counts and dates (`requirements`); the
service functions gather those facts from the database and change levels.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, case, func
from sqlmodel import Session, select

from learner import groups, notifications, profile, progress, scenarios, todo, workplace
from learner.errors import DomainError
from learner.models import (
    EventKind,
    Group,
    GroupKind,
    LadderRules,
    LessonProgress,
    Level,
    LicenseCertificate,
    Membership,
    NotificationKind,
    PostStatus,
    PracticePost,
    Role,
    SupervisionEvent,
    User,
)
from lessons.catalog import Module
from lessons.scenarios import Scenario, Scenarios

ORDER = (Level.INSTRUCTION, Level.PERMIT, Level.PROVISIONAL, Level.LICENSED)
# The lessons a learner completes before leaving each level.
STAGE_FOR_LEVEL = {
    Level.INSTRUCTION: "instruction",
    Level.PERMIT: "permit",
    Level.PROVISIONAL: "license",
}


class LadderError(DomainError):
    """A level change the rules do not allow; the message names what is missing."""


@dataclass(frozen=True)
class Numbers:
    """The numbers a group's supervisors may change, within BOUNDS."""

    permit_approved: int
    permit_clean_streak: int
    provisional_days: int
    provisional_posts: int
    # Instruction scenarios to pass before the permit; None: every one suited to the learner.
    permit_scenarios: int | None = None


@dataclass(frozen=True)
class Rules:
    """Everything that decides a group's ladder: its numbers and its kind's shape."""

    numbers: Numbers
    # Workplaces go from the permit straight to the license.
    skip_provisional: bool
    needs_privacy_signoff: bool
    # Workplaces: the personal social-media policy in force, acknowledged.
    needs_policy: bool = False
    # The instruction lessons the first step needs, when the supervisors chose some
    # (None: every instruction lesson, the default, new lessons included).
    first_lessons: frozenset[str] | None = None


DEFAULTS = {
    GroupKind.FAMILY: Rules(
        Numbers(10, 5, 14, 10), skip_provisional=False, needs_privacy_signoff=True
    ),
    GroupKind.CLASSROOM: Rules(
        Numbers(5, 3, 7, 5), skip_provisional=False, needs_privacy_signoff=True
    ),
    GroupKind.WORKPLACE: Rules(
        Numbers(3, 0, 7, 5), skip_provisional=True, needs_privacy_signoff=False, needs_policy=True
    ),
}
# (lowest, highest) for each number; the clean streak may not exceed the approved posts.
BOUNDS = {
    "permit_approved": (1, 50),
    "permit_clean_streak": (0, 50),
    "provisional_days": (1, 90),
    "provisional_posts": (1, 50),
    "permit_scenarios": (0, 50),
}
# Numbers that may be left unset (None): the default, "all of them".
OPTIONAL_NUMBERS = frozenset({"permit_scenarios"})


# Lessons the first step always needs, whatever the supervisors choose: a permit means
# posts that others see, and these teach what a post must not give away (the privacy
# setup that is co-signed, and the personal information the coach looks for). A
# workplace's own policy lesson stays too, since its permit hangs on that policy.
ALWAYS_REQUIRED = frozenset({"privacy-settings", "personal-information"})
ALWAYS_REQUIRED_FOR_KIND = {GroupKind.WORKPLACE: frozenset({"personal-social-media-policy"})}


def always_required(kind: GroupKind) -> frozenset[str]:
    """The instruction lessons a group of this kind cannot take off the first step."""
    return ALWAYS_REQUIRED | ALWAYS_REQUIRED_FOR_KIND.get(GroupKind(kind), frozenset())


def check_first_lessons(
    chosen: frozenset[str], offered: list[Module], kind: GroupKind
) -> str | None:
    """What is wrong with a choice of first-step lessons (None when it is sane): only
    instruction lessons the group studies, the ones always required among them."""
    offered_ids = {m.id for m in offered}
    if not chosen <= offered_ids:
        return str(_l("Choose among the instruction lessons listed."))
    kept = always_required(kind) & offered_ids
    if not kept <= chosen:
        titles = ", ".join(m.title for m in offered if m.id in kept - chosen)
        return str(_l("These lessons always stay required: %(titles)s.", titles=titles))
    return None


def check_numbers(numbers: Numbers) -> dict[str, str]:
    """What is wrong with some numbers, by field (empty when they are sane)."""
    errors = {}
    for name, (low, high) in BOUNDS.items():
        value = getattr(numbers, name)
        if value is None and name in OPTIONAL_NUMBERS:
            continue
        if value is None or not low <= value <= high:
            errors[name] = str(_l("Choose a number from %(low)s to %(high)s.", low=low, high=high))
    if (
        "permit_clean_streak" not in errors
        and numbers.permit_clean_streak > numbers.permit_approved
    ):
        errors["permit_clean_streak"] = str(
            _l("The clean streak cannot be longer than the number of approved posts.")
        )
    return errors


def next_level(level: Level, rules: Rules) -> Level | None:
    """The level above, or None at the top."""
    if level is Level.LICENSED:
        return None
    if level is Level.PERMIT and rules.skip_provisional:
        return Level.LICENSED
    return ORDER[ORDER.index(level) + 1]


def previous_level(level: Level, rules: Rules) -> Level | None:
    """The level below, or None at the bottom."""
    if level is Level.INSTRUCTION:
        return None
    if level is Level.LICENSED and rules.skip_provisional:
        return Level.PERMIT
    return ORDER[ORDER.index(level) - 1]


@dataclass(frozen=True)
class Facts:
    """What the rules look at for one learner at their current level."""

    level: Level
    level_since: datetime
    lessons_done: int
    lessons_total: int
    privacy_cosigned: bool
    approved_posts: int
    # How many of the latest approved posts (newest first) needed no changes, in a row.
    clean_streak: int
    open_high_posts: int
    unflagged_posts: int
    policy_acknowledged: bool = False
    # The instruction scenarios suited to the learner, how many they passed, and the
    # (id, title) of those still to pass.
    scenarios_total: int = 0
    scenarios_passed: int = 0
    scenarios_left: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Requirement:
    """One line of the checklist between a learner and the next level."""

    id: str
    label: str
    met: bool
    have: int | None = None
    need: int | None = None
    # Scenarios to open from this line: (id, title).
    scenarios: tuple[tuple[str, str], ...] = ()


def scenarios_needed(permit_scenarios: int | None, suited: int) -> int:
    """How many instruction scenarios a learner passes before the permit: the group's
    number (None: all), never more than the scenarios suited to the learner."""
    wanted = suited if permit_scenarios is None else permit_scenarios
    return max(0, min(wanted, suited))


def requirements(facts: Facts, rules: Rules, now: datetime) -> list[Requirement]:
    """The checklist for leaving the learner's current level (empty at the top)."""
    numbers = rules.numbers
    lessons = Requirement(
        "lessons",
        str(_l("Lessons of this stage completed (quiz at least 80 %)")),
        facts.lessons_done >= facts.lessons_total,
        facts.lessons_done,
        facts.lessons_total,
    )
    if facts.level is Level.INSTRUCTION:
        checklist = [lessons]
        need = scenarios_needed(numbers.permit_scenarios, facts.scenarios_total)
        if need:
            checklist.append(
                Requirement(
                    "scenarios",
                    str(_l("Practice scenarios passed")),
                    facts.scenarios_passed >= need,
                    min(facts.scenarios_passed, need),
                    need,
                    scenarios=facts.scenarios_left,
                )
            )
        if rules.needs_policy:
            checklist.append(
                Requirement(
                    "policy",
                    str(_l("The social-media policy in force read and acknowledged")),
                    facts.policy_acknowledged,
                )
            )
        if rules.needs_privacy_signoff:
            checklist.append(
                Requirement(
                    "privacy",
                    str(_l("Privacy setup walked through and co-signed by a supervisor")),
                    facts.privacy_cosigned,
                )
            )
        return checklist
    if facts.level is Level.PERMIT:
        checklist = [
            Requirement(
                "approved",
                str(_l("Approved practice posts")),
                facts.approved_posts >= numbers.permit_approved,
                min(facts.approved_posts, numbers.permit_approved),
                numbers.permit_approved,
            )
        ]
        if numbers.permit_clean_streak:
            checklist.append(
                Requirement(
                    "clean_streak",
                    ngettext(
                        "The last approved post needed no changes",
                        "The last %(num)d approved posts needed no changes",
                        numbers.permit_clean_streak,
                    ),
                    facts.clean_streak >= numbers.permit_clean_streak,
                    min(facts.clean_streak, numbers.permit_clean_streak),
                    numbers.permit_clean_streak,
                )
            )
        checklist.append(
            Requirement(
                "no_open_high",
                str(_l("No waiting post with a serious coach finding")),
                facts.open_high_posts == 0,
            )
        )
        return [*checklist, lessons]
    if facts.level is Level.PROVISIONAL:
        days = max(0, (now - facts.level_since).days)
        return [
            Requirement(
                "days",
                str(_l("Days at this level")),
                days >= numbers.provisional_days,
                min(days, numbers.provisional_days),
                numbers.provisional_days,
            ),
            Requirement(
                "unflagged",
                str(_l("Posts here with no supervisor flag")),
                facts.unflagged_posts >= numbers.provisional_posts,
                min(facts.unflagged_posts, numbers.provisional_posts),
                numbers.provisional_posts,
            ),
            lessons,
        ]
    return []


@dataclass(frozen=True)
class Stop:
    """One level on the whole road, what it takes to reach the next one, and whether the
    learner is there, past it, or still before it."""

    level: Level
    to_next: str | None
    where: str  # "past", "here" or "ahead"
    # Scenarios still to pass on this leg: (id, title).
    scenarios: tuple[tuple[str, str], ...] = ()


def road(
    rules: Rules,
    level: Level,
    *,
    scenarios_total: int = 0,
    scenarios_left: tuple[tuple[str, str], ...] = (),
) -> list[Stop]:
    """The whole road with the numbers in force, and where a learner at `level` stands:
    the picture shown up front, before the checklist of the next step. `scenarios_total`
    are the instruction scenarios suited to the learner, `scenarios_left` those still to
    pass (shown, linked, on the first leg)."""
    numbers = rules.numbers
    if rules.first_lessons is None:
        first = [str(_l("every instruction lesson passed (80 % or more)"))]
    else:
        first = [
            ngettext(
                "the %(num)d instruction lesson the group chose passed (80 %% or more)",
                "the %(num)d instruction lessons the group chose passed (80 %% or more)",
                len(rules.first_lessons),
            )
        ]
    need = scenarios_needed(numbers.permit_scenarios, scenarios_total)
    if need:
        first.append(
            str(_l("every practice scenario passed"))
            if need == scenarios_total
            else ngettext(
                "%(num)d practice scenario passed", "%(num)d practice scenarios passed", need
            )
        )
    if rules.needs_policy:
        first.append(str(_l("the social-media policy acknowledged")))
    if rules.needs_privacy_signoff:
        first.append(str(_l("the privacy setup co-signed")))
    permit = ngettext("%(num)d approved post", "%(num)d approved posts", numbers.permit_approved)
    if numbers.permit_clean_streak:
        permit += ", " + ngettext(
            "the last one with no changes asked",
            "the last %(num)d with no changes asked",
            numbers.permit_clean_streak,
        )
    permit += ", " + str(_l("the permit lessons"))
    provisional = ", ".join(
        [
            ngettext("%(num)d day", "%(num)d days", numbers.provisional_days),
            ngettext(
                "%(num)d post with no flag", "%(num)d posts with no flag", numbers.provisional_posts
            ),
            str(_l("the license lessons")),
        ]
    )
    legs = [(Level.INSTRUCTION, "; ".join(first)), (Level.PERMIT, permit)]
    if not rules.skip_provisional:
        legs.append((Level.PROVISIONAL, provisional))
    legs.append((Level.LICENSED, None))
    order = [leg_level for leg_level, _text in legs]
    here = order.index(level) if level in order else 0
    return [
        Stop(
            leg_level,
            text,
            "past" if i < here else "here" if i == here else "ahead",
            scenarios_left if leg_level is Level.INSTRUCTION and need and i >= here else (),
        )
        for i, (leg_level, text) in enumerate(legs)
    ]


def all_met(checklist: list[Requirement]) -> bool:
    """Every requirement holds (a level with no checklist cannot be left upwards)."""
    return bool(checklist) and all(r.met for r in checklist)


# --- Gathering the facts ----------------------------------------------------------------


def rules_for(session: Session, group: Group) -> Rules:
    """The group's rules: its kind's defaults with the numbers its supervisors chose."""
    default = DEFAULTS[group.kind]
    row = session.exec(select(LadderRules).where(LadderRules.group_id == group.id)).first()
    if row is None:
        return default
    return replace(
        default,
        numbers=Numbers(
            row.permit_approved,
            row.permit_clean_streak,
            row.provisional_days,
            row.provisional_posts,
            row.permit_scenarios,
        ),
        first_lessons=frozenset(filter(None, row.first_lessons.split(",")))
        if row.first_lessons is not None
        else None,
    )


# `save_numbers(first_lessons=UNCHANGED)`: the numbers change, the lesson choice stays.
UNCHANGED = frozenset({"<unchanged>"})


def save_numbers(
    *,
    session: Session,
    group: Group,
    numbers: Numbers,
    supervisor: User,
    now: datetime,
    first_lessons: frozenset[str] | None = UNCHANGED,
    offered: list[Module] | None = None,
) -> None:
    """Store a group's own numbers and, when given, the instruction lessons the first step
    needs among `offered` (None or all of them: every one). Raises LadderError (with the
    field) for insane numbers or a choice outside the bounds (`check_first_lessons`).

    A change goes into the log of every learner of the group, since it changes the road
    in front of them ("reasons" holds `name=old>new` for each number that changed, and
    `first_lessons=old>new` with the number of lessons required)."""
    errors = check_numbers(numbers)
    if errors:
        field, message = next(iter(errors.items()))
        raise LadderError(message, field=field)
    before_rules = rules_for(session, group)
    before = before_rules.numbers
    row = session.exec(select(LadderRules).where(LadderRules.group_id == group.id)).first()
    row = row or LadderRules(group_id=group.id, updated_by_id=supervisor.id, **vars(numbers))
    for name, value in vars(numbers).items():
        setattr(row, name, value)
    changed = [
        f"{name}={getattr(before, name)}>{value}"
        for name, value in vars(numbers).items()
        if getattr(before, name) != value
    ]
    if first_lessons is not UNCHANGED:
        offered = offered or []
        offered_ids = frozenset(m.id for m in offered)
        if first_lessons is not None and first_lessons >= offered_ids:
            first_lessons = None  # all of them: lessons added later are required too
        if first_lessons is not None:
            problem = check_first_lessons(first_lessons, offered, group.kind)
            if problem:
                raise LadderError(problem, field="first_lessons")
        old = before_rules.first_lessons
        old_count = len(offered_ids if old is None else old & offered_ids)
        new_count = len(offered_ids if first_lessons is None else first_lessons)
        if old != first_lessons:
            changed.append(f"first_lessons={old_count}>{new_count}")
        row.first_lessons = None if first_lessons is None else ",".join(sorted(first_lessons))
    row.updated_by_id = supervisor.id
    session.add(row)
    if changed:
        learners = session.exec(
            select(Membership.id).where(groups.current_members(group.id, role=Role.LEARNER))
        ).all()
        for membership_id in learners:
            session.add(
                SupervisionEvent(
                    membership_id=membership_id,
                    actor_id=supervisor.id,
                    kind=EventKind.RULES_CHANGED,
                    reasons=",".join(changed),
                    created_at=now,
                )
            )
    session.flush()


def stage_modules(modules: list[Module], level: Level, rules: Rules | None = None) -> list[Module]:
    """The modules a learner completes to leave a level: the stage's lessons, and for the
    first step only those the group chose (the always-required ones never drop out)."""
    stage = STAGE_FOR_LEVEL.get(level)
    needed = [m for m in modules if m.stage == stage]
    if level is Level.INSTRUCTION and rules is not None and rules.first_lessons is not None:
        keep = (
            rules.first_lessons
            | ALWAYS_REQUIRED
            | frozenset().union(*ALWAYS_REQUIRED_FOR_KIND.values())
        )
        needed = [m for m in needed if m.id in keep]
    return needed


@dataclass(frozen=True)
class ScenarioProgress:
    """A learner's instruction scenarios: how many suit them, how many they passed, and the
    (id, title) of those still to pass."""

    total: int
    passed: int
    left: tuple[tuple[str, str], ...]


def instruction_scenarios(library: Scenarios, *, user: User, group: Group) -> list[Scenario]:
    """The instruction-stage scenarios suited to the learner's age band and the group's
    tracks: those the permit asks for."""
    return [
        s
        for s in library.suited(
            lang=user.locale or "en",
            age_band=user.age_band.value if user.age_band else None,
            tracks=progress.tracks_for([group.kind]),
        )
        if s.stage == STAGE_FOR_LEVEL[Level.INSTRUCTION]
    ]


def scenario_progress(session: Session, *, user: User, group: Group) -> ScenarioProgress:
    """The learner's instruction scenarios, and which of them they passed (one query;
    none when there are none)."""
    suited = instruction_scenarios(scenarios.get_scenarios(), user=user, group=group)
    passed = scenarios.passed_ids(session, user.id) if suited else set()
    left = tuple((s.id, s.title) for s in suited if s.id not in passed)
    return ScenarioProgress(len(suited), len(suited) - len(left), left)


def facts_for(
    session: Session,
    *,
    membership: Membership,
    group: Group,
    modules: list[Module],
    rules: Rules | None = None,
) -> Facts:
    """A learner's facts in one group, in a fixed number of queries."""
    since = membership.level_since or membership.joined_at
    rules = rules or rules_for(session, group)
    needed = stage_modules(modules, membership.level, rules)
    done = progress.progress_map(session, membership.user_id)
    setup = profile.privacy_setup(session, membership.user_id)
    cosigned = profile.privacy_signoff(session, membership, setup) is not None
    mine = PracticePost.membership_id == membership.id
    approved = session.exec(
        select(PracticePost.changes_requested, PracticePost.flagged_at)
        .where(mine, PracticePost.approved_at >= since)
        .order_by(PracticePost.approved_at.desc(), PracticePost.id.desc())
    ).all()
    # A post that needed changes, or was flagged for a talk later, ends the clean streak.
    streak = next(
        (i for i, (changes, flagged) in enumerate(approved) if changes or flagged), len(approved)
    )
    open_high, last_flag = session.exec(
        select(
            func.count(
                case(
                    (
                        and_(
                            PracticePost.status.in_([PostStatus.PENDING, PostStatus.CHANGES]),
                            PracticePost.high_findings > 0,
                        ),
                        PracticePost.id,
                    )
                )
            ),
            func.max(PracticePost.flagged_at),
        ).where(mine)
    ).one()
    counted_from = max(since, last_flag) if last_flag else since
    played = (
        scenario_progress(session, user=session.get(User, membership.user_id), group=group)
        if membership.level is Level.INSTRUCTION
        else ScenarioProgress(0, 0, ())
    )
    unflagged = session.exec(
        select(func.count(PracticePost.id)).where(
            mine,
            PracticePost.published_at >= counted_from,
            PracticePost.level == Level.PROVISIONAL,
            PracticePost.flagged_at.is_(None),
        )
    ).one()
    return Facts(
        level=membership.level,
        level_since=since,
        lessons_done=sum(1 for m in needed if progress.completed(done.get(m.id))),
        lessons_total=len(needed),
        privacy_cosigned=cosigned,
        approved_posts=len(approved),
        clean_streak=streak,
        open_high_posts=open_high,
        unflagged_posts=unflagged,
        policy_acknowledged=group.kind is GroupKind.WORKPLACE
        and workplace.acknowledgement(
            session, workplace.current(session, group), membership.user_id
        )
        is not None,
        scenarios_total=played.total,
        scenarios_passed=played.passed,
        scenarios_left=played.left,
    )


@dataclass(frozen=True)
class PermitGap:
    """What stands between a learner at instruction and the permit: the required lessons
    not passed yet, and the privacy setup ("missing": not done; "waiting": done, to be
    co-signed; None: co-signed, or not needed in this group)."""

    lessons: list[Module]
    privacy: str | None
    # How many more practice scenarios to pass, and the titles of those not passed yet.
    scenarios_short: int = 0
    scenarios: tuple[str, ...] = ()

    @property
    def clear(self) -> bool:
        """Nothing left: a supervisor can sign off the permit."""
        return not self.lessons and self.privacy is None and not self.scenarios_short


def permit_gaps(
    session: Session,
    memberships: list[Membership],
    *,
    modules: list[Module],
    rules: Rules,
    completed: dict[int, frozenset[str]] | None = None,
    users: dict[int, User] | None = None,
    group: Group | None = None,
    latest_runs: Callable[[], dict[tuple[int, str], scenarios.Outcome]] | None = None,
) -> dict[int, PermitGap]:
    """For each learner still at instruction (by membership id), what the first step's
    checklist (`requirements`) still misses, for a whole class in three queries (two when
    the caller already knows, by user id, which of the first step's lessons each has
    `completed`). A workplace's policy acknowledgement is not part of it (see `standing`).
    `latest_runs`: the page's loader of its people's latest finished scenario runs, if it
    has one (scenarios.latest_finished, read once for the page)."""
    waiting = [m for m in memberships if m.level is Level.INSTRUCTION]
    if not waiting:
        return {}
    needed = stage_modules(modules, Level.INSTRUCTION, rules)
    if completed is None:
        rows = session.exec(
            select(LessonProgress).where(
                LessonProgress.user_id.in_({m.user_id for m in waiting}),
                LessonProgress.module_id.in_([m.id for m in needed]),
            )
        ).all()
        done = {(r.user_id, r.module_id) for r in rows if progress.completed(r)}
    else:
        done = {(user_id, module_id) for user_id, ids in completed.items() for module_id in ids}
    states = todo.privacy_states(session, waiting) if rules.needs_privacy_signoff else {}
    short = _scenarios_short(
        session, waiting, rules=rules, users=users, group=group, latest_runs=latest_runs
    )
    return {
        m.id: PermitGap(
            lessons=[module for module in needed if (m.user_id, module.id) not in done],
            privacy=None if states.get(m.id, "cosigned") == "cosigned" else states[m.id],
            scenarios_short=short.get(m.user_id, (0, ()))[0],
            scenarios=short.get(m.user_id, (0, ()))[1],
        )
        for m in waiting
    }


def _scenarios_short(
    session: Session,
    waiting: list[Membership],
    *,
    rules: Rules,
    users: dict[int, User] | None,
    group: Group | None,
    latest_runs: Callable[[], dict[tuple[int, str], scenarios.Outcome]] | None = None,
) -> dict[int, tuple[int, tuple[str, ...]]]:
    """By user id: how many more of their instruction scenarios each learner must pass
    for the permit, and the titles of those not passed (one query; none without the
    learners' accounts and group)."""
    if users is None or group is None:
        return {}
    library = scenarios.get_scenarios()
    suited = {
        m.user_id: instruction_scenarios(library, user=users[m.user_id], group=group)
        for m in waiting
        if m.user_id in users
    }
    if not any(suited.values()):
        return {}
    latest = latest_runs() if latest_runs else scenarios.latest_finished(session, list(suited))
    result = {}
    for user_id, mine in suited.items():
        left = [s for s in mine if not getattr(latest.get((user_id, s.id)), "passed", False)]
        need = scenarios_needed(rules.numbers.permit_scenarios, len(mine))
        result[user_id] = (max(0, need - (len(mine) - len(left))), tuple(s.title for s in left))
    return result


@dataclass(frozen=True)
class Standing:
    """Where a learner stands: their level, the next one and the checklist to reach it."""

    level: Level
    next_level: Level | None
    checklist: list[Requirement]

    @property
    def ready(self) -> bool:
        """Every requirement for the next level holds."""
        return all_met(self.checklist)


def standing(
    session: Session,
    *,
    membership: Membership,
    group: Group,
    modules: list[Module],
    now: datetime,
    rules: Rules | None = None,
) -> Standing:
    """The learner's checklist towards the next level (`rules` when the caller has them)."""
    rules = rules or rules_for(session, group)
    facts = facts_for(session, membership=membership, group=group, modules=modules, rules=rules)
    return Standing(
        level=membership.level,
        next_level=next_level(membership.level, rules),
        checklist=requirements(facts, rules, now),
    )


def _locked(session: Session, membership: Membership) -> Membership:
    """The membership row, locked so two sign-offs cannot both move the learner."""
    session.refresh(membership, with_for_update=True)
    return membership


def request_signoff(
    *, session: Session, membership: Membership, group: Group, modules: list[Module], now: datetime
) -> bool:
    """The learner asks for sign-off; False when they had already asked. Raises LadderError
    when a requirement does not hold yet."""
    current = standing(session, membership=membership, group=group, modules=modules, now=now)
    if current.next_level is None:
        raise LadderError(_l("You are at the top of the ladder already."))
    if not current.ready:
        missing = ", ".join(r.label for r in current.checklist if not r.met)
        raise LadderError(_l("Not yet: %(missing)s.", missing=missing))
    membership = _locked(session, membership)
    if membership.signoff_requested_at is not None:
        return False
    membership.signoff_requested_at = now
    session.add(membership)
    notifications.notify_supervisors(
        session=session,
        group=group,
        kind=NotificationKind.SIGNOFF_REQUESTED,
        membership=membership,
        actor_id=membership.user_id,
        now=now,
    )
    session.flush()
    return True


def _change_level(
    *,
    session: Session,
    membership: Membership,
    group: Group,
    supervisor: User,
    new_level: Level,
    kind: EventKind,
    note: str | None,
    learner: User,
    now: datetime,
) -> SupervisionEvent:
    event = SupervisionEvent(
        membership_id=membership.id,
        actor_id=supervisor.id,
        kind=kind,
        level_from=membership.level,
        level_to=new_level,
        note=note,
        created_at=now,
    )
    membership.level = new_level
    membership.level_since = now
    membership.signoff_requested_at = None
    session.add_all([membership, event])
    _update_certificate(session, membership=membership, learner=learner, now=now)
    notifications.notify(
        session=session,
        user_id=membership.user_id,
        kind=NotificationKind.LEVEL_CHANGED,
        group_id=group.id,
        membership_id=membership.id,
        actor_id=supervisor.id,
        detail=new_level.value if kind is EventKind.SIGNED_OFF else f"down_{new_level.value}",
        now=now,
    )
    session.flush()
    return event


def sign_off(
    *,
    session: Session,
    membership: Membership,
    group: Group,
    supervisor: User,
    learner: User,
    expected_level: Level,
    modules: list[Module],
    now: datetime,
) -> SupervisionEvent:
    """Move the learner up one level. Raises LadderError naming the unmet requirement, or
    when the level changed since the supervisor looked."""
    membership = _locked(session, membership)
    if membership.level is not expected_level:
        raise LadderError(_l("The level changed since you opened the page. Look again."))
    current = standing(session, membership=membership, group=group, modules=modules, now=now)
    if current.next_level is None:
        raise LadderError(_l("This learner is licensed already."))
    missing = [r.label for r in current.checklist if not r.met]
    if missing:
        raise LadderError(
            _l("Not every requirement holds yet: %(missing)s.", missing=", ".join(missing))
        )
    return _change_level(
        session=session,
        membership=membership,
        group=group,
        supervisor=supervisor,
        new_level=current.next_level,
        kind=EventKind.SIGNED_OFF,
        note=None,
        learner=learner,
        now=now,
    )


def step_back(
    *,
    session: Session,
    membership: Membership,
    group: Group,
    supervisor: User,
    learner: User,
    expected_level: Level,
    reason: str,
    now: datetime,
) -> SupervisionEvent:
    """Move the learner down one level with a reason they will read."""
    membership = _locked(session, membership)
    if membership.level is not expected_level:
        raise LadderError(_l("The level changed since you opened the page. Look again."))
    lower = previous_level(membership.level, rules_for(session, group))
    if lower is None:
        raise LadderError(_l("This learner is at the first level already."))
    if not reason.strip():
        raise LadderError(_l("Write the reason the learner will read."), field="reason")
    return _change_level(
        session=session,
        membership=membership,
        group=group,
        supervisor=supervisor,
        new_level=lower,
        kind=EventKind.STEPPED_BACK,
        note=reason.strip(),
        learner=learner,
        now=now,
    )


# --- The license certificate --------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_certificate_code() -> str:
    """Ten random characters (50 bits) shown as XXXXX-XXXXX, without look-alike letters."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_certificate_code(code: str) -> str:
    """What a person typed, as stored: upper case, one dash in the middle."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else raw


def first_name(display_name: str) -> str:
    """The only part of a name a public certificate shows."""
    return (display_name.split() or ["?"])[0][:80]


def _update_certificate(
    session: Session, *, membership: Membership, learner: User, now: datetime
) -> None:
    """A license gets a certificate; leaving the license revokes it."""
    current = certificate(session, membership)
    if membership.level is Level.LICENSED and current is None:
        session.add(
            LicenseCertificate(
                membership_id=membership.id,
                code=new_certificate_code(),
                first_name=first_name(learner.display_name),
                issued_at=now,
            )
        )
    elif membership.level is not Level.LICENSED and current is not None:
        current.revoked_at = now
        session.add(current)


def certificate(session: Session, membership: Membership) -> LicenseCertificate | None:
    """The membership's valid certificate, if any."""
    return session.exec(
        select(LicenseCertificate).where(
            LicenseCertificate.membership_id == membership.id,
            LicenseCertificate.revoked_at.is_(None),
        )
    ).first()


def verify(session: Session, code: str) -> tuple[LicenseCertificate, Group] | None:
    """The certificate with this code and its group, valid or revoked; None if unknown."""
    row = session.exec(
        select(LicenseCertificate, Group)
        .join(Membership, Membership.id == LicenseCertificate.membership_id)
        .join(Group, Group.id == Membership.group_id)
        .where(LicenseCertificate.code == normalize_certificate_code(code))
    ).first()
    return (row[0], row[1]) if row else None


def learner_road(
    session: Session, *, rules: Rules, membership: Membership, user: User, group: Group
) -> list[Stop]:
    """One learner's road, with the instruction scenarios still to pass on its first leg."""
    if membership.level is not Level.INSTRUCTION:
        return road(rules, membership.level)
    played = scenario_progress(session, user=user, group=group)
    return road(rules, membership.level, scenarios_total=played.total, scenarios_left=played.left)


def offered_scenarios(group: Group) -> int:
    """How many instruction scenarios the group's tracks have, for every age (no query)."""
    return sum(
        1
        for s in scenarios.get_scenarios().suited(
            age_band=None, tracks=progress.tracks_for([group.kind])
        )
        if s.stage == STAGE_FOR_LEVEL[Level.INSTRUCTION]
    )


def group_road(rules: Rules, group: Group, level: Level) -> list[Stop]:
    """The road as a group's page shows it: the scenario leg counts the group's instruction
    scenarios for every age (no query)."""
    return road(rules, level, scenarios_total=offered_scenarios(group))
