#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server, then stop the server and delete it:
#   scripts/with_postgres.sh make test
# The server lives in a temporary folder, listens on 127.0.0.1:$TUTTI_PG_PORT (default 54329)
# and on a unix socket in that folder, trusts local connections, and never touches the system
# cluster. The command sees DATABASE_URL pointing at a database called "tutti".
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 2
fi

port="${TUTTI_PG_PORT:-54329}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)." >&2
  exit 1
fi

tmp="$(mktemp -d)"
# PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$tmp"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
# A signal still runs the EXIT trap, so the server never outlives us.
trap 'exit 143' TERM INT HUP

"${as_owner[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --no-locale \
  >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
  cat "$tmp/server.log" >&2
  exit 1
fi
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres tutti
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/tutti"
# Not exec: the trap must still stop the server when the command ends.
"$@"
