"""The 8D's events on the complaint's timeline say what happened in words."""

from kesu.eightd.services import eightd_send
from tests.eightd_data import approve, fill
from tests.fixtures import PASSWORD


def test_edits_signatures_and_sending_are_described(as_user, engineer, qe, cs_agent, analysis):
    fill(analysis, engineer, ("d3",))
    approve(analysis, qe, ("d3",), PASSWORD)
    fill(analysis, engineer, ("d3",))  # unchanged: no event, nothing voided
    eightd_send(actor=cs_agent, complaint=analysis, note="请查收8D")
    html = as_user(cs_agent).get(f"/complaints/{analysis.number}/").content.decode()
    timeline = html.split('id="timeline"', 1)[1]

    def event(kind):
        return timeline.split(f'data-event="{kind}"', 1)[1].split("data-event=", 1)[0]

    updated = event("eightd_updated")
    assert "D3 Containment actions" in updated and "Content" in updated
    signed = event("eightd_signed")
    assert "质量工程师老张" in signed and "Approved" in signed
    sent = event("eightd_sent")
    assert "Version" in sent and "请查收8D" in sent
