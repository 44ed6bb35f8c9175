from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.models import Complaint

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def test_intake_form_renders_every_input(as_user, cs_agent, customer, product):
    html = as_user(cs_agent).get("/complaints/new/").content.decode()
    assert 'type="checkbox" name="remedies" value="8d_report"' in html
    assert '<select name="products"' in html and "multiple" in html
    assert 'type="file" name="files"' in html and " multiple" in html
    assert 'type="datetime-local" name="received_at"' in html
    # Master data is searched, not sent: the page carries the picker, not the catalogue.
    assert 'data-picker="/masterdata/pick/products/"' in html
    assert product.name not in html


def test_recording_redirects_to_the_complaint_with_its_number(as_user, cs_agent, intake_post):
    client = as_user(cs_agent)
    photo = SimpleUploadedFile("划伤.jpg", JPEG, content_type="image/jpeg")
    response = client.post("/complaints/new/", {**intake_post(), "files": [photo]})
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.number}/"
    page = client.get(response["Location"])
    assert complaint.number in str(list(page.context["messages"])[0])
    assert "划伤.jpg" in page.content.decode()
    assert complaint.attachments.count() == 1


def test_customer_text_is_escaped(as_user, cs_agent, intake_post):
    client = as_user(cs_agent)
    script = "<script>alert(1)</script>"
    client.post(
        "/complaints/new/",
        intake_post(title=f"标题{script}", description=f"客户说明：{script}表面划伤"),
    )
    complaint = Complaint.objects.get()
    for url in (f"/complaints/{complaint.number}/", "/complaints/", "/"):
        html = client.get(url).content.decode()
        assert script not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_missing_fields_are_explained_and_nothing_is_created(as_user, cs_agent, intake_post):
    data = intake_post()
    del data["remedies"]
    data["title"] = ""
    response = as_user(cs_agent).post("/complaints/new/", data)
    assert response.status_code == 422
    assert not Complaint.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"remedies", "title"}
    html = response.content.decode()
    assert 'class="form-errors"' in html
    assert str(form.errors["remedies"][0]) in html
    # What the agent typed is still there.
    assert data["description"] in html


def test_a_file_over_10_mb_is_refused_and_nothing_is_created(as_user, cs_agent, intake_post):
    big = SimpleUploadedFile(
        "report.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024), content_type="application/pdf"
    )
    response = as_user(cs_agent).post("/complaints/new/", {**intake_post(), "files": [big]})
    assert response.status_code == 422
    assert not Complaint.objects.exists()
    html = response.content.decode()
    assert "report.pdf" in html
    assert "10.0" in html  # the limit, as filesizeformat writes it
    assert response.context["file_errors"]
    assert response.context["files_dropped"]


def test_a_file_whose_content_does_not_match_its_name_is_refused(as_user, cs_agent, intake_post):
    fake = SimpleUploadedFile("photo.jpg", b"MZ not an image", content_type="image/jpeg")
    response = as_user(cs_agent).post("/complaints/new/", {**intake_post(), "files": [fake]})
    assert response.status_code == 422
    assert "photo.jpg" in response.content.decode()
    assert not Complaint.objects.exists()
