"""The workflow table drawn as a Mermaid state diagram for docs/workflow.md."""

from django.utils import translation

from kesu.complaints.choices import Status
from kesu.complaints.workflow import TRANSITIONS


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
        for transition in TRANSITIONS:
            if transition.action == "cancel":
                lines.append(f"    open_states --> {transition.target.value}: cancel")
                continue
            for source in sorted(transition.sources):
                lines.append(f"    {source} --> {transition.target.value}: {transition.action}")
        lines += [
            "```",
            "",
            "`cancel` is possible from every open state (`open_states` above).",
            "",
            "| action | from | to | kind | who may take it | note |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for t in TRANSITIONS:
            sources = ", ".join(sorted(t.sources)) if len(t.sources) < 4 else "any open state"
            kinds = ", ".join(sorted(t.kinds))
            actors = ", ".join(sorted(t.actors))
            note = ("required: " if t.note_required else "optional: ") + str(t.note_label)
            lines.append(
                f"| {t.action} | {sources} | {t.target.value} | {kinds} | {actors} | {note} |"
            )
        lines += [
            "",
            "Actors: `agent` customer-service agent, `sales` salesperson, `qe` any quality "
            "engineer, `process_owner`, `tracker` the complaint's QE, `dept_manager` manager of "
            "the responsible department, `handler` the named handler, an engineer of the "
            "responsible department or a team member, `customer` a contact of the customer.",
            "",
        ]
    return "\n".join(lines)
