"""One writer per session file, said plainly.

SQLite would let two programs append to the same log and fail the second
with "UNIQUE constraint failed: ops.seq" (both think the next operation is
theirs). A session opened for writing therefore holds ``NAME.workshop.lock``,
created with ``O_EXCL`` and holding who has it: program, host, pid and since
when, so a second writer is told "Session is open in Process Workshop on
HOST (pid N) since 10:42". A lock whose process is gone (same host, pid not
running) is stale, left by a crash, and is taken over. Readers never look at
the lock: ``info``, ``log`` and ``replay`` always work.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["LockHeld", "SessionLock", "lock_path"]


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

    def describe(self) -> str:
        local = self.since.astimezone()
        when = (
            local.strftime("%H:%M") if local.date() == datetime.now().astimezone().date() else f"{local:%Y-%m-%d %H:%M}"
        )
        return f"Session is open in {self.program} on {self.host} (pid {self.pid}) since {when}"


def _read(path: Path) -> LockInfo | None:
    """The lock's holder, or None if the lock file is unreadable or half-written (treated as stale)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(
            str(data["program"]), str(data["host"]), int(data["pid"]), datetime.fromisoformat(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


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

    def __init__(self, path: Path, info: LockInfo) -> None:
        self.path = path
        self.info = info

    @classmethod
    def acquire(cls, session_path: Path, program: str) -> SessionLock:
        """Take the lock of ``session_path`` for ``program``; raises :class:`LockHeld` if someone live has it.

        Raises OSError if the lock file cannot be created (a read-only folder).
        """
        path = lock_path(session_path)
        info = LockInfo(program, socket.gethostname(), os.getpid(), datetime.now(UTC).replace(microsecond=0))
        text = json.dumps(
            {"program": info.program, "host": info.host, "pid": info.pid, "since": info.since.isoformat()}
        )
        for _attempt in range(3):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = _read(path)
                if not _stale(holder):
                    assert holder is not None
                    raise LockHeld(holder.describe()) from None
                # a crash left it behind: take it over (if another process is faster, the next attempt says so)
                path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            return cls(path, info)
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
        if current is not None and (current.host, current.pid, current.since) == (
            self.info.host,
            self.info.pid,
            self.info.since,
        ):
            self.path.unlink(missing_ok=True)
