"""A dress rehearsal of a workshop day on any model (see :mod:`workshop.ui.rehearsal`).

python tools/rehearse_workshop.py FILE.bpmn --out DIR [--phones 3] [--sizes 1920x1080,1366x768]

Runs the built-in three-intervention script on FILE in a real window (under Xvfb when there is no
display), without and with simulated phones, and writes DIR/summary.json with, for every step, what the
projector and the console showed; exits 1 when a step has a problem.
"""

from __future__ import annotations

import sys

from workshop.ui.rehearsal import main

if __name__ == "__main__":
    sys.exit(main())
