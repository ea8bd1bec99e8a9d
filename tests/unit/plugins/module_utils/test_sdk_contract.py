# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract of the SDK border (_sdk.py) with the installed SDK: the real SDK client, built by connect(), against
the ECS emulator's faults and throwaway servers on 127.0.0.1.

Each case asserts the code the user gets, the key words of its message and how often the call was sent. When an
SDK, requests or urllib3 upgrade changes what the SDK raises, these tests fail instead of the user getting a vaguer
error. Retries sleep on a fake clock; time is only bounded loosely, attempts are counted.
"""

import datetime
import os
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk
from ansible_collections.alibabacloud.ecs.plugins.module_utils._connection import CONNECTION_ARGUMENT_SPEC
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import CollectionError, EcsApiError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import MAX_ATTEMPTS, RetryPolicy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "emulator"))
from ecs_emulator.control import start_emulator  # noqa: E402  pylint: disable=wrong-import-position

ENI = "eni-test0001"
HTML_502 = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center>nginx</center></body></html>\r\n"


class Clock(object):
    """A clock that the policy's sleeps move forward, on top of the real time the calls take."""

    def __init__(self):
        self.slept = 0.0
        self.started = time.monotonic()

    def sleep(self, seconds):
        self.slept += seconds

    def now(self):
        return time.monotonic() - self.started + self.slept


class Module(object):
    def __init__(self, **params):
        self.params = dict(
            dict.fromkeys(CONNECTION_ARGUMENT_SPEC),
            region="cn-hangzhou",
            access_key_id="LTAIunit",
            access_key_secret="unit-secret",
        )
        self.params.update(params)

    def fail_json(self, **result):
        raise AssertionError("connect() failed: %r" % (result,))


def client_for(endpoint, clock=None, **keys):
    clock = clock or Clock()
    policy = RetryPolicy(sleep=clock.sleep, clock=clock.now)
    return _sdk.connect(Module(endpoint=endpoint, **keys), retry_policy=policy)


def failure_of(call, *args, **kwargs):
    """The EcsApiError that call(*args, **kwargs) raised."""
    with pytest.raises(EcsApiError) as raised:
        call(*args, **kwargs)
    return raised.value


class Answers(BaseHTTPRequestHandler):
    """Answers every request with the server's (status, content type, body); counts the requests."""

    def do_POST(self):  # noqa: N802  pylint: disable=invalid-name
        self.server.hits += 1
        status, content_type, body = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


def serve(httpd):
    httpd.hits = 0
    httpd.answer = (200, "application/json", b'{"RequestId": "R"}')
    thread = threading.Thread(target=httpd.serve_forever, kwargs=dict(poll_interval=0.05), daemon=True)
    thread.start()
    return httpd


@pytest.fixture
def server():
    """A plain-HTTP server on 127.0.0.1 whose answer a test sets; it answers a TLS hello with an HTTP 400."""
    httpd = serve(ThreadingHTTPServer(("127.0.0.1", 0), Answers))
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def emulator():
    """The ECS emulator (plain HTTP; it closes the connection on a TLS hello)."""
    emu = start_emulator()
    yield emu
    emu.stop()


@pytest.fixture
def emulated(emulator):
    """The emulator without faults, and a function that makes a client for it with its keys."""
    emulator.control.reset()

    def client(endpoint=None, clock=None):
        return client_for(
            endpoint or "http://127.0.0.1:%d" % emulator.port,
            clock,
            access_key_id=emulator.access_key_id,
            access_key_secret=emulator.access_key_secret,
        )

    client.emulator = emulator
    client.control = emulator.control
    yield client
    emulator.control.clear_faults()


@pytest.fixture
def closed_port():
    """A loopback port that refuses connections: bound, so nothing else takes it, but never listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


class ResettingServer(object):
    """A loopback server that reads each request, then resets the connection (RST, no answer); counts requests."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.hits = 0
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            try:
                connection, address = self.listener.accept()
            except OSError:
                return
            self.hits += 1
            connection.recv(65536)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            connection.close()


@pytest.fixture
def resetting_server():
    resetting = ResettingServer()
    yield resetting
    resetting.listener.close()


def assert_a_tls_mismatch(err, port):
    """A TLS handshake with a server that does not speak TLS: named, not retried, and told to write http://."""
    message = err.describe()
    assert isinstance(err, CollectionError)
    assert (err.code, err.attempts, err.retry_safe, err.ambiguous) == ("TlsHandshakeFailed", 1, False, False)
    assert message.startswith("TlsHandshakeFailed: The TLS handshake with https://127.0.0.1:%d failed" % port)
    assert "write http:// in endpoint" in message and "http:// versus https://" in message
    assert "ConnectionPool" not in message and "retry later" not in message and "ConnectionLost" not in message


@pytest.mark.parametrize("scheme", ["", "https://"])
def test_https_to_a_server_that_answers_the_tls_hello_with_plain_http(server, scheme):
    port = server.server_address[1]
    started = time.monotonic()
    err = failure_of(_sdk.connect(Module(endpoint="%s127.0.0.1:%d" % (scheme, port))).describe_network_interface, ENI)
    assert time.monotonic() - started < 5
    assert_a_tls_mismatch(err, port)


@pytest.mark.parametrize("scheme", ["", "https://"])
def test_https_to_a_server_that_closes_on_the_tls_hello(emulated, scheme):
    port = emulated.emulator.port
    started = time.monotonic()
    err = failure_of(emulated("%s127.0.0.1:%d" % (scheme, port)).describe_network_interface, ENI)
    assert time.monotonic() - started < 5
    assert_a_tls_mismatch(err, port)
    assert "EOF" in err.message


def test_a_closed_port_names_host_and_port_and_stops_retrying_within_about_10_seconds(closed_port):
    clock = Clock()
    err = failure_of(client_for("http://127.0.0.1:%d" % closed_port, clock).describe_network_interface, ENI)

    message = err.describe()
    assert err.code == "ConnectionFailed" and err.retries_exhausted
    assert message.startswith("ConnectionFailed: Could not connect to 127.0.0.1:%d: connection refused" % closed_port)
    for pool_text in ("ConnectionPool", "Max retries exceeded", "NewConnectionError", "urllib3", "<"):
        assert pool_text not in message
    assert 1 < err.attempts < MAX_ATTEMPTS
    assert clock.now() <= 10.5


def test_a_closed_port_is_retried_for_a_write_too_since_nothing_was_sent(closed_port):
    err = failure_of(client_for("http://127.0.0.1:%d" % closed_port).unassign_ipv6, ENI, addresses=["2408::1"])
    assert err.code == "ConnectionFailed" and err.attempts > 1


def test_a_reset_connection_is_a_lost_connection_retried_for_reads_only(resetting_server):
    port = resetting_server.port
    err = failure_of(client_for("http://127.0.0.1:%d" % port).describe_network_interface, ENI)
    assert (err.code, err.ambiguous, err.attempts, resetting_server.hits) == (
        "ConnectionLost",
        True,
        MAX_ATTEMPTS,
        MAX_ATTEMPTS,
    )
    assert "The connection to 127.0.0.1:%d broke before an answer came (connection reset by peer" % port in err.message
    assert "use https:// in endpoint" in err.message

    err = failure_of(client_for("http://127.0.0.1:%d" % port).unassign_ipv6, ENI, addresses=["2408::1"])
    assert (err.code, err.attempts, resetting_server.hits) == ("ConnectionLost", 1, MAX_ATTEMPTS + 1)


def test_a_connection_closed_without_an_answer_is_a_lost_connection(emulated):
    emulated.control.add_fault(action="UnassignIpv6Addresses", kind="drop_before_apply")
    err = failure_of(emulated().unassign_ipv6, ENI, addresses=["2408::1"])
    assert (err.code, err.ambiguous, err.attempts) == ("ConnectionLost", True, 1)
    assert "broke before an answer came (the other end closed it without an answer" in err.message


def test_a_read_timeout_names_the_wait_and_is_retried_for_reads_only(emulated, monkeypatch):
    monkeypatch.setattr(_sdk, "READ_TIMEOUT_MS", 500)
    emulated.control.add_fault(action="UnassignIpv6Addresses", kind="delay", seconds=2)
    started = time.monotonic()
    err = failure_of(emulated().unassign_ipv6, ENI, addresses=["2408::1"])
    assert time.monotonic() - started < 2
    assert (err.code, err.ambiguous, err.retry_safe, err.attempts) == ("ReadTimeout", True, False, 1)
    assert err.message == "127.0.0.1:%d did not answer within 0.5 s." % emulated.emulator.port

    emulated.control.add_fault(action="DescribeNetworkInterfaceAttribute", kind="delay", seconds=2, count=MAX_ATTEMPTS)
    err = failure_of(emulated().describe_network_interface, ENI)
    assert (err.code, err.attempts, err.retries_exhausted) == ("ReadTimeout", MAX_ATTEMPTS, True)


@pytest.mark.parametrize(
    "status, content_type, body, code, words",
    [
        (502, "text/html", HTML_502, "HttpError502", "HTTP 502 with a body that is not JSON: '<html> <head><title>502"),
        (503, "", b"", "HttpError503", "HTTP 503 with an empty body"),
        (504, "application/json", b"", "HttpError504", "HTTP 504 with an empty body"),
    ],
    ids=["html-502", "empty-503", "empty-json-504"],
)
def test_a_server_error_that_is_not_json_names_its_status_and_is_retried_for_reads(
    emulated, status, content_type, body, code, words
):
    emulated.control.add_fault(
        action="*", kind="raw", status=status, body=body.decode(), content_type=content_type, count=MAX_ATTEMPTS + 1
    )
    err = failure_of(emulated().describe_network_interface, ENI)
    assert (err.code, err.http_status, err.ambiguous, err.retry_safe) == (code, status, True, False)
    assert err.attempts == MAX_ATTEMPTS and err.retries_exhausted
    assert words in err.message
    assert "retry later" in err.describe() and "SdkError" not in err.describe()
    assert err.to_result()["http_status"] == status

    err = failure_of(emulated().unassign_ipv6, ENI, addresses=["2408::1"])
    assert (err.code, err.attempts, err.retries_exhausted) == (code, 1, False)


@pytest.mark.parametrize(
    "status, content_type, body, code",
    [
        (502, "text/html", HTML_502, "HttpError502"),
        (503, "text/html", b"<html><body>Service Temporarily Unavailable</body></html>", "HttpError503"),
        (502, "text/plain", b"", "HttpError502"),
        (504, "application/json", b"", "HttpError504"),
    ],
    ids=["html-502", "html-503", "empty-502", "empty-json-504"],
)
def test_a_plain_http_server_error_that_is_not_json_names_its_status(server, status, content_type, body, code):
    server.answer = (status, content_type, body)
    err = failure_of(client_for("http://127.0.0.1:%d" % server.server_address[1]).describe_network_interface, ENI)
    assert (err.code, err.http_status, err.ambiguous, err.retry_safe) == (code, status, True, False)
    assert err.attempts == MAX_ATTEMPTS == server.hits
    assert "HTTP %d" % status in err.describe()
    assert "SdkError" not in err.describe()
    assert err.to_result()["http_status"] == status


def test_a_server_error_that_is_not_json_is_not_resent_for_a_write(server):
    """A 5xx page leaves it unknown whether the release was applied: it comes back at once, for a re-read."""
    server.answer = (502, "text/html", HTML_502)
    client = client_for("http://127.0.0.1:%d" % server.server_address[1])
    err = failure_of(client.unassign_ipv6, ENI, addresses=["2408::1"])
    assert (err.code, err.ambiguous, server.hits) == ("HttpError502", True, 1)
    assert not err.retries_exhausted


def test_a_client_error_page_is_not_retried_and_says_to_check_the_endpoint(server):
    server.answer = (404, "text/html", b"<html><body>Not Found</body></html>")
    err = failure_of(client_for("http://127.0.0.1:%d" % server.server_address[1]).describe_network_interface, ENI)
    assert (err.code, err.http_status, err.ambiguous, err.retry_safe, server.hits) == (
        "HttpError404",
        404,
        False,
        False,
        1,
    )
    assert "check endpoint" in err.describe()


def client_answering(source, request, status, content_type, body):
    """A client whose endpoint answers (status, content_type, body): the emulator's raw fault, or `server`."""
    if source == "server":
        server = request.getfixturevalue("server")
        server.answer = (status, content_type, body.encode())
        return client_for("http://127.0.0.1:%d" % server.server_address[1])
    emulated = request.getfixturevalue("emulated")
    emulated.control.add_fault(action="*", kind="raw", status=status, body=body, content_type=content_type)
    return emulated()


@pytest.mark.parametrize("source", ["server", "emulated"])
def test_json_without_an_ecs_code_names_the_status(source, request):
    client = client_answering(source, request, 403, "application/json", '{"error": "blocked by policy"}')
    err = failure_of(client.describe_network_interface, ENI)
    assert (err.code, err.http_status, err.attempts) == ("HttpError403", 403, 1)
    assert (
        err.message
        == 'The endpoint answered HTTP 403 with JSON that has no ECS error code: {"error":"blocked by policy"}'
    )
    assert "check endpoint" in err.describe()


@pytest.mark.parametrize("source", ["server", "emulated"])
def test_a_success_status_with_a_body_that_is_not_json_is_an_unknown_outcome(source, request):
    client = client_answering(
        source, request, 200, "text/html", "<html><body>Welcome to the captive portal</body></html>"
    )
    err = failure_of(client.unassign_ipv6, ENI, addresses=["2408::1"])
    assert (err.code, err.http_status, err.ambiguous, err.attempts) == ("InvalidResponse", 200, True, 1)
    assert "HTTP 200 with a body that is not JSON" in err.message and "captive portal" in err.message


def test_a_good_answer_still_goes_through(server):
    server.answer = (200, "application/json", b'{"RequestId": "R-9", "NetworkInterfaceId": "%s"}' % ENI.encode())
    body = client_for("http://127.0.0.1:%d" % server.server_address[1]).describe_network_interface(ENI)
    assert body == {"RequestId": "R-9", "NetworkInterfaceId": ENI}


def test_an_ecs_error_keeps_its_code_message_and_request_id(emulated):
    err = failure_of(client_for("http://127.0.0.1:%d" % emulated.emulator.port).describe_network_interface, ENI)
    assert (err.code, err.http_status, err.attempts) == ("InvalidAccessKeyId.NotFound", 404, 1)
    assert err.request_id and not isinstance(err, CollectionError)

    emulated.control.add_fault(action="*", kind="error", code="InvalidIp.IpUnassigned", status=403, message="Not held.")
    err = failure_of(emulated().unassign_ipv6, ENI, addresses=["2408::1"])
    assert (err.code, err.message, err.http_status, err.attempts) == ("InvalidIp.IpUnassigned", "Not held.", 403, 1)
    assert err.request_id and err.describe().startswith("InvalidIp.IpUnassigned: Not held. (action Unassign")


def test_throttling_is_retried_after_the_servers_wait(emulated):
    emulated.control.add_fault(
        action="*", kind="error", code="Throttling.User", status=400, retry_after_ms=1500, count=MAX_ATTEMPTS
    )
    clock = Clock()
    err = failure_of(emulated(clock=clock).unassign_ipv6, ENI, addresses=["2408::1"])
    assert (err.code, err.retry_after, err.attempts, err.retries_exhausted) == (
        "Throttling.User",
        1.5,
        MAX_ATTEMPTS,
        True,
    )
    assert clock.slept == 1.5 * (MAX_ATTEMPTS - 1)


@pytest.fixture
def tls_server(server, tmp_path):
    """A TLS server on 127.0.0.1 with a self-signed certificate for the name "localhost", answering like `server`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))

    class TlsServer(ThreadingHTTPServer):
        def get_request(self):
            sock, address = self.socket.accept()
            return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

        def handle_error(self, request, client_address):
            pass

    class Handler(Answers):
        def setup(self):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                self.request.close()
                raise
            Answers.setup(self)

    httpd = serve(TlsServer(("127.0.0.1", 0), Handler))
    httpd.answer = server.answer
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_https_to_a_certificate_that_is_not_trusted_fails_once_naming_the_certificate(tls_server):
    err = failure_of(client_for("https://127.0.0.1:%d" % tls_server.server_address[1]).describe_network_interface, ENI)
    assert (err.code, err.attempts, err.retry_safe, err.ambiguous) == ("TlsCertificateInvalid", 1, False, False)
    assert "https://127.0.0.1:%d" % tls_server.server_address[1] in err.message
    assert "CERTIFICATE_VERIFY_FAILED" in err.message and "certificate" in err.hint


def test_http_to_an_https_port_says_to_use_https(tls_server):
    err = failure_of(client_for("http://127.0.0.1:%d" % tls_server.server_address[1]).describe_network_interface, ENI)
    assert "127.0.0.1:%d" % tls_server.server_address[1] in err.message
    assert "use https:// in endpoint" in err.message
    assert "ConnectionPool" not in err.message
