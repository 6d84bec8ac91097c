/** The demo knowledge base in examples/kb, as entries (used by the demo seed and by tests). */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KbEntry } from '../../shared/flow.ts';
import { parseKbMarkdown } from './kb-markdown.ts';

export const EXAMPLE_KB_DIR = fileURLToPath(new URL('../../examples/kb/', import.meta.url));

export function loadKbDir(dir: string = EXAMPLE_KB_DIR): KbEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseKbMarkdown(basename(f, '.md'), readFileSync(join(dir, f), 'utf8')));
}
