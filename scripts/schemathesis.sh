#!/usr/bin/env bash
# Usage: scripts/schemathesis.sh LANES_BIN [extra schemathesis args...]
#
# Schema fuzzing: starts the built server on a throwaway SQLite database with demo data, signs in
# as the demo admin and lets schemathesis (from PyPI, in a venv cached outside the clone) throw
# generated requests at every operation of /openapi.json. Every check must pass: the fix for a
# failure is in the server or in the document, never in a baseline of accepted failures.
#
# Env: LANES_FUZZ_PORT (default 8141), LANES_FUZZ_EXAMPLES (examples per operation, default 25).
set -euo pipefail

BIN=${1:?usage: $0 LANES_BIN [schemathesis args...]}
shift
SCHEMATHESIS_VERSION=4.32.5
VENV=${LANES_VENV:-$HOME/.cache/lanes/venv}
PORT=${LANES_FUZZ_PORT:-8141}
EXAMPLES=${LANES_FUZZ_EXAMPLES:-25}
BASE="http://127.0.0.1:$PORT"

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "==> pip install schemathesis $SCHEMATHESIS_VERSION (once per machine)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lanes-fuzz.XXXXXX")
SERVER=
GRAPH=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -n "$GRAPH" ] && kill "$GRAPH" 2>/dev/null && wait "$GRAPH" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Office 365 is configured against the browser tests' local stand-in, so the fuzzer reaches the
# mail code instead of its "not configured" 503 (which not_a_server_error would count).
GRAPH_PORT=$((PORT + 1000))
node "$(dirname "$0")/../end2end/o365-standin.mjs" "$GRAPH_PORT" >"$WORK/graph.log" 2>&1 &
GRAPH=$!

# High budgets: the fuzzer's request rate is not what is under test here (429 is documented
# on every operation all the same).
DATABASE_URL="sqlite://$WORK/fuzz.db?mode=rwc" \
LANES_JWT_SECRET=fuzzing-secret-fuzzing-secret-0123456789 \
LANES_RATE_LIMITS=admin=1000000,manager=1000000,user=1000000,viewer=1000000,anonymous=1000000 \
LANES_RATE_LIMITS_EXPENSIVE=admin=1000000,manager=1000000,user=1000000,viewer=1000000 \
LANES_O365_TENANT_ID=fuzz-tenant LANES_O365_CLIENT_ID=fuzz-client LANES_O365_CLIENT_SECRET=fuzz-secret \
LANES_O365_SENDER=sales@lanes.example \
LANES_O365_LOGIN_URL="http://127.0.0.1:$GRAPH_PORT" LANES_O365_GRAPH_URL="http://127.0.0.1:$GRAPH_PORT/v1.0" \
RUST_LOG=error \
  "$BIN" serve --bind "127.0.0.1:$PORT" --demo >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/health" >/dev/null 2>&1 && break
  sleep 0.1
done
TOKEN=$(curl -fsS -H 'content-type: application/json' \
  -d '{"email":"admin@example.com","password":"admin123"}' "$BASE/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

echo "==> schemathesis against $BASE/openapi.json ($EXAMPLES examples per operation)"
status=0
# From the temp dir: schemathesis keeps its example cache in the working directory.
(cd "$WORK" && "$VENV/bin/schemathesis" run "$BASE/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
  --header "Authorization: Bearer $TOKEN" \
  --max-examples "$EXAMPLES" \
  --workers 2 \
  --seed 1 \
  --no-color \
  "$@") || status=$?
if [ "$status" -ne 0 ]; then
  echo "==> server log (last 40 lines)"
  tail -n 40 "$WORK/server.log"
fi
exit "$status"
