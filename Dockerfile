# Production image: built with the dev tools, run with production dependencies only, as the
# unprivileged `node` user. The build stage runs the same three steps as Heroku's Node.js
# buildpack (install, `npm run build`, prune devDependencies).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# Dependencies first, so that a code change does not reinstall them. The plugkit package is an
# npm workspace: its package.json is part of the install.
COPY package.json package-lock.json ./
COPY packages/plugkit/package.json packages/plugkit/
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages/plugkit/package.json ./packages/plugkit/package.json
COPY --from=build /app/packages/plugkit/dist ./packages/plugkit/dist
COPY --from=build /app/packages/plugkit/bin ./packages/plugkit/bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/generated ./generated
COPY --from=build /app/assets ./assets
COPY package.json ./
COPY scripts/plugkit-entrypoint.sh /usr/local/bin/plugkit-entrypoint
# A SQLite file lives in /app/data by default, or on a volume at /data (Fly.io): both belong to
# `node`. Platforms mount volumes owned by root, so the entrypoint hands /data to `node` at each
# start, then runs the command as `node` (never as root).
RUN chmod 755 /usr/local/bin/plugkit-entrypoint && mkdir -p /app/data /data && chown node:node /app/data /data
EXPOSE 3333
ENTRYPOINT ["plugkit-entrypoint"]
CMD ["node", "dist/src/server.js"]
