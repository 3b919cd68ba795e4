"""Which network address phones in the room can reach: the interface that carries the default route.

Phones cannot reach 127.0.0.1. The interface with the default route is the
one the laptop uses to reach the room's Wi-Fi or cable, so it is the one to
propose. Found without sending anything: Linux's routing table when there
is one, else the local address of an unconnected UDP socket aimed at a
documentation-only address (a UDP ``connect`` sends no packet).
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

ROUTE_TABLE = Path("/proc/net/route")


def default_route_interface(table: Path = ROUTE_TABLE) -> str | None:
    """The name of the interface with the default route (Linux), or None."""
    try:
        lines = table.read_text(encoding="ascii").splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) > 3 and fields[1] == "00000000" and int(fields[3], 16) & 0x2:  # RTF_GATEWAY
            return fields[0]
    return None


def default_route_address() -> str | None:
    """The local IPv4 address used for the default route, where the platform tells it without a routing table."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with contextlib.suppress(OSError):
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere; UDP connect sends nothing
            address = str(probe.getsockname()[0])
            return None if address.startswith(("0.", "127.")) else address
        return None
    finally:
        probe.close()
