"""The report never fails on a valid session: every MIWG model and generated edge cases give a readable PDF.

Each report is checked with poppler: it opens, has pages, and no word on any
page is printed smaller than 7 pt (``pdftotext -bbox`` gives each word's box;
its height is the font size).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.process import Flow, Lane, Node, NodeKind, Organization, ProcessModel
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session, new_session
from workshop.interchange.bpmn_import import import_bpmn
from workshop.interchange.report_diagram import MIN_PRINTED_PT, fit_lines, register_fonts
from workshop.interchange.report_pdf import write_report

MIWG = Path(__file__).parents[1] / "data" / "bpmn-miwg"
MIWG_FILES = sorted(MIWG.rglob("*.bpmn"))
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def grid_session(lanes: int, columns: int, *, label: str = "Check the {n}th request and file it") -> Session:
    """``lanes`` lanes of one organization each, ``columns`` activities per lane, chained left to right."""
    session = new_session(f"{lanes} lanes × {columns} columns")
    session.models["m"] = ProcessModel(id="m", name="Generated")
    for lane in range(lanes):
        session.organizations[f"o{lane}"] = Organization(id=f"o{lane}", name=f"Organization {lane}", colour="#4c78a8")
        session.lanes[f"l{lane}"] = Lane(id=f"l{lane}", model_id="m", organization_id=f"o{lane}", index=lane)
        for col in range(columns):
            n = f"n{lane}-{col}"
            kind = NodeKind.DECISION if col % 5 == 3 else NodeKind.ACTIVITY
            session.nodes[n] = Node(
                id=n,
                model_id="m",
                node_kind=kind,
                label=label.format(n=col),
                lane_id=f"l{lane}",
                owner_org_id=f"o{lane}",
                x=30 + col * 200.0,
                y=lane * 180.0 + 53,
            )
            if col:
                session.flows[f"f{n}"] = Flow(
                    id=f"f{n}", model_id="m", source_id=f"n{lane}-{col - 1}", target_id=n, label="yes" * (col % 3)
                )
            if lane and col % 4 == 0:
                session.flows[f"h{n}"] = Flow(id=f"h{n}", model_id="m", source_id=f"n{lane - 1}-{col}", target_id=n)
    return session


def _annotated(session: Session, count: int, length: int) -> Session:
    node = next(iter(session.nodes))
    for i in range(count):
        text = (f"Remark {i}: " + "the handoff waits for a signature " * (length // 34 + 1))[:length]
        session.annotations[f"a{i}"] = Annotation(
            id=f"a{i}", annotation_kind="problem", text=text, target_kind="node", target_id=node
        )
    return session


def _one_node() -> Session:
    session = grid_session(1, 1)
    session.nodes["start"] = Node(id="start", model_id="m", node_kind=NodeKind.START, label="Begin", lane_id="l0")
    return session


def _long_labels() -> Session:
    session = grid_session(2, 3, label="Überprüfung " + "x" * 300 + " der Angaben " * 200)
    session.nodes["e"] = Node(
        id="e", model_id="m", node_kind=NodeKind.END, label="Done " * 400, lane_id="l1", x=700, y=250
    )
    return session


def _far_away() -> Session:
    """Two shapes millions of units apart (a dragged node, an import with odd coordinates)."""
    session = grid_session(2, 2)
    session.nodes["far"] = Node(id="far", model_id="m", label="Far away", lane_id="l1", x=5_000_000, y=3_000_000)
    session.flows["to-far"] = Flow(id="to-far", model_id="m", source_id="n0-1", target_id="far")
    return session


def _impossible_numbers() -> Session:
    """Numbers the domain refuses (so built without validation): the report still leaves them out, and says so."""
    session = grid_session(2, 2)
    node = Node(id="tmp", model_id="m", label="x", lane_id="l0")
    fields = node.model_dump()

    def bad_node(node_id: str, label: str, **numbers: float) -> Node:
        return Node.model_construct(**{**fields, "id": node_id, "label": label, **numbers})

    session.nodes["inf"] = bad_node("inf", "Nowhere", x=float("inf"))
    session.nodes["nan"] = bad_node("nan", "Nothing", y=float("nan"))
    session.nodes["huge"] = bad_node("huge", "Huge", lane_id="l1", w=1e300, h=1e300)
    session.flows["to-huge"] = Flow(id="to-huge", model_id="m", source_id="n0-0", target_id="huge")
    lane = Lane(id="tmp", model_id="m", organization_id="o0", index=9).model_dump()
    session.lanes["l-inf"] = Lane.model_construct(**{**lane, "id": "l-inf", "height": float("inf")})
    return session


GENERATED = {
    "impossible numbers": _impossible_numbers,
    "shapes millions of units apart": _far_away,
    "no lanes, no nodes": lambda: grid_session(0, 0),
    "0 nodes": lambda: grid_session(3, 0),
    "1 node": _one_node,
    "4 lanes, 2 activities": lambda: _only_first_columns(grid_session(4, 1), keep=2),
    "20 lanes": lambda: grid_session(20, 2),
    "2 lanes x 200 columns": lambda: grid_session(2, 200),
    "30 lanes x 3 columns": lambda: grid_session(30, 3),
    "a 5,000-character annotation": lambda: _annotated(grid_session(2, 2), 1, 5000),
    "500 annotations on one node": lambda: _annotated(grid_session(2, 2), 500, 120),
    "labels longer than their shapes": _long_labels,
}


def _only_first_columns(session: Session, keep: int) -> Session:
    """Four lanes but only ``keep`` activities: the shape that used to overflow the page height."""
    for node_id in list(session.nodes)[keep:]:
        del session.nodes[node_id]
    for flow_id in [f for f, flow in session.flows.items() if {flow.source_id, flow.target_id} - set(session.nodes)]:
        del session.flows[flow_id]
    return session


def _words(pdf: bytes, tmp_path: Path) -> list[tuple[float, str]]:
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/install-test-deps.sh"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(m[4]) - float(m[2]), m[5]) for m in WORD.finditer(html)]


def _check(session: Session, tmp_path: Path) -> list[tuple[float, str]]:
    stream = io.BytesIO()
    write_report(SessionRecord(session), stream)
    pdf = stream.getvalue()
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    words = _words(pdf, tmp_path)
    assert words, "the report has text"
    smallest = min(words)
    assert smallest[0] >= MIN_PRINTED_PT - 0.01, f"{smallest[1]!r} printed at {smallest[0]:.2f} pt"
    return words


def test_the_miwg_suite_is_there() -> None:
    assert len(MIWG_FILES) >= 60


@pytest.mark.parametrize("path", MIWG_FILES, ids=lambda p: str(p.relative_to(MIWG)))
def test_every_miwg_model_gives_a_readable_report(path: Path, tmp_path: Path) -> None:
    session = import_bpmn(path.read_bytes(), source_name=path.name).session
    words = {w for _size, w in _check(session, tmp_path)}
    labels = [n.label.split()[0] for n in session.nodes.values() if n.label.strip()]
    if labels:
        assert labels[0] in words or any(labels[0].startswith(w.rstrip("…")) for w in words)


@pytest.mark.parametrize("case", list(GENERATED))
def test_generated_edge_cases_give_a_readable_report(case: str, tmp_path: Path) -> None:
    session = GENERATED[case]()
    words = _check(session, tmp_path)
    text = " ".join(w for _s, w in words)
    if case in ("2 lanes x 200 columns", "30 lanes x 3 columns", "20 lanes"):
        assert "part 1 of" in text, "a model too big for one page is printed in parts"
        assert "Overview." in text
        parts = int(re.search(r"part 1 of (\d+)", text)[1])  # type: ignore[index]
        assert text.count("— part ") == parts, "every part says where it sits"
    if case == "impossible numbers":
        assert "4 shape(s) or lane(s) with impossible coordinates or sizes are not drawn" in text
    if case == "a 5,000-character annotation":
        assert text.count("signature") >= 140, "the whole annotation is printed, across pages"


def test_a_tiled_model_prints_every_label_somewhere(tmp_path: Path) -> None:
    session = grid_session(2, 60, label="Step {n}")
    text = " ".join(w for _s, w in _check(session, tmp_path))
    for col in range(60):
        assert f"Step {col}" in text or f"{col}" in text.split()


def test_labels_fit_their_width_and_end_with_an_ellipsis_when_cut() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    lines = fit_lines("Überprüfung der Angaben im Antrag und Weiterleitung an die Sachbearbeitung", 120, 13, 2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(stringWidth(line, "DejaVuSans", 13) <= 120 for line in lines)
    assert fit_lines("Short", 120, 13, 3) == ["Short"]
    long_word = fit_lines("x" * 500, 100, 12, 3)
    assert len(long_word) == 3
    assert long_word[-1].endswith("…")
    assert all(stringWidth(line, "DejaVuSans", 12) <= 100 for line in long_word)
    assert fit_lines("", 100, 12, 3) == []


@pytest.mark.parametrize("path", MIWG_FILES, ids=lambda p: str(p.relative_to(MIWG)))
def test_labels_stay_inside_their_shapes(path: Path) -> None:
    """Labels inside the box the one drawing gives them (:func:`workshop.domain.drawing.shapes.label_box`); events' and
    small shapes' labels below, no wider than allowed."""
    from workshop.interchange.report_diagram import build_scene

    session = import_bpmn(path.read_bytes(), source_name=path.name).session
    for model_id in session.models:
        scene = build_scene(session, model_id)
        for item in scene.items:
            if item.box is None or item.label_box is None or not item.labels:
                continue
            b, fitted = item.box, item.label_box
            inside = item.labels[0].y < b.bottom
            for label in item.labels:
                assert fitted.x - 0.01 <= label.x - label.width / 2, label
                assert label.x + label.width / 2 <= fitted.right + 0.01, label
                if inside:
                    assert fitted.y - 4 <= label.y - label.size * 0.95, label
                    assert label.y <= b.bottom, label
                else:
                    assert label.y > b.bottom, label
            assert len(item.labels) <= 6


def test_long_labels_are_cut_inside_their_shapes() -> None:
    from workshop.interchange.report_diagram import build_scene

    scene = build_scene(_long_labels(), "m")
    activities = [i for i in scene.items if i.kind == "activity"]
    assert activities
    for item in activities:
        assert item.box is not None
        assert item.labels[-1].text.endswith("…")
        for label in item.labels:
            assert item.box.x <= label.x - label.width / 2
            assert label.x + label.width / 2 <= item.box.right
            assert label.y <= item.box.bottom


def test_a_huge_model_prints_its_overview_and_the_parts_the_workshop_discussed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_PARTS pages, the parts printed are those holding annotations: a reader's overview, not a ream."""
    monkeypatch.setattr("workshop.interchange.report_diagram_pages.MAX_PARTS", 3)
    session = grid_session(2, 200, label="Step {n}")
    alone = " ".join(w for _s, w in _check(session, tmp_path))
    every = int(re.search(r"would take (\d+) pages", alone)[1])  # type: ignore[index]
    assert every > 3
    assert "no part follows" in alone
    assert "— part " not in alone
    discussed = ["n0-3", "n1-150"]  # two far-apart places: two parts
    for number, node_id in enumerate(discussed):
        session.annotations[f"a{number}"] = Annotation(
            id=f"a{number}", annotation_kind="problem", text="Waits here", target_kind="node", target_id=node_id
        )
    text = " ".join(w for _s, w in _check(session, tmp_path))
    assert f"would take {every} pages" in text
    assert "part 1 of 2" in text
    assert "part 2 of 2" in text
    assert "part 3 of" not in text
    assert "Step 3" in text, "the discussed steps are printed readably"
    assert "Step 150" in text
    assert "Step 80" not in text, "the parts nobody discussed are left to the exports"
