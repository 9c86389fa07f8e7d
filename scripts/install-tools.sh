#!/usr/bin/env bash
# Installs what building and testing Lanes needs, skipping whatever is already there.
# Everything comes from crates.io, npm or Debian: nothing downloads binaries from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pinned in Cargo.lock

want_apt=()
command -v chromium >/dev/null || want_apt+=(chromium)
command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || want_apt+=(postgresql)
command -v wrk >/dev/null || want_apt+=(wrk)            # the benchmark's load generator
command -v curl >/dev/null || want_apt+=(curl)          # scripts/schemathesis.sh
python3 -c 'import venv, ensurepip' 2>/dev/null || want_apt+=(python3-venv)  # schemathesis' venv
if [ ${#want_apt[@]} -gt 0 ] && [ "${1:-}" != "--no-apt" ]; then
  echo "==> apt-get install ${want_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${want_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  echo "==> rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "==> npm ci (tailwindcss, binaryen, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  echo "==> cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once per machine)"
  # Not --locked: its lockfile wants a webpki-roots version crates.io no longer serves.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --quiet
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  echo "==> cargo install cargo-leptos $CARGO_LEPTOS_VERSION (several minutes, once per machine)"
  # A debug build of the build orchestrator is plenty fast and installs in a fraction of the time.
  CARGO_PROFILE_DEV_DEBUG=false cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --debug --quiet
fi
