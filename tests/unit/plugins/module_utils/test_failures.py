# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failures a user can act on, through the real SDK against throwaway servers on 127.0.0.1: a wrong scheme, a
closed port, answers that are not JSON; and the credential messages."""

import datetime
import json
import os
import socket
import ssl
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError, credential_chain_message
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import MAX_ATTEMPTS, RetryPolicy

ENI = "eni-test0001"


class Clock(object):
    """A clock that the policy's sleeps move forward, on top of the real time the calls take."""

    def __init__(self):
        self.slept = 0.0
        self.started = time.monotonic()

    def sleep(self, seconds):
        self.slept += seconds

    def now(self):
        return time.monotonic() - self.started + self.slept


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


@pytest.fixture
def server():
    """A plain-HTTP server on 127.0.0.1 whose answer a test sets."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    httpd.hits = 0
    httpd.answer = (200, "application/json", b'{"RequestId": "R"}')
    thread = threading.Thread(target=httpd.serve_forever, kwargs=dict(poll_interval=0.05), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port():
    """A loopback port that refuses connections: bound, so nothing else takes it, but never listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


class Module(object):
    def __init__(self, **params):
        self.params = dict(
            dict.fromkeys(_client.CONNECTION_ARGUMENT_SPEC),
            region="cn-hangzhou",
            access_key_id="LTAIunit",
            access_key_secret="unit-secret",
        )
        self.params.update(params)

    def fail_json(self, **result):
        raise AssertionError("connect() failed: %r" % (result,))


def client_for(endpoint, clock=None):
    clock = clock or Clock()
    policy = RetryPolicy(sleep=clock.sleep, clock=clock.now)
    return _client.connect(Module(endpoint=endpoint), retry_policy=policy)


@pytest.mark.parametrize("scheme", ["", "https://"])
def test_https_to_a_plain_http_port_fails_once_quickly_naming_the_endpoint_and_the_scheme(server, scheme):
    endpoint = "%s127.0.0.1:%d" % (scheme, server.server_address[1])
    started = time.monotonic()
    with pytest.raises(EcsApiError) as raised:
        _client.connect(Module(endpoint=endpoint)).describe_network_interface(ENI)
    seconds = time.monotonic() - started

    err = raised.value
    assert seconds < 5
    assert (err.code, err.attempts, err.retry_safe, err.ambiguous) == ("TlsHandshakeFailed", 1, False, False)
    message = err.describe()
    assert "https://127.0.0.1:%d" % server.server_address[1] in message
    assert "http:// versus https://" in message
    assert "ConnectionPool" not in message and "retry later" not in message


def test_a_closed_port_names_host_and_port_and_stops_retrying_within_about_10_seconds(closed_port):
    clock = Clock()
    with pytest.raises(EcsApiError) as raised:
        client_for("http://127.0.0.1:%d" % closed_port, clock).describe_network_interface(ENI)

    err = raised.value
    message = err.describe()
    assert err.code == "ConnectionFailed" and err.retries_exhausted
    assert "127.0.0.1:%d" % closed_port in message and "connection refused" in message
    for pool_text in ("ConnectionPool", "Max retries exceeded", "NewConnectionError", "urllib3", "<"):
        assert pool_text not in message
    assert 1 < err.attempts < MAX_ATTEMPTS
    assert clock.now() <= 10.5


def test_a_closed_port_is_retried_for_a_write_too_since_nothing_was_sent(closed_port):
    with pytest.raises(EcsApiError) as raised:
        client_for("http://127.0.0.1:%d" % closed_port).unassign_ipv6(ENI, addresses=["2408::1"])
    assert raised.value.code == "ConnectionFailed" and raised.value.attempts > 1


HTML_502 = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center>nginx</center></body></html>\r\n"


@pytest.mark.parametrize(
    "status, content_type, body, code",
    [
        (502, "text/html", HTML_502, "HttpError502"),
        (503, "text/html", b"<html><body>Service Temporarily Unavailable</body></html>", "HttpError503"),
        (502, "text/plain", b"", "HttpError502"),
        (504, "application/json", b"", "HttpError504"),
    ],
)
def test_a_server_error_that_is_not_json_names_its_status_and_is_retried_for_reads(
    server, status, content_type, body, code
):
    server.answer = (status, content_type, body)
    with pytest.raises(EcsApiError) as raised:
        client_for("http://127.0.0.1:%d" % server.server_address[1]).describe_network_interface(ENI)

    err = raised.value
    assert (err.code, err.http_status, err.ambiguous, err.retry_safe) == (code, status, True, False)
    assert err.attempts == MAX_ATTEMPTS == server.hits
    assert "HTTP %d" % status in err.describe()
    assert "SdkError" not in err.describe()
    assert err.to_result()["http_status"] == status


def test_a_server_error_that_is_not_json_is_not_resent_for_a_write(server):
    """A 5xx page leaves it unknown whether the release was applied: it comes back at once, for a re-read."""
    server.answer = (502, "text/html", HTML_502)
    with pytest.raises(EcsApiError) as raised:
        client_for("http://127.0.0.1:%d" % server.server_address[1]).unassign_ipv6(ENI, addresses=["2408::1"])

    assert (raised.value.code, raised.value.ambiguous, server.hits) == ("HttpError502", True, 1)
    assert not raised.value.retries_exhausted


def test_a_client_error_page_is_not_retried_and_says_to_check_the_endpoint(server):
    server.answer = (404, "text/html", b"<html><body>Not Found</body></html>")
    with pytest.raises(EcsApiError) as raised:
        client_for("http://127.0.0.1:%d" % server.server_address[1]).describe_network_interface(ENI)

    err = raised.value
    assert (err.code, err.http_status, err.ambiguous, err.retry_safe, server.hits) == (
        "HttpError404",
        404,
        False,
        False,
        1,
    )
    assert "check endpoint" in err.describe()


def test_json_without_an_ecs_code_names_the_status(server):
    server.answer = (403, "application/json", b'{"error": "blocked by policy"}')
    with pytest.raises(EcsApiError) as raised:
        client_for("http://127.0.0.1:%d" % server.server_address[1]).describe_network_interface(ENI)

    assert (raised.value.code, raised.value.http_status) == ("HttpError403", 403)
    assert "blocked by policy" in raised.value.message and "statusCode" not in raised.value.message


def test_a_success_status_with_a_body_that_is_not_json_is_an_unknown_outcome(server):
    server.answer = (200, "text/html", b"<html><body>Welcome to the captive portal</body></html>")
    with pytest.raises(EcsApiError) as raised:
        client_for("http://127.0.0.1:%d" % server.server_address[1]).unassign_ipv6(ENI, addresses=["2408::1"])

    err = raised.value
    assert (err.code, err.http_status, err.ambiguous) == ("InvalidResponse", 200, True)
    assert "captive portal" in err.message


def test_a_good_answer_still_goes_through(server):
    server.answer = (200, "application/json", b'{"RequestId": "R-9", "NetworkInterfaceId": "%s"}' % ENI.encode())
    body = client_for("http://127.0.0.1:%d" % server.server_address[1]).describe_network_interface(ENI)
    assert body == {"RequestId": "R-9", "NetworkInterfaceId": ENI}


CHAIN_TEXT = (
    "unable to load credentials from any of the providers in the chain: ['EnvironmentVariableCredentialsProvider: "
    "Environment variable accessKeyId cannot be empty', 'CLIProfileCredentialsProvider: unable to open credentials "
    "file: /home/u/.aliyun/config.json', 'ProfileCredentialsProvider: failed to get credential from credentials "
    "file: $/home/u/.alibabacloud/credentials.ini']"
)


def test_the_credential_chain_failure_reads_as_sentences():
    text = credential_chain_message(CHAIN_TEXT)
    assert text == (
        "No credentials were found in the SDK's default credential chain. Environment variables: Environment variable "
        "accessKeyId cannot be empty. Alibaba Cloud CLI profile: Unable to open credentials file: "
        "/home/u/.aliyun/config.json. Credentials file: Failed to get credential from credentials file: "
        "/home/u/.alibabacloud/credentials.ini."
    )


def run_connect(home, params, **env):
    """connect() in a fresh process with this HOME and environment (the SDK reads its variables at import)."""
    script = textwrap.dedent(r"""
        import json, sys
        from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client

        class Module(object):
            params = dict(dict.fromkeys(_client.CONNECTION_ARGUMENT_SPEC), **json.loads(sys.argv[1]))

            def fail_json(self, **result):
                print(json.dumps(result))
                sys.exit(0)

        _client.connect(Module())
        print(json.dumps({"connected": True}))
    """)
    environment = dict(
        (key, value) for key, value in os.environ.items() if not key.startswith(("ALIBABA_CLOUD_", "ALICLOUD_"))
    )
    environment.update(
        PYTHONPATH=os.pathsep.join(sys.path), HOME=str(home), ALIBABA_CLOUD_ECS_METADATA_DISABLED="true", **env
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(dict(params, region="cn-hangzhou"))],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return json.loads(done.stdout.decode("utf-8"))


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

    httpd = TlsServer(("127.0.0.1", 0), Handler)
    httpd.hits = 0
    httpd.answer = server.answer
    thread = threading.Thread(target=httpd.serve_forever, kwargs=dict(poll_interval=0.05), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_https_to_a_certificate_that_is_not_trusted_fails_once_naming_the_certificate(tls_server):
    with pytest.raises(EcsApiError) as raised:
        client_for("https://127.0.0.1:%d" % tls_server.server_address[1]).describe_network_interface(ENI)

    err = raised.value
    assert (err.code, err.attempts, err.retry_safe, err.ambiguous) == ("TlsCertificateInvalid", 1, False, False)
    assert "https://127.0.0.1:%d" % tls_server.server_address[1] in err.message
    assert "CERTIFICATE_VERIFY_FAILED" in err.message and "certificate" in err.hint


def test_http_to_an_https_port_says_to_use_https(tls_server):
    with pytest.raises(EcsApiError) as raised:
        client_for("http://127.0.0.1:%d" % tls_server.server_address[1]).describe_network_interface(ENI)

    err = raised.value
    assert "127.0.0.1:%d" % tls_server.server_address[1] in err.message
    assert "use https:// in endpoint" in err.message
    assert "ConnectionPool" not in err.message
