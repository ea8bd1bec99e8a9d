"""ACS3-HMAC-SHA256 verification, STS tokens, timestamps and nonces."""

import json
import time

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions

REGION = "cn-hangzhou"
STS_ID = "STS.NUemulatorTemporaryKey"
STS_SECRET = "sts-secret-not-real"
STS_TOKEN = "CAIS-emulator-token-not-real"
PARAMS = {"RegionId": REGION, "NetworkInterfaceId": "eni-sig"}


@pytest.fixture(autouse=True)
def seeded(control):
    """One unattached ENI to describe."""
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-sig"}]})


def describe(client):
    """Describe eni-sig with the given client."""
    request = ecs_models.DescribeNetworkInterfaceAttributeRequest(region_id=REGION, network_interface_id="eni-sig")
    return client.describe_network_interface_attribute_with_options(request, RuntimeOptions())


def refused(client):
    """Describe eni-sig expecting a ClientException and return it."""
    with pytest.raises(ClientException) as caught:
        describe(client)
    return caught.value


def test_right_secret_is_accepted(client, control, emulator):
    assert describe(client).body.network_interface_id == "eni-sig"
    assert control.calls()[-1]["access_key_id"] == emulator.access_key_id


def test_wrong_secret(new_client, control):
    error = refused(new_client(access_key_secret="wrong-secret"))
    assert (error.code, error.status_code) == ("SignatureDoesNotMatch", 400)
    assert error.data["Message"] == "Specified signature does not match our calculation."
    assert control.calls()[-1]["code"] == "SignatureDoesNotMatch"


def test_unknown_access_key(new_client):
    error = refused(new_client(access_key_id="LTAI5tUnknownKey"))
    assert (error.code, error.status_code) == ("InvalidAccessKeyId.NotFound", 404)


def test_missing_authorization(raw_call):
    def strip(query, headers, body):
        headers = {key: value for key, value in headers.items() if key != "Authorization"}
        return query, headers, body

    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, tamper=strip)
    assert (status, body["Code"]) == (400, "MissingAuthorization")


def test_tampered_query_or_header(raw_call):
    def change_query(query, headers, body):
        return dict(query, NetworkInterfaceId="eni-other"), headers, body

    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, tamper=change_query)
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")

    def change_accept(query, headers, body):
        return query, dict(headers, accept="text/xml"), body

    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, tamper=change_accept)
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")


def test_body_hash_must_match(raw_call):
    def change_body(query, headers, body):
        return query, headers, b"NetworkInterfaceId=eni-other"

    status, _headers, body = raw_call(
        "DescribeNetworkInterfaceAttribute",
        {"RegionId": REGION},
        form={"NetworkInterfaceId": "eni-sig"},
        tamper=change_body,
    )
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")
    assert "x-acs-content-sha256" in body["Message"]


def test_required_headers_must_be_signed(raw_call):
    def unsign_nonce(query, headers, body):
        auth = headers["Authorization"].replace("x-acs-signature-nonce;", "")
        return query, dict(headers, Authorization=auth), body

    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, tamper=unsign_nonce)
    assert (status, body["Code"]) == (400, "IncompleteSignature")


def test_other_algorithm_is_refused(raw_call):
    def other_algorithm(query, headers, body):
        return (
            query,
            dict(headers, Authorization=headers["Authorization"].replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3")),
            body,
        )

    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, tamper=other_algorithm)
    assert (status, body["Code"]) == (400, "IncompleteSignature")


def test_sts_key_needs_its_token(control, new_client):
    control.set_credentials(sts={STS_ID: {"secret": STS_SECRET, "token": STS_TOKEN}})
    ok = new_client(access_key_id=STS_ID, access_key_secret=STS_SECRET, security_token=STS_TOKEN)
    assert describe(ok).body.network_interface_id == "eni-sig"
    wrong = refused(new_client(access_key_id=STS_ID, access_key_secret=STS_SECRET, security_token="CAIS-other"))
    assert (wrong.code, wrong.status_code) == ("InvalidSecurityToken.MismatchWithAccessKey", 400)
    missing = refused(new_client(access_key_id=STS_ID, access_key_secret=STS_SECRET))
    assert (missing.code, missing.status_code) == ("MissingSecurityToken", 400)
    assert missing.data["Message"] == "SecurityToken is mandatory"
    # set_credentials replaced the permanent key too.
    assert refused(new_client()).code == "InvalidAccessKeyId.NotFound"


def test_reset_restores_start_credentials(control, client):
    control.set_credentials(access_keys={"LTAI5tOther": "other-secret"})
    assert refused(client).code == "InvalidAccessKeyId.NotFound"
    control.reset()
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-sig"}]})
    assert describe(client).body.network_interface_id == "eni-sig"


def test_secrets_and_tokens_are_never_echoed(control, new_client, emulator):
    control.set_credentials(
        access_keys={emulator.access_key_id: emulator.access_key_secret},
        sts={STS_ID: {"secret": STS_SECRET, "token": STS_TOKEN}},
    )
    describe(new_client(access_key_id=STS_ID, access_key_secret=STS_SECRET, security_token=STS_TOKEN))
    error = refused(new_client(access_key_id=STS_ID, access_key_secret=STS_SECRET, security_token="CAIS-wrong-token"))
    everything = json.dumps([control.calls(), control.state(), control.credentials(), error.data])
    for secret in (STS_SECRET, STS_TOKEN, "CAIS-wrong-token", emulator.access_key_secret):
        assert secret not in everything
    assert STS_ID in everything


def test_nonce_reuse(raw_call):
    status, _headers, _body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, nonce="nonce-fixed-1")
    assert status == 200
    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, nonce="nonce-fixed-1")
    assert (status, body["Code"]) == (400, "SignatureNonceUsed")
    assert raw_call("DescribeNetworkInterfaceAttribute", PARAMS, nonce="nonce-fixed-2")[0] == 200


def test_nonce_of_a_refused_request_is_not_burnt(raw_call):
    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, nonce="nonce-x", secret="bad-secret")
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")
    assert raw_call("DescribeNetworkInterfaceAttribute", PARAMS, nonce="nonce-x")[0] == 200


@pytest.mark.parametrize("offset", [-20 * 60, 20 * 60])
def test_stale_or_future_timestamp(raw_call, offset):
    date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset))
    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, date=date)
    assert (status, body["Code"]) == (400, "InvalidTimeStamp.Expired")


def test_timestamp_within_15_minutes_and_malformed(raw_call):
    date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 10 * 60))
    assert raw_call("DescribeNetworkInterfaceAttribute", PARAMS, date=date)[0] == 200
    status, _headers, body = raw_call("DescribeNetworkInterfaceAttribute", PARAMS, date="yesterday")
    assert (status, body["Code"]) == (400, "InvalidTimeStamp.Format")
