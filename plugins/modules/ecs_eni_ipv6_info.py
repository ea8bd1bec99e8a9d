#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: ecs_eni_ipv6_info
short_description: List Alibaba Cloud ECS elastic network interfaces with their IPv6 addresses and prefixes
version_added: 0.1.0
description:
  - Lists the elastic network interfaces (ENIs) of a region that match all the given filters, with their IPv6
    addresses and IPv6 prefixes, through the ECS API C(DescribeNetworkInterfaces).
  - Every filter is applied by ECS, not by the module. Without any filter, every ENI of the region is listed.
  - Reads every page of the answer (up to 500 ENIs a page), so the list is never cut short.
  - Asks for at most 100 ids (O(network_interface_ids)) and 100 addresses (O(ipv6_addresses)) per call, as the API
    allows. When both lists are longer than 100, every part of the one is asked for with every part of the other,
    so 250 ids and 150 addresses take 3 x 2 = 6 calls (or more, when a call's answer has more than one page).
  - Never changes anything.
author:
  - alibabacloud.ecs maintainers (@alibabacloud-ansible)
options:
  network_interface_ids:
    description:
      - Only the ENIs with these ids, for example V(eni-bp1a2b3c4d5e6f7g8h9i).
      - An id that does not exist is not an error; it is simply not in RV(network_interfaces).
      - An empty list matches no ENI (and makes no call); leave the option out to list ENIs of any id.
    type: list
    elements: str
    aliases: [eni_ids]
  instance_id:
    description:
      - Only the ENIs attached to this ECS instance, for example V(i-bp67acfmxazb4ph2****).
    type: str
  vswitch_id:
    description:
      - Only the ENIs in this vSwitch, for example V(vsw-bp16usj2p27htro3****).
    type: str
  vpc_id:
    description:
      - Only the ENIs in this VPC, for example V(vpc-bp1j7w3gc1cexjqd****).
    type: str
  status:
    description:
      - Only the ENIs in this state.
    type: str
    choices: [Available, Attaching, InUse, Detaching, Deleting, Creating, CreateFailed]
  ipv6_addresses:
    description:
      - Only the ENIs that hold at least one of these IPv6 addresses, each a plain IPv6 address in any valid spelling
        (no prefix length, no zone index). Duplicates are ignored.
      - An empty list matches no ENI (and makes no call); leave the option out to list ENIs whatever they hold.
    type: list
    elements: str
  tags:
    description:
      - Only the ENIs that carry every one of these tags, given as a dictionary of tag keys and values; at most 20.
      - A tag whose value is V(null) matches the key with any value.
    type: dict
extends_documentation_fragment:
  - alibabacloud.ecs.connection
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details: The module only reads, so check mode gives the same answer.
  diff_mode:
    support: none
    details: The module only reads; there is nothing to compare.
  platform:
    platforms: all
  action_group:
    support: full
    membership:
      - alibabacloud.ecs.alibabacloud
seealso:
  - module: alibabacloud.ecs.ecs_eni_ipv6
"""

EXAMPLES = r"""
- name: List the ENIs attached to an instance
  alibabacloud.ecs.ecs_eni_ipv6_info:
    region: cn-hangzhou
    instance_id: i-bp67acfmxazb4ph2abcd
  register: instance_enis

- name: Find the ENI that holds an IPv6 address, in whatever spelling
  alibabacloud.ecs.ecs_eni_ipv6_info:
    region: cn-hangzhou
    ipv6_addresses:
      - 2408:4005:03a0:a100:0:0:0:5
  register: holder

- name: List the unattached ENIs of a VPC that carry the tag env=staging
  alibabacloud.ecs.ecs_eni_ipv6_info:
    region: cn-hangzhou
    vpc_id: vpc-bp1j7w3gc1cexjqdabcd
    status: Available
    tags:
      env: staging
  register: spare_enis

- name: Keep only the first IPv6 address of an ENI
  module_defaults:
    group/alibabacloud.ecs.alibabacloud:
      region: cn-hangzhou
      profile: ops
  block:
    - name: Read the ENI's addresses
      alibabacloud.ecs.ecs_eni_ipv6_info:
        network_interface_ids:
          - eni-bp1a2b3c4d5e6f7g8h9i
      register: eni_info

    - name: Release all but the first address
      alibabacloud.ecs.ecs_eni_ipv6:
        network_interface_id: eni-bp1a2b3c4d5e6f7g8h9i
        state: absent
        ipv6_addresses: "{{ eni_info.network_interfaces[0].ipv6_addresses[1:] }}"
      when: eni_info.network_interfaces[0].ipv6_addresses | length > 1
"""

RETURN = r"""
network_interfaces:
  description:
    - The ENIs that match every filter, each once, in the order ECS listed them. Empty when none matches.
  returned: success
  type: list
  elements: dict
  contains:
    network_interface_id:
      description: The id of the ENI.
      type: str
      sample: eni-bp1a2b3c4d5e6f7g8h9i
    status:
      description: The state of the ENI.
      type: str
      sample: InUse
    type:
      description: The kind of ENI, V(Primary) or V(Secondary).
      type: str
      sample: Secondary
    instance_id:
      description: The id of the instance the ENI is attached to; V(null) when it is not attached.
      type: str
      sample: i-bp67acfmxazb4ph2abcd
    vswitch_id:
      description: The id of the ENI's vSwitch.
      type: str
      sample: vsw-bp16usj2p27htro3abcd
    vpc_id:
      description: The id of the ENI's VPC.
      type: str
      sample: vpc-bp1j7w3gc1cexjqdabcd
    zone_id:
      description: The zone of the ENI.
      type: str
      sample: cn-hangzhou-h
    mac_address:
      description: The MAC address of the ENI.
      type: str
      sample: 00:16:3e:12:34:56
    primary_ip_address:
      description: The primary private IPv4 address of the ENI.
      type: str
      sample: 172.16.0.10
    primary_ipv6_address:
      description:
        - The IPv6 address ECS marks as the ENI's primary one (C(Ipv6Set[].Primary)), in RFC 5952 form; null when
          it marks none.
      type: str
      sample: 2408:4005:3a0:a100::4
    ipv6_addresses:
      description: The IPv6 addresses the ENI holds, in RFC 5952 form, in the order ECS listed them.
      type: list
      elements: str
      sample: ["2408:4005:3a0:a100::4", "2408:4005:3a0:a100::5"]
    ipv6_prefixes:
      description: The IPv6 prefixes the ENI holds, in RFC 5952 form.
      type: list
      elements: str
      sample: ["2408:4005:3a0:a1ff:1::/80"]
    tags:
      description: The tags of the ENI, as a dictionary of keys and values.
      type: dict
      sample: {"env": "staging"}
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
          C(CredentialsNotFound), C(ProfileNotFound), C(SdkError), C(InvalidNextToken) (C(DescribeNetworkInterfaces)
          paged in a loop).
        - The guide (docs/docsite/rst/guide.rst) says what to do about each.
      type: str
      sample: InvalidRegionId.NotFound
    message:
      description: The message ECS gave.
      type: str
      sample: The specified RegionId "cn-nowhere" does not exist.
    request_id:
      description: The id of the failed request, for Alibaba Cloud support.
      type: str
      sample: 48285314-3192-47FE-B4C8-9D51E7F00000
    http_status:
      description: The HTTP status of the answer.
      type: int
      sample: 400
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.alibabacloud.ecs.plugins.module_utils._connection import CONNECTION_ARGUMENT_SPEC
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import (
    EniFilter,
    check_network_interface_id,
    find_enis,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError, fail_with_error
from ansible_collections.alibabacloud.ecs.plugins.module_utils._kinds import (
    InputError,
    canonical_ipv6_address,
    canonical_list,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._sdk import connect

MAX_TAGS = 20
ARGUMENT_SPEC = dict(
    network_interface_ids=dict(type="list", elements="str", aliases=["eni_ids"]),
    instance_id=dict(type="str"),
    vswitch_id=dict(type="str"),
    vpc_id=dict(type="str"),
    status=dict(
        type="str", choices=["Available", "Attaching", "InUse", "Detaching", "Deleting", "Creating", "CreateFailed"]
    ),
    ipv6_addresses=dict(type="list", elements="str"),
    tags=dict(type="dict"),
    **CONNECTION_ARGUMENT_SPEC
)

# What AnsibleModule, and the action plugin in the controller, check of the options beyond ARGUMENT_SPEC: nothing.
OPTION_RULES = {}


def wanted_tags(tags):
    """The tag filter as {key: value or None}, or InputError naming the option."""
    if len(tags) > MAX_TAGS:
        raise InputError("tags: at most %d tags can filter ENIs, not %d." % (MAX_TAGS, len(tags)))
    result = {}
    for key, value in tags.items():
        if not key.strip():
            raise InputError("tags: a tag key must not be empty (got %r)." % key)
        if isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
            raise InputError("tags: the value of tag %r must be a string, not %r." % (key, value))
        result[key] = value if value is None else str(value)
    return result


def wanted_filter(params):
    """The EniFilter of the task's options, or InputError naming the option and value."""
    ids, addresses = params["network_interface_ids"], params["ipv6_addresses"]
    if ids is not None:
        ids = tuple(canonical_list(ids, check_network_interface_id, "network_interface_ids"))
    if addresses is not None:
        addresses = tuple(canonical_list(addresses, canonical_ipv6_address, "ipv6_addresses"))
    for option in ("instance_id", "vswitch_id", "vpc_id", "status"):
        if params[option] is not None and not params[option].strip():
            raise InputError(
                "%s must not be empty (got %r); leave it out to not filter by it." % (option, params[option])
            )
    return EniFilter(
        ids=ids,
        ipv6_addresses=addresses,
        tags=wanted_tags(params["tags"]) if params["tags"] else None,
        instance_id=params["instance_id"],
        vswitch_id=params["vswitch_id"],
        vpc_id=params["vpc_id"],
        status=params["status"],
    )


def run(module):
    """The task, for an AnsibleModule or for the stand-in that the action plugin gives it on the controller."""
    try:
        eni_filter = wanted_filter(module.params)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    client = connect(module)
    try:
        network_interfaces = [eni.as_result() for eni in find_enis(client, eni_filter)]
    except EcsApiError as err:
        fail_with_error(module, err)
    module.exit_json(changed=False, network_interfaces=network_interfaces)


def main():
    run(AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, **OPTION_RULES))


if __name__ == "__main__":
    main()
