"""The one settings module. Everything that differs between machines comes from the environment.

DEBUG, SECRET_KEY, ALLOWED_HOSTS, SITE_URL, DATABASE_URL, CACHE_URL, BEHIND_TLS,
TRUSTED_PROXIES and SOURCE_URL: see README.md.
"""

from datetime import timedelta
from pathlib import Path

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env.get_bool("DEBUG", default=False)
SECRET_KEY = env.get_secret_key("SECRET_KEY", VAR_DIR / "secret_key")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
BEHIND_TLS = env.get_bool("BEHIND_TLS", default=False)
# The address readers use. Every absolute URL a page carries (canonical, Open Graph, JSON-LD,
# sitemap, robots.txt, feeds, open data) is built from it, never from the request's Host.
SITE_URL = env.get_site_url("SITE_URL", default="http://127.0.0.1:8000")
# The proxies whose X-Forwarded-For is believed (login throttling); nobody else's is.
TRUSTED_PROXIES = env.get_networks("TRUSTED_PROXIES")
# X-Page-Cache: hit/miss/stale on cached pages, for an operator checking the cache (off: it
# tells anyone whether someone else asked for the same page).
PAGE_CACHE_HEADER = env.get_bool("PAGE_CACHE_HEADER", default=False)
# Where the code samples' files are read online: the repository's file browser at the
# deployed commit (https://github.com/owner/repo/blob/<commit>), each file's lines appended
# as #L12-L20. Unset: the site serves the sample files itself, under /code/files/.
SOURCE_URL = env.get_base_url("SOURCE_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "markdownx",
    "reversion",
    "axes",
    "core",
    "comparisons",
    "articles",
    "codesamples",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.refuse_control_characters",
    "core.middleware.limit_body",
    "core.middleware.security_headers",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.admin_noindex",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers a conditional request with 304 from the page's ETag or Last-Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    # A cached page is answered here, before sessions, CSRF and authentication are set up;
    # every middleware above still adds its headers to it.
    "core.cache.page_cache_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # django-axes turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a login while its username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one username from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
# The only login is the admin's: where it goes when its `next` is missing or refused (another
# host, a scheme), rather than Django's /accounts/profile/, which this site does not have.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "comparisons.context_processors.lineup",
            ],
        },
    },
]

DATABASES = {
    "default": env.get_database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.get_cache("CACHE_URL", VAR_DIR / "cache")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Our formats over the locale's: the admin's times with seconds (config/formats/en/).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIR = BASE_DIR / "fixtures"
# The code samples' folders (a sample app's folder "samples/flask" is SAMPLES_DIR / "flask"):
# /code/files/ serves a file only from inside its sample's folder here.
SAMPLES_DIR = BASE_DIR / "samples"

# django-markdownx: the admin editors' live preview posts to our own staff-only view, which
# renders with the site's one Markdown function. Image upload is off (no upload URL mounted).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "core.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/admin/markdown-preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin/markdown-upload-disabled/"
MARKDOWNX_EDITOR_RESIZABLE = True
MARKDOWNX_SERVER_CALL_LATENCY = 300
# Longest Markdown text the preview accepts, in characters.
MARKDOWN_PREVIEW_MAX_LENGTH = 100_000

# Readers' reports of mistakes: at most this many from one address (its salted hash) within
# the window; more are refused with nothing stored.
REPORT_LIMIT = 5
# The largest request body read (core.middleware.limit_body): a report is at most 2,000
# characters; the admin's largest form (a framework with every row) is about 100 KB.
PUBLIC_BODY_LIMIT = 64 * 1024
ADMIN_BODY_LIMIT = 2 * 1024 * 1024
REPORT_LIMIT_WINDOW = timedelta(hours=1)

# Security headers that hold everywhere; the TLS ones only behind a TLS-terminating proxy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if BEHIND_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
