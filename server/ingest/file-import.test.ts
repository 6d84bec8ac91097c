import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationPage } from '../../shared/admin-api.ts';
import type { ImportPreview, ImportView } from '../../shared/feedback.ts';
import { detectDelimiter, parseCsv, parseJsonFile } from './file-parse.ts';
import { ingestKit, type IngestKit } from './test-kit.ts';

let kit: IngestKit;
afterEach(async () => kit?.close());

// An app-store style export from a German spreadsheet: BOM, semicolons, a review over several
// lines, a row with a stray field, one without text, a bad date and an unclosed quote at the end.
const CSV = [
  '\uFEFFReview ID;Date;Rating;Reviewer;Review Text',
  'r-1;2026-09-14;2;Lukas B.;"Seit dem letzten Update lädt die App ewig.',
  'Bitte fixen; so ist das unbrauchbar."',
  'r-2;2026-09-15;5;sam;Quick refund, friendly chat agent. Will order again!',
  'r-3;2026-09-15;4;Marta;Funciona bien;pero le falta modo oscuro',
  'r-4;2026-09-16;3;Noor;',
  'r-5;the 17th;4;Olu;Good value for money but delivery took 6 days',
  'r-6;2026-09-18;1,5;Aiko;"Ordered 2, got 1 ""complete"" set"',
  'r-7;2026-09-19;5;Jo;"Never closed quote here',
  '',
].join('\n');

describe('file parsing', () => {
  it('detects comma, semicolon and tab delimiters from the header', () => {
    expect(detectDelimiter('id,text\n1,a;b')).toBe(',');
    expect(detectDelimiter('\uFEFF"id;x";text;rating\n')).toBe(';');
    expect(detectDelimiter('id\ttext\trating\n')).toBe('\t');
  });

  it('reads quoted newlines, keeps line numbers and lists malformed rows', () => {
    const parsed = parseCsv(CSV);
    expect(parsed.columns).toEqual(['Review ID', 'Date', 'Rating', 'Reviewer', 'Review Text']);
    expect(parsed.rows.map((r) => [r.line, r.values.get('Review ID')])).toEqual([
      [2, 'r-1'],
      [4, 'r-2'],
      [6, 'r-4'],
      [7, 'r-5'],
      [8, 'r-6'],
    ]);
    expect(parsed.rows[0]!.values.get('Review Text')).toContain('\nBitte fixen; so ist das unbrauchbar.');
    expect(parsed.errors).toEqual([
      { line: 5, reason: expect.stringMatching(/wrong number of fields/) },
      { line: 9, reason: expect.stringMatching(/quoted field is never closed/) },
    ]);
  });

  it('reads JSON arrays, wrapped arrays and JSON lines', () => {
    expect(parseJsonFile('[{"id":1,"review":{"text":"ok"}}]').rows[0]!.values.get('review.text')).toBe('ok');
    expect(parseJsonFile('{"reviews":[{"body":"a"},{"body":"b"}]}').rows).toHaveLength(2);
    const lines = parseJsonFile('{"body":"a"}\nnot json\n{"body":"c"}\n');
    expect(lines.rows.map((r) => r.line)).toEqual([1, 3]);
    expect(lines.errors).toEqual([{ line: 2, reason: 'not valid JSON' }]);
  });
});

describe('admin import', () => {
  it('uploads, previews, maps columns and imports the good rows in the background, listing the bad ones with their lines', async () => {
    kit = await ingestKit();
    const up = await kit.admin<ImportPreview>('POST', `/ingest/imports?siteId=${kit.site.id}&filename=reviews.csv`, undefined, { body: Buffer.from(CSV), type: 'text/csv' });
    expect(up.status).toBe(200);
    expect(up.body.columns).toEqual(['Review ID', 'Date', 'Rating', 'Reviewer', 'Review Text']);
    expect(up.body.import).toMatchObject({ format: 'csv', delimiter: ';', status: 'uploaded' });
    expect(up.body.rows[0]).toMatchObject({ Reviewer: 'Lukas B.', Rating: '2' });
    expect(up.body.suggested).toMatchObject({ text: 'Review Text', externalId: 'Review ID', rating: 'Rating', author: 'Reviewer', createdAt: 'Date' });

    const bad = await kit.admin('POST', `/ingest/imports/${up.body.import.id}/start`, { mapping: { text: 'Comment' } });
    expect(bad.status).toBe(400);
    const mapping = { text: 'Review Text', externalId: 'Review ID', rating: 'Rating', author: 'Reviewer', createdAt: 'Date', source: 'app-store' };
    const started = await kit.admin<{ import: ImportView }>('POST', `/ingest/imports/${up.body.import.id}/start`, { mapping });
    expect(started.body.import.status).toBe('queued');
    expect((await kit.admin('POST', `/ingest/imports/${up.body.import.id}/start`, { mapping })).status).toBe(409);

    await kit.worker.drain();
    const done = (await kit.admin<{ import: ImportView }>('GET', `/ingest/imports/${up.body.import.id}`)).body.import;
    expect(done).toMatchObject({ status: 'done', created: 3, duplicates: 0, failed: 4, total: 7, processed: 7 });
    expect(done.errors).toEqual([
      { line: 5, reason: expect.stringMatching(/wrong number of fields/) },
      { line: 6, reason: expect.stringMatching(/text is empty/) },
      { line: 7, reason: expect.stringMatching(/createdAt: "the 17th" is not a date/) },
      { line: 9, reason: expect.stringMatching(/quoted field is never closed/) },
    ]);

    const list = await kit.admin<ConversationPage>('GET', '/conversations?source=import');
    expect(list.body.items.map((c) => c.preview?.slice(0, 20)).sort()).toEqual(['Ordered 2, got 1 "co', 'Quick refund, friend', 'Seit dem letzten Upd']);
    expect(list.body.items.find((c) => c.visitorName === 'Aiko')?.rating).toMatchObject({ value: 1.5, scaleMax: 5 });
    const lukas = list.body.items.find((c) => c.visitorName === 'Lukas B.');
    expect(lukas?.startedAt).toBe(Date.parse('2026-09-14T00:00:00Z'));

    // the same file again changes nothing
    const again = await kit.admin<ImportPreview>('POST', `/ingest/imports?siteId=${kit.site.id}&filename=reviews.csv`, undefined, { body: Buffer.from(CSV), type: 'text/csv' });
    await kit.admin('POST', `/ingest/imports/${again.body.import.id}/start`, { mapping });
    await kit.worker.drain();
    expect((await kit.admin<{ import: ImportView }>('GET', `/ingest/imports/${again.body.import.id}`)).body.import).toMatchObject({ created: 0, duplicates: 3 });
    expect(await kit.store.feedback.count(kit.site.id)).toBe(3);
  });

  it('imports a JSON export without an id column, deduplicating by content', async () => {
    kit = await ingestKit();
    const json = JSON.stringify({
      data: [
        { user: { name: 'Ben' }, content: 'Customer support answered within minutes, great experience', stars: 5 },
        { user: { name: 'Ana' }, content: 'El pedido llegó roto y nadie contesta los correos', stars: 1 },
        { user: { name: 'Zed' }, content: '', stars: 3 },
      ],
    });
    const up = await kit.admin<ImportPreview>('POST', `/ingest/imports?siteId=${kit.site.id}&filename=export.json`, undefined, { body: json, type: 'application/octet-stream' });
    expect(up.body.columns).toEqual(['user.name', 'content', 'stars']);
    expect(up.body.suggested).toMatchObject({ text: 'content', rating: 'stars' });
    const mapping = { text: 'content', author: 'user.name', rating: 'stars' };
    for (let i = 0; i < 2; i++) {
      const again = i === 0 ? up.body : (await kit.admin<ImportPreview>('POST', `/ingest/imports?siteId=${kit.site.id}&filename=export.json`, undefined, { body: json, type: 'application/octet-stream' })).body;
      await kit.admin('POST', `/ingest/imports/${again.import.id}/start`, { mapping });
      await kit.worker.drain();
      const view = (await kit.admin<{ import: ImportView }>('GET', `/ingest/imports/${again.import.id}`)).body.import;
      expect(view).toMatchObject(i === 0 ? { created: 2, failed: 1 } : { created: 0, duplicates: 2, failed: 1 });
      expect(view.errors).toEqual([{ line: 3, reason: expect.stringMatching(/text is empty/) }]);
    }
  });

  it('refuses uploads without a session and to unknown sites', async () => {
    kit = await ingestKit();
    const anon = await fetch(`${kit.url}/api/admin/ingest/imports?siteId=${kit.site.id}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'text\nhello' });
    expect(anon.status).toBe(401);
    const r = await kit.admin('POST', '/ingest/imports?siteId=nope&filename=a.csv', undefined, { body: 'text\nhello', type: 'text/csv' });
    expect(r.status).toBe(404);
  });
});
