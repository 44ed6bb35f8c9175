"""The 8D card of the complaint page: one row per discipline with its state, due date, owner
and signatures, a link to the 8D page; nothing of it for a customer."""

import pytest

from kesu.complaints.choices import Status
from kesu.eightd.services import discipline_update
from tests.eightd_data import approve, fill
from tests.fixtures import PASSWORD


def test_the_summary_has_a_row_per_discipline(as_user, engineer, qe, cs_agent, analysis):
    fill(analysis, engineer, ("d2", "d3"))
    approve(analysis, qe, ("d3",), PASSWORD)
    discipline_update(actor=engineer, complaint=analysis, code="d4", version=1, owner=qe)
    html = as_user(cs_agent).get(f"/complaints/{analysis.number}/").content.decode()
    card = html.split('id="eightd"', 1)[1].split("</section>", 1)[0]
    assert f'href="/complaints/{analysis.number}/8d/"' in card
    for code in ("d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"):
        assert f'href="/complaints/{analysis.number}/8d/#{code}"' in card

    def row(code):
        return card.split(f'data-discipline="{code}"', 1)[1].split("</tr>", 1)[0]

    assert "signed off" in row("d3") and 'data-signature="valid"' in row("d3")
    assert "质量工程师老张" in row("d3")
    assert "complete, not signed off yet" in row("d2")
    # Both causes still lack an action: one item, said once.
    assert "1 item missing" in row("d5")
    assert "质量工程师老张" in row("d4")  # its owner
    assert 'data-due-state="' in row("d3")


def test_a_customer_sees_no_8d_card(customer_contact, analysis):
    """Customers read the 8D in the portal; the staff card renders nothing for them."""
    from kesu.eightd.selectors import report_view
    from kesu.eightd.templatetags.eightd_ui import eightd_summary

    shown = eightd_summary({"user": customer_contact, "now": None}, report_view(analysis))
    assert shown == {"show": False}


@pytest.mark.parametrize("severity, form", [("general", "Short form"), ("major", "Full 8D")])
def test_the_summary_names_the_form(as_user, cs_agent, make_complaint, drive, severity, form):
    complaint = drive(make_complaint(severity=severity), Status.ANALYSIS)
    html = as_user(cs_agent).get(f"/complaints/{complaint.number}/").content.decode()
    assert form in html.split('id="eightd"', 1)[1].split("</section>", 1)[0]


def test_feedback_has_no_8d_card(as_user, cs_agent, make_complaint):
    complaint = make_complaint(kind="feedback")
    html = as_user(cs_agent).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'id="eightd"' not in html
