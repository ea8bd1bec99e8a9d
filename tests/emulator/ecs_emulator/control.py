"""Python helpers for tests and benchmarks: a client of the control API and an in-process emulator.

Example::

    from ecs_emulator.control import start_emulator

    emulator = start_emulator()
    emulator.control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-1", "Ipv6AddressCount": 3}]})
    ...  # point the SDK at endpoint "127.0.0.1:%d" % emulator.port with protocol "http"
    emulator.stop()
"""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

from .server import EmulatorServer
from .store import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_REGION, EmulatorState, demo_seed_document


class EmulatorControlError(Exception):
    """A control API call failed: .status is the HTTP status, .payload the decoded JSON answer (if any)."""

    def __init__(self, status, payload):
        super().__init__("control API answered %s: %s" % (status, payload))
        self.status = status
        self.payload = payload


class EmulatorControl:
    """Client of the emulator's control API (plain JSON over HTTP under /_emulator/, no signature)."""

    def __init__(self, base_url, timeout=10.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # No proxy handler: the emulator is on loopback and HTTP(S)_PROXY must never be used to reach it.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _call(self, method, path, document=None):
        data = None if document is None else json.dumps(document).encode("utf-8")
        request = urllib.request.Request(self.base_url + "/_emulator" + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as err:
            raw = err.read().decode("utf-8", "replace")
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = raw
            raise EmulatorControlError(err.code, payload)

    def health(self):
        """Return {"ok": True, "default_region", "regions"}."""
        return self._call("GET", "/health")

    def reset(self):
        """Clear ENIs, instances, faults, schedules, calls, nonces and ClientTokens; restore start credentials."""
        return self._call("POST", "/reset", {})

    def seed(self, document=None, **fields):
        """Add instances/ENIs (see README.md); returns {"instances": [ids], "network_interfaces": [ids]}."""
        body = dict(document or {})
        body.update(fields)
        return self._call("POST", "/seed", body)

    def seed_demo(self):
        """Seed the demo instance i-demo0001 and ENIs eni-demo0001 / eni-demo0002."""
        return self.seed(demo_seed_document())

    def state(self):
        """Return {"instances": {id: ...}, "network_interfaces": {id: ...}, "regions": [...]}."""
        return self._call("GET", "/state")

    def eni(self, eni_id):
        """Return one ENI's state; raises EmulatorControlError (status 404) when it does not exist."""
        return self._call("GET", "/eni/" + urllib.parse.quote(eni_id, safe=""))

    def described_eni(self, eni_id):
        """Return one ENI as Describe shows it now (IPv6 sets as the read lag lets them show); 404 when absent."""
        return self._call("GET", "/eni/%s/described" % urllib.parse.quote(eni_id, safe=""))

    def instance(self, instance_id):
        """Return one instance's state; raises EmulatorControlError (status 404) when it does not exist."""
        return self._call("GET", "/instance/" + urllib.parse.quote(instance_id, safe=""))

    def calls(self, action=None):
        """Return the logged API calls (oldest first), optionally only those of one action."""
        path = "/calls" if action is None else "/calls?" + urllib.parse.urlencode({"action": action})
        return self._call("GET", path)["calls"]

    def clear_calls(self):
        """Empty the call log."""
        return self._call("POST", "/calls/clear", {})

    def add_fault(self, **fault):
        """Queue a fault, e.g. add_fault(action="UnassignIpv6Addresses", kind="error", code="Throttling", status=400)."""
        return self._call("POST", "/faults", fault)

    def faults(self):
        """Return the queued faults with their remaining counts."""
        return self._call("GET", "/faults")["faults"]

    def clear_faults(self):
        """Drop every queued fault."""
        return self._call("POST", "/faults/clear", {})

    def schedule(self, **spec):
        """Schedule a change, e.g. schedule(delay=2, network_interface_id="eni-1", status="InUse")."""
        return self._call("POST", "/schedule", spec)

    def schedules(self):
        """Return the pending scheduled changes."""
        return self._call("GET", "/schedule")["schedules"]

    def clear_schedules(self):
        """Cancel every pending scheduled change."""
        return self._call("POST", "/schedule/clear", {})

    def mutate(self, **mutation):
        """Apply a mutation now, as if someone else changed the ENI; returns {"done": [...]}."""
        return self._call("POST", "/mutate", mutation)

    def settings(self):
        """Return {"read_lag": s, "stale_reads": n, "hold_reads": bool, "ipv6_account_quota": n or None,
        "secondary_eni_checks_instance": bool, "primary_ipv6_release_refusal": code or None}."""
        return self._call("GET", "/settings")

    def set_settings(self, **settings):
        """Change some settings, e.g. set_settings(read_lag=2.0); returns them all. reset() restores start values."""
        return self._call("POST", "/settings", settings)

    def set_read_lag(self, seconds):
        """Make Describe show each ENI's IPv6 sets as they were `seconds` ago; returns the settings."""
        return self.set_settings(read_lag=seconds)

    def set_stale_reads(self, count):
        """After each IPv6 write to an ENI, the next `count` reads of it show its sets from before; returns settings."""
        return self.set_settings(stale_reads=count)

    def hold_reads(self):
        """From now on, reads show each ENI's IPv6 sets from before its writes, until release_reads()."""
        return self.set_settings(hold_reads=True)

    def release_reads(self):
        """End hold_reads(): reads show what the writes did (as read_lag and stale_reads let them)."""
        return self.set_settings(hold_reads=False)

    def expire_token(self, access_key_id, expired=True):
        """Mark the token of a temporary (STS.*) key expired (or valid again); returns the key ids."""
        return self._call("POST", "/credentials/expire", {"access_key_id": access_key_id, "expired": expired})

    def credentials(self):
        """Return the accepted key ids: {"access_key_ids": [...], "sts_access_key_ids": [...]} (never secrets)."""
        return self._call("GET", "/credentials")

    def set_credentials(self, access_keys=None, sts=None):
        """Replace the accepted credentials: access_keys {id: secret}, sts {"STS.id": {"secret", "token"[, "expired"]}}.

        expired (default false) makes a call with that key's token answer as an expired token does.
        """
        return self._call("POST", "/credentials", {"access_keys": access_keys or {}, "sts": sts or {}})


class EmulatorHandle:
    """A running in-process emulator: .port, .url, .control, .state, .stop(); usable as a context manager."""

    def __init__(self, server, thread, access_key_id, access_key_secret, region):
        self.server = server
        self.thread = thread
        self.state = server.state
        self.port = server.port
        self.url = server.url
        self.endpoint = "127.0.0.1:%d" % server.port
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.region = region
        self.control = EmulatorControl(self.url)

    def stop(self):
        """Stop serving, close open connections and cancel scheduled changes."""
        self.server.shutdown()
        self.server.close_all_connections()
        self.server.server_close()
        self.state.cancel_schedules()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start_emulator(
    port=0,
    host="127.0.0.1",
    region=DEFAULT_REGION,
    access_key_id=DEFAULT_ACCESS_KEY_ID,
    access_key_secret=DEFAULT_ACCESS_KEY_SECRET,
    sts=None,
    extra_regions=(),
    seed=None,
    demo_seed=False,
    quiet=True,
    read_lag=0.0,
):
    """Start an emulator in a background thread of this process and return its EmulatorHandle.

    sts is {"STS.id": {"secret": ..., "token": ...}}; seed is a seed document applied before serving; read_lag is
    the start value of the read_lag setting (seconds Describe lags behind writes; reset() comes back to it).
    """
    state = EmulatorState(
        region=region,
        access_keys={access_key_id: access_key_secret},
        sts=sts,
        extra_regions=extra_regions,
        read_lag=read_lag,
    )
    if demo_seed:
        state.seed(demo_seed_document())
    if seed:
        state.seed(seed)
    server = EmulatorServer(state, host=host, port=port, quiet=quiet)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="ecs-emulator", daemon=True
    )
    thread.start()
    return EmulatorHandle(server, thread, access_key_id, access_key_secret, region)
