"""Where a sweep's cases run: in this process, on local worker processes, or on a Dask
cluster, yielding each case's record as it finishes.

Local workers die with the sweep, whatever kills it (:func:`_worker_init`); a worker
that dies breaks its pool, and its cases run again, one per pool, before they are
recorded as failed; the first Ctrl-C stops the workers at a defined point
(:class:`_CtrlC`) so that the sweep can say what was saved.

With a case time-out (``case_timeout_s``), a case that has not returned that long after
a worker started it is recorded as failed and the pool's workers are stopped: a
solver can stall inside its compiled code, where no step limit or Python signal reaches
it. The other cases that were in flight run again in a new pool; a time-out runs even a
one-worker sweep in a worker process.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from .errors import InputError

CONNECT_TIMEOUT_S = 5.0  # to a Dask scheduler


def connect(address):
    """A Dask client of the scheduler at ``address``, or InputError within
    :data:`CONNECT_TIMEOUT_S`."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'ssbsim[dask]'") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except Exception as e:  # noqa: BLE001 - refused, timed out, malformed address
        raise InputError(f"--scheduler {address}: no Dask scheduler reachable within "
                         f"{CONNECT_TIMEOUT_S:g} s ({type(e).__name__}: {str(e)[:200]})") from None


#: In a worker: where it says when it starts a case (a sweep with a case time-out).
_STARTS = None


def _worker_init(parent_pid: int, starts=None):
    """In each local worker: die with the sweep process, whatever ends it; keep the
    queue ``starts`` on which :func:`_run_noting_start` says when a case starts.

    On Linux the kernel sends SIGKILL to the worker when its parent dies
    (prctl PR_SET_PDEATHSIG), which needs no cleanup by the parent, so it holds for
    kill -9; if the parent died before that took effect, the worker exits at once.
    Ctrl-C is left to the parent, which stops the workers and reports what was saved.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the getppid check below still runs
            pass
    if os.getppid() != parent_pid:
        os._exit(1)
    global _STARTS
    _STARTS = starts


def _run_noting_start(run_case, index, cond, names):
    """``run_case(cond, names)`` in a worker, after putting (index, wall-clock time) on
    the pool's start queue (the case time-out runs from there, not from when the pool
    queued the case behind another)."""
    if _STARTS is not None:
        _STARTS.put((index, time.time()))
    return run_case(cond, names)


class _CtrlC:
    """While waiting for workers, the first Ctrl-C (SIGINT) sets ``pressed``, which the
    loop turns into KeyboardInterrupt at a defined point: raised from the signal handler,
    it can land in a garbage-collection callback, where Python ignores it and the sweep
    runs on. A second Ctrl-C raises at once. Only in the main thread (signal's rule)."""

    pressed = False

    def __enter__(self):
        def handler(signum, frame):
            if self.pressed:
                raise KeyboardInterrupt
            self.pressed = True

        try:
            self._old = signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread: Python's default stays
            self._old = None
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)
        return False


def _kill_workers(pool):
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()


def check_case_timeout(case_timeout_s, scheduler=None):
    """InputError unless ``case_timeout_s`` is None or a positive number of seconds
    (local workers only: a Dask worker's stalled solve cannot be stopped from here)."""
    if case_timeout_s is None:
        return
    if isinstance(case_timeout_s, bool) or not isinstance(case_timeout_s, (int, float)) \
            or not case_timeout_s > 0 or case_timeout_s == float("inf"):
        raise InputError(f"case_timeout_s={case_timeout_s!r} must be a number of seconds > 0 (finite)")
    if scheduler is not None:
        raise InputError("a case time-out works with local workers, not with a Dask scheduler")


def execute(run_case, todo, workers, scheduler, case_timeout_s=None):
    """Yield (name, record) as cases finish, on Dask, local processes or in-process;
    ``run_case(cond, input_names)`` solves one case (a module-level function, so that
    worker processes can unpickle it) and ``todo`` holds (name, cond, input_names).
    ``case_timeout_s``: see the module docstring."""
    if not todo:
        return
    check_case_timeout(case_timeout_s, scheduler)
    if scheduler is not None:
        yield from _execute_dask(run_case, todo, scheduler)
        return
    workers = workers or os.cpu_count() or 1
    if (workers == 1 or len(todo) == 1) and case_timeout_s is None:
        for name, cond, names in todo:
            yield name, run_case(cond, names)
        return
    import multiprocessing

    # fork inherits the imported modules (PyBaMM's import is ~2.5 s per worker); this
    # process has not solved anything, so no solver threads are copied. Elsewhere: spawn.
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                      and sys.platform.startswith("linux") else "spawn")
    # a worker that died breaks its pool: its cases then run again, one per pool; cases
    # stopped with a timed-out one run again together
    queue, alone = list(todo), []
    while queue or alone:
        batches = [(queue, False)] if queue else [([c], True) for c in alone]
        queue, alone = [], []
        for batch, last_try in batches:
            broken, stopped = yield from _run_pool(run_case, batch, workers, ctx, last_try, case_timeout_s)
            alone += broken
            queue += stopped


def failed_record(cond, error: str) -> dict:
    """The stored record of a case that failed with ``error`` (one line)."""
    return {"key": cond.key, "conditions": cond.to_dict(), "status": "failed", "error": error}


def _run_pool(run_case, batch, workers, ctx, last_try, case_timeout_s=None):
    """Yield (name, record) from one process pool; return the cases lost to a dead
    worker (recorded as failed instead on the ``last_try``) and those stopped with a
    timed-out case."""
    starts = ctx.SimpleQueue() if case_timeout_s is not None else None
    pool = ProcessPoolExecutor(max_workers=min(workers, len(batch)), mp_context=ctx,
                               initializer=_worker_init, initargs=(os.getpid(), starts))
    futures = {pool.submit(_run_noting_start, run_case, i, cond, names): (name, cond, names)
               for i, (name, cond, names) in enumerate(batch)}
    index = {i: fut for i, fut in enumerate(futures)}
    broken, stopped, started = [], [], {}  # started: future -> when a worker started it [s]
    timed_out = None
    try:
        with _CtrlC() as ctrl_c:
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in done:
                    name, cond, names = futures[fut]
                    try:
                        yield name, fut.result()
                    except BrokenProcessPool:
                        if fut is timed_out:
                            yield name, failed_record(cond, f"no result within the case time-out of "
                                                            f"{case_timeout_s:g} s (its worker was stopped; the "
                                                            "solver may have stalled)")
                        elif timed_out is not None:
                            stopped.append((name, cond, names))
                        elif not last_try:
                            broken.append((name, cond, names))
                        else:
                            yield name, failed_record(cond, "its worker process died, also when run alone "
                                                            "(killed by the system: out of memory?)")
                if ctrl_c.pressed:
                    raise KeyboardInterrupt
                if case_timeout_s is not None and timed_out is None:
                    while not starts.empty():
                        i, t = starts.get()
                        started[index[i]] = t
                    timed_out = next((f for f in pending if time.time() - started.get(f, math.inf) > case_timeout_s),
                                     None)
                    if timed_out is not None:
                        _kill_workers(pool)
    except BaseException:  # Ctrl-C, or the caller stopped: cases in flight are not stored
        _kill_workers(pool)
        raise
    finally:  # finished cases are stored; drop what has not started
        pool.shutdown(wait=False, cancel_futures=True)
    return broken, stopped



def _execute_dask(run_case, todo, client):
    from dask.distributed import as_completed as dask_completed

    futures = {client.submit(run_case, cond, names, pure=False): name for name, cond, names in todo}
    for fut in dask_completed(list(futures)):
        yield futures[fut], fut.result()


class progress_bar:
    """A rich progress bar (done / total, ETA) on a terminal; silent otherwise."""

    def __init__(self, enabled, total, completed):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.total, self.completed = total, completed

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._p = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), transient=False)
        self._p.start()
        task = self._p.add_task("cases", total=self.total, completed=self.completed)
        return lambda: self._p.advance(task)

    def __exit__(self, *exc):
        if self.enabled:
            self._p.stop()
        return False
