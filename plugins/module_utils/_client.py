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

# ECS is called through the SDK's core, alibabacloud-tea-openapi, with the same requests that the generated client
# of alibabacloud-ecs20140526 builds. Importing that client loads its 1,152 model modules (about 0.27 s a task
# here) for the few calls a task makes.
try:
    from alibabacloud_tea_openapi.client import Client as OpenApiClient
    from alibabacloud_tea_openapi.utils import Utils as OpenApiUtils
    from alibabacloud_tea_openapi.utils_models import Config, OpenApiRequest, Params
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
ECS_API_VERSION = "2014-05-26"
# The regions whose endpoint is not ecs.<region>.aliyuncs.com, as in alibabacloud-ecs20140526's client (a unit
# test keeps the two equal).
ECS_ENDPOINT_MAP = {
    "cn-hangzhou": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-shanghai-finance-1": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-shenzhen-finance-1": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-north-2-gov-1": "ecs.aliyuncs.com",
    "ap-northeast-2-pop": "ecs.aliyuncs.com",
    "cn-beijing-finance-pop": "ecs.aliyuncs.com",
    "cn-beijing-gov-1": "ecs.aliyuncs.com",
    "cn-beijing-nu16-b01": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-edge-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
    "cn-fujian": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-haidian-cm12-c01": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-bj-b01": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-finance": "ecs.aliyuncs.com",
    "cn-hangzhou-internal-prod-1": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-internal-test-1": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-internal-test-2": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-internal-test-3": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-test-306": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-hongkong-finance-pop": "ecs.aliyuncs.com",
    "cn-huhehaote-nebula-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
    "cn-shanghai-et15-b01": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-shanghai-et2-b01": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-shanghai-inner": "ecs.aliyuncs.com",
    "cn-shanghai-internal-test-1": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-shenzhen-inner": "ecs.aliyuncs.com",
    "cn-shenzhen-st4-d01": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-shenzhen-su18-b01": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-wuhan": "ecs.aliyuncs.com",
    "cn-yushanfang": "ecs.aliyuncs.com",
    "cn-zhangbei": "ecs.aliyuncs.com",
    "cn-zhangbei-na61-b01": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-zhangjiakou-na62-a01": "ecs.cn-zhangjiakou.aliyuncs.com",
    "cn-zhengzhou-nebula-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
    "eu-west-1-oxs": "ecs.cn-shenzhen-cloudstone.aliyuncs.com",
    "rus-west-1-pop": "ecs.aliyuncs.com",
}

_REGION_PATTERN = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+\Z")
_ENDPOINT_PATTERN = re.compile(r"^(?:(https?)://)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?/?\Z")

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


def default_endpoint(region):
    """The ECS endpoint of a region, as the ECS SDK's client picks it."""
    return ECS_ENDPOINT_MAP.get(region) or OpenApiUtils.get_endpoint_rules("ecs", region, "regional", "", "")


class EcsClient(object):
    """The ECS API calls this collection makes, each retried and each raising EcsApiError on failure.

    Each call sends what alibabacloud-ecs20140526's generated client sends for it: an RPC-style POST of version
    2014-05-26 with the parameters in the query string, lists flattened as Name.1..N.
    """

    def __init__(self, sdk_client, region, retry_policy=None):
        self.sdk = sdk_client
        self.region = region
        self.retry_policy = retry_policy or RetryPolicy()

    def _call(self, action, parameters, idempotent):
        query = dict((name, value) for name, value in parameters.items() if value not in (None, [], {}))
        query["RegionId"] = self.region
        request = OpenApiRequest(query=OpenApiUtils.query(query))
        params = Params(action=action, version=ECS_API_VERSION, protocol="HTTPS", pathname="/", method="POST",
                        auth_type="AK", style="RPC", req_body_type="formData", body_type="json")

        def attempt():
            try:
                return self.sdk.call_api(params, request, RuntimeOptions())["body"]
            except Exception as exc:  # pylint: disable=broad-except  # the SDK raises many unrelated types
                raise error_from_sdk(exc, action)

        return self.retry_policy.run(attempt, idempotent=idempotent)

    def describe_network_interface(self, network_interface_id):
        """DescribeNetworkInterfaceAttribute: the answer's body as a dict."""
        return self._call(
            "DescribeNetworkInterfaceAttribute", {"NetworkInterfaceId": network_interface_id}, idempotent=True
        )

    def describe_network_interfaces(self, network_interface_ids=None, ipv6_addresses=None, tags=None,
                                    next_token=None, instance_id=None, v_switch_id=None, vpc_id=None, status=None):
        """DescribeNetworkInterfaces, one page of at most 500: the answer's body as a dict.

        At most 100 ids and 100 addresses per call; at most 20 tags (a tag whose value is None matches any value).
        """
        parameters = {
            "NetworkInterfaceId": list(network_interface_ids or []),
            "Ipv6Address": list(ipv6_addresses or []),
            "Tag": [dict(Key=key, Value=value) if value is not None else dict(Key=key)
                    for key, value in (tags or {}).items()],
            "InstanceId": instance_id,
            "VSwitchId": v_switch_id,
            "VpcId": vpc_id,
            "Status": status,
            "MaxResults": MAX_RESULTS_PER_PAGE,
            "NextToken": next_token or None,
        }
        return self._call("DescribeNetworkInterfaces", parameters, idempotent=True)

    def assign_ipv6(self, network_interface_id, addresses=None, address_count=None, prefixes=None,
                    prefix_count=None, client_token=None):
        """AssignIpv6Addresses: at most 10 addresses (or a count) and 10 prefixes (or a count) per call."""
        parameters = {
            "NetworkInterfaceId": network_interface_id,
            "Ipv6Address": list(addresses or []),
            "Ipv6AddressCount": address_count,
            "Ipv6Prefix": list(prefixes or []),
            "Ipv6PrefixCount": prefix_count,
            "ClientToken": client_token,
        }
        # With a ClientToken ECS applies a repeated call once, so a lost answer may be retried.
        return self._call("AssignIpv6Addresses", parameters, idempotent=client_token is not None)

    def unassign_ipv6(self, network_interface_id, addresses=None, prefixes=None):
        """UnassignIpv6Addresses for at most 10 addresses or (not and) 10 prefixes."""
        parameters = {
            "NetworkInterfaceId": network_interface_id,
            "Ipv6Address": list(addresses or []),
            "Ipv6Prefix": list(prefixes or []),
        }
        return self._call("UnassignIpv6Addresses", parameters, idempotent=False)


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
    config = Config(
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
    else:
        config.endpoint = default_endpoint(params["region"])
    return EcsClient(OpenApiClient(config), params["region"], retry_policy)
