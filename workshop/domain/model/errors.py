"""The one error the domain raises for a change it refuses."""

from __future__ import annotations


class OperationError(ValueError):
    """An operation that cannot be applied; the session is left unchanged.

    The message names what is wrong in words a facilitator can act on
    (which element, which field, which id is missing).
    """
