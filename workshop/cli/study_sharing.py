"""``workshop study publish | clone | sync | merge``: one study shared by a research group.

A study folder needs no server (the default). When a group shares one, it
lives on a PostgreSQL server they already run; each laptop keeps a linked
copy that works offline and syncs (:mod:`workshop.store.shared_study`).
Two copies without a server merge folder to folder (:mod:`workshop.store.study_sync`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop.cli.shared import user_errors

if TYPE_CHECKING:
    from workshop.store.study_sync import Outcome


def register(commands: Any) -> None:
    publish = commands.add_parser(
        "publish", help="put a study on a PostgreSQL server and link the folder to it (postgresql://USER@HOST/DB)"
    )
    publish.add_argument("folder", type=Path)
    publish.add_argument("url", help="postgresql://USER@HOST[:PORT]/DATABASE (the password from ~/.pgpass)")
    publish.set_defaults(func=_publish)

    clone = commands.add_parser("clone", help="make a local working copy of a shared study")
    clone.add_argument("url", help="postgresql://USER@HOST[:PORT]/DATABASE")
    clone.add_argument("folder", type=Path, help="a new or empty folder")
    clone.add_argument("--study", default="", help="the study's title or id, if the server holds several")
    clone.set_defaults(func=_clone)

    sync = commands.add_parser("sync", help="send this copy's changes to the shared study and take the others'")
    sync.add_argument("folder", type=Path)
    sync.set_defaults(func=_sync)

    merge = commands.add_parser(
        "merge", help="bring into FOLDER what another copy of the same study (OTHER) added, without a server"
    )
    merge.add_argument("folder", type=Path)
    merge.add_argument("other", type=Path)
    merge.set_defaults(func=_merge)


def _report(outcome: Outcome, verb: str) -> None:
    print(f"{verb}: {outcome.summary()}")
    for line in outcome.lines():
        print(f"  {line}")


def _publish(args: argparse.Namespace) -> int:
    from workshop.store.shared_study import address_without_password, publish

    with user_errors():
        outcome = publish(args.folder, args.url)
    _report(outcome, f"published to {address_without_password(args.url)}")
    return 0


def _clone(args: argparse.Namespace) -> int:
    from workshop.store.shared_study import clone

    with user_errors():
        outcome = clone(args.url, args.folder, args.study)
    _report(outcome, f"cloned into {args.folder}")
    return 0


def _sync(args: argparse.Namespace) -> int:
    from workshop.store.shared_study import sync

    with user_errors():
        outcome = sync(args.folder)
    _report(outcome, "synced")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from workshop.store.study_sync import merge_folders

    with user_errors():
        outcome = merge_folders(args.folder, args.other)
    _report(outcome, f"merged {args.other} into {args.folder}")
    return 0
