"""The tool's RSA key pair: made once, kept outside git in `instance/`, rotated by command.

The file (`LTI_KEY_FILE`, by default `instance/lti_keys.json`) holds the keys newest
first, each with its `kid`. The newest signs (client assertions, deep linking responses);
every key in the file is published at `/lti/jwks.json`, so a platform that cached the
previous key still checks a signature made just before a rotation. `rotate` keeps the
previous key for that overlap and drops older ones.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import current_app
from jwt.algorithms import RSAAlgorithm

KEEP = 2  # the signing key and the one before it


@dataclass(frozen=True)
class ToolKey:
    kid: str
    private_pem: str
    created_at: str

    @property
    def public_pem(self) -> str:
        key = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        return (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def jwk(self) -> dict:
        key = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        return public | {"kid": self.kid, "alg": "RS256", "use": "sig"}


def key_file() -> Path:
    configured = current_app.config.get("LTI_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "lti_keys.json"


def _new_key() -> ToolKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ToolKey(
        kid=f"{created[:10]}-{secrets.token_hex(4)}", private_pem=private, created_at=created
    )


def _write(path: Path, keys: list[ToolKey], *, exclusive: bool) -> None:
    """Write the file readable by its owner only; `exclusive` fails if it already exists
    (two workers starting at once: the first one's key wins)."""
    data = json.dumps({"keys": [k.__dict__ for k in keys]}, indent=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    if exclusive:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(data)
        return
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(data)
    temporary.replace(path)


def tool_keys() -> list[ToolKey]:
    """The tool's keys, newest first; the first call ever makes the first one."""
    path = key_file()
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            _write(path, [_new_key()], exclusive=True)
    data = json.loads(path.read_text())
    return [ToolKey(**entry) for entry in data["keys"]]


def signing_key() -> ToolKey:
    return tool_keys()[0]


def rotate() -> ToolKey:
    """Make a new signing key; the previous one stays published, older ones go."""
    keys = [_new_key(), *tool_keys()][:KEEP]
    _write(key_file(), keys, exclusive=False)
    return keys[0]


def jwks() -> dict:
    return {"keys": [key.jwk() for key in tool_keys()]}
