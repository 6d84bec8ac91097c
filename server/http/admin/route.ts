import type { Request, RequestHandler, Response } from 'express';
import type { Access, Caller } from './guard.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One admin route. The router applies `access` before `handle` runs; `handle` returns the
 * success body (sent as `{ ok: true, ...body }`) or undefined when it answered itself (streams).
 */
export interface RouteDef {
  method: Method;
  path: string;
  access: Exclude<Access, 'public'>;
  before?: RequestHandler[];
  handle: (req: Request, res: Response, caller: Caller) => object | undefined | Promise<object | undefined>;
}

/** a public route gets no caller */
export interface PublicRouteDef extends Omit<RouteDef, 'handle' | 'access'> {
  access: 'public';
  handle: (req: Request, res: Response) => object | undefined | Promise<object | undefined>;
}

export type AnyRoute = RouteDef | PublicRouteDef;
