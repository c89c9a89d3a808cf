# syntax=docker/dockerfile:1
# The Veriscan chaincode server (chaincode-as-a-service): the same `fabric-chaincode-node server` the devnet
# and the native network run, in a container for docker-compose.yaml or an org's own host.
# Build from the repository root:  docker build -f network/fabric/docker/chaincode.Dockerfile -t veriscan/chaincode-server:0.1.0 .
# Run: CORE_CHAINCODE_ADDRESS=0.0.0.0:<port>, CORE_CHAINCODE_ID=<package id installed on the org's peer>,
#      CORE_PEER_LOCALMSPID=<org MSP id> (fabric-shim reads CORE_* as its options).

ARG NODE_IMAGE=node:20.20-bookworm-slim

# --- build: compile the chaincode and the pure packages it imports with the root's TypeScript ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Every workspace manifest, so `npm ci` sees the lockfile's whole workspace set.
COPY package.json package-lock.json tsconfig.base.json ./
COPY protocol/package.json protocol/
COPY ledger-api/package.json ledger-api/
COPY fabric-kit/package.json fabric-kit/
COPY chaincode/package.json chaincode/
COPY network/devnet/package.json network/devnet/
COPY network/fabric/package.json network/fabric/
COPY inference-lab/package.json inference-lab/
COPY gateway-app/package.json gateway-app/
RUN npm ci --workspace protocol --workspace ledger-api --workspace fabric-kit --workspace chaincode --include-workspace-root --ignore-scripts --no-audit --no-fund
COPY protocol/ protocol/
COPY ledger-api/ ledger-api/
COPY fabric-kit/ fabric-kit/
COPY chaincode/ chaincode/
RUN npx tsc -b protocol ledger-api fabric-kit chaincode

# --- runtime: production dependencies and compiled output only, as the unprivileged `node` user ---
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY ledger-api/package.json ledger-api/
COPY fabric-kit/package.json fabric-kit/
COPY chaincode/package.json chaincode/
COPY network/devnet/package.json network/devnet/
COPY network/fabric/package.json network/fabric/
COPY inference-lab/package.json inference-lab/
COPY gateway-app/package.json gateway-app/
RUN npm ci --omit=dev --workspace protocol --workspace ledger-api --workspace fabric-kit --workspace chaincode --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/protocol/dist protocol/dist
COPY --from=build /app/ledger-api/dist ledger-api/dist
COPY --from=build /app/fabric-kit/dist fabric-kit/dist
COPY --from=build /app/chaincode/dist chaincode/dist
USER node
# fabric-chaincode-node loads the contracts from package.json's `main` in its working directory.
WORKDIR /app/chaincode
EXPOSE 19997 19998 19999
ENTRYPOINT ["node", "/app/node_modules/fabric-shim/cli.js", "server"]
