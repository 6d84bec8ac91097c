#!/usr/bin/env node
/**
 * `npm start`: build the front-end files when any is missing, then run the server with tsx.
 * Works offline: the build and the server need no network and no API key.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const needed = ['dist/widget.js', 'dist/widget-panel.js', 'dist/admin/index.html'];
const missing = needed.filter((f) => !existsSync(join(root, f)));

if (missing.length > 0) {
  console.log(`parley: building the widget and admin page (missing ${missing.join(', ')})...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('parley: "npm run build" failed; see the output above.');
    process.exit(build.status ?? 1);
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, stdio: 'inherit' });
// pass Ctrl-C / a service manager's stop on to the server so it shuts down cleanly
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
