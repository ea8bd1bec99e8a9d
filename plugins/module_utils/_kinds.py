# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The kinds of item an ENI holds (IPv6 addresses, IPv6 prefixes): one record each, and their canonical forms.

Everything that differs between an address and a prefix lives in its ItemKind record: the task options, the
EcsClient keywords and the answer fields, the canonical form, the per-call limit and the result keys. Another kind
(IPv4 secondary addresses, say) would be one more record, plus its API wrappers.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import ipaddress
import re
from dataclasses import dataclass
from typing import Callable, Optional, Tuple

_ADDRESS_CHARACTERS = re.compile(r"^[0-9A-Fa-f:.]+\Z")


class InputError(ValueError):
    """A task option with a bad value; the message names the option and the value."""


def shown(value):
    """A user's value for a message: quoted, and cut to 80 characters."""
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def canonical_ipv6_address(value, option="ipv6_addresses"):
    """The RFC 5952 form of one plain IPv6 address; InputError for anything else (IPv4, CIDR, zone index)."""
    if not isinstance(value, str) or not _ADDRESS_CHARACTERS.match(value):
        raise InputError(
            "%s: %s is not a plain IPv6 address such as 2408:4005:3a0:a100::5 "
            "(no prefix length, no zone index, no IPv4)." % (option, shown(value))
        )
    if ":" not in value:
        raise InputError("%s: %s is not an IPv6 address (IPv4 addresses are not accepted)." % (option, shown(value)))
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        raise InputError("%s: %s is not a valid IPv6 address." % (option, shown(value)))
    # No ENI holds these; refusing IPv4-mapped ones also keeps the canonical form the same on every Python
    # (3.13 writes them with a dotted quad).
    if (
        address.ipv4_mapped
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
    ):
        raise InputError(
            "%s: %s is a special-use address (unspecified, loopback, link-local, multicast or IPv4-mapped), "
            "which no ENI holds." % (option, shown(value))
        )
    return address.compressed


def canonical_ipv6_prefix(value, option="ipv6_prefixes"):
    """The RFC 5952 form of one IPv6 prefix such as 2408:4005:3a0:a1ff:1::/80; InputError for anything else."""
    address, slash, length = value.partition("/") if isinstance(value, str) else ("", "", "")
    if not slash or not length.isdigit() or not _ADDRESS_CHARACTERS.match(address):
        raise InputError("%s: %s is not an IPv6 prefix such as 2408:4005:3a0:a1ff:1::/80." % (option, shown(value)))
    try:
        return ipaddress.IPv6Network(value, strict=True).compressed
    except ValueError as exc:
        raise InputError("%s: %s is not a valid IPv6 prefix (%s)." % (option, shown(value), exc))


def canonical_list(values, canonical, option):
    """Canonical forms of a list option's entries, first occurrences only, in the given order."""
    result = []
    for value in values or []:
        item = canonical(value, option)
        if item not in result:
            result.append(item)
    return result


def _field(body, path):
    """The list at path (a tuple of keys) in an answer body; [] where a level is missing or null."""
    for key in path[:-1]:
        body = body.get(key) or {}
    return body.get(path[-1]) or []


@dataclass(frozen=True)
class ItemKind:
    """What the collection knows about one kind of item an ENI holds."""

    noun: str
    # The list option, which is also the result key and the field of an Eni.
    option: str
    count_option: str
    purge_option: str
    # The canonical form of a user's value (InputError naming the option) and of a value ECS answers.
    canonical: Callable[[str, str], str]
    canonical_from_ecs: Callable[[str], str]
    # DescribeNetworkInterface* answers list items as objects; AssignIpv6Addresses answers as plain strings.
    describe_path: Tuple[str, str]
    describe_field: str
    assign_answer_path: Tuple[str, str]
    # The keywords of EcsClient.assign_ipv6 and EcsClient.unassign_ipv6 for the items and for a count.
    items_keyword: str
    count_keyword: str
    # The keyword of EcsClient.describe_network_interfaces that filters ENIs by these items; None if there is none.
    describe_filter_keyword: Optional[str]
    per_call: int
    # More than any ENI's quota (10 unattached; the largest instance types allow a few dozen): a larger count can
    # only be a mistake.
    max_count: int

    @property
    def released_key(self):
        return "released_" + self.option

    @property
    def assigned_key(self):
        return "assigned_" + self.option

    @property
    def assigned_count_key(self):
        return "assigned_" + self.count_option

    def entries_in_described_eni(self, body):
        """The entries (objects) of an ENI's DescribeNetworkInterfaceAttribute or DescribeNetworkInterfaces answer."""
        return _field(body, self.describe_path)

    def in_described_eni(self, body):
        """The items of an ENI as DescribeNetworkInterfaceAttribute or DescribeNetworkInterfaces lists them."""
        entries = self.entries_in_described_eni(body)
        return [
            self.canonical_from_ecs(entry[self.describe_field]) for entry in entries if entry.get(self.describe_field)
        ]

    def in_assign_answer(self, answer):
        """The items an AssignIpv6Addresses answer lists."""
        return [self.canonical_from_ecs(item) for item in _field(answer, self.assign_answer_path)]

    def batches(self, items):
        """The items in groups of at most per_call, the most one API call takes."""
        return [list(items[start : start + self.per_call]) for start in range(0, len(items), self.per_call)]


ADDRESS = ItemKind(
    noun="address",
    option="ipv6_addresses",
    count_option="ipv6_address_count",
    purge_option="purge_ipv6_addresses",
    canonical=canonical_ipv6_address,
    canonical_from_ecs=lambda text: ipaddress.IPv6Address(text).compressed,
    describe_path=("Ipv6Sets", "Ipv6Set"),
    describe_field="Ipv6Address",
    assign_answer_path=("Ipv6Sets", "Ipv6Address"),
    items_keyword="addresses",
    count_keyword="address_count",
    describe_filter_keyword="ipv6_addresses",
    per_call=10,
    max_count=50,
)
PREFIX = ItemKind(
    noun="prefix",
    option="ipv6_prefixes",
    count_option="ipv6_prefix_count",
    purge_option="purge_ipv6_prefixes",
    canonical=canonical_ipv6_prefix,
    canonical_from_ecs=lambda text: ipaddress.IPv6Network(text, strict=False).compressed,
    describe_path=("Ipv6PrefixSets", "Ipv6PrefixSet"),
    describe_field="Ipv6Prefix",
    assign_answer_path=("Ipv6PrefixSets", "Ipv6Prefix"),
    items_keyword="prefixes",
    count_keyword="prefix_count",
    describe_filter_keyword=None,
    per_call=10,
    max_count=50,
)
# In the order a task works on them.
KINDS = (ADDRESS, PREFIX)
