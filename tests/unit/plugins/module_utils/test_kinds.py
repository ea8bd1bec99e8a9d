# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_kinds: the canonical forms of IPv6 addresses and prefixes, and the ItemKind records."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._kinds import (
    ADDRESS,
    KINDS,
    PREFIX,
    InputError,
    canonical_ipv6_address,
    canonical_ipv6_prefix,
    canonical_list,
)


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


def test_each_kind_reads_its_items_from_both_answer_shapes():
    described = {
        "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": "2408:4005:03A0:A100::5"}, {"Ipv6Address": ""}]},
        "Ipv6PrefixSets": {"Ipv6PrefixSet": [{"Ipv6Prefix": "2408:4005:03a0:a1ff:0001::/80"}]},
    }
    assigned = {"Ipv6Sets": {"Ipv6Address": ["2408:4005:03A0:A100::6"]}, "Ipv6PrefixSets": {"Ipv6Prefix": []}}
    assert ADDRESS.in_described_eni(described) == ["2408:4005:3a0:a100::5"]
    assert PREFIX.in_described_eni(described) == ["2408:4005:3a0:a1ff:1::/80"]
    assert ADDRESS.in_assign_answer(assigned) == ["2408:4005:3a0:a100::6"]
    assert PREFIX.in_assign_answer(assigned) == []
    assert ADDRESS.in_described_eni({"Ipv6Sets": None}) == [] and PREFIX.in_assign_answer({}) == []


def test_the_result_keys_follow_the_options():
    assert [(kind.released_key, kind.assigned_key, kind.assigned_count_key) for kind in KINDS] == [
        ("released_ipv6_addresses", "assigned_ipv6_addresses", "assigned_ipv6_address_count"),
        ("released_ipv6_prefixes", "assigned_ipv6_prefixes", "assigned_ipv6_prefix_count"),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_batches_hold_at_most_one_calls_worth(kind):
    items = ["item-%d" % number for number in range(25)]
    batches = kind.batches(items)
    assert [len(batch) for batch in batches] == [10, 10, 5]
    assert sum(batches, []) == items
    assert kind.batches([]) == []
