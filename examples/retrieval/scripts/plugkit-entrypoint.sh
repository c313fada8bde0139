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
  # setpriv keeps the environment: HOME would still be root's (npx writes its cache there).
  export HOME=/home/node
  exec setpriv --reuid=node --regid=node --init-groups --inh-caps=-all --no-new-privs -- "$@"
fi
exec "$@"
