"""One study shared by a research group through a real PostgreSQL server the suite starts (no mocks).

Two laptops (two folders) clone the published study, each adds sittings,
operations, texts and codings offline, both sync, and both end identical.
The database itself refuses what a role may not do, and a history that
was altered or cut is refused on the next sync.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import psycopg
import pytest

from tests.postgres_server import Server
from workshop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    status, out, err = run(capsys, *args)
    assert status == 0, err
    return out


def refused(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    status, out, err = run(capsys, *args)
    assert status == 1, out
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    return err.strip()


def organizations(folder: Path, *names: str) -> Path:
    path = folder / f"ops-{names[0].replace(' ', '-')}.jsonl"
    lines = [json.dumps({"op": "add", "kind": "organization", "data": {"id": f"o-{n[:4]}", "name": n}}) for n in names]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def summary(capsys: pytest.CaptureFixture[str], folder: Path) -> object:
    info = json.loads(ok(capsys, "study", "info", folder, "--json"))
    text = json.dumps(info, sort_keys=True).replace(str(folder), "FOLDER")
    return json.loads(text)


def published(tmp_path: Path, capsys: pytest.CaptureFixture[str], server: Server) -> Path:
    origin = tmp_path / "origin"
    ok(capsys, "study", "new", origin, "--title", "Contact processing study", "--as", "Ana")
    ok(capsys, "study", "add", origin, "--kind", "modeling", "--intervention", "1", "--date", "2026-01-20",
       "--person", "Anna Berg", "--as", "Ana")
    ok(capsys, "study", "apply", origin, "s01", organizations(tmp_path, "IT provider", "Customer network"),
       "--as", "Ana")
    people = tmp_path / "people.jsonl"
    people.write_text(json.dumps({"op": "add", "kind": "participant", "data": {
        "id": "p-paula", "name": "Paula Quist", "organization_id": "o-IT p", "role": "service desk"}}) + "\n",
        encoding="utf-8")
    ok(capsys, "study", "apply", origin, "s01", people, "--as", "Ana")
    out = ok(capsys, "study", "publish", origin, server.url())
    assert "sent 1 sitting(s), 3 operation(s)" in out
    for user, role in (("fiona", "pw_facilitator"), ("rahel", "pw_researcher"), ("rita", "pw_reader")):
        server.sql(f"GRANT {role} TO {user}")
    return origin


def test_two_laptops_work_offline_and_end_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], study_database: Server
) -> None:
    server = study_database
    published(tmp_path, capsys, server)
    one, two = tmp_path / "laptop-one", tmp_path / "laptop-two"
    assert "received 1 sitting(s), 3 operation(s)" in ok(capsys, "study", "clone", server.url("fiona"), one)
    ok(capsys, "study", "clone", server.url("fiona"), two)
    assert summary(capsys, one) == summary(capsys, two)

    # offline: each laptop adds a sitting (both number it s02) and records in it; one adds to s01
    ok(capsys, "study", "add", one, "--kind", "interview", "--intervention", "1", "--as", "Fiona")
    ok(capsys, "study", "add", two, "--kind", "simulation", "--intervention", "1", "--as", "Fiona")
    ok(capsys, "study", "apply", one, "s02", organizations(tmp_path, "Partner"), "--as", "Fiona")
    ok(capsys, "study", "apply", two, "s02", organizations(tmp_path, "End users", "Partner"), "--as", "Fiona")
    assert "sent 1 sitting(s), 1 operation(s)" in ok(capsys, "study", "sync", one)
    out = ok(capsys, "study", "sync", two)
    assert "sitting s02 is now s03" in out
    assert "received 1 sitting(s), 1 operation(s)" in out
    ok(capsys, "study", "apply", two, "s03", organizations(tmp_path, "Auditor"), "--as", "Fiona")
    changes = tmp_path / "changes.jsonl"
    changes.write_text(
        json.dumps({"op": "update", "kind": "organization", "id": "o-Audi", "changes": {"name": "External auditor"}})
        + "\n" + json.dumps({"op": "remove", "kind": "organization", "id": "o-End "}) + "\n",
        encoding="utf-8",
    )
    ok(capsys, "study", "apply", two, "s03", changes, "--as", "Fiona")
    ok(capsys, "study", "sync", two)
    readers_see_what_the_sittings_hold(server, two)

    # a researcher's laptop: texts yes, sittings no (the database says so, the sync reports it)
    three = tmp_path / "laptop-three"
    ok(capsys, "study", "clone", server.url("rahel"), three)
    text = tmp_path / "interview.txt"
    text.write_text("We wait for the customer's confirmation before we start.\n", encoding="utf-8")
    ok(capsys, "study", "attach", three, "s02", text, "--as", "Rahel")
    ok(capsys, "study", "person", three, "Paula Quist", "--organization", "IT provider", "--role", "service desk",
       "--as", "Rahel")
    assert "sent 0 sitting(s), 0 operation(s), 1 text(s)" in ok(capsys, "study", "sync", three)
    ok(capsys, "study", "sync", one)
    ok(capsys, "study", "sync", two)
    assert summary(capsys, one) == summary(capsys, two) == summary(capsys, three)
    roster = ok(capsys, "study", "roster", one, "--json")
    assert "Paula Quist" in roster
    assert roster == ok(capsys, "study", "roster", two, "--json") == ok(capsys, "study", "roster", three, "--json")
    for kind in ("table1", "json", "qdpx"):
        exported = [tmp_path / f"{laptop.name}.{kind}" for laptop in (one, two, three)]
        for laptop, target in zip((one, two, three), exported, strict=True):
            ok(capsys, "study", "export", laptop, "--format", kind, "-o", target)
        texts = [_comparable(path) for path in exported]
        assert texts[0] == texts[1] == texts[2], kind  # when each copy last recorded a sitting's head is its own
    info = json.loads(ok(capsys, "study", "info", one, "--json"))
    assert [(s["id"], s["kind"], s["operations"]) for s in info["sittings"]] == [
        ("s01", "modeling", 3), ("s02", "interview", 1), ("s03", "simulation", 5)
    ]
    texts = sorted((two / "sources").iterdir())
    assert [t.read_text(encoding="utf-8") for t in texts] == [text.read_text(encoding="utf-8")]

    # s01 was published by the admin: its log has one writer, and another's additions stay local, said so
    ok(capsys, "study", "apply", two, "s01", organizations(tmp_path, "Regulator"), "--as", "Fiona")
    assert "written by admin alone" in ok(capsys, "study", "sync", two)
    assert ok(capsys, "study", "verify", two).count("intact") == 3
    assert f"shared at 127.0.0.1:{server.port}/studies; last sync " in ok(capsys, "study", "info", two)
    assert "received 0 sitting(s), 0 operation(s), 0 text(s); sent 0 sitting(s), 0 operation(s), 0 text(s), " \
        "0 change(s)" in ok(capsys, "study", "sync", two)


def _comparable(path: Path) -> str:
    """An export's content without what is each copy's own (when it recorded a sitting's head)."""
    if path.suffix == ".qdpx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(f"{n}:{archive.read(n).decode('utf-8')}" for n in sorted(archive.namelist()))
    return re.sub(r'"recorded": "[^"]*"', "", path.read_text(encoding="utf-8"))


def readers_see_what_the_sittings_hold(server: Server, folder: Path) -> None:
    """The reader record, kept up to date sync by sync, equals one made anew from every sitting's state."""
    from workshop.domain.research.reader_record import reader_rows
    from workshop.store.sitting_replica import read_log, state_data

    with psycopg.connect(server.url("rita")) as reader:
        for path in sorted(folder.glob("s*.workshop")):
            session_id = read_log(path).session_id
            rows = {
                (c, e): d for c, e, d in reader.execute(
                    "SELECT collection, element_id, data FROM process_workshop.public_elements WHERE session_id = %s",
                    (session_id,),
                )
            }
            assert rows == reader_rows(state_data(path)[1]), path.name


def test_the_database_enforces_the_roles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], study_database: Server
) -> None:
    server = study_database
    published(tmp_path, capsys, server)
    # a reader sees the de-identified record only: no name, no table of the full record
    with psycopg.connect(server.url("rita")) as reader:
        public = json.dumps(reader.execute("SELECT data FROM process_workshop.public_study").fetchall())
        sittings = json.dumps(
            reader.execute("SELECT meta FROM process_workshop.public_sittings").fetchall()
            + reader.execute("SELECT data FROM process_workshop.public_elements").fetchall()
        )
        assert "Anna Berg" not in public + sittings
        assert "Paula" not in sittings
        assert "service desk" in sittings  # people as their organization and role
        assert "Ana" not in public.replace("Analysis", "")
        assert "IT provider" in sittings
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute("SELECT * FROM process_workshop.items")
    # a researcher may not write a sitting's log, whatever the client does
    with psycopg.connect(server.url("rahel")) as researcher, pytest.raises(psycopg.errors.InsufficientPrivilege):
        researcher.execute(
            "INSERT INTO process_workshop.ops SELECT study_id, session_id, seq + 100, time, actor, intervention_id, "
            "step_id, op, hash FROM process_workshop.ops LIMIT 1"
        )
    # nobody but the owner rewrites history
    with psycopg.connect(server.url("fiona")) as facilitator, pytest.raises(psycopg.errors.InsufficientPrivilege):
        facilitator.execute("DELETE FROM process_workshop.ops")
    # a reader's sync is refused in one sentence
    copy = tmp_path / "reader-copy"
    assert "may not" in refused(capsys, "study", "clone", server.url("rita"), copy) or not copy.exists()


def test_an_altered_operation_is_refused_by_the_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], study_database: Server
) -> None:
    server = study_database
    published(tmp_path, capsys, server)
    # the sitting's own writer (here the owner, whom no policy stops) still cannot add a record that does not
    # continue the chain, nor one after a gap
    with psycopg.connect(server.url("admin"), autocommit=True) as writer:
        row = writer.execute("SELECT * FROM process_workshop.ops ORDER BY seq DESC LIMIT 1").fetchone()
        assert row is not None
        insert = "INSERT INTO process_workshop.ops VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="does not continue the shared log"):
            writer.execute(insert, (row[0], row[1], row[2] + 1, *row[3:7], row[7].replace("IT", "OT"), row[8]))
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="does not follow the shared log"):
            writer.execute(insert, (row[0], row[1], row[2] + 2, *row[3:]))
        assert writer.execute("SELECT max(seq) FROM process_workshop.ops").fetchone() == (row[2],)


def test_the_server_stopped_mid_sync_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], study_database: Server
) -> None:
    server = study_database
    origin = published(tmp_path, capsys, server)
    ok(capsys, "study", "add", origin, "--kind", "interview", "--intervention", "1", "--as", "Ana")
    server.stop()
    try:
        message = refused(capsys, "study", "sync", origin)
        assert "cannot reach the shared study at 127.0.0.1" in message
        assert "nothing was lost" in message
    finally:
        server.start()
    assert "sent 1 sitting(s)" in ok(capsys, "study", "sync", origin)


def test_no_password_is_kept_in_the_study_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], study_database: Server
) -> None:
    server = study_database
    origin = tmp_path / "origin"
    ok(capsys, "study", "new", origin, "--title", "Passwords stay out", "--as", "Ana")
    with_password = server.url().replace("admin@", "admin:s3cret-Pa55@")
    out = ok(capsys, "study", "publish", origin, with_password)
    assert "s3cret" not in out
    for path in origin.rglob("*"):
        if path.is_file():
            assert b"s3cret" not in path.read_bytes(), path
    assert json.loads((origin / ".shared-study.json").read_text(encoding="utf-8"))["url"] == server.url()
    # published again (a publish killed before it linked the folder, or a copy of the folder): linked and synced
    (origin / ".shared-study.json").unlink()
    assert "on the server already: this folder is now linked to it" in ok(capsys, "study", "publish", origin,
                                                                          server.url())
