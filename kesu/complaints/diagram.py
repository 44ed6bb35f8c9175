"""The workflow table drawn as a Mermaid state diagram for docs/workflow.md."""

from django.utils import translation

from kesu.complaints.choices import OPEN_STATUSES, Status
from kesu.complaints.workflow import WORKFLOW

ACTORS_LEGEND = (
    "Actors: `agent` customer-service agent, `sales` salesperson, `qe` any quality engineer, "
    "`process_owner`, `tracker` the complaint's QE, `dept_manager` manager of the responsible "
    "department, `handler` the handler, an engineer of the responsible department or a team "
    "member, `customer` a contact of the complaining customer."
)


def transitions_table() -> str:
    """Who may take which step, as a Markdown table (docs/workflow.md, docs/api.md, OpenAPI)."""
    with translation.override("en"):
        lines = [
            "| action | from | to | kind | who may take it | note | inputs (required in bold) |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for t in WORKFLOW:
            sources = ", ".join(sorted(t.sources)) if len(t.sources) < 4 else "any open state"
            note = ("**required**: " if t.note_required else "optional: ") + str(t.note_label)
            inputs = ", ".join(f"**{name}**" if name in t.required else name for name in t.inputs)
            lines.append(
                f"| {t.action} | {sources} | {t.target.value} | {', '.join(sorted(t.kinds))} "
                f"| {', '.join(sorted(t.actors))} | {note} | {inputs or '–'} |"
            )
    return "\n".join(lines)


def workflow_markdown() -> str:
    """Markdown with the state diagram and the table of who may take which step."""
    with translation.override("en"):
        lines = [
            "# The complaint workflow",
            "",
            "Generated from `kesu/complaints/workflow.py` by `kesu workflow-diagram`; "
            "a test fails when this file and the table disagree.",
            "",
            "```mermaid",
            "stateDiagram-v2",
        ]
        for status in Status:
            lines.append(f"    {status.value}: {status.label}")
        lines.append(f"    [*] --> {Status.RECEIVED.value}")
        for transition in WORKFLOW:
            if transition.sources == OPEN_STATUSES:
                lines.append(f"    open_states --> {transition.target.value}: cancel")
                continue
            for source in sorted(transition.sources):
                lines.append(f"    {source} --> {transition.target.value}: {transition.action}")
        lines += [
            "```",
            "",
            "`cancel` is possible from every open state (`open_states` above).",
            "",
            transitions_table(),
            "",
            ACTORS_LEGEND,
            "",
        ]
    return "\n".join(lines)
