"""Production settings and the deployment files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "hiring_platform.settings.production",
    "SECRET_KEY": "x" * 30 + "-production-check-key-0123456789abcdef",
    "ALLOWED_HOSTS": "hiring.example.com",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:1/db",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    dropped = {*PRODUCTION_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("missing", "message"), [("SECRET_KEY", "SECRET_KEY"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS")])
def test_production_refuses_to_start_without_its_secrets(missing: str, message: str) -> None:
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert message in result.stderr


def test_production_reads_secrets_from_files(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}

    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**env, "SECRET_KEY_FILE": str(key_file)})

    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_set() -> None:
    code = "from django.conf import settings; print(settings.DEBUG)"
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "hiring_platform.settings.local"}

    result = manage("shell", "-c", code, env=env)

    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_docker_compose_file_is_valid(tmp_path: Path) -> None:
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is installed by scripts/install.sh --test"
    deploy = tmp_path / "deploy"
    shutil.copytree(ROOT / "deploy", deploy)
    (deploy / "secrets").mkdir()
    for name in ("secret_key", "database_url", "redis_url", "postgres_password", "redis_password"):
        (deploy / "secrets" / name).write_text("value\n")
    shutil.copy(deploy / "env.example", deploy / ".env")

    result = subprocess.run(
        [compose, "-f", str(deploy / "docker-compose.yml"), "config"], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    for service in ("postgres:", "redis:", "web:", "worker:", "sandbox-worker:", "beat:"):
        assert service in result.stdout
    assert "/var/run/docker.sock" in result.stdout
