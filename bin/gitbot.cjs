#!/usr/bin/env node
// The `gitbot` command: runs the bundled CLI, which `npm run build` (or `npm start`) produces.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write('gitbot: the app is not built yet; run "npm run build" first\n');
  process.exit(1);
}
require(entry);
