# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability suite: one emulator per worker, a Scenario per test, and the table at the end."""

import os
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
for path in (HERE, os.path.join(os.path.dirname(HERE), "emulator")):
    if path not in sys.path:
        sys.path.insert(0, path)

import harness  # noqa: E402  pylint: disable=wrong-import-position
from ecs_emulator.control import start_emulator  # noqa: E402  pylint: disable=wrong-import-position

ROWS = []
STARTED = []


def pytest_configure(config):
    config.addinivalue_line("markers", "duration(seconds): the expected run time; longer scenarios start first")
    STARTED.append(time.monotonic())


def pytest_generate_tests(metafunc):
    """A test that takes `lag` (every write scenario) runs without read lag and with harness.LAG, unless it
    parametrizes `lag` itself."""
    own = set()
    for marker in metafunc.definition.iter_markers("parametrize"):
        own.update(_names(marker.args[0]))
    if "lag" in metafunc.fixturenames and "lag" not in own:
        metafunc.parametrize("lag", harness.LAGS, ids=["lag%g" % lag for lag in harness.LAGS])
    if "path" in metafunc.fixturenames and "path" not in own:
        metafunc.parametrize("path", harness.PATHS, ids=list(harness.PATHS))


def _on_controller_path(item):
    """The rule that bounds the controller path: every scenario without read lag, and every scenario of
    test_lag.py (with or without lag). The module path runs every scenario."""
    callspec = getattr(item, "callspec", None)
    if not callspec or callspec.params.get("path") != "controller":
        return True
    return not _lag_of(item) or item.module.__name__ == "test_lag"


def _names(argnames):
    return [name.strip() for name in argnames.split(",")] if isinstance(argnames, str) else list(argnames)


def _lag_of(item):
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("lag", 0.0) if callspec else 0.0


def _expected_seconds(item):
    """How long a scenario is expected to take: its duration marker, plus some for read lag (a task waits about
    the lag once more for each write it confirms)."""
    marker = item.get_closest_marker("duration")
    return (marker.args[0] if marker else 1.0) + 2 * _lag_of(item)


def pytest_collection_modifyitems(config, items):
    """Start the long scenarios first, so that the workers finish together (same order on every worker).

    xdist's load scheduler first hands each worker two consecutive tests: pair the longest with the shortest
    of those, so that no worker starts with two of the longest.
    """
    deselected = [item for item in items if not _on_controller_path(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if _on_controller_path(item)]
    items.sort(key=_expected_seconds, reverse=True)
    workers = getattr(config, "workerinput", {}).get("workercount", 0)
    if workers and len(items) >= 2 * workers:
        head = items[: 2 * workers]
        items[: 2 * workers] = [item for index in range(workers) for item in (head[index], head[-1 - index])]


def pytest_xdist_auto_num_workers(config):  # pylint: disable=unused-argument
    """`-n auto` (pytest.ini): two workers a core. A scenario spends most of its time waiting on backoff, waits and
    timeouts, so one a core would leave the cores idle; the time bounds are measured against a floor taken in the
    same scenario (Scenario.floor), so they hold when the workers load the cores."""
    return 2 * (os.cpu_count() or 1)


@pytest.fixture(scope="session")
def emulator():
    """One in-process emulator for this worker."""
    handle = start_emulator(port=0)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def collection(tmp_path_factory):
    """A directory to put on PYTHONPATH and ANSIBLE_COLLECTIONS_PATH."""
    return harness.Collection(str(tmp_path_factory.mktemp("collections")))


@pytest.fixture(name="path")
def path_fixture(request):
    """Where the scenario's tasks run: `module` (a module process) or `controller` (run_in_process in a fresh
    Python, as the action plugin runs them); pytest_generate_tests runs each scenario on both."""
    return getattr(request, "param", "module")


@pytest.fixture(name="scenario")
def scenario_fixture(emulator, collection, tmp_path, request, path):
    """A Scenario on a freshly reset emulator; its rows go to the table."""
    emulator.control.reset()
    scenario = Scenario(emulator, collection, str(tmp_path), request.node, _lag_of(request.node), path)
    yield scenario
    scenario.settle()
    emulator.control.reset()


class Scenario(object):
    """One scenario: seed, faults, module runs, and the judgement that becomes a row of the table."""

    def __init__(self, emulator, collection, workdir, node, lag=0.0, path="module"):
        self.emulator = emulator
        self.path = path
        self.lag = lag
        self.control = emulator.control
        self.collection = collection
        self.workdir = workdir
        self.node = node
        self.home = os.path.join(workdir, "home")
        os.makedirs(self.home)
        self.before = {}
        self.runs = 0
        self.delays = []
        # Where the call log stood when the last task started, and what ECS showed the moment it ended.
        self.first_call = 0
        self.shown_at_end = {}
        self.ended_at = None

    # ------------------------------------------------------------------------------------------ setting up

    def seed(self, document=None, lag=None, stale_reads=0):
        """Reset the emulator, seed it (the standard seed unless given), set its read lag (the scenario's unless
        given) and its stale reads (each write is followed by that many stale reads); remember the ENIs as seeded."""
        self.control.reset()
        self.control.seed(document or harness.standard_seed())
        self.lag = self.lag if lag is None else lag
        self.control.set_settings(read_lag=self.lag, stale_reads=stale_reads)
        self.before = self.control.state()["network_interfaces"]
        return self

    def floor(self):
        """The seconds of a task that has nothing to do (one read, no write), run now: what starting and ending a
        module process costs on this machine at this moment. Time bounds add a multiple of it, so that they hold
        on a loaded machine as on an idle one. Run it after seed() and before fault()."""
        run = self.run(dict(network_interface_id=harness.ENI, ipv6_addresses=[harness.addr(1)]))
        assert not run.failed and not run.result.get("changed"), run.describe()
        self.control.clear_calls()
        return run.seconds

    def fault(self, **fault):
        """Queue an emulator fault."""
        queued = self.control.add_fault(**fault)
        if queued["kind"] == "delay":
            self.delays.append(queued)
        return self

    def settle(self, timeout=30.0):
        """Wait until every delayed answer the task left behind has been logged (the emulator logs a delayed
        read only when it answers, possibly after the module gave up on it)."""
        deadline = time.monotonic() + timeout
        while self.delays and time.monotonic() < deadline:
            remaining = dict((fault["id"], fault["count"]) for fault in self.control.faults())
            consumed = sum(fault["count"] - remaining.get(fault["id"], 0) for fault in self.delays)
            if sum(1 for call in self.control.calls() if call.get("fault") == "delay") >= consumed:
                return
            time.sleep(0.2)

    def connection(self, endpoint=None, access_key_id=None, access_key_secret=None, security_token=None):
        """The connection options of a module run: the emulator and its keys unless told otherwise."""
        options = dict(
            region=harness.REGION,
            endpoint=endpoint or "http://" + self.emulator.endpoint,
            access_key_id=access_key_id or self.emulator.access_key_id,
            access_key_secret=access_key_secret or self.emulator.access_key_secret,
        )
        if security_token is not None:
            options["security_token"] = security_token
        return options

    def env(self, extra=None, unset=()):
        """The environment of the processes this scenario starts."""
        return harness.module_env(self.collection, self.home, extra, unset)

    # ------------------------------------------------------------------------------------------ running

    def run(self, args, module="ecs_eni_ipv6", connection=None, env=None, check_mode=False):
        """Run the module with these task options (and the emulator connection unless `connection` is given).

        With read lag, a task that sets no wait_timeout gets twice the scenario's expected duration (at least
        LAG_WAIT_TIMEOUT): a task that waits for ECS for ever then fails soon, not after the default 300 s.
        """
        options = dict(self.connection() if connection is None else connection)
        options.update(args)
        if self.lag and module == "ecs_eni_ipv6" and "wait_timeout" not in options:
            options["wait_timeout"] = int(max(harness.LAG_WAIT_TIMEOUT, 2 * _expected_seconds(self.node)))
        self._starting()
        runner = harness.run_in_controller if self.path == "controller" else harness.run_module
        run = runner(module, options, env or self.env(), self.workdir, check_mode=check_mode)
        self._ended()
        return run

    def command(self, command, env=None):
        """Run ansible or ansible-playbook (from the suite's virtual environment). On the module path, the play
        turns the controller-side path off, so that the task runs as a module process; on the controller path, the
        action plugin runs it in the worker (the connection is local)."""
        if self.path == "module":
            command = list(command) + ["-e", "alibabacloud_ecs_controller_side=false"]
        self._starting()
        outcome = harness.run_command(command, env or self.env(), self.workdir)
        self._ended()
        if "-vvvv" in command:
            # The action plugin says at -vvv where the task ran.
            where = "in the controller's worker" if self.path == "controller" else "as a module"
            assert "so it runs " + where in outcome[1], outcome[1][-4000:]
        return outcome

    def _starting(self):
        """A task starts: its writes find the ENIs as they are now, and its calls are those logged from now on."""
        self.runs += 1
        self.before = self.control.state()["network_interfaces"]
        self.first_call = len(self.control.calls())

    def _ended(self):
        """A task ended: keep what Describe shows of each ENI right now (with lag, it may differ from the truth)."""
        self.shown_at_end = {}
        self.ended_at = time.time()
        for eni_id in self.control.state()["network_interfaces"]:
            shown = self.control.described_eni(eni_id)
            self.shown_at_end[eni_id] = (sorted(shown["Ipv6Addresses"]), sorted(shown["Ipv6Prefixes"]))

    # ------------------------------------------------------------------------------------------ judging

    def judge(
        self,
        name,
        run,
        args=None,
        expect="goal",
        held=None,
        extra_faults=0,
        changed=None,
        eni=harness.ENI,
        group=None,
        mutation=None,
    ):
        """Check a run and record its row; return the row.

        expect="goal": the task succeeded, the ENI holds exactly its goal (worked out from `args`, on `held`,
        the ENI as the task's writes found it: the seed unless someone else changed it), `changed` and the
        returned lists match the applied writes. expect="unchanged" (check mode): the task succeeded and sent
        no write. expect="fail": a clean failure. Always: nothing written twice, nothing changed that the task
        was not asked to change, and the neighbour ENI untouched.
        `mutation` is what someone else changed during the task (an emulator mutation).
        """
        args = args if args is not None else run.args
        self.settle()
        calls = self.control.calls()
        earlier, calls = calls[: self.first_call], calls[self.first_call :]
        state = self.control.state()["network_interfaces"]
        final = state.get(eni)
        before = self.before.get(eni)
        expected = dict(self.before)
        if mutation:
            changed_eni = mutation["network_interface_id"]
            expected[changed_eni] = harness.after_mutation(self.before[changed_eni], mutation)
        if held is None:
            held = expected.get(eni)
        try:
            goal = harness.Goal(args, held["Ipv6Addresses"], held["Ipv6Prefixes"]) if held else None
        except (ValueError, TypeError):
            # Options that make no sense (the bad-input scenarios) have no goal: nothing may change at all.
            goal = None
        writes = harness.write_log(calls)
        applied = [write for write in writes if write[1]]
        twice = harness.written_twice(calls, goal.needed_counts if goal else (0, 0))
        twice += harness.written_again(earlier, calls)
        lost = 0
        reached = False if expect != "fail" else None
        shown = None
        problems = []
        try:
            if expect == "goal":
                assert not run.failed, run.describe()
                lost = goal.misses(final)
                reached = lost == 0
                self._check_truth(run, final, applied, changed)
                if args.get("wait", True) and "ipv6_addresses" in run.result:
                    # The task ends when ECS shows its result: Describe, as it answered the moment the task
                    # ended, must show the ENI as it really is.
                    shown = self.shown_at_end.get(eni) == (
                        sorted(final["Ipv6Addresses"]),
                        sorted(final["Ipv6Prefixes"]),
                    )
                    assert shown, "ECS still showed %s when the task ended; the ENI is %s\n%s" % (
                        self.shown_at_end.get(eni),
                        final,
                        run.describe(),
                    )
                    self._check_last_read(calls, eni)
            elif expect == "unchanged":
                assert not run.failed, run.describe()
                assert not writes, writes
                lost = int(final != before)
                reached = lost == 0
            else:
                if goal is not None and final is not None:
                    lost = self._unasked_changes(held, final, goal)
                else:
                    lost = int(final != held)
                run.assert_clean_failure()
                self._check_partial_truth(run, applied)
        except AssertionError as exc:
            problems.append("%s\ncall log of the task:\n%s" % (exc, harness.call_summary(calls)))
        for other, seeded in expected.items():
            if other != eni and state.get(other) != seeded:
                lost += 1
        row = dict(
            scenario=name,
            path=self.path,
            # As the emulator had it (the suite's own setting could fail to reach it).
            lag=self.control.settings()["read_lag"],
            group=group,
            faults=sum(1 for call in calls if call.get("fault")) + extra_faults,
            outcome=run.outcome(),
            eni=harness.eni_summary(final, before),
            goal=reached,
            shown=shown,
            clean=expect == "fail" and not problems,
            calls=len(calls),
            writes_applied=len(applied),
            writes_sent=len(writes),
            twice=twice,
            lost=lost,
            seconds=run.seconds,
            runs=1,
        )
        self.node.user_properties.append(("reliability_row", row))
        assert not problems, problems[0]
        assert twice == 0, "written twice (%d): %s" % (twice, writes)
        assert lost == 0, "lost or changed unasked (%d): final %s\n%s" % (lost, final, run.describe())
        return row

    @staticmethod
    def _check_last_read(calls, eni):
        """The task's last read showed the ENI as it really was: the emulator notes each read that it answered with
        an older view (read lag, stale reads), so a task that ended on one returned a stale view. (This holds
        however late the suite looked at Describe after the process ended.)"""
        reads = [call for call in calls if call["action"].startswith("Describe") and call["status"] == 200]
        if reads:
            assert eni not in reads[-1]["stale"], "the task's last read was stale: %s" % reads[-1]

    @staticmethod
    def _check_partial_truth(run, applied):
        """A failed task that changed something says so: `changed` and the released lists match what ECS applied,
        and what it lists as assigned by name was applied by Assign calls."""
        result = run.result
        assert result.get("changed", False) == bool(applied), "failed with changed=%s but %d writes applied\n%s" % (
            result.get("changed"),
            len(applied),
            run.describe(),
        )
        if "released_ipv6_addresses" not in result:
            return
        released = set(result["released_ipv6_addresses"]) | set(result["released_ipv6_prefixes"])
        applied_releases = set(
            item for write in applied if write[0] == "UnassignIpv6Addresses" for item in write[2] + write[3]
        )
        assert released == applied_releases, (released, applied_releases, run.describe())

    @staticmethod
    def _check_truth(run, final, applied, changed):
        """`changed`, the returned lists and the ENI after the task agree with what ECS applied."""
        result = run.result
        assert result["changed"] == bool(applied), "changed=%s but %d writes applied" % (
            result["changed"],
            len(applied),
        )
        if changed is not None:
            assert result["changed"] is changed, run.describe()
        if "ipv6_addresses" not in result:
            return
        assert sorted(result["ipv6_addresses"]) == sorted(final["Ipv6Addresses"]), run.describe()
        assert sorted(result["ipv6_prefixes"]) == sorted(final["Ipv6Prefixes"]), run.describe()
        released = set(result["released_ipv6_addresses"]) | set(result["released_ipv6_prefixes"])
        assigned = set(result["assigned_ipv6_addresses"]) | set(result["assigned_ipv6_prefixes"])
        applied_releases = set(
            item for write in applied if write[0] == "UnassignIpv6Addresses" for item in write[2] + write[3]
        )
        applied_names = set(
            item for write in applied if write[0] == "AssignIpv6Addresses" for item in write[2] + write[3]
        )
        assert released == applied_releases, (released, applied_releases)
        assert applied_names <= assigned, (applied_names, assigned)
        chosen = result["assigned_ipv6_address_count"] + result["assigned_ipv6_prefix_count"]
        assert len(assigned - applied_names) == chosen, run.describe()

    @staticmethod
    def _unasked_changes(held, final, goal):
        """After a failure: items that changed although the task did not ask for that change."""
        unasked = 0
        for kind, key in (("ipv6_addresses", "Ipv6Addresses"), ("ipv6_prefixes", "Ipv6Prefixes")):
            wanted = goal.kinds[kind]
            removed = set(held[key]) - set(final[key])
            added = set(final[key]) - set(held[key])
            unasked += len(removed - set(wanted["exclude"]))
            unasked += max(0, len(added - set(wanted["include"])) - wanted["chosen"])
        return unasked


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When a scenario fails after its last judgement (its own checks of that task), that task does not count as
    reaching its goal or failing cleanly."""
    outcome = yield
    report = outcome.get_result()
    rows = [row for key, row in item.user_properties if key == "reliability_row"]
    if report.when == "call" and report.failed and rows:
        if rows[-1]["goal"] is not None:
            rows[-1]["goal"] = False
        rows[-1]["clean"] = False


def pytest_runtest_logreport(report):
    """Collect the rows (on the controller when the run is distributed: reports carry them from the workers)."""
    if report.when == "teardown":
        ROWS.extend(value for key, value in report.user_properties if key == "reliability_row")


def _grouped(rows):
    """Rows of one group (the bad-input fuzz set) become one row of the table."""
    table = []
    groups = {}
    for row in rows:
        if not row.get("group"):
            table.append(row)
            continue
        key = (row["group"], row["path"])
        if key not in groups:
            groups[key] = dict(row, scenario=row["group"], outcomes=set(), count=0, seconds=0.0)
            table.append(groups[key])
        group = groups[key]
        group["count"] += 1
        group["outcomes"].add(row["outcome"])
        for key in ("faults", "calls", "writes_applied", "writes_sent", "twice", "lost"):
            group[key] += row[key] if group["count"] > 1 else 0
        group["seconds"] = max(group["seconds"], row["seconds"])
        group["clean"] = group["clean"] and row["clean"]
    for group in groups.values():
        group["scenario"] = "%s: %d argument sets" % (group["scenario"], group["count"])
        group["outcome"] = " / ".join(sorted(group["outcomes"]))
    return sorted(table, key=lambda row: (row["scenario"], row["lag"], row["path"]))


def pytest_terminal_summary(terminalreporter):
    """Print the table of every scenario run, and the totals."""
    if hasattr(terminalreporter.config, "workerinput") or not ROWS:
        return
    write = terminalreporter.write_line
    terminalreporter.section("reliability: every scenario through the real SDK against the emulator", sep="=")
    grouped = _grouped(ROWS)
    for line in harness.render_table(grouped):
        write(line)
    write("")
    for line in harness.render_totals(ROWS, [row for row in grouped if row.get("count")]):
        write(line)
    write("suite wall time: %.1f s" % (time.monotonic() - STARTED[0]))
