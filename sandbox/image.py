"""Build the sandbox's images when missing, without a registry: the candidates'
runtime (deploy/sandbox/) and the model gateway's (deploy/gateway/), both on the
same debootstrap base.

    python -m sandbox.image ensure [gateway]     build if missing; print the tag
    python -m sandbox.image tag [gateway]        print the tag the current recipe gives

A tag is a content hash of its recipe folder and of the base, so a changed recipe
means a new tag. See deploy/sandbox/README.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import docker
from docker.errors import ImageNotFound

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".local" / "sandbox"
BASE_REPOSITORY = "hiring-sandbox-base"
DEBIAN_SUITE = "bookworm"
# libstdc++6 and libgomp1: llama.cpp's prebuilt server in the gateway image needs them.
DEBOOTSTRAP_PACKAGES = ("python3", "python3-venv", "passwd", "ca-certificates", "libstdc++6", "libgomp1")


@dataclass(frozen=True)
class Recipe:
    folder: Path
    repository: str


RUNTIME = Recipe(ROOT / "deploy" / "sandbox", "hiring-sandbox")
GATEWAY = Recipe(ROOT / "deploy" / "gateway", "hiring-gateway")
RECIPES = {"runtime": RUNTIME, "gateway": GATEWAY}
RECIPE = RUNTIME.folder  # the candidates' runtime, published on their task page
WHEEL_PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_27_x86_64", "manylinux_2_28_x86_64")


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:16]


def base_image() -> str:
    """The configured base (SANDBOX_BASE_IMAGE), or the debootstrap one."""
    configured = os.environ.get("SANDBOX_BASE_IMAGE", "").strip()
    if configured:
        return configured
    return f"{BASE_REPOSITORY}:{_digest(DEBIAN_SUITE.encode(), ' '.join(DEBOOTSTRAP_PACKAGES).encode())}"


def image_tag(recipe: Recipe = RUNTIME) -> str:
    files = sorted(path for path in recipe.folder.rglob("*") if path.is_file() and "wheelhouse" not in path.parts)
    parts = [base_image().encode()]
    for path in files:
        parts += [str(path.relative_to(recipe.folder)).encode(), path.read_bytes()]
    return f"{recipe.repository}:{_digest(*parts)}"


def gateway_image_tag() -> str:
    return image_tag(GATEWAY)


def runtime_packages() -> list[tuple[str, str]]:
    """(name, version) of the packages candidates may use: the direct choices of
    the recipe (before "Pulled in by the above"), for the task page."""
    packages = []
    for line in (RECIPE / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# Pulled in"):
            break
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            packages.append((name.strip(), version.strip()))
    return packages


def _exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except ImageNotFound:
        return False
    return True


def _say(message: str) -> None:
    print(f"sandbox image: {message}", file=sys.stderr, flush=True)


def _build_base(client: docker.DockerClient, tag: str) -> None:
    """debootstrap a minimal bookworm (cached as a tarball) and import it as `tag`."""
    tarball = CACHE / f"{tag.replace(':', '-')}.tar"
    if not tarball.exists():
        rootfs = CACHE / "rootfs"
        shutil.rmtree(rootfs, ignore_errors=True)
        rootfs.parent.mkdir(parents=True, exist_ok=True)
        _say(f"debootstrap {DEBIAN_SUITE} (about a minute)")
        command = [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(DEBOOTSTRAP_PACKAGES)}",
            DEBIAN_SUITE,
            str(rootfs),
        ]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - fixed arguments
        # Trim what a runtime never needs: apt lists, docs, caches.
        for junk in ("var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man", "usr/share/info"):
            shutil.rmtree(rootfs / junk, ignore_errors=True)
        partial = tarball.with_suffix(".partial")
        with tarfile.open(partial, mode="w") as tar:
            tar.add(rootfs, arcname=".")
        partial.rename(tarball)
        shutil.rmtree(rootfs, ignore_errors=True)
    _say(f"importing the base as {tag}")
    repository, _, version = tag.partition(":")
    client.api.import_image_from_file(str(tarball), repository=repository, tag=version)


def _download_wheels(recipe: Recipe, target: Path) -> None:
    platforms = [argument for platform in WHEEL_PLATFORMS for argument in ("--platform", platform)]
    _say("downloading wheels on the host")
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--only-binary=:all:",
            "--python-version",
            "3.11",
            "--implementation",
            "cp",
            "--abi",
            "cp311",
            *platforms,
            "--no-deps",
            "-r",
            str(recipe.folder / "requirements.txt"),
            "-d",
            str(target),
        ],
        check=True,
    )


def ensure(recipe: Recipe = RUNTIME) -> str:
    """Build the image for the current recipe unless it exists; return its tag."""
    client = docker.from_env(timeout=600)
    tag = image_tag(recipe)
    if _exists(client, tag):
        return tag
    base = base_image()
    if not _exists(client, base):
        if os.environ.get("SANDBOX_BASE_IMAGE"):
            _say(f"pulling {base}")
            client.images.pull(base)
        else:
            _build_base(client, base)
    context = CACHE / "context"
    shutil.rmtree(context, ignore_errors=True)
    shutil.copytree(recipe.folder, context)
    _download_wheels(recipe, context / "wheelhouse")
    _say(f"building {tag}")
    client.images.build(path=str(context), tag=tag, buildargs={"BASE_IMAGE": base}, rm=True, forcerm=True, pull=False)
    shutil.rmtree(context, ignore_errors=True)
    return tag


def main(argv: list[str]) -> int:
    command, name = ([*argv, "runtime"])[:2] if len(argv) in (1, 2) else ("", "")
    recipe = RECIPES.get(name)
    if recipe is not None and command == "tag":
        print(image_tag(recipe))
        return 0
    if recipe is not None and command == "ensure":
        print(ensure(recipe))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
