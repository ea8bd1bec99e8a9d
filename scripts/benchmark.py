# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Side-by-side benchmark of ecs_eni_ipv6 against the local ECS emulator (`make benchmark`).

Prints, from one run, medians of interleaved runs, for both paths a task of the collection can take on a local
connection: in a module process (the variable alibabacloud_ecs_controller_side set to false) and in the controller's
worker (the action plugin's controller-side path, the default):
- an ad hoc release task versus an ad hoc ansible.builtin.ping (ratio);
- a playbook looping over 30 ENIs versus the same loop of ping (ratio per item);
- the SDK floor: a bare Python script that imports the same ECS SDK client and makes the same calls, no Ansible;
  and the module's own time above ping + SDK floor;
- with --before PATH, the same tasks run from another checkout of the collection (an earlier commit) in the same
  rounds, side by side;
- the API calls of a no-op, a check-mode run, a 1-address and a 25-address release, on both paths;
- the module's import time, its `python -X importtime` top five (the fastest of three imports), and its peak
  memory;
- the controller's peak memory (the largest process of ansible-playbook's tree) over a 20-item and a 200-item
  release loop, on both paths and for ping;
- a leak check of the controller-side path: 200 tasks run by the action plugin's helper in one process, as in one
  worker, counting its open file descriptors, its TCP connections and its resident memory after the 20th and the
  200th task.
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
print(time.perf_counter() - started)
"""
IMPORTTIME_SCRIPT = "import ansible_collections.alibabacloud.ecs.plugins.modules.ecs_eni_ipv6"
CONTROLLER_SIDE = "alibabacloud_ecs_controller_side"
# The paths of a task on a local connection, as the extra variable that picks each.
PATHS = (("module", "false"), ("controller", "true"))
MEMORY_LOOPS = (20, 200)
# The leak check: the controller-side helper runs `count` tasks in one process, like a worker over a loop, and prints
# its open file descriptors, TCP connections and resident memory after the 20th task and after the last.
LEAK_SCRIPT = r"""
import json, os, resource, sys
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6_info as module
from ansible_collections.alibabacloud.ecs.plugins.plugin_utils._controller_side import run_in_process

def sockets():
    inodes = set()
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink("/proc/self/fd/" + name)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        with open(table) as lines:
            count += sum(1 for line in list(lines)[1:] if line.split()[9] in inodes)
    return count

def rss_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1048576.0

args, count = json.loads(sys.argv[1]), int(sys.argv[2])
figures = {}
for number in range(1, count + 1):
    result = run_in_process(module.run, module.ARGUMENT_SPEC, dict(args), "ecs_eni_ipv6_info", False, False, {})
    if result.get("failed"):
        raise SystemExit(result["msg"])
    if number in (20, count):
        figures[number] = dict(fds=len(os.listdir("/proc/self/fd")), tcp=sockets(), rss_mib=rss_mib())
print(json.dumps(figures))
"""
# Peak resident memory of the largest process of a command's tree (each finished process counts once waited for).
PEAK_SCRIPT = r"""
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
if done.returncode:
    sys.stdout.write(done.stdout.decode("utf-8", "replace"))
    raise SystemExit(done.returncode)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0)
"""


# The API-call cases (check mode, the addresses released of eni-bench002, the primary ENI of i-bench, and how the
# task names it), each run once per read lag.
API_CALL_CASES = {
    "no-op": (False, [200], "network_interface_id"),
    "check mode": (True, [5], "network_interface_id"),
    "1-address release": (False, [5], "network_interface_id"),
    "25-address release": (False, list(range(6, 31)), "network_interface_id"),
    "1-address release, by instance_id": (False, [4], "instance_id"),
}
TARGETS = {"network_interface_id": "eni-bench002", "instance_id": "i-bench"}
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
                        "Type": "Primary" if n == 2 else "Secondary",
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

    def adhoc_release(
        self, eni="eni-bench000", number=1, version="after", path="module", target="network_interface_id"
    ):
        """An ad hoc release of one address of eni (of eni-bench002, the primary ENI, when named by instance_id)."""
        if target == "instance_id":
            eni, number = TARGETS[target], address(number, 2)
        else:
            number = address(number)
        args = dict(self.connection, state="absent", ipv6_addresses=[number], **{target: eni})
        return self.timed(
            [ANSIBLE, "localhost"] + self.inventory + self.path_vars(path) + ["-m", MODULE, "-a", json.dumps(args)],
            self.envs[version],
        )

    @staticmethod
    def path_vars(path):
        """The extra variable that picks the path (given to the checkout before the change too, which ignores it)."""
        return ["-e", "%s=%s" % (CONTROLLER_SIDE, dict(PATHS)[path])]

    def adhoc_ping(self):
        return self.timed([ANSIBLE, "localhost"] + self.inventory + ["-m", "ansible.builtin.ping"])

    def playbook_command(self, name, task, items=ENI_COUNT, path="module"):
        playbook = os.path.join(self.workdir, name + ".yml")
        play = [
            {
                "hosts": "localhost",
                "gather_facts": False,
                "tasks": [dict(task, name=name, loop="{{ range(%d) | list }}" % items)],
            }
        ]
        with open(playbook, "w") as handle:
            json.dump(play, handle)
        return [ANSIBLE_PLAYBOOK] + self.inventory + self.path_vars(path) + [playbook]

    def playbook(self, name, task, env=None, path="module"):
        return self.timed(self.playbook_command(name, task, path=path), env)

    @staticmethod
    def release_task(number, connection):
        """Item i releases address `number + i // 30` of ENI i % 30: a loop of up to 30 * (255 - number) items."""
        return {
            MODULE: dict(
                connection,
                network_interface_id="eni-bench{{ '%%03d' %% (item %% %d) }}" % ENI_COUNT,
                state="absent",
                ipv6_addresses=[
                    "2408:4005:3a0:a100::{{ '%%x' %% ((item %% %d) * 256 + %d + item // %d) }}"
                    % (ENI_COUNT, number, ENI_COUNT)
                ],
            )
        }

    def loop_release(self, number=2, version="after", path="module"):
        task = self.release_task(number, self.connection)
        return self.playbook("release_loop_%s_%s" % (version, path), task, self.envs[version], path)

    def loop_peak_memory_mib(self, items, path=None):
        """Peak memory of the largest process of a release loop of `items` items on a path (None: a ping loop)."""
        self.seed(addresses_each=items // ENI_COUNT + 20)
        task = {"ansible.builtin.ping": {}} if path is None else self.release_task(12, self.connection)
        command = self.playbook_command("memory_%s_%d" % (path, items), task, items, path or "module")
        done = subprocess.run(
            [sys.executable, "-c", PEAK_SCRIPT] + command, env=self.env, stdout=subprocess.PIPE, check=False
        )
        if done.returncode:
            raise RuntimeError("the %d-item loop failed:\n%s" % (items, done.stdout.decode("utf-8", "replace")))
        return float(done.stdout.decode("utf-8").strip().splitlines()[-1])

    def leak_check(self, count=200):
        """Open fds, TCP connections and resident memory of one process after 20 and `count` controller-side tasks."""
        args = dict(self.connection, network_interface_ids=["eni-bench001"])
        done = subprocess.run(
            [sys.executable, "-c", LEAK_SCRIPT, json.dumps(args), str(count)],
            env=self.env,
            stdout=subprocess.PIPE,
            check=True,
        )
        return json.loads(done.stdout.decode("utf-8"))

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

    def api_calls(self, check_mode, addresses, path="module", target="network_interface_id"):
        """Reads, writes and seconds of one release task: the module run by itself, or an ad hoc task in the
        controller's worker."""
        self.control.clear_calls()
        args = dict(
            self.connection,
            state="absent",
            ipv6_addresses=[address(number, 2) for number in addresses],
            **{target: TARGETS[target]}
        )
        started = time.perf_counter()
        if path == "module":
            self.run_module(dict(args, _ansible_check_mode=check_mode))
        else:
            command = [ANSIBLE, "localhost"] + self.inventory + self.path_vars(path) + ["-m", MODULE]
            self.timed(command + ["-a", json.dumps(args)] + (["--check"] if check_mode else []))
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
        ("controller_adhoc_release", lambda: bench.adhoc_release(number=6, path="controller")),
        ("controller_loop_release", lambda: bench.loop_release(number=7, path="controller")),
        ("adhoc_release_by_instance", lambda: bench.adhoc_release(number=1, target="instance_id")),
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
    calls = dict((path, dict((name, []) for name in API_CALL_CASES)) for path, value in PATHS)
    # ECS reads are eventually consistent: the same tasks again while Describe lags behind each write.
    for path, value in PATHS:
        for lag in API_CALL_LAGS:
            bench.seed()
            bench.control.set_read_lag(lag)
            for name, (check_mode, numbers, target) in API_CALL_CASES.items():
                calls[path][name].append(bench.api_calls(check_mode, numbers, path, target))
            bench.control.set_read_lag(0)
    memory = {}
    for items in MEMORY_LOOPS:
        for path in ("ping",) + tuple(path for path, value in PATHS):
            memory["%s %d" % (path, items)] = bench.loop_peak_memory_mib(items, None if path == "ping" else path)
    bench.seed()
    leaks = bench.leak_check()
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
        "loop_peak_memory_mib": memory,
        "leak_check": leaks,
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
    print(
        "%-30s" % "API calls (reads + writes)"
        + "".join("%24s" % ("%s, lag %gs" % (path, lag)) for path, value in PATHS for lag in API_CALL_LAGS)
    )
    for name in API_CALL_CASES:
        cases = [case for path, value in PATHS for case in figures["api_calls"][path][name]]
        print("%-30s" % name + "".join("%24s" % ("%d + %d in %.2fs" % tuple(case)) for case in cases))
    print("(module: the module run by itself, as today; controller: an ad hoc task, ansible's start included)")
    print()
    print(
        "%-46s" % "controller peak memory, release loop"
        + "".join("%12s" % path for path in ("ping", "module", "controller"))
    )
    for items in MEMORY_LOOPS:
        print(
            "%-46s" % ("%d items" % items)
            + "".join(
                "%11.1fM" % figures["loop_peak_memory_mib"]["%s %d" % (path, items)]
                for path in ("ping", "module", "controller")
            )
        )
    leaks = figures["leak_check"]
    first, last = sorted(leaks, key=int)
    print()
    print("%-46s %12s %12s" % ("controller-side leak check, one process", "after %s" % first, "after %s" % last))
    for key, label in (("fds", "open file descriptors"), ("tcp", "TCP connections"), ("rss_mib", "resident MiB")):
        print("%-46s %12s %12s" % (label, "%g" % round(leaks[first][key], 1), "%g" % round(leaks[last][key], 1)))
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
            cells += ["%.3fs" % before_module, "%.2fx" % (before_module / ping)] if before_module else ["", ""]
        print(row_format % tuple(cells))

    row(
        "ad hoc task (1-address release), module",
        med["adhoc_release"],
        med["adhoc_ping"],
        med.get("before_adhoc_release"),
    )
    row("ad hoc task (1-address release by instance_id), module", med["adhoc_release_by_instance"], med["adhoc_ping"])
    row(
        "loop over %d ENIs, per item, module" % ENI_COUNT,
        med["loop_release"] / ENI_COUNT,
        med["loop_ping"] / ENI_COUNT,
        med.get("before_loop_release", 0) / ENI_COUNT,
    )
    row(
        "ad hoc task (1-address release), controller",
        med["controller_adhoc_release"],
        med["adhoc_ping"],
        med.get("before_adhoc_release"),
    )
    row(
        "loop over %d ENIs, per item, controller" % ENI_COUNT,
        med["controller_loop_release"] / ENI_COUNT,
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
