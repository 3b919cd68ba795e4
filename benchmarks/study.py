"""How long a study takes to carry a large sitting forward and to compute its record.

``python -m benchmarks.study [--nodes 10000] [--sittings 9]``: a first
sitting holding a generated model, then ``--sittings`` more, each carried
forward from the one before; prints the time of one carry-forward and of
``study export`` as table1, qdpx and pdf (the PDF has no diagrams, so its time
is the tables').
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.generated import generated_session
from workshop.domain.research.study import SittingKind
from workshop.interchange.study_exports import export_study
from workshop.interchange.study_tables import study_record
from workshop.store.sessions import create_document
from workshop.store.study_folder import add_sitting, create_study, load_study, read_sittings, source_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--sittings", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        study = create_study(folder, "Benchmark study", "bench")
        first = add_sitting(folder, study, kind=SittingKind.MODELING, intervention=1, process="P", actor="bench")
        (folder / first.file).unlink()
        _, workshop_file = create_document(folder / first.file, generated_session(args.nodes).session)
        workshop_file.close()
        carry = []
        for n in range(args.sittings):
            start = time.perf_counter()
            add_sitting(
                folder,
                study,
                kind=SittingKind.SIMULATION,
                intervention=1 + n * 3 // args.sittings,
                process="P",
                actor="bench",
                from_key=study.sittings[-1].id,
            )
            carry.append(time.perf_counter() - start)
        print(f"{args.nodes} nodes: carry forward {min(carry):.2f}-{max(carry):.2f} s per sitting")
        study = load_study(folder)
        for kind in ("table1", "qdpx", "pdf"):
            start = time.perf_counter()
            record = study_record(study, read_sittings(folder, study))
            export_study(kind, record, Path(tmp) / f"out.{kind}", lambda sid: source_text(folder, study.source(sid)))
            print(f"study export {kind} ({args.sittings + 1} sittings): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
