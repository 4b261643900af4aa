#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite: Debian's chromium, the
# virtualenv with the test extra, axe-core from npm, lint, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's Chromium for the browser tests, a CJK font so screenshots show Chinese,
# poppler-utils (the print tests rasterise PDFs with pdftoppm and read them with pdftotext)
# and pg_dump/pg_restore for the PostgreSQL backup tests.
APT_PACKAGES="chromium fonts-wqy-microhei poppler-utils postgresql-client"
if ! dpkg -s $APT_PACKAGES >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES >/dev/null
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
npm ci --silent --no-audit --no-fund

.venv/bin/ruff check .
.venv/bin/ruff format --check .

# Exit code 5 (no tests collected) is a failure here, like any other non-zero code.
exec .venv/bin/pytest -n 2 --dist loadgroup -p no:cacheprovider "$@"
