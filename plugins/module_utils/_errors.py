# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors of the ECS API as one exception, with a sentence a user can act on.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Codes whose request ECS refused without applying it: sending it again is always safe.
THROTTLING_CODES = ("Throttling", "Throttling.User", "Throttling.Api", "Throttling.Resource", "Rejected.Throttling")
RETRY_SAFE_CODES = THROTTLING_CODES + (
    "OperationConflict",
    "Operation.Conflict",
    "SignatureNonceUsed",
    "ConnectionFailed",
)
# Codes after which a write may or may not have been applied: re-read before deciding.
AMBIGUOUS_CODES = ("ServiceUnavailable", "InternalError", "UnknownError", "ReadTimeout", "ConnectionLost")
# Codes that say the ENI or its instance is in a state that does not allow the write (yet).
STATE_CODES = ("InvalidOperation.InvalidEniState", "InvalidOperation.InvalidEcsState")

_RAM_HINT = (
    "The RAM user or role lacks a permission: grant it the ECS action named in the message "
    "(for example ecs:UnassignIpv6Addresses) on this ENI."
)
_THROTTLING_HINT = "ECS kept throttling the requests: lower the number of forks or hosts run at once, or retry later."
_TRANSIENT_HINT = "ECS kept failing with a temporary error: retry later."
_PARAMETER_HINT = "ECS refused a request parameter. If the task's options look right, please report this as a bug."

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
    "InvalidOperation.Ipv6CountExceeded": "More IPv6 addresses were asked for than the ENI may hold.",
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
    "Forbidden": _RAM_HINT,
    "NoPermission": _RAM_HINT,
    "ServiceUnavailable": _TRANSIENT_HINT,
    "InternalError": _TRANSIENT_HINT,
    "UnknownError": _TRANSIENT_HINT,
    "ConnectionFailed": "Could not connect to the ECS endpoint: check endpoint, region, network and proxy settings.",
    "ReadTimeout": "The ECS endpoint did not answer in time: retry later.",
    "ConnectionLost": "The connection to the ECS endpoint broke before an answer came: retry later.",
    "InvalidNextToken": "ECS paged the ENI list in a loop: retry later, and report it if it persists.",
    "CredentialsNotFound": (
        "No credentials were found: set access_key_id and access_key_secret (or the ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables), name a CLI profile with profile, or run on an ECS "
        "instance with a RAM role."
    ),
}
for _code in THROTTLING_CODES:
    HINTS[_code] = _THROTTLING_HINT

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
        if self.code in HINTS:
            return HINTS[self.code]
        if self.code.startswith("Forbidden") or self.code.startswith("NoPermission"):
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


def _transport_code(text):
    lowered = text.lower()
    if "read timed out" in lowered or "readtimeout" in lowered:
        return "ReadTimeout"
    if any(
        marker in lowered
        for marker in ("failed to establish a new connection", "connection refused", "connecttimeout", "connect timeout")
    ):
        return "ConnectionFailed"
    return "ConnectionLost"


def error_from_sdk(exc, action=None):
    """Turn whatever the SDK raised for one call into an EcsApiError.

    The SDK raises ClientException/ServerException/ThrottlingException for answers with an error status,
    and an UnretryableException wrapping the cause for transport and credential failures; both are read
    by their attributes so that this module does not import the SDK.
    """
    inner = getattr(exc, "inner_exception", None)
    if inner is not None and exc is not inner:
        return error_from_sdk(inner, action)

    code = getattr(exc, "code", None)
    status = getattr(exc, "status_code", None)
    data = getattr(exc, "data", None)
    if code and code != "None" and status is not None:
        message = None
        request_id = getattr(exc, "request_id", None)
        if isinstance(data, dict):
            message = data.get("Message") or data.get("message")
            request_id = data.get("RequestId") or data.get("requestId") or request_id
        if not message:
            message = _SERVER_MESSAGE_SUFFIX.sub("", _SERVER_MESSAGE_PREFIX.sub("", str(getattr(exc, "message", ""))))
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
    if name == "CredentialException":
        return EcsApiError("CredentialsNotFound", text, action=action)
    if code == "InvalidCredentials":
        return EcsApiError("CredentialsNotFound", text, action=action)
    if name in ("RetryError", "ConnectionError", "Timeout", "ReadTimeout", "ConnectTimeout", "OSError", "IOError"):
        return EcsApiError(_transport_code(text), text, action=action)
    return EcsApiError("SdkError", "%s: %s" % (name, text), action=action)


def fail_with_error(module, err, **result):
    """End the task with a failure that carries the ECS error code, message and request id."""
    module.fail_json(msg=err.describe(), error=err.to_result(), **result)
