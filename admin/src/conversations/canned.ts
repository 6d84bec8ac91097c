/** Fill a canned response's placeholders: {{visitor.name}}, {{agent.name}}, {{site.name}}. */
export interface CannedContext {
  visitorName: string | null;
  agentName: string | null;
  siteName: string | null;
}

export function fillCanned(text: string, ctx: CannedContext): string {
  const values: Record<string, string | null> = {
    'visitor.name': ctx.visitorName,
    'agent.name': ctx.agentName,
    'site.name': ctx.siteName,
  };
  return text.replace(/\{\{\s*([a-z.]+)\s*\}\}/gi, (whole, key: string) => {
    // own keys only: "{{constructor}}" is an unknown placeholder, not Object's constructor
    const v = Object.hasOwn(values, key.toLowerCase()) ? values[key.toLowerCase()] : undefined;
    // an unknown visitor name reads better as "there" than as a blank ("Hi ,")
    if (key.toLowerCase() === 'visitor.name') return v ?? 'there';
    return v ?? whole;
  });
}
