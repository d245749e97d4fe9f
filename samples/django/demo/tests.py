from datetime import datetime, timedelta

from django.test import TestCase

from .models import Note


# --- task: test
class HelloTests(TestCase):
    def test_hello_answers_json(self):
        response = self.client.get("/hello")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"message": "Hello, world"})


class GreetTests(TestCase):
    def test_name_and_times(self):
        response = self.client.get("/greet/Ada", {"times": 2})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"greetings": ["Hello, Ada", "Hello, Ada"]})

    def test_times_defaults_to_one(self):
        response = self.client.get("/greet/Ada")
        self.assertEqual(response.json(), {"greetings": ["Hello, Ada"]})

    def test_bad_times_is_a_400_with_the_form_errors(self):
        for times in ["0", "11", "two", ""]:
            with self.subTest(times=times):
                response = self.client.get("/greet/Ada", {"times": times})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(response.json()["errors"]), ["times"])

    def test_too_long_name_is_a_400(self):
        response = self.client.get("/greet/" + "a" * 51)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"]["name"][0]["code"], "max_length")


class NotesTests(TestCase):
    def test_list_starts_empty(self):
        response = self.client.get("/notes")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"notes": []})

    def test_create_then_list(self):
        response = self.client.post("/notes", {"text": "Buy milk"}, content_type="application/json")
        self.assertEqual(response.status_code, 201)
        created = response.json()
        self.assertEqual(created["text"], "Buy milk")
        self.assertEqual(set(created), {"id", "text", "created_at"})
        self.assertEqual(datetime.fromisoformat(created["created_at"]).utcoffset(), timedelta(0))
        listed = self.client.get("/notes").json()["notes"]
        self.assertEqual(listed, [created])

    def test_invalid_notes_are_refused(self):
        for body in [{}, {"text": ""}, {"text": "x" * 201}]:
            with self.subTest(body=body):
                response = self.client.post("/notes", body, content_type="application/json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("text", response.json()["errors"])
        self.assertEqual(Note.objects.count(), 0)

    def test_a_body_that_is_not_a_json_object_is_refused(self):
        for body in ["not json", "[1, 2]"]:
            with self.subTest(body=body):
                response = self.client.post("/notes", body, content_type="application/json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("__all__", response.json()["errors"])


class PageTests(TestCase):
    def test_page_is_rendered_from_its_template(self):
        response = self.client.get("/page", {"name": "Ada"})
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "demo/page.html")
        self.assertContains(response, "<h1>Hello, Ada</h1>", html=True)

    def test_user_text_is_escaped(self):
        response = self.client.get("/page", {"name": "<script>alert(1)</script>"})
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<script>")


# --- end
