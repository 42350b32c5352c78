// Stands in for an editor in e2e: GITBOT_EDITOR="node record-editor.cjs {path}:{line}" appends the
// arguments it was started with to editor-launches.ndjson in the core's data folder (inherited
// GITBOT_DATA_DIR), one line per launch.
const { appendFileSync } = require('node:fs');
const { join } = require('node:path');
appendFileSync(join(process.env.GITBOT_DATA_DIR, 'editor-launches.ndjson'), `${JSON.stringify(process.argv.slice(2))}\n`);
