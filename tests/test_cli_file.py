"""The file commands, end to end, as a researcher's script would use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workshop.cli import main
from workshop.resources import example_session_path

ROOT = Path(__file__).resolve().parents[1]

OPS = [
    {"op": "add", "kind": "organization", "data": {"id": "org-it", "name": "IT provider"}},
    {"op": "add", "kind": "organization", "data": {"id": "org-a", "name": "Customer group A"}},
    {"op": "add", "kind": "model", "data": {"id": "m", "name": "Current"}},
    {"op": "add", "kind": "node", "data": {"id": "a", "model_id": "m", "owner_org_id": "org-a"}},
    {"op": "add", "kind": "node", "data": {"id": "b", "model_id": "m", "owner_org_id": "org-it"}},
    {"op": "add", "kind": "flow", "data": {"id": "f", "model_id": "m", "source_id": "a", "target_id": "b"}},
]


@pytest.fixture
def session_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "s.workshop"
    assert main(["new", str(path), "--title", "Workshop 1"]) == 0
    ops = tmp_path / "ops.jsonl"
    ops.write_text("\n".join(json.dumps(op) for op in OPS) + "\n\n", encoding="utf-8")
    assert main(["apply", str(path), str(ops)]) == 0
    assert capsys.readouterr().out.splitlines()[-6:] == [f"applied {i}" for i in range(1, 7)]
    return path


def test_info_counts_handoffs_and_operations(session_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(session_file), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["title"] == "Workshop 1"
    assert info["counts"]["handoffs"] == 1
    assert info["counts"]["operations"] == 6
    assert info["time_span"]["first"] <= info["time_span"]["last"]


def test_apply_is_all_or_nothing(session_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ops = tmp_path / "more.jsonl"
    ops.write_text(
        '{"op": "update", "kind": "node", "id": "a", "changes": {"label": "not kept"}}\n'
        '{"op": "update", "kind": "node", "id": "ghost", "changes": {"x": 1}}\n',
        encoding="utf-8",
    )
    assert main(["apply", str(session_file), str(ops)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "more.jsonl:2: update node: no node with id 'ghost' (nothing was applied)" in captured.err
    assert main(["info", str(session_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["operations"] == 6
    assert main(["log", str(session_file), "--json"]) == 0
    assert "not kept" not in capsys.readouterr().out
    assert main(["apply", str(session_file), str(tmp_path / "none.jsonl")]) == 1


def test_apply_reads_a_whole_file_in_one_transaction(
    session_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ops = tmp_path / "many.jsonl"
    ops.write_text(
        "".join(f'{{"op": "update", "kind": "node", "id": "a", "changes": {{"x": {i}}}}}\n' for i in range(50)),
        encoding="utf-8",
    )
    assert main(["apply", str(session_file), str(ops)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"applied {i}" for i in range(7, 57)]
    assert main(["replay", str(session_file), "--at", "56", "-o", str(tmp_path / "st.json")]) == 0
    assert json.loads((tmp_path / "st.json").read_text())["nodes"]["a"]["x"] == 49


def test_invalid_utf8_in_the_ops_file_names_its_line(
    session_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ops = tmp_path / "latin1.jsonl"
    ops.write_bytes(
        b'{"op": "update", "kind": "node", "id": "a", "changes": {"label": "ok"}}\n'
        b'{"op": "update", "kind": "node", "id": "a", "changes": {"label": "caf\xe9"}}\n'
    )
    assert main(["apply", str(session_file), str(ops)]) == 1
    err = capsys.readouterr().err
    assert "latin1.jsonl:2: not valid UTF-8" in err
    assert "Traceback" not in err


def test_apply_partial_stops_at_the_first_invalid_line_and_keeps_the_rest(
    session_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ops = tmp_path / "more.jsonl"
    ops.write_text(
        '{"op": "update", "kind": "node", "id": "a", "changes": {"label": "kept"}}\n'
        '{"op": "update", "kind": "node", "id": "ghost", "changes": {"x": 1}}\n'
        '{"op": "update", "kind": "node", "id": "a", "changes": {"label": "never"}}\n',
        encoding="utf-8",
    )
    assert main(["apply", "--partial", str(session_file), str(ops)]) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == "applied 7"
    assert "more.jsonl:2: update node: no node with id 'ghost'" in captured.err
    assert "Traceback" not in captured.err
    assert main(["replay", str(session_file), "--at", "7", "-o", str(tmp_path / "st.json")]) == 0
    assert json.loads((tmp_path / "st.json").read_text())["nodes"]["a"]["label"] == "kept"


def test_a_line_that_is_not_json_names_its_number(session_file: Path, tmp_path: Path) -> None:
    ops = tmp_path / "bad.jsonl"
    ops.write_text("{not json\n", encoding="utf-8")
    assert main(["apply", str(session_file), str(ops)]) == 1


def test_log_and_replay_at_seq_and_time(session_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log", str(session_file), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["seq"] for r in records] == list(range(1, 7))
    assert records[0]["actor"] == "cli"
    out = tmp_path / "at.json"
    assert main(["replay", str(session_file), "--at", "2", "-o", str(out)]) == 0
    assert set(json.loads(out.read_text())["organizations"]) == {"org-it", "org-a"}
    assert main(["replay", str(session_file), "--at", records[2]["time"], "-o", str(out)]) == 0
    assert set(json.loads(out.read_text())["models"]) == {"m"}
    assert main(["replay", str(session_file), "--at", "99", "-o", str(out)]) == 1
    assert main(["replay", str(session_file), "--at", "yesterday", "-o", str(out)]) == 1


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workshop", "info", str(tmp_path / "missing.workshop")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"workshop: {tmp_path / 'missing.workshop'}: no such file"


def test_info_on_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(example_session_path())]) == 0
    out = capsys.readouterr().out
    assert "IT provider, Customer group A, Customer group B, End-users" in out
    assert "22 nodes" in out


def test_an_ops_path_that_is_a_folder_or_device_is_refused_at_once(
    session_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apply", str(session_file), str(tmp_path)]) == 1
    assert f"{tmp_path} is a folder" in capsys.readouterr().err
    assert main(["apply", str(session_file), "/dev/zero"]) == 1  # would otherwise be read for ever
    assert "/dev/zero is not a file" in capsys.readouterr().err


def test_a_node_moved_by_apply_into_another_lane_joins_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lanes.workshop"
    assert main(["new", str(path), "--title", "Lanes"]) == 0
    ops = [
        *OPS[:3],
        {"op": "add", "kind": "lane", "data": {"id": "l-it", "model_id": "m", "organization_id": "org-it", "index": 0}},
        {"op": "add", "kind": "lane", "data": {"id": "l-a", "model_id": "m", "organization_id": "org-a", "index": 1}},
        {
            "op": "add",
            "kind": "node",
            "data": {"id": "a", "model_id": "m", "lane_id": "l-a", "owner_org_id": "org-a", "y": 200},
        },
        {"op": "update", "kind": "node", "id": "a", "changes": {"y": 40}},  # into the IT provider's band
    ]
    lines = tmp_path / "move.jsonl"
    lines.write_text("\n".join(json.dumps(op) for op in ops) + "\n", encoding="utf-8")
    assert main(["apply", str(path), str(lines)]) == 0
    out = tmp_path / "state.json"
    assert main(["replay", str(path), "--at", "7", "-o", str(out)]) == 0
    node = json.loads(out.read_text(encoding="utf-8"))["nodes"]["a"]
    assert (node["lane_id"], node["owner_org_id"]) == ("l-it", "org-it"), "drawn, recorded and owned alike"


def test_a_lone_surrogate_in_apply_is_one_line_naming_the_field(
    session_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ops = tmp_path / "ops.jsonl"
    ops.write_text('{"op":"update","kind":"node","id":"a","changes":{"label":"\\ud800"}}\n')
    before = session_file.read_bytes()
    assert main(["apply", str(session_file), str(ops)]) == 1
    err = capsys.readouterr().err
    assert f"{ops}:1: update node a: changes.label cannot be stored" in err
    assert "Traceback" not in err
    assert "Serialization" not in err
    assert session_file.read_bytes() == before


def test_log_shows_an_empty_batch_like_info_counts_it(
    session_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ops = tmp_path / "empty.jsonl"
    ops.write_text('{"op": "batch", "label": "nothing", "ops": []}\n')
    assert main(["apply", str(session_file), str(ops)]) == 0
    capsys.readouterr()
    assert main(["info", str(session_file), "--json"]) == 0
    counted = json.loads(capsys.readouterr().out)["counts"]["operations"]
    assert main(["log", str(session_file), "--json"]) == 0
    logged = capsys.readouterr().out.splitlines()
    assert len(logged) == counted == 7
