from django.db import models


# --- task: notes
class Note(models.Model):
    text = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text

    def as_json(self):
        return {"id": self.id, "text": self.text, "created_at": self.created_at}


# --- end
