#!/usr/bin/env bash
# The Dockerfile's runtime stage, rehearsed on this machine without an engine: what the image would hold
# (production dependencies only, `npm ci --omit=dev`, and every `COPY --from=build` of the Dockerfile, read from
# it) in a scratch folder, then the image's own commands run there under NODE_ENV=production: the server on
# SQLite and on PostgreSQL (with the HEALTHCHECK's command), the workbench at /, `cli audit verify` through the
# CLI's launcher, the secrets-init service. A runtime import that only a devDependency satisfies, or a file the
# image does not copy, fails here.
#
#   infra/image-rehearsal.sh           # needs `npm run build` first (dist/) and node_modules (better-sqlite3 built)
#
# One deviation from the image: better-sqlite3's native binary is copied from ./node_modules (the same version,
# built for the node running this script) instead of compiled again. DATABASE_URL names the PostgreSQL server
# (default: the local one, trust auth); a database of its own is created and dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
[ -f dist/apps/workflow-api/src/main.js ] || { echo "image-rehearsal: dist/ is missing: run npm run build first" >&2; exit 1; }

scratch="$(mktemp -d)"
server_pid=""
database="cbec_image_rehearsal_$$"
admin_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  node -e "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1]});c.connect().then(()=>c.query('DROP DATABASE IF EXISTS ' + process.argv[2] + ' WITH (FORCE)')).catch(()=>{}).finally(()=>c.end())" "$admin_url" "$database" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

echo "image-rehearsal: production dependencies into $scratch/app"
mkdir -p "$scratch/app" "$scratch/data" "$scratch/data-pg" "$scratch/secrets"
cp package.json package-lock.json "$scratch/app/"
(cd "$scratch/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
mkdir -p "$scratch/app/node_modules/better-sqlite3/build"
cp -r node_modules/better-sqlite3/build/Release "$scratch/app/node_modules/better-sqlite3/build/"

# Every `COPY --from=build /app/<path> ./<path>` of the Dockerfile, as the image copies it.
copies=0
while read -r from to; do
  mkdir -p "$(dirname "$scratch/app/$to")"
  cp -r "$root/$from" "$scratch/app/$to"
  copies=$((copies + 1))
done < <(sed -nE 's#^COPY --from=build /app/([^ ]+) \./([^ ]+)$#\1 \2#p' Dockerfile)
[ "$copies" -gt 0 ] || { echo "image-rehearsal: no COPY --from=build line read from the Dockerfile" >&2; exit 1; }
echo "image-rehearsal: $copies COPY --from=build lines copied"

healthcheck="$(sed -nE 's#^  CMD \["node", "-e", "(.*)"\]$#\1#p' Dockerfile)"
[ -n "$healthcheck" ] || { echo "image-rehearsal: no HEALTHCHECK command read from the Dockerfile" >&2; exit 1; }
server_cmd="$(sed -nE 's#^CMD \["node", "([^"]+)"\]$#\1#p' Dockerfile)"
[ -n "$server_cmd" ] || { echo "image-rehearsal: no CMD read from the Dockerfile" >&2; exit 1; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

cd "$scratch/app"
export NODE_ENV=production
# docker-compose.yml's secrets-init service: the shared token secret and audit key, once.
node infra/secrets/init-secrets.js "$scratch/secrets" >/dev/null
export CBEC_JWT_SECRET_FILE="$scratch/secrets/jwt-secret" CBEC_AUDIT_KEY_FILE="$scratch/secrets/audit-signing-key.pem"

# The image's CMD until its HEALTHCHECK passes (30 s, as the check's start period), then the workbench at /.
serve() {
  local label="$1" port
  port="$(free_port)"
  PORT="$port" node "$server_cmd" >"$scratch/server-$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 60); do
    if PORT="$port" node -e "$healthcheck"; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/server-$label.log" >&2; echo "image-rehearsal: the server ($label) exited" >&2; exit 1; }
    sleep 0.5
  done
  PORT="$port" node -e "$healthcheck" || { cat "$scratch/server-$label.log" >&2; echo "image-rehearsal: HEALTHCHECK failed ($label)" >&2; exit 1; }
  node -e "fetch('http://127.0.0.1:$port/').then(async (r) => { const t = await r.text(); process.exit(r.ok && /<html/i.test(t) ? 0 : 1) }, () => process.exit(1))" ||
    { echo "image-rehearsal: the workbench is not served at / ($label)" >&2; exit 1; }
  echo "image-rehearsal: $label: HEALTHCHECK passed, the workbench served at /"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

CBEC_DATA_DIR="$scratch/data" serve sqlite
CBEC_DATA_DIR="$scratch/data" node apps/cli/launch.js audit verify >"$scratch/verify-sqlite.json"
grep -q '"ok": true' "$scratch/verify-sqlite.json" || { cat "$scratch/verify-sqlite.json" >&2; exit 1; }

node -e "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1]});c.connect().then(()=>c.query('CREATE DATABASE ' + process.argv[2])).then(()=>c.end(),(e)=>{console.error('image-rehearsal: cannot create a database on ' + process.argv[1] + ': ' + e.message);process.exit(1)})" "$admin_url" "$database"
pg_url="$(node -e "const u=new URL(process.argv[1]);u.pathname='/'+process.argv[2];console.log(u.toString())" "$admin_url" "$database")"
DATABASE_URL="$pg_url" CBEC_DATA_DIR="$scratch/data-pg" serve postgresql
DATABASE_URL="$pg_url" CBEC_DATA_DIR="$scratch/data-pg" node apps/cli/launch.js audit verify >"$scratch/verify-pg.json"
grep -q '"ok": true' "$scratch/verify-pg.json" || { cat "$scratch/verify-pg.json" >&2; exit 1; }
echo "image-rehearsal: audit verify clean on SQLite and PostgreSQL through the image's CLI launcher"
echo "image-rehearsal: the runtime stage holds what the server, the workbench, the CLI and secrets-init need"
