"""Checksums that tie the log together, so damage is detected and named instead of read as truth.

Each operation record carries ``sha256(previous record's hash + its own
columns)``: a changed, lost, reordered or inserted record breaks the chain
at the first place it differs, which names the first bad operation. A
snapshot carries ``sha256(the chain hash at its seq + its state)``, so a
snapshot is trusted only together with the log that led to it.

Snapshots are stored zlib-compressed (state JSON is very repetitive: about
a tenth of its size); the hash is over the uncompressed JSON, so the
compression level can change without invalidating old files.
"""

from __future__ import annotations

import hashlib
import zlib

GENESIS_HASH = "0" * 64
"""What snapshot 0 (the starting state) is tied to; the chain itself starts from snapshot 0's hash,
so it is particular to one session (its id and creation time are in that state)."""

MAX_STATE_BYTES = 2_000_000_000
"""Largest uncompressed snapshot accepted: guards against a damaged stream that inflates without end."""


def _column(value: object) -> bytes:
    if value is None:
        return b"N"  # distinct from an empty string
    data = str(value).encode("utf-8", "surrogatepass")
    return b"S" + len(data).to_bytes(8, "big") + data


def op_hash(
    previous: str,
    seq: int,
    time: str,
    actor: str,
    intervention_id: str | None,
    step_id: str | None,
    op: str,
) -> str:
    """The chained hash of one op record, over its columns exactly as stored."""
    digest = hashlib.sha256(previous.encode("ascii"))
    for value in (seq, time, actor, intervention_id, step_id, op):
        digest.update(_column(value))
    return digest.hexdigest()


def snapshot_hash(chain_hash: str, seq: int, state_json: bytes) -> str:
    """The hash of a snapshot: tied to the log's chain hash at ``seq`` and to the state's JSON."""
    digest = hashlib.sha256(chain_hash.encode("ascii"))
    digest.update(_column(seq))
    digest.update(state_json)
    return digest.hexdigest()


def pack_state(state_json: bytes) -> bytes:
    """What the snapshots table stores: the state JSON, compressed."""
    return zlib.compress(state_json, 6)


def unpack_state(stored: bytes | str) -> bytes:
    """The state JSON of a stored snapshot; format 1 files stored it as plain text.

    Raises ValueError for a damaged compressed stream.
    """
    if isinstance(stored, str):
        return stored.encode("utf-8", "surrogatepass")
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(stored, MAX_STATE_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            raise ValueError("the compressed state is incomplete or too large")
        return data
    except zlib.error as error:
        raise ValueError(f"the compressed state is damaged ({error})") from None
