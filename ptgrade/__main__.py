"""`python -m ptgrade ...`: the same command line as `ptgrade`."""
import sys

from ptgrade.cli import main

sys.exit(main())
