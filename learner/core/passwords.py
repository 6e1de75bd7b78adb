"""Password rules and hashing: Argon2id, a length range and a shipped list of common passwords."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 10
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).parents[1] / "data" / "common_passwords.txt"

# OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane. Tests pass cheaper numbers.
DEFAULT_HASHER = {"memory_cost": 19 * 1024, "time_cost": 2, "parallelism": 1}

# Words for generated passwords that a teen can read off a login card and type.
_WORDS = (
    "amber arrow badge beach birch blaze brook cabin cedar chalk cliff cloud comet coral "
    "crane delta dune eagle ember fable fern field flint frost garden glade grove harbor "
    "hazel island jade lagoon lantern maple meadow mesa mint moss nova oasis orbit otter "
    "panda pebble pine planet prairie quartz rapids raven reef ridge river robin sage "
    "shore sierra spruce star stone summit thunder tiger timber trail tulip valley willow"
).split()


class PasswordError(ValueError):
    """A password that the rules refuse; the message says why, for the person typing it."""


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def check_password_rules(password: str, *, personal: tuple[str, ...] = ()) -> None:
    """Raise PasswordError unless the password is long enough and not easily guessed."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        raise PasswordError("This password is too common. Try a few unrelated words.")
    for word in personal:
        if word and len(word) >= 4 and word.lower() in lowered:
            raise PasswordError("Don't use your name, username or e-mail in your password.")


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("PASSWORD_HASHER", DEFAULT_HASHER))


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash(params: tuple[tuple[str, int], ...]) -> str:
    return PasswordHasher(**dict(params)).hash(secrets.token_hex(16))


def burn_verify_time(password: str) -> None:
    """Spend as long as a real check, so a wrong login name cannot be told by timing."""
    params = current_app.config.get("PASSWORD_HASHER", DEFAULT_HASHER)
    verify_password(_dummy_hash(tuple(sorted(params.items()))), password)


def generate_password() -> str:
    """A readable random password (three words and a number) for a supervisor to hand out."""
    words = [secrets.choice(_WORDS) for _ in range(3)]
    return "-".join(words) + f"-{secrets.randbelow(900) + 100}"
