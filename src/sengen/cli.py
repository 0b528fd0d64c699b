"""The `sengen` command (../shared/CONTRACTS.md §3).

Every verb is a Django management command, so `sengen import`, `sengen migrate` and
`sengen check --deploy` share one parser, one settings module and one set of exit codes
(0 success, 1 input refused, 2 wrong usage).
"""

from __future__ import annotations

import os
import sys


def _requested_lang(args: list[str]) -> str | None:
    """--lang is read before Django parses anything, so option errors are in that language too."""
    for index, arg in enumerate(args):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
    return None


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sengen.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    from sengen.core.messages import Location, Problem, default_lang

    args = sys.argv[1:] if argv is None else argv
    lang = _requested_lang(args)
    if lang in ("ja", "en"):
        os.environ["SENGEN_LANG"] = lang
    if args and not args[0].startswith("-") and args[0] != "help":
        django.setup()
        import sengen.commandbase  # noqa: F401  (registers the cli.* messages)

        if args[0] not in get_commands():
            # Django exits 1 here; the contract reserves 1 for refused input and 2 for usage.
            problem = Problem("cli.unknown_command", {"name": args[0]}, Location("sengen"))
            sys.stderr.write(problem.render(default_lang()) + "\n")
            sys.exit(2)
    if not args or args[0].startswith("-") or args[0] == "help":
        execute_from_command_line(["sengen", *args])
        return
    from sengen.audit import recorder

    # The audit trail names the command and the operating-system user behind every change it makes.
    with recorder.acting(recorder.Actor(None, recorder.system_user(), f"command:{args[0]}")):
        execute_from_command_line(["sengen", *args])


if __name__ == "__main__":
    main()
