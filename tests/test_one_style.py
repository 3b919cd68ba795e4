"""The diagram's colours are written once: in the style table, workshop/domain/drawing/style.py.

The canvas (through ui/themes.py), the SVG picture, the PDF report and the
phone page (through the generated diagram.css) all read that table. A colour
copied into a renderer drifts: the handoff colour already had (``#d84315``
in the exports, ``#d9532c`` on the phone).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = "workshop/domain/drawing/style.py"
RENDERERS = (
    "workshop/interchange/pictures.py",
    "workshop/interchange/report_diagram.py",
    "workshop/interchange/report_diagram_draw.py",
    "workshop/interchange/report_diagram_pages.py",
    "workshop/live/page_style.py",
    "assets/participant/participant.js",
)
"""Draw the diagram and spell no colour of their own."""
READERS = (
    "workshop/ui/themes.py",
    "workshop/ui/walkthrough/walkthrough_overlay.py",
    "workshop/ui/canvas/canvas_overlays.py",
    "workshop/ui/canvas/canvas_scene.py",
    "workshop/ui/canvas/canvas_overview.py",
    "workshop/ui/canvas/canvas_flow_drawing.py",
    "workshop/ui/canvas/canvas_view.py",
    "workshop/ui/canvas/lane_item.py",
    "workshop/ui/canvas/flow_item.py",
    "workshop/ui/canvas/node_item.py",
    "workshop/ui/canvas/minimap.py",
)
"""Read the table and may hold colours of their own for things that are not the diagram (a banner's text).

participant.css is a reader too, but its buttons and forms are white like anything else: only its diagram
rules are checked, and they may spell no colour at all (below)."""
WAITING: tuple[str, ...] = ()
"""Files that still hold diagram colours of their own (none left: the canvas items read the table)."""

HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
DIAGRAM_CSS = re.compile(r"/\* the model: its shapes.*?(?=\n\.survey-item)", re.DOTALL)


def _colours(text: str) -> set[str]:
    found = set()
    for match in HEX.findall(text):
        digits = match[1:].lower()
        found.add("#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits))
    return found


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_no_diagram_colour_is_defined_in_two_modules() -> None:
    where: defaultdict[str, list[str]] = defaultdict(list)
    for name in (TABLE, *RENDERERS, *READERS):
        for colour in _colours(_text(name)):
            where[colour].append(name)
    table = _colours(_text(TABLE))
    twice = {colour: names for colour, names in where.items() if len(names) > 1 and colour in table}
    assert twice == {}


def test_the_renderers_spell_no_colour() -> None:
    spelled = {name: sorted(_colours(_text(name))) for name in RENDERERS}
    assert {name: colours for name, colours in spelled.items() if colours} == {}


def test_the_phone_pages_diagram_rules_use_only_the_tables_variables() -> None:
    section = DIAGRAM_CSS.search(_text("assets/participant/participant.css"))
    assert section is not None, "the diagram section of participant.css moved: update this test"
    assert sorted(_colours(section.group(0))) == []
    assert "var(--diagram-selection)" in section.group(0)


def test_every_variable_the_page_uses_is_served() -> None:
    from workshop.live.page_style import diagram_css

    served = set(re.findall(r"--diagram-([a-z-]+):", diagram_css()))
    used = set(re.findall(r"--diagram-([a-z-]+)\)", _text("assets/participant/participant.css")))
    used |= set(re.findall(r'diagramStyle\("([a-z-]+)"\)', _text("assets/participant/participant.js")))
    assert used - served == set()
    assert used


def test_the_waiting_files_exist() -> None:
    """A canvas file renamed or removed by the rewrite: take it off WAITING (and check its successor)."""
    assert [name for name in WAITING if not (ROOT / name).is_file()] == []
