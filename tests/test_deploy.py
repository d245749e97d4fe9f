"""How the site is started and deployed, as the Makefile and README say it (no server here:
tests/servers/ starts them)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reports.models import Report

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import each other by name
import nginx_conf  # noqa: E402
import serving  # noqa: E402


def gunicorn_commands(text: str) -> list[str]:
    """Each gunicorn command line in a Makefile or README, its continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line for line in joined.splitlines() if re.search(r"/gunicorn config\.wsgi", line)]


def test_every_gunicorn_the_project_documents_opens_no_control_socket():
    """A control socket at one path per user would be shared by every instance
    (tests/servers/test_servers.py shows it)."""
    commands = [
        *gunicorn_commands((ROOT / "Makefile").read_text()),
        *gunicorn_commands((ROOT / "README.md").read_text()),
    ]
    assert len(commands) >= 2  # make run's, the deploy recipe's
    for command in commands:
        assert "--no-control-socket" in command, command


# --- the proxy's configuration (deploy/nginx.conf.in); tests/servers/test_proxy.py runs it

TEMPLATE = (ROOT / "deploy" / "nginx.conf.in").read_text()


def rendered(tmp_path, **values) -> str:
    return nginx_conf.render(
        **{"server_name": "guide.example.com", "app": "127.0.0.1:8000",
           "runtime": tmp_path / "nginx", "listen": "127.0.0.1:8080", **values}
    )  # fmt: skip


def nginx_check(tmp_path, text: str) -> subprocess.CompletedProcess:
    program = serving.nginx_program()
    if program is None:
        message = "needs nginx (apt-get install -y nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must check the proxy's configuration: {message}")
        pytest.skip(message)
    (tmp_path / "nginx").mkdir(exist_ok=True)
    conf = tmp_path / "nginx" / "nginx.conf"
    conf.write_text(text)
    return subprocess.run(
        [program, "-t", "-q", "-c", str(conf), "-p", f"{tmp_path / 'nginx'}/"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


def test_the_rendered_configuration_is_one_nginx_accepts(tmp_path):
    text = rendered(tmp_path)
    assert not re.search(r"@[A-Z_]+@", text)  # every value given
    result = nginx_check(tmp_path, text)
    assert result.returncode == 0, result.stderr


def test_with_tls_nginx_serves_https_with_the_certificate_given(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("needs openssl to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=guide.example.com", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    text = rendered(tmp_path, tls_certificate=cert, tls_key=key)
    assert "listen 443 ssl" in text
    assert f"ssl_certificate {cert};" in text
    result = nginx_check(tmp_path, text)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"server_name": "guide.example.com; include /etc/passwd"}, "server-name"),
        ({"server_name": "a{b}"}, "server-name"),
        ({"app": "unix:/run/gunicorn.sock"}, "UNIX socket"),
        ({"listen": "80 default_server"}, "listen"),
        ({"tls_certificate": Path("/etc/ssl/cert.pem")}, "both"),
        ({"workers": "2; user root"}, "workers"),
        ({"workers": "0"}, "workers"),
    ],
)
def test_a_value_that_would_break_the_configuration_is_refused(tmp_path, values, problem):
    with pytest.raises(nginx_conf.ConfigError, match=problem):
        rendered(tmp_path, **values)


def test_nginx_runs_a_worker_per_core_unless_told_how_many(tmp_path):
    assert "\nworker_processes auto;" in rendered(tmp_path)
    assert "\nworker_processes 1;" in rendered(tmp_path, workers="1")


def test_the_bypass_names_the_sites_session_and_csrf_cookies():
    bypass = re.search(r"map \$http_cookie \$secret_cookie \{(.*?)\}", TEMPLATE, re.S).group(1)
    names = set(re.search(r"\(\?:([\w|]+)\)=", bypass).group(1).split("|"))
    assert names == {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def test_the_uncached_locations_are_the_sites_addresses():
    locations = set(re.findall(r"^\s*location (?:= )?(\S+) \{", TEMPLATE, re.M))
    assert {
        reverse("admin:index"),  # the admin
        reverse("reports:new"),  # the report form and its receipt, below it
        reverse("healthz"),
        "/" + settings.STATIC_URL.strip("/") + "/",
    } <= locations
    assert reverse("reports:thanks").startswith(reverse("reports:new"))


def test_the_body_limits_fit_the_forms():
    """The public limit holds the largest report a reader can send, every character a
    4-byte one percent-encoded (12 bytes); the admin's holds what Django itself accepts."""
    public = int(re.search(r"^    client_max_body_size (\d+)k;", TEMPLATE, re.M).group(1)) * 1024
    admin = re.search(r"location /admin/ \{\s*client_max_body_size (\d+)m;", TEMPLATE)
    fields = {
        "page": Report._meta.get_field("page").max_length,
        "text": Report._meta.get_field("text").max_length,
        "email": Report._meta.get_field("email").max_length,
        "website": 0,  # the trap for robots: people leave it empty
        "csrfmiddlewaretoken": 64,
    }
    largest = sum(len(name) + 2 + 12 * length for name, length in fields.items())
    assert largest <= public
    assert int(admin.group(1)) * 1024 * 1024 > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_hashed_static_names_are_kept_for_ever_and_others_a_minute():
    pattern = re.search(r'map \$uri \$static_cache_control \{\s*"~([^"]+)"', TEMPLATE).group(1)
    assert re.search(pattern, "/static/css/site.0123456789ab.css")
    assert not re.search(pattern, "/static/css/site.css")


def test_readers_are_not_told_how_the_proxy_answered_unless_the_operator_asks(tmp_path):
    # X-Proxy-Cache: HIT would tell anyone that somebody else just asked the same question.
    assert "add_header X-Proxy-Cache" not in rendered(tmp_path)
    turned_on = rendered(tmp_path, cache_status_header=True)
    assert "add_header X-Proxy-Cache $upstream_cache_status always;" in turned_on
    checked = nginx_check(tmp_path, turned_on)
    assert checked.returncode == 0, checked.stderr


def test_the_cache_status_header_is_a_command_line_switch(tmp_path, capsys):
    for argv, expected in (([], False), (["--cache-status-header"], True)):
        assert nginx_conf.main(["--server-name", "guide.example.com",
                                "--runtime", str(tmp_path / "nginx"), *argv]) == 0  # fmt: skip
        written = capsys.readouterr().out
        assert ("add_header X-Proxy-Cache" in written) is expected
