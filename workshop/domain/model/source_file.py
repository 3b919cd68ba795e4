"""Reading a file the user named: only a regular file, only up to a size, never a hang.

A FIFO, a device or a folder that happens to be called ``x.workshop`` or
``script.yaml`` would block a read forever (a FIFO without a writer,
``/dev/zero``) or fail deep inside a parser; it is refused at once, before
it is opened for reading. Every front reads user files through here (the
store for sessions, the YAML loader for scripts and instruments).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["UnreadableFile", "check_regular_file", "read_regular_file"]


class UnreadableFile(ValueError):
    """A path that is not a readable regular file; the message names it and says why."""


def _describe(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular_file(path: Path) -> os.stat_result:
    """``os.stat`` of ``path``; raises :class:`UnreadableFile` unless it is an existing regular file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(f"{path} is {_describe(info.st_mode)}, not a file")
    return info


def read_regular_file(path: Path, *, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is refused at once."""
    check_regular_file(path)
    try:
        # O_NONBLOCK: should the path have become a FIFO since the stat, opening it must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot read: {error.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"{path} is {_describe(info.st_mode)}, not a file")
        if info.st_size > limit:
            raise UnreadableFile(f"{path} is too large ({info.st_size:,} bytes; at most {limit:,} are read)")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(f"{path} is too large (more than {limit:,} bytes)")
    return data
