"""``python -m oit_checker`` is the same as the ``oit-checker`` command."""

from .cli import main

raise SystemExit(main())
