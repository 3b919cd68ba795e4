"""Run by the pyqdpx venv's Python (3.12+): read a .qdpx with pyqdpx and print what it read as JSON.

Usage: ``python read_with_pyqdpx.py PROJECT.qdpx``. Prints ``{"users": [...], "codes": [...], "sources":
[{"guid", "name", "text", "selections": [{"start", "end", "code", "user", "text"}]}]}`` and, under
``"said"``, everything pyqdpx printed while reading (its warnings about what it skipped).
"""

import contextlib
import io
import json
import sys

from pyqdpx import QDPX


def main(path: str) -> None:
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        project = QDPX(path).get_project()
        if project is None:
            raise SystemExit(f"pyqdpx could not read {path}: {said.getvalue()}")
        read = {
            "users": sorted(user.name for user in project.users.values()),
            "codes": sorted(code.name for code in project.codes.values()),
            "sources": [
                {
                    "guid": source.guid,
                    "name": source.name,
                    "text": source.text_content,
                    "selections": [
                        {
                            "start": selection.start,
                            "end": selection.end,
                            "code": selection.code.name,
                            "user": selection.user.name,
                            "text": selection.text,
                        }
                        for selection in source.coded_selections.values()
                    ],
                }
                for source in project.sources.values()
            ],
        }
    read["said"] = said.getvalue()
    print(json.dumps(read, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
