"""Fixtures of the provisioning tests (see provisioning_helpers for the Debian root they build)."""

from __future__ import annotations

from pathlib import Path

import pytest
from provisioning_helpers import (
    Chroot,
    build_root_tarball,
    build_wheel_folder,
    extract_root,
    provision,
    remove_root,
)


@pytest.fixture(scope="session")
def root_tarball() -> Path:
    return build_root_tarball()


@pytest.fixture(scope="session")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("provisioning")


@pytest.fixture
def fresh_root(root_tarball, tmp_path):
    root = extract_root(root_tarball, tmp_path / "root")
    yield root
    remove_root(root)


@pytest.fixture(scope="session")
def pin_file(scratch) -> Path:
    path = scratch / "operator-pin"
    path.write_text("482913\n")
    path.chmod(0o600)
    return path


@pytest.fixture(scope="session")
def provisioned(root_tarball, scratch, pin_file):
    """A root provisioned twice (the second run must change nothing): (root, first run, second run)."""
    root = extract_root(root_tarball, scratch / "provisioned")
    args = ["--profile", "pi4", "--display", "dsi7", "--unit-id", "TRJ-01", "--app-mode", "copy",
            "--pin-file", str(pin_file)]
    try:
        first = provision(root, *args)
        second = provision(root, *args)
        yield root, first, second
    finally:
        remove_root(root)


@pytest.fixture(scope="session")
def chroot(provisioned):
    root = provisioned[0]
    with Chroot(root) as c:
        yield c


@pytest.fixture(scope="session")
def venv_provisioned(root_tarball, scratch, pin_file):
    """A root provisioned the unit's way: the app pip-installed into /opt/semenit/venv, offline from wheels."""
    root = extract_root(root_tarball, scratch / "venv-unit")
    try:
        wheels = build_wheel_folder(root)
        args = ["--profile", "pi5", "--display", "hdmi", "--unit-id", "trj-03", "--app-mode", "venv",
                "--wheels", str(wheels), "--pin-file", str(pin_file)]
        first = provision(root, *args)
        second = provision(root, *args)
        with Chroot(root) as c:
            yield c, first, second
    finally:
        remove_root(root)
