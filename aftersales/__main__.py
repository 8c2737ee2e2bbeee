"""``python -m aftersales``: the command line."""
from aftersales.cli import main

raise SystemExit(main())
