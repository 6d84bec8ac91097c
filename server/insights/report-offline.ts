/**
 * The offline insight report: Markdown written by a template from the report figures and their
 * quotes. Every number in it comes from the figures (the same check the LLM's text must pass).
 */
import type { KeyFigures, ReportFigures } from '../../shared/insights.ts';

const fmt = (x: number | null, digits = 0): string => (x === null ? 'n/a' : x.toFixed(digits));
const signed = (x: number, digits = 1) => `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;
const quote = (text: string) => `> “${text.replace(/\s+/g, ' ').trim()}”`;

const KIND_LABEL: ReadonlyMap<string, string> = new Map([
  ['delivery', 'Delivery'],
  ['feature', 'Features'],
  ['price', 'Price'],
  ['response_time', 'Response time'],
  ['quality', 'Quality'],
  ['other', 'Other'],
]);

const KIND_ADVICE: ReadonlyMap<string, string> = new Map([
  ['delivery', 'state realistic delivery dates at checkout and send tracking updates proactively'],
  ['feature', 'collect the missing features in one list and tell customers what is planned'],
  ['price', 'explain what the price includes and check whether shipping costs surprise customers at checkout'],
  ['response_time', 'publish expected answer times and cover the busiest hours'],
  ['quality', 'review the products named in these conversations with the supplier'],
  ['other', 'read these conversations and add the most common wish to the backlog'],
]);

function change(d: number | null, digits: number): string {
  if (d === null) return 'n/a';
  return d === 0 ? 'no change' : signed(d, digits);
}

function keyTable(c: KeyFigures, p: KeyFigures, d: ReportFigures['change']): string[] {
  return [
    '| Measure | This period | Previous period | Change |',
    '| --- | --- | --- | --- |',
    `| Conversations analysed | ${c.responses} | ${p.responses} | ${change(d.responses, 0)} |`,
    `| NPS (answers) | ${fmt(c.nps.score, 1)} (${c.nps.n}) | ${fmt(p.nps.score, 1)} (${p.nps.n}) | ${change(d.nps, 1)} |`,
    `| CSAT, % satisfied (answers) | ${fmt(c.csat.score, 1)} (${c.csat.n}) | ${fmt(p.csat.score, 1)} (${p.csat.n}) | ${change(d.csatPercent, 1)} |`,
    `| Customer effort, 1-7 (answers) | ${fmt(c.ces.mean, 2)} (${c.ces.n}) | ${fmt(p.ces.mean, 2)} (${p.ces.n}) | ${change(d.ces, 2)} |`,
    `| Mean sentiment, -1 to 1 | ${fmt(c.sentiment.mean, 2)} | ${fmt(p.sentiment.mean, 2)} | ${change(d.sentiment, 2)} |`,
  ];
}

export function offlineReport(f: ReportFigures): string {
  const c = f.current;
  const p = f.previous;
  const seg = [f.segment.flow && `flow ${f.segment.flow}`, f.segment.source && `source ${f.segment.source}`, f.segment.lang && `language ${f.segment.lang}`, f.segment.tag && `tag ${f.segment.tag}`]
    .filter(Boolean)
    .join(', ');
  const out: string[] = [
    `# Insight report: ${f.segment.site}`,
    '',
    `Period ${f.period.from} to ${f.period.to}, compared with ${f.previousPeriod.from} to ${f.previousPeriod.to}${seg ? ` (${seg})` : ''}.`,
    '',
    '## Key figures',
    '',
    ...keyTable(c, p, f.change),
    '',
  ];

  if (c.responses === 0) {
    out.push('No conversations were analysed in this period, so there is nothing to report yet.');
    return out.join('\n');
  }

  out.push('## What changed', '');
  const changes: string[] = [];
  if (c.nps.score !== null && p.nps.score !== null && c.nps.score !== p.nps.score) {
    changes.push(`NPS ${c.nps.score > p.nps.score ? 'rose' : 'fell'} from ${fmt(p.nps.score, 1)} to ${fmt(c.nps.score, 1)} (${c.nps.n} answers this period).`);
  }
  if (c.csat.score !== null && p.csat.score !== null && c.csat.score !== p.csat.score) {
    changes.push(`Satisfied customers (CSAT) ${c.csat.score > p.csat.score ? 'rose' : 'fell'} from ${fmt(p.csat.score, 1)}% to ${fmt(c.csat.score, 1)}%.`);
  }
  if (p.responses === 0) changes.push('There were no analysed conversations in the previous period to compare with.');
  const movers = p.responses === 0 ? [] : [...f.topics].filter((t) => t.changePoints !== 0).sort((a, b) => Math.abs(b.changePoints) - Math.abs(a.changePoints)).slice(0, 2);
  for (const t of movers) {
    changes.push(`${t.name} ${t.changePoints > 0 ? 'came up more often' : 'came up less often'}: ${fmt(t.sharePercent, 1)}% of conversations (${signed(t.changePoints)} points).`);
  }
  for (const e of f.emerging.slice(0, 3)) {
    changes.push(`Emerging: “${e.name}” is in ${fmt(e.recentPercent, 1)}% of recent conversations against ${fmt(e.baselinePercent, 1)}% before (${e.recent} conversations).`);
  }
  if (changes.length === 0) changes.push('The figures held steady against the previous period.');
  out.push(...changes.map((x) => `- ${x}`), '');

  const issues = [...f.topics].filter((t) => t.sentiment !== null && t.sentiment < 0).sort((a, b) => (a.sentiment ?? 0) - (b.sentiment ?? 0)).slice(0, 3);
  out.push('## Top issues', '');
  if (issues.length === 0) out.push('No topic had a negative mean sentiment in this period.', '');
  for (const t of issues) {
    out.push(`### ${t.name}`, '', `${t.conversations} conversations (${fmt(t.sharePercent, 1)}%), mean sentiment ${fmt(t.sentiment, 2)}.`, '');
    for (const q of t.quotes.slice(0, 2)) out.push(quote(q), '');
  }

  out.push('## Unmet expectations', '');
  if (f.unmetExpectations.length === 0) out.push('No unmet expectations were recorded.', '');
  for (const x of f.unmetExpectations.slice(0, 3)) {
    out.push(`- **${KIND_LABEL.get(x.kind) ?? x.kind}**: ${x.unmet} unmet (${fmt(x.unmetPercent, 1)}% of those stated).`);
    for (const q of x.quotes.slice(0, 1)) out.push(`  ${quote(q)}`);
  }
  out.push('');

  const fu = f.followUps;
  out.push(
    '## Follow-ups',
    '',
    `${fu.opened} conversations asked for a follow-up; ${fu.resolved} are resolved and ${fu.overdue} are overdue.` +
      (fu.medianResolutionHours === null ? '' : ` The median time to resolve one was ${fmt(fu.medianResolutionHours, 1)} hours.`),
    '',
  );

  out.push('## Recommendations', '');
  const recs: string[] = [];
  if (fu.overdue > 0) recs.push(`Clear the ${fu.overdue} overdue follow-ups first: these customers are waiting for an answer.`);
  const worst = f.unmetExpectations[0];
  if (worst) recs.push(`${KIND_LABEL.get(worst.kind) ?? worst.kind}: ${KIND_ADVICE.get(worst.kind) ?? 'read these conversations and act on the most common wish'}.`);
  const issue = issues[0];
  if (issue) recs.push(`Look into ${issue.name}: read the conversations behind it and fix the most frequent cause.`);
  const em = f.emerging[0];
  if (em) recs.push(`Check “${em.name}” now, while it is still new: it rose sharply in the last days.`);
  if (c.nps.detractors > 0) recs.push(`Reach out to the ${c.nps.detractors} detractors of this period and ask what would change their mind.`);
  if (recs.length === 0) recs.push('Keep the current course and thank the promoters: nothing needs urgent action.');
  out.push(...recs.map((r) => `- ${r}`));
  return out.join('\n');
}
