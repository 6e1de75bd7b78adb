"""The input gate: every form the app accepts, with its limits and messages (CSRF included)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
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
    Optional,
    ValidationError,
)

from learner import agreements, labels, passwords, privacy
from learner.models import Role

SUPPORTED_LOCALES = (
    SelectChoice("", _l("Use my browser's language")),
    SelectChoice("en", "English"),
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


class LearnerAccountForm(FlaskForm):
    """A supervisor creates a learner's account (no e-mail needed)."""

    display_name = display_name_field()
    username = username_field()
    age_band = age_band_field()
    password = new_password_field()
    confirm = confirm_field("password")


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
    """Invite someone by a single-use link."""

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
