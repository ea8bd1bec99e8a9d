# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_connection.py: the connection option checks and endpoint parsing."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._connection import (
    CONNECTION_ARGUMENT_SPEC,
    connection_problems,
    parse_endpoint,
    plain_http_warning,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ecs.cn-hangzhou.aliyuncs.com", ("https", "ecs.cn-hangzhou.aliyuncs.com")),
        ("https://ecs-vpc.cn-hangzhou.aliyuncs.com/", ("https", "ecs-vpc.cn-hangzhou.aliyuncs.com")),
        ("http://127.0.0.1:8765", ("http", "127.0.0.1:8765")),
        ("http://[::1]:8765", ("http", "[::1]:8765")),
    ],
)
def test_endpoint_forms(value, expected):
    assert parse_endpoint(value) == expected


@pytest.mark.parametrize("value", ["ftp://host", "http://host:99999", "host/path", "http://", "a b"])
def test_bad_endpoints(value):
    with pytest.raises(ValueError):
        parse_endpoint(value)


def test_connection_problems_name_the_options():
    assert connection_problems({"region": "cn-hangzhou"}) == []
    assert "region is required" in connection_problems({})[0]
    assert "access_key_secret" in connection_problems({"region": "cn-hangzhou", "access_key_id": "LTAI"})[0]
    assert "security_token" in connection_problems({"region": "cn-hangzhou", "security_token": "t"})[0]
    assert "endpoint 'ftp://x'" in connection_problems({"region": "cn-hangzhou", "endpoint": "ftp://x"})[0]


def test_secrets_are_kept_out_of_logs_and_key_ids_are_not():
    assert CONNECTION_ARGUMENT_SPEC["access_key_secret"]["no_log"] is True
    assert CONNECTION_ARGUMENT_SPEC["security_token"]["no_log"] is True
    assert CONNECTION_ARGUMENT_SPEC["access_key_id"]["no_log"] is False


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:8765",
        "http://127.1.2.3",
        "http://LOCALHOST:80",
        "http://localhost",
        "http://[::1]:8080",
        "https://ecs.example.com",
        "ecs.cn-hangzhou.aliyuncs.com",
        "192.0.2.10:8443",
    ],
)
def test_loopback_and_https_endpoints_need_no_warning(endpoint):
    assert plain_http_warning(endpoint) is None


@pytest.mark.parametrize(
    "endpoint, named",
    [
        ("http://ecs-proxy.internal:8080", "http://ecs-proxy.internal:8080"),
        ("http://192.0.2.10/", "http://192.0.2.10"),
        ("http://[2001:db8::1]:80", "http://[2001:db8::1]:80"),
        ("http://127.example.com", "http://127.example.com"),
    ],
)
def test_plain_http_elsewhere_warns_naming_the_endpoint_and_the_way_out(endpoint, named):
    warning = plain_http_warning(endpoint)
    assert named in warning
    assert "security token" in warning and "unencrypted" in warning and "https://" in warning


def test_the_region_is_required_with_its_environment_fallbacks():
    region = CONNECTION_ARGUMENT_SPEC["region"]
    assert region["required"] is True
    assert region["fallback"][1] == ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"]
