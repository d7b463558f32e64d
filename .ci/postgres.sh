#!/usr/bin/env bash
# A PostgreSQL server for the test suite, on a Debian machine where we are root.
#
# Installs Debian's `postgresql` package when it is missing, starts the cluster listening on
# 127.0.0.1 only, and creates a login role and a UTF-8 database for the tests.  Every step checks
# before it acts, so a second run on a ready machine takes about a second.
#
# Usage (progress goes to stderr, so stdout carries only the URL):
#   export INBRIEF_TEST_POSTGRES_URL="$(bash .ci/postgres.sh)"   # run it: prints the URL
#   . .ci/postgres.sh                                            # or source it: exports it
#
# Overridable: INBRIEF_PG_USER, INBRIEF_PG_PASSWORD, INBRIEF_PG_DATABASE (defaults below).

inbrief_postgres_main() (
    set -euo pipefail

    local user="${INBRIEF_PG_USER:-inbrief}"
    local password="${INBRIEF_PG_PASSWORD:-inbrief}"
    local database="${INBRIEF_PG_DATABASE:-inbrief_test}"
    log() { echo "postgres.sh: $*" >&2; }

    if ! command -v pg_lsclusters >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        log "installing Debian's postgresql package"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
    fi

    # The newest installed major version; its cluster "main" is the one we use.
    local version
    version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)"
    if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {found = 1} END {exit !found}'; then
        log "creating cluster $version/main"
        pg_createcluster --locale C.UTF-8 "$version" main >&2
    fi

    # Listen on loopback only; a conf.d file survives package upgrades of postgresql.conf.
    local conf="/etc/postgresql/$version/main/conf.d/inbrief-ci.conf"
    if [[ "$(cat "$conf" 2>/dev/null)" != "listen_addresses = '127.0.0.1'" ]]; then
        echo "listen_addresses = '127.0.0.1'" >"$conf"
    fi

    local port status
    read -r port status < <(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3, $4}')
    psql_admin() { (cd / && runuser -u postgres -- psql -X -q -p "$port" -v ON_ERROR_STOP=1 "$@"); }

    if [[ "$status" != online* ]]; then
        log "starting cluster $version/main on 127.0.0.1:$port"
        pg_ctlcluster "$version" main start >&2
    elif [[ "$(psql_admin -At -c 'SHOW listen_addresses')" != "127.0.0.1" ]]; then
        log "restarting cluster $version/main to listen on 127.0.0.1 only"
        pg_ctlcluster "$version" main restart >&2
    fi

    local tries=0
    until pg_isready -q -h 127.0.0.1 -p "$port"; do
        tries=$((tries + 1))
        if ((tries > 60)); then
            log "PostgreSQL did not accept connections on 127.0.0.1:$port within 30 s"
            exit 1
        fi
        sleep 0.5
    done

    # template0 with an explicit UTF-8 locale: the cluster default may be SQL_ASCII/C on a
    # machine without LANG, and full-text search needs a locale that lower-cases non-ASCII text.
    psql_admin -v user="$user" -v password="$password" -v database="$database" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'user', :'password') \gexec
SELECT format(
    'CREATE DATABASE %I OWNER %I ENCODING %L LC_COLLATE %L LC_CTYPE %L TEMPLATE template0',
    :'database', :'user', 'UTF8', 'C.UTF-8', 'C.UTF-8')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SQL

    # Prove the URL works before handing it out, so a failure points here and not at a test.
    PGPASSWORD="$password" psql -X -q -At -h 127.0.0.1 -p "$port" -U "$user" -d "$database" \
        -c 'SELECT 1' >/dev/null
    log "ready on 127.0.0.1:$port, database $database"
    echo "postgresql+psycopg://$user:$password@127.0.0.1:$port/$database"
)

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    inbrief_postgres_main
else
    INBRIEF_TEST_POSTGRES_URL="$(inbrief_postgres_main)"
    inbrief_postgres_status=$?
    if ((inbrief_postgres_status == 0)); then
        export INBRIEF_TEST_POSTGRES_URL
    else
        unset INBRIEF_TEST_POSTGRES_URL
    fi
    unset -f inbrief_postgres_main
    # Sourced: hand the status back to the caller without ending its shell.
    return "$inbrief_postgres_status"
fi
