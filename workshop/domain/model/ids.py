"""Stable, short, readable ids for everything a session holds."""

from __future__ import annotations

import secrets


def new_id(prefix: str) -> str:
    """Return a fresh id such as ``node-3f9a1c2e``.

    Ids travel in the op log, over the network and into BPMN, so they are
    plain ASCII, start with a letter (valid XML ids) and say what they name.
    """
    return f"{prefix}-{secrets.token_hex(4)}"
