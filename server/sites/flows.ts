import type { FlowDetail, FlowSummary } from '../../shared/admin-api.ts';
import { AppError } from '../../shared/errors.ts';
import { Flow } from '../../shared/flow.ts';
import type { Actor } from '../auth/accounts.ts';
import type { Store } from '../store/index.ts';
import { lineOfPath, syntaxErrorLine, valueLines } from './json-lines.ts';

type Issue = { path: string; message: string; line?: number };

function invalid(issues: Issue[]): AppError {
  const first = issues[0];
  const where = first?.line !== undefined ? `line ${first.line}: ` : '';
  return new AppError('invalid_payload', first ? `${where}${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid flow', { issues });
}

/** Parse a flow from the editor's JSON text; errors carry the line they are on. */
export function parseFlowJson(text: string): Flow {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const line = syntaxErrorLine(text, err);
    throw invalid([{ path: '', message: `not valid JSON (${err instanceof Error ? err.message : 'syntax error'})`, ...(line ? { line } : {}) }]);
  }
  const r = Flow.safeParse(raw);
  if (r.success) return r.data;
  const lines = valueLines(text);
  throw invalid(
    r.error.issues.map((i) => {
      const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
      return { path: path.join('.'), message: i.message, line: lineOfPath(lines, path) };
    }),
  );
}

const detail = (flow: Flow): FlowDetail => ({ flow, json: JSON.stringify(flow, null, 2) });

/** A site's flows as the JSON editor sees them. */
export function createFlowAdminService(store: Store) {
  const { audit } = store.admin;
  const siteOrThrow = async (siteId: string) => {
    const site = await store.sites.getById(siteId);
    if (!site) throw new AppError('not_found', 'No such site.');
    return site;
  };

  return {
    async list(siteId: string): Promise<FlowSummary[]> {
      await siteOrThrow(siteId);
      return (await store.flows.list(siteId)).map((f) => ({ id: f.id, kind: f.kind, name: f.name }));
    },
    async get(siteId: string, flowId: string): Promise<FlowDetail> {
      await siteOrThrow(siteId);
      const flow = await store.flows.get(siteId, flowId);
      if (!flow) throw new AppError('not_found', 'No such flow.');
      return detail(flow);
    },
    async save(siteId: string, flowId: string, json: string, actor: Actor): Promise<FlowDetail> {
      await siteOrThrow(siteId);
      const flow = parseFlowJson(json);
      if (flow.id !== flowId) {
        const line = lineOfPath(valueLines(json), ['id']);
        throw invalid([{ path: 'id', message: `must be "${flowId}", the flow being saved`, line }]);
      }
      const saved = await store.flows.upsert(siteId, flow);
      await audit.log({ actorId: actor.id, actor: actor.email, action: 'flow.save', target: `${siteId}/${flowId}` });
      return detail(saved);
    },
    async remove(siteId: string, flowId: string, actor: Actor): Promise<void> {
      // the default-flow check and the delete share one transaction
      await store.tx(async () => {
        const site = await siteOrThrow(siteId);
        if (site.settings.defaultFlow === flowId) throw new AppError('conflict', 'This is the site\'s default flow; choose another default first.');
        if (!(await store.flows.remove(siteId, flowId))) throw new AppError('not_found', 'No such flow.');
        await audit.log({ actorId: actor.id, actor: actor.email, action: 'flow.delete', target: `${siteId}/${flowId}` });
      });
    },
  };
}
export type FlowAdminService = ReturnType<typeof createFlowAdminService>;
