"""Where a sweep's cases run: in this process, on local worker processes, or on a Dask
cluster, yielding each case's record as it finishes.

Local workers die with the sweep, whatever kills it (:func:`_worker_init`); a worker
that dies breaks its pool, and its cases run again, one per pool, before they are
recorded as failed; the first Ctrl-C stops the workers at a defined point
(:class:`_CtrlC`) so that the sweep can say what was saved.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
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


def _worker_init(parent_pid: int):
    """In each local worker: die with the sweep process, whatever ends it.

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


def execute(run_case, todo, workers, scheduler):
    """Yield (name, record) as cases finish, on Dask, local processes or in-process;
    ``run_case(cond, input_names)`` solves one case (a module-level function, so that
    worker processes can unpickle it) and ``todo`` holds (name, cond, input_names)."""
    if not todo:
        return
    if scheduler is not None:
        yield from _execute_dask(run_case, todo, scheduler)
        return
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(todo) == 1:
        for name, cond, names in todo:
            yield name, run_case(cond, names)
        return
    import multiprocessing

    # fork inherits the imported modules (PyBaMM's import is ~2.5 s per worker); this
    # process has not solved anything, so no solver threads are copied. Elsewhere: spawn.
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                      and sys.platform.startswith("linux") else "spawn")
    queue, alone = list(todo), False
    while queue:  # a worker that died breaks its pool: its cases then run again, one per pool
        batches = [[c] for c in queue] if alone else [queue]
        queue = []
        for batch in batches:
            broken = yield from _run_pool(run_case, batch, workers, ctx, last_try=alone)
            queue += broken
        alone = True


def _run_pool(run_case, batch, workers, ctx, last_try):
    """Yield (name, record) from one process pool; return the cases lost to a dead
    worker (recorded as failed instead on the ``last_try``)."""
    pool = ProcessPoolExecutor(max_workers=min(workers, len(batch)), mp_context=ctx,
                               initializer=_worker_init, initargs=(os.getpid(),))
    futures = {pool.submit(run_case, cond, names): (name, cond, names) for name, cond, names in batch}
    broken = []
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
                        if not last_try:
                            broken.append((name, cond, names))
                            continue
                        yield name, {"key": cond.key, "conditions": cond.to_dict(), "status": "failed",
                                     "error": "its worker process died, also when run alone (killed by "
                                              "the system: out of memory?)"}
                if ctrl_c.pressed:
                    raise KeyboardInterrupt
    except BaseException:  # Ctrl-C, or the caller stopped: cases in flight are not stored
        _kill_workers(pool)
        raise
    finally:  # finished cases are stored; drop what has not started
        pool.shutdown(wait=False, cancel_futures=True)
    return broken


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
