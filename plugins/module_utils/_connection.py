# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options every module takes, and their checks; no SDK needed.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import ipaddress
import re

from ansible.module_utils.basic import env_fallback

_REGION_PATTERN = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+\Z")
_ENDPOINT_PATTERN = re.compile(r"^(?:(https?)://)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?/?\Z")

CONNECTION_ARGUMENT_SPEC = dict(
    region=dict(
        type="str",
        required=True,
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


def plain_http_warning(endpoint):
    """The warning for an http:// endpoint on a host that is not loopback, judged as written; else None."""
    protocol, host_port = parse_endpoint(endpoint)
    host = re.sub(r":\d+\Z", "", host_port) if not host_port.endswith("]") else host_port
    host = host.strip("[]").lower()
    if protocol != "http" or host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return (
        "endpoint %s is plain HTTP to a host other than localhost (127.0.0.0/8, ::1): every request, the security "
        "token and the signed headers included, is sent unencrypted. Use https:// to avoid it."
        % ("http://" + host_port)
    )


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
