# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ECS client: connection options, credentials, and one wrapper per API call.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError, error_from_sdk
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import RetryPolicy

try:
    from alibabacloud_ecs20140526 import models as ecs_models
    from alibabacloud_ecs20140526.client import Client as SdkEcsClient
    from alibabacloud_tea_openapi import models as open_api_models
    from darabonba.runtime import RuntimeOptions
except ImportError:
    HAS_SDK = False
    SDK_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_SDK = True
    SDK_IMPORT_ERROR = None

SDK_PACKAGES = "alibabacloud-ecs20140526 and alibabacloud-tea-openapi"
USER_AGENT = "AlibabaCloud-Ansible-Collection/alibabacloud.ecs"
CONNECT_TIMEOUT_MS = 5000
READ_TIMEOUT_MS = 10000
MAX_ITEMS_PER_CALL = 10
MAX_IDS_PER_DESCRIBE = 100
MAX_RESULTS_PER_PAGE = 500

_REGION_PATTERN = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")
_ENDPOINT_PATTERN = re.compile(r"^(?:(https?)://)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?/?$")

CONNECTION_ARGUMENT_SPEC = dict(
    region=dict(
        type="str",
        aliases=["region_id", "alicloud_region"],
        fallback=(env_fallback, ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"]),
    ),
    access_key_id=dict(
        type="str",
        no_log=False,
        aliases=["alicloud_access_key", "access_key"],
        fallback=(env_fallback, ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"]),
    ),
    access_key_secret=dict(
        type="str",
        no_log=True,
        aliases=["alicloud_secret_key", "secret_key"],
        fallback=(env_fallback, ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"]),
    ),
    security_token=dict(
        type="str",
        no_log=True,
        fallback=(env_fallback, ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"]),
    ),
    profile=dict(type="str", fallback=(env_fallback, ["ALIBABA_CLOUD_PROFILE"])),
    endpoint=dict(type="str", fallback=(env_fallback, ["ALIBABA_CLOUD_ECS_ENDPOINT"])),
)


def parse_endpoint(value):
    """Split an O(endpoint) value into (protocol, host[:port]); raise ValueError when it is not one."""
    match = _ENDPOINT_PATTERN.match(value.strip())
    if not match:
        raise ValueError(value)
    scheme, host, port = match.groups()
    if port is not None and not 0 < int(port) < 65536:
        raise ValueError(value)
    return ("http" if scheme == "http" else "https"), host + (":" + port if port else "")


def connection_problems(params):
    """The problems with the connection options, as messages naming the option and value (empty when fine)."""
    problems = []
    region = params.get("region")
    if not region:
        problems.append(
            "region is required: set the region option (for example region: cn-hangzhou) "
            "or the ALIBABA_CLOUD_REGION_ID environment variable."
        )
    elif not _REGION_PATTERN.match(region):
        problems.append("region %r is not a region id such as cn-hangzhou." % region)
    if params.get("access_key_id") and not params.get("access_key_secret"):
        problems.append(
            "access_key_id is set but access_key_secret is not: give both "
            "(or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET)."
        )
    if params.get("access_key_secret") and not params.get("access_key_id"):
        problems.append("access_key_secret is set but access_key_id is not: give both.")
    if params.get("security_token") and not params.get("access_key_id"):
        problems.append("security_token is set but access_key_id and access_key_secret are not: give all three.")
    if params.get("endpoint"):
        try:
            parse_endpoint(params["endpoint"])
        except ValueError:
            problems.append(
                "endpoint %r is neither a host name nor an http:// or https:// URL with an optional port."
                % params["endpoint"]
            )
    return problems


def _credentials_provider(params):
    """The credential for the SDK: the given keys, a CLI profile, or the SDK's default chain."""
    if params.get("access_key_id"):
        return None
    # Imported here: the credentials package is only needed when no keys are given.
    from alibabacloud_credentials.client import Client as CredentialClient

    if params.get("profile"):
        from alibabacloud_credentials.provider.cli_profile import CLIProfileCredentialsProvider

        credential = CredentialClient(provider=CLIProfileCredentialsProvider(profile_name=params["profile"]))
    else:
        credential = CredentialClient()
    try:
        credential.get_credential()
    except Exception as exc:  # pylint: disable=broad-except  # the chain raises several unrelated types
        raise EcsApiError("CredentialsNotFound", str(exc))
    return credential


class EcsClient(object):
    """The ECS API calls this collection makes, each retried and each raising EcsApiError on failure."""

    def __init__(self, sdk_client, region, retry_policy=None):
        self.sdk = sdk_client
        self.region = region
        self.retry_policy = retry_policy or RetryPolicy()
        self.calls = 0

    def _call(self, action, send, idempotent):
        def attempt():
            self.calls += 1
            try:
                return send(RuntimeOptions()).body.to_map()
            except Exception as exc:  # pylint: disable=broad-except  # the SDK raises many unrelated types
                raise error_from_sdk(exc, action)

        return self.retry_policy.run(attempt, idempotent=idempotent)

    def describe_network_interface(self, network_interface_id):
        """DescribeNetworkInterfaceAttribute: the answer's body as a dict."""
        request = ecs_models.DescribeNetworkInterfaceAttributeRequest(
            region_id=self.region, network_interface_id=network_interface_id
        )
        return self._call(
            "DescribeNetworkInterfaceAttribute",
            lambda runtime: self.sdk.describe_network_interface_attribute_with_options(request, runtime),
            idempotent=True,
        )

    def describe_network_interfaces(self, network_interface_ids=None, ipv6_addresses=None, tags=None,
                                    next_token=None, **filters):
        """DescribeNetworkInterfaces, one page of at most 500: the answer's body as a dict.

        C(filters) are the request's scalar filters in the SDK's names (instance_id, v_switch_id, vpc_id,
        status, type). At most 100 ids and 100 addresses per call; at most 20 tags.
        """
        request = ecs_models.DescribeNetworkInterfacesRequest(
            region_id=self.region,
            network_interface_id=list(network_interface_ids) if network_interface_ids else None,
            ipv_6address=list(ipv6_addresses) if ipv6_addresses else None,
            tag=[ecs_models.DescribeNetworkInterfacesRequestTag(key=k, value=v) for k, v in tags.items()]
            if tags else None,
            max_results=MAX_RESULTS_PER_PAGE,
            next_token=next_token or None,
            **filters
        )
        return self._call(
            "DescribeNetworkInterfaces",
            lambda runtime: self.sdk.describe_network_interfaces_with_options(request, runtime),
            idempotent=True,
        )

    def assign_ipv6(self, network_interface_id, addresses=None, address_count=None, prefixes=None,
                    prefix_count=None, client_token=None):
        """AssignIpv6Addresses: at most 10 addresses (or a count) and 10 prefixes (or a count) per call."""
        request = ecs_models.AssignIpv6AddressesRequest(
            region_id=self.region,
            network_interface_id=network_interface_id,
            ipv_6address=list(addresses) if addresses else None,
            ipv_6address_count=address_count,
            ipv_6prefix=list(prefixes) if prefixes else None,
            ipv_6prefix_count=prefix_count,
            client_token=client_token,
        )
        return self._call(
            "AssignIpv6Addresses",
            lambda runtime: self.sdk.assign_ipv_6addresses_with_options(request, runtime),
            # With a ClientToken ECS applies a repeated call once, so a lost answer may be retried.
            idempotent=client_token is not None,
        )

    def unassign_ipv6(self, network_interface_id, addresses=None, prefixes=None):
        """UnassignIpv6Addresses for at most 10 addresses or (not and) 10 prefixes."""
        request = ecs_models.UnassignIpv6AddressesRequest(
            region_id=self.region,
            network_interface_id=network_interface_id,
            ipv_6address=list(addresses) if addresses else None,
            ipv_6prefix=list(prefixes) if prefixes else None,
        )
        return self._call(
            "UnassignIpv6Addresses",
            lambda runtime: self.sdk.unassign_ipv_6addresses_with_options(request, runtime),
            idempotent=False,
        )


def connect(module, retry_policy=None):
    """Build the EcsClient for a module's connection options, or end the task with a clear failure."""
    if not HAS_SDK:
        module.fail_json(msg=missing_required_lib(SDK_PACKAGES), exception=SDK_IMPORT_ERROR)
    params = module.params
    problems = connection_problems(params)
    if problems:
        module.fail_json(msg=" ".join(problems))
    try:
        credential = _credentials_provider(params)
    except EcsApiError as err:
        module.fail_json(msg=err.describe(), error=err.to_result())
    config = open_api_models.Config(
        access_key_id=params.get("access_key_id"),
        access_key_secret=params.get("access_key_secret"),
        security_token=params.get("security_token"),
        credential=credential,
        region_id=params["region"],
        connect_timeout=CONNECT_TIMEOUT_MS,
        read_timeout=READ_TIMEOUT_MS,
        user_agent=USER_AGENT,
    )
    if params.get("endpoint"):
        config.protocol, config.endpoint = parse_endpoint(params["endpoint"])
    return EcsClient(SdkEcsClient(config), params["region"], retry_policy)
