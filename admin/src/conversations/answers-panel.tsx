import type { Answer } from '../api/types.ts';

function valueText(v: Answer['value']): string {
  if (v === null) return 'Skipped';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}

export function AnswersPanel({ answers }: { answers: Answer[] }) {
  if (answers.length === 0) return null;
  return (
    <section class="card panel" aria-labelledby="answers-title">
      <h2 id="answers-title">Answers</h2>
      <dl class="answers">
        {answers.map((a) => (
          <div key={a.questionId} class="answer">
            <dt>
              {a.questionId}
              {a.type !== a.questionId && <span class="muted small"> · {a.type.toUpperCase()}</span>}
            </dt>
            <dd>
              <strong>{valueText(a.value)}</strong>
              {a.raw && a.raw !== valueText(a.value) && <span class="muted"> — “{a.raw}”</span>}
              {a.elaborations.map((e, i) => (
                <p key={i} class="elaboration">
                  {e}
                </p>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
