# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EcsClient sends exactly what alibabacloud-ecs20140526's generated client sends, and picks the same endpoint."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsSdkClient
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.runtime import RuntimeOptions

from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import RetryPolicy

REGION = "cn-beijing"


def capture(client):
    """Make the client record (params, query) of each call instead of sending it."""
    sent = []

    def call_api(params, request, runtime):
        sent.append((params.to_map(), dict(request.query)))
        return {"body": {"RequestId": "R"}}

    client.call_api = call_api
    return sent


def config():
    return Config(access_key_id="LTAIunit", access_key_secret="unit-secret", region_id=REGION)


@pytest.fixture
def both():
    ours = OpenApiClient(config())
    theirs = EcsSdkClient(config())
    return _client.EcsClient(ours, REGION, RetryPolicy()), capture(ours), theirs, capture(theirs)


def test_describe_network_interface_attribute(both):
    ecs, ours, sdk, theirs = both
    ecs.describe_network_interface("eni-1")
    sdk.describe_network_interface_attribute_with_options(
        ecs_models.DescribeNetworkInterfaceAttributeRequest(region_id=REGION, network_interface_id="eni-1"),
        RuntimeOptions(),
    )
    assert ours == theirs


def test_describe_network_interfaces(both):
    ecs, ours, sdk, theirs = both
    ecs.describe_network_interfaces(
        network_interface_ids=["eni-1", "eni-2"], ipv6_addresses=["2408::1"], tags={"team": "net", "env": None},
        next_token="500", instance_id="i-1", v_switch_id="vsw-1", vpc_id="vpc-1", status="InUse",
    )
    sdk.describe_network_interfaces_with_options(
        ecs_models.DescribeNetworkInterfacesRequest(
            region_id=REGION, network_interface_id=["eni-1", "eni-2"], ipv_6address=["2408::1"],
            tag=[ecs_models.DescribeNetworkInterfacesRequestTag(key="team", value="net"),
                 ecs_models.DescribeNetworkInterfacesRequestTag(key="env")],
            next_token="500", max_results=500, instance_id="i-1", v_switch_id="vsw-1", vpc_id="vpc-1", status="InUse",
        ),
        RuntimeOptions(),
    )
    assert ours == theirs


@pytest.mark.parametrize(
    "ours_kwargs, sdk_kwargs",
    [
        (dict(addresses=["2408::1", "2408::2"], client_token="t1"),
         dict(ipv_6address=["2408::1", "2408::2"], client_token="t1")),
        (dict(address_count=3, client_token="t2"), dict(ipv_6address_count=3, client_token="t2")),
        (dict(prefixes=["2408:0:0:1::/80"], client_token="t3"), dict(ipv_6prefix=["2408:0:0:1::/80"], client_token="t3")),
        (dict(prefix_count=2, client_token="t4"), dict(ipv_6prefix_count=2, client_token="t4")),
    ],
)
def test_assign_ipv6_addresses(both, ours_kwargs, sdk_kwargs):
    ecs, ours, sdk, theirs = both
    ecs.assign_ipv6("eni-1", **ours_kwargs)
    sdk.assign_ipv_6addresses_with_options(
        ecs_models.AssignIpv6AddressesRequest(region_id=REGION, network_interface_id="eni-1", **sdk_kwargs),
        RuntimeOptions(),
    )
    assert ours == theirs


@pytest.mark.parametrize("kind", ["addresses", "prefixes"])
def test_unassign_ipv6_addresses(both, kind):
    ecs, ours, sdk, theirs = both
    items = ["2408::1", "2408::2"] if kind == "addresses" else ["2408:0:0:1::/80"]
    ecs.unassign_ipv6("eni-1", **{kind: items})
    field = "ipv_6address" if kind == "addresses" else "ipv_6prefix"
    sdk.unassign_ipv_6addresses_with_options(
        ecs_models.UnassignIpv6AddressesRequest(region_id=REGION, network_interface_id="eni-1", **{field: items}),
        RuntimeOptions(),
    )
    assert ours == theirs


def test_endpoint_map_matches_the_ecs_sdk():
    sdk = EcsSdkClient(config())
    assert _client.ECS_ENDPOINT_MAP == sdk._endpoint_map  # pylint: disable=protected-access


@pytest.mark.parametrize("region", ["cn-hangzhou", "cn-beijing", "ap-southeast-1", "eu-central-1", "cn-wuhan"])
def test_default_endpoint_matches_the_ecs_sdk(region):
    sdk = EcsSdkClient(Config(access_key_id="LTAIunit", access_key_secret="unit-secret", region_id=region))
    assert _client.default_endpoint(region) == sdk._endpoint  # pylint: disable=protected-access
