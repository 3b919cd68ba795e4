"""``python -m workshop`` does what the ``workshop`` command does."""

from workshop.cli import main

raise SystemExit(main())
