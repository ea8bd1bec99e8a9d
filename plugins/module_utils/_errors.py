# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors of the ECS API as one exception, with a sentence a user can act on.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import ast
import json
import re

# Codes whose request ECS refused without applying it: sending it again is always safe.
THROTTLING_CODES = ("Throttling", "Throttling.User", "Throttling.Api", "Throttling.Resource", "Rejected.Throttling")
RETRY_SAFE_CODES = THROTTLING_CODES + (
    "OperationConflict",
    "Operation.Conflict",
    "SignatureNonceUsed",
    "ConnectionFailed",
    "HttpError429",
)
# Codes after which a write may or may not have been applied: re-read before deciding. A HttpError<status> of 500
# or more (an answer that is not ECS's JSON, from ECS or a proxy in front of it) counts too, by its status.
AMBIGUOUS_CODES = (
    "ServiceUnavailable",
    "InternalError",
    "UnknownError",
    "ReadTimeout",
    "ConnectionLost",
    "InvalidResponse",
)
# Codes that say the ENI or its instance is in a state that does not allow the write (yet).
STATE_CODES = ("InvalidOperation.InvalidEniState", "InvalidOperation.InvalidEcsState")

_RAM_HINT = (
    "The RAM user or role lacks a permission: grant it the ECS action named in the message "
    "(for example ecs:UnassignIpv6Addresses) on this ENI."
)
_THROTTLING_HINT = "ECS kept throttling the requests: lower the number of forks or hosts run at once, or retry later."
_TRANSIENT_HINT = "ECS kept failing with a temporary error: retry later."
_PARAMETER_HINT = "ECS refused a request parameter. If the task's options look right, please report this as a bug."
_STS_EXPIRED_HINT = (
    "The STS security token has expired: get new temporary credentials (access_key_id, access_key_secret and "
    "security_token together)."
)
_HTTP_ERROR_HINT = (
    "The endpoint answered with an HTTP error page instead of an ECS answer: check endpoint, and any proxy between "
    "this host and ECS (HTTPS_PROXY, HTTP_PROXY)."
)
_HTTP_SERVER_ERROR_HINT = (
    "The endpoint, or a proxy in front of it, answered with an HTTP error page instead of an ECS answer: retry "
    "later, and check endpoint and any proxy (HTTPS_PROXY, HTTP_PROXY) if it persists."
)

HINTS = {
    "InvalidEniId.NotFound": "No ENI with this id exists in this region: check network_interface_id and region.",
    "InvalidParams.EniId": "The ENI id is malformed: check network_interface_id.",
    "InvalidOperation.InvalidEniState": "The ENI must be Available or InUse; set wait: true to wait for it to settle.",
    "InvalidOperation.InvalidEcsState": (
        "The instance the ENI is attached to must be Running or Stopped; set wait: true to wait for it to settle."
    ),
    "InvalidOperation.InvalidEniType": "This kind of ENI does not support IPv6 address operations.",
    "InvalidOperation.EniServiceManaged": "The ENI is managed by another Alibaba Cloud service; change it there.",
    "InvalidIp.IpUnassigned": "The address is not assigned to this ENI.",
    "InvalidIp.IpRepeated": "An address appears twice in one request.",
    "InvalidIp.Address": "An address is not a valid IPv6 address of the ENI's vSwitch.",
    "InvalidIp.IpAssigned": "An address is already assigned to this or another ENI: pick a free address.",
    "MaxEniIpv6IpsCountExceeded": (
        "The ENI cannot hold more IPv6 addresses: release some first, or use an instance type with a larger quota."
    ),
    "InvalidVSwitch.Ipv6NotTurnOn": "IPv6 is not enabled on the ENI's vSwitch: enable it on the vSwitch first.",
    "InvalidOperation.Ipv6NotSupport": "The ENI's instance type does not support IPv6.",
    "InvalidOperation.Ipv6CountExceeded": (
        "The IPv6 address quota is full: the ENI (or its instance type) cannot hold that many IPv6 addresses. Release "
        "some first, ask for fewer, or use an instance type with a larger quota (EniIpv6AddressQuantity)."
    ),
    "InvalidVSwitchId.IpInvalid": (
        "An address is not inside the IPv6 CIDR block of the ENI's vSwitch: pick addresses from that block, or use "
        "ipv6_address_count to let ECS choose."
    ),
    "IdempotentParameterMismatch": (
        "ECS has seen this call's ClientToken before with other parameters, so it refused the call. The token is "
        "new for each run; run the task again, and report it if it persists."
    ),
    "MissingSecurityToken": (
        "This AccessKey ID belongs to temporary (STS) credentials, which need their security token: give "
        "security_token (or ALIBABA_CLOUD_SECURITY_TOKEN) with access_key_id and access_key_secret."
    ),
    "MissingParameter": _PARAMETER_HINT,
    "InvalidParameter": _PARAMETER_HINT,
    "UnsupportedParameter": _PARAMETER_HINT,
    "Forbidden.RegionId": "This account may not use ECS in this region: check region.",
    "InvalidRegionId.NotFound": "The region does not exist: check region.",
    "InvalidRegionId.MalFormed": "The region is malformed: check region.",
    "InvalidUserType.NotSupported": "This account type may not use IPv6 on ENIs.",
    "OperationConflict": "Another operation on this ENI or its instance is in progress: retry later.",
    "Operation.Conflict": "Another operation on this ENI or its instance is in progress: retry later.",
    "SignatureDoesNotMatch": "The AccessKey secret does not match the AccessKey ID: check access_key_secret.",
    "IncompleteSignature": "The request signature is incomplete: check access_key_id and access_key_secret.",
    "MissingAuthorization": "No credentials were sent: give access_key_id and access_key_secret.",
    "InvalidAccessKeyId.NotFound": "The AccessKey ID does not exist: check access_key_id.",
    "InvalidAccessKeyId.Inactive": "The AccessKey is disabled: enable it or use another one.",
    "InvalidSecurityToken.Expired": "The STS security token has expired: get a new one.",
    "InvalidSecurityToken.Malformed": "The STS security token is malformed: check security_token.",
    "InvalidSecurityToken.MismatchWithAccessKey": (
        "The STS security token does not belong to this AccessKey ID: check security_token and access_key_id."
    ),
    "InvalidTimeStamp.Expired": "The managed node's clock is off: synchronise it (NTP) and retry.",
    "SignatureNonceUsed": "A request was replayed: retry the task.",
    "Forbidden.RAM": _RAM_HINT,
    "Forbidden.NotSupportRAM": _RAM_HINT,
    "Forbidden.SubUser": _RAM_HINT,
    "Forbedden.NotSupportRAM": _RAM_HINT,
    "Forbbiden.SubUser": _RAM_HINT,
    "Forbidden": _RAM_HINT,
    "NoPermission": _RAM_HINT,
    "ServiceUnavailable": _TRANSIENT_HINT,
    "InternalError": _TRANSIENT_HINT,
    "UnknownError": _TRANSIENT_HINT,
    "ConnectionFailed": "Could not connect to the ECS endpoint: check endpoint, region, network and proxy settings.",
    "TlsHandshakeFailed": (
        "The endpoint does not speak HTTPS on that port: check http:// versus https:// in endpoint (a host name "
        "without a scheme means https://)."
    ),
    "TlsCertificateInvalid": (
        "The endpoint's TLS certificate was refused: check that endpoint names the host the certificate is for, "
        "and any proxy that intercepts TLS."
    ),
    "InvalidResponse": (
        "The endpoint answered something that is not an ECS answer: check endpoint and any proxy (HTTPS_PROXY, "
        "HTTP_PROXY); retry later if it persists."
    ),
    "ReadTimeout": "The ECS endpoint did not answer in time: retry later.",
    "ConnectionLost": "The connection to the ECS endpoint broke before an answer came: retry later.",
    "InvalidNextToken": "ECS paged the ENI list in a loop: retry later, and report it if it persists.",
    "IncompleteAnswer": (
        "ECS kept answering AssignIpv6Addresses with fewer items than asked: run the task again, which counts what "
        "the ENI holds first; report it if it persists."
    ),
    "WaitTimeout": (
        "Raise wait_timeout if ECS is slow to settle or to show the change, or run the task again later; what the "
        "task changed before it gave up is in the result."
    ),
    "CredentialsNotFound": (
        "Set access_key_id and access_key_secret (or the ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables), name a profile of the Alibaba Cloud CLI with "
        "profile, or run on an ECS instance with a RAM role."
    ),
    "ProfileNotFound": (
        "Check profile against the profiles of the Alibaba Cloud CLI (aliyun configure list), or give "
        "access_key_id and access_key_secret instead."
    ),
}
for _code in THROTTLING_CODES:
    HINTS[_code] = _THROTTLING_HINT

# The RAM codes as ECS spells them, misspellings included (the API reference lists Forbedden.NotSupportRAM and
# Forbbiden.SubUser).
_RAM_CODE_PREFIXES = ("Forbidden", "Forbedden", "Forbbiden", "NoPermission")
_HTTP_ERROR_CODE = re.compile(r"^HttpError\d{3}\Z")
_SERVER_MESSAGE_PREFIX = re.compile(r"^code: \d+, ")
_SERVER_MESSAGE_SUFFIX = re.compile(r" request id: \S*$")
# Error text from the SDK's credential chain can quote a line of a credentials file (configparser does) or a
# credential assignment: such text never reaches the user as it is.
_QUOTED_FILE_LINE = re.compile(r"""(\[line\s*\d+\]:\s*)(['"])(?:\\.|(?!\2).)*\2""")
_SECRET_ASSIGNMENT = re.compile(
    r"""(?i)((?:access_?key_?secret|secret_?key|security_?token|password)['"]?\s*[:=]\s*['"]?)[^\s'",\\]+"""
)


def redact(text):
    """The text without quoted credentials-file lines and credential values (each becomes ********)."""
    if not isinstance(text, str):
        return text
    text = _QUOTED_FILE_LINE.sub(r"\1********", text)
    return _SECRET_ASSIGNMENT.sub(r"\1********", text)


class EcsApiError(Exception):
    """One failed ECS API call, whatever the SDK raised: code, message, request id and HTTP status."""

    def __init__(self, code, message, request_id=None, http_status=None, retry_after=None, action=None):
        message = redact(message)
        super(EcsApiError, self).__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.retry_after = retry_after
        self.action = action
        self.attempts = 1
        # Set by RetryPolicy when it stopped retrying this call at its bound: the caller must not send it again.
        self.retries_exhausted = False

    @property
    def retry_safe(self):
        """ECS refused the request without applying it, so sending it again is safe."""
        return self.code in RETRY_SAFE_CODES or self.code.startswith("Throttling")

    @property
    def ambiguous(self):
        """The request may or may not have been applied (lost answer or server failure)."""
        if self.code in AMBIGUOUS_CODES:
            return True
        return self.http_status is not None and self.http_status >= 500 and not self.retry_safe

    @property
    def hint(self):
        """A sentence that tells the user what to do about this error."""
        if self.code == "InvalidParameter" and "SecurityToken.Expired" in (self.message or ""):
            return _STS_EXPIRED_HINT
        if self.code in HINTS:
            return HINTS[self.code]
        if _HTTP_ERROR_CODE.match(self.code):
            return _HTTP_SERVER_ERROR_HINT if self.http_status and self.http_status >= 500 else _HTTP_ERROR_HINT
        if self.code.startswith(_RAM_CODE_PREFIXES):
            return _RAM_HINT
        return None

    def to_result(self):
        """The error as the module's returned C(error) dictionary."""
        return {
            "code": self.code,
            "message": self.message,
            "request_id": self.request_id,
            "http_status": self.http_status,
        }

    def describe(self):
        """The failure message: the code first, then the server's message, the request id and what to do."""
        text = "%s: %s" % (self.code, self.message)
        if self.action:
            text += " (action %s" % self.action
            text += ", request id %s)" % self.request_id if self.request_id else ")"
        elif self.request_id:
            text += " (request id %s)" % self.request_id
        if self.attempts > 1:
            text += " Gave up after %d attempts." % self.attempts
        if self.hint:
            text += " " + self.hint
        return text


_POOL_ORIGIN = re.compile(r"(HTTPS?)ConnectionPool\(host=\\?'([^'\\]*)\\?', port=(\d+)\)")
_ERRNO_REASON = re.compile(r"\[Errno -?\d+\] ([^'\"\\)]+)|[A-Za-z]+Error\(-?\d+, '([^']+)'\)")
_SSL_REASON = re.compile(r"\[SSL(?:: [A-Z0-9_]+)?\] [^'\"\\(]*[^'\"\\( ]")
_TIMEOUT_SECONDS = re.compile(r"(read|connect) timeout=([0-9.]+)")
# TLS alerts that mean the other end does not speak TLS at all: most often http versus https.
_NOT_TLS_MARKERS = (
    "WRONG_VERSION_NUMBER",
    "RECORD_LAYER_FAILURE",
    "HTTP_REQUEST",
    "UNKNOWN_PROTOCOL",
    "PACKET_LENGTH_TOO_LONG",
    "wrong version number",
    "record layer failure",
)
_CERTIFICATE_MARKERS = ("CERTIFICATE_VERIFY_FAILED", "certificate verify failed", "doesn't match", "Hostname mismatch")
_CHAIN_PREFIX = "unable to load credentials from any of the providers in the chain:"
_PROVIDER_NAMES = {
    "EnvironmentVariableCredentialsProvider": "Environment variables",
    "OIDCRoleArnCredentialsProvider": "OIDC",
    "CLIProfileCredentialsProvider": "Alibaba Cloud CLI profile",
    "ProfileCredentialsProvider": "Credentials file",
    "EcsRamRoleCredentialsProvider": "ECS RAM role",
    "URLCredentialsProvider": "Credentials URI",
}


def _sentence(text):
    text = re.sub(r"\$(?=[/~\\]|[A-Za-z]:)", "", text.strip())
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def credential_chain_message(text):
    """The SDK credential chain's failure as sentences: one per provider it tried, without its list syntax."""
    if not text.startswith(_CHAIN_PREFIX):
        return _sentence(text)
    try:
        reasons = ast.literal_eval(text[len(_CHAIN_PREFIX) :].strip())
    except (ValueError, SyntaxError):
        reasons = None
    if not isinstance(reasons, list) or not all(isinstance(reason, str) for reason in reasons):
        return _sentence(text)
    sentences = ["No credentials were found in the SDK's default credential chain."]
    for reason in reasons:
        provider, separator, detail = reason.partition(": ")
        if separator and provider in _PROVIDER_NAMES:
            sentences.append("%s: %s" % (_PROVIDER_NAMES[provider], _sentence(detail)))
        else:
            sentences.append(_sentence(reason))
    return " ".join(sentences)


def _errno_reason(match):
    return (match.group(1) or match.group(2)).strip()


def _transport_error(text, action, endpoint=None):
    """The EcsApiError for a request that got no HTTP answer, naming the endpoint and the cause in plain words."""
    origin = _POOL_ORIGIN.search(text)
    where = endpoint or "the endpoint"
    if origin:
        scheme, host, port = origin.groups()
        where = "%s://%s:%s" % (scheme.lower(), host, port)
    plain_http = where.startswith("http://")
    ssl_reason = _SSL_REASON.search(text)
    if ssl_reason and any(marker in text for marker in _NOT_TLS_MARKERS):
        return EcsApiError(
            "TlsHandshakeFailed",
            "The TLS handshake with %s failed (%s): it does not answer HTTPS there." % (where, ssl_reason.group(0)),
            action=action,
        )
    if ssl_reason and any(marker in text for marker in _CERTIFICATE_MARKERS):
        return EcsApiError(
            "TlsCertificateInvalid",
            "The TLS certificate of %s was refused (%s)." % (where, ssl_reason.group(0)),
            action=action,
        )
    where = where.split("://", 1)[-1]
    lowered = text.lower()
    timeout = _TIMEOUT_SECONDS.search(text)
    if "read timed out" in lowered or "readtimeout" in lowered:
        waited = " within %s s" % timeout.group(2) if timeout and timeout.group(1) == "read" else ""
        return EcsApiError("ReadTimeout", "%s did not answer%s." % (where, waited), action=action)
    errno_reason = _ERRNO_REASON.search(text)
    if "connection refused" in lowered:
        message = "Could not connect to %s: connection refused (nothing listens there)." % where
    elif "failed to resolve" in lowered or "nameresolutionerror" in lowered:
        reason = _errno_reason(errno_reason) if errno_reason else "name resolution failed"
        message = "Could not connect to %s: its host name does not resolve (%s)." % (where, reason)
    elif "connecttimeout" in lowered or "connect timeout" in lowered:
        waited = " within %s s" % timeout.group(2) if timeout and timeout.group(1) == "connect" else ""
        message = "Could not connect to %s: no connection%s." % (where, waited)
    elif "failed to establish a new connection" in lowered:
        reason = _errno_reason(errno_reason) if errno_reason else "unknown reason"
        message = "Could not connect to %s: %s." % (where, reason[:1].lower() + reason[1:])
    else:
        if errno_reason:
            reason = _errno_reason(errno_reason)
            reason = reason[:1].lower() + reason[1:]
        elif "remotedisconnected" in lowered or "without response" in lowered:
            reason = "the other end closed it without an answer"
        else:
            reason = text
        if plain_http:
            reason += "; if that port serves HTTPS, use https:// in endpoint"
        return EcsApiError(
            "ConnectionLost", "The connection to %s broke before an answer came (%s)." % (where, reason), action=action
        )
    return EcsApiError("ConnectionFailed", message, action=action)


def _http_answer(exc):
    """The HTTP answer (status and body) that the SDK was reading when it raised exc, or None.

    The SDK raises a bare parse error, without the status, for an answer whose body is not JSON (a proxy's HTML
    error page, an empty body). The answer is still a local of the SDK frame that read it: it is found in the
    exception's traceback by its shape (an int status_code and a headers dict), not by a variable name.
    """
    trace = getattr(exc, "__traceback__", None)
    while trace is not None:
        for value in list(trace.tb_frame.f_locals.values()):
            status = getattr(value, "status_code", None)
            if isinstance(status, int) and 100 <= status <= 599 and isinstance(getattr(value, "headers", None), dict):
                return status, getattr(value, "body", None)
        trace = trace.tb_next
    return None


def _shorten(text, length=120):
    text = " ".join(text.split())
    return text[: length - 3] + "..." if len(text) > length else text


def _excerpt(body):
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    text = _shorten(str(body or ""))
    return "a body that is not JSON: %r" % text if text else "an empty body"


def _invalid_answer_error(exc, action):
    answer = _http_answer(exc)
    if answer is None:
        text = str(getattr(exc, "message", None) or exc)
        return EcsApiError("InvalidResponse", "The endpoint's answer is not JSON (%s)." % text[:200], action=action)
    status, body = answer
    code = "HttpError%d" % status if status >= 400 else "InvalidResponse"
    return EcsApiError(
        code, "The endpoint answered HTTP %d with %s." % (status, _excerpt(body)), http_status=status, action=action
    )


def error_from_sdk(exc, action=None, endpoint=None):
    """Turn whatever the SDK raised for one call into an EcsApiError.

    The SDK raises ClientException/ServerException/ThrottlingException for answers with an error status and a
    JSON body, and an UnretryableException wrapping the cause for transport, parse and credential failures; both
    are read by their attributes so that this module does not import the SDK. Codes for failures without an ECS
    code: ConnectionFailed, ConnectionLost, ReadTimeout, TlsHandshakeFailed, TlsCertificateInvalid, HttpError<status>
    (an error status whose body is not ECS's JSON), InvalidResponse (a body that is not JSON), CredentialsNotFound;
    SdkError for anything else. endpoint, as the user gave it, names the endpoint when the SDK's text does not.
    """
    inner = getattr(exc, "inner_exception", None)
    if inner is not None and exc is not inner:
        return error_from_sdk(inner, action, endpoint)

    code = getattr(exc, "code", None)
    status = getattr(exc, "status_code", None)
    data = getattr(exc, "data", None)
    if status is not None:
        message = None
        request_id = getattr(exc, "request_id", None)
        if isinstance(data, dict):
            message = data.get("Message") or data.get("message")
            request_id = data.get("RequestId") or data.get("requestId") or request_id
        if not message:
            message = _SERVER_MESSAGE_SUFFIX.sub("", _SERVER_MESSAGE_PREFIX.sub("", str(getattr(exc, "message", ""))))
        if not code or code == "None":
            # An error status with a JSON body that carries no ECS code: not an answer of ECS itself.
            code = "HttpError%d" % status
            if isinstance(data, dict):
                data = dict((key, value) for key, value in data.items() if key != "statusCode")
            message = "The endpoint answered HTTP %d with JSON that has no ECS error code: %s" % (
                status,
                _shorten(json_text(data)),
            )
        retry_after = getattr(exc, "retry_after", None)
        return EcsApiError(
            code,
            message,
            request_id=None if request_id in (None, "None", "") else request_id,
            http_status=status,
            retry_after=retry_after / 1000.0 if isinstance(retry_after, (int, float)) and retry_after > 0 else None,
            action=action,
        )

    name = type(exc).__name__
    text = str(getattr(exc, "message", None) or exc)
    if name == "CredentialException" or code == "InvalidCredentials":
        return EcsApiError("CredentialsNotFound", credential_chain_message(text), action=action)
    if name in (
        "RetryError",
        "ConnectionError",
        "Timeout",
        "ReadTimeout",
        "ConnectTimeout",
        "SSLError",
        "OSError",
        "IOError",
    ):
        return _transport_error(text, action, endpoint)
    if name in ("RuntimeError", "JSONDecodeError", "ValueError") and "json" in text.lower():
        return _invalid_answer_error(exc, action)
    return EcsApiError("SdkError", "%s: %s" % (name, text), action=action)


def json_text(data):
    """Data of an answer as compact text, for a message."""
    try:
        return json.dumps(data, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return str(data)


def fail_with_error(module, err, **result):
    """End the task with a failure that carries the ECS error code, message and request id."""
    module.fail_json(msg=err.describe(), error=err.to_result(), **result)


class CollectionError(EcsApiError):
    """A failure the collection names itself, with a code ECS never sends."""
