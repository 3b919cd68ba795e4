"""The shared study's reader record on the server: what the ``pw_reader`` role may read, kept current by syncs.

One row per sitting (``public_sittings``: title, people as organization and
role, survey cells) and one per element a reader may see
(``public_elements``), made by :mod:`workshop.domain.research.reader_record`.
A sync that sends a sitting's new operations updates only the elements they
touch, from the rows already there and the operations themselves; only a
change that can change how other elements read (who takes part, a survey,
the title), a sitting new to readers, or one whose reader record lags
behind is made anew from the sitting's state.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workshop.domain.research.reader_record import (
    reader_meta,
    reader_rows,
    reader_study,
    replay_on_rows,
    touched,
)
from workshop.domain.research.study import Study
from workshop.store.file_format import RawRow
from workshop.store.sitting_replica import state_data


def _jsonb(value: object) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def send_study(db: Any, study_id: str, study: Study) -> None:
    db.execute(
        "INSERT INTO process_workshop.public_study VALUES (%s, %s) ON CONFLICT (study_id) "
        "DO UPDATE SET data = EXCLUDED.data",
        (study_id, _jsonb(reader_study(study))),
    )


def send_sitting(db: Any, study_id: str, session_id: str, path: Path, after: int, rows: list[RawRow]) -> None:
    """Bring the reader record of one sitting to the end of ``rows`` (its records after ``after``)."""
    row = db.execute(
        "SELECT operations, meta FROM process_workshop.public_sittings WHERE study_id = %s AND session_id = %s",
        (study_id, session_id),
    ).fetchone()
    if row is not None and rows and row[0] == after and rows[0].seq == after + 1:
        ops = [json.loads(r.op) for r in rows]
        keys = touched(ops)
        if keys is not None:
            _update(db, study_id, session_id, keys, ops, set(row[1].get("small_organizations", [])), rows[-1].seq)
            return
    if row is not None and rows == [] and row[0] == after:
        return
    _rebuild(db, study_id, session_id, path)


def _update(db: Any, study_id: str, session_id: str, keys: set[tuple[str, str]], ops: list[dict[str, Any]],
            small: set[str], operations: int) -> None:
    collections, ids = [k[0] for k in keys], [k[1] for k in keys]
    before = {
        (c, e): dict(d)
        for c, e, d in db.execute(
            "SELECT p.collection, p.element_id, p.data FROM process_workshop.public_elements p "
            "JOIN unnest(%s::text[], %s::text[]) AS t(collection, element_id) USING (collection, element_id) "
            "WHERE p.study_id = %s AND p.session_id = %s",
            (collections, ids, study_id, session_id),
        )
    }
    after = replay_on_rows(before, ops, small)
    gone = [k for k in keys if k not in after]
    if gone:
        db.execute(
            "DELETE FROM process_workshop.public_elements p USING unnest(%s::text[], %s::text[]) AS "
            "t(collection, element_id) WHERE p.study_id = %s AND p.session_id = %s "
            "AND p.collection = t.collection AND p.element_id = t.element_id",
            ([k[0] for k in gone], [k[1] for k in gone], study_id, session_id),
        )
    changed = [(k, data) for k, data in after.items() if before.get(k) != data]
    with db.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO process_workshop.public_elements VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (study_id, session_id, collection, element_id) DO UPDATE SET data = EXCLUDED.data",
            [(study_id, session_id, k[0], k[1], _jsonb(data)) for k, data in changed],
        )
    db.execute(
        "UPDATE process_workshop.public_sittings SET operations = %s WHERE study_id = %s AND session_id = %s",
        (operations, study_id, session_id),
    )


def _rebuild(db: Any, study_id: str, session_id: str, path: Path) -> None:
    operations, state = state_data(path)
    db.execute(
        "INSERT INTO process_workshop.public_sittings VALUES (%s, %s, %s, %s) ON CONFLICT (study_id, session_id) "
        "DO UPDATE SET operations = EXCLUDED.operations, meta = EXCLUDED.meta",
        (study_id, session_id, operations, _jsonb(reader_meta(state))),
    )
    db.execute(
        "DELETE FROM process_workshop.public_elements WHERE study_id = %s AND session_id = %s", (study_id, session_id)
    )
    with db.cursor() as cursor, cursor.copy(
        "COPY process_workshop.public_elements (study_id, session_id, collection, element_id, data) FROM STDIN"
    ) as copy:
        for (collection, element_id), data in reader_rows(state).items():
            copy.write_row((study_id, session_id, collection, element_id, json.dumps(data)))
