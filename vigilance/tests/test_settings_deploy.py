"""With production values in the environment, Django's deployment checklist is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-like-secret-key-with-enough-entropy-9f3a7c",
    "ALLOWED_HOSTS": "vigilance.example.fr",
    "SITE_URL": "https://vigilance.example.fr",
}


# Variables the test session sets for itself, which production never has.
TEST_ONLY = {
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "STATIC_MANIFEST",
    "VIGILANCE_ALLOW_INSECURE_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "ALLOWED_HOSTS",
    "SITE_URL",
}


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_refuses_to_start_in_production():
    env = {**{k: v for k, v in os.environ.items() if k not in TEST_ONLY}, **PRODUCTION_ENV, "SECRET_KEY": ""}
    for entry_point in ("vigilance.wsgi", "vigilance.celery"):
        result = subprocess.run(
            [sys.executable, "-c", f"import {entry_point}; import django.conf; django.conf.settings.DEBUG"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0, entry_point
        assert "SECRET_KEY must be set" in result.stderr
