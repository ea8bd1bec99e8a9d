# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Side-by-side benchmark of ecs_eni_ipv6 against the local ECS emulator (`make benchmark`).

Prints, from one run, medians of interleaved runs:
- an ad hoc release task versus an ad hoc ansible.builtin.ping (ratio);
- a playbook looping over 30 ENIs versus the same loop of ping (ratio per item);
- a bare Python script making the same SDK calls (the floor the SDK allows);
- the API calls of a no-op, a check-mode run, a 1-address and a 25-address release;
- the module's import time and peak memory.
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
SDK_FLOOR_SCRIPT = r"""
import sys
from alibabacloud_ecs20140526.client import Client
from alibabacloud_ecs20140526 import models
from alibabacloud_tea_openapi.models import Config
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
from ansible_collections.alibabacloud.ecs.plugins.module_utils import _client
print(time.perf_counter() - started)
"""


def address(number, eni=0):
    """Address `number` of ENI number `eni` (each ENI holds its own range: no address is on two ENIs)."""
    return "2408:4005:3a0:a100::%x" % (eni * 256 + number)


class Bench(object):
    """The emulator, a collection path, and the environment every measured command runs in."""

    def __init__(self, workdir):
        self.emulator = start_emulator()
        self.control = self.emulator.control
        collections = os.path.join(workdir, "collections")
        os.makedirs(os.path.join(collections, "ansible_collections", "alibabacloud"))
        os.symlink(ROOT, os.path.join(collections, "ansible_collections", "alibabacloud", "ecs"))
        self.collections = collections
        self.workdir = workdir
        self.env = dict(
            os.environ,
            ALIBABA_CLOUD_ECS_METADATA_DISABLED="true",
            ANSIBLE_COLLECTIONS_PATH=collections,
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
            PYTHONPATH=collections,
        )
        self.connection = dict(
            region="cn-hangzhou",
            endpoint="http://127.0.0.1:%d" % self.emulator.port,
            access_key_id=self.emulator.access_key_id,
            access_key_secret=self.emulator.access_key_secret,
        )
        self.inventory = ["-i", "localhost,", "-c", "local", "-e", "ansible_python_interpreter=" + sys.executable]

    def seed(self, addresses_each=30):
        """Fresh ENIs eni-bench000..029, each holding `addresses_each` addresses."""
        self.control.reset()
        self.control.seed({
            "instances": [{"InstanceId": "i-bench", "Status": "Running", "EniIpv6AddressQuantity": 50}],
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-bench%03d" % n, "InstanceId": "i-bench", "Status": "InUse",
                 "Ipv6Addresses": [address(a, n) for a in range(1, addresses_each + 1)]}
                for n in range(ENI_COUNT)
            ],
        })

    def timed(self, command):
        started = time.perf_counter()
        done = subprocess.run(command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError("%s failed:\n%s" % (" ".join(command[:4]), done.stdout.decode("utf-8", "replace")))
        return elapsed

    def adhoc_release(self, eni="eni-bench000", number=1):
        args = dict(self.connection, network_interface_id=eni, state="absent", ipv6_addresses=[address(number)])
        return self.timed([ANSIBLE, "localhost"] + self.inventory + ["-m", MODULE, "-a", json.dumps(args)])

    def adhoc_ping(self):
        return self.timed([ANSIBLE, "localhost"] + self.inventory + ["-m", "ansible.builtin.ping"])

    def playbook(self, name, task):
        path = os.path.join(self.workdir, name + ".yml")
        play = [{
            "hosts": "localhost", "gather_facts": False,
            "tasks": [dict(task, name=name, loop="{{ range(%d) | list }}" % ENI_COUNT)],
        }]
        with open(path, "w") as handle:
            json.dump(play, handle)
        return self.timed([ANSIBLE_PLAYBOOK] + self.inventory + [path])

    def loop_release(self):
        args = dict(self.connection, network_interface_id="eni-bench{{ '%03d' % item }}", state="absent",
                    ipv6_addresses=["2408:4005:3a0:a100::{{ '%x' % (item * 256 + 2) }}"])
        return self.playbook("release_loop", {MODULE: args})

    def loop_ping(self):
        return self.playbook("ping_loop", {"ansible.builtin.ping": {}})

    def sdk_floor(self, number=3):
        return self.timed([sys.executable, "-c", SDK_FLOOR_SCRIPT, str(self.emulator.port), self.emulator.access_key_id,
                           self.emulator.access_key_secret, "eni-bench001", address(number, 1)])

    def api_calls(self, check_mode, addresses):
        self.control.clear_calls()
        args = dict(self.connection, network_interface_id="eni-bench002", state="absent",
                    ipv6_addresses=[address(number, 2) for number in addresses], _ansible_check_mode=check_mode)
        self.run_module(args)
        actions = [call["action"] for call in self.control.calls()]
        reads = sum(1 for action in actions if action.startswith("Describe"))
        return reads, len(actions) - reads

    def run_module(self, args):
        path = os.path.join(self.workdir, "args.json")
        with open(path, "w") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
        module = os.path.join(ROOT, "plugins", "modules", "ecs_eni_ipv6.py")
        done = subprocess.run([sys.executable, module, path], env=self.env, stdout=subprocess.PIPE, check=False)
        return json.loads(done.stdout.decode("utf-8"))

    def import_seconds(self):
        done = subprocess.run([sys.executable, "-c", IMPORT_SCRIPT], env=self.env, stdout=subprocess.PIPE, check=True)
        return float(done.stdout.decode("utf-8").strip())

    def peak_memory_mib(self):
        """Peak resident memory of one module process releasing one address (ru_maxrss of the child)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.run_module(dict(self.connection, network_interface_id="eni-bench003", state="absent",
                             ipv6_addresses=[address(4, 3)]))
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return max(after, before) / 1024.0


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per comparison (default 7)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this JSON file")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ecs-bench-") as workdir:
        bench = Bench(workdir)
        try:
            figures = measure(bench, options.rounds)
        finally:
            bench.emulator.stop()
    report(figures, options.rounds)
    if options.json:
        with open(options.json, "w") as handle:
            json.dump(figures, handle, indent=2)


def measure(bench, rounds):
    bench.seed()
    bench.adhoc_ping()  # warm caches before the first measured round
    times = {"adhoc_release": [], "adhoc_ping": [], "loop_release": [], "loop_ping": [], "sdk_floor": []}
    for number in range(rounds):
        bench.seed()
        # Interleaved, and the order flips every round, so that drift and warm-up hit both sides alike.
        pairs = [("adhoc_release", bench.adhoc_release), ("adhoc_ping", bench.adhoc_ping),
                 ("loop_release", bench.loop_release), ("loop_ping", bench.loop_ping),
                 ("sdk_floor", bench.sdk_floor)]
        for name, run in pairs if number % 2 == 0 else reversed(pairs):
            times[name].append(run())
    bench.seed()
    calls = {
        "no-op": bench.api_calls(False, [200]),
        "check mode": bench.api_calls(True, [5]),
        "1-address release": bench.api_calls(False, [5]),
        "25-address release": bench.api_calls(False, list(range(6, 31))),
    }
    imports = [bench.import_seconds() for dummy in range(rounds)]
    return {
        "medians": dict((name, median(values)) for name, values in times.items()),
        "runs": times,
        "api_calls": calls,
        "import_seconds": median(imports),
        "peak_memory_mib": bench.peak_memory_mib(),
    }


def report(figures, rounds):
    med = figures["medians"]
    print("ecs_eni_ipv6 benchmark: medians of %d interleaved rounds, %s, Python %s, %d cores"
          % (rounds, time.strftime("%Y-%m-%d"), sys.version.split()[0], os.cpu_count()))
    print()
    print("%-46s %10s %10s %8s" % ("measure", "module", "ping", "ratio"))
    print("%-46s %9.3fs %9.3fs %7.2fx" % ("ad hoc task", med["adhoc_release"], med["adhoc_ping"],
                                          med["adhoc_release"] / med["adhoc_ping"]))
    per_item = med["loop_release"] / ENI_COUNT, med["loop_ping"] / ENI_COUNT
    print("%-46s %9.3fs %9.3fs %7.2fx" % ("playbook loop over %d ENIs, per item" % ENI_COUNT, per_item[0],
                                          per_item[1], per_item[0] / per_item[1]))
    print("%-46s %9.3fs" % ("bare SDK script: same calls (the floor)", med["sdk_floor"]))
    print("%-46s %9.3fs" % ("module import (module, module_utils, SDK)", figures["import_seconds"]))
    print("%-46s %8.1fMiB" % ("module process peak memory (1-address release)", figures["peak_memory_mib"]))
    print()
    print("%-46s %6s %7s" % ("API calls", "reads", "writes"))
    for name, (reads, writes) in figures["api_calls"].items():
        print("%-46s %6d %7d" % (name, reads, writes))


if __name__ == "__main__":
    main()
