// Annual rating pages (年度考评): the years, a year's table with its rule and publications, a published revision,
// the table as a workbook; the administrator's rule form and publish button. A leader reads all; a department its
// own unit's row (narrowed by the service); a reviewer nothing.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { can, unitScope } from '../../domain/policy.ts';
import { averageText, changeLines, describeRule, levelText, type RatedUnit } from '../../domain/rating-diff.ts';
import type { Rate } from '../../domain/statistics.ts';
import { writeWorkbook } from '../../exports/xlsx.ts';
import { notFound, ValidationError } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { sendFile } from '../../web/download.ts';
import { changeAndRedirect } from '../../web/flash-action.ts';
import { flash } from '../../web/flash.ts';
import { text } from '../../web/form.ts';
import { formatDateTime } from '../../web/format.ts';
import { latestRevisions, ratingYears } from './queries.ts';
import { isRatingYear, NOTE_MAX, publications, publish, saveRule, yearView, type Publication, type YearView } from './service.ts';

export const ratingUrl = (year: number): string => `/ratings/${year}`;

const HEADERS = ['排名', '单位', '参评案卷数', '平均分', '合格率', '优秀率', '否决项案卷数', '共性问题', '个性问题', '整改完成率', '考评等次'] as const;

const RULE_EXAMPLE = JSON.stringify([
  { label: '优秀', minAverage: 90, minExcellenceRate: 85, minPassRate: 100, maxVetoes: 0 },
  { label: '良好', minAverage: 80 },
  { label: '合格', minAverage: 60 },
  { label: '不合格' },
], null, 2);

const DEFINITIONS = [
  '参评案卷数：该单位在本年度结果已发布（或已结束）的全部评查活动中形成最后得分的案卷数；平均分为这些案卷最后得分的平均值，保留一位小数。',
  '合格率、优秀率 = 合格（含以上）、优秀等次的案卷数 ÷ 参评案卷数；否决项案卷数 = 最后得分含否决项的案卷数。',
  '共性问题、个性问题：各活动中该单位案卷涉及的问题数（按活动分别认定共性、个性后相加）。',
  '整改完成率 = 已整改问题数 ÷ 整改通知书所列问题数（一个问题的整改措施全部验收即为已整改）；未下发整改通知书的显示“—”。',
  '排名按平均分从高到低，平均分相同的按得分总和，两者都相同的并列；没有参评案卷的单位不排名、不评等次。',
];

function yearParam(req: Request): number {
  const raw = req.params.year;
  if (typeof raw !== 'string' || !/^\d{4}$/.test(raw) || !isRatingYear(Number(raw))) throw notFound('考评年度');
  return Number(raw);
}

const rateCell = (r: Rate): string => (r.denominator === 0 ? '—' : `${r.percent}（${r.numerator}/${r.denominator}）`);

function rowView(r: RatedUnit) {
  return {
    unitId: r.unitId, unitName: r.unitName, rank: r.rank, files: r.files, average: averageText(r.averageTenths),
    passRate: rateCell(r.passRate), excellenceRate: rateCell(r.excellenceRate), vetoes: r.vetoes,
    commonIssues: r.commonIssues, individualIssues: r.individualIssues, rectificationRate: rateCell(r.rectificationRate),
    level: levelText(r.level),
  };
}

function publicationView(year: number, p: Publication) {
  return {
    revision: p.revision, href: `${ratingUrl(year)}/revisions/${p.revision}`, note: p.note,
    publishedAt: formatDateTime(p.publishedAt), publishedBy: p.publishedBy ?? '（已删除的用户）',
    changes: changeLines(p.changes), changeCount: p.changes.length,
  };
}

const xlsxCell = (r: Rate): number | string => (r.denominator === 0 ? '—' : r.numerator / r.denominator);

async function workbookOf(view: YearView, source: 'published' | 'live'): Promise<Buffer> {
  const rows = source === 'published' && view.latest ? view.latest.rows : view.rows;
  const ruleLines = describeRule(source === 'published' && view.latest ? view.latest.rule : view.rule.rule);
  return writeWorkbook([
    {
      name: `${view.year}年度考评`, headers: HEADERS,
      rows: rows.map((r) => [
        r.rank ?? '—', r.unitName, r.files, r.averageTenths === null ? '—' : r.averageTenths / 10, xlsxCell(r.passRate), xlsxCell(r.excellenceRate),
        r.vetoes, r.commonIssues, r.individualIssues, xlsxCell(r.rectificationRate), levelText(r.level),
      ]),
      formats: ['integer', 'text', 'integer', 'decimal1', 'percent1', 'percent1', 'integer', 'integer', 'integer', 'percent1', 'text'],
    },
    {
      name: '说明', headers: ['项目', '内容'], columnWidths: [14, 100],
      rows: [
        ['数据', source === 'published' && view.latest ? `已发布第 ${view.latest.revision} 版（${formatDateTime(view.latest.publishedAt)}）` : '实时计算，尚未发布'],
        ...ruleLines.map((line, i) => [i === 0 ? '考评规则' : '', line]),
        ...DEFINITIONS.map((line, i) => [i === 0 ? '口径' : '', line]),
      ],
    },
  ]);
}

export function ratingRoutes(deps: Deps): Router {
  const router = Router();

  router.get('/ratings', permit('rating.view'), async (req, res) => {
    const actor = asActor(req.user!);
    const scope = unitScope(actor);
    const years = await ratingYears(deps.db, scope.kind === 'all' ? null : scope.unitIds[0]!);
    const latest = await latestRevisions(deps.db);
    res.render('ratings/index', {
      title: '年度考评',
      years: years.map((year) => {
        const l = latest.get(year);
        return { year, href: ratingUrl(year), revision: l?.revision ?? null, publishedAt: l ? formatDateTime(l.publishedAt) : null };
      }),
    });
  });

  async function renderYear(req: Request, res: Response, year: number, ruleForm?: { text: string; errors: string[] }) {
    const actor = asActor(req.user!);
    const view = await yearView(deps.db, actor, year);
    const canPublish = can(actor, 'rating.publish');
    const wantLive = req.query.source === 'live';
    const showPublished = view.latest !== null && !wantLive;
    const rows = showPublished ? view.latest!.rows : view.rows;
    const rankedCount = showPublished ? view.latest!.rankedCount : view.rankedCount;
    const department = unitScope(actor).kind !== 'all';
    res.render('ratings/year', {
      title: `${year} 年度考评`,
      year, empty: view.campaigns.length === 0, department, unitName: req.user!.unitName,
      campaigns: view.campaigns.map((c) => ({ ...c, href: `/campaigns/${c.id}/statistics` })),
      showPublished, rankedCount,
      rows: rows.map(rowView), headers: HEADERS,
      ruleLines: describeRule(showPublished ? view.latest!.rule : view.rule.rule),
      ruleSource: view.rule.source,
      ruleUpdated: view.rule.updatedAt ? `${view.rule.updatedBy ?? '（已删除的用户）'} 于 ${formatDateTime(view.rule.updatedAt)} 修改` : null,
      latest: view.latest ? publicationView(year, view.latest) : null,
      earlier: view.publications.slice(0, -1).reverse().map((p) => publicationView(year, p)),
      liveDiffers: view.liveDiffers, liveChanges: changeLines(view.liveChanges),
      liveHref: `${ratingUrl(year)}?source=live`, publishedHref: ratingUrl(year),
      xlsxHref: `/ratings/${year}.xlsx${showPublished || !view.latest ? '' : '?source=live'}`,
      definitions: DEFINITIONS,
      canPublish: canPublish && view.campaigns.length > 0,
      canEditRule: canPublish,
      correction: view.latest !== null, nextRevision: (view.latest?.revision ?? 0) + 1, noteMax: NOTE_MAX,
      ruleForm: {
        text: ruleForm?.text ?? JSON.stringify(view.rule.rule, null, 2),
        errors: ruleForm?.errors ?? [],
        example: RULE_EXAMPLE,
      },
    });
  }

  // Before /ratings/:year, which would otherwise take "2026.xlsx" for a year.
  router.get('/ratings/:year.xlsx', permit('rating.view'), async (req, res) => {
    const year = yearParam(req);
    const view = await yearView(deps.db, asActor(req.user!), year);
    const source = view.latest && req.query.source !== 'live' ? 'published' : 'live';
    const scope = unitScope(asActor(req.user!)).kind === 'all' ? '' : `-${req.user!.unitName}`;
    sendFile(res, `${year}年度考评${scope}.xlsx`, 'xlsx', await workbookOf(view, source));
  });

  router.get('/ratings/:year', permit('rating.view'), async (req, res) => {
    await renderYear(req, res, yearParam(req));
  });

  router.get('/ratings/:year/revisions/:revision', permit('rating.view'), async (req, res) => {
    const year = yearParam(req);
    const raw = req.params.revision;
    const all = await publications(deps.db, asActor(req.user!), year);
    const p = typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? all.find((x) => x.revision === Number(raw)) : undefined;
    if (!p) throw notFound('考评发布版本');
    const latest = all.at(-1)!;
    res.render('ratings/revision', {
      title: `${year} 年度考评 第 ${p.revision} 版`,
      year, yearHref: ratingUrl(year), publication: publicationView(year, p), isLatest: p === latest,
      latestHref: `${ratingUrl(year)}/revisions/${latest.revision}`, latestRevision: latest.revision,
      previousHref: p.revision > 1 ? `${ratingUrl(year)}/revisions/${p.revision - 1}` : null,
      rows: p.rows.map(rowView), headers: HEADERS, rankedCount: p.rankedCount,
      ruleLines: describeRule(p.rule), department: unitScope(asActor(req.user!)).kind !== 'all',
    });
  });

  router.post('/ratings/:year/rule', permit('rating.publish'), async (req, res) => {
    const year = yearParam(req);
    const ruleText = text(req.body, 'rule');
    try {
      await saveRule(ctxOf(req, deps), year, ruleText);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      flash(req, 'error', `${e.message}，请按提示修改`);
      return renderYear(req, res, year, { text: ruleText, errors: e.problems.map((p) => p.message) });
    }
    flash(req, 'success', `已保存 ${year} 年度考评规则；已发布的考评不受影响，下次发布时按新规则评定`);
    res.redirect(ratingUrl(year));
  });

  router.post('/ratings/:year/publish', permit('rating.publish'), async (req, res) => {
    const year = yearParam(req);
    await changeAndRedirect(req, res, ratingUrl(year), async () => {
      const revision = await publish(ctxOf(req, deps), year, text(req.body, 'note'));
      return revision === 1 ? `已发布 ${year} 年度考评（第 1 版）` : `已更正发布 ${year} 年度考评（第 ${revision} 版）`;
    });
  });

  return router;
}
