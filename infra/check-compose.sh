#!/usr/bin/env bash
# Checks docker-compose.yml the way Compose reads it (`docker compose config`: syntax, references, anchors),
# without an engine. Prints a skip line when no Compose is installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  docker compose config --quiet
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose config --quiet
elif [ "${CI:-}" = "true" ]; then
  # .ci/run installs Debian's docker-compose: a CI run that cannot check the file fails rather than skip it.
  echo "check-compose: neither \`docker compose\` nor \`docker-compose\` is installed (apt-get install docker-compose)" >&2
  exit 1
else
  echo "SKIPPED: docker-compose.yml not checked: neither \`docker compose\` nor \`docker-compose\` is installed here (apt-get install docker-compose)"
  exit 0
fi
echo "docker-compose.yml: valid"
