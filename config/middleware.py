from django.urls import reverse


def admin_noindex(get_response):
    """Ask search engines never to index the back office."""
    admin_prefix = None

    def middleware(request):
        nonlocal admin_prefix
        response = get_response(request)
        if admin_prefix is None:
            admin_prefix = reverse("admin:index")
        if request.path.startswith(admin_prefix):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return middleware
