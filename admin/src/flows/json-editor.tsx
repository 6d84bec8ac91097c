import { useRef } from 'preact/hooks';
import type { FlowProblem } from './validate-flow.ts';

interface Props {
  value: string;
  onInput: (text: string) => void;
  problems: FlowProblem[];
  label: string;
}

/** A textarea with a line-number gutter; lines with a problem are marked in the gutter. */
export function JsonEditor({ value, onInput, problems, label }: Props) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const count = value.split('\n').length;
  const bad = new Set(problems.map((p) => p.line));

  const goTo = (line: number) => {
    const el = area.current;
    if (!el) return;
    const start = value.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (value.split('\n')[line - 1]?.length ?? 0));
  };

  return (
    <div class="json-editor-wrap">
      <div class="json-editor">
        <div class="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: count }, (_, n) => (
            <div key={n} class={bad.has(n + 1) ? 'bad' : ''}>
              {n + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          aria-label={label}
          spellcheck={false}
          value={value}
          wrap="off"
          onInput={(e) => onInput(e.currentTarget.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={(e) => {
            // Tab indents instead of leaving the editor
            if (e.key !== 'Tab') return;
            e.preventDefault();
            const el = e.currentTarget;
            const { selectionStart: s, selectionEnd: end } = el;
            onInput(`${value.slice(0, s)}  ${value.slice(end)}`);
            requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
          }}
        />
      </div>
      {problems.length > 0 && (
        <ul class="problems" aria-label="Problems">
          {problems.map((p, i) => (
            <li key={i}>
              <button type="button" class="button link" onClick={() => goTo(p.line)}>
                Line {p.line}
              </button>
              {p.path && <code>{p.path}</code>} {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
