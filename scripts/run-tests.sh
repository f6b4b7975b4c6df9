#!/usr/bin/env bash
# Runs pytest on SQLite, then on PostgreSQL when one is reachable.
# EGENMAKT_REQUIRE_POSTGRES=1 (set by CI) turns a missing PostgreSQL into a failure;
# EGENMAKT_REQUIRE_BROWSER=1 does the same for the browser tests (see conftest.py).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

echo "== pytest on SQLite =="
env -u DATABASE_URL "$PY" -m pytest -q "$@"
status=$?
if [ $status -ne 0 ]; then exit $status; fi

pg_url="${DATABASE_URL:-}"
if [ -z "$pg_url" ]; then
  if "$PY" - <<'PYEOF' 2>/dev/null
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PYEOF
  then
    pg_url="postgres://${PGUSER:-postgres}${PGPASSWORD:+:$PGPASSWORD}@127.0.0.1:5432/egenmakt"
  fi
fi

if [ -z "$pg_url" ]; then
  msg="PostgreSQL leg SKIPPED: no DATABASE_URL and nothing answers on 127.0.0.1:5432."
  if [ "${EGENMAKT_REQUIRE_POSTGRES:-0}" = "1" ]; then echo "ERROR: $msg" >&2; exit 1; fi
  echo "NOTE: $msg Start PostgreSQL or set DATABASE_URL to run it."
  exit 0
fi

echo "== pytest on PostgreSQL ($(echo "$pg_url" | sed -E 's#//[^@]*@#//***@#')) =="
DATABASE_URL="$pg_url" "$PY" -m pytest -q "$@"
