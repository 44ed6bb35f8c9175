"""docs/api.md shows the actions of the transitions endpoint as the workflow table has them."""

from pathlib import Path

from kesu.complaints.diagram import transitions_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_api_doc_has_the_current_transitions_table():
    text = DOC.read_text(encoding="utf-8")
    begin, end = "<!-- transitions table: begin -->\n", "\n<!-- transitions table: end -->"
    documented = text.split(begin, 1)[1].split(end, 1)[0]
    assert documented == transitions_table(), (
        "docs/api.md is out of date: paste the output of "
        "kesu shell -c 'from kesu.complaints.diagram import transitions_table as t; print(t())'"
    )
