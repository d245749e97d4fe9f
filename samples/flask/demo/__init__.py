"""The Flask sample, an application factory: `flask --app demo run`, `gunicorn 'demo:create_app()'`.

NOTES_DB is the SQLite file (by default notes.sqlite3 in the instance folder).
"""

import os

from flask import Flask

from .models import db
from .views import bp


# --- task: setup
def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.environ.get("NOTES_DB", "notes.sqlite3"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
    return app


# --- end
