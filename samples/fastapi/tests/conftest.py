import pytest
from app.main import app, get_session
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, create_engine


# --- task: test
@pytest.fixture
def session(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/test.db")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def client(session):
    app.dependency_overrides[get_session] = lambda: session
    yield TestClient(app)
    app.dependency_overrides.clear()


# --- end
