#!/usr/bin/env bash
# make bench: for each size, a fresh PostgreSQL database with the demo region and
# generate_scale's data, served by gunicorn as in production, driven by locust from a
# second process on loopback, then each page alone; bench/report.py writes bench/results.md.
#
#   BENCH_SIZES      clients per run                    "10000 100000"
#   BENCH_DURATION   seconds of load per size           60
#   BENCH_WORKERS    gunicorn workers                   4
#   BENCH_PG         PostgreSQL server (no database)    postgres://postgres@127.0.0.1:5432
#   BENCH_DB         database made (and dropped) here   egenmakt_bench
#   BENCH_PORT       where gunicorn listens             8765
#   BENCH_OUT        the report                         bench/results.md
#   BENCH_REDIS      the two nodes' shared cache (flushed) redis://127.0.0.1:6379/13
#   BENCH_NODE_SECONDS, BENCH_NODE_CLIENTS  nodes.py's throughput leg   20, 8
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-"10000 100000"}
DURATION=${BENCH_DURATION:-60}
WORKERS=${BENCH_WORKERS:-4}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
DB=${BENCH_DB:-egenmakt_bench}
PORT=${BENCH_PORT:-8765}
OUT=${BENCH_OUT:-bench/results.md}
USERS=16
VENV=.venv
PY=$VENV/bin/python
RAW=var/bench
mkdir -p "$RAW"
rm -f "$RAW/nodes.json"

echo "== installing the bench tools (locust)"
# The bench extra's requirements only, not the project again: an editable reinstall from
# a second checkout would point a shared virtualenv at that checkout.
if ! $PY -c "import locust" 2>/dev/null; then
  $PY -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["bench"]))' \
    | xargs $VENV/bin/pip install --quiet
fi

# Production settings: DEBUG off, a real secret key, host checks, hashed static files, the
# shared database cache (CACHE_URL may name a Redis instead).
# Only two things differ from a deployment: the bench's own switch (the floor view and the
# query-count header), and plain HTTP on loopback instead of TLS at a proxy, so cookies
# cannot be marked Secure and nothing redirects to https.
export DEBUG=0
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="$PG/$DB"
export EGENMAKT_BENCH=1 EGENMAKT_SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0
# Required with DEBUG off; the bench's e-mail goes nowhere.
export EMAIL_URL=${EMAIL_URL:-dummy://}
export EGENMAKT_VAR_DIR="$PWD/$RAW/var" LOG_LEVEL=WARNING

DEBUG=1 $PY manage.py compile_translations >/dev/null
$PY manage.py collectstatic --no-input -v0

server=""
stop_server() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
trap stop_server EXIT

for size in $SIZES; do
  echo "== $size clients: fresh database $DB"
  psql "$PG/postgres" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  $PY manage.py migrate --no-input -v0
  $PY manage.py load_instruments >/dev/null
  $PY manage.py seed_demo --quiet-logins
  start=$(date +%s%N)
  $PY manage.py generate_scale --clients "$size" | tee "$RAW/generate-$size.txt"
  echo $(( ($(date +%s%N) - start) / 1000000 )) > "$RAW/generate-$size.ms"
  # What autovacuum would have done by the time ten years of data exist.
  psql "$DATABASE_URL" -q -c "VACUUM ANALYZE"
  $PY manage.py bench_logins --out "$RAW/logins-$size.json"

  echo "== serving with gunicorn ($WORKERS workers) on 127.0.0.1:$PORT"
  $VENV/bin/gunicorn egenmakt.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
    --log-level warning --error-logfile "$RAW/gunicorn-$size.log" &
  server=$!
  for _try in $(seq 50); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done

  # The machine may be shared: what else was running is part of the result.
  cut -d' ' -f1-3 /proc/loadavg > "$RAW/loadavg-$size.txt"
  echo "== locust: $USERS users for ${DURATION}s"
  # The locustfile stops DURATION seconds after the last user has signed in; -t is only
  # a safety net (it counts the sign-ins too).
  BENCH_LOGINS="$RAW/logins-$size.json" BENCH_QUERIES_OUT="$RAW/queries-$size.json" \
    BENCH_DURATION="$DURATION" \
    $VENV/bin/locust -f bench/locustfile.py --headless -u "$USERS" -r "$USERS" \
    -t "$((DURATION + 600))s" --host "http://127.0.0.1:$PORT" --csv "$RAW/locust-$size" \
    --only-summary --stop-timeout 10 --exit-code-on-error 0 2>&1 | tail -n 30
  echo "== each page alone, one request at a time"
  $PY bench/isolated.py "$RAW/logins-$size.json" "http://127.0.0.1:$PORT" "$RAW/isolated-$size.json"
  stop_server

  if [ ! -f "$RAW/nodes.json" ]; then
    echo "== two app servers (ports $PORT and $((PORT + 1))), one PostgreSQL, one Redis"
    $PY bench/nodes.py "$RAW/logins-$size.json" "$RAW/nodes.json" --port "$PORT" --size "$size" \
      --seconds "${BENCH_NODE_SECONDS:-20}" --clients "${BENCH_NODE_CLIENTS:-8}"
  fi

  echo "== report generation: the app's aggregates against plain SQL"
  $PY bench/aggregates.py --out "$RAW/aggregates-$size.json"

  echo "== where each page's time goes (SQL, templates, the rest)"
  ALLOWED_HOSTS=testserver $PY bench/breakdown.py --json "$RAW/breakdown-$size.json" >/dev/null
done

$PY bench/report.py --raw "$RAW" --sizes "$SIZES" --duration "$DURATION" \
  --workers "$WORKERS" --users "$USERS" > "$OUT"
echo "== wrote $OUT"
