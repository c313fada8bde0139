#!/bin/sh
# The image's entrypoint: runs its command as the unprivileged `node` user. Started as root (as
# containers are), it first hands the data directories to `node`, since platforms mount volumes
# (Fly.io's at /data) owned by root, then drops to `node` with setpriv (util-linux). Started as
# any other user, it runs the command as that user. Use it for one-off commands too, so files
# they create belong to `node`: `plugkit-entrypoint npx plugkit accounts create alice`.
set -eu
if [ "$(id -u)" = "0" ]; then
  for dir in /data /app/data; do
    if [ -d "$dir" ]; then chown node:node "$dir"; fi
  done
  exec setpriv --reuid=node --regid=node --init-groups -- "$@"
fi
exec "$@"
