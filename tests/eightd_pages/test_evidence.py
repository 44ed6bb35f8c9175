"""Evidence filed under a discipline: checked like any upload, listed under its discipline,
downloaded through the complaint's access check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.events import ATTACHMENT
from kesu.core.errors import NotAllowed
from kesu.eightd.evidence import evidence_attach
from kesu.eightd.models import DisciplineAttachment

PDF = b"%PDF-1.4 containment record"


def pdf(name="围堵记录.pdf", body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_evidence_is_listed_under_its_discipline(as_user, engineer, outsider, analysis):
    client = as_user(engineer)
    response = client.post(
        f"/complaints/{analysis.number}/8d/d3/evidence/",
        {"d3-files": [pdf(), pdf("复检.pdf")]},
    )
    assert response.status_code == 302
    links = DisciplineAttachment.objects.select_related("discipline", "attachment")
    assert [(link.discipline.code, link.attachment.original_name) for link in links] == [
        ("d3", "围堵记录.pdf"), ("d3", "复检.pdf")
    ]
    assert analysis.events.filter(type=ATTACHMENT).count() == 2

    html = client.get(f"/complaints/{analysis.number}/8d/").content.decode()
    d3 = html.split('data-evidence-of="d3"', 1)[1].split("</div>", 1)[0]
    assert "围堵记录.pdf" in d3 and "复检.pdf" in d3
    assert "围堵记录.pdf" not in html.split('data-evidence-of="d2"', 1)[1].split("</div>", 1)[0]

    url = f"/complaints/{analysis.number}/attachments/{links[0].attachment.pk}/"
    assert f'href="{url}"' in d3
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert as_user(outsider).get(url).status_code == 404


def test_a_refused_file_adds_nothing(as_user, engineer, analysis):
    response = as_user(engineer).post(
        f"/complaints/{analysis.number}/8d/d6/evidence/",
        {"d6-files": [pdf(), SimpleUploadedFile("x.exe", b"MZ", content_type="application/x")]},
    )
    assert response.status_code == 422
    assert not DisciplineAttachment.objects.exists()
    assert not analysis.attachments.exists()
    d6 = response.content.decode().split('data-evidence-of="d6"', 1)[1].split("</form>", 1)[0]
    assert "x.exe" in d6 and "this type of file is not accepted" in d6


def test_uploading_nothing_says_so(as_user, engineer, analysis):
    response = as_user(engineer).post(f"/complaints/{analysis.number}/8d/d6/evidence/", {})
    assert response.status_code == 422
    assert "Choose a file to upload." in response.content.decode()


def test_only_the_team_files_evidence(as_user, cs_agent, analysis):
    response = as_user(cs_agent).post(
        f"/complaints/{analysis.number}/8d/d3/evidence/", {"d3-files": [pdf()]}, follow=True
    )
    assert [m.tags for m in response.context["messages"]] == ["error"]
    assert not analysis.attachments.exists()
    with pytest.raises(NotAllowed):
        evidence_attach(actor=cs_agent, complaint=analysis, code="d3", upload=pdf())
