#!/usr/bin/env bash
# The set-up-and-run command (`npm start`): installs, builds the plugin into dist/, starts the engine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node22.sh
ensure_dependencies
npm run build

export INTELOPS_DATA_DIR="${INTELOPS_DATA_DIR:-$PWD/data}"
if [ -z "${INTELOPS_TOKEN:-}" ] && [ -z "${INTELOPS_TOKEN_FILE:-}" ] && [ -z "${DATABASE_URL:-}${INTELOPS_CONFIG:-}" ]; then
  # A first run gets a random API token kept beside the data, so restarts keep working.
  mkdir -p "$INTELOPS_DATA_DIR"
  export INTELOPS_TOKEN_FILE="$INTELOPS_DATA_DIR/token"
  if [ ! -s "$INTELOPS_TOKEN_FILE" ]; then
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("base64url"))' > "$INTELOPS_TOKEN_FILE")
  fi
  echo "Engine API token: in $INTELOPS_TOKEN_FILE (put it in the IntelOps datasource settings in Grafana)" >&2
fi
cat >&2 <<MSG
Plugin built into $PWD/dist: point Grafana's plugins folder at it (or mount it at
/var/lib/grafana/plugins/intelops-aiops-app) and allow the unsigned IDs, see README.md.
Starting the engine on port ${INTELOPS_PORT:-8686} ...
MSG
exec npm run engine
