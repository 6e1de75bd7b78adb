"""A small LTI 1.3 platform of the suite's own, served over HTTP on a loopback port.

It does what Canvas, Schoology or Moodle do for a tool, with real RSA keys:

- `/jwks` publishes the platform's public key (with its `kid`);
- `/auth` is the OIDC authorization endpoint: it answers the tool's login redirect with a
  page that posts a signed `id_token` and the `state` back to the tool's launch URL;
- `/token` hands out access tokens for a client assertion signed with the tool's key
  (checked against the tool's JWKS, as a platform does);
- `/lineitems` and `/lineitems/<n>/scores` are the Assignment and Grade Services
  endpoints; they record every line item and score they receive;
- `/memberships/<course>` is the Names and Role Provisioning endpoint: the course's
  members (`platform.members`), a few per page with a `Link: rel="next"` header;
- `/deep-link-return` takes a Deep Linking response, checks its signature and records the
  content items (creating a line item for each one that asks for a gradebook column).

A test says who launches (`platform.launch(...)` returns the login initiation parameters)
and may tamper with the next id_token (`tamper=`): wrong audience, an expired token, an
unknown key, a bad signature, another deployment.
"""

from __future__ import annotations

import contextlib
import html
import json
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, abort, jsonify, request
from jwt.algorithms import RSAAlgorithm
from werkzeug.serving import make_server

from tests.servers import LoopbackCertificate, free_port

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
NRPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@dataclass
class Launch:
    """What the platform will put in the id_token of the next login with this hint."""

    sub: str
    roles: list[str]
    context_id: str = "course-1"
    context_title: str = "Digital Citizenship, period 2"
    resource_link_id: str = "link-1"
    custom: dict = field(default_factory=dict)
    name: str | None = None
    email: str | None = None
    deep_linking: bool = False
    lineitem: str | None = None
    deployment_id: str | None = None
    tamper: str | None = None


class Platform:
    """The platform's state: its keys, the tool it knows, and what it received."""

    def __init__(self) -> None:
        self.key = new_key()
        self.kid = "platform-key-1"
        self.other_key = new_key()  # signs the "bad signature" and "unknown kid" tokens
        self.url = ""
        self.client_id = "dessm-tool-1"
        self.deployment_id = "deployment-1"
        self.tool_launch_url = ""
        self.tool_login_url = ""
        self.tool_jwks: dict = {"keys": []}
        self.launches: dict[str, Launch] = {}
        self.lineitems: dict[int, dict] = {}
        self.scores: list[dict] = []
        self.token_requests: list[dict] = []
        self.deep_link_items: list[dict] = []
        self.down = False  # the AGS and NRPS endpoints answer 503 while True
        # Names and Role Provisioning: members by course id, this many to a page.
        self.members: dict[str, list[dict]] = {}
        self.members_per_page = 2
        self.tokens: set[str] = set()  # access tokens handed out (clear it: a restart)
        # Called with each score as it arrives, before it is recorded (a test's hook).
        self.on_score: Callable[[dict], None] | None = None
        self.lock = threading.Lock()

    # --- what a test uses -------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return self.url

    def urls(self) -> dict[str, str]:
        return {
            "issuer": self.issuer,
            "auth_login_url": self.url + "/auth",
            "auth_token_url": self.url + "/token",
            "key_set_url": self.url + "/jwks",
        }

    def launch(self, sub: str, roles: list[str], **claims) -> dict[str, str]:
        """Prepare a launch; returns the login initiation parameters the platform sends."""
        hint = uuid.uuid4().hex
        self.launches[hint] = Launch(sub=sub, roles=roles, **claims)
        return {
            "iss": self.issuer,
            "login_hint": hint,
            "target_link_uri": self.tool_launch_url,
            "lti_message_hint": hint,
            "client_id": self.client_id,
            "lti_deployment_id": claims.get("deployment_id") or self.deployment_id,
        }

    def add_lineitem(self, label: str, score_maximum: float, resource_id: str = "") -> str:
        with self.lock:
            number = len(self.lineitems) + 1
            self.lineitems[number] = {
                "id": f"{self.url}/lineitems/{number}",
                "label": label,
                "scoreMaximum": score_maximum,
                "resourceId": resource_id,
            }
        return self.lineitems[number]["id"]

    def id_token(self, launch: Launch, nonce: str) -> str:
        now = int(time.time())
        claims: dict = {
            "iss": self.issuer,
            "aud": self.client_id,
            "azp": self.client_id,
            "sub": launch.sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": launch.deployment_id or self.deployment_id,
            LTI + "roles": launch.roles,
            LTI + "context": {
                "id": launch.context_id,
                "label": "DC-2",
                "title": launch.context_title,
                "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            },
            LTI + "custom": launch.custom,
        }
        if launch.name:
            claims["name"] = launch.name
        if launch.email:
            claims["email"] = launch.email
        if launch.deep_linking:
            claims[LTI + "message_type"] = "LtiDeepLinkingRequest"
            claims[DL + "deep_linking_settings"] = {
                "deep_link_return_url": self.url + "/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": True,
                "data": "opaque-platform-data",
            }
        else:
            claims[LTI + "message_type"] = "LtiResourceLinkRequest"
            claims[LTI + "target_link_uri"] = self.tool_launch_url
            claims[LTI + "resource_link"] = {"id": launch.resource_link_id, "title": "Lesson"}
            claims[AGS] = {
                "scope": [SCORE_SCOPE, LINEITEM_SCOPE],
                "lineitems": f"{self.url}/lineitems",
                **({"lineitem": launch.lineitem} if launch.lineitem else {}),
            }
            claims[NRPS] = {
                "context_memberships_url": f"{self.url}/memberships/{launch.context_id}",
                "service_versions": ["2.0"],
            }
        key, kid = self.key, self.kid
        if launch.tamper == "wrong_aud":
            claims["aud"] = claims["azp"] = "someone-else"
        elif launch.tamper == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif launch.tamper == "unknown_kid":
            key, kid = self.other_key, "a-key-nobody-published"
        elif launch.tamper == "bad_signature":
            key = self.other_key
        elif launch.tamper == "wrong_deployment":
            claims[LTI + "deployment_id"] = "deployment-nobody-registered"
        return jwt.encode(claims, pem(key), algorithm="RS256", headers={"kid": kid})

    def check_tool_jwt(self, token: str, audience: str) -> dict:
        """Verify a JWT the tool signed, against the tool's published keys."""
        kid = jwt.get_unverified_header(token).get("kid")
        for jwk in self.tool_jwks.get("keys", []):
            if jwk.get("kid") == kid:
                public = RSAAlgorithm.from_jwk(json.dumps(jwk))
                return jwt.decode(token, public, algorithms=["RS256"], audience=audience)
        raise jwt.InvalidTokenError(f"unknown tool kid {kid!r}")


def platform_app(platform: Platform) -> Flask:
    app = Flask("lti_platform")
    tokens = platform.tokens

    @app.get("/course/<hint>")
    def course(hint: str):
        """A course page that shows the tool in an iframe, as a platform does: the frame
        starts at the tool's login initiation URL."""
        launch = platform.launches.get(hint)
        if launch is None:
            abort(404)
        params = {
            "iss": platform.issuer,
            "login_hint": hint,
            "lti_message_hint": hint,
            "target_link_uri": platform.tool_launch_url,
            "client_id": platform.client_id,
            "lti_deployment_id": platform.deployment_id,
        }
        src = html.escape(platform.tool_login_url + "?" + urlencode(params))
        return (
            "<!doctype html><html><head><title>Course</title></head><body>"
            "<h1>Digital Citizenship, period 2</h1>"
            f'<iframe id="tool" title="Lesson" src="{src}" width="1000" height="700"></iframe>'
            "</body></html>"
        )

    @app.get("/jwks")
    def jwks():
        public = json.loads(RSAAlgorithm.to_jwk(platform.key.public_key()))
        return jsonify({"keys": [public | {"kid": platform.kid, "alg": "RS256", "use": "sig"}]})

    @app.get("/auth")
    def auth():
        args = request.args
        if args.get("client_id") != platform.client_id or args.get("scope") != "openid":
            abort(400)
        if args.get("response_type") != "id_token" or args.get("response_mode") != "form_post":
            abort(400)
        if args.get("redirect_uri") != platform.tool_launch_url:
            abort(400)
        launch = platform.launches.get(args.get("login_hint", ""))
        if launch is None or args.get("lti_message_hint") != args.get("login_hint"):
            abort(403)
        token = platform.id_token(launch, args["nonce"])
        action = html.escape(args["redirect_uri"])
        # What a platform sends: a form that posts itself to the tool.
        return (
            "<!doctype html><html><body>"
            f'<form id="launch" method="post" action="{action}">'
            f'<input type="hidden" name="id_token" value="{html.escape(token)}">'
            f'<input type="hidden" name="state" value="{html.escape(args["state"])}">'
            '<button type="submit">Continue</button></form>'
            "<script>document.getElementById('launch').submit();</script>"
            "</body></html>"
        )

    @app.post("/token")
    def token():
        form = request.form
        if form.get("grant_type") != "client_credentials":
            return jsonify({"error": "unsupported_grant_type"}), 400
        try:
            claims = platform.check_tool_jwt(
                form.get("client_assertion", ""), platform.url + "/token"
            )
        except jwt.InvalidTokenError as error:
            return jsonify({"error": "invalid_client", "detail": str(error)}), 401
        if claims.get("iss") != platform.client_id or claims.get("sub") != platform.client_id:
            return jsonify({"error": "invalid_client"}), 401
        platform.token_requests.append({"scope": form.get("scope", ""), "claims": claims})
        access = uuid.uuid4().hex
        tokens.add(access)
        return jsonify(
            {
                "access_token": access,
                "token_type": "bearer",
                "expires_in": 3600,
                "scope": form.get("scope", ""),
            }
        )

    def _authorized() -> None:
        if platform.down:
            abort(503)
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or header[7:] not in tokens:
            abort(401)

    @app.route("/lineitems", methods=["GET", "POST"])
    def lineitems():
        _authorized()
        if request.method == "POST":
            body = request.get_json(force=True)
            url = platform.add_lineitem(
                body.get("label", ""), body.get("scoreMaximum", 0), body.get("resourceId", "")
            )
            return jsonify(platform.lineitems[int(url.rsplit("/", 1)[1])]), 201
        return jsonify(list(platform.lineitems.values()))

    @app.get("/lineitems/<int:number>")
    def lineitem(number: int):
        _authorized()
        if number not in platform.lineitems:
            abort(404)
        return jsonify(platform.lineitems[number])

    @app.post("/lineitems/<int:number>/scores")
    def scores(number: int):
        _authorized()
        if number not in platform.lineitems:
            abort(404)
        if request.mimetype != "application/vnd.ims.lis.v1.score+json":
            abort(415)
        score = {"lineitem": number, **request.get_json(force=True)}
        if platform.on_score is not None:
            platform.on_score(score)
        with platform.lock:
            platform.scores.append(score)
        return "", 204

    @app.get("/memberships/<context_id>")
    def memberships(context_id: str):
        _authorized()
        if NRPS_TYPE not in request.headers.get("Accept", ""):
            abort(406)
        members = platform.members.get(context_id, [])
        page = int(request.args.get("page", "1"))
        size = platform.members_per_page
        url = f"{platform.url}/memberships/{context_id}"
        body = {
            "id": url,
            "context": {"id": context_id, "title": "Digital Citizenship, period 2"},
            "members": members[(page - 1) * size : page * size],
        }
        response = jsonify(body)
        response.mimetype = NRPS_TYPE
        if page * size < len(members):
            response.headers["Link"] = f'<{url}?page={page + 1}>; rel="next"'
        return response

    @app.post("/deep-link-return")
    def deep_link_return():
        try:
            claims = platform.check_tool_jwt(request.form.get("JWT", ""), platform.issuer)
        except jwt.InvalidTokenError as error:
            return f"bad deep linking response: {error}", 400
        if claims.get(DL + "data") != "opaque-platform-data":
            return "the data claim did not come back", 400
        for item in claims.get(DL + "content_items", []):
            if "lineItem" in item:
                item["created_lineitem"] = platform.add_lineitem(
                    item["lineItem"].get("label", item.get("title", "")),
                    item["lineItem"]["scoreMaximum"],
                    item["lineItem"].get("resourceId", ""),
                )
            platform.deep_link_items.append(item)
        return "<!doctype html><p>Content added to the course.</p>"

    return app


@contextlib.contextmanager
def running_platform(
    *, host: str = "127.0.0.1", tls: LoopbackCertificate | None = None
) -> Iterator[Platform]:
    """Serve a new platform on a free loopback port for the length of the block; its URL
    names `host` (127.0.0.1 or localhost), over HTTPS with `tls`."""
    platform = Platform()
    port = free_port()
    platform.url = f"{'https' if tls else 'http'}://{host}:{port}"
    ssl_context = None
    if tls is not None:
        ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ssl_context.load_cert_chain(str(tls.cert), str(tls.key))
    server = make_server(
        "127.0.0.1", port, platform_app(platform), threaded=True, ssl_context=ssl_context
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        server.shutdown()
        thread.join(timeout=10)
