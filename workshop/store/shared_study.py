"""A study shared through a PostgreSQL server: ``study publish``, ``study clone`` and ``study sync``.

The laptop's study folder stays the study the app and every command work
on; running a sitting never needs the network. The server is where the
copies meet. A sync, in one server transaction (syncs of one study wait for
each other, so two laptops syncing at once both end complete):

1. reads the shared study and merges it with this copy by the rule of
   :mod:`workshop.domain.research.copies_merge` (what the server holds was
   there first: a sitting this laptop numbered alike is renumbered here
   before anything is sent);
2. sends what this copy added that its role may write (items, texts,
   sittings' new records, checked by the server's chain trigger) and the
   de-identified record readers see;
3. commits; then writes into the folder what others added (new sittings,
   records, texts) and the merged study file, and last the sync state.

Killed at any point, a sync run again ends as one uninterrupted run: the
server transaction is all or nothing, sending is keyed (a record already
there is not sent twice), and the folder takes only what it lacks.

No password is stored: the address is kept without it, and libpq finds
credentials where it always does (``~/.pgpass``, a service file, the
environment).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from workshop.domain.research.copies_merge import follow_renumbering, item_key, item_lists, merge_studies
from workshop.domain.research.study import Sitting, Study, StudyError, TextSource
from workshop.store import shared_reader
from workshop.store.file_format import RawRow
from workshop.store.shared_schema import CREATE_ROLES, CREATE_TABLES, GRANTS, SITTING_LISTS
from workshop.store.sitting_replica import SittingLog, read_log, rows_after
from workshop.store.study_folder import (
    STUDY_FILE,
    _replace_with,
    load_study,
    save_study,
    sitting_file,
    study_for_writing,
)
from workshop.store.study_sync import Outcome, rename_local, save_merged, take_from_peer

SYNC_FILE = ".shared-study.json"
"""The folder's link to its shared study: the address (never a password), the study, the last agreed version."""
SYNC_PROGRAM = "workshop study sync"
CONNECT_TIMEOUT_S = 10


class SharedStudyError(StudyError):
    """The server could not be reached, refused, or holds something this copy cannot take."""


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - a dependency of the package
        raise SharedStudyError("sharing a study needs psycopg (pip install 'psycopg[binary]')") from None
    return psycopg


def address_without_password(url: str) -> str:
    """``url`` as it may be kept and shown: the password, if one was given, left out."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path or ''}"


def _refusal(url: str, error: Exception) -> SharedStudyError:
    """One sentence for whatever the server or the network said."""
    psycopg = _psycopg()
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if isinstance(error, psycopg.errors.InsufficientPrivilege):
        return SharedStudyError(
            f"the shared study at {_where(url)} refused: your database role may not do this ({first}); "
            "nothing was changed there"
        )
    if isinstance(error, psycopg.OperationalError):
        return SharedStudyError(
            f"cannot reach the shared study at {_where(url)} ({first}); nothing was lost: "
            "the study folder is as it was, and 'workshop study sync' can run again later"
        )
    return SharedStudyError(f"the shared study at {_where(url)} refused: {first}; nothing was changed there")


@contextmanager
def connected(url: str) -> Iterator[Any]:
    """A connection to the server; every failure, now or later in the block, becomes one sentence."""
    psycopg = _psycopg()
    try:
        connection = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, application_name="process-workshop")
    except psycopg.Error as error:
        raise _refusal(url, error) from None
    try:
        yield connection
    except psycopg.Error as error:
        raise _refusal(url, error) from None
    finally:
        connection.close()


# -- the folder's link --------------------------------------------------------------------


@dataclass
class SyncState:
    url: str
    study_id: str
    base: dict[str, Any] | None = None
    last_sync: str = ""
    sent: dict[str, int] = field(default_factory=dict)
    """Sitting id -> operations the shared study held of it after the last sync."""
    last_outcome: str = ""
    """What the last sync brought and sent, in a sentence (the study window shows it)."""

    def base_study(self) -> Study | None:
        return Study.model_validate(self.base) if self.base is not None else None


def load_state(folder: Path) -> SyncState:
    path = Path(folder) / SYNC_FILE
    if not path.is_file():
        raise SharedStudyError(
            f"{folder} is not linked to a shared study; 'workshop study publish {folder} postgresql://...' "
            "shares it, 'workshop study clone URL DIR' makes a copy of a shared one"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SyncState(
            data["url"], data["study_id"], data.get("base"), data.get("last_sync", ""),
            {str(k): int(v) for k, v in data.get("sent", {}).items()}, str(data.get("last_outcome", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SharedStudyError(f"{path}: cannot read the link to the shared study ({error})") from None


def save_state(folder: Path, state: SyncState) -> None:
    data = {"url": address_without_password(state.url), "study_id": state.study_id, "base": state.base,
            "last_sync": state.last_sync, "sent": state.sent, "last_outcome": state.last_outcome}
    _replace_with(Path(folder) / SYNC_FILE, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


# -- the server as the other copy ---------------------------------------------------------


class ServerPeer:
    """The shared study on the server, read inside the sync's transaction."""

    def __init__(self, connection: Any, study_id: str) -> None:
        self.db = connection
        self.study_id = study_id
        self._study = self._read_study()
        self._sessions: dict[str, str] = {}
        """Sitting id -> session id, for the sittings the server has a log of."""
        for session_id, meta in self.db.execute(
            "SELECT session_id, meta FROM process_workshop.sittings WHERE study_id = %s", (study_id,)
        ):
            self._sessions[meta.get("sitting_id", "")] = session_id

    def _read_study(self) -> Study:
        row = self.db.execute(
            "SELECT data FROM process_workshop.items WHERE study_id = %s AND list = 'study' AND item_id = ''",
            (self.study_id,),
        ).fetchone()
        if row is None:
            raise SharedStudyError("the server holds no study with this id (it was never published, or removed)")
        data: dict[str, Any] = dict(row[0])
        for list_name, item in self.db.execute(
            "SELECT list, data FROM process_workshop.items WHERE study_id = %s AND list <> 'study' "
            "ORDER BY revision",
            (self.study_id,),
        ):
            data.setdefault(list_name, []).append(item)
        return Study.model_validate(data)

    def study(self) -> Study:
        return self._study

    def session_of(self, sitting: Sitting) -> str | None:
        return self._sessions.get(sitting.id)

    def log_of(self, sitting: Sitting) -> SittingLog | None:
        session_id = self.session_of(sitting)
        if session_id is None:
            return None
        meta, genesis, genesis_hash = self.db.execute(
            "SELECT meta, genesis, genesis_hash FROM process_workshop.sittings WHERE study_id = %s AND session_id = %s",
            (self.study_id, session_id),
        ).fetchone()
        head = self.db.execute(
            "SELECT seq, hash FROM process_workshop.ops WHERE study_id = %s AND session_id = %s "
            "ORDER BY seq DESC LIMIT 1",
            (self.study_id, session_id),
        ).fetchone()
        operations, last_hash = head if head is not None else (0, genesis_hash)
        return SittingLog(session_id, dict(meta), bytes(genesis), genesis_hash, int(operations), last_hash)

    def rows_after(self, sitting: Sitting, after: int) -> list[RawRow]:
        session_id = self.session_of(sitting)
        rows = self.db.execute(
            "SELECT seq, time, actor, intervention_id, step_id, op, hash FROM process_workshop.ops "
            "WHERE study_id = %s AND session_id = %s AND seq > %s ORDER BY seq",
            (self.study_id, session_id, after),
        ).fetchall()
        return [RawRow(*row) for row in rows]

    def hash_at(self, sitting: Sitting, seq: int) -> str:
        row = self.db.execute(
            "SELECT hash FROM process_workshop.ops WHERE study_id = %s AND session_id = %s AND seq = %s",
            (self.study_id, self.session_of(sitting), seq),
        ).fetchone()
        return str(row[0]) if row else ""

    def text_of(self, source: TextSource) -> str | None:
        row = self.db.execute(
            "SELECT content FROM process_workshop.texts WHERE study_id = %s AND source_id = %s",
            (self.study_id, source.id),
        ).fetchone()
        return str(row[0]) if row else None

    # -- sending ----------------------------------------------------------------------------
    def role_writes(self) -> tuple[bool, bool]:
        """(may write sittings, may write texts and codings): the owner of the schema may do both."""
        owner, facilitator, researcher = self.db.execute(
            "SELECT pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = "
            "'process_workshop'), 'MEMBER'), pg_has_role(current_user, 'pw_facilitator', 'MEMBER'), "
            "pg_has_role(current_user, 'pw_researcher', 'MEMBER')"
        ).fetchone()
        return bool(owner or facilitator), bool(owner or researcher)

    def may_extend(self, sitting: Sitting) -> str:
        """Empty if this user may add to the sitting's shared log; else who may (one writer per sitting)."""
        row = self.db.execute(
            "SELECT writer, writer = current_user OR pg_has_role(current_user, (SELECT nspowner FROM pg_namespace "
            "WHERE nspname = 'process_workshop'), 'MEMBER') FROM process_workshop.sittings "
            "WHERE study_id = %s AND session_id = %s",
            (self.study_id, self.session_of(sitting)),
        ).fetchone()
        return "" if row is None or row[1] else str(row[0])

    def send_items(self, merged: Study, notes: list[str]) -> int:
        """Send every item of ``merged`` the server holds otherwise (or not at all); returns how many."""
        sittings_ok, others_ok = self.role_writes()
        server = _items_of(self._study)
        sent, withheld = 0, 0
        for (list_name, item_id), data in _items_of(merged).items():
            if server.get((list_name, item_id)) == data:
                continue
            if not (sittings_ok if list_name in SITTING_LISTS else others_ok):
                withheld += 1
                continue
            self.db.execute(
                "INSERT INTO process_workshop.items (study_id, list, item_id, data) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (study_id, list, item_id) DO UPDATE SET data = EXCLUDED.data, "
                "revision = nextval('process_workshop.revisions'), changed = now(), changed_by = current_user",
                (self.study_id, list_name, item_id, _json(data)),
            )
            sent += 1
        if withheld:
            notes.append(f"{withheld} change(s) stay on this laptop only: your database role may not write them")
        return sent

    def send_sitting(self, sitting: Sitting, log: SittingLog, rows: list[RawRow]) -> None:
        if self.session_of(sitting) is None:
            self.db.execute(
                "INSERT INTO process_workshop.sittings (study_id, session_id, meta, genesis, genesis_hash) "
                "VALUES (%s, %s, %s, %s, %s)",
                (self.study_id, log.session_id, _json(log.meta), log.genesis, log.genesis_hash),
            )
            self._sessions[sitting.id] = log.session_id
        # COPY into a table with row-level security is refused, so the rows arrive through a temporary table
        # and go in by one INSERT, in order: the policies and the chain trigger see every one of them
        self.db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS arriving_ops (LIKE process_workshop.ops) ON COMMIT DELETE ROWS"
        )
        with self.db.cursor() as cursor, cursor.copy(
            "COPY arriving_ops (study_id, session_id, seq, time, actor, intervention_id, step_id, op, hash) "
            "FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row((self.study_id, log.session_id, *row))
        self.db.execute("INSERT INTO process_workshop.ops SELECT * FROM arriving_ops ORDER BY seq")
        self.db.execute("DELETE FROM arriving_ops")

    def send_text(self, source: TextSource, content: str) -> None:
        self.db.execute(
            "INSERT INTO process_workshop.texts (study_id, source_id, content) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            (self.study_id, source.id, content),
        )


def _json(value: object) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def _items_of(study: Study) -> dict[tuple[str, str], dict[str, Any]]:
    """The study as the server keeps it: one row per item of each list, and one (``study``) for the rest."""
    data = study.model_dump(mode="json")
    lists = item_lists(study)
    rows: dict[tuple[str, str], dict[str, Any]] = {
        ("study", ""): {k: v for k, v in data.items() if k not in lists}
    }
    for list_name, key_field in lists.items():
        for item in data[list_name]:
            item.pop("head", None)  # each copy's own bookkeeping
            rows[(list_name, item_key(item, key_field))] = item
    return rows


# -- the commands -----------------------------------------------------------------------------


def _lock_study(db: Any, study_id: str) -> None:
    """Syncs of one study wait for each other (and only for each other): each merges what the last one sent."""
    db.execute("SELECT pg_advisory_xact_lock(hashtext('process-workshop:' || %s))", (study_id,))


def ensure_schema(db: Any) -> None:
    """Create the tables, roles and rules if the server has none yet (needs a role that may create them)."""
    exists = db.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'process_workshop'").fetchone()
    if exists:
        return
    db.execute(CREATE_ROLES)
    db.execute(CREATE_TABLES)
    db.execute(GRANTS)


def publish(folder: Path, url: str) -> Outcome:
    """Put the study in ``folder`` on the server at ``url`` and link the folder to it.

    A study already there (a publish that was interrupted, or a copy of this folder published from another
    laptop) is the same study: the folder is linked to it and synced, by the rule every sync follows.
    """
    study = load_study(folder)
    with connected(url) as db, db.transaction():
        ensure_schema(db)
        _lock_study(db, study.id)
        there = db.execute("SELECT 1 FROM process_workshop.studies WHERE study_id = %s", (study.id,)).fetchone()
        if not there:
            db.execute(
                "INSERT INTO process_workshop.studies (study_id, title) VALUES (%s, %s)", (study.id, study.title)
            )
            db.execute(
                "INSERT INTO process_workshop.items (study_id, list, item_id, data) VALUES (%s, 'study', '', %s)",
                (study.id, _json(_items_of(study)[("study", "")])),
            )
    save_state(folder, SyncState(url, study.id))
    outcome = sync(folder, url=url)
    if there:
        outcome.notes.insert(0, "the study was on the server already: this folder is now linked to it and synced")
    return outcome


def clone(url: str, folder: Path, study_key: str = "") -> Outcome:
    """A new local copy in ``folder`` of a study on the server (the only one there, or the one named).

    The folder's link is written first and the empty study next, then a sync fills it: a clone killed at any
    point is finished by running it (or ``study sync``) again.
    """
    folder = Path(folder)
    resumed = (folder / SYNC_FILE).is_file() and load_state(folder).url == address_without_password(url)
    if not resumed and folder.exists() and any(folder.iterdir()):
        raise SharedStudyError(f"{folder} is not empty; a copy of a study needs a folder of its own")
    if resumed and (folder / STUDY_FILE).is_file():
        return sync(folder, url=url)
    with connected(url) as db:
        rows = db.execute("SELECT study_id, title FROM process_workshop.studies ORDER BY published").fetchall()
        chosen = [r for r in rows if study_key in ("", r[0], r[1])]
        if len(chosen) != 1:
            known = "; ".join(r[1] for r in rows) or "none"
            raise SharedStudyError(f"name the study to clone (studies on the server: {known})")
        study = ServerPeer(db, chosen[0][0]).study()
    folder.mkdir(parents=True, exist_ok=True)
    save_state(folder, SyncState(url, study.id))
    save_study(folder, study.model_copy(update={key: [] for key in item_lists(study)}))
    return sync(folder, url=url)


def sync(folder: Path, *, url: str = "") -> Outcome:
    """Send this copy's changes to the shared study and take the others' (see the module's steps)."""
    folder = Path(folder)
    state = load_state(folder)
    url = url or state.url
    with study_for_writing(folder, SYNC_PROGRAM) as local, connected(url) as db:
        with db.transaction():
            _lock_study(db, state.study_id)
            peer = ServerPeer(db, state.study_id)
            result = merge_studies(state.base_study(), peer.study(), local)
            if result.renumbered:  # this laptop's sittings numbered alike: renumbered here before anything is sent
                rename_local(folder, result.moved_files, result.renumbered)
                local = _renumbered_local(local, result.study, result.renumbered)
                save_study(folder, local)
            peer_ids = {s.id: s.id for s in peer.study().sittings}
            outcome = take_from_peer(folder, local, peer, result, peer_ids=peer_ids)
            outcome.notes.extend(_send(folder, peer, result.study, outcome))
        save_merged(folder, result.study)
    state.base = result.study.model_dump(mode="json")
    state.last_sync = datetime.now(UTC).isoformat(timespec="seconds")
    saved = load_study(folder)
    state.sent = {s.id: s.head.operations for s in saved.sittings if s.head is not None}
    state.last_outcome = outcome.in_words()
    save_state(folder, state)
    return outcome


@dataclass(frozen=True)
class SyncStatus:
    """Where a linked copy stands, from the folder alone (no network): what the study window shows."""

    where: str
    last_sync: str
    waiting: int
    """Changes made here since the last sync: items of the study file, and sittings' operations."""
    last_outcome: str


def sync_status(folder: Path) -> SyncStatus | None:
    """The folder's link to its shared study, or None for a study that is not shared."""
    folder = Path(folder)
    if not (folder / SYNC_FILE).is_file():
        return None
    state = load_state(folder)
    study = load_study(folder)
    base = state.base_study()
    mine = _items_of(study)
    theirs = _items_of(base) if base is not None else {}
    waiting = sum(1 for key, data in mine.items() if theirs.get(key) != data)
    for sitting in study.sittings:
        recorded = sitting.head.operations if sitting.head is not None else 0
        waiting += max(0, recorded - state.sent.get(sitting.id, 0))
    return SyncStatus(_where(state.url), state.last_sync, waiting, state.last_outcome)


def waiting_on_server(folder: Path) -> int:
    """How many changes others sent to the shared study since this copy last synced (asks the server).

    Study entries that differ from the version last agreed on, and operations past each sitting's length
    at the last sync. Reads only: nothing is taken or sent.
    """
    folder = Path(folder)
    state = load_state(folder)
    base = state.base_study()
    with connected(state.url) as db:
        peer = ServerPeer(db, state.study_id)
        known = _items_of(base) if base is not None else {}
        waiting = sum(1 for key, data in _items_of(peer.study()).items() if known.get(key) != data)
        for sitting in peer.study().sittings:
            log = peer.log_of(sitting)
            if log is not None:
                waiting += max(0, log.operations - state.sent.get(sitting.id, 0))
    return waiting


def _renumbered_local(local: Study, merged: Study, renumbered: dict[str, str]) -> Study:
    """This copy's study with its renumbered sittings under their new numbers (and file names)."""
    new_ids = set(renumbered.values())
    replaced = {s.id: s for s in merged.sittings if s.id in new_ids}
    data = follow_renumbering(local.model_dump(mode="json"), renumbered)
    data["sittings"] = [
        replaced[s["id"]].model_dump(mode="json") if s["id"] in replaced else s for s in data["sittings"]
    ]
    return Study.model_validate(data)


def _send(folder: Path, peer: ServerPeer, merged: Study, outcome: Outcome) -> list[str]:
    notes: list[str] = []
    sittings_ok, others_ok = peer.role_writes()
    sent: list[tuple[Sitting, int, list[RawRow]]] = []
    for sitting, log, theirs in outcome.ahead:
        if not sittings_ok:
            notes.append(f"sitting {sitting.id}: {log.operations - theirs} operation(s) stay on this laptop only: "
                         "your database role may not write sittings")
            continue
        writer = peer.may_extend(sitting)
        if writer:
            notes.append(f"sitting {sitting.id}: {log.operations - theirs} operation(s) stay on this laptop only: "
                         f"the sitting's log is written by {writer} alone (one writer per sitting)")
            continue
        rows = rows_after(sitting_file(folder, sitting), theirs)
        peer.send_sitting(sitting, log, rows)
        outcome.operations_sent += len(rows)
        sent.append((sitting, theirs, rows))
    for sitting in merged.sittings:
        if peer.session_of(sitting) is None and sitting_file(folder, sitting).exists() and sittings_ok:
            rows = rows_after(sitting_file(folder, sitting), 0)
            peer.send_sitting(sitting, read_log(sitting_file(folder, sitting)), rows)
            outcome.operations_sent += len(rows)
            outcome.sittings_sent += 1
            sent.append((sitting, 0, rows))
    if others_ok:
        for source in merged.sources:
            path = folder / source.file
            if peer.text_of(source) is None and path.is_file():
                peer.send_text(source, path.read_text(encoding="utf-8"))
                outcome.texts_sent += 1
    outcome.items_sent = peer.send_items(merged, notes)
    if sittings_ok or others_ok:
        shared_reader.send_study(peer.db, peer.study_id, merged)
        for sitting, after, rows in sent:
            session_id = peer.session_of(sitting)
            assert session_id is not None
            shared_reader.send_sitting(peer.db, peer.study_id, session_id, sitting_file(folder, sitting), after, rows)
    return notes
