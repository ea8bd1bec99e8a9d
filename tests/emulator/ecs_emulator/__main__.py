"""Command line entry point: ``PYTHONPATH=tests/emulator python -m ecs_emulator --help``."""

import argparse
import json
import os
import signal
import sys
import threading

from .errors import SeedError
from .server import EmulatorServer, is_loopback_host
from .store import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_REGION, EmulatorState, demo_seed_document


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
    parser.add_argument("--quiet", action="store_true", help="no access log on stderr")
    return parser


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
        parser.error("--port must be from 0 to 65535")
    try:
        state = EmulatorState(
            region=args.region,
            access_keys={args.access_key_id: args.access_key_secret},
            extra_regions=args.extra_region,
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
    print("ECS emulator listening on %s" % server.url, flush=True)
    while not stop_requested.wait(0.5):
        pass
    server.shutdown()
    server.close_all_connections()
    server.server_close()
    state.cancel_schedules()
    thread.join(timeout=5)
    if not args.quiet:
        print("ECS emulator stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
