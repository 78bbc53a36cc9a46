"""``python -m redactlog``: the command line."""

from __future__ import annotations

import sys

from redactlog._cli import main

if __name__ == "__main__":
    sys.exit(main())
