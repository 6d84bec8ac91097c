/**
 * vitest globalSetup for the browser tests: make sure a Chromium binary and the built widget exist
 * before any test file starts, so failures say what is missing instead of timing out.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

const BUILT_FILES = ['dist/widget.js', 'dist/widget-panel.js', 'dist/admin/index.html'];

function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run "sudo apt-get update && sudo apt-get install -y chromium" and retry.`);
  }
  console.log(`[e2e] ${CHROMIUM_PATH} missing; running: apt-get update && apt-get install -y chromium`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`[e2e] "apt-get ${args.join(' ')}" failed (exit ${r.status}); install chromium by hand.`);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`[e2e] apt-get installed chromium but ${CHROMIUM_PATH} is still missing.`);
}

function ensureBuilt(): void {
  const missing = BUILT_FILES.filter((f) => !existsSync(join(REPO_ROOT, f)));
  if (missing.length === 0) return;
  console.log(`[e2e] ${missing.join(', ')} missing; running: npm run build`);
  execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export default function setup(): void {
  ensureChromium();
  ensureBuilt();
}
