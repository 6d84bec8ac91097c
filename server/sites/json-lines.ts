/**
 * Where things are in a JSON text, so schema errors can name the line the editor should jump to.
 * JSON.parse has already accepted the text when `lineOfPath` runs, so the scanner can be simple.
 */

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line of a JSON.parse SyntaxError, from the "position N" Node puts in its message. */
export function syntaxErrorLine(text: string, err: unknown): number | null {
  const msg = err instanceof Error ? err.message : '';
  const lineCol = /\(line (\d+) column \d+\)/.exec(msg);
  if (lineCol) return Number(lineCol[1]);
  const pos = /position (\d+)/.exec(msg);
  if (pos) return lineAt(text, Number(pos[1]));
  return /end of JSON input/i.test(msg) ? lineAt(text, text.length) : null;
}

/** line of the value at each path ("questions.0.prompt"), built in one pass */
export function valueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const skipWs = () => {
    while (i < text.length && /\s/.test(text[i]!)) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skipWs();
    lines.set(path, line);
    const c = text[i];
    const join = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
    if (c === '{') {
      i++;
      skipWs();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWs();
        const key = readString();
        skipWs();
        i++; // ':'
        value(join(key));
        skipWs();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(join(n));
        skipWs();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value('');
  return lines;
}

/** the line of `path`, or of its nearest ancestor that exists (a missing key points at its object) */
export function lineOfPath(lines: Map<string, number>, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const hit = lines.get(path.slice(0, n).join('.'));
    if (hit !== undefined) return hit;
  }
  return 1;
}
