# syntax=docker/dockerfile:1
#
# runbridge container image.
#
#   docker build -t runbridge:dev .
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp \
#     -v "$PWD/config.yaml:/etc/runbridge/config.yaml:ro" runbridge:dev
#
# Three stages: `build` compiles the TypeScript sources to dist/ with the full (dev) dependency
# tree; `deps` installs the production dependencies only; the final stage copies dist/, the
# production node_modules, the shipped templates and the example configurations onto a distroless
# Node 24 image: node and its libraries, no shell, no npm, no apt or dpkg. It runs as a numeric
# non-root user, needs nothing writable but /tmp and the state directory (mount both; the Helm chart
# uses emptyDirs), and runs node itself as PID 1 so that SIGTERM reaches runbridge's graceful
# shutdown.
#
# Every base is pinned by digest: a tag can be moved to other content, a digest cannot. To update,
# pick the new tag and write its digest beside it (README, "Updating the base images"):
#   docker buildx imagetools inspect node:24.20.0-bookworm-slim --format '{{json .Manifest.Digest}}'
#   docker buildx imagetools inspect gcr.io/distroless/nodejs24-debian12:nonroot --format '{{json .Manifest.Digest}}'
#
# The configuration is mounted at /etc/runbridge/config.yaml; webhook secrets come from files or
# environment variables named in it. No secret is in the image: the quickstart's sample secret is
# left out (.dockerignore, and only examples/*.yaml are copied). See docs/deployment.md.

ARG NODE_IMAGE=node:24.20.0-bookworm-slim@sha256:ba849c60be29959425b8734d57b8b4b7d56f98edd9504c9af091d5281095a71e
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot@sha256:14d42e2511532589a7c7e01a753667a74fcc96266e137e8125006b87b0c32d0a

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` dev dependency (an npm-packaged Node binary, for local development)
# would download a second Node; the image's own node compiles. Remove its bin link so that
# `npm run build` finds the image's node on PATH.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && rm -f node_modules/.bin/node
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && test ! -e node_modules/node \
 && test ! -e node_modules/typescript

FROM ${RUNTIME_IMAGE} AS runtime
LABEL org.opencontainers.image.title="runbridge" \
      org.opencontainers.image.description="Turns Git webhooks, cron ticks and run-completion events into Kubernetes run objects" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/runbridge/runbridge"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY templates ./templates
COPY examples/*.yaml ./examples/
# 65532: no entry in /etc/passwd is needed; Kubernetes' runAsNonRoot can check a numeric USER.
USER 65532:65532
# 8080: the public listener (webhooks, health); 8081: the internal one (/status, /metrics,
# completions, API), on loopback unless server.internalHost opens it.
EXPOSE 8080
EXPOSE 8081
# --max-semi-space-size=16: V8's young generation is at most 3 × 16 MiB, Node's default for a
# 2 GiB memory limit, whatever the host's memory. Without a limit V8 sizes it from the host (64 MiB
# semi-spaces on a large node), and loading a large configuration then leaves ~100 MiB more
# resident for good. See docs/operations.md (memory).
ENTRYPOINT ["/nodejs/bin/node", "--enable-source-maps", "--max-semi-space-size=16", "dist/cli.js"]
CMD ["serve", "--config", "/etc/runbridge/config.yaml"]
