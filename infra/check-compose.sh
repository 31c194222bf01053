#!/usr/bin/env bash
# Checks docker-compose.yml the way Compose reads it (`docker compose config`: syntax, references, anchors),
# without an engine. Prints a skip line when no Compose is installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  docker compose config --quiet
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose config --quiet
else
  echo "SKIPPED: docker-compose.yml not checked: neither \`docker compose\` nor \`docker-compose\` is installed here"
  exit 0
fi
echo "docker-compose.yml: valid"
