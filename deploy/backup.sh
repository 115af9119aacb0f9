#!/bin/sh
# Back up Hợp Lực: the PostgreSQL database (pg_dump custom format) and, on disk storage, the
# uploaded files. Usage: deploy/backup.sh [FOLDER]   (default /var/backups/hopluc)
# DATABASE_URL and MEDIA_ROOT come from the environment or from $HOPLUC_ENV_FILE.
set -eu
# Backups hold every record and password hash: readable by their owner only.
umask 077
setting() { sed -n "s/^$1=//p" "${HOPLUC_ENV_FILE:-/etc/hopluc/hopluc.env}" 2>/dev/null | tail -1; }
DATABASE_URL=${DATABASE_URL:-$(setting DATABASE_URL)}
MEDIA_ROOT=${MEDIA_ROOT:-$(setting MEDIA_ROOT)}
: "${DATABASE_URL:?DATABASE_URL is not set}"
folder=${1:-/var/backups/hopluc}
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$folder"
# Written under a temporary name and renamed when complete: a half-written dump never looks
# like a good backup.
pg_dump --format=custom --no-owner --no-privileges --file="$folder/hopluc-$stamp.dump.part" "$DATABASE_URL"
mv "$folder/hopluc-$stamp.dump.part" "$folder/hopluc-$stamp.dump"
echo "$folder/hopluc-$stamp.dump"
if [ -n "$MEDIA_ROOT" ] && [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$folder/hopluc-media-$stamp.tar.gz.part" .
  mv "$folder/hopluc-media-$stamp.tar.gz.part" "$folder/hopluc-media-$stamp.tar.gz"
  echo "$folder/hopluc-media-$stamp.tar.gz"
fi
