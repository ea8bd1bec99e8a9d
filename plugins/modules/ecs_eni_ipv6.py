#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: ecs_eni_ipv6
short_description: Manage the IPv6 addresses and prefixes of an Alibaba Cloud ECS elastic network interface
version_added: 0.1.0
description:
  - Assigns IPv6 addresses and prefixes to an elastic network interface (ENI) with O(state=present), by name or
    by count, and can hold the ENI to an exact set (C(AssignIpv6Addresses), C(UnassignIpv6Addresses)).
  - Releases IPv6 addresses and prefixes from an ENI with O(state=absent) (C(UnassignIpv6Addresses)).
  - Reads the ENI once first and only changes what differs, so that a second run changes nothing. Addresses
    and prefixes are compared in canonical form, so any valid spelling matches.
  - Writes in calls of at most 10 addresses (or 10 prefixes), as the API allows; releases come before assignments,
    so that they free quota first.
  - When the answer to a write is lost, or ECS says someone else got there first, reads the ENI again and
    reports what really happened; a task whose goal holds does not fail. Assign calls carry a C(ClientToken),
    so that ECS applies a retried call once.
  - ECS reads are eventually consistent, so right after a write both Describe calls may still show the old
    addresses for a while. With O(wait=true) the task ends only once C(DescribeNetworkInterfaces) lists what it
    changed. A refusal that says the goal already holds (C(InvalidIp.IpUnassigned) when releasing,
    C(InvalidIp.IpAssigned) for an address this ENI holds) is believed over a read that lags, so a task run again
    at once does not fail.
author:
  - alibabacloud.ecs maintainers (@alibabacloud-ansible)
options:
  network_interface_id:
    description:
      - The id of the ENI, for example V(eni-bp1a2b3c4d5e6f7g8h9i).
      - Exactly one of O(network_interface_id) and O(instance_id) is required.
    type: str
    aliases: [eni_id]
  instance_id:
    description:
      - The id of an ECS instance, for example V(i-bp67acfmxazb4ph3ab2c), to work on its primary ENI, where most
        IPv6 addresses of an instance sit.
      - The task finds the primary ENI with one C(DescribeNetworkInterfaces) call (filtered by instance and by type
        V(Primary)), which is also the task's first read of the ENI. It fails before any write, naming the instance
        and the region, when ECS lists no primary ENI of that instance in O(region) (C(PrimaryEniNotFound)) or more
        than one (C(PrimaryEniAmbiguous)).
      - RV(network_interface_id) returns the ENI it used.
      - Exactly one of O(network_interface_id) and O(instance_id) is required.
    type: str
  state:
    description:
      - V(present) makes sure the ENI holds O(ipv6_addresses) and O(ipv6_prefixes), and at least
        O(ipv6_address_count) addresses and O(ipv6_prefix_count) prefixes in all; with O(purge_ipv6_addresses) or
        O(purge_ipv6_prefixes) it also releases the others.
      - V(absent) releases O(ipv6_addresses) and O(ipv6_prefixes) from the ENI. Those it does not hold are
        neither an error nor a change.
    type: str
    choices: [present, absent]
    default: present
  ipv6_addresses:
    description:
      - IPv6 addresses, each a plain IPv6 address in any valid spelling (no prefix length, no zone index).
        Duplicates are ignored.
      - With O(state=present), the addresses the ENI must hold; the missing ones are assigned. They must lie in
        the IPv6 CIDR block of the ENI's vSwitch.
      - With O(state=absent), the addresses to release. Required unless O(ipv6_prefixes) is given.
    type: list
    elements: str
  ipv6_address_count:
    description:
      - With O(state=present), the least number of IPv6 addresses the ENI must hold in all, those in
        O(ipv6_addresses) included. ECS chooses the addresses it assigns to make up the difference.
      - A minimum, not an exact number. An ENI holding more keeps them unless O(purge_ipv6_addresses=true), and
        a longer O(ipv6_addresses) is not an error.
      - In check mode the addresses ECS would choose cannot be known; RV(assigned_ipv6_address_count) says how
        many would be assigned, and with C(--diff) the after-state shows one placeholder line for each, such as
        C(<new address 1 of 2, chosen by ECS>).
      - Between 1 and 50. ECS refuses more than the ENI's quota (10 for an unattached ENI, otherwise set by the
        instance type) with C(MaxEniIpv6IpsCountExceeded).
    type: int
  purge_ipv6_addresses:
    description:
      - With O(state=present), also release every address the ENI holds that is not in O(ipv6_addresses).
        O(ipv6_addresses=[]) with this releases all addresses.
      - With O(ipv6_address_count), keep the addresses in O(ipv6_addresses) first, then the oldest others up to
        the count, and release the rest.
    type: bool
    default: false
  ipv6_prefixes:
    description:
      - IPv6 prefixes, for example V(2408:4005:3a0:a1ff:1::/80), in any valid spelling.
      - With O(state=present), the prefixes the ENI must hold; with O(state=absent), the prefixes to release.
      - Prefixes go in calls of their own; the API does not mix addresses and prefixes in one release.
    type: list
    elements: str
  ipv6_prefix_count:
    description:
      - With O(state=present), the least number of IPv6 prefixes the ENI must hold in all, like
        O(ipv6_address_count). Between 1 and 50.
    type: int
  purge_ipv6_prefixes:
    description:
      - With O(state=present), also release every prefix not in O(ipv6_prefixes), like O(purge_ipv6_addresses).
    type: bool
    default: false
  wait:
    description:
      - When the ENI is in transition (for example V(Attaching) or V(Detaching)), or the instance it is attached
        to is (V(Starting), V(Stopping), V(Pending)), wait until it settles before writing.
      - After writing, read the ENI until ECS lists the change (one read when ECS shows it at once, then every
        1 to 5 seconds). The returned addresses are then what ECS shows, and a next task sees them too.
      - With V(false), fail at once on a state in transition, naming the state, and return right after the
        writes. ECS may then show the old addresses for a short while, so a task run at once after it (for
        example with O(ipv6_address_count)) may see the old state.
      - Check mode never waits, and a task with nothing to change makes no write and no further read.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait at most, for the whole task, when O(wait=true). When ECS still does not list
        the change by then, the task fails with C(WaitTimeout), reporting what it changed.
    type: int
    default: 300
extends_documentation_fragment:
  - alibabacloud.ecs.connection
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: Reads the ENI and reports what would change; makes no write call.
  diff_mode:
    support: full
  platform:
    platforms: all
  action_group:
    support: full
    membership:
      - alibabacloud.ecs.alibabacloud
"""

EXAMPLES = r"""
- name: Release two IPv6 addresses from an ENI
  alibabacloud.ecs.ecs_eni_ipv6:
    region: cn-hangzhou
    network_interface_id: eni-bp1a2b3c4d5e6f7g8h9i
    state: absent
    ipv6_addresses:
      - 2408:4005:3a0:a100::5
      - 2408:4005:03a0:a100:0:0:0:6

- name: Release an IPv6 prefix, failing at once if the ENI is attaching or detaching
  alibabacloud.ecs.ecs_eni_ipv6:
    region: cn-hangzhou
    network_interface_id: eni-bp1a2b3c4d5e6f7g8h9i
    state: absent
    ipv6_prefixes:
      - 2408:4005:3a0:a1ff:1::/80
    wait: false

- name: Make sure the ENI holds this address and at least four in all
  alibabacloud.ecs.ecs_eni_ipv6:
    region: cn-hangzhou
    network_interface_id: eni-bp1a2b3c4d5e6f7g8h9i
    ipv6_addresses:
      - 2408:4005:3a0:a100::10
    ipv6_address_count: 4
  register: eni_ipv6

- name: Hold the ENI to exactly these two addresses and one prefix
  alibabacloud.ecs.ecs_eni_ipv6:
    region: cn-hangzhou
    network_interface_id: eni-bp1a2b3c4d5e6f7g8h9i
    ipv6_addresses:
      - 2408:4005:3a0:a100::10
      - 2408:4005:3a0:a100::11
    purge_ipv6_addresses: true
    ipv6_prefix_count: 1
    purge_ipv6_prefixes: true

- name: Give the connection once for every task of the collection
  module_defaults:
    group/alibabacloud.ecs.alibabacloud:
      region: cn-hangzhou
      profile: ops
  block:
    - name: Release every address but the first one
      alibabacloud.ecs.ecs_eni_ipv6:
        eni_id: eni-bp1a2b3c4d5e6f7g8h9i
        state: absent
        ipv6_addresses: "{{ eni_ipv6.ipv6_addresses[1:] }}"
      register: release

    - name: Show what was released
      ansible.builtin.debug:
        var: release.released_ipv6_addresses
"""

RETURN = r"""
network_interface_id:
  description:
    - The id of the ENI the task worked on; with O(instance_id), the instance's primary ENI.
    - Null when the task failed before it found the ENI of O(instance_id).
  returned: always
  type: str
  sample: eni-bp1a2b3c4d5e6f7g8h9i
primary_ipv6_address:
  description:
    - The address ECS marks as the ENI's primary IPv6 address (C(Ipv6Set[].Primary)) at the task's last read, if
      the ENI still holds it after the task; null when none is marked.
    - Whether ECS lets a primary IPv6 address be released is not documented. The task sends the release; when ECS
      refuses it, the failure names the address as the ENI's primary one.
  returned: once the task read the ENI
  type: str
  sample: 2408:4005:3a0:a100::1
ipv6_addresses:
  description:
    - The IPv6 addresses the ENI holds after the task, in RFC 5952 form, as ECS lists them once it shows the
      task's changes (with O(wait=false), as the task's writes left them).
    - In check mode, those it would hold, without the ones ECS would choose for O(ipv6_address_count).
    - When the task fails, the addresses as last known.
  returned: success, and on failure once the task started writing
  type: list
  elements: str
  sample: ["2408:4005:3a0:a100::4"]
released_ipv6_addresses:
  description:
    - The IPv6 addresses this task released (in check mode, would release), in RFC 5952 form.
    - When the task fails after it changed something, what it released up to then (and C(changed) is true);
      a re-run finishes the job.
  returned: success, and on failure once the task started writing
  type: list
  elements: str
  sample: ["2408:4005:3a0:a100::5", "2408:4005:3a0:a100::6"]
assigned_ipv6_addresses:
  description:
    - The IPv6 addresses this task assigned, those ECS chose included, in RFC 5952 form.
    - In check mode, only those named in O(ipv6_addresses) that would be assigned.
  returned: success, and on failure once the task started writing
  type: list
  elements: str
  sample: ["2408:4005:3a0:a100::10"]
assigned_ipv6_address_count:
  description:
    - How many addresses ECS chose and assigned for O(ipv6_address_count) (in check mode, would assign).
  returned: success, and on failure once the task started writing
  type: int
  sample: 2
ipv6_prefixes:
  description: The IPv6 prefixes the ENI holds after the task (in check mode, would hold, as for addresses).
  returned: success, and on failure once the task started writing
  type: list
  elements: str
  sample: []
released_ipv6_prefixes:
  description: The IPv6 prefixes this task released (in check mode, would release).
  returned: success, and on failure once the task started writing
  type: list
  elements: str
  sample: ["2408:4005:3a0:a1ff:1::/80"]
assigned_ipv6_prefixes:
  description: The IPv6 prefixes this task assigned (in check mode, the named ones that would be assigned).
  returned: success, and on failure once the task started writing
  type: list
  elements: str
  sample: []
assigned_ipv6_prefix_count:
  description: How many prefixes ECS chose and assigned for O(ipv6_prefix_count) (in check mode, would assign).
  returned: success, and on failure once the task started writing
  type: int
  sample: 0
error:
  description: The ECS error that made the task fail.
  returned: when an ECS API call failed
  type: dict
  contains:
    code:
      description:
        - The error code ECS answered, for example C(InvalidEniId.NotFound) or C(Throttling.User).
        - Or one of the collection's own codes, for failures that carry no ECS code (ECS never sends these);
          C(ConnectionFailed), C(ConnectionLost), C(ReadTimeout), C(TlsHandshakeFailed), C(TlsCertificateInvalid),
          C(HttpError<status>) (an HTTP error whose body is not an ECS answer), C(InvalidResponse),
          C(CredentialsNotFound), C(ProfileNotFound), C(SdkError), C(WaitTimeout) (ECS did not show the change or
          settle within O(wait_timeout)), C(IncompleteAnswer) (C(AssignIpv6Addresses) kept listing fewer items than
          asked).
        - The guide (docs/docsite/rst/guide.rst) says what to do about each.
      type: str
      sample: InvalidEniId.NotFound
    message:
      description: The message ECS gave.
      type: str
      sample: The specified EniId "eni-bp1a2b3c4d5e6f7g8h9i" is not found.
    request_id:
      description: The id of the failed request, for Alibaba Cloud support.
      type: str
      sample: 48285314-3192-47FE-B4C8-9D51E7F00000
    http_status:
      description: The HTTP status of the answer.
      type: int
      sample: 404
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.alibabacloud.ecs.plugins.module_utils._connection import CONNECTION_ARGUMENT_SPEC
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import fail_with_error
from ansible_collections.alibabacloud.ecs.plugins.module_utils._kinds import InputError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._reconcile import Bounds, Goal, Reconciler
from ansible_collections.alibabacloud.ecs.plugins.module_utils._sdk import connect

ARGUMENT_SPEC = dict(
    network_interface_id=dict(type="str", aliases=["eni_id"]),
    instance_id=dict(type="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    ipv6_addresses=dict(type="list", elements="str"),
    ipv6_address_count=dict(type="int"),
    purge_ipv6_addresses=dict(type="bool", default=False),
    ipv6_prefixes=dict(type="list", elements="str"),
    ipv6_prefix_count=dict(type="int"),
    purge_ipv6_prefixes=dict(type="bool", default=False),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=300),
    **CONNECTION_ARGUMENT_SPEC
)
# What AnsibleModule, and the action plugin in the controller, check of the options beyond ARGUMENT_SPEC.
OPTION_RULES = dict(
    mutually_exclusive=[("network_interface_id", "instance_id")],
    required_one_of=[("network_interface_id", "instance_id")],
)


def run(module):
    """The task, for an AnsibleModule or for the stand-in that the action plugin gives it on the controller."""
    try:
        goal = Goal.from_params(module.params)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    client = connect(module)
    bounds = Bounds(wait=module.params["wait"], wait_timeout=module.params["wait_timeout"])
    outcome = Reconciler(client, bounds).run(goal, check_mode=module.check_mode)
    result = outcome.result(diff=module._diff)
    if outcome.error:
        fail_with_error(module, outcome.error, **result)
    module.exit_json(**result)


def main():
    run(AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, **OPTION_RULES))


if __name__ == "__main__":
    main()
