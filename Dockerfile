# syntax=docker/dockerfile:1
# StatefulSet Playground: Next.js standalone server + the embedded cluster's launcher, non-root,
# read-only root filesystem. Build and run (the embedded cluster, its state in a volume):
#   docker build -t statefulset-playground .
#   docker run --read-only --tmpfs /tmp --tmpfs /app/.next/cache -p 3000:3000 -v playground-data:/data \
#     -e PLAYGROUND_TOKEN=$(openssl rand -hex 16) statefulset-playground
# In a cluster (real-cluster mode through the pod's ServiceAccount): kubectl apply -k deploy/
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Every dependency (the build needs TypeScript, Tailwind, esbuild…).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. next build (output: "standalone": the server with only the production dependencies it uses),
#    then scripts/standalone.ts adds the static assets and bundles the launcher into playground.mjs.
FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npx next build && npx tsx scripts/standalone.ts

# 3. The runtime: nothing but Node.js and .next/standalone (no package managers, no sources, no dev dependencies).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    PLAYGROUND_DATA_DIR=/data
WORKDIR /app
# Owned by root, read-only for the user that runs it: the process cannot change its own code.
COPY --from=build --chown=0:0 /src/.next/standalone ./
# The embedded cluster's state (objects, volume contents, kubeconfig) lives in /data, a volume.
RUN mkdir -p /data && chown 10001:10001 /data && chmod 0700 /data \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
           /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg
VOLUME ["/data"]
USER 10001:10001
EXPOSE 3000
# Binding beyond loopback requires PLAYGROUND_TOKEN: the launcher refuses to start without it.
# The health route answers without the token and reveals nothing (lib/kube/healthz.ts).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "playground.mjs", "--server", "server.js"]
