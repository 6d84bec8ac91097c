/**
 * The demo site from examples/: created on an empty database, so `npm start` has something to
 * talk to. Idempotent: an existing demo site only gains the example flows and KB entries it
 * lacks; nothing an owner edited is overwritten.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Flow, type KbEntry } from '../shared/flow.ts';
import { RuleInput } from '../shared/rules.ts';
import { OriginPattern, SiteSettings, Topic } from '../shared/site.ts';
import { parseKbMarkdown } from './conversation/kb-markdown.ts';
import type { Logger } from './logger.ts';
import type { Store } from './store/index.ts';

export const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));

const DemoSite = z.object({
  key: z.string(),
  name: z.string(),
  allowedOrigins: z.array(OriginPattern),
  /** never in examples/: the demo's secret is generated at seed time like any site's */
  identitySecret: z.string().min(32).optional(),
  settings: SiteSettings.partial().default({}),
});

const listFiles = (dir: string, ext: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort() : []);

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function loadExampleFlows(dir = join(EXAMPLES_DIR, 'flows')): Flow[] {
  return listFiles(dir, '.json').map((f) => {
    const parsed = Flow.safeParse(readJson(join(dir, f)));
    if (!parsed.success) throw new Error(`examples/flows/${f}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

export function loadExampleKb(dir = join(EXAMPLES_DIR, 'kb')): KbEntry[] {
  return listFiles(dir, '.md').map((f) => parseKbMarkdown(f.slice(0, -3), readFileSync(join(dir, f), 'utf8')));
}

function loadTopics(path = join(EXAMPLES_DIR, 'topics.json')): Topic[] {
  if (!existsSync(path)) return [];
  const raw = readJson(path);
  // topics.json may be a bare list or { topics: [...] }
  const list = Array.isArray(raw) ? raw : z.object({ topics: z.array(z.unknown()) }).parse(raw).topics;
  return z.array(Topic).parse(list);
}

/** examples/demo-rules.json: the demo site's routing rules, in order */
export function loadExampleRules(path = join(EXAMPLES_DIR, 'demo-rules.json')): RuleInput[] {
  if (!existsSync(path)) return [];
  return z.object({ rules: z.array(RuleInput) }).parse(readJson(path)).rules;
}

export interface SeedResult {
  createdSite: boolean;
  /** the demo site's id (null when the database holds other sites and no demo) */
  siteId: string | null;
  flows: number;
  kb: number;
}

export async function seedDemo(store: Store, log: Logger, examplesDir = EXAMPLES_DIR): Promise<SeedResult> {
  const demo = DemoSite.parse(readJson(join(examplesDir, 'demo-site.json')));
  return store.tx(async (): Promise<SeedResult> => {
    let site = await store.sites.getByKey(demo.key);
    let createdSite = false;
    if (!site) {
      // only an empty database gets the demo: a deployment that removed it keeps it removed
      if ((await store.sites.count()) > 0) return { createdSite: false, siteId: null, flows: 0, kb: 0 };
      const topics = loadTopics(join(examplesDir, 'topics.json'));
      site = await store.sites.create({
        key: demo.key,
        name: demo.name,
        allowedOrigins: demo.allowedOrigins,
        ...(demo.identitySecret ? { identitySecret: demo.identitySecret } : {}),
        settings: { ...demo.settings, ...(topics.length > 0 && !demo.settings.topics?.length ? { topics } : {}) },
      });
      createdSite = true;
    }
    const siteId = site.id;
    const haveFlows = await store.flows.list(siteId);
    const haveEntries = await store.kb.list(siteId);
    const have = new Set(haveFlows.map((f) => f.id));
    const newFlows = loadExampleFlows(join(examplesDir, 'flows')).filter((f) => !have.has(f.id));
    const haveKb = new Set(haveEntries.map((e) => e.id));
    const newKb = loadExampleKb(join(examplesDir, 'kb')).filter((e) => !haveKb.has(e.id));
    // one by one: a failed write must not leave others running on a transaction being rolled back
    for (const flow of newFlows) await store.flows.upsert(siteId, flow);
    for (const entry of newKb) await store.kb.upsert(siteId, entry);
    // rules come with a new demo site only: an owner who removed them keeps them removed
    if (createdSite) for (const rule of loadExampleRules(join(examplesDir, 'demo-rules.json'))) await store.respond.rules.create(siteId, rule);
    const flows = newFlows.length;
    const kb = newKb.length;
    if (createdSite || flows || kb) log.info({ site: demo.key, createdSite, flows, kb }, 'seeded the demo site');
    return { createdSite, siteId: site.id, flows, kb };
  });
}
