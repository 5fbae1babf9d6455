// Reading JSON written by people: a strict syntax scan that says in Chinese what is wrong and where
// (line and column), and finds duplicate keys that JSON.parse would silently collapse into the last one.
// The scan only checks; values come from JSON.parse once the text is known to be well formed.

export interface JsonSyntaxError {
  line: number; // 1-based
  column: number; // 1-based, in characters
  message: string; // Chinese, without the position
}

export interface DuplicateKey {
  /** JSON pointer of the repeated key, e.g. /sections/0/items/2/cap */
  path: string;
  key: string;
  line: number;
  firstLine: number;
}

export type JsonScan = { ok: true; duplicates: DuplicateKey[] } | { ok: false; error: JsonSyntaxError };

/** Deeper than any rubric needs; stops a hostile file from exhausting the stack. */
export const MAX_JSON_DEPTH = 64;

/** Escapes one JSON pointer segment (RFC 6901). */
export const pointerSegment = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

class ScanError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** What a stray character most likely means, for the people who write rubric files by hand. */
function strayCharacterHint(ch: string, next: string): string | null {
  if (ch === '/' && (next === '/' || next === '*')) return 'JSON 不支持注释（// 或 /* */），请删除注释';
  if (ch === "'") return '字符串和字段名必须使用英文双引号（"），不能用单引号';
  if (ch === '“' || ch === '”' || ch === '‘' || ch === '’') return `使用了中文引号「${ch}」，JSON 必须使用英文双引号（"）`;
  if (ch === '，') return '使用了中文逗号「，」，JSON 必须使用英文逗号（,）';
  if (ch === '：') return '使用了中文冒号「：」，JSON 必须使用英文冒号（:）';
  if (ch === '［' || ch === '］' || ch === '｛' || ch === '｝') return `使用了全角括号「${ch}」，JSON 必须使用英文括号`;
  if (ch === '\u3000' || ch === '\u00a0') return '含有全角空格或不换行空格，JSON 只允许普通空格、制表符和换行';
  return null;
}

const show = (ch: string): string => (ch === '' ? '文件结尾' : `「${ch}」`);

class Scanner {
  private pos = 0;
  readonly duplicates: DuplicateKey[] = [];
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  scan(): void {
    this.skipWhitespace();
    this.value('', 0);
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      const hint = strayCharacterHint(this.peek(), this.text[this.pos + 1] ?? '');
      throw new ScanError(this.pos, hint ?? `JSON 内容在此之前已经结束，后面多出了${show(this.peek())}（整个文件只能有一个顶层对象）`);
    }
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text[this.pos]!)) this.pos++;
  }

  private unexpected(expected: string): never {
    const ch = this.peek();
    if (ch === '') throw new ScanError(this.pos, `文件意外结束，此处应为${expected}（可能缺少 } 或 ]）`);
    const hint = strayCharacterHint(ch, this.text[this.pos + 1] ?? '');
    throw new ScanError(this.pos, hint ?? `此处应为${expected}，实际为${show(ch)}`);
  }

  private value(path: string, depth: number): void {
    if (depth > MAX_JSON_DEPTH) throw new ScanError(this.pos, `嵌套层级超过 ${MAX_JSON_DEPTH} 层`);
    const ch = this.peek();
    if (ch === '{') return this.object(path, depth);
    if (ch === '[') return this.array(path, depth);
    if (ch === '"') return void this.string();
    if (ch === '-' || ch === '.' || (ch >= '0' && ch <= '9')) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length;
        return;
      }
    }
    const word = /^[^\s,:{}[\]"]+/.exec(this.text.slice(this.pos, this.pos + 40))?.[0];
    if (word && !strayCharacterHint(ch, this.text[this.pos + 1] ?? '')) {
      throw new ScanError(this.pos, `无法识别的值「${word}」：文字必须用英文双引号括起来，布尔值写 true 或 false，空值写 null`);
    }
    this.unexpected('一个值（对象、数组、字符串、数字、true、false 或 null）');
  }

  private object(path: string, depth: number): void {
    this.pos++; // {
    const seen = new Map<string, number>();
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() === '}') throw new ScanError(this.pos, '多余的逗号：JSON 不允许在最后一个字段后面加逗号');
      if (this.peek() !== '"') {
        if (/[A-Za-z_$]/.test(this.peek())) throw new ScanError(this.pos, '字段名必须用英文双引号括起来');
        this.unexpected('用英文双引号括起来的字段名');
      }
      const keyStart = this.pos;
      const key = this.string();
      const first = seen.get(key);
      if (first !== undefined) {
        this.duplicates.push({
          path: `${path}/${pointerSegment(key)}`,
          key,
          line: lineAndColumn(this.text, keyStart).line,
          firstLine: lineAndColumn(this.text, first).line,
        });
      } else {
        seen.set(key, keyStart);
      }
      this.skipWhitespace();
      if (this.peek() !== ':') this.unexpected(`字段 "${key}" 后面的英文冒号（:）`);
      this.pos++;
      this.skipWhitespace();
      this.value(`${path}/${pointerSegment(key)}`, depth + 1);
      this.skipWhitespace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      if (this.peek() === '}') {
        this.pos++;
        return;
      }
      if (this.peek() === '"') throw new ScanError(this.pos, '缺少逗号：字段之间必须用英文逗号（,）分隔');
      this.unexpected('英文逗号（,）或 }');
    }
  }

  private array(path: string, depth: number): void {
    this.pos++; // [
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.skipWhitespace();
      if (this.peek() === ']') throw new ScanError(this.pos, '多余的逗号：JSON 不允许在数组最后一项后面加逗号');
      this.value(`${path}/${index}`, depth + 1);
      this.skipWhitespace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      if (this.peek() === ']') {
        this.pos++;
        return;
      }
      if ('{["'.includes(this.peek()) && this.peek() !== '') throw new ScanError(this.pos, '缺少逗号：数组各项之间必须用英文逗号（,）分隔');
      this.unexpected('英文逗号（,）或 ]');
    }
  }

  /** Scans a string starting at the opening quote and returns its value. */
  private string(): string {
    const start = this.pos;
    this.pos++; // "
    let value = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new ScanError(start, '字符串没有结束：缺少右侧的英文双引号（"）');
      const ch = this.text[this.pos]!;
      const code = ch.charCodeAt(0);
      if (ch === '"') {
        this.pos++;
        return value;
      }
      if (code < 0x20) {
        throw new ScanError(this.pos, code === 10
          ? '字符串中间换行了：要么缺少右侧的英文双引号，要么需要把换行写成 \\n'
          : '字符串中不能直接包含制表符等控制字符，请写成转义形式（如 \\t）');
      }
      if (ch === '\\') {
        const next = this.text[this.pos + 1] ?? '';
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (next in simple) {
          value += simple[next];
          this.pos += 2;
          continue;
        }
        if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          value += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
          continue;
        }
        throw new ScanError(this.pos, `不合法的转义「\\${next}」：反斜杠本身要写成 \\\\`);
      }
      value += ch;
      this.pos++;
    }
  }

  private number(): void {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    const after = this.text[this.pos + (match?.[0].length ?? 0)] ?? '';
    if (!match || /[0-9.eE+\-A-Za-z]/.test(after)) {
      const raw = /^[-+0-9.eEA-Za-z]+/.exec(this.text.slice(this.pos, this.pos + 40))?.[0] ?? this.peek();
      throw new ScanError(this.pos, `数字「${raw}」格式不对：不能有前导 0，小数点前后都要有数字，不能写 NaN 或 Infinity`);
    }
    this.pos += match[0].length;
  }
}

/** Checks that text is one well-formed JSON value; reports the first syntax error or every duplicate key. */
export function scanJson(text: string): JsonScan {
  const scanner = new Scanner(text);
  try {
    scanner.scan();
  } catch (error) {
    if (error instanceof ScanError) {
      return { ok: false, error: { ...lineAndColumn(text, error.offset), message: error.message } };
    }
    throw error;
  }
  return { ok: true, duplicates: scanner.duplicates };
}
