'use strict';
// `npm run cli` runs this file: the CLI itself is the compiled dist/apps/cli/src/main.js, which exists only
// after `npm run build`. Without it node would print a module-not-found stack; this says what to do instead,
// in the CLI's frame (one JSON line on stderr, exit 2: docs/api.md).
const { existsSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '../..');
const entry = join(root, 'dist/apps/cli/src/main.js');

if (existsSync(entry)) {
  require(entry);
} else {
  const error = `the CLI is not built (${relative(process.cwd(), entry) || entry} is missing): run \`npm run build\` first`;
  process.stderr.write(JSON.stringify({ error }) + '\n');
  process.exitCode = 2;
}
