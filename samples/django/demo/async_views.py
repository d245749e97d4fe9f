"""The views of views.py written as `async def`, for Django under ASGI (project.settings_async):
the same answers, with the ORM's async methods for the notes. Not shown on the site, which
shows the views as Django's tutorial writes them; the sample's tests run against both.
"""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .forms import GreetForm, NoteForm
from .models import Note


@require_GET
async def hello(request):
    return JsonResponse({"message": "Hello, world"})


@require_GET
async def greet(request, name):
    form = GreetForm({"name": name, "times": request.GET.get("times", 1)})
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    greeting = f"Hello, {form.cleaned_data['name']}"
    return JsonResponse({"greetings": [greeting] * form.cleaned_data["times"]})


@csrf_exempt  # a JSON API: no cookies, so no cross-site request to forge
@require_http_methods(["GET", "POST"])
async def notes(request):
    if request.method == "GET":
        return JsonResponse({"notes": [note.as_json() async for note in Note.objects.all()]})
    try:
        data = json.loads(request.body)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        error = {"message": "Send a JSON object.", "code": "invalid"}
        return JsonResponse({"errors": {"__all__": [error]}}, status=400)
    form = NoteForm(data)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    note = form.save(commit=False)
    await note.asave()
    return JsonResponse(note.as_json(), status=201)


@require_GET
async def page(request):
    return render(request, "demo/page.html", {"name": request.GET.get("name", "world")})
