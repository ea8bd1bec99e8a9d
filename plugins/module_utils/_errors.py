# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors of the ECS API, and the collection's own, as one exception with a sentence a user can act on.

Nothing here imports the SDK: _sdk.py turns what the SDK raises into these exceptions.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

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
        "The endpoint does not speak HTTPS on that port: if it serves plain HTTP, write http:// in endpoint "
        "(check http:// versus https://; an endpoint without a scheme means https://)."
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
    "SdkError": "The SDK failed in a way this collection does not know: please report it as a bug, with this message.",
    "InvalidNextToken": "ECS paged the ENI list in a loop: retry later, and report it if it persists.",
    "IncompleteAnswer": (
        "ECS kept answering AssignIpv6Addresses with fewer items than asked: run the task again, which counts what "
        "the ENI holds first; report it if it persists."
    ),
    "PrimaryEniNotFound": "Check instance_id and region: the instance must exist in that region.",
    "PrimaryEniAmbiguous": "Name the ENI with network_interface_id instead of instance_id.",
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
        if self.code.startswith("HttpError"):
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


class CollectionError(EcsApiError):
    """A failure that this collection names itself: ECS never sends these codes.

    No HTTP answer came: ConnectionFailed (nothing was sent), ConnectionLost, ReadTimeout, TlsHandshakeFailed,
    TlsCertificateInvalid. An answer that is not ECS's: HttpError<status> (an error status without an ECS code, such
    as a proxy's page), InvalidResponse (a body that is not JSON). No credentials: CredentialsNotFound,
    ProfileNotFound. SdkError: the SDK raised something this collection does not know. ECS answered, but not what
    the task needs: WaitTimeout, IncompleteAnswer, InvalidNextToken, PrimaryEniNotFound, PrimaryEniAmbiguous.
    """

    CODES = tuple(
        "ConnectionFailed ConnectionLost ReadTimeout TlsHandshakeFailed TlsCertificateInvalid InvalidResponse "
        "CredentialsNotFound ProfileNotFound SdkError WaitTimeout IncompleteAnswer InvalidNextToken PrimaryEniNotFound "
        "PrimaryEniAmbiguous".split()
    )

    def __init__(self, code, message, **details):
        if code not in self.CODES and not re.match(r"HttpError\d{3}\Z", code):
            raise ValueError("%r is not one of the collection's own error codes" % code)
        super(CollectionError, self).__init__(code, message, **details)


def fail_with_error(module, err, **result):
    """End the task with a failure that carries the ECS error code, message and request id."""
    module.fail_json(msg=err.describe(), error=err.to_result(), **result)
