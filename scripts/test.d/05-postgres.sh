#!/usr/bin/env bash
# PostgreSQL for the store tests (crates/chatkit-store, the multi-instance test of the CLI):
# a server on 127.0.0.1:5432 with trust authentication and a database `test`.
# Installs (Debian, as root) and starts it when needed; does nothing when it already runs.
# Set CHATKIT_TEST_POSTGRES=postgres://… to test against another server instead.
set -euo pipefail

if [ -n "${CHATKIT_TEST_POSTGRES:-}" ]; then
  echo "store tests use CHATKIT_TEST_POSTGRES"
  exit 0
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  fresh=no
  if ! ls /etc/postgresql/*/main/postgresql.conf >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not installed; run this step as root or install the Debian package postgresql" >&2
      exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fresh=yes
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  if [ "$fresh" = yes ]; then
    # A throwaway test server: trust local connections only.
    cat > "/etc/postgresql/${version}/main/pg_hba.conf" <<'HBA'
local all all trust
host all all 127.0.0.1/32 trust
host all all ::1/128 trust
HBA
  fi
  pg_ctlcluster --skip-systemctl-redirect "${version}" main start 2>/dev/null ||
    pg_ctlcluster --skip-systemctl-redirect "${version}" main restart
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
fi
pg_isready -h 127.0.0.1 -p 5432

if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'")" != 1 ]; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE test"
fi
echo "PostgreSQL ready on 127.0.0.1:5432 (database test)"
