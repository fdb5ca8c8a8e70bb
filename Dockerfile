# syntax=docker/dockerfile:1
# Herald: one image for the api, the delivery worker and the one-shot migration.
#   api:     the default command (`npm start`; set HERALD_WORKER=off when workers run separately)
#   worker:  node apps/cli/bin/herald.js worker
#   migrate: node apps/cli/bin/herald.js migrate
# The image runs JavaScript compiled from the TypeScript in the build stage (scripts/build.mjs);
# Node.js 24 LTS.

# ---- production dependencies: only the manifests, so source edits keep this layer cached ----
FROM node:24-slim AS deps
WORKDIR /app
# Analytics postinstall of swagger-ui-dist's dependency; the build has nothing to report.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/cli/package.json apps/cli/
COPY apps/console/package.json apps/console/
COPY apps/worker/package.json apps/worker/
COPY packages/contract/package.json packages/contract/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/delivery/package.json packages/delivery/
COPY packages/sdk/package.json packages/sdk/
COPY packages/stripe-sim/package.json packages/stripe-sim/
COPY packages/teams-sim/package.json packages/teams-sim/
# The test workspace is listed in package.json; npm ci needs its manifest, not its files.
COPY test/package.json test/
# Applied by the postinstall step: a guard in postgres.js for a write to a closed socket. The
# postinstall's build step finds no build tools in a production install and compiles nothing.
COPY patches ./patches
COPY scripts/build.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- build: every dependency (the compiler is a dev dependency), then the sources, compiled ----
FROM deps AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json ./
COPY apps ./apps
COPY packages ./packages
RUN node scripts/build.mjs

# ---- runtime: compiled workspaces over the production dependencies, as the unprivileged node user ----
FROM node:24-slim AS runtime
# NODE_COMPILE_CACHE: Node keeps the code it compiled for the next start (a faster cold start);
# `npm start` outside the image keeps it in node_modules/.cache instead (apps/api/src/main.ts).
ENV NODE_ENV=production \
    PORT=3000 \
    HERALD_DATA_DIR=/data \
    NODE_COMPILE_CACHE=/tmp/herald-compile-cache
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/apps ./apps
COPY --from=build /app/packages ./packages
COPY package.json package-lock.json ./
COPY db ./db
# The embedded database (used when DATABASE_URL is unset) and its generated secret live in /data.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# What `npm start` runs, without npm in between (so SIGTERM reaches Herald and it drains). The V8
# flags are the README's (Performance): the embedded database's WebAssembly compiled once, without
# a second optimised copy, and a smaller young generation; together they halve the peak RSS.
CMD ["node", "--liftoff-only", "--max-semi-space-size=8", "apps/api/dist/main.js"]
