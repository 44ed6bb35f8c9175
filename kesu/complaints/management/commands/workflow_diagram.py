from pathlib import Path

from django.core.management.base import BaseCommand

from kesu.complaints.diagram import workflow_markdown


class Command(BaseCommand):
    help = "Write docs/workflow.md (state diagram and permission table) from the workflow table."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="docs/workflow.md")

    def handle(self, *args, output, **options):
        Path(output).write_text(workflow_markdown(), encoding="utf-8")
        self.stdout.write(f"wrote {output}")
