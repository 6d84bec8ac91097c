/**
 * A whole Parley server for a test: offline engine, its own temporary database, the demo site
 * without its history, logs off; `env` adds to (or overrides) that. `close()` stops the server
 * and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer, type ServerOverrides } from '../main.ts';

export async function startOfflineServer(
  name: string,
  options: ServerOverrides = {},
  env: Record<string, string> = {},
): Promise<{ server: RunningServer; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `parley-${name}-`));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PARLEY_DB: join(dir, 'parley.db'),
    PARLEY_LLM: 'offline',
    LOG_LEVEL: 'silent',
    PARLEY_DEMO_HISTORY: 'false',
    ...env,
  });
  try {
    const server = await startServer(config, options);
    return {
      server,
      close: async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
