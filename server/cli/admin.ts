/**
 * Admin accounts from the command line:
 *   npm run admin -- create --email E --password P [--role owner|agent] [--name N]
 *   npm run admin -- list
 * Uses the database at PARLEY_DB (default ./data/parley.db), migrating it if needed.
 */
import { parseArgs } from 'node:util';
import { UserCreateBody } from '../../shared/admin-api.ts';
import { AppError } from '../../shared/errors.ts';
import { createAccountService } from '../auth/accounts.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openDb } from '../store/db.ts';
import { createStore } from '../store/index.ts';

const USAGE = `usage:
  npm run admin -- create --email E --password P [--role owner|agent] [--name N]
  npm run admin -- list`;

export async function runAdminCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
  });
  const command = positionals[0];
  if (command !== 'create' && command !== 'list') {
    out(USAGE);
    return 2;
  }
  const db = openDb(loadConfig(env).dbPath);
  try {
    const store = createStore(db);
    const accounts = createAccountService({ users: store.admin.users, sessions: store.admin.sessions, audit: store.admin.audit, tx: store.tx });
    if (command === 'list') {
      for (const u of await accounts.list()) out(`${u.email}\t${u.role}\t${u.name}${u.disabled ? '\tdisabled' : ''}`);
      return 0;
    }
    const parsed = UserCreateBody.safeParse({ email: values.email, password: values.password, name: values.name, role: values.role ?? 'owner' });
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      out(`invalid --${String(i?.path[0] ?? 'input')}: ${i?.message ?? 'invalid'}\n${USAGE}`);
      return 2;
    }
    const user = await accounts.create(parsed.data, null);
    out(`created ${user.role} ${user.email}`);
    return 0;
  } finally {
    db.close();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain) {
  runAdminCli(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof AppError || err instanceof ConfigError || (err instanceof TypeError && 'code' in err)) {
        console.error(err.message);
        process.exit(2);
      }
      console.error(err);
      process.exit(1);
    },
  );
}
