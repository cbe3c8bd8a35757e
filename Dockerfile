# kubepath in a container: `docker compose up` uses it to export a mounted input into Neo4j,
# and examples/in-cluster/cronjob.yaml runs it to snapshot a cluster from inside.
FROM node:20-slim AS build
WORKDIR /kubepath
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin bin
COPY src src
RUN npm ci && npm prune --omit=dev

FROM node:20-slim
WORKDIR /kubepath
COPY --from=build /kubepath/package.json ./
COPY --from=build /kubepath/node_modules node_modules
COPY --from=build /kubepath/dist dist
COPY --from=build /kubepath/bin bin
COPY viewer viewer
COPY queries queries
USER node
ENTRYPOINT ["node", "/kubepath/bin/run.js"]
