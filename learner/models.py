"""The tables: people, groups and memberships for families, classrooms and workplaces alike."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlmodel import Field, SQLModel

from learner.core.db import utc_now

# Named constraints, so later migrations can alter them on SQLite (batch mode) too.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware timestamp on every backend (SQLite stores no zone: we store UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum]) -> sa.Enum:
    """A portable enum column: stores the values as short strings, no native DB type."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class AccountKind(enum.StrEnum):
    """What a person signed up as; it picks their dashboard's first suggestions."""

    PARENT = "parent"
    TEACHER = "teacher"
    ORG_ADMIN = "org_admin"
    LEARNER = "learner"


class AgeBand(enum.StrEnum):
    """A learner's age band; the platform never stores a date of birth."""

    UNDER_13 = "under_13"
    AGE_13_15 = "13_15"
    AGE_16_17 = "16_17"
    ADULT = "18_plus"


class GroupKind(enum.StrEnum):
    """The three settings the product runs in; the rules are the same, the labels differ."""

    FAMILY = "family"
    CLASSROOM = "classroom"
    WORKPLACE = "workplace"


class Role(enum.StrEnum):
    """A member's role in one group."""

    SUPERVISOR = "supervisor"
    LEARNER = "learner"


class Level(enum.StrEnum):
    """The rungs of the graduated-freedom ladder (DESIGN §2), lowest first."""

    INSTRUCTION = "instruction"
    PERMIT = "permit"
    PROVISIONAL = "provisional"
    LICENSED = "licensed"


def timestamp(*, nullable: bool = False, index: bool = False):
    """A UTC timestamp field; required ones default to the time the row is made."""
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)
    return Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False, index=index)


class User(UserMixin, SQLModel, table=True):
    """A person: a supervisor signs up with an e-mail; a learner may have only a username."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str | None = Field(default=None, sa_type=sa.String(254), unique=True, nullable=True)
    username: str | None = Field(default=None, sa_type=sa.String(40), unique=True, nullable=True)
    display_name: str = Field(sa_type=sa.String(80))
    password_hash: str = Field(sa_type=sa.String(255))
    kind: AccountKind = Field(sa_type=enum_column(AccountKind))
    age_band: AgeBand | None = Field(default=None, sa_type=enum_column(AgeBand), nullable=True)
    locale: str | None = Field(default=None, sa_type=sa.String(10), nullable=True)
    is_site_admin: bool = Field(default=False)
    active: bool = Field(default=True)
    # Bumped at logout, password change and deactivation: every cookie that carries an
    # older version stops working (see get_id and the user loader).
    session_version: int = Field(default=1)
    created_at: datetime = timestamp()
    deactivated_at: datetime | None = timestamp(nullable=True)
    # Set when the person's data was erased: the row stays, without the person, so the
    # events that point to it keep their meaning.
    erased_at: datetime | None = timestamp(nullable=True)

    __table_args__ = (
        sa.CheckConstraint("email IS NOT NULL OR username IS NOT NULL", name="has_login"),
    )

    @property
    def is_active(self) -> bool:
        """Deactivated accounts cannot log in and their sessions end (Flask-Login asks this)."""
        return self.active

    def get_id(self) -> str:
        """The session token: id and session version, so older cookies stop matching."""
        return f"{self.id}:{self.session_version}"

    @property
    def login_name(self) -> str:
        """What the person types to log in."""
        return self.email or self.username or ""


def new_data_version() -> str:
    """A fresh, random version for a group's data (learner/groupdata.py)."""
    return secrets.token_hex(8)


class Group(SQLModel, table=True):
    """A family, a classroom or a workplace: the unit of supervision."""

    __tablename__ = "learning_group"

    id: int | None = Field(default=None, primary_key=True)
    kind: GroupKind = Field(sa_type=enum_column(GroupKind))
    name: str = Field(sa_type=sa.String(120))
    # A classroom's school year, e.g. "2026-27" (shown with its name).
    school_year: str | None = Field(default=None, sa_type=sa.String(20), nullable=True)
    join_code: str | None = Field(default=None, sa_type=sa.String(16), unique=True, nullable=True)
    join_code_enabled: bool = Field(default=False)
    # Set when a supervisor confirms consent for learners under 13 joining with the code
    # (a parent for the family, the school for a class).
    under13_consent_at: datetime | None = timestamp(nullable=True)
    under13_consent_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", nullable=True
    )
    created_at: datetime = timestamp()
    # Replaced by every write to the group's data, in the same transaction: pages keep
    # figures against it (learner/groupdata.py). Bulk inserts get one too.
    data_version: str = Field(
        default_factory=new_data_version,
        sa_type=sa.String(16),
        sa_column_kwargs={"default": new_data_version},
    )


class Membership(SQLModel, table=True):
    """A person's place in one group: supervisor, or learner with a ladder level."""

    __tablename__ = "membership"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    role: Role = Field(sa_type=enum_column(Role))
    level: Level | None = Field(default=None, sa_type=enum_column(Level), nullable=True)
    level_since: datetime | None = timestamp(nullable=True)
    # The owner made the group (the organisation admin of a workplace); owners cannot be
    # removed by other supervisors.
    is_owner: bool = Field(default=False)
    # This group's supervisors manage the learner's account (they created it, or the
    # learner joined with this group's code) and may reset its password.
    manages_account: bool = Field(default=False)
    joined_at: datetime = timestamp()
    removed_at: datetime | None = timestamp(nullable=True)
    # Set when the learner asks for sign-off; cleared when their level changes.
    signoff_requested_at: datetime | None = timestamp(nullable=True)
    # In a workplace, the manager (a supervisor's membership) a staff member reports to.
    manager_id: int | None = Field(default=None, foreign_key="membership.id", nullable=True)

    __table_args__ = (
        sa.UniqueConstraint("group_id", "user_id", name="uq_membership_group_user"),
        sa.CheckConstraint(
            "(role = 'learner' AND level IS NOT NULL) OR (role = 'supervisor' AND level IS NULL)",
            name="level_for_learners",
        ),
    )


class Invite(SQLModel, table=True):
    """A single-use, expiring link that lets one person join a group in a given role."""

    __tablename__ = "invite"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id", index=True)
    role: Role = Field(sa_type=enum_column(Role))
    # Only a hash is stored: the database alone does not let anyone join.
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    email: str | None = Field(default=None, sa_type=sa.String(254), nullable=True)
    created_by_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = timestamp()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = timestamp(nullable=True)
    used_by_id: int | None = Field(default=None, foreign_key="user_account.id", nullable=True)
    revoked_at: datetime | None = timestamp(nullable=True)
    # Whether the e-mail with the link really left (only when SMTP is configured).
    emailed_at: datetime | None = timestamp(nullable=True)
    email_failed_at: datetime | None = timestamp(nullable=True)
    # The language the invitee reads (the e-mail, the invite page, the new account's setting).
    locale: str | None = Field(default=None, sa_type=sa.String(10), nullable=True)


class AuthFailure(SQLModel, table=True):
    """One failed login, counted per account and per address to throttle guessing."""

    __tablename__ = "auth_failure"

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(sa_type=sa.String(10))
    key: str = Field(sa_type=sa.String(254))
    created_at: datetime = timestamp()

    __table_args__ = (sa.Index("ix_auth_failure_scope_key_created", "scope", "key", "created_at"),)


class RateCounter(SQLModel, table=True):
    """One rate-limit counter (Flask-Limiter's fixed window), shared by every worker."""

    __tablename__ = "rate_counter"

    key: str = Field(sa_type=sa.String(255), primary_key=True)
    count: int = 0
    # Seconds since the epoch, as the limits library counts time.
    expires_at: float = Field(sa_type=sa.Float, index=True)


class LessonProgress(SQLModel, table=True):
    """A person's progress in one lesson module (the same in every group they belong to)."""

    __tablename__ = "lesson_progress"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    module_id: str = Field(sa_type=sa.String(80))
    started_at: datetime = timestamp()
    opened_at: datetime = timestamp()
    completed_at: datetime | None = timestamp(nullable=True)
    best_score: int | None = Field(default=None, nullable=True)
    attempts: int = Field(default=0)
    seconds_spent: int = Field(default=0)

    __table_args__ = (
        sa.UniqueConstraint("user_id", "module_id", name="uq_lesson_progress_user_module"),
        # The refreshers job reads recent completions.
        sa.Index("ix_lesson_progress_completed_at", "completed_at"),
    )


class QuizAttempt(SQLModel, table=True):
    """One submitted quiz, scored."""

    __tablename__ = "quiz_attempt"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    module_id: str = Field(sa_type=sa.String(80))
    score: int
    passed: bool
    submitted_at: datetime = timestamp()

    __table_args__ = (sa.Index("ix_quiz_attempt_user_module", "user_id", "module_id"),)


class QuizAnswer(SQLModel, table=True):
    """The choices picked for one question of an attempt (kept for class analytics)."""

    __tablename__ = "quiz_answer"

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="quiz_attempt.id", index=True)
    question_id: str = Field(sa_type=sa.String(80))
    # Sorted choice ids joined with commas, e.g. "a,c".
    choice_ids: str = Field(sa_type=sa.String(40))
    correct: bool


class ModuleDiscussion(SQLModel, table=True):
    """A supervisor marks that a module's 'Talk about it' part was discussed with a learner."""

    __tablename__ = "module_discussion"

    id: int | None = Field(default=None, primary_key=True)
    membership_id: int = Field(foreign_key="membership.id")
    module_id: str = Field(sa_type=sa.String(80))
    supervisor_id: int = Field(foreign_key="user_account.id")
    note: str | None = Field(default=None, sa_type=sa.String(1000), nullable=True)
    discussed_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("membership_id", "module_id", name="uq_module_discussion_once"),
    )


class PrivacySetup(SQLModel, table=True):
    """A learner's choices in the simulated privacy settings of their practice profile."""

    __tablename__ = "privacy_setup"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", unique=True)
    choices: dict = Field(sa_type=sa.JSON)
    score: int
    # Each save makes a new revision; a supervisor's sign-off is for one revision.
    revision: int = Field(default=1)
    saved_at: datetime = timestamp()


class PrivacySignoff(SQLModel, table=True):
    """A supervisor co-signs a revision of a learner's privacy setup for one group."""

    __tablename__ = "privacy_signoff"

    id: int | None = Field(default=None, primary_key=True)
    membership_id: int = Field(foreign_key="membership.id", index=True)
    supervisor_id: int = Field(foreign_key="user_account.id")
    revision: int
    signed_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("membership_id", "revision", name="uq_privacy_signoff_revision"),
    )


class BrandProfile(SQLModel, table=True):
    """The learner's practice profile: handle, name, short bio and avatar (license stage)."""

    __tablename__ = "brand_profile"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", unique=True)
    handle: str = Field(sa_type=sa.String(30))
    display_name: str = Field(sa_type=sa.String(80))
    bio: str = Field(default="", sa_type=sa.String(160))
    # Stored re-encoded, without metadata, in the database so every instance can serve it.
    avatar: bytes | None = Field(default=None, sa_type=sa.LargeBinary, nullable=True)
    avatar_type: str | None = Field(default=None, sa_type=sa.String(20), nullable=True)
    updated_at: datetime = timestamp()


class AgreementStatus(enum.StrEnum):
    """Where a family agreement version stands."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    SUPERSEDED = "superseded"


class FamilyAgreement(SQLModel, table=True):
    """One version of the rules a teen and their parents agree on; signed by both sides."""

    __tablename__ = "family_agreement"

    id: int | None = Field(default=None, primary_key=True)
    membership_id: int = Field(foreign_key="membership.id", index=True)
    version: int
    terms: dict = Field(sa_type=sa.JSON)
    status: AgreementStatus = Field(sa_type=enum_column(AgreementStatus))
    proposed_by_id: int = Field(foreign_key="user_account.id")
    proposed_at: datetime = timestamp()
    active_since: datetime | None = timestamp(nullable=True)

    __table_args__ = (
        sa.UniqueConstraint("membership_id", "version", name="uq_family_agreement_version"),
    )


class AgreementSignature(SQLModel, table=True):
    """A person's signature on one agreement version."""

    __tablename__ = "agreement_signature"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="family_agreement.id", index=True)
    user_id: int = Field(foreign_key="user_account.id")
    signed_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "user_id", name="uq_agreement_signature_once"),
    )


class PostStatus(enum.StrEnum):
    """Where a practice post stands. Nothing is deleted: withdrawn and removed are statuses."""

    DRAFT = "draft"
    PENDING = "pending"
    CHANGES = "changes"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


class Audience(enum.StrEnum):
    """Who a practice post is for, inside its group."""

    PUBLIC = "public"
    FRIENDS = "friends"
    DIRECT = "direct"


class PracticePost(SQLModel, table=True):
    """A learner's practice post (or reply) on their group's sandbox feed."""

    __tablename__ = "practice_post"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id")
    membership_id: int = Field(foreign_key="membership.id")
    author_id: int = Field(foreign_key="user_account.id")
    # A reply names the post it answers and shares that post's audience.
    parent_id: int | None = Field(
        default=None, foreign_key="practice_post.id", nullable=True, index=True
    )
    audience: Audience = Field(sa_type=enum_column(Audience))
    status: PostStatus = Field(sa_type=enum_column(PostStatus))
    # The number of the current revision (1 for a first draft or submission).
    revision: int = Field(default=1)
    # The learner's level when the post was submitted: it decides who may see it.
    level: Level | None = Field(default=None, sa_type=enum_column(Level), nullable=True)
    held_by_coach: bool = Field(default=False)
    # High-severity findings of the current revision that no supervisor dismissed.
    high_findings: int = Field(default=0)
    changes_requested: int = Field(default=0)
    # At `licensed`, supervisors see a post only when the learner shares it.
    shared_with_supervisors: bool = Field(default=False)
    # A random token from the compose form: a double-clicked submit makes one post.
    client_token: str | None = Field(default=None, sa_type=sa.String(40), nullable=True)
    created_at: datetime = timestamp()
    submitted_at: datetime | None = timestamp(nullable=True)
    approved_at: datetime | None = timestamp(nullable=True)
    published_at: datetime | None = timestamp(nullable=True)
    flagged_at: datetime | None = timestamp(nullable=True)
    closed_at: datetime | None = timestamp(nullable=True)

    __table_args__ = (
        sa.UniqueConstraint("author_id", "client_token", name="uq_practice_post_client_token"),
        # The ladder's promises, kept by the database itself.
        sa.CheckConstraint(
            "revision >= 1 AND high_findings >= 0 AND changes_requested >= 0",
            name="counts_in_range",
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'withdrawn') OR (submitted_at IS NOT NULL AND level IS NOT NULL)",
            name="sent_posts_have_level",
        ),
        sa.CheckConstraint(
            "status NOT IN ('published', 'removed') OR published_at IS NOT NULL",
            name="published_has_time",
        ),
        sa.CheckConstraint(
            "status NOT IN ('published', 'removed') OR level <> 'permit' "
            "OR approved_at IS NOT NULL",
            name="permit_posts_need_approval",
        ),
        sa.Index("ix_practice_post_group_status_submitted", "group_id", "status", "submitted_at"),
        sa.Index("ix_practice_post_group_published", "group_id", "published_at"),
        sa.Index("ix_practice_post_membership_status", "membership_id", "status"),
    )


class PostRevision(SQLModel, table=True):
    """One version of a post's text and image; every submitted revision is kept."""

    __tablename__ = "post_revision"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="practice_post.id")
    number: int
    body: str = Field(sa_type=sa.String(1000))
    # Re-encoded without metadata, in the database so every instance can serve it.
    image: bytes | None = Field(default=None, sa_type=sa.LargeBinary, nullable=True)
    image_type: str | None = Field(default=None, sa_type=sa.String(20), nullable=True)
    created_at: datetime = timestamp()

    __table_args__ = (sa.UniqueConstraint("post_id", "number", name="uq_post_revision_number"),)


class PostFinding(SQLModel, table=True):
    """A coach finding stored with the revision it was found in; supervisors may dismiss it."""

    __tablename__ = "post_finding"

    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="post_revision.id", index=True)
    rule: str = Field(sa_type=sa.String(60), index=True)
    category: str = Field(sa_type=sa.String(40))
    severity: str = Field(sa_type=sa.String(10))
    start: int
    end: int
    excerpt: str = Field(default="", sa_type=sa.String(200))
    message: str = Field(sa_type=sa.String(400))
    lesson: str = Field(sa_type=sa.String(80))
    suggestion: str | None = Field(default=None, sa_type=sa.String(400), nullable=True)
    dismissed_at: datetime | None = timestamp(nullable=True)
    dismissed_by_id: int | None = Field(default=None, foreign_key="user_account.id", nullable=True)
    dismissal_reason: str | None = Field(default=None, sa_type=sa.String(300), nullable=True)


class PostAudience(SQLModel, table=True):
    """A member a 'friends' or 'direct message' post is for."""

    __tablename__ = "post_audience"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="practice_post.id", index=True)
    membership_id: int = Field(foreign_key="membership.id", index=True)

    __table_args__ = (
        sa.UniqueConstraint("post_id", "membership_id", name="uq_post_audience_member"),
    )


class EventKind(enum.StrEnum):
    """What a supervisor did about a learner (the learner sees all of these)."""

    APPROVED = "approved"
    CHANGES_REQUESTED = "changes"
    COMMENTED = "commented"
    FLAGGED = "flagged"
    OPENED = "opened"
    DISMISSED = "dismissed"
    SIGNED_OFF = "signed_off"
    STEPPED_BACK = "stepped_back"
    # A supervisor signed (or proposed, which signs) a version of the family agreement.
    AGREEMENT_SIGNED = "agreement_signed"
    # A supervisor changed the group's ladder numbers; `note` says what changed.
    RULES_CHANGED = "rules_changed"
    # A supervisor gave the learner a new password (a new login card); the old one ended.
    PASSWORD_RESET = "password_reset"  # noqa: S105 (an event name, not a password)
    # A supervisor read the learner's result of a scenario (`scenario_run_id` says which).
    SCENARIO_VIEWED = "scenario_viewed"


class SupervisionEvent(SQLModel, table=True):
    """One supervisor action about one learner: the learner's transparency log."""

    __tablename__ = "supervision_event"

    id: int | None = Field(default=None, primary_key=True)
    membership_id: int = Field(foreign_key="membership.id")
    actor_id: int = Field(foreign_key="user_account.id")
    kind: EventKind = Field(sa_type=enum_column(EventKind))
    post_id: int | None = Field(
        default=None, foreign_key="practice_post.id", nullable=True, index=True
    )
    revision: int | None = Field(default=None, nullable=True)
    # Preset reasons (comma-separated ids) and the supervisor's own words.
    reasons: str | None = Field(default=None, sa_type=sa.String(200), nullable=True)
    note: str | None = Field(default=None, sa_type=sa.String(1000), nullable=True)
    level_from: Level | None = Field(default=None, sa_type=enum_column(Level), nullable=True)
    level_to: Level | None = Field(default=None, sa_type=enum_column(Level), nullable=True)
    scenario_run_id: int | None = Field(
        default=None, foreign_key="scenario_run.id", nullable=True, index=True
    )
    created_at: datetime = timestamp()

    __table_args__ = (
        sa.Index("ix_supervision_event_membership_created", "membership_id", "created_at"),
        sa.CheckConstraint(
            "kind NOT IN ('signed_off', 'stepped_back') "
            "OR (level_from IS NOT NULL AND level_to IS NOT NULL)",
            name="level_change_has_levels",
        ),
    )


class LadderRules(SQLModel, table=True):
    """A group's own numbers for the ladder (groups without a row use their kind's defaults)."""

    __tablename__ = "ladder_rules"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id", unique=True)
    permit_approved: int
    permit_clean_streak: int
    provisional_days: int
    provisional_posts: int
    # The instruction lessons the first step needs, comma-separated module ids (NULL:
    # every instruction lesson, lessons added later included).
    first_lessons: str | None = Field(default=None, sa_type=sa.String(1000), nullable=True)
    # Instruction scenarios to pass before the permit; NULL: all of those suited to the learner.
    permit_scenarios: int | None = Field(default=None, nullable=True)
    updated_by_id: int = Field(foreign_key="user_account.id")
    updated_at: datetime = timestamp()

    __table_args__ = (
        sa.CheckConstraint(
            "permit_approved BETWEEN 1 AND 50 AND permit_clean_streak BETWEEN 0 AND permit_approved"
            " AND provisional_days BETWEEN 1 AND 90 AND provisional_posts BETWEEN 1 AND 50",
            name="sane_numbers",
        ),
        sa.CheckConstraint(
            "permit_scenarios IS NULL OR permit_scenarios BETWEEN 0 AND 50", name="sane_scenarios"
        ),
    )


class NotificationKind(enum.StrEnum):
    """What an in-app notification is about."""

    TO_REVIEW = "to_review"
    DECISION = "decision"
    SIGNOFF_REQUESTED = "signoff_requested"
    LEVEL_CHANGED = "level_changed"
    FLAGGED = "flagged"
    POLICY_PUBLISHED = "policy_published"
    REMINDER = "reminder"
    COSIGN_REQUESTED = "cosign_requested"
    AGREEMENT_PROPOSED = "agreement_proposed"
    # A learner playing a scenario asked their supervisors for help ("tell a trusted adult").
    SCENARIO_HELP = "scenario_help"


class Notification(SQLModel, table=True):
    """Something for one person to look at; unread until they open their notifications."""

    __tablename__ = "notification"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    kind: NotificationKind = Field(sa_type=enum_column(NotificationKind))
    group_id: int = Field(foreign_key="learning_group.id")
    membership_id: int | None = Field(default=None, foreign_key="membership.id", nullable=True)
    post_id: int | None = Field(default=None, foreign_key="practice_post.id", nullable=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", nullable=True)
    # The decision or the new level, for the message ("approved", "licensed"...).
    detail: str | None = Field(default=None, sa_type=sa.String(20), nullable=True)
    created_at: datetime = timestamp()
    read_at: datetime | None = timestamp(nullable=True)
    emailed_at: datetime | None = timestamp(nullable=True)

    __table_args__ = (
        sa.Index("ix_notification_user_read", "user_id", "read_at"),
        sa.Index("ix_notification_emailed", "emailed_at", "user_id"),
    )


class LicenseCertificate(SQLModel, table=True):
    """A license anyone can verify by its code (showing only first name, level and date)."""

    __tablename__ = "license_certificate"

    id: int | None = Field(default=None, primary_key=True)
    membership_id: int = Field(foreign_key="membership.id", index=True)
    code: str = Field(sa_type=sa.String(16), unique=True)
    first_name: str = Field(sa_type=sa.String(80))
    issued_at: datetime = timestamp()
    revoked_at: datetime | None = timestamp(nullable=True)


class Assignment(SQLModel, table=True):
    """A lesson a teacher assigns to a class, with a due date."""

    __tablename__ = "assignment"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id", index=True)
    module_id: str = Field(sa_type=sa.String(80))
    due_on: date
    assigned_by_id: int = Field(foreign_key="user_account.id")
    created_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("group_id", "module_id", name="uq_assignment_group_module"),
    )


class ScenarioAssignment(SQLModel, table=True):
    """A scenario a teacher assigns to a class, with a due date (like a lesson's Assignment)."""

    __tablename__ = "scenario_assignment"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id", index=True)
    scenario_id: str = Field(sa_type=sa.String(60))
    due_on: date
    assigned_by_id: int = Field(foreign_key="user_account.id")
    created_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("group_id", "scenario_id", name="uq_scenario_assignment_group"),
    )


class LiveStatus(enum.StrEnum):
    """Whether a live class session is on."""

    RUNNING = "running"
    ENDED = "ended"


class LiveSession(SQLModel, table=True):
    """A teacher leads a class through a lesson step by step; its state lives here (not in
    any process), so every worker and every host serves the same session."""

    __tablename__ = "live_session"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id", index=True)
    module_id: str = Field(sa_type=sa.String(80))
    started_by_id: int = Field(foreign_key="user_account.id")
    status: LiveStatus = Field(sa_type=enum_column(LiveStatus))
    step: int = Field(default=0)
    revealed: bool = Field(default=False)
    # Bumped on every change the students' devices must follow (step, reveal, end).
    version: int = Field(default=1)
    started_at: datetime = timestamp()
    ended_at: datetime | None = timestamp(nullable=True)
    # The time a question stays open, chosen at the start (None: no timer), and when the
    # current step began (the timer counts from there).
    seconds_per_question: int | None = Field(default=None, nullable=True)
    step_started_at: datetime | None = timestamp(nullable=True)
    # Set when the session steps through a scenario (module_id is then its first lesson).
    scenario_id: str | None = Field(default=None, sa_type=sa.String(60), nullable=True)

    __table_args__ = (sa.CheckConstraint("step >= 0 AND version >= 1", name="step_in_range"),)


class LiveParticipant(SQLModel, table=True):
    """A student who joined a live session (counted once; the presenter sees how many)."""

    __tablename__ = "live_participant"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="live_session.id")
    membership_id: int = Field(foreign_key="membership.id", index=True)
    joined_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("session_id", "membership_id", name="uq_live_participant_once"),
    )


class LiveAnswer(SQLModel, table=True):
    """One student's answer to one step of a live session (counted once)."""

    __tablename__ = "live_answer"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="live_session.id")
    step: int
    membership_id: int = Field(foreign_key="membership.id")
    # Sorted choice ids joined with commas.
    choice_ids: str = Field(sa_type=sa.String(40))
    answered_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("session_id", "step", "membership_id", name="uq_live_answer_once"),
        sa.Index("ix_live_answer_session_step", "session_id", "step"),
    )


class PolicyStatus(enum.StrEnum):
    """Where a version of a workplace's social-media policy stands."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class PolicyVersion(SQLModel, table=True):
    """One version of a workplace's personal social-media policy; published ones stay."""

    __tablename__ = "policy_version"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id", index=True)
    version: int
    title: str = Field(sa_type=sa.String(160))
    body: str = Field(sa_type=sa.Text)
    status: PolicyStatus = Field(sa_type=enum_column(PolicyStatus))
    created_by_id: int = Field(foreign_key="user_account.id")
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    published_at: datetime | None = timestamp(nullable=True)
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id", nullable=True)
    # The day staff should have acknowledged this version by (HR sets it when publishing).
    acknowledge_by: date | None = Field(default=None, nullable=True)

    __table_args__ = (
        sa.UniqueConstraint("group_id", "version", name="uq_policy_version_number"),
        sa.CheckConstraint(
            "status = 'draft' OR published_at IS NOT NULL", name="published_has_time"
        ),
    )


class PolicyAcknowledgement(SQLModel, table=True):
    """A staff member's acknowledgement of one exact policy version: who, which version,
    the full name they typed, and when. Permanent: the database refuses changes."""

    __tablename__ = "policy_acknowledgement"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="policy_version.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    typed_name: str = Field(sa_type=sa.String(120))
    acknowledged_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("version_id", "user_id", name="uq_policy_acknowledgement_once"),
    )


class Reminder(SQLModel, table=True):
    """A reminder sent to one person about one thing on one day (never twice that day)."""

    __tablename__ = "reminder"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    group_id: int = Field(foreign_key="learning_group.id")
    subject: str = Field(sa_type=sa.String(80))
    sent_on: date
    sent_at: datetime = timestamp()
    emailed: bool = Field(default=False)

    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "group_id", "subject", "sent_on", name="uq_reminder_once_a_day"
        ),
    )


class GroupEventKind(enum.StrEnum):
    """What HR did in a workplace that concerns no one learner (or no member yet)."""

    INVITE_RESENT = "invite_resent"
    INVITE_CANCELLED = "invite_cancelled"
    REMINDED = "reminded"
    DEADLINE_SET = "deadline_set"


class GroupEvent(SQLModel, table=True):
    """The workplace's log of HR actions: invites resent or cancelled, reminders sent,
    deadlines set (shown on the completion report)."""

    __tablename__ = "group_event"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learning_group.id")
    actor_id: int = Field(foreign_key="user_account.id")
    kind: GroupEventKind = Field(sa_type=enum_column(GroupEventKind))
    # What it was about, in plain words (an address, a count, a date).
    detail: str = Field(default="", sa_type=sa.String(254))
    created_at: datetime = timestamp()

    __table_args__ = (sa.Index("ix_group_event_group_created", "group_id", "created_at"),)


# --- Schools' learning platforms (LTI 1.3) ------------------------------------------------


class LtiPlatform(SQLModel, table=True):
    """A learning platform registered to launch the tool: one issuer and one client id
    (an issuer may register several client ids, each with its own deployments)."""

    __tablename__ = "lti_platform"

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(sa_type=sa.String(255))
    client_id: str = Field(sa_type=sa.String(255))
    auth_login_url: str = Field(sa_type=sa.String(1000))
    auth_token_url: str = Field(sa_type=sa.String(1000))
    key_set_url: str = Field(sa_type=sa.String(1000))
    # Where the platform's pages live, when not on the issuer's or login URL's origin
    # (a school's own Canvas domain): the launch pages may be framed by these only.
    frame_origins: str = Field(default="", sa_type=sa.String(1000))
    created_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("issuer", "client_id", name="uq_lti_platform_issuer_client"),
    )


class LtiDeployment(SQLModel, table=True):
    """One deployment of the tool in a platform (a school, a course, the whole district)."""

    __tablename__ = "lti_deployment"

    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="lti_platform.id", index=True)
    deployment_id: str = Field(sa_type=sa.String(255))

    __table_args__ = (
        sa.UniqueConstraint("platform_id", "deployment_id", name="uq_lti_deployment_once"),
    )


class LtiIdentity(SQLModel, table=True):
    """A platform's person (issuer + `sub`) is one of our accounts; never matched by e-mail."""

    __tablename__ = "lti_identity"

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(sa_type=sa.String(255))
    sub: str = Field(sa_type=sa.String(255))
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = timestamp()

    __table_args__ = (sa.UniqueConstraint("issuer", "sub", name="uq_lti_identity_issuer_sub"),)


class LtiContext(SQLModel, table=True):
    """A platform's course (issuer + context id) is one of our classes."""

    __tablename__ = "lti_context"

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(sa_type=sa.String(255))
    context_id: str = Field(sa_type=sa.String(255))
    group_id: int = Field(foreign_key="learning_group.id", index=True)
    # Names and Role Provisioning: the course's membership URL and the registration to
    # ask it with, from the latest launch that offered the service.
    memberships_url: str | None = Field(default=None, sa_type=sa.String(1000), nullable=True)
    platform_id: int | None = Field(default=None, foreign_key="lti_platform.id", nullable=True)
    roster_synced_at: datetime | None = timestamp(nullable=True)

    __table_args__ = (
        sa.UniqueConstraint("issuer", "context_id", name="uq_lti_context_issuer_context"),
    )


class LtiResourceLink(SQLModel, table=True):
    """A link placed in a course: what it opens, and its gradebook column if it has one."""

    __tablename__ = "lti_resource_link"

    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="lti_platform.id", index=True)
    resource_link_id: str = Field(sa_type=sa.String(255))
    target: str | None = Field(default=None, sa_type=sa.String(120), nullable=True, index=True)
    lineitem_url: str | None = Field(default=None, sa_type=sa.String(1000), nullable=True)

    __table_args__ = (
        sa.UniqueConstraint("platform_id", "resource_link_id", name="uq_lti_resource_link_once"),
    )


class LtiGrade(SQLModel, table=True):
    """A student's score for one graded link: waiting (launched, not done), pending (to be
    sent), sent. Posted once: a sender claims the row before posting."""

    __tablename__ = "lti_grade"

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="lti_resource_link.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    sub: str = Field(sa_type=sa.String(255))
    status: str = Field(default="waiting", sa_type=sa.String(10), index=True)
    score: int | None = Field(default=None, nullable=True)
    tries: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_type=sa.String(255), nullable=True)
    claimed_at: datetime | None = timestamp(nullable=True)
    sent_at: datetime | None = timestamp(nullable=True)

    __table_args__ = (sa.UniqueConstraint("link_id", "user_id", name="uq_lti_grade_once"),)


class LtiLaunchData(SQLModel, table=True):
    """What the launch flow keeps between requests (nonces, launches for deep linking),
    in the database so that every worker sees it and a nonce is used once."""

    __tablename__ = "lti_launch_data"

    key: str = Field(sa_type=sa.String(255), primary_key=True)
    value: dict = Field(sa_type=sa.JSON)
    expires_at: float = Field(sa_type=sa.Float, index=True)


class OneRosterRecord(SQLModel, table=True):
    """A district's record (by OneRoster `sourcedId`) is one of our users or classes, so a
    second import of the same file updates instead of duplicating."""

    __tablename__ = "oneroster_record"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=sa.String(10))
    sourced_id: str = Field(sa_type=sa.String(255))
    local_id: int

    __table_args__ = (
        sa.UniqueConstraint("kind", "sourced_id", name="uq_oneroster_record_kind_sourced_id"),
    )


class PretestStatus(enum.StrEnum):
    """Whether a learner took a module's pre-test or chose to skip it (never a zero)."""

    TAKEN = "taken"
    SKIPPED = "skipped"


class ItemOutcome(enum.StrEnum):
    """How one pre-test or refresher item was answered."""

    RIGHT = "right"
    WRONG = "wrong"
    # The "I don't know yet" choice: counted as not known, never as a guess.
    DONT_KNOW = "dont_know"
    # Left blank: not known either, kept apart so a blank is not read as an answer.
    SKIPPED = "skipped"


class PretestAttempt(SQLModel, table=True):
    """A learner's baseline for one module: the pre-test taken (scored) or skipped (no score).

    One per learner and module: the baseline is what they knew before the first lesson."""

    __tablename__ = "pretest_attempt"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    module_id: str = Field(sa_type=sa.String(80))
    status: PretestStatus = Field(sa_type=enum_column(PretestStatus))
    # Percentage right; None when skipped.
    score: int | None = Field(default=None, nullable=True)
    submitted_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("user_id", "module_id", name="uq_pretest_attempt_user_module"),
    )


class PretestAnswer(SQLModel, table=True):
    """One item of a pre-test: the choices picked and how it counted."""

    __tablename__ = "pretest_answer"

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="pretest_attempt.id", index=True)
    question_id: str = Field(sa_type=sa.String(80))
    # Sorted choice ids joined with commas; empty for "I don't know yet" and for a blank.
    choice_ids: str = Field(default="", sa_type=sa.String(40))
    outcome: ItemOutcome = Field(sa_type=enum_column(ItemOutcome))


class ConfidenceMoment(enum.StrEnum):
    """When the 'how sure are you?' question was asked: before the lesson or after it."""

    BEFORE = "before"
    AFTER = "after"


class ConfidenceRating(SQLModel, table=True):
    """A learner's answer to 'how sure are you?' about a module, 1 (not at all) to 4 (very)."""

    __tablename__ = "confidence_rating"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    module_id: str = Field(sa_type=sa.String(80))
    moment: ConfidenceMoment = Field(sa_type=enum_column(ConfidenceMoment))
    value: int
    answered_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "module_id", "moment", name="uq_confidence_rating_user_module_moment"
        ),
        sa.CheckConstraint("value BETWEEN 1 AND 4", name="value_in_range"),
    )


class RefresherItem(SQLModel, table=True):
    """One retrieval question from a completed module, due 7 or 30 days after completion.

    Made by the reminders job (one row per learner, module, round and question, so a
    second run makes nothing twice); answered or dismissed on the learner's dashboard."""

    __tablename__ = "refresher_item"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    module_id: str = Field(sa_type=sa.String(80))
    # Days after completion: 7 or 30.
    round: int
    question_id: str = Field(sa_type=sa.String(80))
    due_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = timestamp()
    answered_at: datetime | None = timestamp(nullable=True)
    choice_ids: str | None = Field(default=None, sa_type=sa.String(40), nullable=True)
    outcome: ItemOutcome | None = Field(
        default=None, sa_type=enum_column(ItemOutcome), nullable=True
    )
    dismissed_at: datetime | None = timestamp(nullable=True)

    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "module_id", "round", "question_id", name="uq_refresher_item_once"
        ),
        sa.Index("ix_refresher_item_user_open", "user_id", "answered_at", "dismissed_at"),
    )


class ScenarioRun(SQLModel, table=True):
    """One play of one scenario by one person. Replays make new runs; the latest finished
    one counts. The scenario clock is `clock` seconds at `clock_at` (wall time), running on
    from there (see learner.scenarios.clock_of)."""

    __tablename__ = "scenario_run"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    scenario_id: str = Field(sa_type=sa.String(60))
    lang: str = Field(default="en", sa_type=sa.String(10))
    # The guided run shows hints to acknowledge; a learner's first run of a scenario is one.
    guided: bool = Field(default=False)
    started_at: datetime = timestamp()
    clock: int = Field(default=0)
    clock_at: datetime = timestamp()
    # The `at` of each guided hint acknowledged, comma-separated ("start,dm2").
    hints_seen: str = Field(default="", sa_type=sa.String(500))
    finished_at: datetime | None = timestamp(nullable=True)
    score: int | None = Field(default=None, nullable=True)
    passed: bool | None = Field(default=None, nullable=True)
    reflected_at: datetime | None = timestamp(nullable=True)

    __table_args__ = (
        sa.Index("ix_scenario_run_user_scenario_started", "user_id", "scenario_id", "started_at"),
        sa.Index("ix_scenario_run_user_finished", "user_id", "finished_at"),
        sa.CheckConstraint(
            "clock >= 0 AND (score IS NULL OR score BETWEEN 0 AND 100)", name="numbers_in_range"
        ),
        sa.CheckConstraint(
            "finished_at IS NULL OR (score IS NOT NULL AND passed IS NOT NULL)",
            name="finished_has_score",
        ),
    )


class ScenarioAction(SQLModel, table=True):
    """One thing the learner did in a run, at a scenario second, with what the coach found
    in its text (categories and rule ids, comma-separated)."""

    __tablename__ = "scenario_action"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="scenario_run.id")
    position: int
    kind: str = Field(sa_type=sa.String(20))
    target: str | None = Field(default=None, sa_type=sa.String(60), nullable=True)
    text: str | None = Field(default=None, sa_type=sa.String(1000), nullable=True)
    reason: str | None = Field(default=None, sa_type=sa.String(20), nullable=True)
    value: str | None = Field(default=None, sa_type=sa.String(40), nullable=True)
    categories: str = Field(default="", sa_type=sa.String(400))
    rules: str = Field(default="", sa_type=sa.String(1000))
    second: int
    created_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("run_id", "position", name="uq_scenario_action_run_position"),
        sa.CheckConstraint("position >= 0 AND second >= 0", name="numbers_in_range"),
    )


class ScenarioReflection(SQLModel, table=True):
    """A learner's answer to one reflection prompt of a finished run (text or a choice)."""

    __tablename__ = "scenario_reflection"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="scenario_run.id")
    prompt_id: str = Field(sa_type=sa.String(60))
    choice_id: str | None = Field(default=None, sa_type=sa.String(6), nullable=True)
    text: str | None = Field(default=None, sa_type=sa.String(2000), nullable=True)
    answered_at: datetime = timestamp()

    __table_args__ = (
        sa.UniqueConstraint("run_id", "prompt_id", name="uq_scenario_reflection_once"),
    )


# Every session that writes these tables moves the groups' data versions: the listeners
# live beside the figures kept against them, and are installed with the tables.
from learner import groupdata  # noqa: E402, F401
