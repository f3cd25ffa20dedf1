#!/usr/bin/env node
// Vendored by Skene — regenerate with `npx skene init`.
// `npx skene ...` in this project: no `skene` package exists on the npm registry, so this launcher (the `bin` of
// the vendored @skene/sdk) runs the CLI that ships inside the Skene extension of VS Code or Cursor.
// Where it looks, first match wins:
//   1. SKENE_CLI: a path to cli.js (the extension sets it in its integrated terminals, Cursor's agent included);
//   2. the newest skene.skene-django-* extension in the usual extension folders of VS Code, Cursor and code-server.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const EXTENSION_PREFIX = 'skene.skene-django-';
const EXTENSION_FOLDERS = ['.vscode/extensions', '.cursor/extensions', '.vscode-server/extensions', '.cursor-server/extensions',
  '.vscode-insiders/extensions', '.local/share/code-server/extensions'];

function versionOf(folder) {
  return folder.slice(EXTENSION_PREFIX.length).split('.').map((part) => Number.parseInt(part, 10) || 0);
}

function newer(a, b) {
  const [va, vb] = [versionOf(a), versionOf(b)];
  for (let i = 0; i < Math.max(va.length, vb.length); i++) if ((va[i] || 0) !== (vb[i] || 0)) return (va[i] || 0) > (vb[i] || 0);
  return false;
}

function findInstalledCli(home) {
  let best = null;
  for (const folder of EXTENSION_FOLDERS) {
    const dir = path.join(home, folder);
    let entries = [];
    try { entries = fs.readdirSync(dir); } catch { continue; }
    for (const entry of entries) {
      const cli = path.join(dir, entry, 'dist', 'cli.js');
      if (entry.startsWith(EXTENSION_PREFIX) && fs.existsSync(cli) && (!best || newer(entry, best.entry))) best = { entry, cli };
    }
  }
  return best && best.cli;
}

const cli = process.env.SKENE_CLI || findInstalledCli(os.homedir());
if (!cli || !fs.existsSync(cli)) {
  process.stderr.write('skene: the Skene CLI ships inside the "Skene for Django" extension, which was not found.\n' +
    'Install the extension in VS Code or Cursor, or set SKENE_CLI to the path of its dist/cli.js.\n');
  process.exit(2);
}
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status === null ? 2 : run.status);
