/** Check flow JSON against the shared Flow schema; every problem carries the line it is on. */
import { Flow } from '../../../shared/flow.ts';
import { locateJson } from './json-locate.ts';

export interface FlowProblem {
  line: number;
  path: string;
  message: string;
}

export type FlowCheck = { ok: true; flow: Flow } | { ok: false; problems: FlowProblem[] };

export function validateFlowJson(text: string): FlowCheck {
  const located = locateJson(text);
  if (!located.ok) return { ok: false, problems: [{ line: located.line, path: '', message: `JSON: ${located.message}` }] };
  const result = Flow.safeParse(located.value);
  if (result.success) return { ok: true, flow: result.data };
  const problems = result.error.issues.map((issue) => ({
    line: located.lineOf(issue.path),
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  problems.sort((a, b) => a.line - b.line);
  return { ok: false, problems };
}
