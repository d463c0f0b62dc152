#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, in a directory of its own:
#
#   export DATABASE_URL=$(scripts/postgres.sh start DIR)   # DIR: new or empty, e.g. $(mktemp -d)
#   cargo test -p proactive-skill
#   scripts/postgres.sh stop DIR                            # stops it and removes DIR
#
# `start` installs Debian's `postgresql` package if no server is installed (as root), creates a
# cluster in DIR/data with a random password, and starts it listening on 127.0.0.1 (a free port)
# and on a Unix socket in DIR. It prints the URL (and nothing else on stdout); the server's log is
# DIR/postgres.log. The cluster is tuned for tests, not for keeping data: no fsync.
#
# initdb refuses to run as root: as root, the cluster belongs to the `postgres` user (created by
# the package), and DIR is handed to it.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}
(($# == 2)) || usage
cmd=$1
dir=$2

# The newest installed server's bin directory (Debian's layout).
bindir() {
    local dir
    dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    [[ -x $dir/initdb ]] && echo "$dir"
}

# Runs a command as the cluster's owner.
as_owner() {
    if ((EUID == 0)); then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case $cmd in
start)
    if ! bin=$(bindir); then
        if ((EUID != 0)); then
            echo "postgres.sh: no PostgreSQL server under /usr/lib/postgresql; install Debian's postgresql package" >&2
            exit 1
        fi
        echo "postgres.sh: installing Debian's postgresql package" >&2
        export DEBIAN_FRONTEND=noninteractive
        # The package lists may be missing or stale on a new machine.
        { apt-get install -y -q postgresql || { apt-get update -q && apt-get install -y -q postgresql; }; } >&2
        bin=$(bindir) || { echo "postgres.sh: the postgresql package installed no server" >&2; exit 1; }
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ -e $dir/data ]]; then
        echo "postgres.sh: $dir/data exists; stop that cluster first" >&2
        exit 1
    fi
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    printf '%s\n' "$password" >"$dir/pwfile"
    if ((EUID == 0)); then
        chown -R postgres: "$dir"
        # The owner must reach DIR through its parents (mktemp's are 0700 only for DIR itself).
        chmod 0700 "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
        --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    rm -f "$dir/pwfile"
    # A free port: nothing answers on it now. Another program may take it before the server
    # does, so a failed start is tried again on another port.
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start -o "-c listen_addresses=127.0.0.1 \
            -c port=$port -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_connections=200" >&2; then
            echo "postgres://postgres:$password@127.0.0.1:$port/postgres"
            exit 0
        fi
        echo "postgres.sh: start on port $port failed (attempt $attempt); log:" >&2
        tail -n 20 "$dir/postgres.log" >&2 || true
    done
    exit 1
    ;;
stop)
    [[ -d $dir ]] || exit 0
    if [[ -f $dir/data/postmaster.pid ]]; then
        bin=$(bindir) || { echo "postgres.sh: no PostgreSQL server to stop the cluster with" >&2; exit 1; }
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
*) usage ;;
esac
