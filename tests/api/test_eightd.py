"""GET/PUT /complaints/{number}/8d with the report's own version."""

from kesu.complaints.choices import Status


def test_team_reads_and_writes_the_8d(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = api_as(engineer)
    report = client.get(f"/complaints/{complaint.number}/8d").json()
    assert report["version"] == 1
    assert report["editable"] is True
    assert report["required_for_plan"] == ["d1", "d2", "d3", "d4", "d5"]
    assert report["labels"]["d4"] == "D4 Root causes (occurrence and escape)"
    response = client.put(
        f"/complaints/{complaint.number}/8d", {"version": 1, "d2": "划伤", "d4": "隔板缺失"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["d4"] == "隔板缺失"
    assert response.json()["d1"] == ""


def test_stale_8d_write_is_409(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = api_as(engineer)
    path = f"/complaints/{complaint.number}/8d"
    assert client.put(path, {"version": 1, "d2": "甲"}).status_code == 200
    response = client.put(path, {"version": 1, "d2": "乙"})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert client.get(path).json()["d2"] == "甲"


def test_8d_cannot_be_written_outside_the_team_or_phase(
    api_as, cs_agent, engineer, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    path = f"/complaints/{complaint.number}/8d"
    assert api_as(cs_agent).put(path, {"version": 1, "d2": "x"}).status_code == 403
    assert api_as(cs_agent).get(path).json()["editable"] is False
    received = make_complaint()
    response = api_as(engineer).get(f"/complaints/{received.number}/8d")
    assert response.status_code == 404  # not yet the engineer's department's complaint


def test_unknown_discipline_is_422(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    response = api_as(engineer).put(f"/complaints/{complaint.number}/8d", {"version": 1, "d9": ""})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["d9"]


def test_customer_reads_the_plan_but_cannot_write_it(
    api_as, customer_contact, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    api = api_as(customer_contact)
    read = api.get(f"/complaints/{complaint.number}/8d")
    assert read.status_code == 200
    assert read.json()["editable"] is False
    assert read.json()["d4"]
    write = api.put(f"/complaints/{complaint.number}/8d", {"version": read.json()["version"],
                                                          "d4": "客户改写"})
    assert write.status_code == 403
    complaint.eightd.refresh_from_db()
    assert complaint.eightd.d4 != "客户改写"
