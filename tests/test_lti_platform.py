"""The suite's LTI platform answers like a real one: keys, OIDC redirect, tokens, scores."""

from __future__ import annotations

import json
import re
import time
import uuid

import jwt
import pytest
import requests
from jwt.algorithms import RSAAlgorithm

from tests.lti_platform import LEARNER, LTI, SCORE_SCOPE, new_key, pem, running_platform


@pytest.fixture
def platform():
    with running_platform() as platform:
        platform.tool_launch_url = "http://tool.test/lti/launch"
        yield platform


def _assertion(key, kid: str, platform) -> str:
    now = int(time.time())
    claims = {
        "iss": platform.client_id,
        "sub": platform.client_id,
        "aud": platform.url + "/token",
        "iat": now,
        "exp": now + 60,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, pem(key), algorithm="RS256", headers={"kid": kid})


def test_the_auth_endpoint_posts_an_id_token_signed_with_the_published_key(platform):
    params = platform.launch("student-1", [LEARNER])
    answer = requests.get(
        platform.url + "/auth",
        timeout=10,
        params={
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": platform.client_id,
            "redirect_uri": platform.tool_launch_url,
            "state": "s-1",
            "nonce": "n-1",
            "login_hint": params["login_hint"],
            "lti_message_hint": params["lti_message_hint"],
        },
    )
    assert answer.status_code == 200
    token = re.search(r'name="id_token" value="([^"]+)"', answer.text).group(1)
    assert 'name="state" value="s-1"' in answer.text
    keys = requests.get(platform.url + "/jwks", timeout=10).json()["keys"]
    public = RSAAlgorithm.from_jwk(json.dumps(keys[0]))
    claims = jwt.decode(token, public, algorithms=["RS256"], audience=platform.client_id)
    assert claims["sub"] == "student-1" and claims["nonce"] == "n-1"
    assert claims[LTI + "deployment_id"] == platform.deployment_id


def test_the_auth_endpoint_refuses_another_redirect_uri(platform):
    params = platform.launch("student-1", [LEARNER])
    answer = requests.get(
        platform.url + "/auth",
        timeout=10,
        params={
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "client_id": platform.client_id,
            "redirect_uri": "http://evil.test/launch",
            "state": "s",
            "nonce": "n",
            "login_hint": params["login_hint"],
        },
    )
    assert answer.status_code == 400


def test_tokens_need_an_assertion_signed_by_the_tools_key_and_scores_are_recorded(platform):
    tool_key = new_key()
    jwk = json.loads(RSAAlgorithm.to_jwk(tool_key.public_key())) | {"kid": "tool-1"}
    platform.tool_jwks = {"keys": [jwk]}
    refused = requests.post(
        platform.url + "/token",
        timeout=10,
        data={
            "grant_type": "client_credentials",
            "client_assertion": _assertion(new_key(), "tool-1", platform),
            "scope": SCORE_SCOPE,
        },
    )
    assert refused.status_code == 401
    granted = requests.post(
        platform.url + "/token",
        timeout=10,
        data={
            "grant_type": "client_credentials",
            "client_assertion": _assertion(tool_key, "tool-1", platform),
            "scope": SCORE_SCOPE,
        },
    )
    assert granted.status_code == 200
    access = granted.json()["access_token"]
    lineitem = platform.add_lineitem("Lesson", 100)
    headers = {
        "Authorization": "Bearer " + access,
        "Content-Type": "application/vnd.ims.lis.v1.score+json",
    }
    score = {
        "userId": "student-1",
        "scoreGiven": 80,
        "scoreMaximum": 100,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
    }
    assert (
        requests.post(lineitem + "/scores", json=score, headers=headers, timeout=10).status_code
        == 204
    )
    assert platform.scores == [{"lineitem": 1, **score}]
    unauthorized = requests.post(
        lineitem + "/scores",
        json=score,
        timeout=10,
        headers={"Content-Type": headers["Content-Type"]},
    )
    assert unauthorized.status_code == 401
    platform.down = True
    assert (
        requests.post(lineitem + "/scores", json=score, headers=headers, timeout=10).status_code
        == 503
    )
    assert len(platform.scores) == 1
