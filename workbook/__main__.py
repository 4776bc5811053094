"""``python -m workbook`` runs the same command line as ``workbook``."""

from workbook.cli import main

raise SystemExit(main())
