"""No number can brick a session: non-finite or extreme values are refused at the door, the file always reopens."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.cli import main
from workshop.domain.model.document import Document
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import SetSessionOp, add, parse_operation
from workshop.domain.model.process import Node, ProcessModel
from workshop.domain.model.session import new_session
from workshop.store.sessions import StoreError, create_document, load_session_json, open_document, read_record

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + "0" * 400]

literals = st.one_of(
    st.sampled_from(NON_FINITE),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["1e7", "-1e7", "10000000.5", "1e308", "-0.0", "5e-324"]),
)

TEMPLATES = [
    '{{"op": "update", "kind": "node", "id": "n-1", "changes": {{"x": {v}}}}}',
    '{{"op": "update", "kind": "node", "id": "n-1", "changes": {{"y": {v}, "w": {v}}}}}',
    '{{"op": "update", "kind": "node", "id": "n-1", "changes": {{"duration_minutes": {v}}}}}',
    '{{"op": "add", "kind": "node", "data": {{"id": "n-2", "model_id": "m", "x": {v}}}}}',
    '{{"op": "set_session", "changes": {{"script": {{"deep": [1, {{"value": {v}}}]}}}}}}',
    '{{"op": "batch", "ops": [{{"op": "update", "kind": "node", "id": "n-1", "changes": {{"h": {v}}}}}]}}',
]


def _session_file(folder: Path) -> Path:
    path = folder / "s.workshop"
    document, workshop_file = create_document(path, new_session("numbers", session_id="s"))
    document.apply(add(ProcessModel(id="m", name="M")))
    document.apply(add(Node(id="n-1", model_id="m")))
    workshop_file.close()
    return path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=st.sampled_from(TEMPLATES), literal=literals)
def test_apply_refuses_or_stores_every_number_and_the_file_reopens(template: str, literal: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _session_file(Path(folder))
        ops = Path(folder) / "ops.jsonl"
        ops.write_text(template.format(v=literal) + "\n", encoding="utf-8")
        status = main(["apply", str(path), str(ops)])
        record = read_record(path)  # must never raise: the file always opens
        if literal in NON_FINITE:
            assert status == 1
        assert len(record.records) == (3 if status == 0 else 2)
        for node in record.session.nodes.values():
            assert all(math.isfinite(v) and abs(v) <= 1e7 for v in (node.x, node.y, node.w, node.h))
        document, workshop_file = open_document(path, read_only=True)
        assert document.session == record.session
        workshop_file.close()


@settings(max_examples=40, deadline=None)
@given(literal=literals, field=st.sampled_from(["x", "y", "w", "duration_minutes"]))
def test_json_import_refuses_non_finite_numbers_naming_line_and_field(literal: str, field: str) -> None:
    session = new_session("import", session_id="s").model_dump(mode="json")
    session["models"] = {"m": {"id": "m", "name": "M"}}
    del session["nodes"]
    text = json.dumps(session, indent=1)
    node = f'"nodes": {{"n": {{"id": "n", "model_id": "m", "{field}": {literal}}}}},\n'
    text = text.replace('"models"', node + ' "models"', 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.json"
        path.write_text(text, encoding="utf-8")
        try:
            loaded = load_session_json(path)
        except StoreError as error:
            message = str(error)
            assert message.startswith(str(path))
            if literal in NON_FINITE:
                line = text[: text.index(literal)].count("\n") + 1
                assert f"{path}:{line}:" in message
                assert f"field 'nodes.n.{field}'" in message
            return
        assert literal not in NON_FINITE
        value = getattr(loaded.nodes["n"], field)
        assert math.isfinite(value)
        assert type(loaded).model_validate_json(loaded.model_dump_json()) == loaded


def test_the_issue_example_is_refused_naming_line_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _session_file(tmp_path)
    ops = tmp_path / "ops.jsonl"
    ops.write_text('\n{"op":"update","kind":"node","id":"n-1","changes":{"x":NaN}}\n', encoding="utf-8")
    assert main(["apply", str(path), str(ops)]) == 1
    assert f"{ops}:2: field 'changes.x': NaN is not a finite number" in capsys.readouterr().err
    assert main(["info", str(path)]) == 0


def test_a_non_finite_value_built_in_python_is_refused_before_it_is_recorded(tmp_path: Path) -> None:
    document, workshop_file = create_document(tmp_path / "s.workshop", new_session("py", session_id="s"))
    before = document.session.model_copy(deep=True)
    with pytest.raises(OperationError, match="cannot be stored faithfully"):
        document.apply(SetSessionOp(changes={"script": {"weight": float("nan")}}))
    assert document.session == before
    assert document.last_seq == 0
    workshop_file.close()
    assert read_record(tmp_path / "s.workshop").records == []


def test_coordinates_stay_within_the_drawable_range() -> None:
    document = Document(new_session("range"))
    document.apply(add(ProcessModel(id="m", name="M")))
    with pytest.raises(OperationError, match="field 'x'"):
        document.apply(parse_operation('{"op": "add", "kind": "node", "data": {"id": "n", "model_id": "m", "x": 2e7}}'))


def test_survey_round_with_an_incomplete_instrument_is_refused_naming_the_fields() -> None:
    document = Document(new_session("survey"))
    op = parse_operation('{"op":"add","kind":"survey_round","data":{"id":"r","label":"x","instrument":{"id":"i"}}}')
    with pytest.raises(OperationError, match=r"survey_round r: instrument\.title: Field required"):
        document.apply(op)


def test_a_session_json_with_a_lone_surrogate_is_refused_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"id": "s-1", "title": "\\ud800 bad"}', encoding="utf-8")
    with pytest.raises(StoreError, match=r"s\.json: not a valid session: title holds a lone surrogate"):
        load_session_json(path)
