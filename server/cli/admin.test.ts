import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { runAdminCli } from './admin.ts';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('npm run admin', () => {
  it('creates an account and lists it; a second create with that email is refused', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const env = { PARLEY_DB: join(dir, 'p.db') };
    const out: string[] = [];
    const say = (l: string) => out.push(l);
    expect(await runAdminCli(['create', '--email', 'Boss@Acme.test', '--password', 'long-enough-1', '--role', 'owner'], env, say)).toBe(0);
    expect(await runAdminCli(['create', '--email', 'ana@acme.test', '--password', 'long-enough-2', '--role', 'agent', '--name', 'Ana'], env, say)).toBe(0);
    expect(await runAdminCli(['list'], env, say)).toBe(0);
    expect(out).toContain('boss@acme.test\towner\tboss');
    expect(out).toContain('ana@acme.test\tagent\tAna');
    await expect(runAdminCli(['create', '--email', 'boss@acme.test', '--password', 'long-enough-3'], env, say)).rejects.toBeInstanceOf(AppError);
  });

  it('refuses a short password and a bad role with a message', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const env = { PARLEY_DB: join(dir, 'p.db') };
    const out: string[] = [];
    expect(await runAdminCli(['create', '--email', 'a@b.test', '--password', 'short'], env, (l) => out.push(l))).toBe(2);
    expect(out.join('\n')).toMatch(/--password: at least 8/);
    expect(await runAdminCli(['create', '--email', 'a@b.test', '--password', 'long-enough', '--role', 'god'], env, (l) => out.push(l))).toBe(2);
    expect(out.join('\n')).toMatch(/--role/);
  });
});
