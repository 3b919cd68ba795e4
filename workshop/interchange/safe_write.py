"""Writing an export so that a failure or a kill never leaves a half-written file behind.

Every exporter writes into a temporary file (or folder) beside the target
and moves it into place with :func:`os.replace` only once everything is
written and flushed to disk. Until then the target is untouched: a
LayoutError half-way through a report, a full disk or a killed process
leaves the previous export exactly as it was, and no partial one. Beside
the target, because ``os.replace`` is atomic only within one file system.

:func:`failure_message` turns whatever went wrong into the one sentence the
app and the command line show (never a traceback).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

PART_SUFFIX = ".part"
"""Temporary files and folders are named ``.<target name>.<pid>.<random>.part`` (hidden, plainly unfinished)."""


class ExportError(Exception):
    """An export that cannot be written; the message is one sentence naming the target and the reason."""


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but is not ours (PermissionError), or the platform cannot tell
        return True
    return True


def clear_leftovers(target: Path) -> list[Path]:
    """Remove what a killed export of ``target`` left beside it (its process is gone); returns what was removed.

    An export in progress in another live process is left alone.
    """
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for path in Path(target).parent.glob(f".{Path(target).name}.*{PART_SUFFIX}"):
            pid = path.name[len(Path(target).name) + 2 :].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed.append(path)
    return removed


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[BinaryIO]:
    """A binary stream whose bytes become ``target`` only if the ``with`` block finishes without an error.

    >>> with replacing(Path("report.pdf")) as stream:   # doctest: +SKIP
    ...     write_report(record, stream)
    """
    target = Path(target)
    if target.is_dir():
        raise ExportError(f"{target} is a folder; choose a file name")
    clear_leftovers(target)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, on every path
        mode="wb", dir=target.parent, prefix=_prefix(target), suffix=PART_SUFFIX, delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            yield handle  # type: ignore[misc]  # NamedTemporaryFile is a BinaryIO in all but name
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def write_file(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """``write(stream)`` into ``target``, safely (see :func:`replacing`)."""
    with replacing(target) as stream:
        write(stream)


def write_bytes(target: Path, data: bytes) -> None:
    """``data`` into ``target``, safely (see :func:`replacing`)."""
    with replacing(target) as stream:
        stream.write(data)


@contextlib.contextmanager
def replacing_folder(target: Path, *, ours: Callable[[Path], bool]) -> Iterator[Path]:
    """A fresh folder whose contents become ``target`` only if the ``with`` block finishes without an error.

    An existing ``target`` is replaced only if everything in it is ``ours``
    (an earlier export of the same kind): a folder holding anything else is
    refused, so pointing an export at one's home folder never deletes it.
    The swap is two renames; in between (microseconds) the old folder sits
    beside the target under a ``.part`` name, never half-written.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file, not a folder; choose a folder name or a .zip file")
    if target.is_dir():
        strangers = sorted(p.name for p in target.iterdir() if not ours(p))
        if strangers:
            raise ExportError(
                f"{target} already holds other files ({', '.join(strangers[:3])}"
                f"{', …' if len(strangers) > 3 else ''}); choose an empty or new folder"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(target)
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=_prefix(target), suffix=PART_SUFFIX))
    try:
        yield temporary
        for path in temporary.iterdir():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        if target.is_dir():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=_prefix(target) + "old.", suffix=PART_SUFFIX))
            os.replace(target, old / target.name)
            os.replace(temporary, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _fsync_folder(target.parent)


def write_folder(target: Path, files: Iterable[tuple[str, bytes]]) -> list[str]:
    """Files (name, bytes) into the folder ``target``, replacing an earlier export of the same names."""
    files = list(files)
    names = {name for name, _ in files}
    with replacing_folder(target, ours=lambda p: p.is_file() and p.name in names) as folder:
        for name, data in files:
            (folder / name).write_bytes(data)
    return sorted(names)


def failure_message(target: Path, error: BaseException) -> str:
    """One sentence saying which export failed and why, for a dialog or the command line."""
    if isinstance(error, ExportError):
        return str(error)
    if isinstance(error, PermissionError):
        return f"{target}: cannot write: permission denied; choose another place"
    if isinstance(error, FileNotFoundError):
        return f"{target}: cannot write: the folder does not exist"
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        return f"{target}: cannot write: {reason}"
    name = type(error).__name__
    detail = " ".join(str(error).split())
    if len(detail) > 200:
        detail = detail[:200] + "…"
    if name == "LayoutError":
        return f"{target}: the report could not be laid out ({detail}); nothing was written"
    if isinstance(error, ValueError):
        return f"{target}: {detail}; nothing was written"
    return f"{target}: the export failed ({name}: {detail}); nothing was written"
