# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted stand-in for the EcsClient wrapper layer, and helpers to run a module's main() in a test."""

import copy
import json

from ansible.module_utils import basic
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.text.converters import to_bytes
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import RetryPolicy

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    import contextlib
    from unittest import mock

    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))):
            yield


__all__ = [
    "FakeEcs",
    "ModuleExit",
    "ModuleFail",
    "api_error",
    "exit_json",
    "fail_json",
    "patch_module_args",
    "patch_runs",
    "run_module",
]


class ModuleExit(Exception):
    """exit_json was called."""


class ModuleFail(Exception):
    """fail_json was called."""


def exit_json(self, **kwargs):
    kwargs.setdefault("changed", False)
    raise ModuleExit(remove_values(kwargs, self.no_log_values))


def fail_json(self, msg, **kwargs):
    """Like AnsibleModule.fail_json, masking no_log values the same way, but raising instead of exiting."""
    kwargs["msg"] = msg
    kwargs["failed"] = True
    raise ModuleFail(remove_values(kwargs, self.no_log_values))


def patch_runs(monkeypatch, module=None, client=None):
    """Make AnsibleModule's exit_json and fail_json raise, sleeping free, and (when given) the module's connect()
    return this client."""
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    if module is not None:
        monkeypatch.setattr(module, "connect", lambda ansible_module: client)


def run_module(main, params, check_mode=False, diff=True):
    """Run a module's main() with these parameters; return its result, whether it exited or failed."""
    params = dict(params, _ansible_check_mode=check_mode, _ansible_diff=diff)
    with patch_module_args(params):
        try:
            main()
        except (ModuleExit, ModuleFail) as ended:
            return ended.args[0]
    raise AssertionError("the module neither exited nor failed")


def api_error(code, status=403, message=None):
    """An EcsApiError as the wrapper layer raises it."""
    return EcsApiError(code, message or "%s happened." % code, request_id="REQ-1", http_status=status)


class FakeEcs(object):
    """Holds one ENI; answers reads from it and applies releases to it, or raises the scripted errors.

    `faults` maps an action name to a list of (error, applied) pairs consumed in order: the error is
    raised after the call was applied when applied is true (a lost answer), before it otherwise; (None, True)
    lets one call through.
    """

    def __init__(self, eni_id="eni-test0001", addresses=(), prefixes=(), status="InUse", eni_type="Secondary"):
        self.region = "cn-hangzhou"
        self.eni = {
            "NetworkInterfaceId": eni_id,
            "Status": status,
            "Type": eni_type,
            "InstanceId": "i-test0001",
            "addresses": list(addresses),
            "prefixes": list(prefixes),
            # The address ECS marks Primary in Ipv6Set, if any.
            "primary": None,
        }
        self.calls = []
        self.faults = {}
        self.on_read = []
        self.tokens = {}
        self.handed_out = []
        self.quota = 30
        # Addresses held by other ENIs of the region, by ENI id.
        self.others = {}
        self.lag_reads = 0
        self.stale_left = 0
        self.stale_view = None
        # A test that would call without end fails past this many calls.
        self.call_limit = 500
        self.retry_policy = RetryPolicy(sleep=lambda seconds: None)

    def _fault(self, action, apply):
        if self.call_limit is not None and len(self.calls) > self.call_limit:
            raise AssertionError("more than %d calls: a loop without a bound" % self.call_limit)
        queue = self.faults.get(action) or []
        if not queue:
            apply()
            return
        error, applied = queue.pop(0)
        if applied:
            apply()
        if error is not None:
            raise error

    def lag(self, reads):
        """After each write, the next `reads` reads (either Describe call) show the ENI as it was before."""
        self.lag_reads = reads

    def _stale_or_real(self):
        if self.stale_left:
            self.stale_left -= 1
            return self.stale_view
        return self.eni

    def _before_write(self):
        if self.lag_reads:
            if not self.stale_left:
                self.stale_view = copy.deepcopy(self.eni)
            self.stale_left = self.lag_reads

    def _answer_eni(self, eni):
        return {
            "NetworkInterfaceId": eni["NetworkInterfaceId"],
            "Status": eni["Status"],
            "Type": eni["Type"],
            "InstanceId": eni["InstanceId"],
            "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": a, "Primary": a == eni["primary"]} for a in eni["addresses"]]},
            "Ipv6PrefixSets": {"Ipv6PrefixSet": [{"Ipv6Prefix": p} for p in eni["prefixes"]]},
        }

    def describe_network_interface(self, network_interface_id):
        self.calls.append(("DescribeNetworkInterfaceAttribute", network_interface_id))
        if network_interface_id != self.eni["NetworkInterfaceId"]:
            raise api_error("InvalidEniId.NotFound", 404)
        self._fault("DescribeNetworkInterfaceAttribute", lambda: None)
        if self.on_read:
            self.on_read.pop(0)(self)
        return dict(self._answer_eni(self._stale_or_real()), RequestId="REQ-READ")

    def describe_network_interfaces(
        self, network_interface_ids=None, ipv6_addresses=None, instance_id=None, network_interface_type=None
    ):
        """The ENI (and, for an address filter, the other ENIs of `others` that hold one of the addresses)."""
        self.calls.append(
            (
                "DescribeNetworkInterfaces",
                list(network_interface_ids or ipv6_addresses or [instance_id] * bool(instance_id)),
            )
        )
        self._fault("DescribeNetworkInterfaces", lambda: None)
        eni = self._stale_or_real()
        listed = []
        matches = (instance_id in (None, eni["InstanceId"])) and (network_interface_type in (None, eni["Type"]))
        if matches and (network_interface_ids is None or eni["NetworkInterfaceId"] in network_interface_ids):
            if ipv6_addresses is None or any(a in eni["addresses"] for a in ipv6_addresses):
                listed.append(self._answer_eni(eni))
        for other_id, addresses in self.others.items():
            if ipv6_addresses is not None and any(a in addresses for a in ipv6_addresses):
                listed.append(
                    {"NetworkInterfaceId": other_id, "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": a} for a in addresses]}}
                )
        return {"NetworkInterfaceSets": {"NetworkInterfaceSet": listed}, "RequestId": "REQ-LIST"}

    def unassign_ipv6(self, network_interface_id, addresses=None, prefixes=None):
        self.calls.append(("UnassignIpv6Addresses", list(addresses or prefixes)))
        assert not (addresses and prefixes), "addresses and prefixes must not be mixed in one call"
        assert 1 <= len(addresses or prefixes) <= 10, "1 to 10 items per call"
        key = "addresses" if addresses else "prefixes"

        def apply():
            self._before_write()
            held = self.eni[key]
            if any(item not in held for item in addresses or prefixes):
                raise api_error("InvalidIp.IpUnassigned")
            self.eni[key] = [item for item in held if item not in (addresses or prefixes)]

        self._fault("UnassignIpv6Addresses", apply)
        return {"RequestId": "REQ-WRITE"}

    def assign_ipv6(
        self,
        network_interface_id,
        addresses=None,
        address_count=None,
        prefixes=None,
        prefix_count=None,
        client_token=None,
    ):
        """Assign the given items, or pick free ones for a count; a repeated ClientToken answers the first result."""
        self.calls.append(("AssignIpv6Addresses", list(addresses or prefixes or []) or (address_count or prefix_count)))
        assert client_token, "assign calls carry a ClientToken"
        if client_token in self.tokens:
            return self.tokens[client_token]
        key = "addresses" if (addresses or address_count) else "prefixes"
        answer = {}

        def apply():
            if addresses or prefixes:
                new = list(addresses or prefixes)
                taken = [a for held in [self.eni[key]] + list(self.others.values()) for a in held]
                if any(item in taken for item in new):
                    raise api_error("InvalidIp.IpAssigned")
            else:
                new = [self.free(key) for count in range(address_count or prefix_count)]
            if len(self.eni[key]) + len(new) > self.quota:
                raise api_error("MaxEniIpv6IpsCountExceeded")
            self._before_write()
            self.eni[key].extend(new)
            answer.update(
                {"Ipv6Sets": {"Ipv6Address": new}} if key == "addresses" else {"Ipv6PrefixSets": {"Ipv6Prefix": new}}
            )
            self.tokens[client_token] = answer

        self._fault("AssignIpv6Addresses", apply)
        return answer

    def free(self, key):
        """The lowest free address (or /80 prefix) that this fake hands out for a count."""
        for number in range(0x100, 0x10000):
            item = "2408:4005:3a0:a100::%x" % number if key == "addresses" else "2408:4005:3a0:a1ff:%x::/80" % number
            if item not in self.eni[key] and item not in self.handed_out:
                self.handed_out.append(item)
                return item
        raise AssertionError("no free items")

    def writes(self):
        return [call for call in self.calls if not call[0].startswith("Describe")]

    def reads(self):
        return [call for call in self.calls if call[0].startswith("Describe")]
