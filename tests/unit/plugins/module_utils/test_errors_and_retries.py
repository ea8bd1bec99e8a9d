# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error mapping from what the SDK raises, and the retry policy's decisions and bounds."""

import pytest
from alibabacloud_tea_openapi import exceptions as sdk_exceptions
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import HINTS, EcsApiError, error_from_sdk
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import MAX_DELAY, RetryPolicy
from darabonba.exceptions import RetryError, UnretryableException
from darabonba.policy.retry import RetryPolicyContext


def client_exception(code, status, message="Something is off.", request_id="3C1A-REQ", cls=None, **extra):
    cls = cls or (sdk_exceptions.ServerException if status >= 500 else sdk_exceptions.ClientException)
    data = {"RequestId": request_id, "Code": code, "Message": message, "HostId": "ecs.cn-hangzhou.aliyuncs.com"}
    return cls(
        status_code=status,
        code=code,
        message="code: %d, %s request id: %s" % (status, message, request_id),
        data=data,
        request_id=request_id,
        **extra
    )


def transport_exception(text):
    return UnretryableException(RetryPolicyContext(retries_attempted=1, exception=RetryError(text)))


def test_client_exception_keeps_code_server_message_request_id_and_status():
    err = error_from_sdk(
        client_exception("InvalidIp.IpUnassigned", 403, 'The ipAddress "x" is unassigned.'), "Unassign"
    )
    assert (err.code, err.message, err.request_id, err.http_status) == (
        "InvalidIp.IpUnassigned",
        'The ipAddress "x" is unassigned.',
        "3C1A-REQ",
        403,
    )
    assert err.describe().startswith('InvalidIp.IpUnassigned: The ipAddress "x" is unassigned.')
    assert "3C1A-REQ" in err.describe()


def test_throttling_exception_carries_retry_after_in_seconds():
    exc = client_exception("Throttling.User", 400, cls=sdk_exceptions.ThrottlingException, retry_after=1500)
    err = error_from_sdk(exc)
    assert err.retry_after == 1.5
    assert err.retry_safe and not err.ambiguous


@pytest.mark.parametrize(
    "text, code, safe, ambiguous",
    [
        (
            "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded (Caused by NewConnectionError("
            "'Failed to establish a new connection: [Errno 111] Connection refused'))",
            "ConnectionFailed",
            True,
            False,
        ),
        (
            "HTTPConnectionPool(host='127.0.0.1', port=9): Read timed out. (read timeout=10.0)",
            "ReadTimeout",
            False,
            True,
        ),
        (
            "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
            "ConnectionLost",
            False,
            True,
        ),
    ],
)
def test_transport_failures_are_classified(text, code, safe, ambiguous):
    err = error_from_sdk(transport_exception(text))
    assert (err.code, err.retry_safe, err.ambiguous) == (code, safe, ambiguous)
    assert err.http_status is None


@pytest.mark.parametrize(
    "code, status, safe, ambiguous",
    [
        ("Throttling", 400, True, False),
        ("Throttling.Api", 503, True, False),
        ("Rejected.Throttling", 403, True, False),
        ("OperationConflict", 403, True, False),
        ("ServiceUnavailable", 503, False, True),
        ("InternalError", 500, False, True),
        ("SomethingNew", 502, False, True),
        ("InvalidEniId.NotFound", 404, False, False),
        ("SignatureDoesNotMatch", 400, False, False),
    ],
)
def test_codes_are_classified_by_code_not_only_status(code, status, safe, ambiguous):
    err = error_from_sdk(client_exception(code, status))
    assert (err.retry_safe, err.ambiguous) == (safe, ambiguous)


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


def test_unknown_code_still_fails_cleanly_with_code_and_message():
    err = error_from_sdk(client_exception("Brand.NewCode", 403, "Never seen before."))
    assert err.describe().startswith("Brand.NewCode: Never seen before.")
    assert err.hint is None


def test_unexpected_sdk_exception_becomes_sdk_error():
    err = error_from_sdk(ValueError("Expecting value: line 1 column 1"))
    assert err.code == "SdkError"
    assert "ValueError" in err.message


class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def failing_then_ok(errors):
    calls = []

    def call():
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return "ok"

    return call, calls


def policy(clock, **kwargs):
    return RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now, rng=lambda: 1.0, **kwargs)


def test_throttling_is_retried_with_growing_capped_delays():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "slow down", http_status=400) for attempt in range(8)])
    assert policy(clock).run(call, idempotent=False) == "ok"
    assert len(calls) == 9
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, MAX_DELAY, MAX_DELAY, MAX_DELAY, MAX_DELAY]


def test_retry_after_from_the_server_is_honoured():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "wait", retry_after=3.0)])
    policy(clock).run(call, idempotent=False)
    assert clock.sleeps == [3.0]


def test_ambiguous_errors_are_retried_for_reads_only():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("InternalError", "oops", http_status=500)])
    assert policy(clock).run(call, idempotent=True) == "ok"
    call, calls = failing_then_ok([EcsApiError("InternalError", "oops", http_status=500)])
    with pytest.raises(EcsApiError):
        policy(clock).run(call, idempotent=False)
    assert len(calls) == 1


def test_unending_throttling_gives_up_within_the_attempt_bound():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "slow down") for attempt in range(100)])
    with pytest.raises(EcsApiError) as raised:
        policy(clock, max_attempts=10, max_seconds=1000).run(call, idempotent=True)
    assert len(calls) == 10
    assert raised.value.attempts == 10
    assert "Gave up after 10 attempts" in raised.value.describe()


def test_unending_throttling_gives_up_within_the_time_bound():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "slow down") for attempt in range(100)])
    with pytest.raises(EcsApiError):
        policy(clock, max_attempts=100, max_seconds=20).run(call, idempotent=True)
    assert clock.now <= 20


def test_other_errors_are_not_retried():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("InvalidEniId.NotFound", "no", http_status=404)])
    with pytest.raises(EcsApiError):
        policy(clock).run(call, idempotent=True)
    assert len(calls) == 1 and clock.sleeps == []


@pytest.mark.parametrize(
    "code, status, words",
    [
        ("MissingSecurityToken", 400, "security_token"),
        ("IdempotentParameterMismatch", 400, "ClientToken"),
        ("InvalidVSwitchId.IpInvalid", 403, "CIDR block of the ENI's vSwitch"),
        ("InvalidOperation.Ipv6CountExceeded", 403, "quota"),
        ("Forbedden.NotSupportRAM", 403, "RAM user or role"),
        ("Forbbiden.SubUser", 403, "RAM user or role"),
        ("Forbidden.NotSupportRAM", 403, "RAM user or role"),
    ],
)
def test_codes_that_needed_a_hint_have_one(code, status, words):
    err = error_from_sdk(client_exception(code, status))
    assert words in err.hint
    assert err.describe().endswith(err.hint)
    assert "report this as a bug" not in err.describe()


def test_an_expired_sts_token_reported_as_invalid_parameter_says_so():
    err = error_from_sdk(
        client_exception("InvalidParameter", 400, 'The specified parameter "SecurityToken.Expired" is not valid.')
    )
    assert "STS security token has expired" in err.hint
    assert "report this as a bug" not in err.describe()
    assert "report this as a bug" in error_from_sdk(client_exception("InvalidParameter", 400, "Other.")).describe()


@pytest.mark.parametrize(
    "text, code, words",
    [
        (
            "HTTPSConnectionPool(host='127.0.0.1', port=8765): Max retries exceeded with url: / (Caused by SSLError("
            "SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)')))",
            "TlsHandshakeFailed",
            "https://127.0.0.1:8765",
        ),
        (
            "HTTPSConnectionPool(host='ecs.example.com', port=443): Max retries exceeded with url: / (Caused by "
            "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
            "certificate (_ssl.c:1006)')))",
            "TlsCertificateInvalid",
            "https://ecs.example.com:443",
        ),
        (
            "HTTPConnectionPool(host='no-such-host.invalid', port=80): Max retries exceeded with url: / (Caused by "
            "NameResolutionError(\"HTTPConnection(host='no-such-host.invalid', port=80): Failed to resolve "
            "'no-such-host.invalid' ([Errno -2] Name or service not known)\"))",
            "ConnectionFailed",
            "no-such-host.invalid:80: its host name does not resolve (Name or service not known)",
        ),
        (
            "HTTPConnectionPool(host='10.255.255.1', port=80): Max retries exceeded with url: / (Caused by "
            "ConnectTimeoutError(<urllib3.connection.HTTPConnection object at 0x7f>, 'Connection to 10.255.255.1 timed "
            "out. (connect timeout=5.0)'))",
            "ConnectionFailed",
            "10.255.255.1:80: no connection within 5.0 s",
        ),
        (
            "HTTPConnectionPool(host='127.0.0.1', port=9): Read timed out. (read timeout=10.0)",
            "ReadTimeout",
            "127.0.0.1:9 did not answer within 10.0 s",
        ),
    ],
)
def test_transport_failures_name_the_endpoint_in_plain_words(text, code, words):
    err = error_from_sdk(transport_exception(text))
    assert err.code == code
    assert words in err.message
    assert "ConnectionPool" not in err.message and "Max retries" not in err.message


def test_tls_failures_are_not_retried():
    for code in ("TlsHandshakeFailed", "TlsCertificateInvalid"):
        assert not EcsApiError(code, "m").retry_safe and not EcsApiError(code, "m").ambiguous


def test_failed_connections_are_retried_for_about_10_seconds_only():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("ConnectionFailed", "refused") for attempt in range(100)])
    with pytest.raises(EcsApiError) as raised:
        policy(clock).run(call, idempotent=False)
    assert raised.value.retries_exhausted
    assert clock.now <= 10
    assert len(calls) < 10
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "slow down") for attempt in range(100)])
    with pytest.raises(EcsApiError):
        policy(clock).run(call, idempotent=False)
    assert clock.now > 10


def test_http_error_codes_are_classified_by_their_status():
    assert EcsApiError("HttpError502", "m", http_status=502).ambiguous
    assert EcsApiError("HttpError429", "m", http_status=429).retry_safe
    assert not EcsApiError("HttpError404", "m", http_status=404).ambiguous
    assert "retry later" in EcsApiError("HttpError503", "m", http_status=503).hint
    assert "check endpoint" in EcsApiError("HttpError404", "m", http_status=404).hint
