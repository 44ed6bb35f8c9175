"""The `kesu` command: Django's management commands, spelled with hyphens.

`kesu load-demo` runs `load_demo`, `kesu serve` runs `serve`, `kesu help` lists them all.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    # Kesu has one settings module, driven by the environment; a DJANGO_SETTINGS_MODULE left
    # over from another project must not take its place.
    os.environ["DJANGO_SETTINGS_MODULE"] = "kesu.settings"
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)

