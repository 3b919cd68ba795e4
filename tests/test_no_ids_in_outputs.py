"""People's words, never ids: what the command line prints and the report says names no element by its id.

Every element id of the example session (steps, flows, lanes, organizations, annotations, walkthroughs,
commitments …) is looked for in everything a person reads: each command's printed text, and the PDF
report's text. (JSON and CSV keep ids in their id columns: they are for joining tables, not for reading.)
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

import pytest

from workshop.cli import main
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.entity import KINDS
from workshop.domain.model.operations import add, update
from workshop.resources import example_session_path
from workshop.store.sessions import create_document, load_session_json

READABLE_COMMANDS = ["info", "log", "analyse", "walkthroughs", "whatif", "survey-results", "contract show"]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, re.Pattern[str]]:
    folder = tmp_path_factory.mktemp("no-ids")
    document, workshop_file = create_document(folder / "example.workshop", load_session_json(example_session_path()))
    node = next(n for n in document.session.nodes.values() if n.node_kind == "activity")
    flow = next(f for f in document.session.flows.values() if f.label)
    document.apply(update("node", node.id, label="Register the contact", x=node.x + 20))  # a log to print
    document.apply(update("flow", flow.id, label=""))
    document.apply(add(Annotation(id="ann-said", annotation_kind="problem", text="Slow", target_id=node.id)))
    workshop_file.close(document.session, document.last_seq)
    ids = {
        entity_id
        for cls in KINDS.values()
        for entity_id in getattr(document.session, cls.collection)
        if len(entity_id) >= 4  # short ids ("a") would match ordinary words
    }
    assert len(ids) > 50
    return folder / "example.workshop", re.compile("|".join(rf"\b{re.escape(i)}\b" for i in sorted(ids)))


def _printed(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.suppress(SystemExit):
        main(list(argv))
    return out.getvalue() + err.getvalue()


@pytest.mark.parametrize("command", READABLE_COMMANDS)
def test_no_command_prints_an_id(example: tuple[Path, re.Pattern[str]], command: str) -> None:
    path, ids = example
    text = _printed(*command.split(), str(path))
    assert text.strip(), f"{command} printed something to read"
    assert ids.findall(text) == [], f"{command} printed ids"


def test_the_report_names_no_element_by_its_id(example: tuple[Path, re.Pattern[str]], tmp_path: Path) -> None:
    path, ids = example
    report = tmp_path / "report.pdf"
    _printed("report", str(path), "-o", str(report))
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout
    assert len(text) > 2000
    assert ids.findall(text) == []
