from django.urls import path

from . import views

urlpatterns = [
    # --- task: hello
    path("hello", views.hello),
    # --- end
    # --- task: greet
    path("greet/<str:name>", views.greet),
    # --- end
    # --- task: notes
    path("notes", views.notes),
    # --- end
    # --- task: page
    path("page", views.page),
    # --- end
]
