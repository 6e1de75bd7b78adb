"""The input gate: every form the app accepts, with its limits and messages (CSRF included)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from learner import agreements, privacy
from learner.core import labels, passwords
from learner.models import AccountKind, AgeBand, GroupKind, Role

# Each language is named in itself: someone who cannot read the page can still find theirs.
LANGUAGES = (
    SelectChoice("en", "English"),
    SelectChoice("es", "Español"),
    SelectChoice("de", "Deutsch"),
)
SUPPORTED_LOCALES = (SelectChoice("", _l("Use my browser's language")), *LANGUAGES)


def invitee_language_field() -> SelectField:
    """The language an invitee reads: their e-mail and invite page are written in it, and
    a new account starts with it (the page's language is chosen unless changed)."""
    return SelectField(
        _l("Their language"),
        choices=LANGUAGES,
        default=lambda: str(get_locale() or "en"),
        validators=[Optional()],
        description=_l("The invite e-mail and page are written in it."),
    )


def _choices(mapping: dict) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in mapping.items()]


def _password_rules(form, field) -> None:
    try:
        passwords.check_password_rules(field.data or "")
    except passwords.PasswordError as error:
        raise ValidationError(str(error)) from error


def new_password_field(label: str | None = None) -> PasswordField:
    """A password field with the sign-up rules, described to the person typing."""
    return PasswordField(
        label or _l("Password"),
        validators=[InputRequired(), _password_rules],
        description=_l("At least 10 characters. A few unrelated words work well."),
        render_kw={"autocomplete": "new-password", "maxlength": passwords.MAX_LENGTH},
    )


def confirm_field(other: str) -> PasswordField:
    """A 'type it again' field that must match `other`."""
    return PasswordField(
        _l("Type the password again"),
        validators=[InputRequired(), EqualTo(other, message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


def display_name_field() -> StringField:
    """The name others in the group see."""
    return StringField(
        _l("Name others see"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("A first name is enough."),
        render_kw={"autocomplete": "given-name", "maxlength": 80},
    )


def username_field() -> StringField:
    """A learner's login name; no e-mail needed."""
    return StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=3, max=40)],
        description=_l("3 to 40 letters, digits, dots, dashes or underscores."),
        render_kw={"autocomplete": "username", "maxlength": 40, "autocapitalize": "none"},
    )


def age_band_field() -> RadioField:
    """A learner's age band (never a birth date)."""
    return RadioField(
        _l("Age"),
        choices=_choices(labels.AGE_BAND),
        validators=[InputRequired(message=_l("Choose an age band."))],
        description=_l("We only keep the age band, never a date of birth."),
    )


def fit_age_band(form: FlaskForm, kind: GroupKind) -> FlaskForm:
    """Staff of a workplace are adults or older teens: no "Under 13" choice there (and
    the form refuses it if sent anyway)."""
    if GroupKind(kind) is GroupKind.WORKPLACE:
        form.age_band.choices = [
            choice
            for choice in form.age_band.choices
            if (choice.value if isinstance(choice, SelectChoice) else choice[0])
            != AgeBand.UNDER_13.value
        ]
    return form


class EmptyForm(FlaskForm):
    """A bare button: no fields, but CSRF still applies."""


class SupervisorDetailsForm(FlaskForm):
    """An adult's account details: also the form for someone invited as a supervisor."""

    display_name = display_name_field()
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    password = new_password_field()
    confirm = confirm_field("password")
    adult = BooleanField(
        _l("I am 18 or older"),
        validators=[DataRequired(message=_l("Supervisor accounts are for adults."))],
    )


class SignupForm(SupervisorDetailsForm):
    """Sign up as a parent or mentor, a teacher or an organisation admin."""

    kind = RadioField(
        _l("I am signing up as"),
        choices=[SelectChoice(k.value, labels.ACCOUNT_KIND[k]) for k in labels.FIRST_GROUP],
        validators=[InputRequired(message=_l("Choose who you are."))],
    )


class LoginForm(FlaskForm):
    """Log in with an e-mail address or a username."""

    login = StringField(
        _l("E-mail or username"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "maxlength": 254},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(FlaskForm):
    """Change one's own password."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    confirm = confirm_field("password")


class AccountForm(FlaskForm):
    """One's own display name and language."""

    display_name = display_name_field()
    locale = SelectField(_l("Language"), choices=SUPPORTED_LOCALES, validators=[Optional()])


class LanguageForm(FlaskForm):
    """The footer's language chooser, for visitors (an account keeps its own setting)."""

    locale = SelectField(_l("Language"), choices=LANGUAGES, validators=[DataRequired()])
    next = HiddenField()


class GroupForm(FlaskForm):
    """Create a family, a class or a workplace."""

    kind = RadioField(
        _l("Kind of group"),
        choices=_choices(labels.GROUP_KIND),
        validators=[InputRequired(message=_l("Choose a kind of group."))],
    )
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("For example: The Rivera family, Year 8 Digital Life, Acme onboarding."),
        render_kw={"maxlength": 120},
    )
    school_year = StringField(
        _l("School year (classes only, optional)"),
        validators=[Optional(), Length(max=20)],
        description=_l("For example: 2026-27."),
        render_kw={"maxlength": 20},
    )


class LearnerAccountForm(FlaskForm):
    """A supervisor creates a learner's account (no e-mail needed)."""

    display_name = display_name_field()
    username = username_field()
    age_band = age_band_field()
    password = new_password_field()
    confirm = confirm_field("password")


class NewLearnerForm(LearnerAccountForm):
    """The learner's account a supervisor makes, with the language the learner reads (a
    parent and a teen may read different ones)."""

    locale = SelectField(
        _l("Their language"),
        choices=SUPPORTED_LOCALES,
        validators=[Optional()],
        description=_l("They can change it later in their account."),
    )


def code_field() -> StringField:
    """A group's join code as people type it."""
    return StringField(
        _l("Group code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("8 letters and digits, from your parent, teacher or manager."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "maxlength": 20},
    )


class JoinCodeForm(FlaskForm):
    """Someone who is logged in joins a group with its code."""

    code = code_field()


class RegisterWithCodeForm(LearnerAccountForm):
    """A new learner makes an account and joins with a group code."""

    code = code_field()


class InviteForm(FlaskForm):
    """Invite someone by a single-use link (`for_group` words the roles for the group)."""

    role = RadioField(
        _l("Invite as"),
        choices=[
            SelectChoice(Role.SUPERVISOR.value, _l("Supervisor")),
            SelectChoice(Role.LEARNER.value, _l("Learner")),
        ],
        validators=[InputRequired(message=_l("Choose a role."))],
    )
    email = EmailField(
        _l("Their e-mail (optional)"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
        description=_l("We send the link there; you can also copy it yourself."),
        render_kw={"maxlength": 254},
    )
    locale = invitee_language_field()


def invite_form(kind: GroupKind, **kwargs) -> InviteForm:
    """The invite form with the roles named as this kind of group names them."""
    form = InviteForm(**kwargs)
    form.role.choices = [
        SelectChoice(Role.SUPERVISOR.value, labels.role_label(kind, Role.SUPERVISOR)),
        SelectChoice(Role.LEARNER.value, labels.role_label(kind, Role.LEARNER)),
    ]
    return form


def group_form(account_kind: AccountKind | None, *, every_kind: bool = False, **kwargs):
    """The new-group form for this account: only the kind of group it is for (a parent
    makes a family), unless `every_kind`; the school year only when a class is possible."""
    form = GroupForm(**kwargs)
    own = labels.FIRST_GROUP.get(account_kind)
    if own is not None and not every_kind:
        form.kind.choices = [SelectChoice(own.value, labels.GROUP_KIND[own])]
        form.kind.data = own.value
        form.name.description = GROUP_NAME_EXAMPLE[own]
        if own is GroupKind.CLASSROOM:
            form.school_year.label.text = _l("School year (optional)")
    if GroupKind.CLASSROOM.value not in [choice.value for choice in form.kind.choices]:
        del form.school_year
    return form


GROUP_NAME_EXAMPLE = {
    GroupKind.FAMILY: _l("For example: The Rivera family."),
    GroupKind.CLASSROOM: _l("For example: Year 8 Digital Life."),
    GroupKind.WORKPLACE: _l("For example: Acme onboarding."),
}


class JoinCodeSettingsForm(FlaskForm):
    """Turn the group's join code on or off."""

    enabled = BooleanField(_l("People can join with the code"))


class LearnerInviteSignupForm(LearnerAccountForm):
    """Someone invited as a learner makes an account (an e-mail is optional)."""

    email = EmailField(
        _l("E-mail (optional)"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )


SupervisorInviteSignupForm = SupervisorDetailsForm


class DiscussedForm(FlaskForm):
    """A supervisor marks a module discussed, with an optional note."""

    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=1000)],
        description=_l("What you talked about, or what to come back to. The learner sees it."),
        render_kw={"rows": 2, "maxlength": 1000},
    )


def privacy_form_class() -> type[FlaskForm]:
    """A form with one choice per privacy setting, made from the settings data."""
    fields = {
        setting.id: RadioField(
            setting.label,
            choices=[SelectChoice(o.value, o.label) for o in setting.options],
            validators=[InputRequired(message=_l("Choose one."))],
            description=setting.explanation,
        )
        for setting in privacy.SETTINGS
    }
    return type("PrivacyForm", (FlaskForm,), fields)


class BrandForm(FlaskForm):
    """The learner's practice profile."""

    handle = StringField(
        _l("Handle"),
        validators=[DataRequired(), Length(min=3, max=31)],
        description=_l(
            "What people type to find you: 3 to 30 letters, digits, dots or underscores."
        ),
        render_kw={"maxlength": 31, "autocapitalize": "none", "spellcheck": "false"},
    )
    display_name = display_name_field()
    bio = TextAreaField(
        _l("Bio"),
        validators=[Optional(), Length(max=160)],
        description=_l("Up to 160 characters: who you are and what you care about."),
        render_kw={"rows": 3, "maxlength": 160},
    )
    photo = FileField(
        _l("Photo (optional)"),
        description=_l("JPEG, PNG or WebP, up to 5 MB. We remove location and camera data."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )


def agreement_form_class() -> type[FlaskForm]:
    """A form with one text box per part of the family agreement."""
    fields = {
        term.id: TextAreaField(
            term.label,
            validators=[Optional(), Length(max=agreements.MAX_TERM_LENGTH)],
            description=term.hint,
            render_kw={"rows": 3, "maxlength": agreements.MAX_TERM_LENGTH},
        )
        for term in agreements.TERMS
    }
    return type("AgreementForm", (FlaskForm,), fields)


class CoachForm(FlaskForm):
    """A practice post to run past the coach."""

    text = TextAreaField(
        _l("Your practice post"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("Up to 1,000 characters. Nothing here is posted anywhere."),
        render_kw={"rows": 5, "maxlength": 1000, "data-coach": "live"},
    )


class ScenarioActForm(FlaskForm):
    """One thing done in a scenario: what, to which thing, and its text, reason or value
    (the scenario engine checks that they fit the scenario)."""

    kind = StringField(validators=[DataRequired(), Length(max=20)])
    target = StringField(validators=[Optional(), Length(max=60)])
    text = TextAreaField(
        _l("Your reply"),
        filters=[lambda v: v.replace("\r\n", "\n") if v else v],
        validators=[Optional(), Length(max=1000, message=_l("Keep it under 1,000 characters."))],
    )
    reason = StringField(validators=[Optional(), Length(max=20)])
    value = StringField(validators=[Optional(), Length(max=40)])


class ScenarioHintForm(FlaskForm):
    """A guided hint read ("Got it")."""

    at = StringField(validators=[DataRequired(), Length(max=60)])


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _one_line_break(value: str | None) -> str | None:
    """Browsers send a line break as two characters; count it as one, as the box does."""
    return value.replace("\r\n", "\n") if value else value


def body_field(label: str) -> TextAreaField:
    """The text of a practice post or reply, with the coach's live hints."""
    return TextAreaField(
        label,
        filters=[_one_line_break],
        validators=[DataRequired(message=_l("Write something first.")), Length(max=1000)],
        description=_l("Up to 1,000 characters. The coach gives hints as you write."),
        render_kw={"rows": 5, "maxlength": 1000, "data-coach": "live"},
    )


class PostForm(FlaskForm):
    """A practice post: its text, an optional photo, and who it is for."""

    body = body_field(_l("Your post"))
    audience = RadioField(
        _l("Who is it for?"),
        choices=[
            SelectChoice("public", _l("Everyone in the group")),
            SelectChoice("friends", _l("Chosen people")),
            SelectChoice("direct", _l("One person (direct message)")),
        ],
        default="public",
        validators=[InputRequired(message=_l("Choose who it is for."))],
        description=_l(
            "A direct message can still be screenshotted and passed on: write it as if "
            "anyone could read it."
        ),
    )
    members = MultiCheckboxField(
        _l("People"),
        coerce=int,
        choices=[],
        validate_choice=False,
        description=_l("For chosen people, or the one person of a direct message."),
    )
    photo = FileField(
        _l("Photo (optional)"),
        description=_l("JPEG, PNG or WebP, up to 5 MB. We remove location and camera data."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    remove_photo = BooleanField(_l("Remove the photo"))
    token = HiddenField()
    base_revision = HiddenField()


class ReplyForm(FlaskForm):
    """A reply to a post; it goes to the same people as the post."""

    body = body_field(_l("Your reply"))
    token = HiddenField()


class DecisionForm(FlaskForm):
    """A supervisor's decision on the revision they looked at."""

    decision = RadioField(
        _l("Your decision"),
        choices=[
            SelectChoice("approved", _l("Approve: it appears in the feed")),
            SelectChoice("changes", _l("Ask for changes")),
            SelectChoice("commented", _l("Comment only (it keeps waiting)")),
        ],
        validators=[InputRequired(message=_l("Choose a decision."))],
    )
    reasons = MultiCheckboxField(_l("Reasons (for changes)"), choices=[], validate_choice=False)
    note = TextAreaField(
        _l("Note to the learner"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Needed when you ask for changes or comment. Explain, don't scold."),
        render_kw={"rows": 3, "maxlength": 1000},
    )
    revision = HiddenField(validators=[InputRequired()])


class NoteForm(FlaskForm):
    """A supervisor's flag for a talk, with what to talk about."""

    note = TextAreaField(
        _l("What would you like to talk about?"),
        validators=[
            DataRequired(message=_l("Write what you would like to talk about.")),
            Length(max=1000),
        ],
        render_kw={"rows": 2, "maxlength": 1000},
    )


class DismissForm(FlaskForm):
    """A supervisor dismisses a coach finding that does not apply."""

    reason = StringField(
        _l("Why it does not apply"),
        validators=[
            DataRequired(message=_l("Say why this finding does not apply.")),
            Length(max=300),
        ],
        render_kw={"maxlength": 300},
    )


class LevelForm(FlaskForm):
    """A level change: the level the supervisor saw, and for a step back the reason."""

    level = HiddenField(validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason (the learner reads this)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 3, "maxlength": 1000},
    )


def _number(label: str, low: int, high: int, description: str | None = None) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired(message=_l("Enter a number.")),
            NumberRange(low, high, message=_l("Choose a number from %(min)s to %(max)s.")),
        ],
        description=description,
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


class LadderForm(FlaskForm):
    """A group's own numbers for the ladder."""

    permit_approved = _number(_l("Approved posts to leave the permit"), 1, 50)
    permit_clean_streak = _number(
        _l("Of those, the latest in a row that needed no changes"),
        0,
        50,
        _l("0 means no streak is needed."),
    )
    provisional_days = _number(_l("Days at provisional before the license"), 1, 90)
    provisional_posts = _number(_l("Posts at provisional without a flag"), 1, 50)
    # Choices are the group's instruction lessons, set by the view; the ones always
    # required are shown ticked and cannot be unticked (ladder.always_required).
    first_lessons = MultiCheckboxField(
        _l("Lessons the learner's permit needs"),
        choices=[],
        description=_l(
            "Passed with 80 % or more before the permit. The lessons on privacy settings "
            "and personal information always stay: they teach what a post must not give away."
        ),
    )
    # Sent with the checkboxes: a form without it leaves the lesson choice as it was
    # (no ticked box and no box at all look the same to the server otherwise).
    lessons_shown = HiddenField()

    # Choices set by the view (set_scenario_choices): "all", then 0 to the scenarios offered.
    permit_scenarios = SelectField(
        _l("Practice scenarios to pass before the permit"),
        choices=[],
        coerce=lambda value: None if value in (None, "", "all", "None") else int(value),
        description=_l(
            "Of the first stage's scenarios suited to each learner. “All” includes new ones."
        ),
    )

    def set_scenario_choices(self, offered: int) -> None:
        """The numbers a group may choose: all (the default), or 0 to `offered`."""
        self.permit_scenarios.choices = [
            ("all", _l("All of them")),
            *((str(n), str(n)) for n in range(offered + 1)),
        ]


class VerifyForm(FlaskForm):
    """Anyone checks a license certificate by its code."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Certificate code"),
        validators=[
            DataRequired(message=_l("Enter the code printed on the certificate.")),
            Length(max=20),
        ],
        description=_l("Ten letters and digits, like ABCDE-23456."),
        render_kw={"maxlength": 20, "autocapitalize": "characters", "spellcheck": "false"},
    )


class AssignForm(FlaskForm):
    """Assign a lesson to the class with a due date."""

    module_id = SelectField(_l("Lesson"), choices=[], validators=[InputRequired()])
    seconds = SelectField(
        _l("Time for each question"),
        choices=[
            SelectChoice(0, _l("No timer")),
            SelectChoice(20, _l("20 seconds")),
            SelectChoice(30, _l("30 seconds")),
            SelectChoice(60, _l("60 seconds")),
        ],
        coerce=int,
        default=0,
        description=_l("Students see the time count down; a late answer is not counted."),
    )
    due_on = DateField(
        _l("Due on"),
        validators=[InputRequired(message=_l("Choose a date."))],
        description=_l("Students see it as late after this day."),
    )


class LiveStartForm(FlaskForm):
    """Start a live session on a lesson."""

    module_id = SelectField(_l("Lesson"), choices=[], validators=[InputRequired()])
    seconds = SelectField(
        _l("Time for each question"),
        choices=[
            SelectChoice(0, _l("No timer")),
            SelectChoice(20, _l("20 seconds")),
            SelectChoice(30, _l("30 seconds")),
            SelectChoice(60, _l("60 seconds")),
        ],
        coerce=int,
        default=0,
        description=_l("Students see the time count down; a late answer is not counted."),
    )


class NewCardsForm(FlaskForm):
    """The students who get new passwords and login cards, and the teacher's confirmation."""

    members = MultiCheckboxField(
        _l("Students"),
        coerce=int,
        choices=[],
        validators=[DataRequired(message=_l("Choose at least one student."))],
    )
    confirm = BooleanField(
        _l("I understand: their current passwords stop working and they are logged out."),
        validators=[DataRequired(message=_l("Tick the box to confirm the new passwords."))],
    )


class ScenarioAssignForm(FlaskForm):
    """Assign a scenario to the class with a due date (prefix "scenario" on the page)."""

    scenario_id = SelectField(_l("Scenario"), choices=[], validators=[InputRequired()])
    due_on = DateField(
        _l("Due on"),
        validators=[InputRequired(message=_l("Choose a date."))],
        description=_l("Students see it as late after this day."),
    )


class ScenarioLiveForm(FlaskForm):
    """Start a live session on a scenario (prefix "scenario" on the page)."""

    scenario_id = SelectField(_l("Scenario"), choices=[], validators=[InputRequired()])


class RosterForm(FlaskForm):
    """A teacher's class list (a CSV file) and the age band of every student in it."""

    class_list = FileField(
        _l("Class list (CSV file)"),
        validators=[DataRequired(message=_l("Choose the CSV file of your class list."))],
        description=_l("Saved from your spreadsheet as CSV UTF-8: see the format below."),
        render_kw={"accept": ".csv,text/csv,text/plain"},
    )
    age_band = RadioField(
        _l("Age of the students"),
        choices=_choices(labels.AGE_BAND),
        validators=[InputRequired(message=_l("Choose an age band."))],
        description=_l(
            "For everyone in the file. Under 13 is allowed, because you create the accounts. "
            "We only keep the age band, never a date of birth."
        ),
    )


class PolicyForm(FlaskForm):
    """The workplace's personal social-media policy (Markdown)."""

    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=160)], render_kw={"maxlength": 160}
    )
    body = TextAreaField(
        _l("The policy"),
        validators=[DataRequired(message=_l("Write the policy first.")), Length(max=20000)],
        description=_l(
            "Markdown: ## for a heading, - for a list, **bold**, [words](https://…) for a "
            "link. Keep it short and concrete."
        ),
        render_kw={"rows": 24, "class": "wide"},
    )


class DeadlineForm(FlaskForm):
    """The day staff should acknowledge a policy version by (set when publishing, or later)."""

    acknowledge_by = DateField(
        _l("Acknowledge by"),
        validators=[Optional()],
        description=_l(
            "Staff are reminded 3 days before, the day after and a week after; their manager "
            "hears 3 days after. Someone who joins later gets a week from joining."
        ),
    )


class AcknowledgeForm(FlaskForm):
    """A staff member acknowledges the policy in force by typing their full name."""

    typed_name = StringField(
        _l("Type your full name"),
        validators=[DataRequired(message=_l("Type your full name.")), Length(max=120)],
        render_kw={"maxlength": 120, "autocomplete": "name"},
    )


class ManagerForm(FlaskForm):
    """Which manager a staff member reports to."""

    manager = SelectField(_l("Manager"), choices=[], validators=[Optional()])


class EmailListForm(FlaskForm):
    """A CSV of staff e-mail addresses to invite."""

    locale = invitee_language_field()
    email_list = FileField(
        _l("E-mail addresses (CSV file)"),
        validators=[DataRequired(message=_l("Choose the CSV file with the addresses."))],
        description=_l("One column with the heading 'email'. Saved as CSV UTF-8."),
        render_kw={"accept": ".csv,text/csv,text/plain"},
    )


class EraseForm(FlaskForm):
    """Confirm erasing an account: the password of the person asking, and a tick."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Enter your password to confirm."))],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


def _lti_url_field(label) -> StringField:
    return StringField(
        label,
        validators=[DataRequired(), Length(max=1000)],
        render_kw={"maxlength": 1000, "inputmode": "url"},
    )


class LtiPlatformForm(FlaskForm):
    """A site admin registers a learning platform (the values its admin page shows)."""

    issuer = StringField(
        _l("Issuer"),
        validators=[DataRequired(), Length(max=255)],
        description=_l("For example: https://canvas.instructure.com"),
        render_kw={"maxlength": 255},
    )
    client_id = StringField(
        _l("Client id"), validators=[DataRequired(), Length(max=255)], render_kw={"maxlength": 255}
    )
    deployment_id = StringField(
        _l("Deployment id"),
        validators=[DataRequired(), Length(max=255)],
        render_kw={"maxlength": 255},
    )
    auth_login_url = _lti_url_field(_l("Authentication request URL (OIDC)"))
    auth_token_url = _lti_url_field(_l("Access token URL"))
    key_set_url = _lti_url_field(_l("Public keyset URL (JWKS)"))
    frame_origins = StringField(
        _l("Where its pages live (optional)"),
        validators=[Optional(), Length(max=1000)],
        description=_l(
            "Origins that show the tool in a frame, e.g. https://school.instructure.com"
        ),
        render_kw={"maxlength": 1000},
    )


class LtiClassForm(FlaskForm):
    """A teacher says which class a platform's course is: a new one or one of theirs."""

    group = RadioField(
        _l("Which class is this course?"),
        validators=[InputRequired(message=_l("Choose a class."))],
        validate_choice=False,
    )


class LtiDeepLinkForm(FlaskForm):
    """A teacher picks lessons to add to the platform's course."""

    targets = SelectMultipleField(
        _l("Add to the course"),
        validators=[InputRequired(message=_l("Pick at least one."))],
        validate_choice=False,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )


class OneRosterForm(FlaskForm):
    """A site admin uploads a district's OneRoster 1.1 CSV zip."""

    roster_zip = FileField(
        _l("OneRoster 1.1 CSV zip"),
        validators=[
            DataRequired(message=_l("Choose the zip your student information system exported."))
        ],
        description=_l("manifest.csv with orgs, users, classes and enrollments in bulk mode."),
        render_kw={"accept": ".zip,application/zip"},
    )
    under13_consent = BooleanField(
        _l("The school holds parents' consent for the students under 13 in this file"),
        description=_l(
            "Students under 13 (by their grades) are imported only into classes with this "
            "consent on file. It is recorded on their classes, in your name."
        ),
    )
