"""Settings come from the environment, strictly; production settings pass Django's deployment checks."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings

from config.web import roles

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment["DJANGO_ENV_FILE"] = ""
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-1234567890",
    "DJANGO_ALLOWED_HOSTS": "boligsocial.fsb.dk",
}


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


OBJECT_STORE = {
    "DJANGO_S3_BUCKET": "boligsocial-filer",
    "DJANGO_S3_ENDPOINT_URL": "https://s3.fsb.dk",
    "DJANGO_S3_REGION": "eu-north-1",
    "DJANGO_S3_ACCESS_KEY_ID": "noegle",
    "DJANGO_S3_SECRET_ACCESS_KEY": "hemmelighed",
}
SHOW_STORAGE = (
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(type(s).__name__, getattr(s, 'bucket_name', s.location))"
)


def test_deploy_check_passes_with_files_in_an_object_store():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **OBJECT_STORE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_files_are_kept_in_the_bucket_when_one_is_set():
    result = manage("shell", "--no-imports", "-c", SHOW_STORAGE, **PRODUCTION, **OBJECT_STORE)
    assert result.stdout.strip() == "S3Storage boligsocial-filer", result.stderr


def test_files_stay_on_the_local_disk_by_default():
    result = manage("shell", "--no-imports", "-c", SHOW_STORAGE, **PRODUCTION)
    assert result.stdout.strip() == f"FileSystemStorage {ROOT / 'var' / 'private'}", result.stderr


@pytest.mark.parametrize("value", ["s3.fsb.dk", "ftp://s3.fsb.dk", "https://s3.fsb.dk?a=1", "https://:9000"])
def test_a_malformed_object_store_address_is_refused(value):
    result = manage("check", **PRODUCTION, **dict(OBJECT_STORE, DJANGO_S3_ENDPOINT_URL=value))
    assert result.returncode != 0
    assert "DJANGO_S3_ENDPOINT_URL must be an address like https://s3.example.dk" in result.stderr


def test_an_object_store_key_without_its_secret_is_refused():
    result = manage("check", **PRODUCTION, **dict(OBJECT_STORE, DJANGO_S3_SECRET_ACCESS_KEY=""))
    assert result.returncode != 0
    assert "DJANGO_S3_ACCESS_KEY_ID and DJANGO_S3_SECRET_ACCESS_KEY go together" in result.stderr


def test_secret_key_is_required_without_debug():
    env = dict(PRODUCTION)
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_malformed_boolean_is_refused():
    result = manage("check", **dict(PRODUCTION, DJANGO_DEBUG="ture"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("value", ["10%", "-1", "101", "NaN"])
def test_a_malformed_limit_on_cost_rises_is_refused(value):
    result = manage("check", **dict(PRODUCTION, HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT=value))
    assert result.returncode != 0
    assert "HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT must" in result.stderr


def test_the_limit_on_cost_rises_is_10_percent_unless_set():
    script = "from django.conf import settings; print(settings.HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT)"
    assert manage("shell", "--no-imports", "-c", script, **PRODUCTION).stdout.strip() == "10"
    changed = manage(
        "shell", "--no-imports", "-c", script, **PRODUCTION, HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT="7.5"
    )
    assert changed.stdout.strip() == "7.5"


@pytest.mark.parametrize(
    "value",
    [
        "boligsocial.fsb.dk",
        "ftp://boligsocial.fsb.dk",
        "https://fsb.dk/app",
        "https://fsb.dk?a=1",
        "https://fsb.dk:x",
    ],
)
def test_a_malformed_site_address_is_refused(value):
    result = manage("check", **dict(PRODUCTION, DJANGO_SITE_URL=value))
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must be an address like https://boligsocial.fsb.dk" in result.stderr


def test_the_site_address_is_kept_without_a_trailing_slash():
    script = "from django.conf import settings; print(settings.SITE_URL)"
    assert (
        manage("shell", "--no-imports", "-c", script, **PRODUCTION).stdout.strip() == "http://127.0.0.1:8000"
    )
    changed = manage(
        "shell", "--no-imports", "-c", script, **PRODUCTION, DJANGO_SITE_URL="https://fsb.dk:8443/"
    )
    assert changed.stdout.strip() == "https://fsb.dk:8443"


def test_debug_is_off_unless_set(settings):
    result = manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)", **PRODUCTION
    )
    assert result.stdout.strip() == "False"


def test_danish_locale_and_formats(settings):
    from django.utils import formats, translation

    assert settings.LANGUAGE_CODE == "da" and settings.TIME_ZONE == "Europe/Copenhagen"
    with translation.override("da"):
        assert formats.number_format(1234567.891, 2, use_l10n=True, force_grouping=True) == "1.234.567,89"


def test_celery_is_configured_for_json_and_late_acks():
    from config.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="needs Debian's docker-compose (.ci/run installs it)"
)
def test_docker_compose_file_is_valid():
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    config = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "--services"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert {"postgres", "redis", "web", "worker", "beat", "mail"} <= set(config.stdout.split())
    # The mail service is a mail catcher: nothing the compose file starts sends real e-mail by default.
    assert "image: axllent/mailpit" in (ROOT / "docker-compose.yml").read_text()


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="needs Debian's docker-compose (.ci/run installs it)"
)
@pytest.mark.parametrize(
    ("variable", "default"),
    [
        # E-mail goes to the compose file's own mail catcher (mailpit) unless the environment names a server.
        ("DJANGO_EMAIL_URL", "smtp://mail:1025"),
        # The address the e-mails link to.
        ("DJANGO_SITE_URL", "https://localhost"),
    ],
)
def test_docker_compose_gives_a_default_unless_the_environment_sets_it(variable, default):
    environment = {k: v for k, v in os.environ.items() if k != variable}
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    values = {line.strip() for line in result.stdout.splitlines() if f"{variable}:" in line}
    assert values == {f"{variable}: {default}"}


SSO = {
    "DJANGO_OIDC_ISSUER": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
    "DJANGO_OIDC_CLIENT_ID": "boligsocial",
    "DJANGO_OIDC_CLIENT_SECRET": "a-client-secret",
    "DJANGO_OIDC_ROLE_GROUPS": "medarbejder=fsb-boligsocial-staff,sekretariat=fsb-sekretariat",
}


def test_deploy_check_passes_with_single_sign_on_configured():
    """The provider is not asked at start-up (discovery waits for the first login): this one is not there."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **SSO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("DJANGO_OIDC_ROLE_GROUPS", "administrator=fsb-it", "DJANGO_OIDC_ROLE_GROUPS must be pairs"),
        ("DJANGO_OIDC_ROLE_GROUPS", "medarbejder", "DJANGO_OIDC_ROLE_GROUPS must be pairs"),
        ("DJANGO_OIDC_ROLE_GROUPS", "", "DJANGO_OIDC_ISSUER needs"),
        ("DJANGO_OIDC_CLIENT_SECRET", "", "DJANGO_OIDC_ISSUER needs"),
        ("DJANGO_OIDC_ISSUER", "http://login.example/tenant", "DJANGO_OIDC_ISSUER must be an https address"),
    ],
)
def test_a_malformed_single_sign_on_setting_is_refused(setting, value, message):
    result = manage("check", **{**PRODUCTION, **SSO, setting: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_roles_single_sign_on_may_give_are_the_staffs_and_the_secretariats():
    assert django_settings.SSO_ROLES == (roles.MEDARBEJDER, roles.SEKRETARIAT)


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="needs Debian's docker-compose (.ci/run installs it)"
)
def test_docker_compose_adds_an_object_store_with_the_s3_profile_only():
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_S3_", "COMPOSE_"))}
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**environment, "COMPOSE_PROFILES": "s3", **OBJECT_STORE},
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert services["objectstore"]["profiles"] == services["objectstore-bucket"]["profiles"] == ["s3"]
    # Nothing outside the profile waits for the store: without it the app keeps its files on its volume.
    app = [service for service in services.values() if "profiles" not in service]
    assert not any("objectstore" in service.get("depends_on", {}) for service in app)
    for name in ("web", "worker", "migrate", "beat"):
        assert services[name]["environment"]["DJANGO_S3_BUCKET"] == "boligsocial-filer"


def test_the_log_level_holds_for_what_django_logs_too():
    """Django's own loggers (a 404 is a warning of django.request) pass their records on to the console that
    DJANGO_LOG_LEVEL sets: at ERROR a page not found writes nothing, an error still does."""
    script = (
        "import logging; logging.getLogger('django.request').warning('Not Found: /x/');"
        " logging.getLogger('django.request').error('Internal Server Error: /y/')"
    )
    quiet = manage("shell", "--no-imports", "-c", script, **PRODUCTION, DJANGO_LOG_LEVEL="ERROR")
    assert "Not Found: /x/" not in quiet.stderr and "Internal Server Error: /y/" in quiet.stderr
    default = manage("shell", "--no-imports", "-c", script, **PRODUCTION)
    assert "Not Found: /x/" in default.stderr and "Internal Server Error: /y/" in default.stderr
