import pytest
from demo import create_app


# --- task: test
@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/test.db"})


@pytest.fixture
def client(app):
    return app.test_client()


# --- end
