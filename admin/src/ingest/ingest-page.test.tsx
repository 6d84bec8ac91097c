import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedView, ImportPreview, ImportView } from '../../../shared/feedback.ts';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { FeedsPanel } from './feeds-panel.tsx';
import { ImportPanel } from './import-panel.tsx';
import { WebhookPanel } from './webhook-panel.tsx';

afterEach(cleanup);

const baseImport: ImportView = {
  id: 'i1',
  siteId: 's1',
  filename: 'play-store-oktober.csv',
  format: 'csv',
  delimiter: ';',
  status: 'uploaded',
  total: 7,
  processed: 0,
  created: 0,
  duplicates: 0,
  failed: 0,
  errors: [],
  lastError: null,
  createdAt: 1_760_000_000_000,
  updatedAt: 1_760_000_000_000,
};

const preview: ImportPreview = {
  import: baseImport,
  columns: ['Review ID', 'Datum', 'Sterne', 'Nutzer', 'Rezension'],
  rows: [
    { 'Review ID': 'g-1', Datum: '2026-10-01', Sterne: '2', Nutzer: 'Lukas', Rezension: 'Seit dem Update\nstürzt die App ab' },
    { 'Review ID': 'g-2', Datum: '2026-10-02', Sterne: '5', Nutzer: 'sam', Rezension: 'Refund came in 2 days, thanks!' },
  ],
  suggested: { externalId: 'Review ID' },
};

describe('file import', () => {
  it('maps columns over a preview of the first rows, starts the import and shows progress and the failed rows', async () => {
    const { api, requests } = fakeApi({
      'GET /ingest/imports': { body: { ok: true, imports: [] } },
      'POST /ingest/imports': { body: { ok: true, ...preview } },
      'POST /ingest/imports/i1/start': { body: { ok: true, import: { ...baseImport, status: 'running', processed: 3 } } },
      'GET /ingest/imports/i1': {
        body: {
          ok: true,
          import: { ...baseImport, status: 'done', processed: 7, created: 4, failed: 3, errors: [{ line: 5, reason: 'wrong number of fields: expect 5, got 6' }, { line: 6, reason: 'text: text is empty' }, { line: 9, reason: 'a quoted field is never closed' }] },
        },
      },
    });
    renderWithApp(<ImportPanel siteId="s1" />, api, fakeLive().live);
    const input = screen.getByLabelText('CSV or JSON file');
    const file = new File(['Review ID;Datum\n'], 'play-store-oktober.csv', { type: 'text/csv' });
    Object.defineProperty(input, 'files', { value: [file] });
    fireEvent.change(input);

    const step = await screen.findByRole('region', { name: 'Map columns' });
    expect(within(step).getByText(/CSV, semicolon-separated · 7 rows/)).toBeTruthy();
    const upload = requests.find((r) => r.method === 'POST' && r.path === '/ingest/imports');
    expect(upload?.query.get('siteId')).toBe('s1');
    expect(upload?.query.get('filename')).toBe('play-store-oktober.csv');
    expect(upload?.headers['content-type']).toBe('application/octet-stream');

    // the suggestion is taken; nothing can start without a text column
    expect((within(step).getByLabelText('External id') as HTMLSelectElement).value).toBe('Review ID');
    const startButton = within(step).getByRole('button', { name: 'Start import' }) as HTMLButtonElement;
    expect(startButton.disabled).toBe(true);
    fireEvent.change(within(step).getByLabelText('Text (required)'), { target: { value: 'Rezension' } });
    fireEvent.change(within(step).getByLabelText('Author'), { target: { value: 'Nutzer' } });
    fireEvent.change(within(step).getByLabelText('Rating'), { target: { value: 'Sterne' } });
    fireEvent.input(within(step).getByLabelText('Source label'), { target: { value: 'play-store' } });

    const table = within(step).getByRole('table', { name: 'Preview of the first rows' });
    expect(within(table).getByText('Refund came in 2 days, thanks!')).toBeTruthy();
    expect(within(table).getByText('Lukas')).toBeTruthy();
    // the preview is text: a quoted newline stays a newline inside the cell
    expect(within(table).getByText(/Seit dem Update/).textContent).toBe('Seit dem Update\nstürzt die App ab');

    fireEvent.click(startButton);
    const report = await screen.findByRole('region', { name: 'Import of play-store-oktober.csv' });
    expect(requests.find((r) => r.path === '/ingest/imports/i1/start')?.body).toEqual({
      mapping: { externalId: 'Review ID', text: 'Rezension', author: 'Nutzer', rating: 'Sterne', ratingType: 'stars', source: 'play-store' },
    });
    expect(within(report).getByText(/3 of 7 rows/)).toBeTruthy();

    const failed = await within(report).findByRole('table', { name: 'Rows that failed' }, { timeout: 4000 });
    expect(within(report).getByText(/7 of 7 rows/)).toBeTruthy();
    const rows = within(failed).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['5wrong number of fields: expect 5, got 6', '6text: text is empty', '9a quoted field is never closed']);
  });

  it('shows the server’s reason when an upload is refused', async () => {
    const { api } = fakeApi({
      'GET /ingest/imports': { body: { ok: true, imports: [] } },
      'POST /ingest/imports': { status: 400, body: { ok: false, error: { code: 'invalid_payload', message: 'The file has no header row.' } } },
    });
    renderWithApp(<ImportPanel siteId="s1" />, api, fakeLive().live);
    const input = screen.getByLabelText('CSV or JSON file');
    Object.defineProperty(input, 'files', { value: [new File([''], 'empty.csv')] });
    fireEvent.change(input);
    expect((await screen.findByRole('alert')).textContent).toBe('The file has no header row.');
  });
});

const feed = (over: Partial<FeedView>): FeedView => ({
  id: 'f1',
  siteId: 's1',
  name: 'Trustpilot Acme',
  url: 'https://reviews.example/acme.rss',
  keywords: [],
  intervalMinutes: 30,
  enabled: true,
  failures: 0,
  lastPolledAt: 1_764_000_000_000,
  lastSuccessAt: 1_764_000_000_000,
  lastError: null,
  lastErrorAt: null,
  lastStatus: 200,
  nextPollAt: 1_764_001_800_000,
  itemsTotal: 41,
  createdAt: 1_763_000_000_000,
  ...over,
});

describe('feeds', () => {
  it('shows each feed’s health and last error, adds a feed with keywords and polls one now', async () => {
    const failing = feed({ id: 'f2', name: 'Forum', url: 'https://forum.example/feed', failures: 2, lastSuccessAt: null, lastError: 'HTTP 503 from forum.example', lastErrorAt: 1_764_000_100_000, itemsTotal: 0 });
    const { api, requests } = fakeApi({
      'GET /ingest/feeds': { body: { ok: true, feeds: [feed({}), failing] } },
      'POST /ingest/feeds': (req) => ({ body: { ok: true, feed: feed({ id: 'f3', ...(req.body as object), lastSuccessAt: null, itemsTotal: 0 }) } }),
      'POST /ingest/feeds/f2/poll': { body: { ok: true, feed: { ...failing, failures: 0, lastSuccessAt: 1_764_000_200_000, itemsTotal: 3 } } },
    });
    renderWithApp(<FeedsPanel siteId="s1" />, api, fakeLive().live);
    const table = await screen.findByRole('table', { name: 'Feeds' });
    const forumRow = (await within(table).findByText('Forum')).closest('tr')!;
    expect(within(forumRow).getByText('HTTP 503 from forum.example')).toBeTruthy();
    expect(within(forumRow).getByText('Failing (2×)')).toBeTruthy();
    expect(within(forumRow).getByText('never')).toBeTruthy();
    expect(within(within(table).getByText('Trustpilot Acme').closest('tr')!).getByText('OK')).toBeTruthy();

    fireEvent.click(within(forumRow).getByRole('button', { name: 'Poll Forum now' }));
    await waitFor(() => expect(within(forumRow).getByText('3')).toBeTruthy());
    expect(within(forumRow).queryByText(/Failing/)).toBeNull();

    const form = screen.getByRole('form', { name: 'Add a feed' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Reddit mentions' } });
    fireEvent.input(within(form).getByLabelText('Feed URL (RSS or Atom)'), { target: { value: 'https://www.reddit.example/search.rss?q=acme' } });
    fireEvent.input(within(form).getByLabelText(/Keywords/), { target: { value: 'acme, Acme App ,' } });
    fireEvent.input(within(form).getByLabelText('Poll every (minutes)'), { target: { value: '60' } });
    fireEvent.submit(form);
    await within(table).findByText('Reddit mentions');
    expect(requests.find((r) => r.method === 'POST' && r.path === '/ingest/feeds')?.body).toEqual({
      siteId: 's1',
      name: 'Reddit mentions',
      url: 'https://www.reddit.example/search.rss?q=acme',
      keywords: ['acme', 'Acme App'],
      intervalMinutes: 60,
    });
  });
});

describe('inbound webhook', () => {
  it('creates the webhook from JSON paths and shows its URL', async () => {
    const view = {
      siteId: 's1',
      path: '/api/v1/inbound/acme/sec_123',
      secret: 'sec_123',
      mapping: { text: 'review.body', author: 'review.user', ratingType: 'stars', source: 'g2' },
      enabled: true,
      received: 0,
      lastError: null,
      lastAt: null,
    };
    const { api, requests } = fakeApi({
      'GET /ingest/webhook/s1': { body: { ok: true, webhook: null } },
      'PUT /ingest/webhook/s1': { body: { ok: true, webhook: view } },
    });
    renderWithApp(<WebhookPanel siteId="s1" />, api, fakeLive().live);
    const form = await screen.findByRole('form', { name: 'Inbound webhook' });
    fireEvent.input(within(form).getByLabelText('Text path (required)'), { target: { value: 'review.body' } });
    fireEvent.input(within(form).getByLabelText('Author path'), { target: { value: 'review.user' } });
    fireEvent.input(within(form).getByLabelText('Source label'), { target: { value: 'g2' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create webhook' }));
    expect((await within(form).findByLabelText('Webhook URL')).textContent).toMatch(/\/api\/v1\/inbound\/acme\/sec_123$/);
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({ mapping: { text: 'review.body', author: 'review.user', source: 'g2' }, enabled: true, rotateSecret: false });
  });
});
