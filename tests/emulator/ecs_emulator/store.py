"""In-memory state of the ECS emulator.

One ``EmulatorState`` holds instances, ENIs, the history of each ENI's IPv6 sets (for the read lag), the settings,
the accepted credentials, injected faults, scheduled mutations, the call log, used signature nonces and ClientToken
answers. Every read or change happens under ``state.lock``.
"""

import collections
import copy
import hashlib
import ipaddress
import re
import threading
import time

from .errors import SeedError
from .netutil import allocate_addresses, canonical_ipv6_address, canonical_ipv6_prefix

DEFAULT_REGION = "cn-hangzhou"
DEFAULT_ACCESS_KEY_ID = "LTAI5tEmulatorTestKey"
DEFAULT_ACCESS_KEY_SECRET = "emulator-secret-not-real"
DEFAULT_IPV6_CIDR = "2408:4005:3a0:a100::/64"
DEFAULT_VPC_ID = "vpc-emu00000000000000001"
DEFAULT_VSWITCH_ID = "vsw-emu00000000000000001"
DEFAULT_INSTANCE_IPV6_QUOTA = 10
UNATTACHED_ENI_IPV6_QUOTA = 10
ENI_IPV6_PREFIX_QUOTA = 10

ENI_STATUSES = ("Available", "Attaching", "InUse", "Detaching", "Deleting", "Creating", "CreateFailed")
INSTANCE_STATUSES = ("Pending", "Running", "Starting", "Stopping", "Stopped")
ENI_TYPES = ("Primary", "Secondary")
FAULT_KINDS = ("error", "drop_after_apply", "drop_before_apply", "delay", "mutate_before", "raw")

CALL_LOG_LIMIT = 100000
NONCE_TTL_SECONDS = 15 * 60
CLIENT_TOKEN_TTL_SECONDS = 24 * 3600
MAX_SCHEDULE_DELAY_SECONDS = 3600
MAX_FAULT_DELAY_SECONDS = 600
MAX_READ_LAG_SECONDS = 600
MAX_STALE_READS = 1000
# Versions of one ENI's IPv6 sets kept for the read lag; past this many writes within one lag, the oldest go.
ENI_VERSION_LIMIT = 256
MAX_RAW_BODY_CHARS = 1024 * 1024
DEFAULT_SETTINGS = {
    "read_lag": 0.0,
    "stale_reads": 0,
    "hold_reads": False,
    "ipv6_account_quota": None,
    "secondary_eni_checks_instance": True,
    # None: a primary IPv6 address is released like any other; an error code: UnassignIpv6Addresses refuses a call
    # that names one with that code (HTTP 403).
    "primary_ipv6_release_refusal": None,
}

INSTANCE_KEYS = {"InstanceId", "RegionId", "Status", "EniIpv6AddressQuantity", "Ipv6AddressQuota", "ZoneId"}
ENI_KEYS = {
    "NetworkInterfaceId",
    "RegionId",
    "Status",
    "Type",
    "InstanceId",
    "VpcId",
    "VSwitchId",
    "ZoneId",
    "MacAddress",
    "PrivateIpAddress",
    "Ipv6Addresses",
    "Ipv6Prefixes",
    "Tags",
    "Ipv6Cidr",
    "Ipv6Enabled",
    "NetworkInterfaceName",
    "Description",
    "CreationTime",
    "Ipv6AddressCount",
    "Ipv6PrimaryAddress",
}
GENERATE_KEYS = (
    ENI_KEYS
    - {
        "NetworkInterfaceId",
        "Ipv6Addresses",
        "Ipv6AddressCount",
        "Ipv6PrimaryAddress",
        "MacAddress",
        "PrivateIpAddress",
    }
) | {
    "count",
    "prefix",
    "start",
    "Ipv6AddressesEach",
}
MUTATION_KEYS = {
    "network_interface_id",
    "instance_id",
    "remove_ipv6_addresses",
    "add_ipv6_addresses",
    "remove_ipv6_prefixes",
    "add_ipv6_prefixes",
    "status",
    "instance_status",
    "delete",
}
SEED_KEYS = {"instances", "network_interfaces", "generate", "regions", "demo"}


def utc_timestamp(epoch=None):
    """Return an ECS style UTC timestamp (2024-05-01T08:00:00Z)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def demo_seed_document():
    """Return the seed of the small demo (see README.md): one instance, two ENIs."""
    return {
        "instances": [{"InstanceId": "i-demo0001", "Status": "Running", "EniIpv6AddressQuantity": 20}],
        "network_interfaces": [
            {
                "NetworkInterfaceId": "eni-demo0001",
                "InstanceId": "i-demo0001",
                "Status": "InUse",
                "Type": "Primary",
                "Ipv6Cidr": DEFAULT_IPV6_CIDR,
                "Ipv6AddressCount": 12,
                "Tags": {"env": "demo"},
            },
            {
                "NetworkInterfaceId": "eni-demo0002",
                "Status": "Available",
                "Type": "Secondary",
                "Ipv6Cidr": DEFAULT_IPV6_CIDR,
                "Ipv6AddressCount": 3,
            },
        ],
    }


def _require_str(value, what, allow_empty=False):
    if not isinstance(value, str) or (not value and not allow_empty):
        raise SeedError("%s must be a%s string" % (what, "" if allow_empty else " non-empty"))
    return value


def _require_list_of_str(value, what):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SeedError("%s must be a list of strings" % what)
    return value


def _require_int(value, what, low, high):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SeedError("%s must be an integer from %d to %d" % (what, low, high))
    return value


def _require_number(value, what, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise SeedError("%s must be a number from %s to %s" % (what, low, high))
    return float(value)


def _canonical_addresses(values, what):
    result = []
    for value in _require_list_of_str(values, what):
        canonical = canonical_ipv6_address(value)
        if canonical is None:
            raise SeedError("%s: %r is not a valid IPv6 address" % (what, value))
        if canonical in result:
            raise SeedError("%s: %s appears twice" % (what, canonical))
        result.append(canonical)
    return result


def _canonical_prefixes(values, what):
    result = []
    for value in _require_list_of_str(values, what):
        canonical = canonical_ipv6_prefix(value)
        if canonical is None:
            raise SeedError("%s: %r is not a valid IPv6 prefix (network/length without host bits)" % (what, value))
        if canonical in result:
            raise SeedError("%s: %s appears twice" % (what, canonical))
        result.append(canonical)
    return result


def validate_mutation(mutation):
    """Check the shape of a mutation document and return a normalised copy (canonical addresses)."""
    if not isinstance(mutation, dict) or not mutation:
        raise SeedError("mutation must be a non-empty JSON object")
    unknown = set(mutation) - MUTATION_KEYS
    if unknown:
        raise SeedError("unknown mutation keys: %s" % ", ".join(sorted(unknown)))
    result = {}
    eni_keys = MUTATION_KEYS - {"instance_id", "instance_status"}
    if "network_interface_id" in mutation:
        result["network_interface_id"] = _require_str(mutation["network_interface_id"], "network_interface_id")
    elif any(key in mutation for key in eni_keys):
        raise SeedError("network_interface_id is required to change an ENI")
    if "instance_id" in mutation:
        result["instance_id"] = _require_str(mutation["instance_id"], "instance_id")
    for key in ("remove_ipv6_addresses", "add_ipv6_addresses"):
        if key in mutation:
            result[key] = _canonical_addresses(mutation[key], key)
    for key in ("remove_ipv6_prefixes", "add_ipv6_prefixes"):
        if key in mutation:
            result[key] = _canonical_prefixes(mutation[key], key)
    if "status" in mutation:
        if mutation["status"] not in ENI_STATUSES:
            raise SeedError("status must be one of %s" % ", ".join(ENI_STATUSES))
        result["status"] = mutation["status"]
    if "instance_status" in mutation:
        if mutation["instance_status"] not in INSTANCE_STATUSES:
            raise SeedError("instance_status must be one of %s" % ", ".join(INSTANCE_STATUSES))
        if "instance_id" not in result and "network_interface_id" not in result:
            raise SeedError("instance_status needs instance_id or network_interface_id")
        result["instance_status"] = mutation["instance_status"]
    if "delete" in mutation:
        if not isinstance(mutation["delete"], bool):
            raise SeedError("delete must be a boolean")
        result["delete"] = mutation["delete"]
    return result


def validate_settings(spec, partial=True):
    """Check a settings document (all keys optional when partial) and return a normalised copy."""
    if not isinstance(spec, dict):
        raise SeedError("settings must be a JSON object")
    unknown = set(spec) - set(DEFAULT_SETTINGS)
    if unknown:
        raise SeedError(
            "unknown settings: %s (known: %s)" % (", ".join(sorted(unknown)), ", ".join(sorted(DEFAULT_SETTINGS)))
        )
    if not partial and set(spec) != set(DEFAULT_SETTINGS):
        raise SeedError("settings must give %s" % ", ".join(sorted(DEFAULT_SETTINGS)))
    result = {}
    if "read_lag" in spec:
        result["read_lag"] = _require_number(spec["read_lag"], "read_lag", 0, MAX_READ_LAG_SECONDS)
    if "stale_reads" in spec:
        result["stale_reads"] = _require_int(spec["stale_reads"], "stale_reads", 0, MAX_STALE_READS)
    if "hold_reads" in spec:
        if not isinstance(spec["hold_reads"], bool):
            raise SeedError("hold_reads must be a boolean")
        result["hold_reads"] = spec["hold_reads"]
    if "ipv6_account_quota" in spec:
        quota = spec["ipv6_account_quota"]
        result["ipv6_account_quota"] = None if quota is None else _require_int(quota, "ipv6_account_quota", 0, 10**7)
    if "secondary_eni_checks_instance" in spec:
        if not isinstance(spec["secondary_eni_checks_instance"], bool):
            raise SeedError("secondary_eni_checks_instance must be a boolean")
        result["secondary_eni_checks_instance"] = spec["secondary_eni_checks_instance"]
    if "primary_ipv6_release_refusal" in spec:
        refusal = spec["primary_ipv6_release_refusal"]
        if refusal is not None and not (
            isinstance(refusal, str) and re.match(r"^[A-Za-z][A-Za-z0-9.]{0,99}\Z", refusal)
        ):
            raise SeedError("primary_ipv6_release_refusal must be null or an error code such as InvalidIp.IpUnassigned")
        result["primary_ipv6_release_refusal"] = refusal
    return result


def _ipv6_view(eni):
    """The part of an ENI that the read lag delays: (addresses, prefixes, primary address)."""
    return tuple(eni["Ipv6Addresses"]), tuple(eni["Ipv6Prefixes"]), eni["Ipv6PrimaryAddress"]


class EmulatorState:
    """All mutable emulator data, guarded by one re-entrant lock."""

    def __init__(self, region=DEFAULT_REGION, access_keys=None, sts=None, extra_regions=(), read_lag=0.0):
        self.lock = threading.RLock()
        self._initial_settings = dict(DEFAULT_SETTINGS)
        self._initial_settings.update(validate_settings({"read_lag": read_lag}))
        self.default_region = _require_str(region, "region")
        self._initial_regions = [region] + [name for name in extra_regions if name != region]
        if access_keys is None:
            access_keys = {DEFAULT_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_SECRET}
        self._initial_credentials = self._validate_credentials({"access_keys": access_keys, "sts": sts or {}})
        self._next_schedule_id = 1
        self._next_fault_id = 1
        self._call_seq = 0
        self.schedules = {}
        self.reset()

    # ----------------------------------------------------------------- lifecycle

    def reset(self):
        """Forget everything but the start configuration (regions, credentials, settings come back to start values)."""
        with self.lock:
            self.cancel_schedules()
            self.settings = dict(self._initial_settings)
            self.regions = list(self._initial_regions)
            self.instances = {}
            self.network_interfaces = {}
            self.eni_versions = {}
            self.stale_views = {}
            self.served_stale = []
            self.eni_seq = {}
            self._next_eni_seq = 1
            self._private_ip_counter = 0
            self.faults = []
            self.calls = collections.deque(maxlen=CALL_LOG_LIMIT)
            self.nonces = {}
            self._nonce_purged_at = time.time()
            self.client_tokens = {}
            self.access_keys = dict(self._initial_credentials["access_keys"])
            self.sts_keys = copy.deepcopy(self._initial_credentials["sts"])

    def cancel_schedules(self):
        """Cancel every pending scheduled mutation."""
        with self.lock:
            for entry in self.schedules.values():
                entry["timer"].cancel()
            self.schedules.clear()

    # ----------------------------------------------------------------- credentials

    @staticmethod
    def _validate_credentials(spec):
        if not isinstance(spec, dict) or set(spec) - {"access_keys", "sts"}:
            raise SeedError('credentials must be an object with "access_keys" and/or "sts"')
        access_keys = spec.get("access_keys") or {}
        sts = spec.get("sts") or {}
        if not isinstance(access_keys, dict) or not isinstance(sts, dict):
            raise SeedError("access_keys and sts must be objects")
        for key_id, secret in access_keys.items():
            if key_id.startswith("STS."):
                raise SeedError("temporary keys (STS.*) belong under sts with a secret and a token")
            _require_str(secret, "secret of %s" % key_id)
        clean_sts = {}
        for key_id, entry in sts.items():
            if not key_id.startswith("STS."):
                raise SeedError("temporary key ids must start with STS.")
            if not isinstance(entry, dict) or not {"secret", "token"} <= set(entry) <= {"secret", "token", "expired"}:
                raise SeedError('sts entry %s must be {"secret": ..., "token": ..., "expired": false}' % key_id)
            if not isinstance(entry.get("expired", False), bool):
                raise SeedError("expired of %s must be a boolean" % key_id)
            clean_sts[key_id] = {
                "secret": _require_str(entry["secret"], "secret of %s" % key_id),
                "token": _require_str(entry["token"], "token of %s" % key_id),
                "expired": entry.get("expired", False),
            }
        return {"access_keys": dict(access_keys), "sts": clean_sts}

    def set_credentials(self, spec):
        """Replace the accepted credentials; returns the accepted key ids (never secrets or tokens)."""
        clean = self._validate_credentials(spec)
        with self.lock:
            self.access_keys = clean["access_keys"]
            self.sts_keys = clean["sts"]
            return self.credential_ids()

    def credential_ids(self):
        """Return the accepted access key ids, permanent and temporary, and the temporary ones whose token expired."""
        with self.lock:
            return {
                "access_key_ids": sorted(self.access_keys),
                "sts_access_key_ids": sorted(self.sts_keys),
                "expired_sts_access_key_ids": sorted(key for key, entry in self.sts_keys.items() if entry["expired"]),
            }

    def expire_sts_token(self, spec):
        """Mark the token of a temporary key expired ({"access_key_id": "STS.x", "expired": true}); returns the ids."""
        if not isinstance(spec, dict) or set(spec) - {"access_key_id", "expired"}:
            raise SeedError('expire takes {"access_key_id": "STS...", "expired": true}')
        key_id = _require_str(spec.get("access_key_id"), "access_key_id")
        expired = spec.get("expired", True)
        if not isinstance(expired, bool):
            raise SeedError("expired must be a boolean")
        with self.lock:
            if key_id not in self.sts_keys:
                raise SeedError("%s is not an accepted temporary (STS.*) key id" % key_id)
            self.sts_keys[key_id]["expired"] = expired
            return self.credential_ids()

    def sts_token_expired(self, access_key_id):
        """Return True when access_key_id is a temporary key whose token was marked expired."""
        with self.lock:
            entry = self.sts_keys.get(access_key_id)
            return bool(entry and entry["expired"])

    # ----------------------------------------------------------------- settings and read lag

    def get_settings(self):
        """Return the current settings (read_lag, stale_reads, hold_reads, ipv6_account_quota,
        secondary_eni_checks_instance)."""
        with self.lock:
            return dict(self.settings)

    def update_settings(self, spec):
        """Change some settings (a partial document); returns all of them. reset() restores the start values."""
        clean = validate_settings(spec)
        with self.lock:
            self.settings.update(clean)
            if not self.settings["hold_reads"]:
                # Released: what was held shows as read_lag lets it.
                self.stale_views = {eni_id: view for eni_id, view in self.stale_views.items() if view[1] is not None}
            return dict(self.settings)

    def _start_versions(self, eni_id):
        """Start the history of an ENI whose IPv6 sets are visible at once (a seed)."""
        versions = collections.deque(maxlen=ENI_VERSION_LIMIT)
        versions.append((float("-inf"), _ipv6_view(self.network_interfaces[eni_id])))
        self.eni_versions[eni_id] = versions
        self.stale_views.pop(eni_id, None)

    def note_ipv6_change(self, eni_id, now=None):
        """Record the ENI's current IPv6 sets as a new version, shown by Describe once read_lag has passed.

        Versions that can no longer be shown (older than the newest one already visible) are dropped. With
        stale_reads or hold_reads, the sets from before the first write not yet shown stay what Describe shows for
        the next stale_reads reads of the ENI after this write, or while hold_reads is on.
        """
        with self.lock:
            eni = self.network_interfaces.get(eni_id)
            if eni is None:
                self.eni_versions.pop(eni_id, None)
                self.stale_views.pop(eni_id, None)
                return
            view = _ipv6_view(eni)
            versions = self.eni_versions.get(eni_id)
            if versions is None:
                self._start_versions(eni_id)
                return
            if versions[-1][1] == view:
                return
            if self.settings["hold_reads"] or self.settings["stale_reads"]:
                before = self.stale_views.get(eni_id, (versions[-1][1],))[0]
                self.stale_views[eni_id] = [
                    before,
                    None if self.settings["hold_reads"] else self.settings["stale_reads"],
                ]
            now = time.monotonic() if now is None else now
            versions.append((now, view))
            horizon = now - self.settings["read_lag"]
            while len(versions) > 1 and versions[1][0] <= horizon:
                versions.popleft()

    def described_eni(self, eni, now=None, read=True):
        """Return the ENI as Describe shows it now: the IPv6 sets kept by stale_reads or hold_reads, else the newest
        version older than read_lag (else the oldest kept).

        Returns the stored ENI itself when nothing is delayed, else a shallow copy with the older IPv6 sets. A `read`
        (an API call's, not the control API's) uses up one of the stale reads and is noted by take_served_stale().
        """
        with self.lock:
            eni_id = eni["NetworkInterfaceId"]
            held = self.stale_views.get(eni_id)
            if held is not None and held[0] != _ipv6_view(eni):
                if read and held[1] is not None:
                    held[1] -= 1
                    if held[1] <= 0:
                        del self.stale_views[eni_id]
                return self._shown(eni, held[0], read)
            self.stale_views.pop(eni_id, None)
            lag = self.settings["read_lag"]
            versions = self.eni_versions.get(eni_id)
            if lag <= 0 or not versions or len(versions) == 1 and versions[0][1] == _ipv6_view(eni):
                return eni
            horizon = (time.monotonic() if now is None else now) - lag
            shown = versions[0][1]
            for since, view in reversed(versions):
                if since <= horizon:
                    shown = view
                    break
            return self._shown(eni, shown, read)

    def _shown(self, eni, shown, read):
        """The ENI with the IPv6 sets `shown` (itself when they are current); a stale `read` is noted."""
        with self.lock:
            if shown == _ipv6_view(eni):
                return eni
            if read:
                self.served_stale.append(eni["NetworkInterfaceId"])
            copy_of_eni = dict(eni)
            copy_of_eni["Ipv6Addresses"] = list(shown[0])
            copy_of_eni["Ipv6Prefixes"] = list(shown[1])
            copy_of_eni["Ipv6PrimaryAddress"] = shown[2]
            return copy_of_eni

    def take_served_stale(self):
        """Return the ids of the ENIs that reads showed stale since the last call (sorted, once each), and forget them."""
        with self.lock:
            served, self.served_stale = sorted(set(self.served_stale)), []
            return served

    def lookup_credential(self, access_key_id):
        """Return (secret, required_security_token_or_None) for a key id, or None when the key is unknown."""
        with self.lock:
            if access_key_id in self.access_keys:
                return self.access_keys[access_key_id], None
            if access_key_id in self.sts_keys:
                entry = self.sts_keys[access_key_id]
                return entry["secret"], entry["token"]
            return None

    def use_nonce(self, nonce, now=None):
        """Remember a signature nonce; return False when it was already used within the last 15 minutes."""
        now = time.time() if now is None else now
        with self.lock:
            if now - self._nonce_purged_at > 60:
                self.nonces = {key: seen for key, seen in self.nonces.items() if now - seen < NONCE_TTL_SECONDS}
                self._nonce_purged_at = now
            seen = self.nonces.get(nonce)
            if seen is not None and now - seen < NONCE_TTL_SECONDS:
                return False
            self.nonces[nonce] = now
            return True

    # ----------------------------------------------------------------- seeding

    def _new_private_ip(self):
        self._private_ip_counter += 1
        number = self._private_ip_counter
        return "172.16.%d.%d" % (number // 250 % 256, number % 250 + 2)

    @staticmethod
    def _mac_for(eni_id):
        digest = hashlib.sha256(eni_id.encode("utf-8")).hexdigest()
        return "00:16:3e:%s:%s:%s" % (digest[0:2], digest[2:4], digest[4:6])

    def _build_instance(self, raw):
        if not isinstance(raw, dict):
            raise SeedError("each instance must be an object")
        unknown = set(raw) - INSTANCE_KEYS
        if unknown:
            raise SeedError("unknown instance keys: %s" % ", ".join(sorted(unknown)))
        instance_id = _require_str(raw.get("InstanceId"), "InstanceId")
        region = _require_str(raw.get("RegionId", self.default_region), "RegionId")
        status = raw.get("Status", "Running")
        if status not in INSTANCE_STATUSES:
            raise SeedError("instance %s: Status must be one of %s" % (instance_id, ", ".join(INSTANCE_STATUSES)))
        quota = raw.get("EniIpv6AddressQuantity", raw.get("Ipv6AddressQuota", DEFAULT_INSTANCE_IPV6_QUOTA))
        _require_int(quota, "instance %s: EniIpv6AddressQuantity" % instance_id, 0, 10000)
        return {
            "InstanceId": instance_id,
            "RegionId": region,
            "Status": status,
            "EniIpv6AddressQuantity": quota,
            "ZoneId": _require_str(raw.get("ZoneId", region + "-h"), "ZoneId"),
        }

    def _build_eni(self, raw):
        """Validate one ENI seed entry; returns (eni, count of addresses still to pick)."""
        if not isinstance(raw, dict):
            raise SeedError("each network interface must be an object")
        unknown = set(raw) - ENI_KEYS
        if unknown:
            raise SeedError("unknown network interface keys: %s" % ", ".join(sorted(unknown)))
        eni_id = _require_str(raw.get("NetworkInterfaceId"), "NetworkInterfaceId")
        what = "network interface %s" % eni_id
        region = _require_str(raw.get("RegionId", self.default_region), what + ": RegionId")
        instance_id = _require_str(raw.get("InstanceId", ""), what + ": InstanceId", allow_empty=True)
        status = raw.get("Status", "InUse" if instance_id else "Available")
        if status not in ENI_STATUSES:
            raise SeedError("%s: Status must be one of %s" % (what, ", ".join(ENI_STATUSES)))
        eni_type = raw.get("Type", "Secondary")
        if eni_type not in ENI_TYPES:
            raise SeedError("%s: Type must be Primary or Secondary" % what)
        cidr = _require_str(raw.get("Ipv6Cidr", DEFAULT_IPV6_CIDR), what + ": Ipv6Cidr")
        try:
            cidr = str(ipaddress.IPv6Network(cidr, strict=True))
        except ValueError:
            raise SeedError("%s: Ipv6Cidr %r is not an IPv6 network" % (what, cidr))
        ipv6_enabled = raw.get("Ipv6Enabled", True)
        if not isinstance(ipv6_enabled, bool):
            raise SeedError("%s: Ipv6Enabled must be a boolean" % what)
        tags = raw.get("Tags", {})
        if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
            raise SeedError("%s: Tags must be an object of strings" % what)
        pending = _require_int(raw.get("Ipv6AddressCount", 0), what + ": Ipv6AddressCount", 0, 100000)
        primary = None
        if "Ipv6PrimaryAddress" in raw:
            primary = _require_str(raw["Ipv6PrimaryAddress"], what + ": Ipv6PrimaryAddress", allow_empty=True)
            if primary:
                primary = canonical_ipv6_address(primary)
                if primary is None:
                    raise SeedError(
                        "%s: Ipv6PrimaryAddress %r is not an IPv6 address" % (what, raw["Ipv6PrimaryAddress"])
                    )
        eni = {
            "NetworkInterfaceId": eni_id,
            "RegionId": region,
            "Status": status,
            "Type": eni_type,
            "InstanceId": instance_id,
            "VpcId": _require_str(raw.get("VpcId", DEFAULT_VPC_ID), what + ": VpcId"),
            "VSwitchId": _require_str(raw.get("VSwitchId", DEFAULT_VSWITCH_ID), what + ": VSwitchId"),
            "ZoneId": _require_str(raw.get("ZoneId", region + "-h"), what + ": ZoneId"),
            "MacAddress": _require_str(raw.get("MacAddress", self._mac_for(eni_id)), what + ": MacAddress"),
            "PrivateIpAddress": _require_str(
                raw.get("PrivateIpAddress") or self._new_private_ip(), what + ": PrivateIpAddress"
            ),
            "Ipv6Addresses": _canonical_addresses(raw.get("Ipv6Addresses", []), what + ": Ipv6Addresses"),
            "Ipv6Prefixes": _canonical_prefixes(raw.get("Ipv6Prefixes", []), what + ": Ipv6Prefixes"),
            "Tags": dict(tags),
            "Ipv6Cidr": cidr,
            "Ipv6Enabled": ipv6_enabled,
            "NetworkInterfaceName": _require_str(
                raw.get("NetworkInterfaceName", ""), what + ": NetworkInterfaceName", True
            ),
            "Description": _require_str(raw.get("Description", ""), what + ": Description", True),
            "CreationTime": _require_str(raw.get("CreationTime", utc_timestamp()), what + ": CreationTime"),
            # None until the seed resolves it: the first address of a Primary ENI unless given.
            "Ipv6PrimaryAddress": primary,
        }
        return eni, pending

    def _expand_generate(self, spec):
        if not isinstance(spec, dict):
            raise SeedError("generate must be an object (or a list of objects)")
        unknown = set(spec) - GENERATE_KEYS
        if unknown:
            raise SeedError("unknown generate keys: %s" % ", ".join(sorted(unknown)))
        count = _require_int(spec.get("count"), "generate.count", 1, 100000)
        prefix = _require_str(spec.get("prefix", "eni-bulk"), "generate.prefix")
        start = _require_int(spec.get("start", 1), "generate.start", 0, 10**9)
        each = _require_int(spec.get("Ipv6AddressesEach", 0), "generate.Ipv6AddressesEach", 0, 1000)
        template = {key: value for key, value in spec.items() if key in ENI_KEYS}
        entries = []
        for index in range(start, start + count):
            entry = dict(template)
            entry["NetworkInterfaceId"] = "%s-%05d" % (prefix, index)
            entry["Ipv6AddressCount"] = each
            entries.append(entry)
        return entries

    def seed(self, spec):
        """Add (or replace, by id) instances and ENIs from a seed document, atomically.

        Returns {"instances": [ids], "network_interfaces": [ids]}. Raises SeedError and changes nothing when the
        document is invalid.
        """
        if not isinstance(spec, dict):
            raise SeedError("seed must be a JSON object")
        unknown = set(spec) - SEED_KEYS
        if unknown:
            raise SeedError("unknown seed keys: %s" % ", ".join(sorted(unknown)))
        if spec.get("demo"):
            demo = demo_seed_document()
            spec = dict(spec)
            spec["instances"] = demo["instances"] + list(spec.get("instances") or [])
            spec["network_interfaces"] = demo["network_interfaces"] + list(spec.get("network_interfaces") or [])
        with self.lock:
            counter_before = self._private_ip_counter
            try:
                return self._seed_locked(spec)
            except SeedError:
                self._private_ip_counter = counter_before
                raise

    def _seed_locked(self, spec):
        regions = _require_list_of_str(spec.get("regions", []), "regions")
        instance_specs = spec.get("instances", [])
        eni_specs = spec.get("network_interfaces", [])
        if not isinstance(instance_specs, list) or not isinstance(eni_specs, list):
            raise SeedError("instances and network_interfaces must be lists")
        generate = spec.get("generate", [])
        for gen in generate if isinstance(generate, list) else [generate]:
            eni_specs = eni_specs + self._expand_generate(gen)

        new_instances = {}
        for raw in instance_specs:
            instance = self._build_instance(raw)
            new_instances[instance["InstanceId"]] = instance
        new_enis = {}
        pending_counts = {}
        for raw in eni_specs:
            eni, pending = self._build_eni(raw)
            if eni["NetworkInterfaceId"] in new_enis:
                raise SeedError("network interface %s appears twice" % eni["NetworkInterfaceId"])
            new_enis[eni["NetworkInterfaceId"]] = eni
            pending_counts[eni["NetworkInterfaceId"]] = pending

        # Instances referenced by an ENI but not described are created Running in the ENI's region.
        for eni in new_enis.values():
            instance_id = eni["InstanceId"]
            if not instance_id:
                continue
            instance = new_instances.get(instance_id) or self.instances.get(instance_id)
            if instance is None:
                instance = self._build_instance({"InstanceId": instance_id, "RegionId": eni["RegionId"]})
                new_instances[instance_id] = instance
            if instance["RegionId"] != eni["RegionId"]:
                raise SeedError(
                    "network interface %s and instance %s are in different regions"
                    % (eni["NetworkInterfaceId"], instance_id)
                )

        # An IPv6 address or prefix can be on one ENI only.
        owners = {}
        prefix_owners = {}
        for eni_id, eni in self.network_interfaces.items():
            if eni_id not in new_enis:
                owners.update({address: eni_id for address in eni["Ipv6Addresses"]})
                prefix_owners.update({prefix: eni_id for prefix in eni["Ipv6Prefixes"]})
        for eni_id, eni in new_enis.items():
            for address in eni["Ipv6Addresses"]:
                if address in owners:
                    raise SeedError("IPv6 address %s is on both %s and %s" % (address, owners[address], eni_id))
                owners[address] = eni_id
            for prefix in eni["Ipv6Prefixes"]:
                if prefix in prefix_owners:
                    raise SeedError("IPv6 prefix %s is on both %s and %s" % (prefix, prefix_owners[prefix], eni_id))
                prefix_owners[prefix] = eni_id
        # Addresses asked for by count are picked per CIDR in one pass (a scan per ENI would be quadratic).
        used = set(owners)
        used_prefixes = set(prefix_owners)
        wanted_by_cidr = {}
        for eni_id, eni in new_enis.items():
            if pending_counts[eni_id]:
                wanted_by_cidr.setdefault(eni["Ipv6Cidr"], []).append(eni)
        for cidr, enis in wanted_by_cidr.items():
            total = sum(pending_counts[eni["NetworkInterfaceId"]] for eni in enis)
            picked = allocate_addresses(cidr, used, used_prefixes, total)
            if picked is None:
                raise SeedError("not enough free addresses in %s for %d more" % (cidr, total))
            for eni in enis:
                count = pending_counts[eni["NetworkInterfaceId"]]
                eni["Ipv6Addresses"].extend(picked[:count])
                picked = picked[count:]
        for eni_id, eni in new_enis.items():
            if eni["Ipv6PrimaryAddress"] is None:
                first = eni["Ipv6Addresses"][:1] if eni["Type"] == "Primary" else []
                eni["Ipv6PrimaryAddress"] = first[0] if first else ""
            elif eni["Ipv6PrimaryAddress"] and eni["Ipv6PrimaryAddress"] not in eni["Ipv6Addresses"]:
                raise SeedError(
                    "network interface %s: Ipv6PrimaryAddress %s is not one of its addresses"
                    % (eni_id, eni["Ipv6PrimaryAddress"])
                )

        # Everything is valid: commit.
        for name in regions + [item["RegionId"] for item in list(new_instances.values()) + list(new_enis.values())]:
            if name not in self.regions:
                self.regions.append(name)
        self.instances.update(new_instances)
        for eni_id, eni in new_enis.items():
            if eni_id not in self.network_interfaces:
                self.eni_seq[eni_id] = self._next_eni_seq
                self._next_eni_seq += 1
            self.network_interfaces[eni_id] = eni
            self._start_versions(eni_id)
        return {"instances": list(new_instances), "network_interfaces": list(new_enis)}

    # ----------------------------------------------------------------- mutations

    def apply_mutation(self, mutation):
        """Apply a validated mutation (a change made "by someone else"); returns a list of what was done."""
        done = []
        with self.lock:
            eni = None
            eni_id = mutation.get("network_interface_id")
            if eni_id is not None:
                eni = self.network_interfaces.get(eni_id)
                if eni is None:
                    return ["ENI %s not found: nothing changed" % eni_id]
            for address in mutation.get("remove_ipv6_addresses", []):
                if address in eni["Ipv6Addresses"]:
                    eni["Ipv6Addresses"].remove(address)
                    if eni["Ipv6PrimaryAddress"] == address:
                        eni["Ipv6PrimaryAddress"] = ""
                    done.append("removed %s" % address)
            for address in mutation.get("add_ipv6_addresses", []):
                if address not in eni["Ipv6Addresses"]:
                    eni["Ipv6Addresses"].append(address)
                    done.append("added %s" % address)
            for prefix in mutation.get("remove_ipv6_prefixes", []):
                if prefix in eni["Ipv6Prefixes"]:
                    eni["Ipv6Prefixes"].remove(prefix)
                    done.append("removed %s" % prefix)
            for prefix in mutation.get("add_ipv6_prefixes", []):
                if prefix not in eni["Ipv6Prefixes"]:
                    eni["Ipv6Prefixes"].append(prefix)
                    done.append("added %s" % prefix)
            if "status" in mutation:
                eni["Status"] = mutation["status"]
                done.append("ENI %s status %s" % (eni_id, mutation["status"]))
            if "instance_status" in mutation:
                instance_id = mutation.get("instance_id") or (eni["InstanceId"] if eni else "")
                instance = self.instances.get(instance_id)
                if instance is None:
                    done.append("instance %r not found: status unchanged" % instance_id)
                else:
                    instance["Status"] = mutation["instance_status"]
                    done.append("instance %s status %s" % (instance_id, mutation["instance_status"]))
            if mutation.get("delete") and eni is not None:
                del self.network_interfaces[eni_id]
                self.eni_seq.pop(eni_id, None)
                done.append("deleted %s" % eni_id)
            if eni_id is not None:
                self.note_ipv6_change(eni_id)
        return done

    # ----------------------------------------------------------------- faults

    def add_fault(self, spec):
        """Validate and queue a fault; returns it with its id."""
        if not isinstance(spec, dict):
            raise SeedError("fault must be a JSON object")
        allowed = {
            "action",
            "count",
            "kind",
            "code",
            "status",
            "message",
            "retry_after_ms",
            "seconds",
            "mutation",
            "match",
            "body",
            "content_type",
        }
        unknown = set(spec) - allowed
        if unknown:
            raise SeedError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
        kind = spec.get("kind")
        if kind not in FAULT_KINDS:
            raise SeedError("fault kind must be one of %s" % ", ".join(FAULT_KINDS))
        fault = {
            "action": _require_str(spec.get("action", "*"), "action"),
            "count": _require_int(spec.get("count", 1), "count", 1, 1000000),
            "kind": kind,
        }
        match = spec.get("match", {})
        if not isinstance(match, dict) or not all(isinstance(value, str) for value in match.values()):
            raise SeedError("match must be an object of request parameter names to string values")
        fault["match"] = dict(match)
        if kind == "error":
            fault["code"] = _require_str(spec.get("code"), "code")
            fault["status"] = _require_int(spec.get("status", 500), "status", 400, 599)
            fault["message"] = _require_str(spec.get("message", "Emulated fault %s." % fault["code"]), "message")
            if "retry_after_ms" in spec:
                fault["retry_after_ms"] = _require_int(spec["retry_after_ms"], "retry_after_ms", 1, 3600000)
        elif kind == "delay":
            fault["seconds"] = _require_number(spec.get("seconds"), "seconds", 0, MAX_FAULT_DELAY_SECONDS)
        elif kind == "mutate_before":
            fault["mutation"] = validate_mutation(spec.get("mutation"))
        elif kind == "raw":
            fault["status"] = _require_int(spec.get("status", 502), "status", 200, 599)
            fault["body"] = _require_str(spec.get("body", ""), "body", allow_empty=True)
            if len(fault["body"]) > MAX_RAW_BODY_CHARS:
                raise SeedError("body must be at most %d characters" % MAX_RAW_BODY_CHARS)
            fault["content_type"] = _require_str(
                spec.get("content_type", "text/html"), "content_type", allow_empty=True
            )
            if any(char in fault["content_type"] for char in "\r\n"):
                raise SeedError("content_type must be one line")
        for key in ("body", "content_type"):
            if key in spec and kind != "raw":
                raise SeedError("%s only applies to raw faults" % key)
        with self.lock:
            fault["id"] = self._next_fault_id
            self._next_fault_id += 1
            self.faults.append(fault)
            return copy.deepcopy(fault)

    def take_fault(self, action, params):
        """Consume one count of the first queued fault matching this call; returns a copy of it or None."""
        with self.lock:
            for fault in self.faults:
                if fault["action"] not in ("*", action):
                    continue
                if any(params.get(name) != value for name, value in fault["match"].items()):
                    continue
                fault["count"] -= 1
                if fault["count"] <= 0:
                    self.faults.remove(fault)
                return copy.deepcopy(fault)
            return None

    def list_faults(self):
        """Return the queued faults."""
        with self.lock:
            return copy.deepcopy(self.faults)

    def clear_faults(self):
        """Drop every queued fault."""
        with self.lock:
            self.faults = []

    # ----------------------------------------------------------------- schedules

    def add_schedule(self, spec):
        """Queue a mutation applied by a timer after spec["delay"] seconds; returns {"id", "due", "mutation"}."""
        if not isinstance(spec, dict):
            raise SeedError("schedule must be a JSON object")
        unknown = set(spec) - {"delay", "network_interface_id", "instance_id", "status", "mutation"}
        if unknown:
            raise SeedError("unknown schedule keys: %s" % ", ".join(sorted(unknown)))
        delay = _require_number(spec.get("delay"), "delay", 0, MAX_SCHEDULE_DELAY_SECONDS)
        if "mutation" in spec:
            if set(spec) - {"delay", "mutation"}:
                raise SeedError("give either a mutation or network_interface_id/instance_id with status")
            mutation = validate_mutation(spec["mutation"])
        elif "network_interface_id" in spec and "status" in spec and "instance_id" not in spec:
            mutation = validate_mutation(
                {"network_interface_id": spec["network_interface_id"], "status": spec["status"]}
            )
        elif "instance_id" in spec and "status" in spec and "network_interface_id" not in spec:
            mutation = validate_mutation({"instance_id": spec["instance_id"], "instance_status": spec["status"]})
        else:
            raise SeedError("schedule needs a mutation, or network_interface_id + status, or instance_id + status")
        with self.lock:
            schedule_id = self._next_schedule_id
            self._next_schedule_id += 1
            timer = threading.Timer(delay, self._fire_schedule, args=(schedule_id,))
            timer.daemon = True
            due = time.time() + delay
            self.schedules[schedule_id] = {"timer": timer, "due": due, "mutation": mutation}
            timer.start()
            return {"id": schedule_id, "due": due, "mutation": copy.deepcopy(mutation)}

    def _fire_schedule(self, schedule_id):
        with self.lock:
            entry = self.schedules.pop(schedule_id, None)
            if entry is not None:
                self.apply_mutation(entry["mutation"])

    def list_schedules(self):
        """Return the pending scheduled mutations."""
        with self.lock:
            return [
                {"id": schedule_id, "due": entry["due"], "mutation": copy.deepcopy(entry["mutation"])}
                for schedule_id, entry in sorted(self.schedules.items())
            ]

    # ----------------------------------------------------------------- call log and idempotence

    def record_call(self, entry):
        """Append one API call to the log and return its sequence number."""
        with self.lock:
            self._call_seq += 1
            entry["seq"] = self._call_seq
            self.calls.append(entry)
            return self._call_seq

    def list_calls(self, action=None):
        """Return the logged API calls, oldest first, optionally only those of one action."""
        with self.lock:
            return [copy.deepcopy(call) for call in self.calls if action is None or call["action"] == action]

    def clear_calls(self):
        """Empty the call log."""
        with self.lock:
            self.calls.clear()

    def client_token_answer(self, token, now=None):
        """Return the stored (fingerprint, answer) of a ClientToken used in the last 24 hours, or None."""
        now = time.time() if now is None else now
        with self.lock:
            entry = self.client_tokens.get(token)
            if entry is None or now - entry["time"] > CLIENT_TOKEN_TTL_SECONDS:
                self.client_tokens.pop(token, None)
                return None
            return entry["fingerprint"], copy.deepcopy(entry["answer"])

    def remember_client_token(self, token, fingerprint, answer):
        """Store the answer of a successful call made with a ClientToken."""
        with self.lock:
            self.client_tokens[token] = {
                "fingerprint": fingerprint,
                "answer": copy.deepcopy(answer),
                "time": time.time(),
            }

    # ----------------------------------------------------------------- views

    def snapshot(self):
        """Return a deep copy of instances, ENIs (in creation order) and regions."""
        with self.lock:
            return {
                "instances": copy.deepcopy(self.instances),
                "network_interfaces": copy.deepcopy(self.network_interfaces),
                "regions": list(self.regions),
            }

    def addresses_in_use(self):
        """Return (set of every IPv6 address on any ENI, set of every IPv6 prefix on any ENI)."""
        with self.lock:
            addresses = set()
            prefixes = set()
            for eni in self.network_interfaces.values():
                addresses.update(eni["Ipv6Addresses"])
                prefixes.update(eni["Ipv6Prefixes"])
            return addresses, prefixes
