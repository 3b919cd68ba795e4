"""Child process for the crash test: applies operations and prints 'acked <seq>' after each apply returns."""

from __future__ import annotations

import sys
from pathlib import Path

from workshop.domain.model.operations import update
from workshop.store.sessions import open_document

if __name__ == "__main__":
    document, _file = open_document(Path(sys.argv[1]))
    i = 0
    while True:
        i += 1
        record = document.apply(update("node", "a", x=float(i), label=f"move {i}"))
        print(f"acked {record.seq}", flush=True)
