"""The Flask extensions, created once and bound to the app in the factory."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel, Domain
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

from learner.core import ratelimit  # noqa: F401  (registers the database:// storage)


class KeptDomain(Domain):
    """Flask-Babel's message domain, with the request's translations kept beside the
    locale they are for. A page calls `_()` thousands of times; Flask-Babel's own look-up
    goes through the request context three times and turns the locale into a string each
    time (about 15 µs a call), where this reads two attributes. `force_locale` (e-mails in
    their recipient's language) sets another locale object, so the kept pair no longer
    matches and the right translations are looked up."""

    def get_translations(self):
        context = g.get("_flask_babel") if g else None
        kept = getattr(context, "kept_translations", None)
        if kept is not None and kept[0] is getattr(context, "babel_locale", None):
            return kept[1]
        translations = super().get_translations()
        if context is not None:
            context.kept_translations = (getattr(context, "babel_locale", None), translations)
        return translations


babel = Babel()
# Flask-Babel makes its domain once per Babel object (a cached property): this one instead.
babel.domain_instance = KeptDomain()


def init_babel(app) -> None:
    """Flask-Babel, with the templates' `_()` and `ngettext()` reading the kept domain
    directly (the app has one message domain)."""
    babel.init_app(app, locale_selector=select_locale)
    domain = babel.domain_instance
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: domain.get_translations().ugettext(text),
        ngettext=lambda one, many, n: domain.get_translations().ungettext(one, many, n),
        pgettext=lambda context, text: domain.get_translations().upgettext(context, text),
        npgettext=lambda context, one, many, n: domain.get_translations().unpgettext(
            context, one, many, n
        ),
        newstyle=True,
    )


csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see that page.")
login_manager.login_message_category = "info"


def select_locale() -> str | None:
    """The account's language, else the visitor's choice in the footer (a cookie), else
    the browser's best supported one, else English."""
    supported = current_app.config["SUPPORTED_LOCALES"]
    if not has_request_context():
        # Commands (the e-mail digest) choose each recipient's language with force_locale.
        return supported[0]
    if current_user and getattr(current_user, "locale", None) in supported:
        return current_user.locale
    chosen = request.cookies.get(current_app.config["LOCALE_COOKIE"])
    if chosen in supported:
        return chosen
    # An invite page: the language the inviter chose for the person invited.
    if g.get("invite_locale") in supported:
        return g.invite_locale
    return request.accept_languages.best_match(supported) or supported[0]


def locale_of(user) -> str:
    """The language to write to someone in (an e-mail): their setting, else English."""
    supported = current_app.config["SUPPORTED_LOCALES"]
    chosen = getattr(user, "locale", None)
    return chosen if chosen in supported else supported[0]


def per_person() -> str:
    """Rate-limit key: the signed-in person (from the signed cookie, no query), else the
    address. A class of 30 behind one school router shares an address, not a limit."""
    user_token = session.get("_user_id")
    if user_token:
        return "user:" + str(user_token).partition(":")[0]
    return get_remote_address()


def per_invite_link() -> str:
    """Rate-limit key for accepting an invite: the link and the address together, so a
    whole staff accepting their own links from one office never share a limit."""
    return f"{get_remote_address()}:{request.view_args.get('token', '')[:64]}"
