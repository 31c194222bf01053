# syntax=docker/dockerfile:1
# The workflow server (and, with another command, the reporting consumer and the CLI) on Node 24 LTS.
#   docker build -t cbec-awards .
#   docker run -e DATABASE_URL=postgres://… -v cbec-data:/data -p 3000:3000 cbec-awards
# docker-compose.yml runs it with PostgreSQL, Kafka, three servers behind a proxy and the reporting consumer.

# ---- build: every dependency, then the server (swc) and the workbench (Vite)
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles here when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
# `npm ci` runs the package's `prepare` script: the build.
RUN npm ci --no-audit --no-fund

# ---- runtime: production dependencies only, the build output, non-root
FROM node:24.22.3-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    CBEC_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts skips the package's own `prepare` (the build, done above); better-sqlite3's install script
# is then run alone, with a compiler at hand only for this step.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* /root/.npm
COPY --from=build /app/dist ./dist
# The built-in working-day calendar and the CLI's launcher are read at run time.
COPY --from=build /app/infra/data ./infra/data
COPY --from=build /app/apps/cli/launch.js ./apps/cli/launch.js
# docker-compose.yml's one-shot service that creates the servers' shared secrets in the `secrets` volume.
COPY --from=build /app/infra/secrets ./infra/secrets
RUN mkdir -p /data /secrets && chown node:node /data /secrets
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/workflow-api/src/main.js"]
