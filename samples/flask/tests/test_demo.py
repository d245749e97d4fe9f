from datetime import datetime, timedelta

import pytest
from flask import template_rendered


# --- task: test
def test_hello_answers_json(client):
    response = client.get("/hello")
    assert response.status_code == 200
    assert response.json == {"message": "Hello, world"}


def test_greet_with_name_and_times(client):
    response = client.get("/greet/Ada", query_string={"times": 2})
    assert response.status_code == 200
    assert response.json == {"greetings": ["Hello, Ada", "Hello, Ada"]}


def test_times_defaults_to_one(client):
    assert client.get("/greet/Ada").json == {"greetings": ["Hello, Ada"]}


@pytest.mark.parametrize("times", ["0", "11", "two", ""])
def test_bad_times_is_a_400(client, times):
    response = client.get("/greet/Ada", query_string={"times": times})
    assert response.status_code == 400
    assert response.json["error"] == "Bad Request"
    assert response.json["description"].startswith("times:")


def test_too_long_name_is_a_400(client):
    response = client.get("/greet/" + "a" * 51)
    assert response.status_code == 400
    assert response.json["description"].startswith("name:")


def test_notes_start_empty(client):
    response = client.get("/notes")
    assert response.status_code == 200
    assert response.json == {"notes": []}


def test_create_then_list(client):
    response = client.post("/notes", json={"text": "Buy milk"})
    assert response.status_code == 201
    created = response.json
    assert created["text"] == "Buy milk"
    assert set(created) == {"id", "text", "created_at"}
    assert datetime.fromisoformat(created["created_at"]).utcoffset() == timedelta(0)
    assert client.get("/notes").json == {"notes": [created]}


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x" * 201}, [1, 2]])
def test_invalid_notes_are_refused(client, body):
    response = client.post("/notes", json=body)
    assert response.status_code == 400
    assert response.json["description"].startswith("text:")
    assert client.get("/notes").json == {"notes": []}


def test_a_body_that_is_not_json_is_refused(client):
    response = client.post("/notes", data="not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"] == "Bad Request"


def test_page_is_rendered_from_its_template(app, client):
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        response = client.get("/page", query_string={"name": "Ada"})
    assert response.status_code == 200
    assert rendered == ["page.html"]
    assert "<h1>Hello, Ada</h1>" in response.text


def test_user_text_is_escaped(client):
    response = client.get("/page", query_string={"name": "<script>alert(1)</script>"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>" not in response.text


# --- end
