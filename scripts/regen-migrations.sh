#!/usr/bin/env bash
# Until the first release no migration has been applied anywhere, so the initial migration is
# regenerated from the schema. After the first release: `npm run db:generate` adds a new one instead.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/amtsblatt-regen.lock
flock 9
rm -rf drizzle
PATH="$PWD/node_modules/.bin:$PATH" npx drizzle-kit generate --name init >/dev/null
echo "drizzle/ regenerated"
