"""`python -m ptgrade ...`: the same command line as `ptgrade`."""
import sys

from ptgrade.ui.cli import main

sys.exit(main())
