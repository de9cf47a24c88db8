"""Entry point of the frozen program (both ntm-desktop.exe and ntm-desktop-cli.exe)."""

import multiprocessing
import sys

from ntm_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
