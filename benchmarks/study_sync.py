"""How long sharing a study through PostgreSQL takes, through the commands a research group runs.

``python -m benchmarks.study_sync [--operations 100000] [--runs 2]`` starts a
throwaway PostgreSQL cluster of its own (fsync on, as a real server), then
per run, each through ``workshop study ...`` in this process (the
interpreter's start is not counted):

* ``publish_example_s``: publishing the bundled example study (two sittings,
  the model carried forward);
* ``publish_large_s``: publishing a study whose sitting holds ``--operations``
  operations;
* ``sync_1000_s``: a sync that sends 1,000 operations added offline;
* ``sync_nothing_s``: a sync with nothing to do;
* ``clone_large_s``: a new laptop's clone of the large study.

Targets (issue 28): first publish of 100,000 operations <= 20 s, incremental
1,000 <= 1 s, nothing to do <= 0.3 s. Prints JSON with the load average before
and after each run: the machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.store import _large_operations
from tests.postgres_server import fresh_database, running_cluster
from workshop.cli import main as cli
from workshop.domain.model.operations import add
from workshop.domain.model.process import Organization
from workshop.domain.research.study import SittingKind
from workshop.store.sessions import open_document
from workshop.store.study_folder import add_sitting, create_study, sitting_file


def _timed(*args: str | Path) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        status = cli([str(a) for a in args])
    if status != 0:
        raise SystemExit(f"workshop {' '.join(map(str, args))} failed")
    return round(time.perf_counter() - started, 3)


def _large_study(folder: Path, operations: int) -> None:
    study = create_study(folder, "Large study", "bench")
    sitting = add_sitting(folder, study, kind=SittingKind.MODELING, intervention=1, process="P", actor="bench")
    document, workshop_file = open_document(sitting_file(folder, sitting))
    with workshop_file.transaction():
        for op in _large_operations(operations):
            document.apply(op)
    workshop_file.close(document.session, document.last_seq)


def _add_offline(folder: Path, count: int) -> None:
    study_file = sorted(folder.glob("s01-*.workshop"))[0]
    document, workshop_file = open_document(study_file)
    for n in range(count):  # one commit each, as the app records a workshop
        document.apply(add(Organization(id=f"offline-{time.monotonic_ns()}-{n}", name=f"Offline {n}")))
    workshop_file.close(document.session, document.last_seq)


def one_run(server_url: str, work: Path, operations: int, template: Path) -> dict[str, object]:
    load_before = [round(x, 2) for x in os.getloadavg()]
    example = work / "example"
    cli(["study", "example", str(example)])
    large = work / "large"
    shutil.copytree(template, large)
    result: dict[str, object] = {"loadavg": load_before, "operations": operations}
    result["publish_example_s"] = _timed("study", "publish", example, server_url)
    result["publish_large_s"] = _timed("study", "publish", large, server_url)
    _add_offline(large, 1000)
    result["sync_1000_s"] = _timed("study", "sync", large)
    result["sync_nothing_s"] = _timed("study", "sync", large)
    result["clone_large_s"] = _timed("study", "clone", server_url, work / "clone", "--study", "Large study")
    result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--operations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp, running_cluster(durable=True) as server:
        template = Path(tmp) / "template"
        started = time.perf_counter()
        _large_study(template, args.operations)
        generated_s = round(time.perf_counter() - started, 1)
        for n in range(args.runs):
            fresh_database(server)
            work = Path(tmp) / f"run{n}"
            work.mkdir()
            runs.append(one_run(server.url(), work, args.operations, template))
    print(
        json.dumps(
            {
                "generated_s": generated_s,
                "runs": runs,
                "targets": {"publish_large_s (100,000)": 20, "sync_1000_s": 1.0, "sync_nothing_s": 0.3},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
