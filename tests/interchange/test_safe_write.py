"""Every export is written safely: a failure or a kill leaves the earlier output as it was, and no partial one."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import add
from workshop.domain.model.record import SessionRecord
from workshop.interchange import exports
from workshop.interchange.safe_write import ExportError, replacing, write_folder
from workshop.resources import example_session_path
from workshop.store.sessions import StoreError, create_document, load_session_json, read_record

ROOT = Path(__file__).resolve().parents[2]


def _record() -> SessionRecord:
    return SessionRecord(load_session_json(example_session_path()))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_report_that_fails_half_way_leaves_the_earlier_report_and_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.platypus.doctemplate import LayoutError

    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF earlier report")

    def fails(_record: object, stream: io.BufferedWriter, progress: object = None) -> None:
        stream.write(b"%PDF half")
        raise LayoutError("Flowable <Drawing> too large on page 3")

    monkeypatch.setattr(exports, "write_report", fails)
    with pytest.raises(ExportError) as raised:
        exports.export("pdf", _record(), target)
    message = str(raised.value)
    assert str(target) in message
    assert "could not be laid out" in message
    assert "\n" not in message
    assert target.read_bytes() == b"%PDF earlier report"
    assert _leftovers(tmp_path) == []


def test_a_new_target_is_not_created_when_the_export_fails(tmp_path: Path) -> None:
    target = tmp_path / "new.bin"

    def write_half_and_fail() -> None:
        with replacing(target) as stream:
            stream.write(b"partial")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_half_and_fail()
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_a_csv_folder_is_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop.interchange import data_export

    folder = tmp_path / "tables"
    exports.export("csv", _record(), folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert "op_log.csv" in before

    def broken(record: SessionRecord):  # type: ignore[no-untyped-def]
        yield "annotations", (["id"], [["x"]])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(data_export, "all_tables", broken)
    with pytest.raises(ExportError, match="No space left on device"):
        exports.export("csv", _record(), folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert _leftovers(tmp_path) == []


def test_a_folder_with_other_files_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(ExportError, match="already holds other files"):
        write_folder(tmp_path / "home", [("votes.csv", b"x")])
    assert (tmp_path / "home" / "thesis.docx").read_bytes() == b"years of work"


def test_the_cli_says_what_went_wrong_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workshop", "report", str(example_session_path()), "-o", str(tmp_path / "no" / "r.pdf")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "the folder does not exist" in result.stderr


KILLED_EXPORT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from workshop.domain.model.record import SessionRecord
    from workshop.interchange.exports import export
    from workshop.resources import example_session_path
    from workshop.store.sessions import load_session_json

    def stop_here(done, total):
        print("laying out", flush=True)
        sys.stdin.read()  # blocks until the test kills this process

    export("pdf", SessionRecord(load_session_json(example_session_path())), Path(sys.argv[1]), progress=stop_here)
    """
)


def test_a_killed_export_leaves_the_earlier_report_intact(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    exports.export("pdf", _record(), target)
    earlier = target.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"laying out\n", "the export started"
        assert _leftovers(tmp_path), "the export is being written beside the target"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == earlier, "the earlier report is untouched"
    assert _leftovers(tmp_path), "a killed process cannot clean up after itself"
    exports.export("pdf", _record(), target)  # the next export works, and clears what the killed one left
    assert target.read_bytes().startswith(b"%PDF")
    assert _leftovers(tmp_path) == []


def _operations_in(path: Path) -> int:
    try:
        return len(read_record(path).records)
    except StoreError:  # the copy may not even hold the schema yet
        return 0


def test_the_full_bundle_holds_every_operation_still_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "open.workshop"
    document, workshop_file = create_document(path, load_session_json(example_session_path()))
    try:
        for i in range(40):
            document.apply(
                add(Annotation(id=f"wal-{i}", annotation_kind="idea", text=f"idea {i}", target_kind="session"))
            )
        wal = path.with_name(path.name + "-wal")
        assert wal.exists()
        assert wal.stat().st_size > 0, "operations are still in the write-ahead log"
        raw = tmp_path / "raw.workshop"
        shutil.copyfile(path, raw)
        assert _operations_in(raw) < 40, "a plain copy of the file misses them"
        record = SessionRecord(document.session, list(workshop_file.records()))
        exports.export("bundle", record, tmp_path / "full.zip", session_file=path, full=True)
        exports.export("bundle", record, tmp_path / "shared.zip", session_file=path)
    finally:
        workshop_file.close()
    with zipfile.ZipFile(tmp_path / "full.zip") as archive:
        (tmp_path / "copy.workshop").write_bytes(archive.read("session/open.workshop"))
    copied = read_record(tmp_path / "copy.workshop")
    assert [r.op.data["id"] for r in copied.records] == [f"wal-{i}" for i in range(40)]  # type: ignore[union-attr]
    with zipfile.ZipFile(tmp_path / "shared.zip") as archive:
        assert not [n for n in archive.namelist() if n.endswith(".workshop")], "de-identified by default"


def test_replay_into_a_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workshop.cli import main

    path = tmp_path / "s.workshop"
    document, workshop_file = create_document(path, load_session_json(example_session_path()))
    document.apply(add(Annotation(id="one", annotation_kind="idea", text="one", target_kind="session")))
    workshop_file.close()
    assert main(["replay", str(path), "--at", "1", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is a folder" in err


def test_full_is_for_bundles_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workshop.cli import main

    out = tmp_path / "s.json"
    assert main(["export", str(example_session_path()), "--format", "json", "--full", "-o", str(out)]) == 1
    assert "--full applies to --format bundle only" in capsys.readouterr().err
    assert not out.exists()
