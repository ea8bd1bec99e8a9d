# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_sdk.py: EcsClient sends every action through the ECS SDK client's *_with_options method with its request model;
the models load on first use, as the very classes of the plain import; connect() leaves the endpoint to the SDK and
builds the credentials; error_from_sdk tells what the SDK raised apart by class and cause chain.

test_sdk_contract.py runs the same boundary against real servers."""

import json
import os
import socket
import ssl
import subprocess
import sys
import textwrap
from http.client import HTTPConnection, RemoteDisconnected
from unittest import mock

import pytest
import requests
import urllib3
from alibabacloud_credentials.exceptions import CredentialException
from alibabacloud_ecs20140526.client import Client as RealEcsSdkClient
from alibabacloud_tea_openapi import exceptions as sdk_exceptions
from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk
from ansible_collections.alibabacloud.ecs.plugins.module_utils._connection import CONNECTION_ARGUMENT_SPEC
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import CollectionError, EcsApiError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._sdk import EcsClient, connect, error_from_sdk
from darabonba.exceptions import RetryError, UnretryableException
from darabonba.policy.retry import RetryPolicyContext
from darabonba.runtime import RuntimeOptions

REGION = "cn-beijing"
KEYS = dict(access_key_id="LTAIunit", access_key_secret="unit-secret")


class Module(object):
    """What connect() uses of an AnsibleModule: params, warn and fail_json."""

    def __init__(self, **params):
        self.params = dict(dict.fromkeys(CONNECTION_ARGUMENT_SPEC), **params)
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)

    def fail_json(self, **result):
        raise AssertionError("connect() failed: %r" % (result,))


@pytest.fixture
def sdk_class():
    """The ECS SDK client class, patched where _sdk uses it: each *_with_options answers a typed response."""
    with mock.patch.object(_sdk, "EcsSdkClient", autospec=True) as patched:
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
    assert isinstance(request, _sdk.ecs_models.DescribeNetworkInterfaceAttributeRequest)
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
    assert isinstance(request, _sdk.ecs_models.DescribeNetworkInterfacesRequest)
    assert all(isinstance(tag, _sdk.ecs_models.DescribeNetworkInterfacesRequestTag) for tag in request.tag)
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
    assert isinstance(request, _sdk.ecs_models.AssignIpv6AddressesRequest)
    assert fields(request) == dict(expected, RegionId=REGION, NetworkInterfaceId="eni-1")
    other_methods_unused(sdk_class, method)


@pytest.mark.parametrize("kind, field", [("addresses", "Ipv6Address"), ("prefixes", "Ipv6Prefix")])
def test_unassign_ipv6_addresses_goes_through_its_sdk_method(sdk_class, kind, field):
    ecs = connect(Module(region=REGION, **KEYS))
    method = "unassign_ipv_6addresses_with_options"
    items = ["2408::1", "2408::2"] if kind == "addresses" else ["2408:0:0:1::/80"]

    assert ecs.unassign_ipv6("eni-1", **{kind: items}) == {"RequestId": method}

    request = sent(sdk_class, method)
    assert isinstance(request, _sdk.ecs_models.UnassignIpv6AddressesRequest)
    assert fields(request) == {"RegionId": REGION, "NetworkInterfaceId": "eni-1", field: items}
    other_methods_unused(sdk_class, method)


def test_connect_leaves_the_endpoint_to_the_sdk(sdk_class):
    connect(Module(region=REGION, **KEYS))
    config = sdk_class.call_args[0][0]
    assert config.endpoint is None and config.protocol is None
    assert (config.region_id, config.access_key_id, config.access_key_secret) == (REGION, "LTAIunit", "unit-secret")


def test_connect_passes_the_endpoint_option(sdk_class):
    module = Module(region=REGION, endpoint="http://127.0.0.1:8765", **KEYS)
    connect(module)
    config = sdk_class.call_args[0][0]
    assert (config.protocol, config.endpoint) == ("http", "127.0.0.1:8765")
    assert module.warnings == [], "plain HTTP to loopback is quiet"


def test_connect_warns_once_of_plain_http_elsewhere_without_a_secret(sdk_class):
    module = Module(region=REGION, endpoint="http://ecs-gateway.example.com:8080", security_token="sts-token", **KEYS)
    client = connect(module)
    assert client.endpoint == "http://ecs-gateway.example.com:8080"
    assert len(module.warnings) == 1
    assert "http://ecs-gateway.example.com:8080" in module.warnings[0]
    assert "unit-secret" not in module.warnings[0] and "sts-token" not in module.warnings[0]


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
    sdk = RealEcsSdkClient(_sdk.Config(region_id=REGION, **KEYS))
    with mock.patch.object(sdk, "call_api", return_value={"body": answer, "headers": {}, "statusCode": 200}):
        body = EcsClient(sdk, REGION).describe_network_interface("eni-1")
    assert body == answer


LAZY_CHECK = textwrap.dedent(r"""
    import inspect, json, sys
    PREFIX = "alibabacloud_ecs20140526.models."
    if sys.argv[1] == "lazy":
        from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk
        models = sys.modules["alibabacloud_ecs20140526.models"]
        assert models is _sdk._LAZY_MODELS is _sdk.ecs_models, "the stand-in is not in use"
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
    """The output of python -c args in a fresh process that imports this collection, without the SDK's variables."""
    environment = dict(
        (key, value) for key, value in os.environ.items() if not key.startswith(("ALIBABA_CLOUD_", "ALICLOUD_"))
    )
    environment.update(PYTHONPATH=os.pathsep.join(sys.path), ALIBABA_CLOUD_ECS_METADATA_DISABLED="true")
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
    from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk
    name = sys.argv[1]
    stand_in = _sdk.install_lazy_models(name + ".models")
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

    assert _sdk.install_lazy_models() is None


def test_a_missing_sdk_leaves_no_stand_in_behind(tmp_path):
    """When the SDK's core is missing, the ImportError is reported and the plain package is importable again."""
    blocker = tmp_path / "darabonba"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('darabonba is blocked for this test')\n")
    script = textwrap.dedent(r"""
        import sys
        from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk
        assert not _sdk.HAS_SDK and "darabonba is blocked" in _sdk.SDK_IMPORT_ERROR
        assert "alibabacloud_ecs20140526.models" not in sys.modules
        assert "darabonba-core" in _sdk.SDK_PACKAGES and "alibabacloud-ecs20140526" in _sdk.SDK_PACKAGES
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
        from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk
        print(json.dumps([before, gc.isenabled(), gc.get_freeze_count() > 0, _sdk.HAS_SDK]))
    """)
    assert json.loads(run_python(script)) == [True, True, True, True]


def client_exception(code, status, message="Something is off.", request_id="3C1A-REQ", cls=None, **extra):
    cls = cls or (sdk_exceptions.ServerException if status >= 500 else sdk_exceptions.ClientException)
    data = {"RequestId": request_id, "Code": code, "Message": message, "HostId": "ecs.cn-hangzhou.aliyuncs.com"}
    return cls(
        status_code=status,
        code=code,
        message="code: %d, %s request id: %s" % (status, message, request_id),
        data=data,
        request_id=request_id,
        **extra
    )


def transport_exception(url, requests_class, *causes):
    """What the SDK raises for a request that got no answer, built as requests, urllib3 and darabonba chain it.

    causes go innermost first (the OSError, then urllib3's exceptions): each is the __cause__ of the next. The
    requests exception is raised while handling the last of them, RetryError while handling the requests exception,
    and UnretryableException wraps RetryError.
    """
    for inner, outer in zip(causes, causes[1:]):
        outer.__cause__ = inner
    failure = requests_class(causes[-1], request=requests.Request("POST", url).prepare())
    failure.__context__ = causes[-1]
    retry_error = RetryError(str(failure))
    retry_error.__context__ = failure
    return UnretryableException(RetryPolicyContext(retries_attempted=1, exception=retry_error))


def connection_failure(url, requests_class, os_error, urllib3_error):
    """What the SDK raises when urllib3 gave up on making a connection (MaxRetryError) for os_error."""
    return transport_exception(
        url, requests_class, os_error, urllib3_error, urllib3.exceptions.MaxRetryError(None, "/", None)
    )


def tls_failure(url, cls, reason, verify_message=None):
    """What the SDK raises when the TLS handshake failed: an ssl error of cls with its OpenSSL reason."""
    error = cls(1, "[SSL: %s] %s" % (reason, verify_message or "handshake failed"))
    error.reason = reason
    error.verify_message = verify_message
    return connection_failure(url, requests.exceptions.SSLError, error, urllib3.exceptions.SSLError(str(error)))


def refused(url="http://127.0.0.1:9/"):
    return connection_failure(
        url,
        requests.exceptions.ConnectionError,
        ConnectionRefusedError(111, "Connection refused"),
        urllib3.exceptions.NewConnectionError(HTTPConnection("127.0.0.1", 9), "Failed to establish a new connection"),
    )


def read_timed_out(url="http://127.0.0.1:9/"):
    return transport_exception(
        url,
        requests.exceptions.ReadTimeout,
        TimeoutError("timed out"),
        urllib3.exceptions.ReadTimeoutError(None, "/", "Read timed out."),
    )


def remote_disconnected(url="http://127.0.0.1:9/"):
    return transport_exception(
        url,
        requests.exceptions.ConnectionError,
        RemoteDisconnected("Remote end closed connection without response"),
        urllib3.exceptions.ProtocolError("Connection aborted."),
    )


def test_client_exception_keeps_code_server_message_request_id_and_status():
    err = error_from_sdk(
        client_exception("InvalidIp.IpUnassigned", 403, 'The ipAddress "x" is unassigned.'), "Unassign"
    )
    assert (err.code, err.message, err.request_id, err.http_status) == (
        "InvalidIp.IpUnassigned",
        'The ipAddress "x" is unassigned.',
        "3C1A-REQ",
        403,
    )
    assert err.describe().startswith('InvalidIp.IpUnassigned: The ipAddress "x" is unassigned.')
    assert "3C1A-REQ" in err.describe()
    assert not isinstance(err, CollectionError)


def test_throttling_exception_carries_retry_after_in_seconds():
    exc = client_exception("Throttling.User", 400, cls=sdk_exceptions.ThrottlingException, retry_after=1500)
    err = error_from_sdk(exc)
    assert err.retry_after == 1.5
    assert err.retry_safe and not err.ambiguous


@pytest.mark.parametrize(
    "exc, code, safe, ambiguous",
    [
        (refused(), "ConnectionFailed", True, False),
        (read_timed_out(), "ReadTimeout", False, True),
        (remote_disconnected(), "ConnectionLost", False, True),
    ],
)
def test_transport_failures_are_classified(exc, code, safe, ambiguous):
    err = error_from_sdk(exc)
    assert (err.code, err.retry_safe, err.ambiguous) == (code, safe, ambiguous)
    assert err.http_status is None
    assert isinstance(err, CollectionError)


@pytest.mark.parametrize(
    "code, status, safe, ambiguous",
    [
        ("Throttling", 400, True, False),
        ("Throttling.Api", 503, True, False),
        ("Rejected.Throttling", 403, True, False),
        ("OperationConflict", 403, True, False),
        ("ServiceUnavailable", 503, False, True),
        ("InternalError", 500, False, True),
        ("SomethingNew", 502, False, True),
        ("InvalidEniId.NotFound", 404, False, False),
        ("SignatureDoesNotMatch", 400, False, False),
    ],
)
def test_codes_are_classified_by_code_not_only_status(code, status, safe, ambiguous):
    err = error_from_sdk(client_exception(code, status))
    assert (err.retry_safe, err.ambiguous) == (safe, ambiguous)


def test_unknown_code_still_fails_cleanly_with_code_and_message():
    err = error_from_sdk(client_exception("Brand.NewCode", 403, "Never seen before."))
    assert err.describe().startswith("Brand.NewCode: Never seen before.")
    assert err.hint is None


def test_unexpected_sdk_exception_becomes_sdk_error():
    err = error_from_sdk(ValueError("Expecting value: line 1 column 1"))
    assert err.code == "SdkError"
    assert "ValueError" in err.message


@pytest.mark.parametrize(
    "code, status, words",
    [
        ("MissingSecurityToken", 400, "security_token"),
        ("IdempotentParameterMismatch", 400, "ClientToken"),
        ("InvalidVSwitchId.IpInvalid", 403, "CIDR block of the ENI's vSwitch"),
        ("InvalidOperation.Ipv6CountExceeded", 403, "quota"),
        ("Forbedden.NotSupportRAM", 403, "RAM user or role"),
        ("Forbbiden.SubUser", 403, "RAM user or role"),
        ("Forbidden.NotSupportRAM", 403, "RAM user or role"),
    ],
)
def test_codes_that_needed_a_hint_have_one(code, status, words):
    err = error_from_sdk(client_exception(code, status))
    assert words in err.hint
    assert err.describe().endswith(err.hint)
    assert "report this as a bug" not in err.describe()


def test_an_expired_sts_token_reported_as_invalid_parameter_says_so():
    err = error_from_sdk(
        client_exception("InvalidParameter", 400, 'The specified parameter "SecurityToken.Expired" is not valid.')
    )
    assert "STS security token has expired" in err.hint
    assert "report this as a bug" not in err.describe()
    assert "report this as a bug" in error_from_sdk(client_exception("InvalidParameter", 400, "Other.")).describe()


@pytest.mark.parametrize(
    "exc, code, words",
    [
        (
            tls_failure("https://127.0.0.1:8765/?Action=x", ssl.SSLError, "WRONG_VERSION_NUMBER"),
            "TlsHandshakeFailed",
            "https://127.0.0.1:8765",
        ),
        (
            tls_failure(
                "https://ecs.example.com/",
                ssl.SSLCertVerificationError,
                "CERTIFICATE_VERIFY_FAILED",
                "self-signed certificate",
            ),
            "TlsCertificateInvalid",
            "https://ecs.example.com:443",
        ),
        (
            connection_failure(
                "http://no-such-host.invalid/",
                requests.exceptions.ConnectionError,
                socket.gaierror(-2, "Name or service not known"),
                urllib3.exceptions.NameResolutionError("no-such-host.invalid", None, None),
            ),
            "ConnectionFailed",
            "no-such-host.invalid:80: its host name does not resolve (Name or service not known)",
        ),
        (
            connection_failure(
                "http://10.255.255.1/",
                requests.exceptions.ConnectTimeout,
                TimeoutError("timed out"),
                urllib3.exceptions.ConnectTimeoutError(None, "Connection to 10.255.255.1 timed out."),
            ),
            "ConnectionFailed",
            "10.255.255.1:80: no connection within 5.0 s",
        ),
        (read_timed_out(), "ReadTimeout", "127.0.0.1:9 did not answer within 10.0 s"),
    ],
)
def test_transport_failures_name_the_endpoint_in_plain_words(exc, code, words):
    err = error_from_sdk(exc)
    assert err.code == code
    assert words in err.message
    assert "ConnectionPool" not in err.message and "Max retries" not in err.message


def test_the_endpoint_option_names_the_endpoint_when_the_request_does_not():
    exc = UnretryableException(RetryPolicyContext(retries_attempted=1, exception=RetryError("connection broke")))
    exc.inner_exception.__context__ = ConnectionResetError(104, "Connection reset by peer")
    err = error_from_sdk(exc, "DescribeNetworkInterfaces", "http://127.0.0.1:8080")
    assert err.code == "ConnectionLost"
    assert "127.0.0.1:8080 broke before an answer came (connection reset by peer" in err.message
    assert "use https:// in endpoint" in err.message


CHAIN_TEXT = (
    "unable to load credentials from any of the providers in the chain: ['EnvironmentVariableCredentialsProvider: "
    "Environment variable accessKeyId cannot be empty', 'CLIProfileCredentialsProvider: unable to open credentials "
    "file: /home/u/.aliyun/config.json', 'ProfileCredentialsProvider: failed to get credential from credentials "
    "file: $/home/u/.alibabacloud/credentials.ini']"
)


def test_the_credential_chain_failure_reads_as_sentences():
    err = error_from_sdk(CredentialException(CHAIN_TEXT))
    assert err.code == "CredentialsNotFound"
    assert err.message == (
        "No credentials were found in the SDK's default credential chain. Environment variables: Environment variable "
        "accessKeyId cannot be empty. Alibaba Cloud CLI profile: Unable to open credentials file: "
        "/home/u/.aliyun/config.json. Credentials file: Failed to get credential from credentials file: "
        "/home/u/.alibabacloud/credentials.ini."
    )


def run_connect(home, params, **env):
    """connect() in a fresh process with this HOME and environment (the SDK reads its variables at import)."""
    script = textwrap.dedent(r"""
        import json, sys
        from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk
        from ansible_collections.alibabacloud.ecs.plugins.module_utils._connection import CONNECTION_ARGUMENT_SPEC

        class Module(object):
            params = dict(dict.fromkeys(CONNECTION_ARGUMENT_SPEC), **json.loads(sys.argv[1]))

            def fail_json(self, **result):
                print(json.dumps(result))
                sys.exit(0)

        _sdk.connect(Module())
        print(json.dumps({"connected": True}))
    """)
    return json.loads(run_python(script, json.dumps(dict(params, region="cn-hangzhou")), HOME=str(home), **env))


def test_no_credentials_at_all_reads_as_sentences_without_a_stray_dollar(tmp_path):
    result = run_connect(tmp_path, {})
    assert result["error"]["code"] == "CredentialsNotFound"
    assert "$" not in result["msg"]
    assert result["msg"].startswith(
        "CredentialsNotFound: No credentials were found in the SDK's default credential "
        "chain. Environment variables: "
    )
    assert "%s/.alibabacloud/credentials.ini." % tmp_path in result["msg"]
    assert "['" not in result["msg"]
    assert "access_key_id" in result["msg"]


def write_cli_config(home, *names):
    (home / ".aliyun").mkdir()
    profiles = [
        {
            "name": name,
            "mode": "AK",
            "access_key_id": "LTAIcli",
            "access_key_secret": "cli-secret",
            "region_id": "cn-hangzhou",
        }
        for name in names
    ]
    (home / ".aliyun" / "config.json").write_text(json.dumps({"current": names[0], "profiles": profiles}))


def test_a_profile_that_is_not_in_the_cli_config_is_named_with_the_file(tmp_path):
    write_cli_config(tmp_path, "default", "prod")
    result = run_connect(tmp_path, {"profile": "staging"})

    config_file = "%s/.aliyun/config.json" % tmp_path
    assert result["error"]["code"] == "ProfileNotFound"
    assert "profile 'staging' was not found in %s (its profiles: 'default', 'prod')." % config_file in result["msg"]
    assert "name a CLI profile" not in result["msg"] and "cli-secret" not in json.dumps(result)


def test_a_profile_without_a_cli_config_file_names_the_file(tmp_path):
    result = run_connect(tmp_path, {"profile": "prod"})
    assert result["error"]["code"] == "ProfileNotFound"
    assert "%s/.aliyun/config.json cannot be read" % tmp_path in result["msg"]


def test_a_profile_that_is_in_the_cli_config_connects(tmp_path):
    write_cli_config(tmp_path, "default", "prod")
    assert run_connect(tmp_path, {"profile": "prod"}) == {"connected": True}
