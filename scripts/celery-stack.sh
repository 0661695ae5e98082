#!/usr/bin/env bash
# Redis + PostgreSQL from the Debian packages, on loopback ports, in a throw-away folder:
# what Airflow's CeleryExecutor needs (broker, metadata DB) without Docker.
#
#   scripts/celery-stack.sh start DIR [REDIS_PORT PG_PORT]   # writes DIR/stack.env
#   scripts/celery-stack.sh stop DIR
#
# DIR/stack.env holds the settings the Airflow env reads (etl/airflow_env.py):
# AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, AIRFLOW__CELERY__BROKER_URL, ..., ETL_REDIS_URL.
# PostgreSQL refuses to run as root: the cluster belongs to the `postgres` system user.
set -euo pipefail
cmd=${1:?usage: celery-stack.sh start|stop DIR [REDIS_PORT PG_PORT]}
dir=${2:?usage: celery-stack.sh start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1
}

as_pg() {   # run a PostgreSQL tool as its owner when we are root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
  command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install redis-server)" >&2; exit 1; }
  local bin redis_port pg_port
  bin=$(pg_bin)
  redis_port=${3:-$(free_port)}
  pg_port=${4:-$(free_port)}
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize yes
  mkdir -p "$dir/pg" "$dir/pgsock"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/pg" "$dir/pgsock"
  [ "$(id -u)" = 0 ] && chmod 755 "$dir"
  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/pg" -U airflow --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  # fsync off: a test cluster thrown away afterwards; durability would only cost time.
  as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pgsock/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $pg_port -k $dir/pgsock -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  as_pg "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U airflow -d postgres -qAtc \
    "SELECT 1 FROM pg_database WHERE datname='airflow'" | grep -q 1 \
    || as_pg "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U airflow airflow
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  local db="postgresql+psycopg2://airflow@127.0.0.1:$pg_port/airflow"
  cat >"$dir/stack.env" <<EOF
AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=$db
AIRFLOW__CELERY__BROKER_URL=redis://127.0.0.1:$redis_port/0
AIRFLOW__CELERY__RESULT_BACKEND=db+postgresql+psycopg2://airflow@127.0.0.1:$pg_port/airflow
ETL_REDIS_URL=redis://127.0.0.1:$redis_port/1
REDIS_PORT=$redis_port
PG_PORT=$pg_port
EOF
  cat "$dir/stack.env"
}

stop() {
  local bin
  bin=$(pg_bin)
  if [ -f "$dir/pg/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/pg" -m fast -w -t 30 stop >/dev/null || true
  fi
  if [ -f "$dir/redis.pid" ]; then
    local pid
    pid=$(cat "$dir/redis.pid")            # redis removes its pidfile as it exits
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$dir/redis.pid"
  fi
}

case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
