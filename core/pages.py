"""The site's public addresses, named once: for the tests and for `make bench`, `make audit`
and `make screenshots`.

Plain data with no Django import, so the scripts can use it without setting Django up.
"""

ARTICLE = "/articles/django-flask-or-fastapi/"
CHOOSE_ANSWER = "/choose/?building=json-api&w-packages=1&w-community=0&w-performance=3"

# Every public HTML page, once, at its canonical address (no query string).
PUBLIC_PAGES = {
    "home": "/",
    "article": ARTICLE,
    "frameworks": "/frameworks/",
    "django": "/frameworks/django/",
    "flask": "/frameworks/flask/",
    "fastapi": "/frameworks/fastapi/",
    "compare": "/compare/",
    "versus": "/compare/django-vs-flask/",
    "choose": "/choose/",
    "methodology": "/methodology/",
    "code": "/code/",
}

# The same pages as a reader's answers shape them (a GET form's query string).
ANSWERED_PAGES = {
    "compare-filtered": "/compare/?fw=django&fw=fastapi",
    "compare-sorted": "/compare/?c=performance&sort=performance",
    "compare-reasons": "/compare/?reasons=open",
    "choose-answer": CHOOSE_ANSWER,
}

# Answered afresh every time, by the app and by nginx: a reader's own weights (about 121
# million answers) would fill any cache and evict the hot pages. `make bench` holds them to
# the cold target, even with the caches warm.
ANSWERED_AFRESH = {"choose-answer"}

OPEN_DATA = {
    "data-json": "/data/comparison.json",
    "data-csv": "/data/comparison.csv",
}

# Every load of the last recorded benchmark (make framework-bench --record): larger than a
# first round trip, as raw data is, so `make bench` does not hold them to a page's byte budget.
BENCHMARK_DATA = {
    "benchmark-json": "/data/benchmark.json",
    "benchmark-csv": "/data/benchmark.csv",
}

FOR_MACHINES = {
    "sitemap": "/sitemap.xml",
    "robots": "/robots.txt",
    "feed": "/feed/",
    "corrections-feed": "/feed/corrections/",
}

NOT_FOUND = "/no-such-page/"

# Pages the page cache never keeps (a form with a CSRF token, its receipt): not public pages
# above, which `make bench` loads expecting the cache to hold them and search engines index.
UNCACHED_PAGES = {
    "report": "/report/?page=/frameworks/django/",
    "report-thanks": "/report/thanks/?page=/frameworks/django/",
}

# What the browser tests look at: every page, an answered decision helper, the report form
# and its receipt, and the 404 page.
BROWSER_PAGES = {
    **PUBLIC_PAGES,
    "choose-answer": CHOOSE_ANSWER,
    "compare-reasons": ANSWERED_PAGES["compare-reasons"],
    **UNCACHED_PAGES,
    "not-found": NOT_FOUND,
}
