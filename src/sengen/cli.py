"""The `sengen` command (../shared/CONTRACTS.md §3).

Every verb is a Django management command, so `sengen import`, `sengen migrate` and
`sengen check --deploy` share one parser, one settings module and one set of exit codes
(0 success, 1 input refused, 2 wrong usage).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sengen.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["sengen", *args])


if __name__ == "__main__":
    main()
