"""Take the README's report screenshots: pages of the example workshop's report at 100 dpi (needs pdftoppm).

    python tools/screenshot_report.py docs/screenshots

The example session is taken through the three interventions first
(tests/interchange/workshop_run.py), so the pages show a report as handed
to the organizations: at a glance, an intervention, a part of a tiled model.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.interchange.workshop_run import workshop_record
from workshop.interchange.report_pdf import write_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        pdf = Path(scratch) / "report.pdf"
        with pdf.open("wb") as stream:
            write_report(workshop_record(morning=True), stream)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
        pages = text.stdout.split("\f")
        part = next(n for n, page in enumerate(pages, start=1) if re.search(r"part 1 of \d+", page))
        for name, page in (("report-glance", 1), ("report-intervention", 3), ("report-diagram", part)):
            out = args.folder / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(args.dpi),
                    "-png",
                    "-singlefile",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    str(pdf),
                    str(out),
                ],
                check=True,
            )
            print(f"wrote {out}.png")


if __name__ == "__main__":
    main()
