/**
 * A small JSON parser that remembers the line each value starts on, so a schema error at
 * `questions.2.prompt` can be shown next to line 14 of the editor. JSON.parse gives neither
 * positions for values nor, in every browser, the line of a syntax error.
 */
export type JsonPath = readonly PropertyKey[];

export type Located =
  | { ok: true; value: unknown; lineOf: (path: JsonPath) => number }
  | { ok: false; line: number; message: string };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const key = (path: JsonPath) => path.map(String).join('\u0000');

export function locateJson(text: string): Located {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;

  const fail = (what: string, at = line): never => {
    const found = i < text.length ? `"${text[i]}"` : 'the end of the text';
    throw new JsonSyntaxError(`${what}, found ${found}`, at);
  };
  const skip = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') break;
      i++;
    }
  };
  const literal = (word: string, value: unknown) => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail('Expected a value');
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') fail('Unterminated string');
      i++;
    }
    if (i >= text.length) fail('Unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new JsonSyntaxError('Invalid escape in string', line);
    }
  };
  const number = (): number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail('Expected a value');
    i += m[0].length;
    return Number(m[0]);
  };
  const value = (path: PropertyKey[]): unknown => {
    skip();
    lines.set(key(path), line);
    const c = text[i];
    if (c === '{') return object(path);
    if (c === '[') return array(path);
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    return number();
  };
  const object = (path: PropertyKey[]) => {
    const out: Record<string, unknown> = {};
    i++;
    skip();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skip();
      if (text[i] !== '"') fail('Expected a property name in double quotes');
      const keyLine = line;
      const k = string();
      skip();
      if (text[i] !== ':') fail(`Expected ":" after "${k}"`);
      i++;
      out[k] = value([...path, k]);
      // a value on the next line reads better pointed at by its key
      lines.set(key([...path, k]), keyLine);
      const endLine = line;
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      // a missing comma belongs to the line it is missing from, not to the next property
      fail('Expected "," or "}"', endLine);
    }
  };
  const array = (path: PropertyKey[]) => {
    const out: unknown[] = [];
    i++;
    skip();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(value([...path, out.length]));
      const endLine = line;
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return out;
      }
      fail('Expected "," or "]"', endLine);
    }
  };

  try {
    const parsed = value([]);
    skip();
    if (i < text.length) fail('Unexpected text after the JSON value');
    return {
      ok: true,
      value: parsed,
      // a missing property has no line: point at the nearest enclosing value that has one
      lineOf(path) {
        for (let n = path.length; n >= 0; n--) {
          const l = lines.get(key(path.slice(0, n)));
          if (l !== undefined) return l;
        }
        return 1;
      },
    };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, line: err.line, message: err.message };
    throw err;
  }
}
