"""``python -m deflectkit`` runs the command line."""

from deflectkit.cli import main

raise SystemExit(main())
