"""The words each setting uses for the same roles and levels (parent/teen, teacher/student...)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from learner.models import AccountKind, AgeBand, Audience, GroupKind, Level, Role

GROUP_KIND = {
    GroupKind.FAMILY: _l("Family"),
    GroupKind.CLASSROOM: _l("Classroom"),
    GroupKind.WORKPLACE: _l("Workplace"),
}

ROLE = {
    (GroupKind.FAMILY, Role.SUPERVISOR): _l("Parent or mentor"),
    (GroupKind.FAMILY, Role.LEARNER): _l("Teen"),
    (GroupKind.CLASSROOM, Role.SUPERVISOR): _l("Teacher"),
    (GroupKind.CLASSROOM, Role.LEARNER): _l("Student"),
    (GroupKind.WORKPLACE, Role.SUPERVISOR): _l("Manager"),
    (GroupKind.WORKPLACE, Role.LEARNER): _l("Staff member"),
}

ROLE_PLURAL = {
    (GroupKind.FAMILY, Role.SUPERVISOR): _l("Parents and mentors"),
    (GroupKind.FAMILY, Role.LEARNER): _l("Teens"),
    (GroupKind.CLASSROOM, Role.SUPERVISOR): _l("Teachers"),
    (GroupKind.CLASSROOM, Role.LEARNER): _l("Students"),
    (GroupKind.WORKPLACE, Role.SUPERVISOR): _l("Managers"),
    (GroupKind.WORKPLACE, Role.LEARNER): _l("Staff"),
}

# How a learner speaks of their supervisors in each setting ("waiting for your parent").
YOUR_SUPERVISOR = {
    GroupKind.FAMILY: _l("your parent"),
    GroupKind.CLASSROOM: _l("your teacher"),
    GroupKind.WORKPLACE: _l("your manager"),
}

# What a child under 13 reads when the group may not take them yet (DESIGN §3): a family
# makes the child's account; a class or workplace waits for consent to be confirmed.
UNDER_13_REFUSED = {
    GroupKind.FAMILY: _l(
        "Learners under 13 need an account made by a parent. Ask your parent to create yours."
    ),
    GroupKind.CLASSROOM: _l(
        "Students under 13 can join this class once your teacher has confirmed a parent's "
        "consent. Ask your teacher to confirm consent, then join with the code again."
    ),
    GroupKind.WORKPLACE: _l(
        "Learners under 13 can join once a manager has confirmed a parent's consent. "
        "Ask your manager to confirm consent."
    ),
}

LEVEL = {
    Level.INSTRUCTION: _l("Instruction"),
    Level.PERMIT: _l("Learner's permit"),
    Level.PROVISIONAL: _l("Provisional"),
    Level.LICENSED: _l("Licensed"),
}

LEVEL_MEANING = {
    Level.INSTRUCTION: _l("Reading lessons and taking quizzes; drafts stay private."),
    Level.PERMIT: _l("Every practice post waits for a supervisor's approval."),
    Level.PROVISIONAL: _l(
        "Posts appear at once, except one where the coach finds something serious (a phone "
        "number, an address, a password, a plan to be away): that one waits for review."
    ),
    Level.LICENSED: _l("Posts freely; the coach still gives advice."),
}

STAGE = {
    "instruction": _l("Instruction"),
    "permit": _l("Learner's permit"),
    "license": _l("License"),
}

COACH_CATEGORY = {
    "privacy.birthdate": _l("Birth date"),
    "privacy.phone": _l("Phone number"),
    "privacy.email": _l("E-mail address"),
    "privacy.address": _l("Home address"),
    "privacy.school": _l("Your school"),
    "privacy.location": _l("Where you are now"),
    "privacy.away": _l("Empty home"),
    "privacy.credentials": _l("Password or number"),
    "spam.ask": _l("Asking for follows or shares"),
    "spam.link_only": _l("Just a link"),
    "spam.hype": _l("Too good to be true"),
    "spam.auto_dm": _l("Automatic message"),
    "spam.mass_tag": _l("Tagging lots of people"),
    "tone.hurtful": _l("Hurtful words"),
    "tone.private_exposure": _l("Someone else's private messages"),
    "image.gps": _l("Photo location"),
}

AUDIENCE = {
    Audience.PUBLIC: _l("Everyone in the group"),
    Audience.FRIENDS: _l("Chosen people"),
    Audience.DIRECT: _l("Direct message"),
}

# The transparency log's lines, by event kind (and two older kinds of supervisor action).
EVENT = {
    "approved": _l("approved this post"),
    "changes": _l("asked for changes to this post"),
    "commented": _l("commented on this post"),
    "flagged": _l("flagged this post for a talk"),
    "opened": _l("opened this post"),
    "dismissed": _l("dismissed a coach finding on this post"),
    "signed_off": _l("signed off to the next level"),
    "stepped_back": _l("stepped back one level"),
    "discussed": _l("marked a lesson as talked through"),
    "cosigned": _l("co-signed the privacy setup"),
    "agreement_signed": _l("signed the family agreement"),
    "rules_changed": _l("changed the ladder's numbers"),
    "password_reset": _l("made a new password (a new login card); the old one stopped working"),
    "scenario_viewed": _l("read the result of a practice scenario"),
}

# The same actions in the learner's log, which names the post (%(post)s: its first words).
EVENT_ON_POST = {
    "approved": _l("approved %(post)s"),
    "changes": _l("asked for changes to %(post)s"),
    "commented": _l("commented on %(post)s"),
    "flagged": _l("flagged %(post)s for a talk"),
    "opened": _l("opened %(post)s"),
    "dismissed": _l("dismissed a coach finding on %(post)s"),
}

# The numbers of a group's ladder, as its rules-changed log entries name them.
LADDER_NUMBER = {
    "permit_approved": _l("approved posts to leave the permit"),
    "permit_clean_streak": _l("of those, the latest in a row with no changes"),
    "provisional_days": _l("days at provisional"),
    "provisional_posts": _l("posts at provisional without a flag"),
    "first_lessons": _l("instruction lessons the permit needs"),
}

AGE_BAND = {
    AgeBand.UNDER_13: _l("Under 13"),
    AgeBand.AGE_13_15: _l("13 to 15"),
    AgeBand.AGE_16_17: _l("16 or 17"),
    AgeBand.ADULT: _l("18 or older"),
}

ACCOUNT_KIND = {
    AccountKind.PARENT: _l("Parent or mentor"),
    AccountKind.TEACHER: _l("Teacher"),
    AccountKind.ORG_ADMIN: _l("Organisation admin"),
    AccountKind.LEARNER: _l("Learner"),
}

# The kind of group each sign-up kind is offered to create first.
FIRST_GROUP = {
    AccountKind.PARENT: GroupKind.FAMILY,
    AccountKind.TEACHER: GroupKind.CLASSROOM,
    AccountKind.ORG_ADMIN: GroupKind.WORKPLACE,
}

SIGNUP_KIND_FOR_GROUP = {group: kind for kind, group in FIRST_GROUP.items()}


def role_label(kind: GroupKind, role: Role, *, plural: bool = False) -> str:
    """The name of a role in a kind of group."""
    return (ROLE_PLURAL if plural else ROLE)[(GroupKind(kind), Role(role))]


def supervisors_word(kind: GroupKind) -> str:
    """How a sentence names a group's supervisors: "parents and mentors", "teachers".
    German keeps its nouns capitalised ("Lehrkräfte")."""
    word = str(ROLE_PLURAL[(GroupKind(kind), Role.SUPERVISOR)])
    locale = get_locale()
    return word if locale is not None and locale.language == "de" else word.lower()


def template_globals() -> dict:
    """What templates need to label things."""
    return {
        "GROUP_KIND_LABEL": GROUP_KIND,
        "LEVEL_LABEL": LEVEL,
        "LEVEL_MEANING": LEVEL_MEANING,
        "STAGE_LABEL": STAGE,
        "COACH_CATEGORY_LABEL": COACH_CATEGORY,
        "AUDIENCE_LABEL": AUDIENCE,
        "EVENT_LABEL": EVENT,
        "EVENT_ON_POST_LABEL": EVENT_ON_POST,
        "LADDER_NUMBER_LABEL": LADDER_NUMBER,
        "AGE_BAND_LABEL": AGE_BAND,
        "ACCOUNT_KIND_LABEL": ACCOUNT_KIND,
        "role_label": role_label,
        "supervisors_word": supervisors_word,
        "YOUR_SUPERVISOR": YOUR_SUPERVISOR,
    }
