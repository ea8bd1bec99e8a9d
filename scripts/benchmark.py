# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Side-by-side benchmark of ecs_eni_ipv6 against the local ECS emulator (`make benchmark`).

Prints, from one run, medians of interleaved runs:
- an ad hoc release task versus an ad hoc ansible.builtin.ping (ratio);
- a playbook looping over 30 ENIs versus the same loop of ping (ratio per item);
- the SDK floor: a bare Python script that imports the same ECS SDK client and makes the same calls, no Ansible;
  and the module's own time above ping + SDK floor;
- with --before PATH, the same tasks run from another checkout of the collection (an earlier commit) in the same
  rounds, side by side;
- the API calls of a no-op, a check-mode run, a 1-address and a 25-address release;
- the module's import time, its `python -X importtime` top five (the fastest of three imports), and its peak
  memory.
Medians and the best round of each are both shown: on a busy machine the medians move with the load.
Everything talks to the emulator on 127.0.0.1 only.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))

from ecs_emulator.control import start_emulator  # noqa: E402  pylint: disable=wrong-import-position

MODULE = "alibabacloud.ecs.ecs_eni_ipv6"
ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible")
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
ENI_COUNT = 30
IMPORTTIME_TOP = 5
SDK_FLOOR_SCRIPT = r"""
import sys
from alibabacloud_ecs20140526.client import Client
from alibabacloud_ecs20140526 import models
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.runtime import RuntimeOptions
port, key, secret, eni, address = sys.argv[1:6]
client = Client(Config(access_key_id=key, access_key_secret=secret, endpoint="127.0.0.1:" + port, protocol="http",
                       region_id="cn-hangzhou"))
client.describe_network_interface_attribute_with_options(
    models.DescribeNetworkInterfaceAttributeRequest(region_id="cn-hangzhou", network_interface_id=eni), RuntimeOptions())
client.unassign_ipv_6addresses_with_options(
    models.UnassignIpv6AddressesRequest(region_id="cn-hangzhou", network_interface_id=eni, ipv_6address=[address]),
    RuntimeOptions())
"""
IMPORT_SCRIPT = r"""
import time
started = time.perf_counter()
import ansible_collections.alibabacloud.ecs.plugins.modules.ecs_eni_ipv6 as module
from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk
print(time.perf_counter() - started)
"""
IMPORTTIME_SCRIPT = "import ansible_collections.alibabacloud.ecs.plugins.modules.ecs_eni_ipv6"


# The API-call cases (check mode, the addresses released of eni-bench002), each run once per read lag.
API_CALL_CASES = {
    "no-op": (False, [200]),
    "check mode": (True, [5]),
    "1-address release": (False, [5]),
    "25-address release": (False, list(range(6, 31))),
}
API_CALL_LAGS = (0, 2)


def address(number, eni=0):
    """Address `number` of ENI number `eni` (each ENI holds its own range: no address is on two ENIs)."""
    return "2408:4005:3a0:a100::%x" % (eni * 256 + number)


class Bench(object):
    """The emulator, a collection path, and the environment every measured command runs in."""

    def __init__(self, workdir, before=None):
        self.emulator = start_emulator()
        self.control = self.emulator.control
        self.workdir = workdir
        self.envs = {"after": self._environment(ROOT, "after")}
        if before:
            self.envs["before"] = self._environment(before, "before")
        self.env = self.envs["after"]
        self.connection = dict(
            region="cn-hangzhou",
            endpoint="http://127.0.0.1:%d" % self.emulator.port,
            access_key_id=self.emulator.access_key_id,
            access_key_secret=self.emulator.access_key_secret,
        )
        self.inventory = ["-i", "localhost,", "-c", "local", "-e", "ansible_python_interpreter=" + sys.executable]

    def _environment(self, root, name):
        """The environment whose collection path holds the collection checked out at root."""
        collections = os.path.join(self.workdir, name, "collections")
        os.makedirs(os.path.join(collections, "ansible_collections", "alibabacloud"))
        os.symlink(os.path.abspath(root), os.path.join(collections, "ansible_collections", "alibabacloud", "ecs"))
        return dict(
            os.environ,
            ALIBABA_CLOUD_ECS_METADATA_DISABLED="true",
            ANSIBLE_COLLECTIONS_PATH=collections,
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
            PYTHONPATH=collections,
        )

    def seed(self, addresses_each=30):
        """Fresh ENIs eni-bench000..029, each holding `addresses_each` addresses."""
        self.control.reset()
        self.control.seed(
            {
                "instances": [{"InstanceId": "i-bench", "Status": "Running", "EniIpv6AddressQuantity": 50}],
                "network_interfaces": [
                    {
                        "NetworkInterfaceId": "eni-bench%03d" % n,
                        "InstanceId": "i-bench",
                        "Status": "InUse",
                        "Ipv6Addresses": [address(a, n) for a in range(1, addresses_each + 1)],
                    }
                    for n in range(ENI_COUNT)
                ],
            }
        )

    def timed(self, command, env=None):
        started = time.perf_counter()
        done = subprocess.run(
            command, env=env or self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError("%s failed:\n%s" % (" ".join(command[:4]), done.stdout.decode("utf-8", "replace")))
        return elapsed

    def adhoc_release(self, eni="eni-bench000", number=1, version="after"):
        args = dict(self.connection, network_interface_id=eni, state="absent", ipv6_addresses=[address(number)])
        return self.timed(
            [ANSIBLE, "localhost"] + self.inventory + ["-m", MODULE, "-a", json.dumps(args)], self.envs[version]
        )

    def adhoc_ping(self):
        return self.timed([ANSIBLE, "localhost"] + self.inventory + ["-m", "ansible.builtin.ping"])

    def playbook(self, name, task, env=None):
        path = os.path.join(self.workdir, name + ".yml")
        play = [
            {
                "hosts": "localhost",
                "gather_facts": False,
                "tasks": [dict(task, name=name, loop="{{ range(%d) | list }}" % ENI_COUNT)],
            }
        ]
        with open(path, "w") as handle:
            json.dump(play, handle)
        return self.timed([ANSIBLE_PLAYBOOK] + self.inventory + [path], env)

    def loop_release(self, number=2, version="after"):
        args = dict(
            self.connection,
            network_interface_id="eni-bench{{ '%03d' % item }}",
            state="absent",
            ipv6_addresses=["2408:4005:3a0:a100::{{ '%%x' %% (item * 256 + %d) }}" % number],
        )
        return self.playbook("release_loop_" + version, {MODULE: args}, self.envs[version])

    def loop_ping(self):
        return self.playbook("ping_loop", {"ansible.builtin.ping": {}})

    def sdk_floor(self, number=3):
        return self.timed(
            [
                sys.executable,
                "-c",
                SDK_FLOOR_SCRIPT,
                str(self.emulator.port),
                self.emulator.access_key_id,
                self.emulator.access_key_secret,
                "eni-bench001",
                address(number, 1),
            ]
        )

    def api_calls(self, check_mode, addresses):
        self.control.clear_calls()
        args = dict(
            self.connection,
            network_interface_id="eni-bench002",
            state="absent",
            ipv6_addresses=[address(number, 2) for number in addresses],
            _ansible_check_mode=check_mode,
        )
        started = time.perf_counter()
        self.run_module(args)
        seconds = time.perf_counter() - started
        actions = [call["action"] for call in self.control.calls()]
        reads = sum(1 for action in actions if action.startswith("Describe"))
        return reads, len(actions) - reads, seconds

    def run_module(self, args):
        path = os.path.join(self.workdir, "args.json")
        with open(path, "w") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
        module = os.path.join(ROOT, "plugins", "modules", "ecs_eni_ipv6.py")
        done = subprocess.run([sys.executable, module, path], env=self.env, stdout=subprocess.PIPE, check=False)
        return json.loads(done.stdout.decode("utf-8"))

    def import_seconds(self, version="after"):
        done = subprocess.run(
            [sys.executable, "-c", IMPORT_SCRIPT], env=self.envs[version], stdout=subprocess.PIPE, check=True
        )
        return float(done.stdout.decode("utf-8").strip())

    def importtime_top(self, version="after", count=IMPORTTIME_TOP):
        """One `python -X importtime` import of the module: its cumulative seconds, and the `count` entries below it
        with the largest cumulative and the largest self time, each as (cumulative, self, depth, name)."""
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", IMPORTTIME_SCRIPT],
            env=self.envs[version],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            check=True,
        )
        module = IMPORTTIME_SCRIPT.split()[-1]
        entries = []
        for line in done.stderr.decode("utf-8").splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            own, cumulative, name = line[len("import time:") :].split("|")
            depth = (len(name) - len(name.lstrip()) - 1) // 2
            entries.append((int(cumulative) / 1e6, int(own) / 1e6, depth, name.strip()))
        total = next(entry[0] for entry in entries if entry[3] == module)
        below = [entry for entry in entries if entry[3] != module]
        return {
            "module_seconds": total,
            "by_cumulative": sorted(below, reverse=True)[:count],
            "by_self": sorted(below, key=lambda entry: entry[1], reverse=True)[:count],
        }

    def peak_memory_mib(self):
        """Peak resident memory of one module process releasing one address (ru_maxrss of the child)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.run_module(
            dict(self.connection, network_interface_id="eni-bench003", state="absent", ipv6_addresses=[address(4, 3)])
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return max(after, before) / 1024.0


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per comparison (default 7)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this JSON file")
    parser.add_argument(
        "--before",
        metavar="PATH",
        help="a checkout of the collection to measure side by side in the same rounds, for example "
        "`git worktree add /tmp/bench-before <commit>`",
    )
    options = parser.parse_args()
    if options.before and not os.path.isfile(os.path.join(options.before, "plugins", "modules", "ecs_eni_ipv6.py")):
        parser.error("--before %s is not a checkout of this collection" % options.before)

    with tempfile.TemporaryDirectory(prefix="ecs-bench-") as workdir:
        bench = Bench(workdir, options.before)
        try:
            figures = measure(bench, options.rounds)
        finally:
            bench.emulator.stop()
    if options.before:
        figures["before_path"] = options.before
    report(figures, options.rounds)
    if options.json:
        with open(options.json, "w") as handle:
            json.dump(figures, handle, indent=2)


def measure(bench, rounds):
    bench.seed()
    bench.adhoc_ping()  # warm caches before the first measured round
    # Each measured release takes its own address, so that none finds its address already released.
    runs = [
        ("adhoc_release", lambda: bench.adhoc_release(number=1)),
        ("adhoc_ping", bench.adhoc_ping),
        ("loop_release", lambda: bench.loop_release(number=2)),
        ("loop_ping", bench.loop_ping),
        ("sdk_floor", lambda: bench.sdk_floor(number=3)),
    ]
    if "before" in bench.envs:
        runs += [
            ("before_adhoc_release", lambda: bench.adhoc_release(number=5, version="before")),
            ("before_loop_release", lambda: bench.loop_release(number=4, version="before")),
        ]
    times = dict((name, []) for name, run in runs)
    for number in range(rounds):
        bench.seed()
        # Interleaved, and the order flips every round, so that drift and warm-up hit all sides alike.
        for name, run in runs if number % 2 == 0 else reversed(runs):
            times[name].append(run())
    calls = dict((name, []) for name in API_CALL_CASES)
    # ECS reads are eventually consistent: the same tasks again while Describe lags behind each write.
    for lag in API_CALL_LAGS:
        bench.seed()
        bench.control.set_read_lag(lag)
        for name, (check_mode, numbers) in API_CALL_CASES.items():
            calls[name].append(bench.api_calls(check_mode, numbers))
        bench.control.set_read_lag(0)
    imports = {}
    importtime = {}
    for version in bench.envs:
        imports[version] = median([bench.import_seconds(version) for dummy in range(rounds)])
        # The least disturbed of three imports.
        importtime[version] = min(
            (bench.importtime_top(version) for dummy in range(3)), key=lambda top: top["module_seconds"]
        )
    return {
        "medians": dict((name, median(values)) for name, values in times.items()),
        "minimums": dict((name, min(values)) for name, values in times.items()),
        "runs": times,
        "api_calls": calls,
        "import_seconds": imports,
        "importtime": importtime,
        "peak_memory_mib": bench.peak_memory_mib(),
    }


def report(figures, rounds):
    print(
        "ecs_eni_ipv6 benchmark: %d interleaved rounds, %s, Python %s, %d cores, load average %.2f"
        % (rounds, time.strftime("%Y-%m-%d"), sys.version.split()[0], os.cpu_count(), os.getloadavg()[0])
    )
    if figures.get("before_path"):
        print("before: %s" % figures["before_path"])
    # On a busy machine the medians move with the load; the best round of each is the least disturbed.
    for title, key in (("medians", "medians"), ("best of each", "minimums")):
        print()
        print("%s of %d rounds" % (title, rounds))
        report_times(figures, figures[key])
    print()
    imports = figures["import_seconds"]
    print(
        "%-46s %10s%s"
        % (
            "module import (module, module_utils, SDK), median",
            "%.3fs" % imports["after"],
            "   before %.3fs" % imports["before"] if "before" in imports else "",
        )
    )
    print("%-46s %10s" % ("module process peak memory (1-address release)", "%.1fMiB" % figures["peak_memory_mib"]))
    print()
    print("%-30s" % "API calls (reads + writes)" + "".join("%24s" % ("read lag %gs" % lag) for lag in API_CALL_LAGS))
    for name, by_lag in figures["api_calls"].items():
        print("%-30s" % name + "".join("%24s" % ("%d + %d in %.2fs" % case) for case in by_lag))
    for version, top in sorted(figures["importtime"].items(), reverse=True):
        print()
        print("python -X importtime, one import of the module (%s): %.3fs" % (version, top["module_seconds"]))
        print("  %-70s %10s %10s" % ("top %d by cumulative time (nested)" % IMPORTTIME_TOP, "cumulative", "self"))
        for cumulative, own, depth, name in top["by_cumulative"]:
            print("  %-70s %9.3fs %9.3fs" % ("  " * depth + name, cumulative, own))
        print("  %-70s %10s %10s" % ("top %d by self time" % IMPORTTIME_TOP, "cumulative", "self"))
        for cumulative, own, depth, name in top["by_self"]:
            print("  %-70s %9.3fs %9.3fs" % (name, cumulative, own))


def report_times(figures, med):
    before = "before_adhoc_release" in med
    columns = ("measure", "module", "ping", "ratio") + (("before", "ratio") if before else ())
    row_format = "%-46s %10s %10s %8s" + (" %10s %8s" if before else "")
    print(row_format % columns)

    def row(name, module, ping, before_module=None):
        cells = [name, "%.3fs" % module, "%.3fs" % ping, "%.2fx" % (module / ping)]
        if before:
            cells += ["%.3fs" % before_module, "%.2fx" % (before_module / ping)]
        print(row_format % tuple(cells))

    row("ad hoc task (1-address release)", med["adhoc_release"], med["adhoc_ping"], med.get("before_adhoc_release"))
    row(
        "playbook loop over %d ENIs, per item" % ENI_COUNT,
        med["loop_release"] / ENI_COUNT,
        med["loop_ping"] / ENI_COUNT,
        med.get("before_loop_release", 0) / ENI_COUNT,
    )
    print("%-46s %10s" % ("SDK floor: bare script, same client and calls", "%.3fs" % med["sdk_floor"]))
    floor = med["adhoc_ping"] + med["sdk_floor"]
    above = "%+.1f%%" % (100.0 * (med["adhoc_release"] - floor) / floor)
    cells = ["module above ping + SDK floor (%.3fs)" % floor, above, "", ""]
    if before:
        cells += ["%+.1f%%" % (100.0 * (med["before_adhoc_release"] - floor) / floor), ""]
    print(row_format % tuple(cells))


if __name__ == "__main__":
    main()
