# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The defects the reliability suite (tests/reliability) found in module_utils, one test each."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import (
    InputError,
    Ipv6Writer,
    Waiter,
    check_network_interface_id,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError, redact
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import MAX_ATTEMPTS, RetryPolicy
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import FakeEcs, api_error

ENI = "eni-test0001"
HELD = ["2408:4005:3a0:a100::1", "2408:4005:3a0:a100::2"]
NEW = ["2408:4005:3a0:a100::10"]


class RetryingFake(FakeEcs):
    """FakeEcs whose Assign calls go through the RetryPolicy, as EcsClient's do (they carry a ClientToken)."""

    def assign_ipv6(self, *args, **kwargs):
        return self.retry_policy.run(lambda: FakeEcs.assign_ipv6(self, *args, **kwargs), idempotent=True)


class NoReplay(dict):
    """A token store that never answers a replay, so that every retry meets the next scripted fault."""

    def __contains__(self, token):
        return False


def writer_for(fake):
    eni = {"network_interface_id": ENI, "ipv6_addresses": list(fake.eni["addresses"]), "ipv6_prefixes": []}
    return Ipv6Writer(fake, eni, Waiter(True, 300, sleep=lambda seconds: None))


def assigns(fake):
    return [call for call in fake.calls if call[0] == "AssignIpv6Addresses"]


# Scenario "bad input: id with newline": the ENI id "eni-rel0001\n" passed the check and reached ECS.
@pytest.mark.parametrize("value", [ENI + "\n", ENI + "\r\n", ENI + "\n\n"])
def test_eni_id_with_a_trailing_newline_is_refused(value):
    with pytest.raises(InputError) as raised:
        check_network_interface_id(value)
    assert "network_interface_id" in str(raised.value)


def test_eni_ids_without_a_newline_still_pass():
    assert check_network_interface_id(ENI) == ENI
    assert check_network_interface_id("eni-" + "a" * 63) == "eni-" + "a" * 63


# Scenario "unending InternalError on assign": 60 Assign calls in 155 s, reported as "Gave up after 10 attempts".
def test_an_assign_retried_to_its_bound_is_not_sent_again_after_the_re_read():
    fake = RetryingFake(ENI, addresses=HELD)
    fake.faults["AssignIpv6Addresses"] = [(api_error("InternalError", 500), False) for attempt in range(100)]

    with pytest.raises(EcsApiError) as raised:
        writer_for(fake).assign("ipv6_addresses", NEW)

    assert raised.value.code == "InternalError"
    assert raised.value.retries_exhausted
    assert len(assigns(fake)) == MAX_ATTEMPTS
    assert "Gave up after %d attempts" % MAX_ATTEMPTS in raised.value.describe()


def test_a_count_assign_retried_to_its_bound_is_not_sent_again_after_the_re_read():
    fake = RetryingFake(ENI, addresses=HELD)
    fake.faults["AssignIpv6Addresses"] = [(api_error("ServiceUnavailable", 503), False) for attempt in range(100)]

    with pytest.raises(EcsApiError) as raised:
        writer_for(fake).assign_count("ipv6_addresses", 3)

    assert raised.value.code == "ServiceUnavailable"
    assert len(assigns(fake)) == MAX_ATTEMPTS


def test_an_assign_whose_answers_were_all_lost_still_counts_once_the_re_read_shows_it():
    """The first attempt was applied, every answer lost: the goal holds, so the task does not fail."""
    fake = RetryingFake(ENI, addresses=HELD)
    fake.tokens = NoReplay()
    fake.faults["AssignIpv6Addresses"] = [(api_error("ConnectionLost", None), True)] + [
        (api_error("ConnectionLost", None), False) for attempt in range(100)
    ]

    done = writer_for(fake).assign("ipv6_addresses", NEW)

    assert done == NEW
    assert fake.eni["addresses"] == HELD + NEW
    assert len(assigns(fake)) == MAX_ATTEMPTS


def test_a_release_that_is_not_retried_by_the_policy_is_still_reconciled():
    """Unassign is not idempotent, so the policy hands a 503 back at once: the writer re-reads and re-sends."""
    fake = FakeEcs(ENI, addresses=HELD)
    fake.faults["UnassignIpv6Addresses"] = [(api_error("ServiceUnavailable", 503), False)]

    assert writer_for(fake).release("ipv6_addresses", HELD[:1]) == HELD[:1]
    assert [call[0] for call in fake.writes()] == ["UnassignIpv6Addresses", "UnassignIpv6Addresses"]


def test_the_policy_marks_errors_it_gave_up_on():
    policy = RetryPolicy(max_attempts=3, sleep=lambda seconds: None)

    def ambiguous():
        raise api_error("InternalError", 500)

    def refused():
        raise api_error("InvalidIp.IpAssigned")

    with pytest.raises(EcsApiError) as raised:
        policy.run(ambiguous, idempotent=True)
    assert raised.value.retries_exhausted and raised.value.attempts == 3
    with pytest.raises(EcsApiError) as raised:
        policy.run(ambiguous, idempotent=False)
    assert not raised.value.retries_exhausted
    with pytest.raises(EcsApiError) as raised:
        policy.run(refused, idempotent=True)
    assert not raised.value.retries_exhausted


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
