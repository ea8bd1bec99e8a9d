# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection option checks, endpoint parsing, and the canonical forms of addresses and prefixes."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._client import connection_problems, parse_endpoint
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import (
    InputError,
    canonical_ipv6_address,
    canonical_ipv6_prefix,
    canonical_list,
    eni_from_api,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ecs.cn-hangzhou.aliyuncs.com", ("https", "ecs.cn-hangzhou.aliyuncs.com")),
        ("https://ecs-vpc.cn-hangzhou.aliyuncs.com/", ("https", "ecs-vpc.cn-hangzhou.aliyuncs.com")),
        ("http://127.0.0.1:8765", ("http", "127.0.0.1:8765")),
        ("http://[::1]:8765", ("http", "[::1]:8765")),
    ],
)
def test_endpoint_forms(value, expected):
    assert parse_endpoint(value) == expected


@pytest.mark.parametrize("value", ["ftp://host", "http://host:99999", "host/path", "http://", "a b"])
def test_bad_endpoints(value):
    with pytest.raises(ValueError):
        parse_endpoint(value)


def test_connection_problems_name_the_options():
    assert connection_problems({"region": "cn-hangzhou"}) == []
    assert "region is required" in connection_problems({})[0]
    assert "access_key_secret" in connection_problems({"region": "cn-hangzhou", "access_key_id": "LTAI"})[0]
    assert "security_token" in connection_problems({"region": "cn-hangzhou", "security_token": "t"})[0]
    assert "endpoint 'ftp://x'" in connection_problems({"region": "cn-hangzhou", "endpoint": "ftp://x"})[0]


@pytest.mark.parametrize(
    "value, canonical",
    [
        ("2408:4005:03A0:A100:0000:0000:0000:0005", "2408:4005:3a0:a100::5"),
        ("2408:4005:3a0:a100::5", "2408:4005:3a0:a100::5"),
        ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
    ],
)
def test_canonical_addresses(value, canonical):
    assert canonical_ipv6_address(value) == canonical


@pytest.mark.parametrize(
    "value",
    [
        "192.0.2.1",
        "2408::5/128",
        "fe80::1%eth0",
        "",
        " 2408::5",
        "2408::5::6",
        "x" * 5000,
        "２４０８::5",
        5,
        None,
        "2408::5\n",
        "::ffff:192.0.2.1",
        "::ffff:c000:201",
        "::",
        "::1",
        "fe80::1",
        "ff02::1",
    ],
)
def test_refused_addresses_name_the_option(value):
    with pytest.raises(InputError) as raised:
        canonical_ipv6_address(value)
    assert "ipv6_addresses" in str(raised.value)
    assert len(str(raised.value)) < 300


def test_canonical_prefix_and_refusals():
    assert canonical_ipv6_prefix("2408:4005:03a0:a1ff:0001::/80") == "2408:4005:3a0:a1ff:1::/80"
    for value in ("2408:4005:3a0:a1ff:1::1/80", "2408::", "10.0.0.0/8", "2408::/129", "2408::/x"):
        with pytest.raises(InputError):
            canonical_ipv6_prefix(value)


def test_canonical_list_drops_duplicates_keeping_order():
    values = ["2408::2", "2408:0::2", "2408::1"]
    assert canonical_list(values, canonical_ipv6_address, "ipv6_addresses") == ["2408::2", "2408::1"]


def test_eni_from_api_canonicalises_what_ecs_answers():
    eni = eni_from_api(
        {
            "NetworkInterfaceId": "eni-1",
            "Status": "InUse",
            "InstanceId": "",
            "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": "2408:4005:03A0:A100::5"}]},
            "Ipv6PrefixSets": {"Ipv6PrefixSet": []},
        }
    )
    assert eni["ipv6_addresses"] == ["2408:4005:3a0:a100::5"]
    assert eni["ipv6_prefixes"] == []
    assert eni["instance_id"] is None
