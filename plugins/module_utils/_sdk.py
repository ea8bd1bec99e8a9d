# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The border with the ECS SDK: the only plugin file that imports it (and darabonba, Tea, requests, urllib3).

It builds the SDK client from the connection options and credentials, wraps each API call this collection makes,
and turns whatever the SDK raises into an EcsApiError, by exception class and cause chain.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import ast
import gc
import importlib
import importlib.util
import json
import os
import re
import socket
import ssl
import sys
import traceback
from collections import namedtuple
from http.client import RemoteDisconnected
from urllib.parse import urlsplit

from ansible.module_utils.basic import missing_required_lib
from ansible_collections.alibabacloud.ecs.plugins.module_utils._connection import (
    connection_problems,
    parse_endpoint,
    plain_http_warning,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import CollectionError, EcsApiError
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
        import requests
        import urllib3
        from alibabacloud_credentials.exceptions import CredentialException
        from alibabacloud_ecs20140526 import models as ecs_models
        from alibabacloud_ecs20140526.client import Client as EcsSdkClient
        from alibabacloud_tea_openapi.utils_models import Config
        from darabonba.exceptions import ResponseException, UnretryableException
        from darabonba.response import DaraResponse
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

# The distributions this file imports.
SDK_PACKAGES = "alibabacloud-ecs20140526, alibabacloud-tea-openapi, darabonba-core and alibabacloud-credentials"
USER_AGENT = "AlibabaCloud-Ansible-Collection/alibabacloud.ecs"
CONNECT_TIMEOUT_MS = 5000
READ_TIMEOUT_MS = 10000
MAX_IDS_PER_DESCRIBE = 100
MAX_RESULTS_PER_PAGE = 500
CLI_CONFIG_FILE = os.path.join("~", ".aliyun", "config.json")


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
        raise CollectionError("CredentialsNotFound", _credential_sentences(exc))
    return credential


def _profile_error(profile, config_file, exc):
    """The CollectionError for a CLI profile that gave no credentials, saying whether the profile is in the file."""
    try:
        with open(config_file, encoding="utf-8") as stream:
            names = [entry.get("name") for entry in json.load(stream).get("profiles") or [] if isinstance(entry, dict)]
    except (OSError, ValueError, AttributeError):
        names = None
    if names is None:
        return CollectionError(
            "ProfileNotFound",
            "profile %r was given, but the Alibaba Cloud CLI configuration file %s cannot be read as JSON."
            % (profile, config_file),
        )
    if profile not in names:
        return CollectionError(
            "ProfileNotFound",
            "profile %r was not found in %s (its profiles: %s)."
            % (profile, config_file, ", ".join(repr(name) for name in names) or "none"),
        )
    return CollectionError(
        "CredentialsNotFound",
        "profile %r of %s gave no credentials: %s" % (profile, config_file, _credential_sentences(exc)),
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
        warning = plain_http_warning(params["endpoint"])
        if warning:
            module.warn(warning)
    return EcsClient(EcsSdkClient(config), params["region"], retry_policy, endpoint)


def error_from_sdk(exc, action=None, endpoint=None):
    """Turn whatever the SDK raised for one call into an EcsApiError; a CollectionError when ECS sent no code.

    An answer with an error status and ECS's JSON comes as a ResponseException (ClientException, ServerException,
    ThrottlingException) that carries code, data and status. Anything else comes wrapped in an
    UnretryableException: its inner_exception is darabonba's RetryError for a request that got no answer (raised
    inside `except IOError`, so its __context__ is the requests exception, whose causes are urllib3's exception and
    the OSError under it), the parse error of a body that is not JSON, or a CredentialException. They are told apart
    by class along that chain, never by the wording of a message. endpoint (scheme://host[:port]) names the endpoint
    when the failed request does not.
    """
    if isinstance(exc, ResponseException) and exc.status_code is not None:
        return _answered_error(exc, action)
    chain = _cause_chain(exc)

    def first(classes):
        return next((link for link in chain if isinstance(link, classes)), None)

    if first(CredentialException) or getattr(exc, "code", None) == "InvalidCredentials":
        return CollectionError("CredentialsNotFound", _credential_sentences(first(CredentialException) or exc))
    if first(json.JSONDecodeError):
        return _not_json_error(exc, first(json.JSONDecodeError).doc, action)
    where = _failed_endpoint(first(requests.RequestException), endpoint)
    host_port = where.split("://", 1)[-1]
    os_error = next((link for link in chain if isinstance(link, OSError) and link.strerror), None)
    if first(ssl.SSLCertVerificationError):
        reason = "%s: %s" % (first(ssl.SSLError).reason, first(ssl.SSLError).verify_message)
        code, message = "TlsCertificateInvalid", "The TLS certificate of %s was refused (%s)." % (where, reason)
    elif first(urllib3.exceptions.SSLError):
        code, reason = "TlsHandshakeFailed", getattr(first(ssl.SSLError), "reason", None) or "not TLS"
        message = "The TLS handshake with %s failed (%s): it does not answer HTTPS there." % (where, reason)
    elif first(urllib3.exceptions.ReadTimeoutError):
        code, message = "ReadTimeout", "%s did not answer within %s s." % (host_port, READ_TIMEOUT_MS / 1000.0)
    elif first(urllib3.exceptions.ConnectTimeoutError):
        if first(ConnectionRefusedError):
            reason = "connection refused (nothing listens there)"
        elif first(socket.gaierror):
            reason = "its host name does not resolve (%s)" % first(socket.gaierror).strerror
        elif os_error is None or first(TimeoutError):
            reason = "no connection within %s s" % (CONNECT_TIMEOUT_MS / 1000.0)
        else:
            reason = _lower_first(os_error.strerror)
        code, message = "ConnectionFailed", "Could not connect to %s: %s." % (host_port, reason)
    elif first((requests.RequestException, urllib3.exceptions.HTTPError, OSError)):
        if first(RemoteDisconnected):
            reason = "the other end closed it without an answer"
        else:
            reason = _lower_first(os_error.strerror) if os_error else type(chain[-1]).__name__
        if where.startswith("http://"):
            reason += "; if that port serves HTTPS, use https:// in endpoint"
        code, message = "ConnectionLost", "The connection to %s broke before an answer came (%s)." % (host_port, reason)
    else:
        raised = exc.inner_exception if isinstance(exc, UnretryableException) else exc
        code, message = "SdkError", "%s: %s" % (type(raised).__name__, getattr(raised, "message", None) or raised)
    return CollectionError(code, message, action=action)


def _cause_chain(exc):
    """exc and what it wraps, outermost first: the SDK's inner_exception, else __cause__, else __context__."""
    chain = []
    while exc is not None and not any(exc is link for link in chain):
        chain.append(exc)
        inner = exc.inner_exception if isinstance(exc, UnretryableException) else None
        exc = inner or exc.__cause__ or exc.__context__
    return chain


def _failed_endpoint(request_error, endpoint):
    """scheme://host:port of the request that failed, else the endpoint option, else words that say so."""
    url = getattr(getattr(request_error, "request", None), "url", None)
    if not url:
        return endpoint or "the endpoint"
    parts = urlsplit(url)
    default_port = "" if parts.port else ":%d" % (443 if parts.scheme == "https" else 80)
    return "%s://%s%s" % (parts.scheme, parts.netloc, default_port)


def _lower_first(text):
    return text[:1].lower() + text[1:]


def _answered_error(exc, action):
    """The EcsApiError for an HTTP answer with an error status and a JSON (or XML) body."""
    status = exc.status_code
    data = dict(exc.data) if isinstance(exc.data, dict) else {}
    data.pop("statusCode", None)
    code = data.get("Code") or data.get("code")
    if not code:
        return CollectionError(
            "HttpError%d" % status,
            "The endpoint answered HTTP %d with JSON that has no ECS error code: %s"
            % (status, _shorten(json.dumps(data, sort_keys=True, separators=(",", ":")))),
            http_status=status,
            action=action,
        )
    retry_after = exc.retry_after
    return EcsApiError(
        code,
        data.get("Message") or data.get("message") or "HTTP %d without a message." % status,
        request_id=data.get("RequestId") or data.get("requestId") or None,
        http_status=status,
        retry_after=retry_after / 1000.0 if isinstance(retry_after, (int, float)) and retry_after > 0 else None,
        action=action,
    )


def _not_json_error(exc, body, action):
    """The CollectionError for an answer whose body is not JSON: HttpError<status>, or InvalidResponse."""
    status = _what_the_sdk_tells_only_in_text_or_frames(exc).status
    what = _excerpt(body)
    if status is None:
        return CollectionError("InvalidResponse", "The endpoint answered with %s." % what, action=action)
    code = "HttpError%d" % status if status >= 400 else "InvalidResponse"
    return CollectionError(
        code, "The endpoint answered HTTP %d with %s." % (status, what), http_status=status, action=action
    )


def _shorten(text, length=120):
    text = " ".join(text.split())
    return text[: length - 3] + "..." if len(text) > length else text


def _excerpt(body):
    text = _shorten(body or "")
    return "a body that is not JSON: %r" % text if text else "an empty body"


_PROVIDER_NAMES = {
    "EnvironmentVariableCredentialsProvider": "Environment variables",
    "OIDCRoleArnCredentialsProvider": "OIDC",
    "CLIProfileCredentialsProvider": "Alibaba Cloud CLI profile",
    "ProfileCredentialsProvider": "Credentials file",
    "EcsRamRoleCredentialsProvider": "ECS RAM role",
    "URLCredentialsProvider": "Credentials URI",
}


def _credential_sentences(exc):
    """A credential failure as sentences: for the default chain, one per provider it tried."""
    told = _what_the_sdk_tells_only_in_text_or_frames(exc)
    if told.credential_reasons is None:
        return _sentence(told.credential_text)
    sentences = ["No credentials were found in the SDK's default credential chain."]
    for provider, reason in told.credential_reasons:
        if provider in _PROVIDER_NAMES:
            sentences.append("%s: %s" % (_PROVIDER_NAMES[provider], _sentence(reason)))
        else:
            sentences.append(_sentence(reason if provider is None else "%s: %s" % (provider, reason)))
    return " ".join(sentences)


def _sentence(text):
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


_CREDENTIAL_CHAIN_PREFIX = "unable to load credentials from any of the providers in the chain:"


_ToldInTextOrFrames = namedtuple("_ToldInTextOrFrames", "status credential_text credential_reasons")


def _what_the_sdk_tells_only_in_text_or_frames(exc):
    """What the SDK does not carry in attributes, read from its frames and its text: THIS DEPENDS ON THE SDK VERSION.

    Written for darabonba-core 1.0.9, alibabacloud-tea-openapi 0.4.6 and alibabacloud-credentials 1.0.12; the
    contract test (tests/unit/plugins/module_utils/test_sdk_contract.py) fails when an upgrade changes any of it.
    - status: the HTTP status of an answer whose body is not JSON. The SDK raises a bare parse error and drops the
      answer, but its request loop still holds it (a DaraResponse) as a local variable of a frame in exc's traceback.
    - credential_text: the text of a credential failure, without the "$" the credentials file provider puts before
      paths; credential_reasons: for the default credential chain, whose text is "<prefix> ['Provider: reason', ...]",
      its [(provider class name, reason)] (the provider None for a reason of another form).
    """
    trace = exc.__traceback__
    while trace is not None:
        answer = next((value for value in trace.tb_frame.f_locals.values() if isinstance(value, DaraResponse)), None)
        if answer is not None and isinstance(answer.status_code, int):
            return _ToldInTextOrFrames(answer.status_code, None, None)
        trace = trace.tb_next
    text = re.sub(r"\$(?=[/~\\]|[A-Za-z]:)", "", str(getattr(exc, "message", None) or exc))
    reasons = None
    if text.startswith(_CREDENTIAL_CHAIN_PREFIX):
        try:
            listed = ast.literal_eval(text[len(_CREDENTIAL_CHAIN_PREFIX) :].strip())
        except (ValueError, SyntaxError):
            listed = None
        if isinstance(listed, list) and all(isinstance(reason, str) for reason in listed):
            reasons = [reason.partition(": ")[::2] if ": " in reason else (None, reason) for reason in listed]
    return _ToldInTextOrFrames(None, text, reasons)
