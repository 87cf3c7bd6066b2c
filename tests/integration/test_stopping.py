"""Runs that stop cleanly: a sweep's workers die with it whatever kills it, a second
writer on the same file stops at once before computing anything, Ctrl-C says what was
saved and how to resume (and the resume finishes the sweep)."""

import os
import shlex
import signal
import subprocess
import sys
import time

import pytest

from ssbsim.simulator.store import lock_path, open_results, writer_lock

psutil = pytest.importorskip("psutil")

PYTHON_CLI = [sys.executable, "-m", "ssbsim.simulator.cli"]
# DFN with mechanics, 6 cycles: several seconds per case, long enough to act during the
# sweep (with 2 cycles the first sweep could finish before a second process had started)
SLOW = ["sweep", "--preset", "kwon2022", "--binder", "pristine", "--pressure", "70", "--pressure", "7",
        "--pressure", "2", "--pressure", "1", "--cycles", "6", "--model", "DFN", "--no-figures"]


def _wait(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _alive(procs):
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "SIGTERM"])
def test_workers_die_with_the_sweep(tmp_path, sig):
    """Signal only the parent (not its process group): no worker outlives it by more than
    a few seconds."""
    proc = subprocess.Popen(PYTHON_CLI + SLOW + ["--workers", "2", "--out", str(tmp_path / "s.h5")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        parent = psutil.Process(proc.pid)
        _wait(lambda: len(parent.children(recursive=True)) >= 2, 120, "two workers")
        workers = parent.children(recursive=True)
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        try:
            _wait(lambda: not _alive(workers), 10, "the workers to die")
        finally:
            for pid in _alive(workers):  # never leave them behind, even when the test fails
                os.kill(pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_second_writer_exits_at_once_before_computing(tmp_path):
    """While another process holds the file's lock, a sweep on it exits with one line and
    code 2, and writes nothing."""
    out = tmp_path / "sweep.h5"
    with writer_lock(out):
        t0 = time.time()
        res = subprocess.run(PYTHON_CLI + SLOW + ["--workers", "1", "--out", str(out)],
                             capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().splitlines() == [
        f"ssbsim: error: {out} is being written by another sweep (pid {os.getpid()}); wait for it to finish "
        f"or choose another --out (lock: {lock_path(out)})"]
    assert not out.exists() and time.time() - t0 < 60


def test_two_sweeps_on_one_file(tmp_path):
    """Two real sweeps: the second stops at once while the first writes; the first keeps
    every case it finished."""
    out = tmp_path / "sweep.h5"
    # four more cases than SLOW: the first sweep must outlast the second's start-up (~5 s
    # of imports on a loaded host; with SLOW's four it once ended first), and the test
    # waits only for its first case
    more = [arg for p in ("4", "15", "35", "100") for arg in ("--pressure", p)]
    cmd = PYTHON_CLI + SLOW + more + ["--workers", "1", "--out", str(out)]
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(lambda: lock_path(out).exists() and lock_path(out).read_text().strip() == str(first.pid), 120,
              "the first sweep's lock")
        second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert first.poll() is None, "the first sweep ended too early for this test"
        assert second.returncode == 2 and "is being written by another sweep" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        _wait(lambda: (tmp_path / "summary.csv").exists(), 300, "a finished case")
    finally:
        try:
            os.killpg(first.pid, signal.SIGKILL)
        except ProcessLookupError:  # it finished every case (a few seconds each) by now
            pass
        first.wait()
    rows = open_results(out).read()
    assert rows and all(r["status"] == "ok" for r in rows)


def test_ctrl_c_says_what_was_saved_and_how_to_resume(tmp_path):
    """SIGINT to the process group, as a terminal's Ctrl-C sends it, after the first case is
    saved: one message with the count and a command that resumes the sweep."""
    out = tmp_path / "sweep.h5"
    proc = subprocess.Popen(PYTHON_CLI + SLOW + ["--workers", "2", "--out", str(out), "--overwrite"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            cwd=tmp_path)
    try:
        csv = tmp_path / "summary.csv"
        _wait(lambda: csv.exists() and len(csv.read_text().splitlines()) >= 2, 300, "a finished case")
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "Traceback" not in err, err
    line, = err.strip().splitlines()
    saved = len(open_results(out).read())
    assert line.startswith(f"ssbsim: interrupted: {saved} of 4 cases are saved in {out} ({saved} by this run)")
    resume = shlex.split(line.split("resume with: ", 1)[1])
    assert resume[:2] == ["ssbsim", "sweep"] and "--overwrite" not in resume
    done = subprocess.run(PYTHON_CLI + resume[1:], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"4 cases in {out}: {4 - saved} run, {saved} already done, 0 failed" in done.stdout
