"""HTTP front of the ECS emulator: the signed ECS RPC API on "/" and the unsigned control API on "/_emulator/"."""

import ipaddress
import json
import socket
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .actions import ACTIONS, API_VERSION, run_action
from .errors import MSG_ACTION_NOT_FOUND, ApiError, SeedError, missing_parameter
from .signature import parse_authorization, verify_request
from .store import validate_mutation

MAX_BODY_BYTES = 8 * 1024 * 1024
# Parameters that could carry a secret if a client used another signing scheme: never logged.
UNLOGGED_PARAMS = {"Signature", "SecurityToken", "BearerToken", "AccessKeySecret"}
CONTROL_PREFIX = "/_emulator"
# GET /_emulator/eni/<id>/described: the ENI as Describe shows it now (read lag applied).
DESCRIBED_SUFFIX = "/described"


def is_loopback_host(host):
    """Return True for localhost and IPv4 loopback addresses (127.0.0.0/8), the only places the emulator binds to."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.version == 4 and address.is_loopback


def new_request_id():
    """Return an ECS style request id: an uppercase UUID."""
    return str(uuid.uuid4()).upper()


def _answer_ok(action):
    """Wrap a control action that returns nothing so that it answers {"ok": true}."""

    def run():
        action()
        return {"ok": True}

    return run


class _DropConnection(Exception):
    """Internal: close the connection without writing any answer."""


class EmulatorServer(ThreadingHTTPServer):
    """Threaded HTTP/1.1 server bound to a loopback address, serving one EmulatorState."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state, host="127.0.0.1", port=0, quiet=True, log_stream=None):
        if not is_loopback_host(host):
            raise ValueError("the emulator only binds to loopback addresses (127.0.0.0/8 or localhost), not %r" % host)
        self.state = state
        self.quiet = quiet
        self.log_stream = log_stream or sys.stderr
        self._connections = set()
        self.connections_accepted = 0
        self._connections_lock = threading.Lock()
        self._requests_in_flight = 0
        self._last_request_end = time.monotonic()
        super().__init__(("127.0.0.1" if host == "localhost" else host, port), EmulatorRequestHandler)

    @property
    def port(self):
        """The TCP port the server listens on."""
        return self.server_address[1]

    @property
    def url(self):
        """The base URL of the server, e.g. http://127.0.0.1:8080."""
        return "http://%s:%d" % (self.server_address[0], self.port)

    def track_connection(self, connection, opened):
        """Remember (opened=True) or forget an open client connection, so stop() can close idle keep-alives."""
        with self._connections_lock:
            if opened:
                self._connections.add(connection)
                self.connections_accepted += 1
            else:
                self._connections.discard(connection)

    def request_started(self):
        """Count a request being served (idle_seconds() is 0 while any is)."""
        with self._connections_lock:
            self._requests_in_flight += 1

    def request_finished(self):
        """Count a request as served."""
        with self._connections_lock:
            self._requests_in_flight -= 1
            self._last_request_end = time.monotonic()

    def idle_seconds(self):
        """Seconds since the last request ended (since start when none came), 0 while a request is served."""
        with self._connections_lock:
            if self._requests_in_flight:
                return 0.0
            return time.monotonic() - self._last_request_end

    def close_all_connections(self):
        """Shut down every open client connection (keep-alive connections would otherwise outlive the server)."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def log(self, text):
        """Write one access log line unless quiet."""
        if not self.quiet:
            self.log_stream.write("%s %s\n" % (time.strftime("%H:%M:%S"), text))
            self.log_stream.flush()


class EmulatorRequestHandler(BaseHTTPRequestHandler):
    """Handles one keep-alive connection: ECS API calls and control calls."""

    protocol_version = "HTTP/1.1"
    server_version = "ECSEmulator/1.0"
    # Idle keep-alive connections are closed after this many seconds.
    timeout = 120

    def setup(self):
        super().setup()
        self.server.track_connection(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.track_connection(self.connection, False)

    def log_request(self, code="-", size="-"):
        # The request line may hold parameters: log the method, path and status only.
        self.server.log("%s %s %s" % (self.command, urllib.parse.urlsplit(self.path).path, code))

    def log_message(self, format, *args):
        self.server.log(format % args)

    def do_GET(self):
        """Serve a GET request."""
        self._dispatch()

    def do_POST(self):
        """Serve a POST request."""
        self._dispatch()

    def do_DELETE(self):
        """Serve a DELETE request."""
        self._dispatch()

    # ------------------------------------------------------------------ plumbing

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                size = int(self.rfile.readline(1024).split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    raise ValueError("request body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(16)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY_BYTES:
            raise ValueError("bad Content-Length")
        return self.rfile.read(length) if length else b""

    def _send(self, status, payload, extra_headers=None):
        data = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (extra_headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. its read timeout fired during a delay fault).
            self.close_connection = True

    def _dispatch(self):
        self.server.request_started()
        try:
            self._serve_one()
        finally:
            self.server.request_finished()

    def _send_raw(self, status, body, content_type):
        data = body.encode("utf-8")
        try:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data:
                self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _serve_one(self):
        try:
            body = self._read_body()
        except ValueError as err:
            self.close_connection = True
            self._send(400, {"error": "cannot read the request body: %s" % err})
            return
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path == CONTROL_PREFIX or parsed.path.startswith(CONTROL_PREFIX + "/"):
            self._handle_control(parsed, body)
        else:
            self._handle_api(parsed, body)

    # ------------------------------------------------------------------ ECS API

    def _header_values(self, name):
        return self.headers.get_all(name) or []

    def _handle_api(self, parsed, body):
        state = self.server.state
        request_id = new_request_id()
        query_pairs = urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)
        params = dict(query_pairs)
        content_type = (self.headers.get("Content-Type") or "").lower()
        if body and content_type.startswith("application/x-www-form-urlencoded"):
            params.update(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        action = self.headers.get("x-acs-action") or params.get("Action") or ""
        record = {
            "time": time.time(),
            "action": action,
            "params": {key: value for key, value in params.items() if key not in UNLOGGED_PARAMS},
            "status": None,
            "code": None,
            "applied": False,
            "access_key_id": self._claimed_access_key_id(),
            "request_id": request_id,
            "fault": None,
            "stale": [],
        }
        delay_after = 0.0
        kind = None
        try:
            fault = self._authenticate_and_take_fault(parsed, query_pairs, body, params, action, record)
            kind = fault["kind"] if fault else None
            if kind == "error":
                headers = {"x-acs-retry-after": str(fault["retry_after_ms"])} if "retry_after_ms" in fault else None
                raise ApiError(fault["status"], fault["code"], fault["message"], headers)
            if kind == "drop_before_apply":
                raise _DropConnection()
            if kind == "raw":
                # A proxy's own answer: ECS never sees the call.
                record["status"] = fault["status"]
                state.record_call(record)
                self._send_raw(fault["status"], fault["body"], fault["content_type"])
                return
            is_write = ACTIONS[action][1]
            if kind == "delay":
                if is_write:
                    delay_after = fault["seconds"]
                else:
                    time.sleep(fault["seconds"])
            with state.lock:
                if kind == "mutate_before":
                    state.apply_mutation(fault["mutation"])
                state.take_served_stale()
                answer, applied = run_action(state, action, params)
                record["stale"] = state.take_served_stale()
            record["applied"] = applied
            record["status"] = 200
            if kind == "drop_after_apply":
                raise _DropConnection()
            answer["RequestId"] = request_id
            state.record_call(record)
            if delay_after:
                time.sleep(delay_after)
            self._send(200, answer, {"x-acs-request-id": request_id})
        except _DropConnection:
            state.record_call(record)
            self.close_connection = True
        except ApiError as err:
            record["status"] = err.status
            record["code"] = err.code
            state.record_call(record)
            if kind == "drop_after_apply":
                # The call was processed (and refused): the client still only sees the connection drop.
                self.close_connection = True
                return
            if delay_after:
                time.sleep(delay_after)
            self._send_api_error(err, request_id, params)

    def _claimed_access_key_id(self):
        values = self._header_values("authorization")
        if not values:
            return None
        try:
            return parse_authorization(values[0])[0]
        except ApiError:
            return None

    def _authenticate_and_take_fault(self, parsed, query_pairs, body, params, action, record):
        """Validate action, version and signature; returns the fault this call consumes (or None)."""
        if self.command not in ("GET", "POST"):
            raise ApiError(404, "InvalidAction.NotFound", MSG_ACTION_NOT_FOUND)
        if not action:
            raise missing_parameter("Action")
        version = self.headers.get("x-acs-version") or params.get("Version")
        if version != API_VERSION:
            raise ApiError(400, "InvalidVersion", 'Specified parameter Version "%s" is not valid.' % (version or ""))
        if action not in ACTIONS:
            raise ApiError(404, "InvalidAction.NotFound", MSG_ACTION_NOT_FOUND)
        verify_request(self.server.state, self.command, parsed.path, query_pairs, self._header_values, body)
        fault = self.server.state.take_fault(action, params)
        if fault is not None:
            record["fault"] = fault["kind"]
        return fault

    def _send_api_error(self, err, request_id, params):
        state = self.server.state
        region = params.get("RegionId")
        if region not in state.regions:
            region = state.default_region
        payload = {
            "RequestId": request_id,
            "HostId": "ecs.%s.aliyuncs.com" % region,
            "Code": err.code,
            "Message": err.message,
            "Recommend": "https://api.aliyun.com/troubleshoot?q=%s&product=Ecs&requestId=%s" % (err.code, request_id),
        }
        headers = {"x-acs-request-id": request_id}
        headers.update(err.headers)
        self._send(err.status, payload, headers)

    # ------------------------------------------------------------------ control API

    def _handle_control(self, parsed, body):
        try:
            document = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError as err:
            self._send(400, {"error": "the body is not JSON: %s" % err})
            return
        route = parsed.path[len(CONTROL_PREFIX) :].rstrip("/") or "/"
        query = dict(urllib.parse.parse_qsl(parsed.query))
        try:
            status, payload = self._control_route(self.command, route, query, document)
        except SeedError as err:
            status, payload = 400, {"error": str(err)}
        self._send(status, payload)

    def _control_route(self, method, route, query, document):
        state = self.server.state
        simple = {
            ("GET", "/health"): lambda: {
                "ok": True,
                "default_region": state.default_region,
                "regions": list(state.regions),
            },
            ("POST", "/reset"): _answer_ok(state.reset),
            ("POST", "/seed"): lambda: state.seed(document),
            ("GET", "/state"): state.snapshot,
            ("GET", "/calls"): lambda: {"calls": state.list_calls(query.get("action"))},
            ("POST", "/calls/clear"): _answer_ok(state.clear_calls),
            ("DELETE", "/calls"): _answer_ok(state.clear_calls),
            ("GET", "/faults"): lambda: {"faults": state.list_faults()},
            ("POST", "/faults"): lambda: state.add_fault(document),
            ("POST", "/faults/clear"): _answer_ok(state.clear_faults),
            ("DELETE", "/faults"): _answer_ok(state.clear_faults),
            ("GET", "/schedule"): lambda: {"schedules": state.list_schedules()},
            ("POST", "/schedule"): lambda: state.add_schedule(document),
            ("POST", "/schedule/clear"): _answer_ok(state.cancel_schedules),
            ("DELETE", "/schedule"): _answer_ok(state.cancel_schedules),
            ("POST", "/mutate"): lambda: {"done": state.apply_mutation(validate_mutation(document))},
            ("GET", "/credentials"): state.credential_ids,
            ("POST", "/credentials"): lambda: state.set_credentials(document),
            ("POST", "/credentials/expire"): lambda: state.expire_sts_token(document),
            ("GET", "/settings"): state.get_settings,
            ("POST", "/settings"): lambda: state.update_settings(document),
        }
        handler = simple.get((method, route.replace("/schedules", "/schedule")))
        if handler is not None:
            return 200, handler()
        for prefix, table in (("/eni/", state.network_interfaces), ("/instance/", state.instances)):
            if method == "GET" and route.startswith(prefix):
                item_id = route[len(prefix) :]
                described = prefix == "/eni/" and item_id.endswith(DESCRIBED_SUFFIX)
                if described:
                    item_id = item_id[: -len(DESCRIBED_SUFFIX)]
                item_id = urllib.parse.unquote(item_id)
                with state.lock:
                    item = table.get(item_id)
                    if item is not None and described:
                        item = state.described_eni(item, read=False)
                    item = json.loads(json.dumps(item))
                if item is None:
                    return 404, {"error": "%s not found" % item_id}
                return 200, item
        return 404, {"error": "unknown control endpoint %s %s%s" % (method, CONTROL_PREFIX, route)}
