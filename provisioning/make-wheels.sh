#!/bin/bash
# Make the folder of wheels `provision.sh --wheels DIR` installs from: every Python package the app needs,
# for THIS machine's Python and board. Run it on a unit (or a Pi with the same OS) that has internet:
#   provisioning/make-wheels.sh DIR [pyproject.toml]
# PyPI has a wheel for almost everything; what it has none of for this Python is built here from its source
# (lgpio on Python 3.13 aarch64, Raspberry Pi OS Trixie): the compiler, SWIG and Python's headers are then
# installed with apt first. lgpio is built with its C library inside (PYPI=1, as PyPI's own wheels are), so
# the unit needs no liblgpio package.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:?usage: make-wheels.sh DIR [pyproject.toml]}
PYPROJECT=${2:-$(dirname "$HERE")/pyproject.toml}
PYTHON=${PYTHON:-python3}
BUILD_PACKAGES=(gcc libc6-dev python3-dev swig)

say() { echo "make-wheels: $*"; }
die() { echo "make-wheels: error: $*" >&2; exit 1; }

[ -r "$PYPROJECT" ] || die "cannot read $PYPROJECT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
mapfile -t DEPS < <("$PYTHON" -c 'import sys, tomllib
print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))' "$PYPROJECT")
# setuptools builds the app itself at install time (its pyproject.toml's build-system).
DEPS=(setuptools "${DEPS[@]}")

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$PYTHON" -m venv "$WORK/venv"
PIP=("$WORK/venv/bin/pip" --disable-pip-version-check)

say "$("$PYTHON" -c 'import platform, sys; print(f"Python {sys.version.split()[0]} on {platform.machine()}")')"
# PYPI=1: lgpio, when built from source, takes its C library inside (as PyPI's own wheels do).
# --use-pep517: a package PyPI has only as source (docopt) is built in its own environment, which brings the
# `wheel` package that Debian 12's venv lacks.
make_wheels() { PYPI=1 "${PIP[@]}" wheel -q --use-pep517 -w "$OUT" "${DEPS[@]}"; }
# Without a compiler first: most machines need nothing compiled. pip's cache keeps the downloads for a second try.
if make_wheels 2>"$WORK/first.err"; then
  say "done: $(find "$OUT" -name '*.whl' | wc -l) wheels in $OUT"
  exit 0
fi
say "some packages must be compiled for this Python and board: $(grep -o 'Failed building wheel for [^ ]*' "$WORK/first.err" | sort -u | tr '\n' ' ')"
missing=()
for p in "${BUILD_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  cat "$WORK/first.err" >&2
  die "pip could not make every wheel (see above)"
fi
[ "$(id -u)" = 0 ] || die "the build needs the Debian packages ${missing[*]}: run as root, or install them first"
say "installing the build tools: ${missing[*]}"
env DEBIAN_FRONTEND=noninteractive apt-get update -q
env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
make_wheels || die "pip could not make every wheel (see above)"
say "done: $(find "$OUT" -name '*.whl' | wc -l) wheels in $OUT"
