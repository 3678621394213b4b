#!/usr/bin/env bash
# Installs what the tests need beyond the build tools, each only when missing:
# Debian's Chromium and ChromeDriver (Playwright and wasm-bindgen-test drive them) and PostgreSQL
# (started by scripts/ensure-postgres.sh when the counter tests run).
set -euo pipefail
source "$(dirname "$0")/env.sh"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
