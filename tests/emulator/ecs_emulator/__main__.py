"""Command line entry point: ``PYTHONPATH=tests/emulator python -m ecs_emulator --help``."""

import argparse
import json
import os
import signal
import sys
import threading

from .errors import SeedError
from .server import EmulatorServer, is_loopback_host
from .store import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_REGION,
    MAX_READ_LAG_SECONDS,
    EmulatorState,
    demo_seed_document,
)

# How often --watch-pid and --idle-exit are checked.
WATCH_INTERVAL_SECONDS = 0.5


def demo_seed_eni_ids():
    """The ids of the demo ENIs, in seed order."""
    return [eni["NetworkInterfaceId"] for eni in demo_seed_document()["network_interfaces"]]


def build_parser():
    """Return the argument parser of the emulator command."""
    parser = argparse.ArgumentParser(
        prog="python -m ecs_emulator",
        description="Local emulator of the Alibaba Cloud ECS OpenAPI (ENI IPv6 actions), listening on loopback only.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1; others are refused)"
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port (default 0: pick a free port)")
    parser.add_argument("--port-file", metavar="PATH", help="write the bound port to PATH once listening")
    parser.add_argument("--region", default=DEFAULT_REGION, help="region the emulator serves (default %(default)s)")
    parser.add_argument(
        "--extra-region", action="append", default=[], metavar="REGION", help="another region to accept (repeatable)"
    )
    parser.add_argument(
        "--access-key-id", default=DEFAULT_ACCESS_KEY_ID, help="accepted AccessKey id (default %(default)s)"
    )
    parser.add_argument(
        "--access-key-secret", default=DEFAULT_ACCESS_KEY_SECRET, help="its secret (default: the built-in fake secret)"
    )
    parser.add_argument("--seed", metavar="FILE", help="JSON seed file, same shape as POST /_emulator/seed")
    parser.add_argument(
        "--demo-seed",
        action="store_true",
        help="seed instance i-demo0001 and ENIs eni-demo0001 (12 IPv6) / eni-demo0002 (3 IPv6)",
    )
    parser.add_argument(
        "--read-lag",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="Describe shows an ENI's IPv6 sets as they were SECONDS ago (default 0; see README.md)",
    )
    parser.add_argument(
        "--watch-pid",
        type=int,
        metavar="PID",
        help="exit (code 0) once process PID no longer exists (checked every 0.5 s)",
    )
    parser.add_argument(
        "--idle-exit",
        type=float,
        metavar="SECONDS",
        help="exit (code 0) after SECONDS without any request (API or control)",
    )
    parser.add_argument("--quiet", action="store_true", help="no access log on stderr")
    return parser


def process_exists(pid):
    """Return False once process pid is gone (a zombie counts as gone: it has exited, only not been reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii", errors="replace") as handle:
            # The state follows the command name, which is in parentheses and may itself hold spaces.
            return handle.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def banner(server, args, state):
    """Return the lines printed at start: endpoint, test credentials, region, settings and the demo ENIs."""
    lines = [
        "ECS emulator listening on %s" % server.url,
        "  endpoint:          http://%s:%d" % (server.server_address[0], server.port),
        "  region:            %s" % args.region,
        "  access key id:     %s" % args.access_key_id,
    ]
    if args.access_key_secret == DEFAULT_ACCESS_KEY_SECRET:
        lines.append("  access key secret: %s (a fixed test value)" % args.access_key_secret)
    else:
        lines.append("  access key secret: the one given with --access-key-secret")
    lines.append("  read lag:          %g s" % args.read_lag)
    lines.append("  control API:       %s/_emulator/ (see tests/emulator/README.md)" % server.url)
    if args.demo_seed:
        lines.append("  demo ENIs:")
        snapshot = state.snapshot()
        for eni_id in demo_seed_eni_ids():
            eni = snapshot["network_interfaces"].get(eni_id)
            if eni is None:
                continue
            where = "attached to %s" % eni["InstanceId"] if eni["InstanceId"] else "not attached"
            lines.append(
                "    %s (%s, %s, %s), %d IPv6 addresses:"
                % (eni_id, eni["Status"], eni["Type"], where, len(eni["Ipv6Addresses"]))
            )
            lines.append("      %s" % " ".join(eni["Ipv6Addresses"]))
    return lines


def write_port_file(path, port):
    """Write the port atomically so a script polling for the file never reads a partial number."""
    temporary = "%s.tmp%d" % (path, os.getpid())
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write("%d\n" % port)
    os.replace(temporary, path)


def main(argv=None):
    """Run the emulator until SIGTERM or SIGINT; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not is_loopback_host(args.host):
        parser.error("--host must be a loopback address (127.0.0.0/8 or localhost), not %r" % args.host)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be from 0 to 65535, not %d" % args.port)
    if not 0 <= args.read_lag <= MAX_READ_LAG_SECONDS:
        parser.error("--read-lag must be from 0 to %d seconds, not %g" % (MAX_READ_LAG_SECONDS, args.read_lag))
    if args.idle_exit is not None and not 0 < args.idle_exit <= 7 * 24 * 3600:
        parser.error("--idle-exit must be more than 0 and at most a week (604800 s), not %g" % args.idle_exit)
    if args.watch_pid is not None and (args.watch_pid <= 0 or not process_exists(args.watch_pid)):
        parser.error("--watch-pid %d: no such process" % args.watch_pid)
    try:
        state = EmulatorState(
            region=args.region,
            access_keys={args.access_key_id: args.access_key_secret},
            extra_regions=args.extra_region,
            read_lag=args.read_lag,
        )
        if args.demo_seed:
            state.seed(demo_seed_document())
        if args.seed:
            with open(args.seed, encoding="utf-8") as handle:
                state.seed(json.load(handle))
    except (OSError, ValueError, SeedError) as err:
        parser.error("cannot load the seed: %s" % err)

    try:
        server = EmulatorServer(state, host=args.host, port=args.port, quiet=args.quiet)
    except OSError as err:
        parser.error("cannot listen on %s:%d: %s" % (args.host, args.port, err))
    stop_requested = threading.Event()

    def request_stop(signum, frame):
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="ecs-emulator", daemon=True
    )
    thread.start()
    if args.port_file:
        write_port_file(args.port_file, server.port)
    print("\n".join(banner(server, args, state)), flush=True)
    reason = "on a signal"
    while not stop_requested.wait(WATCH_INTERVAL_SECONDS):
        if args.watch_pid is not None and not process_exists(args.watch_pid):
            reason = "because process %d is gone" % args.watch_pid
            break
        if args.idle_exit is not None and server.idle_seconds() >= args.idle_exit:
            reason = "after %g s without a request" % args.idle_exit
            break
    server.shutdown()
    server.close_all_connections()
    server.server_close()
    state.cancel_schedules()
    thread.join(timeout=5)
    if not args.quiet:
        print("ECS emulator stopped %s" % reason, file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
