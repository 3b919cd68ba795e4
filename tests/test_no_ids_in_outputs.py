"""People's words, never ids: everything meant for reading names no element by its id.

The rule is one function, :func:`workshop.domain.model.naming.ids_in`; this test holds every output meant
for a person to it: each command's printed text, the PDF report, the picture (SVG), Table 1, and the CSV
tables' text columns. (Columns named ``id`` or ``…_id`` and the JSON keep ids: they join the tables.)
"""

from __future__ import annotations

import contextlib
import csv
import io
import subprocess
from pathlib import Path

import pytest

from workshop.cli import main
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.naming import ids_in
from workshop.domain.model.operations import add, update
from workshop.domain.model.session import Session
from workshop.interchange.exports import export
from workshop.resources import example_session_path
from workshop.store.sessions import create_document, load_session_json, read_record

READABLE_COMMANDS = ["info", "log", "analyse", "walkthroughs", "whatif", "survey-results", "contract show"]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Session]:
    folder = tmp_path_factory.mktemp("no-ids")
    document, workshop_file = create_document(folder / "example.workshop", load_session_json(example_session_path()))
    node = next(n for n in document.session.nodes.values() if n.node_kind == "activity")
    flow = next(f for f in document.session.flows.values() if f.label)
    document.apply(update("node", node.id, label="Register the contact", x=node.x + 20))  # a log to print
    document.apply(update("flow", flow.id, label=""))  # a flow without a label is named by its steps
    document.apply(add(Annotation(id="ann-said", annotation_kind="problem", text="Slow", target_id=node.id)))
    workshop_file.close(document.session, document.last_seq)
    return folder / "example.workshop", document.session


def _printed(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.suppress(SystemExit):
        main(list(argv))
    return out.getvalue() + err.getvalue()


def test_the_rule_finds_ids_as_whole_words_only(example: tuple[Path, Session]) -> None:
    _path, session = example
    node_id = next(iter(session.nodes))
    assert ids_in(f"see {node_id}.", session) == [node_id]
    assert ids_in(f"see {node_id}-copy", session) == []


@pytest.mark.parametrize("command", READABLE_COMMANDS)
def test_no_command_prints_an_id(example: tuple[Path, Session], command: str) -> None:
    path, session = example
    text = _printed(*command.split(), str(path))
    assert text.strip(), f"{command} printed something to read"
    assert ids_in(text, session) == [], f"{command} printed ids"


@pytest.mark.parametrize("kind", ["pdf", "svg", "table1", "csv"])
def test_no_export_for_reading_names_an_element_by_its_id(
    example: tuple[Path, Session], tmp_path: Path, kind: str
) -> None:
    path, session = example
    suffix = {"pdf": ".pdf", "svg": ".svg", "table1": ".csv", "csv": ""}[kind]
    target = tmp_path / f"out{suffix}"
    export(kind, read_record(path), target)
    if kind == "pdf":
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    elif kind == "csv":
        cells = []
        for table in sorted(target.glob("*.csv")):
            with table.open(encoding="utf-8-sig", newline="") as file:  # Excel reads the BOM
                for row in csv.DictReader(file):
                    cells += [v or "" for k, v in row.items() if k and k != "id" and not k.endswith("_id")]
        text = "\n".join(cells)
    else:
        text = target.read_text(encoding="utf-8")
    assert len(text) > 200
    assert ids_in(text, session) == [], f"{kind} names elements by their ids"
