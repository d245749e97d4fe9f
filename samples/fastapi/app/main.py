"""The FastAPI sample: `fastapi run app/main.py`, `uvicorn app.main:app`.

NOTES_DB is the SQLite file (by default notes.sqlite3 beside the app package).
"""

import os
import pathlib
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Field, Session, SQLModel, create_engine, select

# --- task: setup
HERE = pathlib.Path(__file__).resolve().parent
database = os.environ.get("NOTES_DB", HERE.parent / "notes.sqlite3")
engine = create_engine(f"sqlite:///{database}", connect_args={"check_same_thread": False})


def get_session():
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@asynccontextmanager
async def lifespan(app: FastAPI):
    SQLModel.metadata.create_all(engine)
    yield


app = FastAPI(lifespan=lifespan)
# --- end


# --- task: hello
@app.get("/hello")
async def hello():
    return {"message": "Hello, world"}


# --- end


# --- task: greet
@app.get("/greet/{name}")
async def greet(
    name: Annotated[str, Path(max_length=50)],
    times: Annotated[int, Query(ge=1, le=10)] = 1,
):
    return {"greetings": [f"Hello, {name}"] * times}


# --- end


# --- task: notes
class NoteBase(SQLModel):
    text: str = Field(min_length=1, max_length=200)


class Note(NoteBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class NoteCreate(NoteBase):
    pass


class NotePublic(NoteBase):
    id: int
    created_at: datetime


class NoteList(SQLModel):
    notes: list[NotePublic]


@app.get("/notes", response_model=NoteList)
def list_notes(session: SessionDep):
    return {"notes": session.exec(select(Note).order_by(Note.id)).all()}


@app.post("/notes", response_model=NotePublic, status_code=201)
def create_note(note: NoteCreate, session: SessionDep):
    db_note = Note.model_validate(note)
    session.add(db_note)
    session.commit()
    session.refresh(db_note)
    return db_note


# --- end


# --- task: page
templates = Jinja2Templates(directory=HERE / "templates")


@app.get("/page", response_class=HTMLResponse)
async def page(request: Request, name: str = "world"):
    return templates.TemplateResponse(request, "page.html", {"name": name})


# --- end
