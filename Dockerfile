# Production image: builds with the dev tools, runs with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# The plugkit package is an npm workspace: its package.json is part of the install.
COPY package.json package-lock.json ./
COPY packages/plugkit/package.json packages/plugkit/
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev

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
USER node
EXPOSE 3333
CMD ["node", "dist/src/server.js"]
