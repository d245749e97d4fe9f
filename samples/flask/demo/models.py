from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


# --- task: setup
class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
# --- end


# --- task: notes
class Note(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))

    def to_dict(self):
        # SQLite keeps no time zone: the time was stored in UTC, so say so.
        created_at = self.created_at.replace(tzinfo=UTC).isoformat()
        return {"id": self.id, "text": self.text, "created_at": created_at}


# --- end
