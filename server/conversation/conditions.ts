/** Whether a question's `when` conditions hold, given the answers so far. */
import type { Answer, AnswerValue, Condition, Question } from '../../shared/flow.ts';

type Scalar = string | number | boolean;

/** yes/no answers are booleans; flows may write them as "yes"/"no" */
function same(a: AnswerValue, b: Scalar): boolean {
  if (typeof a === 'boolean' && typeof b === 'string') return a === (b.toLowerCase() === 'yes' || b.toLowerCase() === 'true');
  if (typeof a === 'number' && typeof b === 'string') return a === Number(b);
  if (Array.isArray(a)) return a.includes(String(b));
  return a === b;
}

function compare(a: AnswerValue, b: Condition['value'], test: (x: number, y: number) => boolean): boolean {
  return typeof a === 'number' && typeof b === 'number' && test(a, b);
}

export function holds(cond: Condition, answers: Answer[]): boolean {
  const answer = answers.find((a) => a.questionId === cond.question);
  if (cond.op === 'answered') return answer !== undefined && answer.value !== null;
  if (cond.op === 'skipped') return answer !== undefined && answer.value === null;
  if (!answer || answer.value === null) return false;
  const v = answer.value;
  const target = cond.value;
  switch (cond.op) {
    case 'eq':
      return target !== undefined && !Array.isArray(target) && same(v, target);
    case 'neq':
      return target !== undefined && !Array.isArray(target) && !same(v, target);
    case 'lt':
      return compare(v, target, (x, y) => x < y);
    case 'lte':
      return compare(v, target, (x, y) => x <= y);
    case 'gt':
      return compare(v, target, (x, y) => x > y);
    case 'gte':
      return compare(v, target, (x, y) => x >= y);
    case 'in':
      return Array.isArray(target) && target.some((t) => same(v, t));
  }
}

export function isEligible(q: Question, answers: Answer[]): boolean {
  return q.when.every((c) => holds(c, answers));
}
