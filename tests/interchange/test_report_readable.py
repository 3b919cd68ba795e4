"""The report is feedback the organizations can read: names and local dates, not ids; a story per intervention."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.interchange.workshop_run import workshop_record
from workshop.domain.model.record import SessionRecord
from workshop.interchange.bpmn_import import import_bpmn
from workshop.interchange.report_pdf import write_report
from workshop.interchange.report_text import column_widths

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "run.pdf"
    with path.open("wb") as stream:
        write_report(workshop_record(), stream)
    return path


def _text(path: Path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/install-test-deps.sh"
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_report_tells_each_intervention_in_the_organizations_words(report: Path) -> None:
    text = " ".join(_text(report).split())
    for title in ("1 · Shared domain knowledge", "2 · Common understanding", "3 · Coordination mechanisms"):
        assert title in text
    for part in ("What was done", "What was found", "What was decided", "Still open", "At a glance"):
        assert part in text
    assert "Weekly case review" in text
    assert "meetings and groups" in text
    assert "explore (a new way of working)" in text
    assert "Forward cases with the shared contact form only" in text
    assert "Mark the knowledge boundaries" in text, "steps by their titles"
    assert "Agreement check Customer group B 2.0 1" in text, "agreement by step title and organization"


def test_the_report_shows_no_ids_enum_values_or_iso_timestamps(report: Path) -> None:
    text = _text(report)
    for raw in ("i2-agreement", "i1-boundaries", "plans_and_rules", "meetings_and_groups", "existing_change", "org-a"):
        assert raw not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), "no ISO timestamps"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "no enum values with underscores"


def test_imported_text_is_not_signed_by_the_facilitator(tmp_path: Path) -> None:
    corpus = Path(__file__).parents[1] / "data" / "bpmn-miwg" / "reference"
    session = next(
        s
        for s in (import_bpmn(p.read_bytes(), source_name=p.name).session for p in sorted(corpus.glob("*.bpmn")))
        if s.annotations
    )
    path = tmp_path / "imported.pdf"
    with path.open("wb") as stream:
        write_report(SessionRecord(session), stream)
    text = _text(path)
    assert "facilitator" not in text.lower()
    note = next(iter(session.annotations.values())).text.split()[0]
    assert note in text


def test_no_heading_is_left_alone_at_the_bottom_of_a_page(report: Path) -> None:
    html = subprocess.run(["pdftotext", "-bbox", str(report), "-"], capture_output=True, text=True, check=True).stdout
    pages = PAGE.findall(html)
    assert len(pages) > 3
    headings = [w for w in WORD.findall(html) if float(w[3]) - float(w[1]) >= 11]
    assert len(headings) > 20, "headings are recognised by their size"
    for number, (_w, height, body) in enumerate(pages, start=1):
        words = [(float(y0), float(y1) - float(y0), w) for _x0, y0, _x1, y1, w in WORD.findall(body)]
        content = [w for w in words if w[0] < float(height) - 40]  # the footer is below the frame
        if not content:
            continue
        bottom = max(y for y, _h, _w in content)
        last_line = [w for w in content if w[0] >= bottom - 2]
        assert max(h for _y, h, _w in last_line) < 11, f"page {number} ends with a heading: {last_line}"


def test_narrow_columns_do_not_split_words(report: Path) -> None:
    words = set(_text(report).split())
    for word in ("Coordinates", "Mechanism", "understands", "Delivered", "crossed", "Organization", "Answers"):
        assert word in words or word.lower() in words, word


def test_column_widths_fit_the_longest_word_and_fill_the_page() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from workshop.interchange.report_diagram import register_fonts

    register_fonts()
    header = ["Kind", "What was said", "Respondents"]
    rows = [["requirement", "x " * 300, "3"]]
    widths = column_widths(header, rows, 500)
    assert sum(widths) == pytest.approx(500)
    assert widths[0] >= stringWidth("requirement", "DejaVuSans", 8) + 6
    assert widths[2] >= stringWidth("Respondents", "DejaVuSans-Bold", 8) + 6
    assert widths[1] > widths[0]


def test_typed_markup_in_every_new_section_prints_as_typed(tmp_path: Path) -> None:
    record = workshop_record()
    mechanism = record.session.mechanisms["m-run-1"]
    record.session.mechanisms["m-run-1"] = mechanism.model_copy(update={"name": "<b>Weekly</b> & <i>review"})
    path = tmp_path / "markup.pdf"
    stream = io.BytesIO()
    write_report(record, stream)
    path.write_bytes(stream.getvalue())
    assert "<b>Weekly</b> & <i>review" in " ".join(_text(path).split())


def test_a_narrow_column_beside_a_long_text_keeps_its_header_words_whole(tmp_path: Path) -> None:
    from tests.interchange.test_report_sweep import GENERATED

    path = tmp_path / "long.pdf"
    with path.open("wb") as stream:
        write_report(SessionRecord(GENERATED["a 5,000-character annotation"]()), stream)
    assert "Raised by" in " ".join(_text(path).split())


def test_times_are_printed_in_local_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        path = tmp_path / "morning.pdf"
        with path.open("wb") as stream:
            write_report(workshop_record(morning=True), stream)
        text = " ".join(_text(path).split())
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "Workshop held 10 Mar 2026, 10:00–" in text, "09:00 UTC is 10:00 in Berlin in March"
    assert "it provider" not in text
