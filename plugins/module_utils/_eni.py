# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ENI reads, waits and IPv6 releases, and the canonical form of IPv6 addresses and prefixes.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import hashlib
import ipaddress
import re
import time
import uuid

from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import STATE_CODES, EcsApiError

MAX_ITEMS_PER_CALL = 10

READY_STATES = ("Available", "InUse")
TRANSITIONAL_STATES = ("Attaching", "Detaching", "Creating", "Modifying")
MAX_RECONCILE_ROUNDS = 5
POLL_FIRST_SECONDS = 1.0
POLL_MAX_SECONDS = 5.0
_ENI_ID_PATTERN = re.compile(r"^eni-[A-Za-z0-9][A-Za-z0-9_-]{0,62}\Z")
_ADDRESS_CHARACTERS = re.compile(r"^[0-9A-Fa-f:.]+\Z")


class InputError(ValueError):
    """A task option with a bad value; the message names the option and the value."""


def _shown(value):
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def check_network_interface_id(value, option="network_interface_id"):
    """Return the ENI id, or raise InputError when it cannot be one."""
    if not isinstance(value, str) or not _ENI_ID_PATTERN.match(value):
        raise InputError("%s %s is not an ENI id such as eni-bp1a2b3c4d5e6f7g8h9i." % (option, _shown(value)))
    return value


def canonical_ipv6_address(value, option="ipv6_addresses"):
    """The RFC 5952 form of one plain IPv6 address; InputError for anything else (IPv4, CIDR, zone index)."""
    if not isinstance(value, str) or not _ADDRESS_CHARACTERS.match(value):
        raise InputError(
            "%s: %s is not a plain IPv6 address such as 2408:4005:3a0:a100::5 "
            "(no prefix length, no zone index, no IPv4)." % (option, _shown(value))
        )
    if ":" not in value:
        raise InputError("%s: %s is not an IPv6 address (IPv4 addresses are not accepted)." % (option, _shown(value)))
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        raise InputError("%s: %s is not a valid IPv6 address." % (option, _shown(value)))
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
            "which no ENI holds." % (option, _shown(value))
        )
    return address.compressed


def canonical_ipv6_prefix(value, option="ipv6_prefixes"):
    """The RFC 5952 form of one IPv6 prefix such as 2408:4005:3a0:a1ff:1::/80; InputError for anything else."""
    address, slash, length = value.partition("/") if isinstance(value, str) else ("", "", "")
    if not slash or not length.isdigit() or not _ADDRESS_CHARACTERS.match(address):
        raise InputError("%s: %s is not an IPv6 prefix such as 2408:4005:3a0:a1ff:1::/80." % (option, _shown(value)))
    try:
        return ipaddress.IPv6Network(value, strict=True).compressed
    except ValueError as exc:
        raise InputError("%s: %s is not a valid IPv6 prefix (%s)." % (option, _shown(value), exc))


def canonical_list(values, canonical, option):
    """Canonical forms of a list option's entries, first occurrences only, in the given order."""
    result = []
    for value in values or []:
        item = canonical(value, option)
        if item not in result:
            result.append(item)
    return result


def eni_from_api(body):
    """An ENI from a DescribeNetworkInterfaceAttribute answer or DescribeNetworkInterfaces item, snake_case keys."""
    addresses = [
        ipaddress.IPv6Address(item["Ipv6Address"]).compressed
        for item in (body.get("Ipv6Sets") or {}).get("Ipv6Set") or []
        if item.get("Ipv6Address")
    ]
    prefixes = [
        ipaddress.IPv6Network(item["Ipv6Prefix"], strict=False).compressed
        for item in (body.get("Ipv6PrefixSets") or {}).get("Ipv6PrefixSet") or []
        if item.get("Ipv6Prefix")
    ]
    tags = dict(
        (tag.get("TagKey") or tag.get("Key"), tag.get("TagValue") or tag.get("Value") or "")
        for tag in (body.get("Tags") or {}).get("Tag") or []
    )
    return {
        "network_interface_id": body.get("NetworkInterfaceId"),
        "status": body.get("Status"),
        "type": body.get("Type"),
        "instance_id": body.get("InstanceId") or None,
        "vswitch_id": body.get("VSwitchId"),
        "vpc_id": body.get("VpcId"),
        "zone_id": body.get("ZoneId"),
        "mac_address": body.get("MacAddress"),
        "primary_ip_address": body.get("PrivateIpAddress"),
        "ipv6_addresses": addresses,
        "ipv6_prefixes": prefixes,
        "tags": tags,
    }


def read_eni(client, network_interface_id):
    """Read one ENI (one API call)."""
    return eni_from_api(client.describe_network_interface(network_interface_id))


def listed_enis(body):
    """The ENIs of a DescribeNetworkInterfaces answer, as eni_from_api gives them."""
    return [eni_from_api(item) for item in (body.get("NetworkInterfaceSets") or {}).get("NetworkInterfaceSet") or []]


def list_eni(client, network_interface_id):
    """Read one ENI through DescribeNetworkInterfaces, the call list views read (one API call); None if not listed."""
    body = client.describe_network_interfaces(network_interface_ids=[network_interface_id])
    for eni in listed_enis(body):
        if eni["network_interface_id"] == network_interface_id:
            return eni
    return None


class Waiter(object):
    """Waits, within one deadline for the whole task, for an ENI or its instance to settle or for ECS to catch up."""

    def __init__(self, wait, timeout, sleep=None, clock=None):
        self.wait = wait
        self.timeout = timeout
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic
        self.deadline = self.clock() + timeout
        self.interval = POLL_FIRST_SECONDS
        # Every pause but the last sleeps at least POLL_FIRST_SECONDS, so this only matters if the clock stands still.
        self.pauses_left = int(timeout / POLL_FIRST_SECONDS) + 2

    def pause(self, code, what):
        """Sleep before the next look, or raise EcsApiError when waiting is off or the deadline has passed."""
        if not self.wait:
            raise EcsApiError(code, "%s (not waiting: wait is false)." % what)
        left = self.deadline - self.clock()
        self.pauses_left -= 1
        if left <= 0 or self.pauses_left < 0:
            raise EcsApiError(
                "WaitTimeout", "%s, still after waiting %s seconds (wait_timeout)." % (what.rstrip("."), self.timeout)
            )
        self.sleep(min(self.interval, left))
        self.interval = min(self.interval * 1.5, POLL_MAX_SECONDS)

    def until_ready(self, client, eni):
        """Return the ENI once it is Available or InUse, reading it again as long as it is in transition."""
        while eni["status"] not in READY_STATES:
            state = "ENI %s is %s" % (eni["network_interface_id"], eni["status"])
            if eni["status"] not in TRANSITIONAL_STATES:
                raise EcsApiError(
                    "InvalidOperation.InvalidEniState",
                    "%s; its IPv6 addresses can only change while it is Available or InUse." % state,
                )
            self.pause("InvalidOperation.InvalidEniState", state)
            eni = read_eni(client, eni["network_interface_id"])
        return eni


def _batches(items):
    return [items[start : start + MAX_ITEMS_PER_CALL] for start in range(0, len(items), MAX_ITEMS_PER_CALL)]


def _client_token(*parts):
    return "ansible-" + hashlib.sha256(":".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:48]


class Ipv6Writer(object):
    """Assigns and releases one ENI's IPv6 addresses or prefixes in calls of at most 10, and records what it did.

    ECS reads are eventually consistent: right after a write, both Describe calls may still show the ENI as it
    was. So a refusal that says the goal already holds (InvalidIp.IpUnassigned on release, InvalidIp.IpAssigned
    for an address this ENI holds) is believed over a read that disagrees. After an answer that leaves the outcome
    unknown (a lost answer, a 5xx, an Assign answer that lists fewer items than asked) the ENI is read again and
    only what is still to do is sent again. An item counts as this task's work only if this task may have
    changed it. `done` holds what this task changed so far, in RFC 5952 form, also when a later call fails.
    """

    def __init__(self, client, eni, waiter):
        self.client = client
        self.network_interface_id = eni["network_interface_id"]
        self.waiter = waiter
        self.held = {"ipv6_addresses": list(eni["ipv6_addresses"]), "ipv6_prefixes": list(eni["ipv6_prefixes"])}
        self.done = dict((kind, {"released": [], "assigned": [], "chosen": []}) for kind in self.held)
        # Items others moved where this task wants them: confirm() waits for reads to show them there too.
        self.gone = dict((kind, []) for kind in self.held)
        self.present = dict((kind, []) for kind in self.held)
        # Assign calls carry a ClientToken so that ECS applies a retried call once. The token is unique to
        # this run (and to the call's intent): reusing a token of an earlier run would make ECS answer that
        # run's old result instead of assigning.
        self.run_id = uuid.uuid4().hex

    @property
    def changed(self):
        """Whether this task changed anything so far."""
        return any(work for kind in self.done.values() for work in kind.values())

    @property
    def learnt(self):
        """Whether this task changed anything or learnt from a refusal what a lagging read may not show yet."""
        return self.changed or any(self.gone.values()) or any(self.present.values())

    def release(self, kind, items):
        """Release these items, which the ENI held at the last read; return those this task released."""

        def send(group):
            self.client.unassign_ipv6(self.network_interface_id, **{_CALL_ARGUMENT[kind]: group})

        already = len(self.done[kind]["released"])
        for batch in _batches(items):
            self._send_in_groups(kind, batch, send, "InvalidIp.IpUnassigned", landed=False)
        return self.done[kind]["released"][already:]

    def assign(self, kind, items):
        """Assign these items, which the ENI did not hold at the last read; return those this task assigned."""

        def send(group):
            token = _client_token(self.run_id, self.network_interface_id, kind, *group)
            self.client.assign_ipv6(self.network_interface_id, client_token=token, **{_CALL_ARGUMENT[kind]: group})

        already = len(self.done[kind]["assigned"])
        for batch in _batches(items):
            self._send_in_groups(kind, batch, send, "InvalidIp.IpAssigned", landed=True)
        return self.done[kind]["assigned"][already:]

    def _send_in_groups(self, kind, batch, send, race_code, landed):
        """Send one batch until every item is where it should be (on the ENI if landed, else off it)."""
        groups = [list(batch)]
        maybe_ours = set()
        rounds = 0
        while groups:
            group = groups[0]
            try:
                send(group)
            except EcsApiError as err:
                if err.ambiguous:
                    maybe_ours.update(group)
                if err.code == race_code and len(group) == 1:
                    # ECS says the item is already where the task wants it, whatever a lagging read shows: the goal
                    # holds (for an assign, once ECS lists this ENI, not another, holding it).
                    if landed:
                        self._wait_until_held_here(kind, group, err)
                    self._record(kind, group, landed, ours=group[0] in maybe_ours)
                    groups.pop(0)
                    continue
                rounds = self._absorb(err, race_code, rounds)
                fresh = read_eni(self.client, self.network_interface_id)[kind]
                settled = [item for item in group if (item in fresh) == landed]
                self._record(kind, [item for item in settled if item in maybe_ours], landed, ours=True)
                self._record(kind, [item for item in settled if item not in maybe_ours], landed, ours=False)
                rest = [item for item in group if item not in settled]
                if rest and err.retries_exhausted:
                    # The call was retried up to its bound already: sending it again would multiply that bound.
                    raise
                if err.code == race_code and not settled:
                    # The read does not say which item ECS objects to: send them one by one.
                    groups[0:1] = [[item] for item in rest]
                else:
                    groups[0:1] = [rest] if rest else []
            else:
                self._record(kind, group, landed, ours=True)
                groups.pop(0)

    def _wait_until_held_here(self, kind, items, err):
        """After InvalidIp.IpAssigned: return once ECS lists this ENI holding these items, however long reads lag.

        Raise the refusal, naming the ENI, as soon as ECS lists another ENI holding one of them; raise it at once
        when waiting is off, and WaitTimeout when ECS lists neither in time.
        """
        while True:
            if kind == "ipv6_addresses":
                listed = listed_enis(self.client.describe_network_interfaces(ipv6_addresses=items))
                others = [
                    eni["network_interface_id"]
                    for eni in listed
                    if eni["network_interface_id"] != self.network_interface_id
                ]
                if others:
                    raise EcsApiError(
                        err.code,
                        "%s (held by %s)" % (err.message.rstrip("."), ", ".join(others)),
                        request_id=err.request_id,
                        http_status=err.http_status,
                        action=err.action,
                    )
                here = [eni[kind] for eni in listed if eni["network_interface_id"] == self.network_interface_id]
            else:
                here = [read_eni(self.client, self.network_interface_id)[kind]]
            if here and all(item in here[0] for item in items):
                return
            self.waiter.pause(err.code, err.message)

    def assign_count(self, kind, count):
        """Have ECS choose and assign this many more items; return the ones it chose."""
        chosen = self.done[kind]["chosen"]
        already = len(chosen)
        count += already
        rounds = 0
        while len(chosen) < count:
            wanted = min(MAX_ITEMS_PER_CALL, count - len(chosen))
            token = _client_token(self.run_id, self.network_interface_id, kind, "count", wanted, len(chosen))
            try:
                answer = self.client.assign_ipv6(
                    self.network_interface_id, client_token=token, **{_COUNT_ARGUMENT[kind]: wanted}
                )
            except EcsApiError as err:
                rounds = self._absorb(err, None, rounds)
                fresh = read_eni(self.client, self.network_interface_id)[kind]
                if err.ambiguous:
                    self._chose(kind, [item for item in fresh if item not in self.held[kind]][:wanted])
                if err.retries_exhausted and len(chosen) < count:
                    raise
                continue
            listed = [item for item in _assigned_in_answer(kind, answer) if item not in self.held[kind]]
            self._chose(kind, listed[:wanted])
            if len(listed) < wanted:
                # A short answer leaves it unknown whether the rest landed: look, and give up after a few rounds.
                short = EcsApiError(
                    "IncompleteAnswer",
                    "AssignIpv6Addresses was asked for %d and its answer listed %d." % (wanted, len(listed)),
                    request_id=answer.get("RequestId"),
                    action="AssignIpv6Addresses",
                )
                rounds = self._absorb(short, "IncompleteAnswer", rounds)
                fresh = read_eni(self.client, self.network_interface_id)[kind]
                self._chose(kind, [item for item in fresh if item not in self.held[kind]][: wanted - len(listed)])
        return chosen[already:]

    def confirm(self):
        """Read the ENI until ECS lists every change this task knows of, within the wait deadline; return that view.

        With no lag this is one read. Reads through DescribeNetworkInterfaces, the call list views (and
        ecs_eni_ipv6_info) use, so that what the task reports is what a next task sees.
        """
        while True:
            eni = list_eni(self.client, self.network_interface_id)
            lagging = self._not_shown(eni)
            if not lagging:
                return eni
            self.waiter.pause("WaitTimeout", "ECS does not show the change of %s yet" % ", ".join(lagging))

    def _not_shown(self, eni):
        if eni is None:
            return [self.network_interface_id]
        missing = []
        for kind, work in self.done.items():
            for item in work["released"] + self.gone[kind]:
                if item in eni[kind]:
                    missing.append(item)
            for item in work["assigned"] + work["chosen"] + self.present[kind]:
                if item not in eni[kind]:
                    missing.append(item)
        return missing

    def _record(self, kind, items, landed, ours):
        """Note items now on the ENI (landed) or off it; as this task's work when ours, else for confirm() to see."""
        if ours:
            work = self.done[kind]["assigned" if landed else "released"]
            work.extend(item for item in items if item not in work)
        else:
            (self.present if landed else self.gone)[kind].extend(items)
        if landed:
            self.held[kind].extend(item for item in items if item not in self.held[kind])
        else:
            self.held[kind] = [item for item in self.held[kind] if item not in items]

    def _chose(self, kind, items):
        self.done[kind]["chosen"].extend(items)
        self.held[kind].extend(items)

    def _absorb(self, err, race_code, rounds):
        """Wait or back off after an error that allows another try (returning the new round count); else raise."""
        if err.code in STATE_CODES:
            if not self.waiter.wait:
                raise err
            self.waiter.pause(err.code, err.message)
            return rounds
        if not (err.ambiguous or err.code == race_code):
            raise err
        if rounds >= MAX_RECONCILE_ROUNDS:
            raise err
        policy = self.client.retry_policy
        policy.sleep(policy.delay(rounds + 1))
        return rounds + 1


_CALL_ARGUMENT = {"ipv6_addresses": "addresses", "ipv6_prefixes": "prefixes"}
_COUNT_ARGUMENT = {"ipv6_addresses": "address_count", "ipv6_prefixes": "prefix_count"}


def _assigned_in_answer(kind, answer):
    """The items an AssignIpv6Addresses answer lists (plain string lists, unlike the Describe calls)."""
    if kind == "ipv6_addresses":
        items = (answer.get("Ipv6Sets") or {}).get("Ipv6Address") or []
        return [ipaddress.IPv6Address(item).compressed for item in items]
    items = (answer.get("Ipv6PrefixSets") or {}).get("Ipv6Prefix") or []
    return [ipaddress.IPv6Network(item, strict=False).compressed for item in items]
