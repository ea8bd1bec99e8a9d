"""The ECS actions the emulator answers, with ECS's parameter rules and error codes.

Each handler takes (state, params, region) with ``state.lock`` held by the caller and returns
(answer_without_request_id, applied) where applied tells whether the call changed state.
"""

import base64
import binascii
import hashlib
import ipaddress
import json

from .errors import (
    MSG_ECS_STATE,
    MSG_ENI_NOT_FOUND,
    MSG_ENI_STATE,
    MSG_IP_ASSIGNED,
    MSG_IP_REPEATED,
    MSG_IP_UNASSIGNED,
    MSG_PRIMARY_IPV6_REFUSED,
    ApiError,
    invalid_parameter,
    missing_parameter,
)
from .netutil import (
    ASSIGNED_PREFIX_LENGTH,
    address_in_networks,
    allocate_addresses,
    allocate_prefixes,
    canonical_ipv6_address,
    canonical_ipv6_prefix,
)
from .store import ENI_IPV6_PREFIX_QUOTA, UNATTACHED_ENI_IPV6_QUOTA

API_VERSION = "2014-05-26"
MAX_IPS_PER_CALL = 10
MAX_FILTER_IDS = 100
MAX_FILTER_TAGS = 20
WRITABLE_ENI_STATUSES = ("Available", "InUse")
WRITABLE_INSTANCE_STATUSES = ("Running", "Stopped")
NEXT_TOKEN_MAGIC = "ecs-emu-v1:"
MIN_MAX_RESULTS = 10
MAX_MAX_RESULTS = 500


# --------------------------------------------------------------------------- parameter helpers


def indexed_items(params, name, limit):
    """Return [(index, value)] of Name.1 .. Name.N sorted by index.

    Raises 400 InvalidParameter naming "Name.N" when an index is not a number from 1 to limit.
    """
    prefix = name + "."
    found = {}
    for key, value in params.items():
        if not key.startswith(prefix):
            continue
        index = key[len(prefix) :]
        if not index.isdigit() or not 1 <= int(index) <= limit:
            raise invalid_parameter(
                "%s.N" % name, "At most %d values (%s.1 to %s.%d) are allowed." % (limit, name, name, limit)
            )
        found[int(index)] = value
    return sorted(found.items())


def indexed_list(params, name, limit):
    """Return the values of Name.1 .. Name.N ordered by index ([] when none is given); see indexed_items."""
    return [value for index, value in indexed_items(params, name, limit)]


def per_call_list(params, name):
    """Return the values of a Name.N list limited to 10 per call: 400 InvalidParameter "Name.N" past that."""
    items = indexed_items(params, name, 1000000)
    if items and items[-1][0] > MAX_IPS_PER_CALL:
        raise invalid_parameter("%s.N" % name, "At most %d values are allowed in one request." % MAX_IPS_PER_CALL)
    return [value for index, value in items]


def indexed_tags(params, limit):
    """Return [(key, value_or_None)] from Tag.N.Key / Tag.N.Value, N from 1 to limit."""
    found = {}
    for key, value in params.items():
        if not key.startswith("Tag."):
            continue
        parts = key.split(".")
        if (
            len(parts) != 3
            or parts[2] not in ("Key", "Value")
            or not parts[1].isdigit()
            or not 1 <= int(parts[1]) <= limit
        ):
            raise invalid_parameter(
                "Tag.N", "At most %d tags (Tag.1 to Tag.%d) with Key and Value are allowed." % (limit, limit)
            )
        found.setdefault(int(parts[1]), {})[parts[2]] = value
    tags = []
    for index in sorted(found):
        if not found[index].get("Key"):
            raise missing_parameter("Tag.%d.Key" % index)
        tags.append((found[index]["Key"], found[index].get("Value")))
    return tags


def integer_param(params, name, low, high, default=None):
    """Return an integer parameter checked against low..high (400 InvalidParameter otherwise)."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_parameter(name, "It must be an integer from %d to %d." % (low, high))
    if not low <= value <= high:
        raise invalid_parameter(name, "It must be an integer from %d to %d." % (low, high))
    return value


def clamped_max_results(params):
    """Return MaxResults clamped into 10..500 (10 when absent); 400 InvalidParameter only when it is not an integer."""
    raw = params.get("MaxResults")
    if raw is None or raw == "":
        return MIN_MAX_RESULTS
    try:
        value = int(raw)
    except ValueError:
        raise invalid_parameter("MaxResults", "It must be an integer.")
    return min(max(value, MIN_MAX_RESULTS), MAX_MAX_RESULTS)


def canonical_values(values, canonicalize, what):
    """Canonicalize addresses or prefixes: 403 InvalidIp.Address for a bad one, 403 InvalidIp.IpRepeated for a repeat."""
    result = []
    for value in values:
        canonical = canonicalize(value)
        if canonical is None:
            raise ApiError(403, "InvalidIp.Address", 'The specified %s "%s" is not valid.' % (what, value))
        result.append(canonical)
    seen = set()
    for value, canonical in zip(values, result):
        if canonical in seen:
            raise ApiError(403, "InvalidIp.IpRepeated", MSG_IP_REPEATED.format(value))
        seen.add(canonical)
    return result


def find_eni(state, params, region):
    """Return the ENI named by NetworkInterfaceId in this region (400 MissingParameter, 404 InvalidEniId.NotFound)."""
    eni_id = params.get("NetworkInterfaceId")
    if not eni_id:
        raise missing_parameter("NetworkInterfaceId")
    eni = state.network_interfaces.get(eni_id)
    if eni is None or eni["RegionId"] != region:
        raise ApiError(404, "InvalidEniId.NotFound", MSG_ENI_NOT_FOUND.format(eni_id))
    return eni


def check_writable(state, eni):
    """Refuse changes unless the ENI is Available/InUse and its instance (if any) is Running/Stopped.

    ECS documents the instance rule for the primary ENI; the setting secondary_eni_checks_instance (default true)
    decides whether a secondary ENI is held to it too.
    """
    if eni["Status"] not in WRITABLE_ENI_STATUSES:
        raise ApiError(
            400,
            "InvalidOperation.InvalidEniState",
            MSG_ENI_STATE.format(",".join(WRITABLE_ENI_STATUSES), eni["Status"]),
        )
    if eni["Type"] != "Primary" and not state.settings["secondary_eni_checks_instance"]:
        return
    instance = state.instances.get(eni["InstanceId"]) if eni["InstanceId"] else None
    if instance is not None and instance["Status"] not in WRITABLE_INSTANCE_STATUSES:
        raise ApiError(
            400,
            "InvalidOperation.InvalidEcsState",
            MSG_ECS_STATE.format(",".join(WRITABLE_INSTANCE_STATUSES), instance["Status"]),
        )


def ipv6_quota(state, eni):
    """Return how many IPv6 addresses the ENI may hold: 10 unattached, else its instance's EniIpv6AddressQuantity."""
    instance = state.instances.get(eni["InstanceId"]) if eni["InstanceId"] else None
    if instance is None:
        return UNATTACHED_ENI_IPV6_QUOTA
    return instance["EniIpv6AddressQuantity"]


def render_eni(eni):
    """Return the ENI as ECS shows it in DescribeNetworkInterfaceAttribute / DescribeNetworkInterfaces."""
    item = {
        "NetworkInterfaceId": eni["NetworkInterfaceId"],
        "NetworkInterfaceName": eni["NetworkInterfaceName"],
        "Description": eni["Description"],
        "Status": eni["Status"],
        "Type": eni["Type"],
        "InstanceId": eni["InstanceId"],
        "VpcId": eni["VpcId"],
        "VSwitchId": eni["VSwitchId"],
        "ZoneId": eni["ZoneId"],
        "MacAddress": eni["MacAddress"],
        "PrivateIpAddress": eni["PrivateIpAddress"],
        "PrivateIpSets": {"PrivateIpSet": [{"PrivateIpAddress": eni["PrivateIpAddress"], "Primary": True}]},
        "Ipv6Sets": {
            "Ipv6Set": [
                {"Ipv6Address": address, "Primary": address == eni["Ipv6PrimaryAddress"]}
                for address in eni["Ipv6Addresses"]
            ]
        },
        "Ipv6PrefixSets": {"Ipv6PrefixSet": [{"Ipv6Prefix": prefix} for prefix in eni["Ipv6Prefixes"]]},
        "Tags": {"Tag": [{"TagKey": key, "TagValue": value} for key, value in eni["Tags"].items()]},
        "SecurityGroupIds": {"SecurityGroupId": []},
        "ServiceManaged": False,
        "CreationTime": eni["CreationTime"],
    }
    if eni["InstanceId"]:
        item["Attachment"] = {"InstanceId": eni["InstanceId"]}
    return item


# --------------------------------------------------------------------------- actions


def describe_network_interface_attribute(state, params, region):
    """DescribeNetworkInterfaceAttribute: one ENI by id, IPv6 sets as read_lag lets them show (Attribute ignored)."""
    return render_eni(state.described_eni(find_eni(state, params, region))), False


def _encode_next_token(seq):
    return base64.urlsafe_b64encode((NEXT_TOKEN_MAGIC + str(seq)).encode("ascii")).decode("ascii")


def _decode_next_token(token):
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.startswith(NEXT_TOKEN_MAGIC) or not text[len(NEXT_TOKEN_MAGIC) :].isdigit():
        raise invalid_parameter("NextToken", "The token is not one this API returned.")
    return int(text[len(NEXT_TOKEN_MAGIC) :])


def describe_network_interfaces(state, params, region):
    """DescribeNetworkInterfaces: filters, NextToken/MaxResults paging (PageNumber/PageSize when those are absent)."""
    ids = set(indexed_list(params, "NetworkInterfaceId", MAX_FILTER_IDS))
    wanted_addresses = set()
    for value in indexed_list(params, "Ipv6Address", MAX_FILTER_IDS):
        wanted_addresses.add(canonical_ipv6_address(value) or value)
    tags = indexed_tags(params, MAX_FILTER_TAGS)
    exact_filters = {
        "InstanceId": params.get("InstanceId"),
        "Status": params.get("Status"),
        "Type": params.get("Type"),
        "VSwitchId": params.get("VSwitchId"),
        "VpcId": params.get("VpcId"),
        "NetworkInterfaceName": params.get("NetworkInterfaceName"),
    }
    token_mode = "MaxResults" in params or "NextToken" in params or not ("PageNumber" in params or "PageSize" in params)
    if token_mode:
        # ECS clamps MaxResults into 10..500 instead of refusing it.
        max_results = clamped_max_results(params)
        after_seq = _decode_next_token(params["NextToken"]) if params.get("NextToken") else 0
    else:
        page_number = integer_param(params, "PageNumber", 1, 1000000, default=1)
        page_size = integer_param(params, "PageSize", 1, 100, default=10)

    matches = []
    shown = {}
    for eni_id, stored in state.network_interfaces.items():
        if stored["RegionId"] != region:
            continue
        if ids and eni_id not in ids:
            continue
        eni = state.described_eni(stored)
        if wanted_addresses and not wanted_addresses.intersection(eni["Ipv6Addresses"]):
            continue
        if any(value and eni[field] != value for field, value in exact_filters.items()):
            continue
        if any(key not in eni["Tags"] or (value is not None and eni["Tags"][key] != value) for key, value in tags):
            continue
        matches.append(eni_id)
        shown[eni_id] = eni

    if token_mode:
        remaining = [eni_id for eni_id in matches if state.eni_seq[eni_id] > after_seq]
        page = remaining[:max_results]
        next_token = _encode_next_token(state.eni_seq[page[-1]]) if len(remaining) > max_results else ""
        answer = {"NextToken": next_token, "TotalCount": len(matches)}
    else:
        start = (page_number - 1) * page_size
        page = matches[start : start + page_size]
        answer = {"PageNumber": page_number, "PageSize": page_size, "TotalCount": len(matches)}
    answer["NetworkInterfaceSets"] = {"NetworkInterfaceSet": [render_eni(shown[eni_id]) for eni_id in page]}
    return answer, False


def unassign_ipv6_addresses(state, params, region):
    """UnassignIpv6Addresses: release addresses or prefixes (not both), all or nothing."""
    eni = find_eni(state, params, region)
    has_addresses = any(key.startswith("Ipv6Address.") for key in params)
    has_prefixes = any(key.startswith("Ipv6Prefix.") for key in params)
    if not has_addresses and not has_prefixes:
        raise missing_parameter("Ipv6Address")
    if has_addresses and has_prefixes:
        raise ApiError(
            400,
            "InvalidParameter",
            "Ipv6Address and Ipv6Prefix cannot be released in one request: release addresses and prefixes separately.",
        )
    addresses = per_call_list(params, "Ipv6Address")
    prefixes = per_call_list(params, "Ipv6Prefix")
    if addresses:
        wanted = canonical_values(addresses, canonical_ipv6_address, "IPv6 address")
        held = eni["Ipv6Addresses"]
    else:
        wanted = canonical_values(prefixes, canonical_ipv6_prefix, "IPv6 prefix")
        held = eni["Ipv6Prefixes"]
    check_writable(state, eni)
    missing = [value for value in wanted if value not in held]
    if missing:
        raise ApiError(403, "InvalidIp.IpUnassigned", MSG_IP_UNASSIGNED.format(",".join(missing)))
    refusal = state.settings["primary_ipv6_release_refusal"]
    if refusal and eni["Ipv6PrimaryAddress"] and eni["Ipv6PrimaryAddress"] in wanted:
        raise ApiError(403, refusal, MSG_PRIMARY_IPV6_REFUSED.format(eni["Ipv6PrimaryAddress"]))
    held[:] = [value for value in held if value not in wanted]
    if eni["Ipv6PrimaryAddress"] in wanted:
        eni["Ipv6PrimaryAddress"] = ""
    state.note_ipv6_change(eni["NetworkInterfaceId"])
    return {}, True


def _assign_fingerprint(params):
    relevant = {key: value for key, value in params.items() if key != "ClientToken"}
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode("utf-8")).hexdigest()


def assign_ipv6_addresses(state, params, region):
    """AssignIpv6Addresses: explicit addresses/prefixes or counts picked from the vSwitch CIDR, with ClientToken."""
    eni = find_eni(state, params, region)
    addresses = per_call_list(params, "Ipv6Address")
    prefixes = per_call_list(params, "Ipv6Prefix")
    has_address_count = params.get("Ipv6AddressCount", "") != ""
    has_prefix_count = params.get("Ipv6PrefixCount", "") != ""
    token = params.get("ClientToken")
    if token is not None and (not token or len(token) > 64 or not token.isascii()):
        raise invalid_parameter("ClientToken", "It must be 1 to 64 ASCII characters.")
    if addresses and has_address_count:
        raise ApiError(
            400, "InvalidParameter", "Ipv6Address and Ipv6AddressCount cannot be specified at the same time."
        )
    if prefixes and has_prefix_count:
        raise ApiError(400, "InvalidParameter", "Ipv6Prefix and Ipv6PrefixCount cannot be specified at the same time.")
    if not (addresses or prefixes or has_address_count or has_prefix_count):
        raise missing_parameter("Ipv6Address")
    address_count = integer_param(params, "Ipv6AddressCount", 1, MAX_IPS_PER_CALL, default=0)
    prefix_count = integer_param(params, "Ipv6PrefixCount", 1, MAX_IPS_PER_CALL, default=0)
    addresses = canonical_values(addresses, canonical_ipv6_address, "IPv6 address")
    prefixes = canonical_values(prefixes, canonical_ipv6_prefix, "IPv6 prefix")
    for prefix in prefixes:
        if ipaddress.IPv6Network(prefix).prefixlen != ASSIGNED_PREFIX_LENGTH:
            raise ApiError(
                403,
                "InvalidIp.Address",
                'The specified IPv6 prefix "%s" is not valid: only /%d prefixes can be assigned.'
                % (prefix, ASSIGNED_PREFIX_LENGTH),
            )

    if token:
        fingerprint = _assign_fingerprint(params)
        remembered = state.client_token_answer(token)
        if remembered is not None:
            if remembered[0] != fingerprint:
                raise ApiError(
                    400,
                    "IdempotentParameterMismatch",
                    "The specified parameters are different from before with the same ClientToken.",
                )
            return remembered[1], False

    check_writable(state, eni)
    if not eni["Ipv6Enabled"]:
        raise ApiError(403, "InvalidVSwitch.Ipv6NotTurnOn", "The IPv6 of the specified vSwitch is not turned on.")
    cidr = ipaddress.IPv6Network(eni["Ipv6Cidr"])
    for address in addresses:
        if ipaddress.IPv6Address(address) not in cidr:
            raise ApiError(
                403,
                "InvalidIp.Address",
                'The specified IPv6 address "%s" is not in the IPv6 CIDR %s of the vSwitch.' % (address, cidr),
            )
    used_addresses, used_prefixes = state.addresses_in_use()
    taken = [address for address in addresses if address in used_addresses]
    prefix_networks = [ipaddress.IPv6Network(prefix) for prefix in used_prefixes]
    taken += [address for address in addresses if address_in_networks(address, prefix_networks) is not None]
    for prefix in prefixes:
        network = ipaddress.IPv6Network(prefix)
        if any(network.overlaps(other) for other in prefix_networks) or any(
            ipaddress.IPv6Address(address) in network for address in used_addresses
        ):
            taken.append(prefix)
    if taken:
        raise ApiError(403, "InvalidIp.IpAssigned", MSG_IP_ASSIGNED.format(",".join(taken)))
    quota = ipv6_quota(state, eni)
    if len(eni["Ipv6Addresses"]) + len(addresses) + address_count > quota:
        raise ApiError(
            403,
            "MaxEniIpv6IpsCountExceeded",
            "The maximum number of IPv6 addresses on the ENI (%d) is exceeded: it holds %d."
            % (quota, len(eni["Ipv6Addresses"])),
        )
    account_quota = state.settings["ipv6_account_quota"]
    if account_quota is not None:
        in_region = sum(
            len(other["Ipv6Addresses"]) for other in state.network_interfaces.values() if other["RegionId"] == region
        )
        if in_region + len(addresses) + address_count > account_quota:
            raise ApiError(
                403,
                "InvalidOperation.Ipv6CountExceeded",
                "The number of IPv6 addresses exceeds the quota of the account (%d) in this region: %d are in use."
                % (account_quota, in_region),
            )
    if len(eni["Ipv6Prefixes"]) + len(prefixes) + prefix_count > ENI_IPV6_PREFIX_QUOTA:
        raise ApiError(
            403,
            "MaxEniIpv6IpsCountExceeded",
            "The maximum number of IPv6 prefixes on the ENI (%d) is exceeded: it holds %d."
            % (ENI_IPV6_PREFIX_QUOTA, len(eni["Ipv6Prefixes"])),
        )
    used_addresses.update(addresses)
    used_prefixes.update(prefixes)
    if address_count:
        picked = allocate_addresses(eni["Ipv6Cidr"], used_addresses, used_prefixes, address_count)
        if picked is None:
            raise ApiError(403, "InvalidVSwitchId.IpNotEnough", "The vSwitch does not have enough free IPv6 addresses.")
        addresses = addresses + picked
    if prefix_count:
        picked = allocate_prefixes(eni["Ipv6Cidr"], used_addresses, used_prefixes, prefix_count)
        if picked is None:
            raise ApiError(403, "InvalidVSwitchId.IpNotEnough", "The vSwitch does not have enough free IPv6 prefixes.")
        prefixes = prefixes + picked

    eni["Ipv6Addresses"].extend(addresses)
    eni["Ipv6Prefixes"].extend(prefixes)
    state.note_ipv6_change(eni["NetworkInterfaceId"])
    answer = {
        "NetworkInterfaceId": eni["NetworkInterfaceId"],
        "Ipv6Sets": {"Ipv6Address": addresses},
        "Ipv6PrefixSets": {"Ipv6Prefix": prefixes},
    }
    if token:
        state.remember_client_token(token, fingerprint, answer)
    return answer, True


# action name -> (handler, changes state)
ACTIONS = {
    "DescribeNetworkInterfaceAttribute": (describe_network_interface_attribute, False),
    "DescribeNetworkInterfaces": (describe_network_interfaces, False),
    "UnassignIpv6Addresses": (unassign_ipv6_addresses, True),
    "AssignIpv6Addresses": (assign_ipv6_addresses, True),
}


def run_action(state, action, params):
    """Check RegionId and run one action under the state lock; returns (answer, applied)."""
    region = params.get("RegionId")
    if not region:
        raise missing_parameter("RegionId")
    with state.lock:
        if region not in state.regions:
            raise ApiError(400, "InvalidRegionId.NotFound", 'The specified RegionId "%s" does not exist.' % region)
        handler = ACTIONS[action][0]
        return handler(state, params, region)
