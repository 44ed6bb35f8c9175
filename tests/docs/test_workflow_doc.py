from pathlib import Path

from django.conf import settings

from kesu.complaints.diagram import workflow_markdown


def test_workflow_doc_matches_the_table():
    committed = (Path(settings.BASE_DIR) / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert committed == workflow_markdown(), "run: kesu workflow-diagram"
