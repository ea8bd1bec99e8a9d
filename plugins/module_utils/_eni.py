# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ENIs as ECS lists them: the Eni record, the reads, the search with paging, and the check of an ENI id.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import re
from dataclasses import asdict, dataclass, field
from typing import Dict, Optional, Tuple

from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import CollectionError, EcsApiError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._kinds import ADDRESS, KINDS, InputError, shown

READY_STATES = ("Available", "InUse")
TRANSITIONAL_STATES = ("Attaching", "Detaching", "Creating", "Modifying")
# DescribeNetworkInterfaces takes at most 100 ENI ids and 100 IPv6 addresses a call.
MAX_IDS_PER_DESCRIBE = 100
# 500 ENIs a page: far more pages than any region's ENIs fill, so only a server that pages without end reaches it.
MAX_PAGES = 1000
_ENI_ID_PATTERN = re.compile(r"^eni-[A-Za-z0-9][A-Za-z0-9_-]{0,62}\Z")
_INSTANCE_ID_PATTERN = re.compile(r"^i-[A-Za-z0-9]{1,62}\Z")


def check_network_interface_id(value, option="network_interface_id"):
    """Return the ENI id, or raise InputError when it cannot be one."""
    if not isinstance(value, str) or not _ENI_ID_PATTERN.match(value):
        raise InputError("%s %s is not an ENI id such as eni-bp1a2b3c4d5e6f7g8h9i." % (option, shown(value)))
    return value


def check_instance_id(value, option="instance_id"):
    """Return the ECS instance id, or raise InputError when it cannot be one."""
    if not isinstance(value, str) or not _INSTANCE_ID_PATTERN.match(value):
        raise InputError("%s %s is not an ECS instance id such as i-bp67acfmxazb4ph3ab2c." % (option, shown(value)))
    return value


@dataclass(frozen=True)
class Eni:
    """One ENI as one read showed it; IPv6 addresses and prefixes in RFC 5952 form, in the order ECS lists them."""

    network_interface_id: str
    status: Optional[str] = None
    type: Optional[str] = None
    instance_id: Optional[str] = None
    vswitch_id: Optional[str] = None
    vpc_id: Optional[str] = None
    zone_id: Optional[str] = None
    mac_address: Optional[str] = None
    primary_ip_address: Optional[str] = None
    ipv6_addresses: Tuple[str, ...] = ()
    ipv6_prefixes: Tuple[str, ...] = ()
    # The address ECS marks Primary in Ipv6Set; None when it marks none.
    primary_ipv6_address: Optional[str] = None
    tags: Dict[str, str] = field(default_factory=dict)

    @property
    def is_ready(self):
        """Whether ECS lets the ENI's IPv6 addresses change now."""
        return self.status in READY_STATES

    def items(self, kind):
        """The items of this kind (an ItemKind of _kinds) the ENI holds, as a new list."""
        return list(getattr(self, kind.option))

    def as_result(self):
        """The ENI as the modules return it (RETURN of ecs_eni_ipv6_info)."""
        result = asdict(self)
        for kind in KINDS:
            result[kind.option] = self.items(kind)
        return result


def eni_from_api(body):
    """The Eni of a DescribeNetworkInterfaceAttribute answer or of a DescribeNetworkInterfaces item."""
    tags = dict(
        (tag.get("TagKey") or tag.get("Key"), tag.get("TagValue") or tag.get("Value") or "")
        for tag in (body.get("Tags") or {}).get("Tag") or []
    )
    return Eni(
        network_interface_id=body.get("NetworkInterfaceId"),
        status=body.get("Status"),
        type=body.get("Type"),
        instance_id=body.get("InstanceId") or None,
        vswitch_id=body.get("VSwitchId"),
        vpc_id=body.get("VpcId"),
        zone_id=body.get("ZoneId"),
        mac_address=body.get("MacAddress"),
        primary_ip_address=body.get("PrivateIpAddress"),
        primary_ipv6_address=next(
            (
                ADDRESS.canonical_from_ecs(entry[ADDRESS.describe_field])
                for entry in ADDRESS.entries_in_described_eni(body)
                if entry.get("Primary") is True and entry.get(ADDRESS.describe_field)
            ),
            None,
        ),
        tags=tags,
        **dict((kind.option, tuple(kind.in_described_eni(body))) for kind in KINDS)
    )


def listed_enis(body):
    """The Enis of a DescribeNetworkInterfaces answer."""
    return [eni_from_api(item) for item in (body.get("NetworkInterfaceSets") or {}).get("NetworkInterfaceSet") or []]


def read_eni(client, network_interface_id):
    """Read one ENI through DescribeNetworkInterfaceAttribute (one API call)."""
    return eni_from_api(client.describe_network_interface(network_interface_id))


def list_eni(client, network_interface_id):
    """Read one ENI through DescribeNetworkInterfaces, the call list views read (one API call); None if not listed."""
    listed = listed_enis(client.describe_network_interfaces(network_interface_ids=[network_interface_id]))
    return next((eni for eni in listed if eni.network_interface_id == network_interface_id), None)


def primary_eni_of(client, instance_id, region):
    """The primary ENI of an ECS instance, from one DescribeNetworkInterfaces call filtered by instance and type.

    The answer is checked, not trusted: exactly one ENI of type Primary attached to that instance, else
    CollectionError PrimaryEniNotFound (none) or PrimaryEniAmbiguous (several), naming the instance and region.
    """
    where = "instance %s in region %s" % (instance_id, region)
    try:
        listed = listed_enis(
            client.describe_network_interfaces(instance_id=instance_id, network_interface_type="Primary")
        )
    except EcsApiError as err:
        if err.code not in ("InvalidEcsId.NotFound", "InvalidInstanceId.NotFound"):
            raise
        listed = []
    primaries = [eni for eni in listed if eni.type == "Primary" and eni.instance_id == instance_id]
    if not primaries:
        raise CollectionError(
            "PrimaryEniNotFound",
            "ECS lists no primary ENI of %s." % where,
        )
    if len(primaries) > 1:
        raise CollectionError(
            "PrimaryEniAmbiguous",
            "ECS lists %d primary ENIs of %s: %s."
            % (len(primaries), where, ", ".join(eni.network_interface_id for eni in primaries)),
        )
    return primaries[0]


@dataclass(frozen=True)
class EniFilter:
    """What ecs_eni_ipv6_info looks for; ids and IPv6 addresses are None when not filtered by."""

    ids: Optional[Tuple[str, ...]] = None
    ipv6_addresses: Optional[Tuple[str, ...]] = None
    # Tag key to value; None matches any value.
    tags: Optional[Dict[str, Optional[str]]] = None
    instance_id: Optional[str] = None
    vswitch_id: Optional[str] = None
    vpc_id: Optional[str] = None
    status: Optional[str] = None


def _parts(items):
    """The lists of at most 100 that a filter list is asked for in; [None] when the filter is not given."""
    if items is None:
        return [None]
    return [list(items[start : start + MAX_IDS_PER_DESCRIBE]) for start in range(0, len(items), MAX_IDS_PER_DESCRIBE)]


def find_enis(client, wanted):
    """Every ENI that matches the EniFilter, each once, in the order ECS listed them."""
    scalars = (
        ("instance_id", wanted.instance_id),
        ("v_switch_id", wanted.vswitch_id),
        ("vpc_id", wanted.vpc_id),
        ("status", wanted.status),
    )
    filters = dict((keyword, value) for keyword, value in scalars if value is not None)
    found = {}
    for id_part in _parts(wanted.ids):
        for address_part in _parts(wanted.ipv6_addresses):
            seen_tokens = set()
            body = {}
            for page in range(MAX_PAGES):
                body = client.describe_network_interfaces(
                    network_interface_ids=id_part,
                    ipv6_addresses=address_part,
                    tags=wanted.tags,
                    next_token=body.get("NextToken"),
                    **filters
                )
                for eni in listed_enis(body):
                    found.setdefault(eni.network_interface_id, eni)
                next_token = body.get("NextToken")
                if not next_token:
                    break
                if next_token in seen_tokens:
                    raise CollectionError(
                        "InvalidNextToken", "DescribeNetworkInterfaces answered NextToken %r twice." % next_token
                    )
                seen_tokens.add(next_token)
            else:
                raise CollectionError(
                    "InvalidNextToken",
                    "DescribeNetworkInterfaces kept answering a NextToken after %d pages." % MAX_PAGES,
                )
    return list(found.values())
