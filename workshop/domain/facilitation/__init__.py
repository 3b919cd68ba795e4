"""Facilitation: the script and where the workshop stands, the step clock, votes, agreement, coordination mechanisms
and the collaboration contract."""
