# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's modules as real processes against the ECS emulator, and judge what they did.

A scenario resets and seeds the emulator, queues faults, runs one module process (through the real SDK, over
a real socket), then reads the emulator's call log and state to count faults and writes, to find anything
released or assigned twice, and to compare the ENI with the goal of the task.
"""

import ast
import ipaddress
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMULATOR_DIR = os.path.join(REPO, "tests", "emulator")
MODULES_DIR = os.path.join(REPO, "plugins", "modules")
PYTHON = sys.executable
BIN_DIR = os.path.dirname(PYTHON)

REGION = "cn-hangzhou"
ENI = "eni-rel0001"
NEIGHBOUR = "eni-rel0002"
INSTANCE = "i-rel0001"
NET = "2408:4005:3a0:a100::"
PREFIX_NET = "2408:4005:3a0:a1ff:%x::/80"
WRITE_ACTIONS = ("AssignIpv6Addresses", "UnassignIpv6Addresses")
# No scenario may run longer than this: every module process is killed after it.
PROCESS_TIMEOUT = 240
# Every write scenario runs once without read lag and once with LAG seconds of it (see conftest.py). The module's
# first pause before a confirming read is 1 s: 1 s is the longest lag that costs a task one pause and no more.
LAG = 1.0
LAGS = (0.0, LAG)
# With lag, a task that sets no wait_timeout gets twice its scenario's expected duration, and at least this: a task
# that would wait for ECS for ever (the default is 300 s) then fails soon, and every other one has ample time.
LAG_WAIT_TIMEOUT = 15
# Environment variables that could hand the SDK credentials or a proxy from the machine running the suite.
_SCRUBBED = re.compile(r"^(ALIBABA_CLOUD_|ALICLOUD_|ALIYUN_|HTTPS?_PROXY$|ALL_PROXY$|NO_PROXY$)", re.IGNORECASE)
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)")


def constant(module_util, name, within=None):
    """The value of a constant of plugins/module_utils/<module_util>.py, read from its source: a module-level
    assignment, or with `within` the default of a field of that class."""
    with open(os.path.join(REPO, "plugins", "module_utils", module_util + ".py")) as stream:
        tree = ast.parse(stream.read())
    body = tree.body
    if within:
        body = next(node.body for node in tree.body if isinstance(node, ast.ClassDef) and node.name == within)
    for node in body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == name for target in node.targets):
            return ast.literal_eval(node.value)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == name:
            return ast.literal_eval(node.value)
    raise KeyError(name)


def addr(number):
    """The canonical address number `number` of the test vSwitch: addr(10) -> '2408:4005:3a0:a100::a'."""
    return "%s%x" % (NET, number)


def addrs(*numbers):
    """Several addresses, see addr()."""
    return [addr(number) for number in numbers]


def prefix(number):
    """A canonical /80 prefix: prefix(1) -> '2408:4005:3a0:a1ff:1::/80'."""
    return PREFIX_NET % number


def canonical(value):
    """The RFC 5952 form of an address or prefix (the emulator's call log keeps what the client sent)."""
    if "/" in value:
        return ipaddress.IPv6Network(value, strict=False).compressed
    return ipaddress.IPv6Address(value).compressed


def standard_seed(
    addresses=None, prefixes=None, eni_status="InUse", instance_status="Running", quota=20, eni_type="Secondary"
):
    """The seed most scenarios start from: ENI eni-rel0001 attached to i-rel0001 (as its `eni_type`: Secondary, or
    Primary for the tasks that name the instance), and a neighbour ENI."""
    return {
        "instances": [{"InstanceId": INSTANCE, "Status": instance_status, "EniIpv6AddressQuantity": quota}],
        "network_interfaces": [
            {
                "NetworkInterfaceId": ENI,
                "InstanceId": INSTANCE,
                "Status": eni_status,
                "Type": eni_type,
                "Ipv6Addresses": addrs(1, 2, 3, 4, 5, 6) if addresses is None else list(addresses),
                "Ipv6Prefixes": [prefix(1)] if prefixes is None else list(prefixes),
                "Tags": {"suite": "reliability"},
            },
            {
                "NetworkInterfaceId": NEIGHBOUR,
                "Status": "Available",
                "Ipv6Addresses": addrs(0x20, 0x21),
                "Ipv6Prefixes": [prefix(2)],
            },
        ],
    }


class Collection(object):
    """A directory holding ansible_collections/alibabacloud/ecs as a link to the checkout, for imports."""

    def __init__(self, root):
        self.root = root
        namespace = os.path.join(root, "ansible_collections", "alibabacloud")
        os.makedirs(namespace, exist_ok=True)
        link = os.path.join(namespace, "ecs")
        if not os.path.islink(link):
            os.symlink(REPO, link)


def module_env(collection, home, extra=None, unset=()):
    """The environment of a module or ansible process: loopback only, no credentials from this machine."""
    env = dict((key, value) for key, value in os.environ.items() if not _SCRUBBED.match(key))
    env.update(
        PATH=BIN_DIR + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
        PYTHONPATH=collection.root,
        ANSIBLE_COLLECTIONS_PATH=collection.root,
        ANSIBLE_LOCAL_TEMP=os.path.join(home, "ansible-local"),
        ANSIBLE_REMOTE_TEMP=os.path.join(home, "ansible-remote"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="false",
        ANSIBLE_HOST_KEY_CHECKING="false",
        ANSIBLE_RETRY_FILES_ENABLED="false",
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        HOME=home,
        ALIBABA_CLOUD_ECS_METADATA_DISABLED="true",
        ALIBABA_CLOUD_CLI_PROFILE_DISABLED="true",
        ALIBABA_CLOUD_CREDENTIALS_FILE="/nonexistent",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    env.update(extra or {})
    for key in unset:
        env.pop(key, None)
    return env


class ModuleRun(object):
    """One finished module process: its result, exit code, output and how long it took."""

    def __init__(self, args, returncode, stdout, stderr, seconds, result=None):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.result = parse_result(stdout) if result is None else result

    @property
    def failed(self):
        return bool(self.result.get("failed")) or self.returncode != 0

    @property
    def code(self):
        """The ECS error code of a failure (None for input errors, which carry no error dict)."""
        return (self.result.get("error") or {}).get("code")

    @property
    def msg(self):
        return self.result.get("msg") or ""

    def outcome(self):
        """'ok', 'changed', 'failed: <code>' or 'failed: input' for the table."""
        if self.failed:
            return "failed: %s" % (self.code or "input")
        return "changed" if self.result.get("changed") else "ok"

    def assert_clean_failure(self, *words):
        """The task failed with a JSON result and a message (holding every one of words), and no traceback."""
        assert self.returncode == 1, self.describe()
        assert self.result.get("failed") is True, self.describe()
        assert self.msg, self.describe()
        assert "exception" not in self.result, self.describe()
        assert not _TRACEBACK.search(self.stdout + self.stderr), self.describe()
        for word in words:
            assert word in self.msg, "%r not in the message: %s" % (word, self.describe())

    def describe(self):
        """Everything about the run, for assertion messages."""
        return "rc=%s seconds=%.1f\nargs=%s\nstdout=%s\nstderr=%s" % (
            self.returncode,
            self.seconds,
            _masked_args(self.args),
            self.stdout[-3000:],
            self.stderr[-3000:],
        )


def _masked_args(args):
    return dict((key, "<secret>" if "secret" in key or "token" in key else value) for key, value in args.items())


def parse_result(stdout):
    """The module's JSON result (the last JSON document it printed), or {} when there is none."""
    text = stdout.strip()
    for start in [0] + [match.start() for match in re.finditer(r"^\{", text, re.MULTILINE)][::-1]:
        try:
            value = json.loads(text[start:])
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def _run_with_arguments_file(command, document, args, env, workdir, timeout):
    """Run command + [a file holding document as JSON] in workdir; return a ModuleRun for args."""
    handle, path = tempfile.mkstemp(prefix="args-", suffix=".json", dir=workdir)
    with os.fdopen(handle, "w") as stream:
        json.dump(document, stream)
    started = time.monotonic()
    try:
        process = subprocess.run(
            command + [path],
            env=env,
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    finally:
        os.unlink(path)
    return ModuleRun(args, process.returncode, process.stdout, process.stderr, time.monotonic() - started)


def run_module(name, args, env, workdir, check_mode=False, timeout=PROCESS_TIMEOUT):
    """Run plugins/modules/<name>.py as its own process with these arguments; return a ModuleRun."""
    document = dict(args)
    document.update(_ansible_check_mode=check_mode, _ansible_diff=True, _ansible_tmpdir=workdir)
    command = [PYTHON, os.path.join(MODULES_DIR, name + ".py")]
    return _run_with_arguments_file(command, {"ANSIBLE_MODULE_ARGS": document}, args, env, workdir, timeout)


# The controller-side runner: a fresh Python that imports the module from the collection on PYTHONPATH and runs its
# run(module) through run_in_process, as the action plugin does. AnsibleModule cannot be built in it, so a task that
# ended up in a module's main() would fail; the sentinel on stderr says that run_in_process was the entry.
CONTROLLER_SENTINEL = "reliability: entry run_in_process"
_CONTROLLER_RUNNER = """
import importlib, json, sys
from ansible.module_utils import basic

def _refused(*args, **kwargs):
    raise RuntimeError("AnsibleModule built on the controller-side path")

basic.AnsibleModule.__init__ = _refused
from ansible_collections.alibabacloud.ecs.plugins.plugin_utils import _controller_side

name, check_mode, path = sys.argv[1], sys.argv[2] == "1", sys.argv[3]
module = importlib.import_module(_controller_side.MODULES_PACKAGE + "." + name)
with open(path) as stream:
    args = json.load(stream)
sys.stderr.write(%r + " " + _controller_side.run_in_process.__module__ + "\\n")
result = _controller_side.run_in_process(
    module.run, module.ARGUMENT_SPEC, args, name, check_mode=check_mode, diff=True, environment={},
    option_rules=module.OPTION_RULES,
)
print(json.dumps(result))
sys.exit(1 if result.get("failed") else 0)
""" % CONTROLLER_SENTINEL
PATHS = ("module", "controller")


def run_in_controller(name, args, env, workdir, check_mode=False, timeout=PROCESS_TIMEOUT):
    """Run the module's run(module) through the controller-side run_in_process, in a fresh Python with the
    environment and timeout of run_module; return a ModuleRun (exit code 1 when the result failed)."""
    command = [PYTHON, "-c", _CONTROLLER_RUNNER, name, "1" if check_mode else "0"]
    return _run_with_arguments_file(command, args, args, env, workdir, timeout)


def run_command(command, env, workdir, timeout=PROCESS_TIMEOUT):
    """Run ansible or ansible-playbook; return (exit code, stdout and stderr together, seconds)."""
    started = time.monotonic()
    process = subprocess.run(
        command,
        env=env,
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    return process.returncode, process.stdout, time.monotonic() - started


def playbook_run(args, returncode, output, seconds):
    """A ModuleRun from an ansible-playbook or ansible run: the result is the first one the output shows."""
    decoder = json.JSONDecoder()
    result = {}
    pattern = r"^(?:(?:ok|changed|fatal|failed): \[localhost\](?:: FAILED!)?|localhost \| [A-Z]+!?) => "
    for match in re.finditer(pattern, output, re.MULTILINE):
        try:
            result = decoder.raw_decode(output, match.end())[0]
        except ValueError:
            continue
        # The callback shows a failure by its prefix and leaves "failed" out of the result it prints.
        if "FAILED" in match.group(0) or match.group(0).startswith(("fatal", "failed")):
            result["failed"] = True
        break
    assert result, "no task result in the output (rc=%s):\n%s" % (returncode, output[-4000:])
    code = 1 if result.get("failed") else 0
    return ModuleRun(args, code, output, "", seconds, result=result)


class ClosedPort(object):
    """A loopback port that refuses connections: bound (so nothing else takes it) but never listening."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class LatePort(ClosedPort):
    """A loopback port that refuses connections for `seconds`, then forwards every connection to `target_port`."""

    def __init__(self, target_port, seconds):
        super(LatePort, self).__init__()
        self.target_port = target_port
        self.closed = threading.Event()
        self.timer = threading.Timer(seconds, self._serve)
        self.timer.daemon = True
        self.timer.start()

    def _serve(self):
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        while not self.closed.is_set():
            try:
                client, _address = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def close(self):
        self.closed.set()
        self.timer.cancel()
        super(LatePort, self).close()


def _pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------- judging


def _indexed(params, name):
    return [canonical(value) for key, value in sorted(params.items()) if key.startswith(name + ".")]


def write_log(calls):
    """The write calls of a call log: [(action, applied, addresses, prefixes, address count, prefix count)]."""
    writes = []
    for call in calls:
        if call["action"] not in WRITE_ACTIONS:
            continue
        params = call["params"]
        writes.append(
            (
                call["action"],
                bool(call["applied"]),
                _indexed(params, "Ipv6Address"),
                _indexed(params, "Ipv6Prefix"),
                int(params.get("Ipv6AddressCount") or 0),
                int(params.get("Ipv6PrefixCount") or 0),
            )
        )
    return writes


def written_twice(calls, needed_counts=(0, 0)):
    """How many items were released or assigned by more than one applied call, plus counts applied beyond need.

    needed_counts is (addresses, prefixes) the task had to have ECS choose, as it read the ENI.
    """
    seen = {}
    chosen = [0, 0]
    for action, applied, addresses, prefixes, address_count, prefix_count in write_log(calls):
        if not applied:
            continue
        for item in addresses + prefixes:
            seen[(action, item)] = seen.get((action, item), 0) + 1
        chosen[0] += address_count
        chosen[1] += prefix_count
    twice = sum(times - 1 for times in seen.values() if times > 1)
    return twice + max(0, chosen[0] - needed_counts[0]) + max(0, chosen[1] - needed_counts[1])


def call_summary(calls):
    """The call log as short lines (time since the first call, action, status, code, applied, items), for
    assertion messages."""
    lines = []
    for call in calls:
        params = call["params"]
        items = _indexed(params, "Ipv6Address") + _indexed(params, "Ipv6Prefix")
        counts = [key + "=" + params[key] for key in ("Ipv6AddressCount", "Ipv6PrefixCount") if params.get(key)]
        lines.append(
            "  +%6.2f s %s %s %s%s%s %s"
            % (
                call["time"] - calls[0]["time"],
                call["action"],
                call["status"],
                call["code"] or "",
                " applied" if call["applied"] else "",
                " fault=" + call["fault"] if call.get("fault") else "",
                " ".join(items + counts),
            )
        )
    return "\n".join(lines)


def written_again(earlier, calls):
    """How many items an applied write of `calls` carried that an applied write of the same action in `earlier`
    (the tasks run before, in the same scenario) already carried."""
    done = set()
    for action, applied, addresses, prefixes, _count, _prefix_count in write_log(earlier):
        if applied:
            done.update((action, item) for item in addresses + prefixes)
    again = 0
    for action, applied, addresses, prefixes, _count, _prefix_count in write_log(calls):
        if applied:
            again += sum(1 for item in addresses + prefixes if (action, item) in done)
    return again


def released_and_assigned(calls):
    """(items released, items assigned by name) by applied write calls."""
    released, assigned = set(), set()
    for action, applied, addresses, prefixes, _count, _prefix_count in write_log(calls):
        if applied:
            (released if action == "UnassignIpv6Addresses" else assigned).update(addresses + prefixes)
    return released, assigned


class Goal(object):
    """What the ENI must hold after a successful task, worked out from the documented meaning of its options.

    For each kind (addresses, prefixes): `include` must be held, `exclude` must not, and the ENI must hold exactly
    `size` (for a count, ECS chooses which). `held` is the ENI as the task's writes found it.
    """

    def __init__(self, args, addresses, prefixes):
        self.kinds = {
            "ipv6_addresses": self._kind(
                args, "ipv6_addresses", "ipv6_address_count", "purge_ipv6_addresses", addresses
            ),
            "ipv6_prefixes": self._kind(args, "ipv6_prefixes", "ipv6_prefix_count", "purge_ipv6_prefixes", prefixes),
        }

    @staticmethod
    def _kind(args, list_option, count_option, purge_option, held):
        held = [canonical(item) for item in held]
        items = []
        for item in args.get(list_option) or []:
            if canonical(item) not in items:
                items.append(canonical(item))
        if args.get("state") == "absent":
            return dict(include=[item for item in held if item not in items], exclude=items, size=None, chosen=0)
        count = args.get(count_option) or 0
        if args.get(purge_option):
            others = [item for item in held if item not in items]
            kept = others[: max(0, count - len(items))]
            base = items + kept
            exclude = [item for item in others if item not in kept]
        else:
            base = held + [item for item in items if item not in held]
            exclude = []
        return dict(include=base, exclude=exclude, size=max(len(base), count), chosen=max(0, count - len(base)))

    @property
    def needed_counts(self):
        """How many addresses and prefixes ECS must choose to reach the counts."""
        return self.kinds["ipv6_addresses"]["chosen"], self.kinds["ipv6_prefixes"]["chosen"]

    def misses(self, eni):
        """How many ways the ENI (the emulator's view) falls short of the goal: 0 when it holds exactly the goal."""
        misses = 0
        for kind, key in (("ipv6_addresses", "Ipv6Addresses"), ("ipv6_prefixes", "Ipv6Prefixes")):
            goal = self.kinds[kind]
            held = set(eni[key])
            misses += len(set(goal["include"]) - held) + len(set(goal["exclude"]) & held)
            if goal["size"] is not None and len(held) != goal["size"]:
                misses += abs(len(held) - goal["size"])
        return misses


def eni_summary(eni, before=None):
    """'InUse 8a 1p (+2 -0)' for the table: status, addresses, prefixes, and the change since `before`."""
    if eni is None:
        return "-"
    text = "%s %da %dp" % (eni["Status"], len(eni["Ipv6Addresses"]), len(eni["Ipv6Prefixes"]))
    if before is not None:
        now = set(eni["Ipv6Addresses"]) | set(eni["Ipv6Prefixes"])
        then = set(before["Ipv6Addresses"]) | set(before["Ipv6Prefixes"])
        text += " (+%d -%d)" % (len(now - then), len(then - now))
    return text


def render_table(rows):
    """The table of every scenario, as lines of text."""
    columns = (
        ("scenario", "scenario", "<"),
        ("path", "path", "<"),
        ("lag", "lag", ">"),
        ("faults", "faults", ">"),
        ("outcome", "outcome", "<"),
        ("eni", "ENI after (+/-)", "<"),
        ("goal", "goal", "<"),
        ("shown", "shown", "<"),
        ("writes", "writes ok/sent", ">"),
        ("calls", "calls", ">"),
        ("twice", "twice", ">"),
        ("lost", "lost", ">"),
        ("seconds", "secs", ">"),
    )
    cells = []
    for row in rows:
        goal = {True: "reached", False: "MISSED", None: "n/a"}[row["goal"]]
        cells.append(
            dict(
                scenario=row["scenario"],
                path=row["path"],
                lag="%g" % row["lag"],
                faults=str(row["faults"]),
                outcome=row["outcome"],
                eni=row["eni"],
                goal=goal,
                shown={True: "yes", False: "STALE", None: "-"}[row["shown"]],
                writes="%d/%d" % (row["writes_applied"], row["writes_sent"]),
                calls=_calls_cell(row),
                twice=str(row["twice"]),
                lost=str(row["lost"]),
                seconds="%.1f" % row["seconds"],
            )
        )
    widths = dict((key, max([len(title)] + [len(cell[key]) for cell in cells])) for key, title, _align in columns)

    def line(values):
        return "  ".join(
            ("{:%s%d}" % (align, widths[key])).format(values[key]) for key, _title, align in columns
        ).rstrip()

    lines = [line(dict((key, title) for key, title, _align in columns))]
    lines.append("  ".join("-" * widths[key] for key, _title, _align in columns))
    lines.extend(line(cell) for cell in cells)
    return lines


def _calls_cell(row):
    """API calls of the task; for a group of tasks, the mean per task."""
    if row.get("count"):
        return "%.1f" % (float(row["calls"]) / row["count"])
    return str(row["calls"])


def render_totals(rows, groups=()):
    """The totals under the table: for each lag, then for all (`groups`: the grouped rows, each summing its
    scenarios)."""
    lines = [
        "%s: every one failed cleanly: %s; API calls made: %d"
        % (group["scenario"], "yes" if group["clean"] else "NO", group["calls"])
        for group in groups
    ]
    lags = sorted(set(row["lag"] for row in rows))
    header = (
        "read lag / path",
        "scenarios",
        "faults",
        "goal reached",
        "shown at end",
        "clean failures",
        "lost",
        "twice",
        "writes ok/sent",
        "calls/task mean",
        "calls/task max",
        "task secs",
    )
    table = [header]
    selections = [("%g s" % lag, [row for row in rows if row["lag"] == lag]) for lag in lags]
    selections += [(path, [row for row in rows if row["path"] == path]) for path in PATHS]
    for lag, selected in selections + [("all", rows)]:
        goal_rows = [row for row in selected if row["goal"] is not None]
        failures = [row for row in selected if row["goal"] is None]
        shown_rows = [row for row in selected if row["shown"] is not None]
        table.append(
            (
                lag,
                str(len(selected)),
                str(sum(row["faults"] for row in selected)),
                "%d/%d" % (sum(1 for row in goal_rows if row["goal"]), len(goal_rows)),
                "%d/%d" % (sum(1 for row in shown_rows if row["shown"]), len(shown_rows)),
                "%d/%d" % (sum(1 for row in failures if row["clean"]), len(failures)),
                str(sum(row["lost"] for row in selected)),
                str(sum(row["twice"] for row in selected)),
                "%d/%d" % (sum(row["writes_applied"] for row in selected), sum(row["writes_sent"] for row in selected)),
                "%.2f" % (float(sum(row["calls"] for row in selected)) / max(1, len(selected))),
                str(max([row["calls"] for row in selected] or [0])),
                "%.0f" % sum(row["seconds"] for row in selected),
            )
        )
    widths = [max(len(line[index]) for line in table) for index in range(len(header))]
    lines.append("")
    for number, line in enumerate(table):
        lines.append(
            "  ".join(
                cell.rjust(width) if index else cell.ljust(width)
                for index, (cell, width) in enumerate(zip(line, widths))
            ).rstrip()
        )
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(
        "tasks: %d   slowest: %.1f s   (goal reached: tasks that had to succeed and hold exactly their goal; "
        "shown at end: of those that wait for ECS, how many ECS showed as done when they ended)"
        % (len(rows), max([row["seconds"] for row in rows] or [0.0]))
    )
    return lines


# ---------------------------------------------------------------------------------------------- intents
# The tasks the fault scenarios run, on the standard seed (addresses ::1 to ::6 and prefix 1 on eni-rel0001).

RELEASE = dict(network_interface_id=ENI, state="absent", ipv6_addresses=addrs(1, 2))
ASSIGN = dict(network_interface_id=ENI, ipv6_addresses=addrs(0x10, 0x11))
COUNT = dict(network_interface_id=ENI, ipv6_address_count=9)
PURGE = dict(network_interface_id=ENI, ipv6_addresses=[addr(1), addr(0x10)], purge_ipv6_addresses=True)
RELEASE_PREFIX = dict(network_interface_id=ENI, state="absent", ipv6_prefixes=[prefix(1)])
PREFIX_COUNT = dict(network_interface_id=ENI, ipv6_prefix_count=3)
INFO = dict(network_interface_ids=[ENI, NEIGHBOUR])


def after_mutation(eni, mutation):
    """The ENI (emulator view) as a mutation by someone else leaves it."""
    addresses = [item for item in eni["Ipv6Addresses"] if item not in mutation.get("remove_ipv6_addresses", [])]
    addresses += [item for item in mutation.get("add_ipv6_addresses", []) if item not in addresses]
    prefixes = [item for item in eni["Ipv6Prefixes"] if item not in mutation.get("remove_ipv6_prefixes", [])]
    prefixes += [item for item in mutation.get("add_ipv6_prefixes", []) if item not in prefixes]
    return dict(eni, Ipv6Addresses=addresses, Ipv6Prefixes=prefixes)


# The documented bounds, as the collection defines them.
READ_TIMEOUT = constant("_sdk", "READ_TIMEOUT_MS") / 1000.0
MAX_ATTEMPTS = constant("_retries", "MAX_ATTEMPTS")
MAX_RETRY_SECONDS = constant("_retries", "MAX_RETRY_SECONDS")
MAX_RECONCILE_ROUNDS = constant("_reconcile", "max_resends", within="Bounds")
