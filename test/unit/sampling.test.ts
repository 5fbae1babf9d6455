import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cyrb128, formatSeed, newSeed, normalizeSeed, prngFromText, sfc32, SEED_ALPHABET } from '../../src/domain/prng.ts';
import {
  describeRule, drawSample, requestedCount, resolveRule, verifyDraw, type SamplingCandidate, type SamplingRule,
} from '../../src/domain/sampling.ts';
import type { CaseType } from '../../src/domain/vocabulary.ts';

const unitNames = new Map([[2, '东安区司法局'], [3, '西安区市场监督管理局'], [4, '阳明区城管局']]);
const options = { unitNames };

let nextId = 1;
/** `count` files of one unit and type; every `majorEvery`-th is a major case. */
function files(unitId: number, caseType: CaseType, count: number, majorEvery = 0): SamplingCandidate[] {
  return Array.from({ length: count }, (_, i) => ({
    id: nextId++,
    unitId,
    caseType,
    fileNumber: `${unitId}-${caseType}-〔2024〕${String(i + 1).padStart(3, '0')}号`,
    isMajor: majorEvery > 0 && i % majorEvery === 0,
  }));
}

/** A fixed permutation (reverse, then interleave halves) to feed files in another order. */
function reorder<T>(list: readonly T[]): T[] {
  const reversed = [...list].reverse();
  const half = Math.ceil(reversed.length / 2);
  const out: T[] = [];
  for (let i = 0; i < half; i++) {
    out.push(reversed[i + half]!, reversed[i]!);
  }
  return out.filter((x) => x !== undefined);
}

// The fixture used for the pinned draw. Ids are fixed here rather than taken from `files`, so that
// adding tests above cannot change them.
const pinned: SamplingCandidate[] = [
  ...Array.from({ length: 27 }, (_, i) => ({
    id: 1001 + i, unitId: 2, caseType: 'penalty' as const, fileNumber: `东安罚决字〔2024〕${String(i + 1).padStart(3, '0')}号`, isMajor: i % 7 === 0,
  })),
  ...Array.from({ length: 9 }, (_, i) => ({
    id: 2001 + i, unitId: 2, caseType: 'license' as const, fileNumber: `东安许字〔2024〕${i + 1}号`, isMajor: false,
  })),
  ...Array.from({ length: 14 }, (_, i) => ({
    id: 3001 + i, unitId: 3, caseType: 'penalty' as const, fileNumber: `西市监罚〔2024〕${i + 1}号`, isMajor: i < 2,
  })),
];
const pinnedRules: SamplingRule[] = [
  { caseType: 'penalty', mode: 'percent', value: 10, minimum: 3, majorWeight: 2 },
  { unitId: 2, caseType: 'license', mode: 'count', value: 2 },
];

describe('the seeded generator (known answers: changing these breaks every recorded draw)', () => {
  it('hashes a seed with cyrb128', () => {
    expect(cyrb128('apples')).toEqual([1353502818, 2189370424, 187770103, 4227467030]);
    expect(cyrb128('')).toEqual(cyrb128(''));
    // Independent check of the first word: the widely published mulberry32(cyrb128("apples")[0])
    // sequence starts 0.6954001493286341, 0.5513719702139497.
    let a = cyrb128('apples')[0];
    const mulberry32 = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    expect([mulberry32(), mulberry32()]).toEqual([0.6954001493286341, 0.5513719702139497]);
  });

  it('produces the pinned sfc32 sequence', () => {
    const g = prngFromText('apples');
    expect(Array.from({ length: 5 }, () => g.nextUint32())).toEqual([3475372976, 3807539056, 1053067541, 3819506593, 2718530802]);
    const h = sfc32(0, 0, 0, 0);
    // Worked by hand from the sfc32 steps: t = a + b + d, then d += 1, a = b ^ b >>> 9, b = 9c, c = rotl(c, 21) + t.
    expect(Array.from({ length: 4 }, () => h.nextUint32())).toEqual([0, 1, 2, 12]);
  });

  it('draws unbiased integers below n, up to 2^53', () => {
    const g = prngFromText('range');
    for (const n of [1, 2, 3, 7, 1000, 2 ** 32, 2 ** 32 + 1, 2 ** 53]) {
      for (let i = 0; i < 50; i++) {
        const x = g.nextBelow(n);
        expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true);
      }
    }
    expect(() => g.nextBelow(0)).toThrow(RangeError);
    expect(() => g.nextBelow(1.5)).toThrow(RangeError);
  });
});

describe('seeds', () => {
  it('makes a 12-character Crockford base-32 seed from the caller’s random bytes', () => {
    expect(newSeed(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]))).toBe('000G40R40M30');
    expect(newSeed(new Uint8Array(16).fill(255))).toBe('ZZZZZZZZZZZZ');
    expect(() => newSeed(new Uint8Array(7))).toThrow(RangeError);
    fc.assert(fc.property(fc.uint8Array({ minLength: 8, maxLength: 32 }), (bytes) => {
      const seed = newSeed(bytes);
      expect(seed).toHaveLength(12);
      expect([...seed].every((ch) => SEED_ALPHABET.includes(ch))).toBe(true);
      expect(normalizeSeed(formatSeed(seed))).toBe(seed);
    }));
  });

  it('reads a typed-back seed forgivingly', () => {
    expect(formatSeed('7K3M9QXA2BHD')).toBe('7K3M-9QXA-2BHD');
    expect(normalizeSeed(' 7k3m-9qxa 2bhd ')).toBe('7K3M9QXA2BHD');
    expect(normalizeSeed('1O0-ILl')).toBe('100111');
    const a = drawSample(pinned, pinnedRules, '7K3M-9QXA-2BHD', options);
    const b = drawSample(pinned, pinnedRules, '7k3m 9qxa 2bhd', options);
    expect(b).toEqual(a);
    expect(a.seed).toBe('7K3M9QXA2BHD');
  });
});

describe('reproducibility', () => {
  it('gives the pinned draw for a recorded seed (if this fails, old draws can no longer be verified)', () => {
    const result = drawSample(pinned, pinnedRules, '7K3M-9QXA-2BHD', options);
    expect(result.ok).toBe(true);
    expect(result.algorithm).toBe('sampling-v1');
    expect(result.groups.map((g) => [g.unitId, g.caseType, g.drawn])).toEqual([
      [2, 'penalty', [1017, 1013, 1009]],
      [2, 'license', [2003, 2001]],
      [3, 'penalty', [3005, 3001, 3008]],
    ]);
    expect(result.drawnIds).toEqual([1017, 1013, 1009, 2003, 2001, 3005, 3001, 3008]);
  });

  it('gives the same draw for the same inputs and seed', () => {
    const a = drawSample(pinned, pinnedRules, 'SAME', options);
    const b = drawSample(pinned.map((f) => ({ ...f })), pinnedRules.map((r) => ({ ...r })), 'SAME', options);
    expect(b).toEqual(a);
  });

  it('does not depend on the order the files come in', () => {
    const a = drawSample(pinned, pinnedRules, 'ORDER', options);
    expect(drawSample(reorder(pinned), pinnedRules, 'ORDER', options)).toEqual(a);
    expect(drawSample([...pinned].reverse(), [...pinnedRules].reverse(), 'ORDER', options).drawnIds).toEqual(a.drawnIds);
  });

  it('gives (almost always) different draws for different seeds', () => {
    // Drawing 5 of 100: two seeds give the same set with probability 1/C(100,5) ≈ 1.3e-8.
    const list = files(4, 'penalty', 100);
    const rules: SamplingRule[] = [{ mode: 'count', value: 5 }];
    const sets = new Set<string>();
    for (let i = 0; i < 200; i++) {
      sets.add(drawSample(list, rules, `S${i}`).drawnIds.toSorted((x, y) => x - y).join(','));
    }
    expect(sets.size).toBe(200);
  });

  it('keeps a group’s draw when other units’ lists change', () => {
    const rules: SamplingRule[] = [{ mode: 'count', value: 3 }];
    const own = pinned.filter((f) => f.unitId === 3);
    const alone = drawSample(own, rules, 'INDEPENDENT');
    const withOthers = drawSample([...pinned, ...files(4, 'penalty', 10)], rules, 'INDEPENDENT');
    expect(withOthers.groups.find((g) => g.unitId === 3)!.drawn).toEqual(alone.groups[0]!.drawn);
  });
});

describe('how many files each group gives', () => {
  it('computes percentages with ceil, the minimum, and never more than the list', () => {
    const pct = (value: number, minimum?: number): SamplingRule => ({ mode: 'percent', value, ...(minimum === undefined ? {} : { minimum }) });
    expect(requestedCount(pct(10), 27)).toBe(3); // 2.7 → 3
    expect(requestedCount(pct(10), 30)).toBe(3); // exactly 3, not 3.0000000000000004 → 4
    expect(requestedCount(pct(12.5), 9)).toBe(2); // 1.125 → 2
    expect(requestedCount(pct(0.01), 1)).toBe(1);
    expect(requestedCount(pct(0), 50)).toBe(0);
    expect(requestedCount(pct(10, 5), 27)).toBe(5);
    expect(requestedCount(pct(30, 5), 27)).toBe(9);
    expect(requestedCount({ mode: 'count', value: 4 }, 27)).toBe(4);

    const list = files(2, 'penalty', 27);
    const full = drawSample(list, [pct(100)], 'P');
    expect(full.groups[0]!.drawn).toHaveLength(27);
    const tenth = drawSample(list, [pct(10, 3)], 'P', options);
    expect(tenth.groups[0]!.note).toBe('按 10% 抽取，不少于 3 卷：共 27 卷，抽取 3 卷');
    expect(tenth.groups[0]!.drawn).toHaveLength(3);
  });

  it('uses the most specific rule: unit and type, then unit, then type, then the default', () => {
    const list = [...files(2, 'penalty', 20), ...files(2, 'license', 20), ...files(3, 'penalty', 20), ...files(3, 'license', 20), ...files(4, 'inspection', 20)];
    const rules: SamplingRule[] = [
      { mode: 'count', value: 1 }, // default
      { caseType: 'penalty', mode: 'count', value: 2 },
      { unitId: 3, mode: 'count', value: 3 },
      { unitId: 3, caseType: 'penalty', mode: 'count', value: 4 },
    ];
    const result = drawSample(list, rules, 'SPECIFIC', options);
    expect(result.ok).toBe(true);
    expect(result.groups.map((g) => [g.unitId, g.caseType, g.rule?.scope, g.drawn.length])).toEqual([
      [2, 'penalty', 'caseType', 2],
      [2, 'license', 'global', 1],
      [3, 'penalty', 'unit+caseType', 4],
      [3, 'license', 'unit', 3],
      [4, 'inspection', 'global', 1],
    ]);
    expect(result.groups[2]!.rule!.text).toBe('西安区市场监督管理局 · 行政处罚：按 4 卷抽取');
    expect(resolveRule(rules, 3, 'license')!.index).toBe(2);
    // Rule order in the list does not matter.
    expect(drawSample(list, [...rules].reverse(), 'SPECIFIC', options).groups.map((g) => g.drawn.length)).toEqual([2, 1, 4, 3, 1]);
  });

  it('draws nothing from a group without a rule, and says so', () => {
    const list = [...files(2, 'penalty', 10), ...files(2, 'license', 6)];
    const result = drawSample(list, [{ caseType: 'penalty', mode: 'count', value: 2 }], 'NORULE', options);
    expect(result.ok).toBe(true);
    const license = result.groups.find((g) => g.caseType === 'license')!;
    expect(license).toMatchObject({ rule: null, requested: 0, drawn: [], shortfall: 0, note: '未设置抽取规则：共 6 卷，不抽取' });
    expect(result.drawnIds).toHaveLength(2);
  });

  it('describes the rule and the major files in the note', () => {
    const rule: SamplingRule = { unitId: 2, caseType: 'penalty', mode: 'percent', value: 10, minimum: 3, majorWeight: 2 };
    expect(describeRule(rule, options)).toBe('东安区司法局 · 行政处罚：按 10% 抽取，不少于 3 卷，重大案件权重 2 倍');
    const result = drawSample(pinned, pinnedRules, '7K3M-9QXA-2BHD', options);
    expect(result.groups[2]!.note).toBe('按 10% 抽取，不少于 3 卷，重大案件权重 2 倍：共 14 卷（重大案件 2 卷），抽取 3 卷（重大案件 1 卷）');
    expect(result.groups[2]!.majorAvailable).toBe(2);
    expect(result.groups[1]!.note).toBe('按 2 卷抽取：共 9 卷，抽取 2 卷');
  });
});

describe('impossible requests', () => {
  it('refuses the whole draw when a count exceeds a list, listing every such group', () => {
    const list = [...files(2, 'penalty', 5), ...files(3, 'penalty', 2), ...files(4, 'penalty', 30)];
    const result = drawSample(list, [{ mode: 'count', value: 8 }], 'TOO-MANY', options);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      '东安区司法局 行政处罚 案卷仅 5 卷，少于要求抽取的 8 卷',
      '西安区市场监督管理局 行政处罚 案卷仅 2 卷，少于要求抽取的 8 卷',
    ]);
    expect(result.drawnIds).toEqual([]);
    expect(result.groups.every((g) => g.drawn.length === 0)).toBe(true);
    expect(result.groups.map((g) => g.shortfall)).toEqual([3, 6, 0]);
    expect(result.groups[0]!.note).toBe('按 8 卷抽取：共 5 卷，不足要求抽取的 8 卷');
    expect(result.groups[2]!.note).toBe('按 8 卷抽取：共 30 卷，应抽取 8 卷'); // not drawn, since the draw is refused
  });

  it('refuses a count for a unit and type that handed in no files', () => {
    const result = drawSample(files(2, 'penalty', 5), [{ unitId: 2, caseType: 'license', mode: 'count', value: 1 }], 'EMPTY', options);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['东安区司法局 行政许可 案卷仅 0 卷，少于要求抽取的 1 卷']);
  });

  it('draws the whole list, with a warning, when a percentage’s minimum exceeds it', () => {
    const list = files(2, 'penalty', 2);
    const result = drawSample(list, [{ mode: 'percent', value: 10, minimum: 3 }], 'MIN', options);
    expect(result.ok).toBe(true);
    expect(result.groups[0]).toMatchObject({ requested: 3, shortfall: 1, note: '按 10% 抽取，不少于 3 卷：共 2 卷，不足 3 卷，全部抽取' });
    expect(result.drawnIds.toSorted()).toEqual(list.map((f) => f.id).toSorted());
    expect(result.warnings).toEqual(['东安区司法局 行政处罚 案卷仅 2 卷，少于最少抽取的 3 卷，全部抽取']);
  });

  it('rejects bad rules and seeds with a message for each', () => {
    const list = files(2, 'penalty', 10);
    const problemsOf = (rules: SamplingRule[], seed = 'OK') => drawSample(list, rules, seed, options).problems;
    expect(problemsOf([{ mode: 'count', value: -1 }])).toEqual(['抽取规则“全部单位 · 全部类型”：抽取卷数必须是不小于 0 的整数（现为 -1）']);
    expect(problemsOf([{ mode: 'count', value: 2.5 }])[0]).toContain('抽取卷数必须是不小于 0 的整数');
    expect(problemsOf([{ mode: 'percent', value: 120 }])[0]).toContain('抽取比例必须在 0% 到 100% 之间（现为 120%）');
    expect(problemsOf([{ mode: 'percent', value: -5 }])[0]).toContain('0% 到 100%');
    expect(problemsOf([{ mode: 'percent', value: 10.125 }])[0]).toContain('最多保留两位小数');
    expect(problemsOf([{ unitId: 2, mode: 'percent', value: 10, minimum: -1 }])).toEqual(['抽取规则“东安区司法局 · 全部类型”：最少抽取卷数必须是不小于 0 的整数（现为 -1）']);
    expect(problemsOf([{ mode: 'count', value: 2, majorWeight: 0.5 }])[0]).toContain('重大案件权重不能小于 1（现为 0.5）');
    expect(problemsOf([{ caseType: 'penalty', mode: 'count', value: 2 }, { caseType: 'penalty', mode: 'count', value: 3 }]))
      .toEqual(['抽取规则“全部单位 · 行政处罚”重复设置，请只保留一条']);
    expect(problemsOf([{ mode: 'count', value: 2 }], ' - ')).toEqual(['请填写抽取种子']);
    // Several problems at once are all reported, and nothing is drawn.
    const bad = drawSample(list, [{ mode: 'count', value: -1, majorWeight: 0 }], '', options);
    expect(bad.problems).toHaveLength(3);
    expect(bad.drawnIds).toEqual([]);
    expect(bad.groups[0]!.note).toContain('规则有误');
  });

  it('rejects a file list with a repeated id', () => {
    const list = files(2, 'penalty', 3);
    const result = drawSample([...list, { ...list[0]!, fileNumber: 'copy' }], [{ mode: 'count', value: 1 }], 'DUP');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([`案卷目录中案卷（编号 ${list[0]!.id}）重复出现`]);
  });
});

describe('verifying a recorded draw', () => {
  const recorded = drawSample(pinned, pinnedRules, 'CHECK', options);

  it('confirms the recorded files, in any order', () => {
    const v = verifyDraw(reorder(pinned), pinnedRules, 'check', recorded.drawnIds, options);
    expect(v).toMatchObject({ matches: true, sameOrder: true, missing: [], unexpected: [] });
    expect(v.message).toBe('复核一致：按种子 CHECK 重新抽取，得到的 8 卷与记录相同');
    expect(verifyDraw(pinned, pinnedRules, 'CHECK', [...recorded.drawnIds].reverse(), options)).toMatchObject({ matches: true, sameOrder: false });
  });

  it('detects a swapped file, a changed list and a different seed', () => {
    const swapped = recorded.drawnIds.map((id) => (id === recorded.drawnIds[0] ? 9999 : id));
    const v = verifyDraw(pinned, pinnedRules, 'CHECK', swapped, options);
    expect(v).toMatchObject({ matches: false, missing: [recorded.drawnIds[0]], unexpected: [9999] });
    expect(v.message).toBe('复核不一致：重新抽取应得 8 卷，记录中缺少 1 卷、多出 1 卷');
    expect(verifyDraw(pinned, pinnedRules, 'CHECK2', recorded.drawnIds, options).matches).toBe(false);
    const shorter = pinned.filter((f) => f.id !== recorded.drawnIds[0]);
    expect(verifyDraw(shorter, pinnedRules, 'CHECK', recorded.drawnIds, options).matches).toBe(false);
    expect(verifyDraw(pinned, pinnedRules, 'CHECK', [...recorded.drawnIds, recorded.drawnIds[0]!], options).matches).toBe(false);
  });

  it('says why a draw cannot be repeated', () => {
    const v = verifyDraw(pinned, [{ mode: 'count', value: 20 }], 'CHECK', [], options);
    expect(v.matches).toBe(false);
    expect(v.message).toContain('无法按记录的种子重新抽取：东安区司法局 行政许可 案卷仅 9 卷，少于要求抽取的 20 卷');
  });
});

describe('statistics (fixed seeds, so deterministic; thresholds at significance 0.001)', () => {
  it('with weight 1, includes every file about equally often (chi-square, 9 degrees of freedom)', () => {
    // k = 3 of n = 10, N = 20,000 draws. Each file's count O_i has mean E = N·k/n = 6,000. The
    // inclusion indicators of one draw have variance p(1−p) and covariance −p(1−p)/(n−1) (p = k/n),
    // so X = Σ(O_i − E)² / (N·p(1−p)·n/(n−1)) is asymptotically chi-square with n − 1 = 9 degrees of
    // freedom. Upper critical value at α = 0.001: 27.877. The lower tail (X < 1.152, also α = 0.001)
    // catches a draw that is too even to be random, such as a rotation through the list.
    const n = 10;
    const k = 3;
    const N = 20_000;
    const list = files(2, 'penalty', n);
    const index = new Map(list.map((f, i) => [f.id, i]));
    const counts = new Array<number>(n).fill(0);
    const rules: SamplingRule[] = [{ mode: 'count', value: k }];
    for (let s = 0; s < N; s++) {
      for (const id of drawSample(list, rules, `U${s}`).drawnIds) counts[index.get(id)!]! += 1;
    }
    const p = k / n;
    const expected = (N * k) / n;
    const x = counts.reduce((sum, o) => sum + (o - expected) ** 2, 0) / ((N * p * (1 - p) * n) / (n - 1));
    expect(x).toBeLessThan(27.877);
    expect(x).toBeGreaterThan(1.152);
  });

  it('draws a major file w times as often as an ordinary one (one draw from 2 major + 8 ordinary, w = 3)', () => {
    // With one file drawn, P(a given major file) = w/W and P(a given ordinary file) = 1/W exactly,
    // W = 2w + 8 = 14. The number M of major draws in N = 20,000 is Binomial(N, 6/14); a z-test
    // |M − Np| < 3.29·sd has α = 0.001, i.e. the major/ordinary rate ratio within about ±6 % of 3.
    // (Ignoring the weight would give p = 0.2, some 66 sd away.)
    const N = 20_000;
    const list = files(3, 'penalty', 10, 5); // files 0 and 5 are major
    const major = new Set(list.filter((f) => f.isMajor).map((f) => f.id));
    expect(major.size).toBe(2);
    const rules: SamplingRule[] = [{ mode: 'count', value: 1, majorWeight: 3 }];
    let m = 0;
    for (let s = 0; s < N; s++) if (major.has(drawSample(list, rules, `W${s}`).drawnIds[0]!)) m++;
    const p = 6 / 14;
    const z = (m - N * p) / Math.sqrt(N * p * (1 - p));
    expect(Math.abs(z)).toBeLessThan(3.29);
    const ratio = (m / 2) / ((N - m) / 8);
    expect(ratio).toBeGreaterThan(2.8);
    expect(ratio).toBeLessThan(3.2);
  });

  it('follows successive weighted sampling without replacement (chi-square, 3 degrees of freedom)', () => {
    // 4 of 10 files (3 major, weight 2.5). The exact distribution of the number of major files
    // drawn follows from the model: each step picks a major file with probability m·w/(m·w + o).
    // Categories 0–3 majors, N = 10,000 draws; critical value at α = 0.001 with 3 df: 16.266.
    const w = 2.5;
    const dist = (m: number, o: number, steps: number): number[] => {
      if (steps === 0) return [1, 0, 0, 0];
      const pm = (m * w) / (m * w + o);
      const out = [0, 0, 0, 0];
      if (m > 0) dist(m - 1, o, steps - 1).forEach((q, j) => { if (j < 3) out[j + 1]! += pm * q; });
      if (o > 0) dist(m, o - 1, steps - 1).forEach((q, j) => { out[j]! += (1 - pm) * q; });
      return out;
    };
    const probabilities = dist(3, 7, 4);
    expect(probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    const N = 10_000;
    const list = files(4, 'license', 10).map((f, i) => ({ ...f, isMajor: i === 1 || i === 4 || i === 8 }));
    const major = new Set(list.filter((f) => f.isMajor).map((f) => f.id));
    const rules: SamplingRule[] = [{ mode: 'count', value: 4, majorWeight: w }];
    const observed = [0, 0, 0, 0];
    for (let s = 0; s < N; s++) observed[drawSample(list, rules, `D${s}`).drawnIds.filter((id) => major.has(id)).length]! += 1;
    const x = observed.reduce((sum, o, j) => sum + (o - N * probabilities[j]!) ** 2 / (N * probabilities[j]!), 0);
    expect(x).toBeLessThan(16.266);
  });
});

describe('properties', () => {
  const types = ['penalty', 'license', 'inspection'] as const;
  const candidatesArb = fc.uniqueArray(
    fc.record({
      id: fc.integer({ min: 1, max: 10_000 }),
      unitId: fc.integer({ min: 1, max: 3 }),
      caseType: fc.constantFrom(...types),
      fileNumber: fc.string({ maxLength: 6 }),
      isMajor: fc.boolean(),
    }),
    { selector: (c) => c.id, maxLength: 60 },
  );
  const ruleArb: fc.Arbitrary<SamplingRule> = fc.record({
    unitId: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    caseType: fc.option(fc.constantFrom(...types), { nil: null }),
    mode: fc.constantFrom('count' as const, 'percent' as const),
    value: fc.integer({ min: 0, max: 10 }),
    minimum: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    majorWeight: fc.option(fc.integer({ min: 100, max: 500 }).map((h) => h / 100), { nil: undefined }),
  }).map((r) => (r.mode === 'percent' ? { ...r, value: r.value * 10 } : r));
  const rulesArb = fc.uniqueArray(ruleArb, { selector: (r) => `${r.unitId}|${r.caseType}`, maxLength: 6 });
  const seedArb = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => normalizeSeed(s) !== '');

  it('draws unique ids from the group, min(requested, available) of them, or refuses with every short group listed', () => {
    fc.assert(fc.property(candidatesArb, rulesArb, seedArb, (candidates, rules, seed) => {
      const result = drawSample(candidates, rules, seed);
      const countShort = result.groups.filter((g) => g.rule && rules[g.rule.index]!.mode === 'count' && g.shortfall > 0);
      expect(result.problems).toHaveLength(countShort.length);
      expect(result.ok).toBe(countShort.length === 0);
      if (!result.ok) {
        expect(result.drawnIds).toEqual([]);
        return;
      }
      for (const g of result.groups) {
        const members = new Set(candidates.filter((c) => c.unitId === g.unitId && c.caseType === g.caseType).map((c) => c.id));
        expect(g.available).toBe(members.size);
        expect(g.drawn.every((id) => members.has(id))).toBe(true);
        expect(new Set(g.drawn).size).toBe(g.drawn.length);
        expect(g.drawn).toHaveLength(Math.min(g.requested, g.available));
        expect(g.shortfall).toBe(Math.max(0, g.requested - g.available));
      }
      expect(result.drawnIds).toEqual(result.groups.flatMap((g) => g.drawn));
      expect(new Set(result.drawnIds).size).toBe(result.drawnIds.length);
    }));
  });

  it('gives the same result whatever the order of the files', () => {
    const arb = candidatesArb.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })));
    fc.assert(fc.property(arb, rulesArb, seedArb, ([list, shuffled], rules, seed) => {
      expect(drawSample(shuffled, rules, seed)).toEqual(drawSample(list, rules, seed));
    }));
  });
});
