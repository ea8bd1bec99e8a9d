"""Server-side check of Alibaba Cloud's ACS3-HMAC-SHA256 request signature (V3 signature).

The client builds a canonical request::

    METHOD \\n canonical URI \\n canonical query \\n canonical headers \\n signed header list \\n sha256hex(body)

signs ``"ACS3-HMAC-SHA256\\n" + sha256hex(canonical request)`` with HMAC-SHA256 keyed by the AccessKey secret and
sends ``Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>``. The emulator
rebuilds the same string from what it received and compares.
"""

import calendar
import hashlib
import hmac
import time
import urllib.parse

from .errors import ApiError

ALGORITHM = "ACS3-HMAC-SHA256"
REQUIRED_SIGNED_HEADERS = (
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
)
MAX_CLOCK_SKEW_SECONDS = 15 * 60
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
STS_KEY_PREFIX = "STS."
# The two answers seen from ECS for temporary credentials, word for word.
MSG_MISSING_SECURITY_TOKEN = "SecurityToken is mandatory"
MSG_SECURITY_TOKEN_EXPIRED = 'The specified parameter "SecurityToken.Expired" is not valid.'


def sha256_hex(data):
    """Return the lowercase hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def percent_encode(text):
    """Percent-encode like the SDK: RFC 3986 unreserved characters stay, space becomes %20."""
    return urllib.parse.quote(text, safe="~")


def canonical_query_string(query_pairs):
    """Return the canonical query: keys sorted, ``key=value`` percent-encoded, joined with &."""
    params = dict(query_pairs)
    return "&".join("%s=%s" % (percent_encode(key), percent_encode(params[key])) for key in sorted(params))


def canonical_headers(signed_header_names, header_lookup):
    """Return the canonical header block for the signed headers; header_lookup(name) gives all values of a header."""
    lines = []
    for name in signed_header_names:
        values = sorted(value.strip() for value in header_lookup(name))
        lines.append("%s:%s\n" % (name, ",".join(values)))
    return "".join(lines)


def string_to_sign(method, path, query_pairs, signed_header_names, header_lookup, payload_hash):
    """Return the ACS3 string to sign for a request."""
    canonical_request = "\n".join(
        (
            method,
            path or "/",
            canonical_query_string(query_pairs),
            canonical_headers(signed_header_names, header_lookup),
            ";".join(signed_header_names),
            payload_hash,
        )
    )
    return "%s\n%s" % (ALGORITHM, sha256_hex(canonical_request.encode("utf-8")))


def compute_signature(secret, text):
    """Return hex(HMAC-SHA256(secret, text))."""
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(value):
    """Split an ACS3 Authorization header into (access_key_id, [signed headers], signature).

    Raises 400 IncompleteSignature when the header is not a complete ACS3-HMAC-SHA256 authorization.
    """
    algorithm, _sep, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise ApiError(
            400,
            "IncompleteSignature",
            "The request signature algorithm is not supported: the emulator only accepts %s." % ALGORITHM,
        )
    fields = {}
    for part in rest.split(","):
        key, sep, field_value = part.strip().partition("=")
        if sep:
            fields[key] = field_value.strip()
    if not fields.get("Credential") or not fields.get("SignedHeaders") or not fields.get("Signature"):
        raise ApiError(
            400, "IncompleteSignature", "The Authorization header must hold Credential, SignedHeaders and Signature."
        )
    signed = [name.strip().lower() for name in fields["SignedHeaders"].split(";") if name.strip()]
    return fields["Credential"], signed, fields["Signature"]


def parse_acs_date(value):
    """Return the epoch seconds of an x-acs-date value, or None when it is not in 2024-05-01T08:00:00Z form."""
    try:
        return calendar.timegm(time.strptime(value, DATE_FORMAT))
    except (TypeError, ValueError):
        return None


def verify_request(state, method, path, query_pairs, header_lookup, body, now=None):
    """Check a request's ACS3 signature, security token, timestamp and nonce; returns the AccessKey id.

    header_lookup(name) returns the list of values of a header (empty list when absent). Raises ApiError with the
    ECS error code on failure. The nonce is only remembered once everything else passed.
    """
    now = time.time() if now is None else now
    authorization = header_lookup("authorization")
    if not authorization:
        if any(key == "Signature" for key, _value in query_pairs):
            raise ApiError(
                400,
                "IncompleteSignature",
                "Signature version 1 (Signature in the query) is not supported: sign with %s." % ALGORITHM,
            )
        raise ApiError(
            400,
            "MissingAuthorization",
            "The Authorization header that is mandatory for processing this request is not supplied.",
        )
    access_key_id, signed_headers, signature = parse_authorization(authorization[0])
    must_sign = list(REQUIRED_SIGNED_HEADERS)
    if header_lookup("x-acs-security-token"):
        must_sign.append("x-acs-security-token")
    for name in must_sign:
        if name not in signed_headers:
            raise ApiError(400, "IncompleteSignature", 'The header "%s" must be signed.' % name)
        if not header_lookup(name):
            raise ApiError(400, "IncompleteSignature", 'The signed header "%s" is missing from the request.' % name)

    if access_key_id.startswith(STS_KEY_PREFIX) and not header_lookup("x-acs-security-token"):
        raise ApiError(400, "MissingSecurityToken", MSG_MISSING_SECURITY_TOKEN)
    credential = state.lookup_credential(access_key_id)
    if credential is None:
        raise ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    secret, required_token = credential

    payload_hash = header_lookup("x-acs-content-sha256")[0].strip().lower()
    if not hmac.compare_digest(payload_hash, sha256_hex(body)):
        raise ApiError(
            400,
            "SignatureDoesNotMatch",
            "The x-acs-content-sha256 header does not match the SHA-256 of the request body.",
        )
    expected = compute_signature(
        secret, string_to_sign(method, path, query_pairs, signed_headers, header_lookup, payload_hash)
    )
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise ApiError(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation.")

    if required_token is not None:
        sent_tokens = header_lookup("x-acs-security-token")
        if not sent_tokens or not hmac.compare_digest(
            sent_tokens[0].strip().encode("utf-8"), required_token.encode("utf-8")
        ):
            raise ApiError(
                400,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
            )
        if state.sts_token_expired(access_key_id):
            raise ApiError(400, "InvalidParameter", MSG_SECURITY_TOKEN_EXPIRED)

    signed_at = parse_acs_date(header_lookup("x-acs-date")[0].strip())
    if signed_at is None:
        raise ApiError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
    if abs(now - signed_at) > MAX_CLOCK_SKEW_SECONDS:
        raise ApiError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    if not state.use_nonce(header_lookup("x-acs-signature-nonce")[0].strip(), now):
        raise ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
    return access_key_id
