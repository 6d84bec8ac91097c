import type { Identity } from '../bridge.ts';
import { EVENTS, type Handler, type Widget, type WidgetEvent } from './widget.ts';

/** The public window.Parley: callable as Parley('open') and as Parley.open(). */
export interface ParleyApi {
  (method: string, ...args: unknown[]): unknown;
  open(): void;
  close(): void;
  start(flowId: string): void;
  identify(identity: Identity): Promise<unknown>;
  on(event: WidgetEvent, fn: Handler): () => void;
  /** marks the real API, so a second copy of widget.js does not install twice */
  loaded: true;
}

/** Calls made before widget.js loaded: [name, args] from method stubs, or `arguments` of Parley('name', ...). */
export type QueuedCall = [string, unknown[]] | ArrayLike<unknown>;

const misuse = (what: string) => new Error(`Parley: ${what}`);

/** Builds window.Parley. API misuse throws a clear Error; nothing else throws into the host page. */
export function createApi(widget: Widget): ParleyApi {
  const methods = {
    open: () => widget.open(),
    close: () => widget.close(),
    start(flowId: unknown) {
      if (typeof flowId !== 'string' || !flowId) throw misuse('start(flowId): flowId must be a non-empty string');
      widget.start(flowId);
    },
    identify(identity: unknown) {
      const i = identity as Partial<Identity> | null;
      if (!i || typeof i !== 'object' || typeof i.id !== 'string' || !i.id)
        throw misuse('identify({ id }): id must be a string');
      for (const k of ['name', 'email', 'userHash'] as const)
        if (i[k] !== undefined && typeof i[k] !== 'string') throw misuse(`identify(): ${k} must be a string`);
      return widget.identify({ id: i.id, name: i.name, email: i.email, userHash: i.userHash });
    },
    on(event: unknown, fn: unknown) {
      if (!EVENTS.includes(event as WidgetEvent)) throw misuse(`on(): unknown event ${String(event)}; one of ${EVENTS}`);
      if (typeof fn !== 'function') throw misuse('on(event, fn): fn must be a function');
      return widget.on(event as WidgetEvent, fn as Handler);
    },
  };
  type Name = keyof typeof methods;
  const call = (name: unknown, args: unknown[]): unknown => {
    // hasOwnProperty rather than Object.hasOwn: Safari before 15.4 lacks the latter
    if (typeof name !== 'string' || !methods.hasOwnProperty(name)) throw misuse(`unknown method ${String(name)}`);
    return (methods[name as Name] as (...a: unknown[]) => unknown)(...args);
  };
  return Object.assign((name: string, ...args: unknown[]) => call(name, args), methods, { loaded: true as const });
}

/** Replays queued calls in order; a bad queued call is reported, not thrown (the page already ran on). */
export function replay(api: ParleyApi, queue: unknown): void {
  if (!Array.isArray(queue)) return;
  for (const item of queue as QueuedCall[]) {
    try {
      if (Array.isArray(item)) api(item[0] as string, ...(Array.isArray(item[1]) ? item[1] : []));
      else {
        const [name, ...args] = Array.from(item);
        api(name as string, ...args);
      }
    } catch (e) {
      console.error(e);
    }
  }
}
