"""`python cli.py ...` from the kit's folder: a shim for `ptgrade` (the command line is ptgrade/ui/cli.py;
installing a top-level module named `cli` would claim that name for every program in the environment)."""
import sys

from ptgrade.ui.cli import main

if __name__ == "__main__":
    sys.exit(main())
