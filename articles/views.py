from django.shortcuts import get_object_or_404, render

from articles.models import Article
from comparisons.models import Framework


def home(request):
    article = Article.objects.published().first()
    frameworks = Framework.objects.published()
    return render(request, "articles/home.html", {"article": article, "frameworks": frameworks})


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return render(request, "articles/article_detail.html", {"article": article})
