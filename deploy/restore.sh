#!/bin/sh
# Restore a backup made by deploy/backup.sh into the EMPTY database of DATABASE_URL (create it
# first: docs/deployment.md). All or nothing: one transaction, stops at the first error.
# Usage: deploy/restore.sh hopluc-YYYYmmdd-HHMMSS.dump [hopluc-media-….tar.gz]
set -eu
setting() { sed -n "s/^$1=//p" "${HOPLUC_ENV_FILE:-/etc/hopluc/hopluc.env}" 2>/dev/null | tail -1; }
DATABASE_URL=${DATABASE_URL:-$(setting DATABASE_URL)}
MEDIA_ROOT=${MEDIA_ROOT:-$(setting MEDIA_ROOT)}
: "${DATABASE_URL:?DATABASE_URL is not set}"
dump=${1:?usage: restore.sh FILE.dump [MEDIA.tar.gz]}
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$DATABASE_URL" "$dump"
echo "database restored from $dump"
if [ -n "${2:-}" ]; then
  : "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
  mkdir -p "$MEDIA_ROOT"
  tar -C "$MEDIA_ROOT" -xzf "$2"
  echo "files restored into $MEDIA_ROOT"
fi
