from flask import Blueprint, abort, render_template, request
from werkzeug.exceptions import HTTPException

from .models import Note, db

# --- task: setup
bp = Blueprint("demo", __name__)


@bp.app_errorhandler(HTTPException)
def json_error(error):
    return {"error": error.name, "description": error.description}, error.code


# --- end


# --- task: hello
@bp.get("/hello")
def hello():
    return {"message": "Hello, world"}


# --- end


# --- task: greet
@bp.get("/greet/<name>")
def greet(name):
    if len(name) > 50:
        abort(400, description="name: at most 50 characters.")
    times = request.args.get("times", "1")
    if not times.isdecimal() or not 1 <= int(times) <= 10:
        abort(400, description="times: a whole number from 1 to 10.")
    return {"greetings": [f"Hello, {name}"] * int(times)}


# --- end


# --- task: notes
@bp.get("/notes")
def list_notes():
    notes = db.session.execute(db.select(Note).order_by(Note.id)).scalars()
    return {"notes": [note.to_dict() for note in notes]}


@bp.post("/notes")
def create_note():
    data = request.get_json()
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not 1 <= len(text) <= 200:
        abort(400, description="text: required, 1 to 200 characters.")
    note = Note(text=text)
    db.session.add(note)
    db.session.commit()
    return note.to_dict(), 201


# --- end


# --- task: page
@bp.get("/page")
def page():
    return render_template("page.html", name=request.args.get("name", "world"))


# --- end
