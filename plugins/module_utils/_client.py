# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ECS client: connection options, credentials, and one wrapper per API call.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import gc
import importlib
import importlib.util
import json
import os
import re
import sys
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import (
    EcsApiError,
    credential_chain_message,
    error_from_sdk,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import RetryPolicy

ECS_MODELS = "alibabacloud_ecs20140526.models"
_MODEL_IMPORT_LINE = re.compile(r"^from \.(_[A-Za-z0-9_]+) import ([A-Za-z_][A-Za-z0-9_]*)$")


def install_lazy_models(package=ECS_MODELS):
    """Put a stand-in for an SDK's models package in sys.modules that imports each model on first use.

    The ECS SDK's models/__init__.py imports all of its 1,152 model modules (about 0.1 s a task) for the four
    requests this collection builds. The stand-in is the package's own module object, made from its own spec (so
    its path, and the imports of its submodules, are the package's), but its __init__ is not run: each class name
    is mapped to its submodule by reading the `from ._x import Y` lines of that __init__ as text, and a
    module-level __getattr__ (PEP 562) imports the submodule when the name is first read. The classes are thus
    the very ones the plain import gives. On any surprise (the package already imported, no source file, a line
    of another form, a name in two submodules) nothing is installed and the plain import runs.
    Returns the stand-in, or None.
    """
    if package in sys.modules:
        return None
    try:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations or not (spec.origin or "").endswith("__init__.py"):
            return None
        with open(spec.origin, encoding="utf-8") as source:
            lines = source.read().splitlines()
    except Exception:  # pylint: disable=broad-except  # any surprise means: use the plain import
        return None
    homes = {}
    for line in lines:
        if not line.startswith(("from ", "import ")) or line == "from __future__ import annotations":
            continue
        match = _MODEL_IMPORT_LINE.match(line)
        if not match or homes.setdefault(match.group(2), match.group(1)) != match.group(1):
            return None
    if not homes:
        return None
    stand_in = importlib.util.module_from_spec(spec)

    def __getattr__(name):
        if name not in homes:
            raise AttributeError("module %r has no attribute %r" % (package, name))
        value = getattr(importlib.import_module("." + homes[name], package), name)
        setattr(stand_in, name, value)
        return value

    def __dir__():
        return sorted(set(homes) | set(vars(stand_in)))

    stand_in.__getattr__ = __getattr__
    stand_in.__dir__ = __dir__
    sys.modules[package] = stand_in
    parent, dummy, name = package.rpartition(".")
    if parent:
        setattr(sys.modules[parent], name, stand_in)
    return stand_in


def _uninstall_lazy_models(stand_in):
    if stand_in is not None and sys.modules.get(stand_in.__name__) is stand_in:
        del sys.modules[stand_in.__name__]
        parent, dummy, name = stand_in.__name__.rpartition(".")
        if getattr(sys.modules.get(parent), name, None) is stand_in:
            delattr(sys.modules[parent], name)


# Importing the SDK creates a great many objects that live as long as the process (the ECS client class alone has
# about 2,400 methods). With the collector on, they set off full collections that scan the whole heap, during the
# import and again later in the task (about 0.05 s a task here). So the collector is paused for the import, and what
# exists after it is frozen (gc.freeze): a module runs in its own short-lived process, so nothing is kept longer.
_COLLECTING = gc.isenabled()
gc.disable()
try:
    _LAZY_MODELS = install_lazy_models()
    try:
        from alibabacloud_ecs20140526 import models as ecs_models
        from alibabacloud_ecs20140526.client import Client as EcsSdkClient
        from alibabacloud_tea_openapi.utils_models import Config
        from darabonba.runtime import RuntimeOptions
    except ImportError:
        _uninstall_lazy_models(_LAZY_MODELS)
        raise
    finally:
        if hasattr(gc, "freeze"):
            gc.freeze()
        if _COLLECTING:
            gc.enable()
except ImportError:
    HAS_SDK = False
    SDK_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_SDK = True
    SDK_IMPORT_ERROR = None

# The distributions this file imports (alibabacloud-credentials only when no keys are given).
SDK_PACKAGES = "alibabacloud-ecs20140526, alibabacloud-tea-openapi, darabonba-core and alibabacloud-credentials"
USER_AGENT = "AlibabaCloud-Ansible-Collection/alibabacloud.ecs"
CONNECT_TIMEOUT_MS = 5000
READ_TIMEOUT_MS = 10000
MAX_ITEMS_PER_CALL = 10
MAX_IDS_PER_DESCRIBE = 100
MAX_RESULTS_PER_PAGE = 500
CLI_CONFIG_FILE = os.path.join("~", ".aliyun", "config.json")

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
    """The credential for the SDK: None for the given keys, else a CLI profile's or the SDK's default chain's."""
    if params.get("access_key_id"):
        return None
    # Imported here: the credentials package is only needed when no keys are given.
    from alibabacloud_credentials.client import Client as CredentialClient

    if params.get("profile"):
        from alibabacloud_credentials.provider.cli_profile import CLIProfileCredentialsProvider

        config_file = os.path.expanduser(CLI_CONFIG_FILE)
        credential = CredentialClient(
            provider=CLIProfileCredentialsProvider(profile_name=params["profile"], profile_file=config_file)
        )
        try:
            credential.get_credential()
        except Exception as exc:  # pylint: disable=broad-except  # the provider raises several unrelated types
            raise _profile_error(params["profile"], config_file, exc)
        return credential
    credential = CredentialClient()
    try:
        credential.get_credential()
    except Exception as exc:  # pylint: disable=broad-except  # the chain raises several unrelated types
        raise EcsApiError("CredentialsNotFound", credential_chain_message(str(exc)))
    return credential


def _profile_error(profile, config_file, exc):
    """The EcsApiError for a CLI profile that gave no credentials, saying whether the profile is in the file."""
    try:
        with open(config_file, encoding="utf-8") as stream:
            names = [entry.get("name") for entry in json.load(stream).get("profiles") or [] if isinstance(entry, dict)]
    except (OSError, ValueError, AttributeError):
        names = None
    if names is None:
        return EcsApiError(
            "ProfileNotFound",
            "profile %r was given, but the Alibaba Cloud CLI configuration file %s cannot be read as JSON."
            % (profile, config_file),
        )
    if profile not in names:
        return EcsApiError(
            "ProfileNotFound",
            "profile %r was not found in %s (its profiles: %s)."
            % (profile, config_file, ", ".join(repr(name) for name in names) or "none"),
        )
    return EcsApiError(
        "CredentialsNotFound",
        "profile %r of %s gave no credentials: %s" % (profile, config_file, credential_chain_message(str(exc))),
    )


class EcsClient(object):
    """The ECS API calls this collection makes, each retried and each raising EcsApiError on failure.

    Each call builds the request model of alibabacloud-ecs20140526 and sends it with the ECS SDK client's
    ``*_with_options`` method; it returns the typed answer's body as a dict with the API's PascalCase keys.
    """

    def __init__(self, sdk_client, region, retry_policy=None, endpoint=None):
        self.sdk = sdk_client
        self.region = region
        self.retry_policy = retry_policy or RetryPolicy()
        # The endpoint option as scheme://host[:port], to name it in transport errors; None for the SDK's choice.
        self.endpoint = endpoint

    def _call(self, action, send, request, idempotent):
        def attempt():
            try:
                response = send(request, RuntimeOptions())
            except Exception as exc:  # pylint: disable=broad-except  # the SDK raises many unrelated types
                raise error_from_sdk(exc, action, self.endpoint)
            return response.body.to_map() if response.body is not None else {}

        return self.retry_policy.run(attempt, idempotent=idempotent)

    def describe_network_interface(self, network_interface_id):
        """DescribeNetworkInterfaceAttribute: the answer's body as a dict."""
        request = ecs_models.DescribeNetworkInterfaceAttributeRequest(
            region_id=self.region, network_interface_id=network_interface_id
        )
        return self._call(
            "DescribeNetworkInterfaceAttribute",
            self.sdk.describe_network_interface_attribute_with_options,
            request,
            idempotent=True,
        )

    def describe_network_interfaces(
        self,
        network_interface_ids=None,
        ipv6_addresses=None,
        tags=None,
        next_token=None,
        instance_id=None,
        v_switch_id=None,
        vpc_id=None,
        status=None,
        network_interface_type=None,
    ):
        """DescribeNetworkInterfaces, one page of at most 500: the answer's body as a dict.

        At most 100 ids and 100 addresses per call; at most 20 tags (a tag whose value is None matches any value).
        """
        request = ecs_models.DescribeNetworkInterfacesRequest(
            region_id=self.region,
            network_interface_id=list(network_interface_ids) if network_interface_ids else None,
            ipv_6address=list(ipv6_addresses) if ipv6_addresses else None,
            tag=(
                [ecs_models.DescribeNetworkInterfacesRequestTag(key=key, value=value) for key, value in tags.items()]
                if tags
                else None
            ),
            instance_id=instance_id,
            v_switch_id=v_switch_id,
            vpc_id=vpc_id,
            status=status,
            type=network_interface_type,
            max_results=MAX_RESULTS_PER_PAGE,
            next_token=next_token or None,
        )
        return self._call(
            "DescribeNetworkInterfaces", self.sdk.describe_network_interfaces_with_options, request, idempotent=True
        )

    def assign_ipv6(
        self,
        network_interface_id,
        addresses=None,
        address_count=None,
        prefixes=None,
        prefix_count=None,
        client_token=None,
    ):
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
        # With a ClientToken ECS applies a repeated call once, so a lost answer may be retried.
        return self._call(
            "AssignIpv6Addresses",
            self.sdk.assign_ipv_6addresses_with_options,
            request,
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
            "UnassignIpv6Addresses", self.sdk.unassign_ipv_6addresses_with_options, request, idempotent=False
        )


def connect(module, retry_policy=None):
    """Build the EcsClient for a module's connection options, or end the task with a clear failure.

    The ECS SDK client picks the endpoint for the region unless the endpoint option names one.
    """
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
    endpoint = None
    if params.get("endpoint"):
        config.protocol, config.endpoint = parse_endpoint(params["endpoint"])
        endpoint = "%s://%s" % (config.protocol, config.endpoint)
    return EcsClient(EcsSdkClient(config), params["region"], retry_policy, endpoint)
