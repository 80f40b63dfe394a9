"""The frame cache of the live explorers and the worker processes that fill it.

Each slider position's frame is rendered once per kernel and cached (:data:`_FRAMES`).
Frames are rendered in the order a reader is likely to need them (:func:`order`): the
reader's position; then the "axis lines" through it, the positions reached by moving
one slider (a reader moves one slider at a time), nearest first; then the rest,
nearest first. The renderers are the kernel and :data:`WORKERS` worker processes,
forks of the kernel made when an explorer is displayed, so that they hold the prepared
explorer and its drawn figure, running at lower CPU priority (nice 10) so that they
yield to the kernel and the browser. The workers take frames one at a time from a queue
that is put in a new order after every slider move (:meth:`_Frames.prefill`); the
kernel can take frames from the same queue (:meth:`_Frames.render_ahead`).
:mod:`rnnbook._explorer_live` shows them. ``RNNBOOK_EXPLORER_PREFILL=0`` switches the
workers off.
"""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import BrokenExecutor

from ._explorer_core import REGISTRY, grid
from ._explorer_frames import SCALE, frame_png, render

#: worker processes that render frames ahead of the reader (forks of the kernel, nice 10)
WORKERS = 2

#: (explorer name, SCALE, slider values) -> PNG bytes of the live front end's frames
_FRAMES: dict = {}
#: the same keys -> future of a worker, while a frame is queued there
_QUEUED: dict = {}
#: explorer name -> (figure, handles) as last drawn in this process (see ``render``): the
#: kernel's, copied into the workers when they are forked, so that they start drawing at
#: once instead of building and laying out a figure of their own
_STATES: dict = {}
_POOL = []                       # the worker processes, forked again for each display
#: explorer name -> functions called with the key of each frame a worker has cached
_LISTENERS: dict = {}
_LOCK = threading.Condition(threading.RLock())    # guards _QUEUED and the queues


def _prefill_on():
    return os.environ.get("RNNBOOK_EXPLORER_PREFILL", "1") != "0"


def _worker_start():
    os.nice(10)                  # prefilling yields the CPU to the kernel and the browser
    _own_file_offsets()


def _own_file_offsets():
    """Reopen the read-only files this fork shares with the kernel, at the same offsets.

    A fork shares each open file's offset with its parent. Matplotlib reads its font
    files with seek + read, so a worker moving the offset of a font file the kernel
    reads at the same time makes FreeType read the wrong bytes (the kernel then fails
    with "FT_Load_Glyph ... invalid outline"). Each shared read-only descriptor is
    replaced (``dup2``) by a fresh one of the same file. Linux (``/proc/self/fd``);
    elsewhere nothing is done.
    """
    import fcntl
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else []:
        try:
            fd = int(name)
            path = os.readlink(f"/proc/self/fd/{fd}")
            if (not os.path.isfile(path)
                    or fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDONLY):
                continue
            new = os.open(path, os.O_RDONLY)
            os.lseek(new, os.lseek(fd, 0, os.SEEK_CUR), os.SEEK_SET)
            os.dup2(new, fd, inheritable=os.get_inheritable(fd))
            os.close(new)
        except (OSError, ValueError):
            continue


def _frame_in_worker(name, point):
    """Runs in a worker process: one frame of a registered explorer."""
    _STATES[name] = render(REGISTRY[name].ready(), point, _STATES.get(name))
    return frame_png(_STATES[name][0], fast=True)


def order(explorer, start):
    """Every grid point, in the order frames are rendered ahead of a reader at ``start``.

    First ``start``; then the axis lines through it (the points one slider away), nearest
    first in slider steps, the earlier slider first at equal distance; then every other
    point, nearest first (L1 distance in slider steps).
    """
    here = [s.index(start[s.name]) for s in explorer.sliders]

    def rank(point):
        off = [abs(s.index(point[s.name]) - i) for s, i in zip(explorer.sliders, here)]
        moved = [j for j, o in enumerate(off) if o]
        return len(moved) > 1, sum(off), moved[:1]
    return sorted(grid(explorer), key=rank)


class _Frames:
    """The live frames of one explorer: rendered on first use and cached.

    :meth:`prefill` hands the slider positions not rendered yet to the worker processes
    (forks of the kernel, so they share the prepared explorer), in :func:`order`,
    leaving the kernel free to answer the reader's slider moves. The workers are given
    one frame at a time from :attr:`queue` (at most ``WORKERS + 1`` queued in the
    executor), so that a new order after a move costs the kernel only a sort;
    :meth:`render_ahead` lets the kernel take frames from the same queue.
    """

    def __init__(self, explorer):
        self.explorer = explorer
        self.queue = []                        # points to render, the next one last

    def key(self, point):
        return (self.explorer.name, SCALE, tuple(point[s.name] for s in self.explorer.sliders))

    def get(self, point):
        key = self.key(point)
        if key not in _FRAMES:
            with _LOCK:
                future = _QUEUED.pop(key, None)
                if future is not None:
                    future.cancel()            # no use rendering it twice
            name = self.explorer.name
            _STATES[name] = render(self.explorer, point, _STATES.get(name))
            _FRAMES[key] = frame_png(_STATES[name][0], fast=True)
        return _FRAMES[key]

    def todo(self, start):
        """Grid points not yet rendered, in :func:`order` from ``start``."""
        return [p for p in order(self.explorer, start) if self.key(p) not in _FRAMES]

    def _take(self):
        """The next point of the queue neither cached nor with a worker (None: none left)."""
        while self.queue:
            point = self.queue.pop()           # the queue is stored last first
            key = self.key(point)
            if key not in _FRAMES and key not in _QUEUED:
                return point
        return None

    def _busy(self):
        name = self.explorer.name
        return (any(k[0] == name for k in _QUEUED)
                or any(self.key(p) not in _FRAMES for p in self.queue))

    def _refill(self):
        """Give the workers the next frames of the queue (called with _LOCK held)."""
        name = self.explorer.name
        while _POOL and sum(k[0] == name for k in _QUEUED) < WORKERS + 1:
            point = self._take()
            if point is None:
                return
            key = self.key(point)
            try:
                future = _POOL[0].submit(_frame_in_worker, name, point)
            except RuntimeError as error:      # shut down (exiting), or a worker died
                self.queue.append(point)
                if isinstance(error, BrokenExecutor):
                    _POOL.pop()                # the next prefill forks new workers
                return
            _QUEUED[key] = future
            future.add_done_callback(lambda f, key=key, point=point: self._finished(f, key, point))

    def _finished(self, future, key, point):
        """A worker's frame is done (called in the executor's thread): cache it, send it."""
        with _LOCK:
            if _QUEUED.get(key) is future:
                del _QUEUED[key]
            if future.cancelled():
                _LOCK.notify_all()
                return
            ok = future.exception() is None
            if ok:
                _FRAMES.setdefault(key, future.result())
            elif isinstance(future.exception(), BrokenExecutor):
                self.queue.append(point)       # a worker died: the frame goes back
            self._refill()
            _LOCK.notify_all()
        for done in list(_LISTENERS.get(self.explorer.name, ())) if ok else ():
            done(key)

    def wait(self, timeout):
        """Wait until no frame of the queue is left to render; False if ``timeout`` passed."""
        with _LOCK:
            return _LOCK.wait_for(lambda: not self._busy(), timeout)

    def render_ahead(self, start, seconds):
        """Render frames in the kernel too, taking them from the queue (:func:`order` from
        ``start``), until every frame is cached or ``seconds`` have passed; returns the
        number rendered here."""
        deadline = time.monotonic() + seconds
        rendered = 0
        with _LOCK:
            if not self.queue:                 # no workers: the kernel alone
                self.queue = self.todo(start)[::-1]
        while time.monotonic() < deadline:
            with _LOCK:
                point = self._take()
            if point is None:
                break
            self.get(point)
            rendered += 1
        self.wait(max(0.0, deadline - time.monotonic()))     # the workers' last frames
        return rendered

    def prefill(self, start, done=None, reorder=False, fork=False):
        """Have the workers render every frame not yet cached, in :func:`order` from
        ``start``; returns the number of frames left to render.

        ``done(key)`` is called (in a thread of the executor) whenever a worker's frame
        of this explorer is cached. ``reorder=True`` (the reader moved) also takes back
        the frames still waiting in the executor. ``fork=True`` (a new display) replaces
        the workers by new forks of the kernel, which hold this explorer prepared and
        its figure drawn.
        """
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        if (not _prefill_on() or REGISTRY.get(self.explorer.name) is not self.explorer
                or "fork" not in multiprocessing.get_all_start_methods()):
            return 0
        with _LOCK:
            if done is not None and done not in _LISTENERS.setdefault(self.explorer.name, []):
                _LISTENERS[self.explorer.name].append(done)
            if fork and _POOL:
                _POOL.pop().shutdown(wait=False, cancel_futures=True)
            if not _POOL:
                import atexit
                _POOL.append(ProcessPoolExecutor(WORKERS, initializer=_worker_start,
                                                 mp_context=multiprocessing.get_context("fork")))
                atexit.register(_POOL[0].shutdown, wait=False, cancel_futures=True)
            if reorder:
                for key, future in list(_QUEUED.items()):
                    if key[0] == self.explorer.name and future.cancel():
                        _QUEUED.pop(key, None)
            self.queue = self.todo(start)[::-1]
            self._refill()
            return len(self.queue) + sum(k[0] == self.explorer.name for k in _QUEUED)
