"""One writer per session file, said plainly.

SQLite would let two programs append to the same log and fail the second
with "UNIQUE constraint failed: ops.seq" (both think the next operation is
theirs). A session opened for writing therefore holds ``NAME.workshop.lock``,
created atomically (written aside, then hard-linked, which fails if it exists)
and holding who has it: program, host, pid and since
when, so a second writer is told "Session is open in Process Workshop on
HOST (pid N) since 10:42". A lock whose process is gone (same host, pid not
running) is stale, left by a crash, and is taken over. Readers never wait for
the lock (``info``, ``log`` and ``replay`` always work); they only ask whether
a live writer holds it, to know whether a WAL beside the file is that writer's.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["LockHeld", "SessionLock", "lock_path"]

FRESH_SECONDS = 5.0
"""An unreadable lock file younger than this is being written by another opener, not left by a crash."""


class LockHeld(Exception):
    """Another live program has the session open for writing; the message says who, where and since when."""


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@dataclass(frozen=True)
class LockInfo:
    program: str
    host: str
    pid: int
    since: datetime
    token: str = ""
    """Tells two openings by the same process apart, so one never releases the other's lock."""

    def describe(self) -> str:
        return f"Session is open in {self.program} on {self.host} (pid {self.pid}) since {self._when()}"

    def _when(self) -> str:
        local = self.since.astimezone()
        return (
            local.strftime("%H:%M") if local.date() == datetime.now().astimezone().date() else f"{local:%Y-%m-%d %H:%M}"
        )

    def describe_taken_over(self) -> str:
        """The note for a lock a crash left behind: whose it was and since when (it was not closed properly)."""
        return (
            f"took over the write lock left by {self.program} on {self.host} (pid {self.pid}, no longer running) "
            f"since {self._when()}; it was not closed properly, and nothing it committed was lost"
        )


def _parse(text: str) -> LockInfo | None:
    """The lock's holder, or None if the lock file is unreadable (treated as stale)."""
    try:
        data = json.loads(text)
        since = datetime.fromisoformat(data["since"])
        return LockInfo(str(data["program"]), str(data["host"]), int(data["pid"]), since, str(data.get("token", "")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _read(path: Path) -> LockInfo | None:
    try:
        return _parse(path.read_text(encoding="utf-8"))
    except OSError:
        return None


def _text(info: LockInfo) -> str:
    return json.dumps(
        {
            "program": info.program,
            "host": info.host,
            "pid": info.pid,
            "since": info.since.isoformat(),
            "token": info.token,
        }
    )


def _link_complete(path: Path, text: str) -> bool:
    """Create ``path`` holding ``text`` atomically: it never exists half-written. False if it exists."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, path)  # atomic, and fails if the lock exists: the O_EXCL of a complete file
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links here (FAT and exFAT sticks, some shares): O_EXCL, written at once
        return _create_exclusive(path, text)
    finally:
        temporary.unlink(missing_ok=True)


def _create_exclusive(path: Path, text: str) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _just_created(path: Path) -> bool:
    """A lock file younger than a few seconds that does not parse is being written, not abandoned."""
    try:
        return time.time() - os.stat(path).st_mtime < FRESH_SECONDS
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, belongs to someone else
        return True
    return True


def _stale(info: LockInfo | None) -> bool:
    if info is None:
        return True
    return info.host == socket.gethostname() and not _alive(info.pid)


class SessionLock:
    """The write lock of one session file; :meth:`release` (or closing the file) gives it back."""

    def __init__(self, path: Path, info: LockInfo, taken_over: LockInfo | None = None) -> None:
        self.path = path
        self.info = info
        self.taken_over = taken_over
        """The holder whose lock a crash left behind and this one replaced: the last opening never closed."""

    @classmethod
    def acquire(cls, session_path: Path, program: str) -> SessionLock:
        """Take the lock of ``session_path`` for ``program``; raises :class:`LockHeld` if someone live has it.

        Raises OSError if the lock file cannot be created (a read-only folder).
        """
        path = lock_path(session_path)
        now = datetime.now(UTC).replace(microsecond=0)
        info = LockInfo(program, socket.gethostname(), os.getpid(), now, uuid.uuid4().hex)
        text = _text(info)
        abandoned: LockInfo | None = None
        for _attempt in range(20):
            if _link_complete(path, text):
                return cls(path, info, abandoned)
            try:
                seen = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                continue  # released meanwhile: try again
            except OSError:
                seen = ""
            holder = _parse(seen)
            if holder is not None and not _stale(holder):
                raise LockHeld(holder.describe())
            if holder is None and _just_created(path):
                time.sleep(0.05)  # another opener is writing it (only without hard links): wait and read again
                continue
            # a crash left it behind (or it is unreadable): take it over, unless it changed meanwhile
            with contextlib.suppress(OSError):
                if path.read_text(encoding="utf-8") == seen:
                    path.unlink()
                    abandoned = holder or abandoned
        holder = _read(path)
        raise LockHeld(
            holder.describe() if holder else f"{path} keeps reappearing; another program is opening the session"
        )

    @staticmethod
    def holder(session_path: Path) -> LockInfo | None:
        """Who holds the lock now, if a live program does."""
        info = _read(lock_path(session_path))
        return None if _stale(info) else info

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        current = _read(self.path)
        if current is not None and current.token == self.info.token:
            self.path.unlink(missing_ok=True)
