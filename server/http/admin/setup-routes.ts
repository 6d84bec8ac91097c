import type { SetupStatus } from '../../../shared/admin-api.ts';
import { SetupBody } from '../../../shared/admin-api.ts';
import type { AdminServices } from './compose.ts';
import { DEFAULT_LOGIN_LIMITS, loginLimiters } from './login-limits.ts';
import { parse } from './parse.ts';
import type { PublicRouteDef } from './route.ts';
import { startSession } from './session-info.ts';

/**
 * First-run setup: a fresh install has no account, so the page asks whether to offer "create the
 * owner" and then creates that one account. Public like login, and only while no account exists.
 */
export function setupRoutes(svc: AdminServices): PublicRouteDef[] {
  return [
    {
      method: 'get',
      path: '/setup',
      access: 'public',
      handle: async (): Promise<SetupStatus> => ({ setupRequired: await svc.accounts.setupRequired() }),
    },
    {
      method: 'post',
      path: '/setup',
      access: 'public',
      // refused attempts count like failed sign-ins, so probing a set-up server is slowed too
      before: loginLimiters(svc.opts.loginLimits ?? DEFAULT_LOGIN_LIMITS, 'setup'),
      async handle(req, res) {
        const body = parse(SetupBody, req.body);
        const user = await svc.accounts.createFirstOwner(body);
        svc.log.info({ email: user.email }, 'created the first admin (owner) from the setup page');
        return startSession(svc.sessions, user, req, res);
      },
    },
  ];
}
