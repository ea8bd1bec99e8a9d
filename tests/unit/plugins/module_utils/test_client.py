# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EcsClient sends every action through the ECS SDK client's *_with_options method with its request model; the
models load on first use, as the very classes of the plain import; connect() leaves the endpoint to the SDK."""

import json
import os
import subprocess
import sys
import textwrap
from unittest import mock

import pytest
from alibabacloud_ecs20140526.client import Client as RealEcsSdkClient
from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client
from ansible_collections.alibabacloud.ecs.plugins.module_utils._client import EcsClient, connect
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError
from darabonba.runtime import RuntimeOptions

REGION = "cn-beijing"
KEYS = dict(access_key_id="LTAIunit", access_key_secret="unit-secret")


class Module(object):
    """What connect() reads of an AnsibleModule: params and fail_json."""

    def __init__(self, **params):
        self.params = dict(dict.fromkeys(_client.CONNECTION_ARGUMENT_SPEC), **params)

    def fail_json(self, **result):
        raise AssertionError("connect() failed: %r" % (result,))


@pytest.fixture
def sdk_class():
    """The ECS SDK client class, patched where _client uses it: each *_with_options answers a typed response."""
    with mock.patch.object(_client, "EcsSdkClient", autospec=True) as patched:
        instance = patched.return_value
        for method in (
            "describe_network_interface_attribute_with_options",
            "describe_network_interfaces_with_options",
            "assign_ipv_6addresses_with_options",
            "unassign_ipv_6addresses_with_options",
        ):
            getattr(instance, method).return_value.body.to_map.return_value = {"RequestId": method}
        yield patched


def sent(sdk_class, method):
    """The (request, runtime) of the one call made to a *_with_options method."""
    calls = getattr(sdk_class.return_value, method).call_args_list
    assert len(calls) == 1
    request, runtime = calls[0][0]
    assert isinstance(runtime, RuntimeOptions)
    return request


def fields(request):
    """The request model's fields that are sent (to_map() also lists unset list fields, as empty lists)."""
    return dict((key, value) for key, value in request.to_map().items() if value != [])


def other_methods_unused(sdk_class, method):
    used = [
        name for name, args, kwargs in sdk_class.return_value.mock_calls if name.split(".")[0].split("(")[0] != method
    ]
    assert used == []


def test_describe_network_interface_attribute_goes_through_its_sdk_method(sdk_class):
    ecs = connect(Module(region=REGION, **KEYS))
    method = "describe_network_interface_attribute_with_options"

    assert ecs.describe_network_interface("eni-1") == {"RequestId": method}

    request = sent(sdk_class, method)
    assert isinstance(request, _client.ecs_models.DescribeNetworkInterfaceAttributeRequest)
    assert fields(request) == {"RegionId": REGION, "NetworkInterfaceId": "eni-1"}
    other_methods_unused(sdk_class, method)


def test_describe_network_interfaces_goes_through_its_sdk_method(sdk_class):
    ecs = connect(Module(region=REGION, **KEYS))
    method = "describe_network_interfaces_with_options"

    body = ecs.describe_network_interfaces(
        network_interface_ids=("eni-1", "eni-2"),
        ipv6_addresses=["2408::1"],
        tags={"team": "net", "env": None},
        next_token="500",
        instance_id="i-1",
        v_switch_id="vsw-1",
        vpc_id="vpc-1",
        status="InUse",
    )

    assert body == {"RequestId": method}
    request = sent(sdk_class, method)
    assert isinstance(request, _client.ecs_models.DescribeNetworkInterfacesRequest)
    assert all(isinstance(tag, _client.ecs_models.DescribeNetworkInterfacesRequestTag) for tag in request.tag)
    assert fields(request) == {
        "RegionId": REGION,
        "NetworkInterfaceId": ["eni-1", "eni-2"],
        "Ipv6Address": ["2408::1"],
        "Tag": [{"Key": "team", "Value": "net"}, {"Key": "env"}],
        "NextToken": "500",
        "MaxResults": 500,
        "InstanceId": "i-1",
        "VSwitchId": "vsw-1",
        "VpcId": "vpc-1",
        "Status": "InUse",
    }
    other_methods_unused(sdk_class, method)


def test_describe_network_interfaces_without_filters_sends_no_empty_lists(sdk_class):
    connect(Module(region=REGION, **KEYS)).describe_network_interfaces()
    request = sent(sdk_class, "describe_network_interfaces_with_options")
    assert fields(request) == {"RegionId": REGION, "MaxResults": 500}


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (
            dict(addresses=["2408::1", "2408::2"], client_token="t1"),
            {"Ipv6Address": ["2408::1", "2408::2"], "ClientToken": "t1"},
        ),
        (dict(address_count=3, client_token="t2"), {"Ipv6AddressCount": 3, "ClientToken": "t2"}),
        (
            dict(prefixes=["2408:0:0:1::/80"], client_token="t3"),
            {"Ipv6Prefix": ["2408:0:0:1::/80"], "ClientToken": "t3"},
        ),
        (dict(prefix_count=2, client_token="t4"), {"Ipv6PrefixCount": 2, "ClientToken": "t4"}),
    ],
)
def test_assign_ipv6_addresses_goes_through_its_sdk_method(sdk_class, kwargs, expected):
    ecs = connect(Module(region=REGION, **KEYS))
    method = "assign_ipv_6addresses_with_options"

    assert ecs.assign_ipv6("eni-1", **kwargs) == {"RequestId": method}

    request = sent(sdk_class, method)
    assert isinstance(request, _client.ecs_models.AssignIpv6AddressesRequest)
    assert fields(request) == dict(expected, RegionId=REGION, NetworkInterfaceId="eni-1")
    other_methods_unused(sdk_class, method)


@pytest.mark.parametrize("kind, field", [("addresses", "Ipv6Address"), ("prefixes", "Ipv6Prefix")])
def test_unassign_ipv6_addresses_goes_through_its_sdk_method(sdk_class, kind, field):
    ecs = connect(Module(region=REGION, **KEYS))
    method = "unassign_ipv_6addresses_with_options"
    items = ["2408::1", "2408::2"] if kind == "addresses" else ["2408:0:0:1::/80"]

    assert ecs.unassign_ipv6("eni-1", **{kind: items}) == {"RequestId": method}

    request = sent(sdk_class, method)
    assert isinstance(request, _client.ecs_models.UnassignIpv6AddressesRequest)
    assert fields(request) == {"RegionId": REGION, "NetworkInterfaceId": "eni-1", field: items}
    other_methods_unused(sdk_class, method)


def test_connect_leaves_the_endpoint_to_the_sdk(sdk_class):
    connect(Module(region=REGION, **KEYS))
    config = sdk_class.call_args[0][0]
    assert config.endpoint is None and config.protocol is None
    assert (config.region_id, config.access_key_id, config.access_key_secret) == (REGION, "LTAIunit", "unit-secret")


def test_connect_passes_the_endpoint_option(sdk_class):
    connect(Module(region=REGION, endpoint="http://127.0.0.1:8765", **KEYS))
    config = sdk_class.call_args[0][0]
    assert (config.protocol, config.endpoint) == ("http", "127.0.0.1:8765")


@pytest.mark.parametrize(
    "region, endpoint",
    [
        ("cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com"),
        ("cn-beijing", "ecs.cn-beijing.aliyuncs.com"),
        ("ap-southeast-1", "ecs.ap-southeast-1.aliyuncs.com"),
        ("cn-wuhan", "ecs.aliyuncs.com"),
    ],
)
def test_the_documented_default_endpoints_are_the_sdk_clients(region, endpoint):
    ecs = connect(Module(region=region, **KEYS))
    assert isinstance(ecs.sdk, RealEcsSdkClient)
    assert ecs.sdk._endpoint == endpoint  # pylint: disable=protected-access


def test_a_typed_answer_comes_back_as_the_api_dict():
    """The real typed response round trip: what the SDK parsed is returned with the API's PascalCase keys."""
    answer = {
        "RequestId": "R-1",
        "NetworkInterfaceId": "eni-1",
        "Status": "InUse",
        "Type": "Secondary",
        "InstanceId": "i-1",
        "Attachment": {"InstanceId": "i-1"},
        "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": "2408::5"}]},
        "Ipv6PrefixSets": {"Ipv6PrefixSet": [{"Ipv6Prefix": "2408:0:0:1::/80"}]},
        "Tags": {"Tag": [{"TagKey": "team", "TagValue": "net"}]},
    }
    sdk = RealEcsSdkClient(_client.Config(region_id=REGION, **KEYS))
    with mock.patch.object(sdk, "call_api", return_value={"body": answer, "headers": {}, "statusCode": 200}):
        body = EcsClient(sdk, REGION).describe_network_interface("eni-1")
    assert body == answer


LAZY_CHECK = textwrap.dedent(r"""
    import inspect, json, sys
    PREFIX = "alibabacloud_ecs20140526.models."
    if sys.argv[1] == "lazy":
        from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client
        models = sys.modules["alibabacloud_ecs20140526.models"]
        assert models is _client._LAZY_MODELS is _client.ecs_models, "the stand-in is not in use"
        loaded_at_start = sorted(name for name in sys.modules if name.startswith(PREFIX))
        names = [name for name in dir(models) if not name.startswith("_")]
    else:
        import alibabacloud_ecs20140526.models as models
        loaded_at_start = None
        names = [name for name, value in vars(models).items() if isinstance(value, type) and not name.startswith("_")]
    classes = {}
    for name in names:
        cls = getattr(models, name)
        assert cls is getattr(sys.modules[cls.__module__], name)
        classes[name] = [cls.__module__, cls.__qualname__, inspect.getsourcefile(cls)]
    parsed = models.DescribeNetworkInterfacesResponse().from_map({"statusCode": 200, "body": {
        "NetworkInterfaceSets": {"NetworkInterfaceSet": [{"NetworkInterfaceId": "eni-1",
                                                          "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": "2408::5"}]}}]}}})
    print(json.dumps({"loaded_at_start": loaded_at_start, "classes": classes, "parsed": parsed.body.to_map()}))
""")


def run_python(*args, **env):
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), ALIBABA_CLOUD_ECS_METADATA_DISABLED="true")
    environment.update(env)
    done = subprocess.run(
        [sys.executable, "-c"] + list(args),
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("utf-8")


def test_the_lazy_models_are_the_very_classes_of_the_plain_import():
    lazy = json.loads(run_python(LAZY_CHECK, "lazy"))
    eager = json.loads(run_python(LAZY_CHECK, "eager"))

    assert lazy["loaded_at_start"] == []
    assert len(eager["classes"]) > 2000
    assert lazy["classes"] == eager["classes"]
    assert lazy["parsed"] == eager["parsed"]
    assert lazy["parsed"]["NetworkInterfaceSets"]["NetworkInterfaceSet"][0]["Ipv6Sets"]["Ipv6Set"] == [
        {"Ipv6Address": "2408::5"}
    ]


def make_package(root, name, init_lines):
    package = root / name
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models" / "__init__.py").write_text("\n".join(init_lines) + "\n")
    (package / "models" / "_first.py").write_text(
        "from %s import models as main_models\n\nHelper = 1\n\n\nclass First(object):\n    def second(self):\n"
        "        return main_models.Second\n" % name
    )
    (package / "models" / "_second.py").write_text("Helper = 2\n\n\nclass Second(object):\n    pass\n")


LAZY_PACKAGE_CHECK = textwrap.dedent(r"""
    import importlib, json, sys
    from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client
    name = sys.argv[1]
    stand_in = _client.install_lazy_models(name + ".models")
    models = importlib.import_module(name + ".models")
    loaded = sorted(module for module in sys.modules if module.startswith(name + ".models."))
    print(json.dumps({"installed": stand_in is not None and models is stand_in, "loaded_at_start": loaded,
                      "second": models.First().second() is models.Second,
                      "parent_attribute": getattr(sys.modules[name], "models") is models}))
""")


@pytest.mark.parametrize(
    "surprise, lazy",
    [
        ([], True),
        (["import os"], False),
        (["from ._second import Second as Other"], False),
        (["from ._first import (First)"], False),
        (["from ._first import Helper", "from ._second import Helper"], False),
    ],
)
def test_the_lazy_stand_in_falls_back_to_the_plain_import_on_a_surprise(tmp_path, surprise, lazy):
    lines = (
        [
            "# -*- coding: utf-8 -*-",
            "from __future__ import annotations",
            "",
            "from ._first import First",
            "from ._second import Second",
        ]
        + surprise
        + ["", "__all__ = [", "    First,", "    Second", "]"]
    )
    name = "lazycheck%d" % len(" ".join(surprise))
    make_package(tmp_path, name, lines)

    result = json.loads(run_python(LAZY_PACKAGE_CHECK, name, PYTHONPATH=os.pathsep.join([str(tmp_path)] + sys.path)))

    assert result["installed"] is lazy
    assert result["loaded_at_start"] == ([] if lazy else ["%s.models._first" % name, "%s.models._second" % name])
    assert result["second"] and result["parent_attribute"]


def test_nothing_is_installed_over_an_imported_package():
    import alibabacloud_ecs20140526.models  # noqa: F401  pylint: disable=unused-import

    assert _client.install_lazy_models() is None


def test_a_missing_sdk_leaves_no_stand_in_behind(tmp_path):
    """When the SDK's core is missing, the ImportError is reported and the plain package is importable again."""
    blocker = tmp_path / "darabonba"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('darabonba is blocked for this test')\n")
    script = textwrap.dedent(r"""
        import sys
        from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client
        assert not _client.HAS_SDK and "darabonba is blocked" in _client.SDK_IMPORT_ERROR
        assert "alibabacloud_ecs20140526.models" not in sys.modules
        assert "darabonba-core" in _client.SDK_PACKAGES and "alibabacloud-ecs20140526" in _client.SDK_PACKAGES
        print("ok")
    """)
    assert run_python(script, PYTHONPATH=os.pathsep.join([str(tmp_path)] + sys.path)).strip() == "ok"


def test_a_non_dict_answer_body_is_an_empty_dict(sdk_class):
    ecs = connect(Module(region=REGION, **KEYS))
    sdk_class.return_value.unassign_ipv_6addresses_with_options.return_value.body = None
    assert ecs.unassign_ipv6("eni-1", addresses=["2408::1"]) == {}


def test_an_sdk_failure_becomes_an_ecs_api_error_naming_the_action(sdk_class):
    ecs = connect(Module(region=REGION, **KEYS))
    sdk_class.return_value.unassign_ipv_6addresses_with_options.side_effect = ValueError("odd")
    with pytest.raises(EcsApiError) as raised:
        ecs.unassign_ipv6("eni-1", addresses=["2408::1"])
    assert (raised.value.code, raised.value.action) == ("SdkError", "UnassignIpv6Addresses")


def test_the_sdk_import_leaves_the_collector_on_with_the_import_frozen():
    script = textwrap.dedent(r"""
        import gc, json
        before = gc.isenabled()
        from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client
        print(json.dumps([before, gc.isenabled(), gc.get_freeze_count() > 0, _client.HAS_SDK]))
    """)
    assert json.loads(run_python(script)) == [True, True, True, True]
