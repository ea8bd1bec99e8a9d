# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_errors.py: EcsApiError's hints and retry classes, the collection's own codes, and the redaction of secrets."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import (
    HINTS,
    CollectionError,
    EcsApiError,
    redact,
)


@pytest.mark.parametrize(
    "code",
    [
        "InvalidOperation.InvalidEcsState",
        "InvalidOperation.InvalidEniState",
        "MissingParameter",
        "InvalidIp.IpRepeated",
        "InvalidEniId.NotFound",
        "InvalidIp.IpUnassigned",
        "InvalidOperation.InvalidEniType",
        "Forbidden.RegionId",
        "OperationConflict",
        "Operation.Conflict",
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId.NotFound",
        "Forbidden.RAM",
        "InvalidIp.Address",
        "UnsupportedParameter",
        "InvalidParameter",
        "InvalidOperation.EniServiceManaged",
        "InvalidUserType.NotSupported",
        "IncompleteAnswer",
        "WaitTimeout",
    ],
)
def test_every_documented_code_has_an_actionable_sentence(code):
    assert code in HINTS
    assert EcsApiError(code, "m").describe().endswith(HINTS[code])


def test_tls_failures_are_not_retried():
    for code in ("TlsHandshakeFailed", "TlsCertificateInvalid"):
        assert not EcsApiError(code, "m").retry_safe and not EcsApiError(code, "m").ambiguous


def test_http_error_codes_are_classified_by_their_status():
    assert EcsApiError("HttpError502", "m", http_status=502).ambiguous
    assert EcsApiError("HttpError429", "m", http_status=429).retry_safe
    assert not EcsApiError("HttpError404", "m", http_status=404).ambiguous
    assert "retry later" in EcsApiError("HttpError503", "m", http_status=503).hint
    assert "check endpoint" in EcsApiError("HttpError404", "m", http_status=404).hint


def test_a_tls_handshake_failure_says_to_write_http():
    hint = CollectionError("TlsHandshakeFailed", "m").hint
    assert "write http:// in endpoint" in hint and "retry later" not in hint


@pytest.mark.parametrize("code", CollectionError.CODES + ("HttpError502",))
def test_the_collections_own_codes_are_collection_errors_with_a_hint(code):
    err = CollectionError(code, "m", http_status=502 if code.startswith("HttpError") else None)
    assert isinstance(err, EcsApiError)
    assert err.hint
    assert err.to_result() == {
        "code": code,
        "message": "m",
        "request_id": None,
        "http_status": 502 if code.startswith("HttpError") else None,
    }


@pytest.mark.parametrize("code", ["InvalidEniId.NotFound", "Throttling", "HttpErrorX", "HttpError5000"])
def test_codes_that_ecs_sends_are_not_collection_errors(code):
    pytest.raises(ValueError, CollectionError, code, "m")


def test_the_policy_marks_no_error_before_it_is_retried():
    err = EcsApiError("Throttling", "m", request_id="R", http_status=400, retry_after=2.0, action="Describe")
    assert (err.attempts, err.retries_exhausted, err.retry_after, err.action) == (1, False, 2.0, "Describe")
    assert err.describe().startswith("Throttling: m (action Describe, request id R)")


# Scenario "credentials: malformed credentials file": the credential chain's error quoted the file's line with
# the secret in it, and the module printed it in msg and error.message.
def test_a_quoted_credentials_file_line_is_not_repeated():
    text = (
        "unable to load credentials from any of the providers in the chain: ['ProfileCredentialsProvider: Source "
        "contains parsing errors: '/home/u/.alibabacloud/credentials.ini'\\n\\t[line  4]: 'access_key_secret "
        "TopSecret123\\\\n'\"]"
    )
    err = EcsApiError("CredentialsNotFound", text)
    for shown in (err.message, err.describe(), str(err), repr(err.to_result())):
        assert "TopSecret123" not in shown
    assert "credentials.ini" in err.message and "[line  4]: ********" in err.message


@pytest.mark.parametrize(
    "text, secret",
    [
        ("access_key_secret = TopSecret123", "TopSecret123"),
        ('{"AccessKeySecret": "TopSecret123", "AccessKeyId": "LTAI"}', "TopSecret123"),
        ("SecurityToken=CAIS.TopSecret123&x=1", "CAIS.TopSecret123"),
        ('[line 2]: "it\'s TopSecret123"', "TopSecret123"),
    ],
)
def test_credential_values_are_redacted(text, secret):
    assert secret not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Specified SecurityToken mismatch with the AccessKey.",
        "Specified signature does not match our calculation.",
        'The specified ipAddress "2408:4005:3a0:a100::5" is(are) not assigned on the network interface.',
    ],
)
def test_server_messages_are_left_alone(text):
    assert redact(text) == text
    assert EcsApiError("SomeCode", text).message == text
