# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run nox sessions side by side, one nox process each, one more at once than the machine has cores (`make test`).

nox runs sessions one after the other and has no summary of times. This prints a line when each session starts and
when it ends, with its time, keeps each session's output in .nox/logs/<session>.log (the end of it is shown when the
session fails), and ends with a table. A session whose Python (nox's `python` of it, e.g. ansible-core's controller
versions for ansible-test) is not on this machine is left out (nox skips it) and named; with CI=true nox fails it.
Sessions that need a container engine run only where docker or podman is found.
Ctrl-C stops every session (nox and its children get SIGINT, so their temporary trees go) and ends the run.

Usage: run_sessions.py [--jobs N] [--with-container-engine SESSION]... [SESSION ...]; no SESSION: nox's defaults.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / ".nox" / "logs"
DURATIONS = ROOT / ".nox" / "durations.json"
# Each session's TMPDIR (antsibull-nox's copies of the collection and ansible-test's files go there), removed when the
# session ends; a run that was killed leaves its own, which the next run removes. Outside the checkout, as
# antsibull-nox refuses a temporary directory inside an ansible_collections tree.
TEMPORARY = Path(tempfile.gettempdir()) / ("alibabacloud-ecs-%d" % os.getuid())
# Where no earlier run measured a session: the order to start them in, longest first (seconds on 2 cores).
EXPECTED = (
    ("ansible-test-integration", 330),
    ("reliability", 300),
    ("ansible-test-sanity", 180),
    ("ansible-test-units", 120),
    ("", 40),
)
IN_CI = os.environ.get("CI") == "true"


def _nox(*args):
    return [sys.executable, "-m", "nox", "--no-color", "-f", str(ROOT / "noxfile.py"), *args]


def _listed(names):
    """nox's sessions (the default ones, or NAMES) as dicts with session, python and description."""
    listed = subprocess.run(
        _nox("-l", "--json", *(["-s", *names] if names else [])), capture_output=True, text=True, check=False
    )
    if listed.returncode:
        sys.exit(listed.stderr or listed.stdout)
    # Meta sessions only require others, which run by themselves here.
    return [s for s in json.loads(listed.stdout) if not (s["description"] or "").startswith("Meta session")]


def _container_engine():
    """Whether docker or podman answers (a client without its engine does not count)."""
    for engine in ("docker", "podman"):
        if shutil.which(engine):
            with contextlib.suppress(subprocess.SubprocessError):
                if subprocess.run([engine, "info"], capture_output=True, timeout=30, check=False).returncode == 0:
                    return True
    return False


def _skipped(name):
    """nox skipped the session: it found no Python for it."""
    report = LOGS / ("%s.json" % name)
    return report.is_file() and all(s["result"] == "skipped" for s in json.loads(report.read_text())["sessions"])


def _clock(seconds):
    return "%dm%02ds" % divmod(round(seconds), 60)


def _say(text):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), text), flush=True)


def _remove_left_temporary_trees():
    """Remove the TMPDIRs of runs whose process is gone."""
    for tree in TEMPORARY.glob("*-*"):
        try:
            os.kill(int(tree.name.split("-", 1)[0]), 0)
        except (ValueError, ProcessLookupError):
            shutil.rmtree(tree, ignore_errors=True)
        except PermissionError:
            pass


def _temporary(name):
    return TEMPORARY / ("%d-%s" % (os.getpid(), name))


def _start(name):
    LOGS.mkdir(parents=True, exist_ok=True)
    _temporary(name).mkdir(parents=True, exist_ok=True)
    log = open(LOGS / ("%s.log" % name), "w", encoding="utf-8")  # pylint: disable=consider-using-with
    # CI=true for every session: antsibull-nox's formatters then check instead of rewriting. Where nox finds no
    # Python for a session, it skips it, unless CI=true was set for this run.
    env = dict(os.environ, ECS_NOX_HOME=name, CI="true", TMPDIR=str(_temporary(name)))
    missing = "--error-on-missing-interpreters" if IN_CI else "--no-error-on-missing-interpreters"
    command = _nox("-s", name, missing, "--report", str(LOGS / ("%s.json" % name)))
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    return process, log, time.monotonic()


def _stop(running):
    """SIGINT to every session's process group (nox and ansible-test clean up on it), SIGKILL after 30 s."""
    for process, _log, _begun in running.values():
        os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + 30
    for process, log, _begun in running.values():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    for name in running:
        shutil.rmtree(_temporary(name), ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    # One more than the cores: the sessions also wait (on pip, on the emulator's delays, on backoff).
    jobs = (os.cpu_count() or 1) + 1
    parser.add_argument("--jobs", type=int, default=jobs, help="sessions at once (default: cores + 1)")
    parser.add_argument("--with-container-engine", action="append", default=[], metavar="SESSION")
    parser.add_argument("sessions", nargs="*")
    args = parser.parse_args()

    _remove_left_temporary_trees()
    left_out, no_engine = {}, {}
    sessions = _listed(args.sessions)
    if args.with_container_engine and not args.sessions:
        if _container_engine():
            sessions += _listed(args.with_container_engine)
        else:
            no_engine = {
                name: "no docker or podman engine answers (CI does not need it)" for name in args.with_container_engine
            }
    pythons = {session["session"]: session["python"] for session in sessions}
    durations = json.loads(DURATIONS.read_text()) if DURATIONS.is_file() else {}

    def expected(name):
        return durations.get(name) or next(seconds for prefix, seconds in EXPECTED if name.startswith(prefix))

    queue = sorted((s["session"] for s in sessions), key=expected, reverse=True)
    for name, reason in no_engine.items():
        _say("left out %s: %s" % (name, reason))
    _say("%d sessions, %d at once; each one's output goes to %s/<session>.log" % (len(queue), args.jobs, LOGS))

    results, running, interrupted = {}, {}, False
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    try:
        while queue or running:
            while queue and len(running) < args.jobs:
                name = queue.pop(0)
                running[name] = _start(name)
                _say("start  %s" % name)
            time.sleep(0.5)
            for name, (process, log, begun) in list(running.items()):
                if process.poll() is None:
                    continue
                log.close()
                del running[name]
                shutil.rmtree(_temporary(name), ignore_errors=True)
                results[name] = ("passed" if process.returncode == 0 else "FAILED", time.monotonic() - begun)
                if _skipped(name):
                    left_out[name] = "no Python %s on this machine (ansible-core's controller Pythons)" % pythons[name]
                    del results[name]
                    _say("left out %s: %s" % (name, left_out[name]))
                    continue
                _say("%-6s %s in %s" % (results[name][0], name, _clock(results[name][1])))
                if process.returncode:
                    lines = (LOGS / ("%s.log" % name)).read_text(encoding="utf-8", errors="replace").splitlines()
                    print("\n".join("    | " + line for line in lines[-40:]), flush=True)
    except (KeyboardInterrupt, SystemExit):
        interrupted = True
        _say("stopping %s" % " ".join(running))
        _stop(running)
        for name in running:
            results[name] = ("stopped", time.monotonic() - running[name][2])
    finally:
        durations.update({name: round(seconds) for name, (result, seconds) in results.items() if result == "passed"})
        DURATIONS.parent.mkdir(parents=True, exist_ok=True)
        DURATIONS.write_text(json.dumps(durations, indent=1, sort_keys=True))
        print("\n%-40s %-9s %s" % ("session", "result", "time"))
        for name, (result, seconds) in sorted(results.items()):
            print("%-40s %-9s %s" % (name, result, _clock(seconds)))
        for name, reason in sorted({**left_out, **no_engine}.items()):
            print("%-40s %-9s %s" % (name, "left out", reason))
        print("%-40s %-9s %s" % ("(wall clock)", "", _clock(time.monotonic() - started)))

    if interrupted:
        sys.exit("Interrupted.")
    failed = sorted(name for name, (result, _seconds) in results.items() if result != "passed")
    if failed:
        sys.exit("Failed: %s (logs in %s)" % (" ".join(failed), LOGS))
    if left_out or no_engine:
        print("Left out on this machine: %s" % " ".join(sorted({**left_out, **no_engine})))


if __name__ == "__main__":
    main()
