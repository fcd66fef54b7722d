#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the NextCart.Migration.PostgreSql tests and CI.
#
#   eval "$(eng/postgres.sh start)"   # prints the exports below; logs go to stderr
#   dotnet test tests/NextCart.Migration.PostgreSql.Tests
#   eng/postgres.sh stop              # stops the server in $NEXTCART_POSTGRES_DIR (or the directory given) and deletes it
#
# start installs PostgreSQL from Debian's packages when initdb/pg_ctl are missing (as root, non-interactively), creates a
# fresh cluster in a new temporary directory owned by a non-root user (PostgreSQL refuses to run as root), binds it to
# 127.0.0.1 on a free port with its unix socket inside that directory, waits until it accepts connections, creates the
# database and prints:
#   export NEXTCART_POSTGRES_DIR=...         (what stop deletes)
#   export NEXTCART_POSTGRES_CONNECTION=...  (Host=127.0.0.1;Port=...;Username=...;Password=...;Database=nextcart_test)
#
# The server is tuned for tests (fsync off): its data is thrown away. NEXTCART_POSTGRES_DURABLE=1 keeps PostgreSQL's
# durable defaults, for measurements; NEXTCART_POSTGRES_OPTIONS adds server options (for example "-c shared_buffers=1GB").
set -euo pipefail

readonly db_name=nextcart_test
readonly db_user=nextcart

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local dir
  # Debian keeps each major version's programs in /usr/lib/postgresql/<major>/bin; take the newest.
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
    return 0
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  return 1
}

install_postgres() {
  if [ "$(id -u)" != "0" ]; then
    log "PostgreSQL (initdb, pg_ctl) is not installed; install it with: sudo apt-get install -y postgresql"
    exit 1
  fi
  log "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends postgresql >&2; then
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends postgresql >&2
  fi
}

# Runs a command as the server's user: postgres when we are root, else ourselves.
as_server_user() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u "$server_user" -- "$@"
  else
    "$@"
  fi
}

random_hex() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bindir dir password port attempt started=0
  bindir=$(find_bindir) || { install_postgres; bindir=$(find_bindir) || { log "initdb/pg_ctl not found after installing PostgreSQL"; exit 1; }; }

  server_user=$(id -un)
  if [ "$(id -u)" = "0" ]; then
    server_user=postgres
    if ! id -u "$server_user" >/dev/null 2>&1; then
      useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin "$server_user"
    fi
  fi

  dir=$(mktemp -d /tmp/nextcart-pg.XXXXXX)
  # Remove the half-made server if anything below fails.
  trap 'status=$?; if [ $status -ne 0 ]; then as_server_user "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; fi' EXIT
  chmod 700 "$dir"
  mkdir -p "$dir/sock"
  password=$(random_hex)
  printf '%s\n' "$password" >"$dir/pwfile"
  [ "$server_user" = "$(id -un)" ] || chown -R "$server_user" "$dir"

  as_server_user "$bindir/initdb" -D "$dir/data" -U "$db_user" --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"

  local tuning="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [ "${NEXTCART_POSTGRES_DURABLE:-0}" = "1" ]; then
    tuning=""
  fi
  tuning="$tuning ${NEXTCART_POSTGRES_OPTIONS:-}"

  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if port_in_use "$port"; then
      continue
    fi
    # shellcheck disable=SC2086 # $tuning is a list of options
    if as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -s \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/sock -c max_connections=300 $tuning" start >&2; then
      started=1
      break
    fi
    log "could not start on port $port (attempt $attempt); trying another"
  done
  if [ "$started" != "1" ]; then
    tail -n 30 "$dir/server.log" >&2 || true
    log "the server did not start"
    exit 1
  fi

  for attempt in $(seq 1 60); do
    if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      break
    fi
    [ "$attempt" = 60 ] && { log "the server is not ready after 30 s"; exit 1; }
    sleep 0.5
  done

  as_server_user "$bindir/psql" -q -h "$dir/sock" -p "$port" -U "$db_user" -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $db_name" >&2

  local connection="Host=127.0.0.1;Port=$port;Username=$db_user;Password=$password;Database=$db_name"
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (data in $dir)"
  echo "export NEXTCART_POSTGRES_DIR='$dir'"
  echo "export NEXTCART_POSTGRES_CONNECTION='$connection'"
}

stop() {
  local dir="${1:-${NEXTCART_POSTGRES_DIR:-}}" bindir
  if [ -z "$dir" ]; then
    log "nothing to stop (pass the directory or set NEXTCART_POSTGRES_DIR)"
    return 0
  fi
  case "$dir" in
    /tmp/nextcart-pg.*) ;;
    *) log "refusing to delete '$dir': not a directory made by this script"; exit 1 ;;
  esac
  if [ ! -d "$dir" ]; then
    log "'$dir' is already gone"
    return 0
  fi
  server_user=$(stat -c %U "$dir")
  if [ -f "$dir/data/postmaster.pid" ] && bindir=$(find_bindir); then
    as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 -s stop >&2 \
      || as_server_user "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop >&2 || true
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac
