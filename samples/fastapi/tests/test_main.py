from datetime import datetime, timedelta

import pytest


# --- task: test
def test_hello_answers_json(client):
    response = client.get("/hello")
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, world"}


def test_greet_with_name_and_times(client):
    response = client.get("/greet/Ada", params={"times": 2})
    assert response.status_code == 200
    assert response.json() == {"greetings": ["Hello, Ada", "Hello, Ada"]}


def test_times_defaults_to_one(client):
    assert client.get("/greet/Ada").json() == {"greetings": ["Hello, Ada"]}


@pytest.mark.parametrize("times", ["0", "11", "two", ""])
def test_bad_times_is_a_422(client, times):
    response = client.get("/greet/Ada", params={"times": times})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "times"]


def test_too_long_name_is_a_422(client):
    response = client.get("/greet/" + "a" * 51)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["path", "name"]
    assert error["type"] == "string_too_long"


def test_notes_start_empty(client):
    response = client.get("/notes")
    assert response.status_code == 200
    assert response.json() == {"notes": []}


def test_create_then_list(client):
    response = client.post("/notes", json={"text": "Buy milk"})
    assert response.status_code == 201
    created = response.json()
    assert created["text"] == "Buy milk"
    assert set(created) == {"id", "text", "created_at"}
    assert datetime.fromisoformat(created["created_at"]).utcoffset() == timedelta(0)
    assert client.get("/notes").json() == {"notes": [created]}


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x" * 201}])
def test_invalid_notes_are_refused(client, body):
    response = client.post("/notes", json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "text"]
    assert client.get("/notes").json() == {"notes": []}


def test_a_body_that_is_not_a_json_object_is_refused(client):
    for body in ["not json", "[1, 2]"]:
        response = client.post("/notes", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 422


def test_page_is_rendered_from_its_template(client):
    response = client.get("/page", params={"name": "Ada"})
    assert response.status_code == 200
    assert response.template.name == "page.html"
    assert "<h1>Hello, Ada</h1>" in response.text


def test_user_text_is_escaped(client):
    response = client.get("/page", params={"name": "<script>alert(1)</script>"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>" not in response.text


# --- end
