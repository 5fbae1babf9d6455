// Checks rubric files: npm run rubrics:check -- [file.json ...]
// Without arguments, checks every *.json in rubrics/ except schema.json. Exits 1 if any file is invalid.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_RUBRIC_BYTES, tooLargeMessage, validateRubric, type RubricProblem } from '../src/domain/rubric/validate.ts';
import { rubricKey } from '../src/domain/rubric/types.ts';

const rubricsDir = fileURLToPath(new URL('../rubrics/', import.meta.url));

function defaultFiles(): string[] {
  return readdirSync(rubricsDir)
    .filter((name) => name.endsWith('.json') && name !== 'schema.json')
    .sort()
    .map((name) => path.join(rubricsDir, name));
}

type Checked = { ok: true; key: string; summary: string } | { ok: false; problems: RubricProblem[] };

function checkFile(file: string): Checked {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { ok: false, problems: [{ path: '', message: '不是文件' }] };
    size = stat.size;
  } catch {
    return { ok: false, problems: [{ path: '', message: '文件不存在或无法读取' }] };
  }
  if (size > MAX_RUBRIC_BYTES) return { ok: false, problems: [{ path: '', message: tooLargeMessage(size) }] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch {
    return { ok: false, problems: [{ path: '', message: '文件不是 UTF-8 编码（可能是 GBK/GB18030），请用 UTF-8 编码另存' }] };
  }
  const result = validateRubric(text);
  if (!result.ok) return result;
  const { rubric } = result;
  const itemCount = rubric.sections.reduce((n, s) => n + s.items.length, 0);
  return {
    ok: true,
    key: rubricKey(rubric),
    summary: `${rubricKey(rubric)}，${rubric.sections.length} 个部分，${itemCount} 个评查项目，${rubric.vetoes.length} 个否决项`,
  };
}

function main(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('用法：npm run rubrics:check -- [评查标准文件.json ...]\n不指定文件时检查 rubrics/ 下除 schema.json 以外的全部 .json 文件。');
    return 0;
  }
  const files = args.length > 0 ? [...new Set(args.map((f) => path.resolve(f)))] : defaultFiles();
  if (files.length === 0) {
    console.log(`没有找到要检查的评查标准文件（${path.relative(process.cwd(), rubricsDir) || rubricsDir}）`);
    return 1;
  }
  const seen = new Map<string, string>(); // id@version → first file
  let invalid = 0;
  let problemCount = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    const checked = checkFile(file);
    const problems = checked.ok ? [] : checked.problems;
    if (checked.ok) {
      const first = seen.get(checked.key);
      if (first) {
        problems.push({ path: '/version', message: `与 ${first} 的标准编号和版本号相同（${checked.key}）：同一版本只能有一个文件，修改后的标准须使用新的版本号` });
      } else seen.set(checked.key, shown);
    }
    if (problems.length === 0 && checked.ok) {
      console.log(`✓ ${shown}（${checked.summary}）`);
      continue;
    }
    invalid++;
    problemCount += problems.length;
    for (const problem of problems) console.log(`${shown}: ${problem.path || '(整个文件)'} — ${problem.message}`);
  }
  const passed = files.length - invalid;
  console.log(invalid === 0
    ? `共检查 ${files.length} 个文件，全部通过`
    : `共检查 ${files.length} 个文件：${passed} 个通过，${invalid} 个有问题（共 ${problemCount} 处）`);
  return invalid === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2).filter((a) => a !== '--'));
