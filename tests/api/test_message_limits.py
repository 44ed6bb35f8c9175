"""The API refuses a customer's message flood with 429 in the usual error shape."""

from kesu.core import clock


def test_429_with_retry_after(api_as, customer_contact, make_complaint):
    complaint = make_complaint()
    client = api_as(customer_contact)
    path = f"/complaints/{complaint.number}/messages"
    with clock.frozen(clock.now()):
        for i in range(10):
            assert client.post(path, {"text": f"催促{i}"}).status_code == 201
        response = client.post(path, {"text": "第十一条"})
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    assert "You can write again from" in body["message"]
    assert 0 < int(response["Retry-After"]) <= 600


def test_429_is_documented():
    from kesu.api.main import api

    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/complaints/{number}/messages"]["post"]
    assert 429 in operation["responses"] or "429" in operation["responses"]
