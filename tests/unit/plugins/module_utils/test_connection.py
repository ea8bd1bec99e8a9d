# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_connection.py: the connection option checks and endpoint parsing."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._connection import (
    CONNECTION_ARGUMENT_SPEC,
    connection_problems,
    parse_endpoint,
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
