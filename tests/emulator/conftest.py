"""Fixtures of the emulator's own test suite: one in-process emulator per session, reset before every test."""

import hashlib
import http.client
import json
import os
import sys
import time
import urllib.parse
import uuid

import pytest

# The SDK must never look for credentials on an ECS metadata server, nor go through a proxy: loopback only.
os.environ["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true"
for proxy_variable in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(proxy_variable, None)

EMULATOR_DIR = os.path.dirname(os.path.abspath(__file__))
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)

from alibabacloud_ecs20140526.client import Client  # noqa: E402  pylint: disable=wrong-import-position
from alibabacloud_tea_openapi import models as open_api_models  # noqa: E402  pylint: disable=wrong-import-position
from alibabacloud_tea_openapi.utils import Utils as OpenApiUtils  # noqa: E402  pylint: disable=wrong-import-position
from ecs_emulator import start_emulator  # noqa: E402  pylint: disable=wrong-import-position

REGION = "cn-hangzhou"
CIDR_PREFIX = "2408:4005:3a0:a100::"


@pytest.fixture(scope="session")
def emulator():
    """One emulator for the whole session (started in a background thread of the test process)."""
    handle = start_emulator(port=0)
    yield handle
    handle.stop()


@pytest.fixture(autouse=True)
def fresh_emulator(emulator):
    """Every test starts from an empty emulator with the start credentials."""
    emulator.control.reset()
    yield emulator


@pytest.fixture(name="control")
def control_fixture(emulator):
    """The control API client of the session emulator."""
    return emulator.control


def make_client(emulator, access_key_id=None, access_key_secret=None, security_token=None, **config):
    """Return a real SDK ECS client pointed at the emulator."""
    return Client(
        open_api_models.Config(
            access_key_id=access_key_id or emulator.access_key_id,
            access_key_secret=access_key_secret or emulator.access_key_secret,
            security_token=security_token,
            endpoint=emulator.endpoint,
            protocol="http",
            region_id=REGION,
            **config
        )
    )


@pytest.fixture(name="client")
def client_fixture(emulator):
    """A real SDK ECS client with the emulator's default credentials."""
    return make_client(emulator)


class _SigningRequest:
    """Just the attributes the SDK's signer reads."""

    def __init__(self, method, pathname, query, headers):
        self.method = method
        self.pathname = pathname
        self.query = query
        self.headers = headers


def signed_call(
    emulator,
    action,
    params,
    access_key_id=None,
    secret=None,
    nonce=None,
    date=None,
    token=None,
    method="POST",
    form=None,
    version="2014-05-26",
    tamper=None,
    raw=False,
):
    """Send one raw ACS3-signed request (signed by the SDK's own signer) and return (status, headers, json body).

    form puts parameters in an application/x-www-form-urlencoded body; tamper(query, headers, body) may change
    the request after signing; raw=True returns the body as bytes instead of decoding JSON.
    """
    body = urllib.parse.urlencode(form).encode("utf-8") if form else b""
    headers = {
        "host": emulator.endpoint,
        "x-acs-version": version,
        "x-acs-action": action,
        "x-acs-date": date or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
        "accept": "application/json",
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
    }
    if form:
        headers["content-type"] = "application/x-www-form-urlencoded"
    if token is not None:
        headers["x-acs-security-token"] = token
    query = {key: str(value) for key, value in params.items()}
    headers["Authorization"] = OpenApiUtils.get_authorization(
        _SigningRequest(method, "/", query, dict(headers)),
        "ACS3-HMAC-SHA256",
        headers["x-acs-content-sha256"],
        access_key_id or emulator.access_key_id,
        secret or emulator.access_key_secret,
    )
    if tamper is not None:
        query, headers, body = tamper(query, headers, body)
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    try:
        connection.request(method, "/?" + urllib.parse.urlencode(query), body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        payload = data if raw else json.loads(data.decode("utf-8"))
        return response.status, {key.lower(): value for key, value in response.getheaders()}, payload
    finally:
        connection.close()


@pytest.fixture(name="raw_call")
def raw_call_fixture(emulator):
    """signed_call bound to the session emulator: raw_call(action, params, **options) -> (status, headers, body)."""

    def call(action, params, **options):
        return signed_call(emulator, action, params, **options)

    return call


@pytest.fixture(name="new_client")
def new_client_fixture(emulator):
    """Factory of SDK clients with other credentials or config: new_client(access_key_id=..., read_timeout=...)."""

    def factory(**options):
        return make_client(emulator, **options)

    return factory


@pytest.fixture(name="ips")
def ips_fixture():
    """ips(1, 2) -> ['2408:4005:3a0:a100::1', '2408:4005:3a0:a100::2'] (canonical addresses of the default CIDR)."""

    def build(*suffixes):
        return ["%s%x" % (CIDR_PREFIX, suffix) for suffix in suffixes]

    return build
