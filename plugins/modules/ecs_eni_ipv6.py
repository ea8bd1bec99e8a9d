#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_eni_ipv6
short_description: Manage the IPv6 addresses and prefixes of an Alibaba Cloud ECS elastic network interface
version_added: 0.1.0
description:
  - Releases IPv6 addresses and IPv6 prefixes from an elastic network interface (ENI) with O(state=absent),
    through the ECS API C(UnassignIpv6Addresses).
  - Reads the ENI first and only releases what it holds, so that a second run changes nothing; addresses are
    compared in canonical form, so any valid spelling of an address matches.
  - Releases in calls of at most 10 addresses (or 10 prefixes), as the API allows.
  - When the answer to a release is lost, or ECS says an address is not assigned, reads the ENI again and
    reports what really happened; a task whose goal holds does not fail.
  - O(state=present) (assigning addresses) is not supported yet.
author:
  - alibabacloud.ecs maintainers (@alibabacloud-ansible)
options:
  network_interface_id:
    description:
      - The id of the ENI, for example V(eni-bp1a2b3c4d5e6f7g8h9i).
    type: str
    required: true
    aliases: [eni_id]
  state:
    description:
      - V(absent) releases O(ipv6_addresses) and O(ipv6_prefixes) from the ENI. Those it does not hold are
        neither an error nor a change.
      - V(present) is not supported yet and fails.
    type: str
    choices: [present, absent]
    default: present
  ipv6_addresses:
    description:
      - With O(state=absent), the IPv6 addresses to release, each a plain IPv6 address in any valid spelling
        (no prefix length, no zone index). Duplicates are ignored.
      - Required with O(state=absent) unless O(ipv6_prefixes) is given.
    type: list
    elements: str
  ipv6_prefixes:
    description:
      - With O(state=absent), the IPv6 prefixes to release, for example V(2408:4005:3a0:a1ff:1::/80).
      - Prefixes are released in calls of their own; the API does not mix addresses and prefixes in one call.
    type: list
    elements: str
  wait:
    description:
      - When the ENI is in transition (for example V(Attaching) or V(Detaching)), or the instance it is attached
        to is (V(Starting), V(Stopping), V(Pending)), wait until it settles before releasing.
      - With V(false), fail at once, naming the state.
      - Check mode never waits.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait at most, for the whole task, when O(wait=true).
    type: int
    default: 300
extends_documentation_fragment:
  - alibabacloud.ecs.connection
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: Reads the ENI and reports what would be released; makes no write call.
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
        ipv6_addresses: "{{ current_ipv6_addresses[1:] }}"
      register: release

    - name: Show what was released
      ansible.builtin.debug:
        var: release.released_ipv6_addresses
"""

RETURN = r"""
network_interface_id:
  description: The id of the ENI.
  returned: success
  type: str
  sample: eni-bp1a2b3c4d5e6f7g8h9i
ipv6_addresses:
  description:
    - The IPv6 addresses the ENI holds after the task (in check mode, would hold), in RFC 5952 form.
  returned: success
  type: list
  elements: str
  sample: ["2408:4005:3a0:a100::4"]
released_ipv6_addresses:
  description:
    - The IPv6 addresses this task released (in check mode, would release), in RFC 5952 form.
  returned: success
  type: list
  elements: str
  sample: ["2408:4005:3a0:a100::5", "2408:4005:3a0:a100::6"]
ipv6_prefixes:
  description: The IPv6 prefixes the ENI holds after the task (in check mode, would hold).
  returned: success
  type: list
  elements: str
  sample: []
released_ipv6_prefixes:
  description: The IPv6 prefixes this task released (in check mode, would release).
  returned: success
  type: list
  elements: str
  sample: ["2408:4005:3a0:a1ff:1::/80"]
error:
  description: The ECS error that made the task fail.
  returned: when an ECS API call failed
  type: dict
  contains:
    code:
      description: The ECS error code, or C(ConnectionFailed), C(ReadTimeout), C(ConnectionLost) for transport errors.
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

from ansible_collections.alibabacloud.ecs.plugins.module_utils._client import CONNECTION_ARGUMENT_SPEC, connect
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import (
    InputError,
    Waiter,
    canonical_ipv6_address,
    canonical_ipv6_prefix,
    canonical_list,
    check_network_interface_id,
    read_eni,
    release_ipv6,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError, fail_with_error


def wanted_change(params):
    """The task's intent in canonical form, or InputError naming the option and value."""
    if params["state"] == "present":
        raise InputError("state 'present' is not supported yet; only state 'absent' (release) is.")
    check_network_interface_id(params["network_interface_id"])
    if params["wait_timeout"] < 0:
        raise InputError("wait_timeout must be 0 or more seconds, not %d." % params["wait_timeout"])
    addresses = canonical_list(params["ipv6_addresses"], canonical_ipv6_address, "ipv6_addresses")
    prefixes = canonical_list(params["ipv6_prefixes"], canonical_ipv6_prefix, "ipv6_prefixes")
    if not addresses and not prefixes:
        raise InputError(
            "state 'absent' needs at least one address in ipv6_addresses or prefix in ipv6_prefixes; got "
            "ipv6_addresses=%r, ipv6_prefixes=%r." % (params["ipv6_addresses"], params["ipv6_prefixes"])
        )
    return addresses, prefixes


def release(module, client, addresses, prefixes):
    """Release what the ENI holds of the wanted addresses and prefixes; return the module's result."""
    eni_id = module.params["network_interface_id"]
    waiter = Waiter(module.params["wait"], module.params["wait_timeout"])
    eni = read_eni(client, eni_id)
    to_release = [a for a in addresses if a in eni["ipv6_addresses"]]
    prefixes_to_release = [p for p in prefixes if p in eni["ipv6_prefixes"]]

    if (to_release or prefixes_to_release) and not module.check_mode:
        if eni["status"] not in ("Available", "InUse"):
            eni = waiter.until_ready(client, eni)
            to_release = [a for a in addresses if a in eni["ipv6_addresses"]]
            prefixes_to_release = [p for p in prefixes if p in eni["ipv6_prefixes"]]
        to_release, prefixes_to_release = release_ipv6(client, eni_id, to_release, prefixes_to_release, waiter)

    after = {
        "ipv6_addresses": [a for a in eni["ipv6_addresses"] if a not in addresses],
        "ipv6_prefixes": [p for p in eni["ipv6_prefixes"] if p not in prefixes],
    }
    result = dict(
        changed=bool(to_release or prefixes_to_release),
        network_interface_id=eni_id,
        released_ipv6_addresses=to_release,
        released_ipv6_prefixes=prefixes_to_release,
        **after
    )
    if module._diff:
        result["diff"] = {
            "before": {"ipv6_addresses": eni["ipv6_addresses"], "ipv6_prefixes": eni["ipv6_prefixes"]},
            "after": after,
        }
    return result


def main():
    argument_spec = dict(
        network_interface_id=dict(type="str", required=True, aliases=["eni_id"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        ipv6_addresses=dict(type="list", elements="str"),
        ipv6_prefixes=dict(type="list", elements="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    argument_spec.update(CONNECTION_ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    try:
        addresses, prefixes = wanted_change(module.params)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    client = connect(module)
    try:
        result = release(module, client, addresses, prefixes)
    except EcsApiError as err:
        fail_with_error(module, err, network_interface_id=module.params["network_interface_id"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
