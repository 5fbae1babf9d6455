// Browser journey (issue 5): a reviewer opens a file's score sheet (一卷一表), records several deductions and
// vetoes, and watches the running total, the section subtotal and the grade change as they type; saves a draft,
// submits, and finds the same total on the printed sheet as the server stored. Also: the page without JavaScript.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prngFromText } from '../../src/domain/prng.ts';
import { formatTenths, tenthsOf } from '../../src/domain/rubric/points.ts';
import { scoreReview, type DeductionMark } from '../../src/domain/rubric/scoring.ts';
import { findVersionById, parseStored } from '../../src/features/rubrics/queries.ts';
import { FIXTURE_PASSWORD, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.ts';

let app: BrowserApp;
let fx: ReviewFixture;
let page: Page;
let sheetUrl = '';

beforeAll(async () => {
  app = await startBrowserApp();
  fx = await setUpReviewCampaign(app.t);
  sheetUrl = `${app.base}/campaigns/${fx.campaignId}/files/${fx.files.a1}/sheet`;
  ({ page } = await app.newPage());
  // Submitting asks for confirmation; the reviewer agrees.
  page.on('dialog', (dialog) => { void dialog.accept(); });
});

afterAll(async () => {
  await app?.close();
});

async function login(p: Page, username: string): Promise<void> {
  await p.goto(`${app.base}/login`);
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(FIXTURE_PASSWORD);
  await p.getByRole('button', { name: '登录' }).click();
  await p.waitForURL(`${app.base}/`);
}

const summary = (p: Page, what: 'total' | 'deducted' | 'grade' | 'veto') => p.locator(`.sheet-summary [data-summary="${what}"]`);
const sectionSubtotal = (p: Page, code: string) => p.locator(`.sheet-section [data-section-subtotal="${code}"]`);
const item = (p: Page, code: string) => p.locator(`.sheet-item[data-item="${code}"]`);
const control = (p: Page, name: string) => p.locator(`[name="${name}"]`);

describe('a reviewer scores a file on the score sheet', () => {
  it('finds the file in the queue and opens its empty sheet at full marks', async () => {
    await login(page, 'rev-b');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的评查任务' }).click();
    await page.waitForURL(`${app.base}/queue`);
    await page.locator('tr', { hasText: 'DA-2026-001' }).getByRole('link', { name: '填写评查表' }).click();
    await page.waitForURL(sheetUrl);
    expect(await page.locator('h1').textContent()).toContain('评查表（一卷一表）');
    expect(await summary(page, 'total').textContent()).toBe('100');
    expect(await summary(page, 'grade').textContent()).toBe('优秀');
    expect(await control(page, 'count.S1-01').inputValue()).toBe('');
    // Vetoes come first; their note fields stay folded away until a veto is checked.
    const firstVeto = await page.locator('[data-veto]').first().boundingBox();
    const firstItem = await item(page, 'S1-01').boundingBox();
    expect(firstVeto!.y).toBeLessThan(firstItem!.y);
    expect(await control(page, 'vetonote.V03').isVisible()).toBe(false);
  });

  it('updates the running total, the section subtotal and the item as deductions are typed', async () => {
    await control(page, 'count.S1-01').fill('1');
    expect(await summary(page, 'total').textContent()).toBe('99');
    expect(await summary(page, 'deducted').textContent()).toBe('1');
    expect(await sectionSubtotal(page, 'S1').textContent()).toBe('5');
    expect(await item(page, 'S1-01').locator('[data-item-deducted]').textContent()).toBe('扣 1 分');
    expect(await item(page, 'S1-01').getAttribute('class')).toContain('has-deduction');

    // Three occurrences at 1 point, but the item's cap is 2.
    await control(page, 'count.S1-01').fill('3');
    expect(await summary(page, 'total').textContent()).toBe('98');
    expect(await sectionSubtotal(page, 'S1').textContent()).toBe('4');
    expect(await item(page, 'S1-01').locator('[data-item-deducted]').textContent()).toBe('扣 2 分（计 3 分，按上限 2 分计）');
    await control(page, 'note.S1-01').fill('三份询问笔录均未记载出示执法证件');
    await control(page, 'doc.S1-01').fill('询问笔录');
    await control(page, 'page.S1-01').fill('5-9');

    // A range item: 5–15 points chosen by the reviewer.
    await control(page, 'points.S3-05').fill('10');
    expect(await summary(page, 'total').textContent()).toBe('88');
    expect(await summary(page, 'grade').textContent()).toBe('良好');
    expect(await sectionSubtotal(page, 'S3').textContent()).toBe('6');
    await control(page, 'note.S3-05').fill('扣押财物未制作现场笔录和清单');

    // Out-of-range points are flagged at once and do not count.
    await control(page, 'points.S3-06').fill('7');
    expect(await item(page, 'S3-06').locator('[data-live-error]').textContent()).toBe('扣分分值应在 1–3 分之间');
    expect(await summary(page, 'total').textContent()).toBe('88');
    await control(page, 'points.S3-06').fill('');
    expect(await item(page, 'S3-06').locator('[data-live-error]').isVisible()).toBe(false);
  });

  it('leaves the running total alone when a 其他问题 is typed (no points)', async () => {
    const section = page.locator('.sheet-others');
    expect(await section.locator('h2').textContent()).toBe('其他问题（不扣分）');
    expect(await section.locator('[data-other]').count()).toBe(5);
    await control(page, 'other.0.note').fill('卷内目录与实际文书顺序不一致');
    await control(page, 'other.0.doc').fill('卷内目录');
    await control(page, 'other.0.page').fill('1');
    expect(await summary(page, 'total').textContent()).toBe('88');
    expect(await summary(page, 'deducted').textContent()).toBe('12');
    expect(await summary(page, 'grade').textContent()).toBe('良好');
    expect(await sectionSubtotal(page, 'S3').textContent()).toBe('6');
    // The browser stops at 200 characters, as the server would refuse more.
    await control(page, 'other.1.note').fill('问'.repeat(250));
    expect((await control(page, 'other.1.note').inputValue()).length).toBe(200);
    expect(await summary(page, 'total').textContent()).toBe('88');
    await control(page, 'other.1.note').fill('');
  });

  it('saves a draft and keeps every value', async () => {
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(sheetUrl);
    expect(await page.locator('.flash-success').textContent()).toBe('草稿已保存：当前得分 88 分，等次良好');
    expect(await control(page, 'count.S1-01').inputValue()).toBe('3');
    expect(await control(page, 'points.S3-05').inputValue()).toBe('10');
    expect(await page.locator('.sheet-server-score').textContent()).toContain('S1-01 扣分 3 分超过该项上限 2 分，按 2 分计');
    expect(await summary(page, 'total').textContent()).toBe('88');
  });

  it('changes the grade with vetoes: fail keeps the score, zero sets it to 0', async () => {
    await page.getByLabel(/V03/).check();
    expect(await control(page, 'vetonote.V03').isVisible()).toBe(true);
    expect(await page.locator('[data-veto="V03"]').getAttribute('class')).toContain('needs-note');
    expect(await summary(page, 'grade').textContent()).toBe('不合格');
    expect(await summary(page, 'total').textContent()).toBe('88');
    expect(await summary(page, 'veto').textContent()).toContain('否决项 V03');

    await page.getByLabel(/V01/).check();
    expect(await summary(page, 'total').textContent()).toBe('0');
    expect(await summary(page, 'grade').textContent()).toBe('不合格');
    expect(await summary(page, 'veto').textContent()).toContain('否决项 V01：计 0 分');
    await screenshot(page, 'score-sheet');
    await page.screenshot({ path: '/tmp/score-sheet.png' });

    await page.getByLabel(/V01/).uncheck();
    expect(await summary(page, 'total').textContent()).toBe('88');
    expect(await summary(page, 'grade').textContent()).toBe('不合格');
    await control(page, 'vetonote.V03').fill('现场检查笔录仅记载一名执法人员');
    await control(page, 'vetodoc.V03').fill('现场检查笔录');
    await control(page, 'vetopage.V03').fill('12');
    expect(await page.locator('[data-veto="V03"]').getAttribute('class')).not.toContain('needs-note');
  });

  it('submits, and the printed sheet shows the same total as the server stored', async () => {
    await page.getByRole('button', { name: '提交评查表' }).click();
    await page.waitForURL(/\/sheets\/\d+\/print$/);
    expect(await page.locator('.flash-success').textContent()).toContain('已提交：得分 88 分，等次不合格');
    const stored = await app.t.db.selectFrom('reviews').selectAll().where('case_file_id', '=', fx.files.a1)
      .where('reviewer_id', '=', fx.reviewers.rb).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'submitted', total_tenths: 880, grade_label: '不合格', deciding_veto: 'V03' });
    expect(await page.locator('.print-total').textContent()).toBe('88');
    expect(await page.locator('.print-grade').textContent()).toBe('不合格');
    expect(await page.locator('.sheet-vetoes-print tr.marked').textContent()).toContain('现场检查笔录仅记载一名执法人员');
    expect(await page.locator('.signatures').textContent()).toContain('评查人员（签名）');
    await screenshot(page, 'score-sheet-print');
    await page.screenshot({ path: '/tmp/score-sheet-print.png', fullPage: true });

    // Back on the sheet: read-only, same figures.
    await page.goto(sheetUrl);
    expect(await page.locator('.sheet-alert-locked').textContent()).toContain('不能再修改');
    expect(await page.getByRole('button', { name: '保存草稿' }).count()).toBe(0);
    expect(await summary(page, 'total').textContent()).toBe('88');
    expect(await control(page, 'count.S1-01').isDisabled()).toBe(true);
  });
});

describe('without JavaScript', () => {
  it('still saves, and the server computes the score', async () => {
    const context = await app.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', javaScriptEnabled: false });
    const p = await context.newPage();
    await login(p, 'rev-c');
    await p.goto(sheetUrl);
    await control(p, 'count.S1-02').fill('2');
    await control(p, 'note.S1-02').fill('两份文书未载明执法证件编号');
    await p.getByRole('button', { name: '保存草稿' }).click();
    await p.waitForURL(sheetUrl);
    expect(await p.locator('.flash-success').textContent()).toBe('草稿已保存：当前得分 99 分，等次优秀');
    expect(await p.locator('.sheet-summary [data-summary="total"]').textContent()).toBe('99');

    // A veto without its note cannot be submitted: the page comes back with the message beside the note.
    await p.getByLabel(/V05/).check();
    await p.getByRole('button', { name: '提交评查表' }).click();
    await p.waitForLoadState();
    expect(await p.locator('.sheet-alert-invalid').textContent()).toContain('勾选否决项 V05 须写明具体问题');
    expect(await p.locator('[data-veto="V05"] .field-error').textContent()).toBe('勾选否决项 V05 须写明具体问题');
    expect(await p.getByLabel(/V05/).isChecked()).toBe(true);
    expect(await control(p, 'count.S1-02').inputValue()).toBe('2');
    await p.screenshot({ path: '/tmp/score-sheet-422.png' });
    await control(p, 'vetonote.V05').fill('违法所得认定仅有当事人陈述，无其他证据印证');
    await p.getByRole('button', { name: '提交评查表' }).click();
    await p.waitForURL(/\/sheets\/\d+\/print$/);
    expect(await p.locator('.print-total').textContent()).toBe('99');
    expect(await p.locator('.print-grade').textContent()).toBe('不合格');
    await context.close();
  });
});

describe('the running total mirrors the scoring engine', () => {
  it('gives the engine\'s total, grade and subtotals for 60 random sheets', async () => {
    const pin = await app.t.db.selectFrom('campaign_rubrics').select('rubric_version_id').where('campaign_id', '=', fx.campaignId)
      .where('case_type', '=', 'penalty').executeTakeFirstOrThrow();
    const rubric = parseStored((await findVersionById(app.t.db, pin.rubric_version_id))!.content);
    const random = prngFromText('score-sheet-mirror');
    const cases = Array.from({ length: 60 }, (_, n) => {
      const density = [5, 30, 80][n % 3]!;
      const fields: Record<string, string> = {};
      const deductions: DeductionMark[] = [];
      for (const item of rubric.sections.flatMap((s) => s.items)) {
        if (random.nextBelow(100) >= density) continue;
        if (item.deduction.type === 'per_occurrence') {
          const count = 1 + random.nextBelow(n % 3 === 2 ? 12 : 3);
          fields[`count.${item.code}`] = String(count);
          deductions.push({ itemCode: item.code, count });
        } else {
          const min = tenthsOf(item.deduction.min);
          const tenths = min + random.nextBelow(tenthsOf(item.deduction.max) - min + 1);
          fields[`points.${item.code}`] = formatTenths(tenths);
          deductions.push({ itemCode: item.code, points: tenths / 10 });
        }
      }
      const vetoes = rubric.vetoes.filter(() => random.nextBelow(100) < 8).map((v) => v.code);
      for (const code of vetoes) fields[`veto.${code}`] = '1';
      const expected = scoreReview(rubric, { deductions, vetoes });
      const effect = rubric.vetoes.find((v) => v.code === expected.decidingVeto)?.effect ?? 'none';
      return { fields, effect, exhausted: expected.sections.some((s) => s.capped), capped: expected.items.some((i) => i.capped), expected: { total: expected.total, deducted: expected.deducted, grade: expected.grade.label, subtotals: expected.sections.map((s) => s.subtotal) } };
    });
    // The cases reach every grade, every veto effect, item caps and exhausted sections.
    expect(new Set(cases.map((c) => c.expected.grade)).size).toBe(4);
    expect(new Set(cases.map((c) => c.effect))).toEqual(new Set(['none', 'zero', 'fail', 'bar_top']));
    expect(cases.some((c) => c.exhausted) && cases.some((c) => c.capped)).toBe(true);

    const { page: p } = await app.newPage();
    await login(p, 'rev-c');
    await p.goto(`${app.base}/campaigns/${fx.campaignId}/files/${fx.files.a2}/sheet`);
    const shown = await p.evaluate((list) => {
      const form = document.querySelector('form[data-score-sheet]') as HTMLFormElement;
      const read = (sel: string) => form.querySelector(sel)!.textContent!.trim();
      return list.map(({ fields }) => {
        for (const el of Array.from(form.querySelectorAll<HTMLInputElement>('input[name^="count."], input[name^="points."], input[name^="veto."]'))) {
          if (el.type === 'checkbox') el.checked = fields[el.name] === '1';
          else el.value = fields[el.name] ?? '';
        }
        form.dispatchEvent(new Event('input', { bubbles: true }));
        return {
          total: read('.sheet-summary [data-summary="total"]'),
          deducted: read('.sheet-summary [data-summary="deducted"]'),
          grade: read('.sheet-summary [data-summary="grade"]'),
          subtotals: Array.from(form.querySelectorAll('.sheet-section [data-section-subtotal]')).map((o) => o.textContent!.trim()),
        };
      });
    }, cases.map((c) => ({ fields: c.fields })));
    expect(shown).toEqual(cases.map((c) => c.expected));
  });
});
