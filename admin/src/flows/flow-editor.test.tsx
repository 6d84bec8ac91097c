import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, fakeLive } from '../test-support/fake-server.ts';
import { renderWithApp } from '../test-support/render-app.tsx';
import { FlowEditor } from './flow-editor.tsx';
import { NEW_FLOW_TEMPLATE } from './flow-template.ts';

afterEach(cleanup);

function setup() {
  const server = fakeApi({
    'PUT /sites/s1/flows/new-survey': (req) => ({ body: { ok: true, flow: JSON.parse((req.body as { json: string }).json), json: (req.body as { json: string }).json } }),
  });
  const saved: string[] = [];
  renderWithApp(
    <FlowEditor siteId="s1" siteKey="acme" flowId={null} initialJson={NEW_FLOW_TEMPLATE} onSaved={(id) => saved.push(id)} onDeleted={() => undefined} isDefault={false} />,
    server.api,
    fakeLive().live,
  );
  return { server, saved };
}

describe('flow editor', () => {
  it('shows a schema error at the line it is on and blocks saving', () => {
    setup();
    const editor = screen.getByRole('textbox', { name: 'Flow JSON' }) as HTMLTextAreaElement;
    expect(screen.getByRole('status').textContent).toBe('Valid');
    // line 9 of the template holds the first question's type
    const lines = editor.value.split('\n');
    expect(lines[8]).toContain('"type": "nps"');
    lines[8] = lines[8]!.replace('"nps"', '"rating"');
    fireEvent.input(editor, { target: { value: lines.join('\n') } });

    const problems = screen.getByRole('list', { name: 'Problems' });
    expect(within(problems).getByRole('button', { name: 'Line 9' })).toBeTruthy();
    expect(problems.textContent).toContain('questions.0.type');
    expect(screen.getByText('1 problem')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save flow' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('saves a valid flow as JSON text', async () => {
    const { server, saved } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Save flow' }));
    await waitFor(() => expect(saved).toEqual(['new-survey']));
    const put = server.requests.find((r) => r.method === 'PUT');
    expect(JSON.parse((put?.body as { json: string }).json).id).toBe('new-survey');
  });
});
