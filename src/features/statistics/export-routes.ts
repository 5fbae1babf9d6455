// A campaign's exports: the XLSX workbook (streamed), one CSV per table, the printable bulletin (通报) and its PDF.
// HTTP only: the tables come from exports.ts, the paragraph from domain/bulletin.ts, the files from src/exports/.
//
// Who: the bureau (administrator, leader) reads the whole campaign at any stage; a department taking part reads its
// own unit only, and only once the results are released; a reviewer reads results file by file, never these.
//
//   GET /campaigns/:id/export.xlsx          单位汇总 · 案卷结果 · 问题清单 · 整改台账
//   GET /campaigns/:id/export/:table.csv    table = units | files | issues | ledger
//   GET /campaigns/:id/bulletin             the printable bulletin (A4)
//   GET /campaigns/:id/bulletin.pdf         the same, printed by Chromium
import fs from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { bulletinTitle, documentDate } from '../../domain/bulletin.ts';
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import { unitScope } from '../../domain/policy.ts';
import { beijingDate } from '../../domain/rectification.ts';
import { formatTenths } from '../../domain/rubric/points.ts';
import { barChart, GRADE_COLORS, pieChart } from '../../exports/charts.ts';
import { toCsv } from '../../exports/csv.ts';
import { htmlDocument, htmlToPdf, pdfAvailable } from '../../exports/pdf.ts';
import { streamWorkbook } from '../../exports/xlsx.ts';
import { AppError, notFound } from '../../web/app-error.ts';
import { assertCan, ctxOf } from '../../web/auth.ts';
import { DOWNLOAD_TYPES, downloadHeaders, sendFile } from '../../web/download.ts';
import { idParam } from '../../web/form.ts';
import { visibleCampaign } from '../campaigns/service.ts';
import { rootUnitName } from '../rectification/queries.ts';
import {
  campaignReport, fileNamePart, isTableKey, rangesNote, TABLE_KEYS, tableSheet, tableText, type CampaignReport,
} from './exports.ts';

const CSS_DIR = path.resolve(import.meta.dirname, '../../../public/css');

export const exportUrls = (campaignId: number) => ({
  xlsx: `/campaigns/${campaignId}/export.xlsx`,
  csv: Object.fromEntries(TABLE_KEYS.map((k) => [k, `/campaigns/${campaignId}/export/${k}.csv`])) as Record<(typeof TABLE_KEYS)[number], string>,
  bulletin: `/campaigns/${campaignId}/bulletin`,
  pdf: `/campaigns/${campaignId}/bulletin.pdf`,
});

const released = (campaign: CampaignRow): boolean => campaign.status === 'released' || campaign.status === 'closed';

export function exportRoutes(deps: Deps): Router {
  const router = Router();
  const today = () => beijingDate(deps.clock.now());

  /** The campaign and the scope this user exports: 404 outside it, 403 for a reviewer or a department before release. */
  async function exportScope(req: Request) {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const actor = asActor(ctx.actor);
    assertCan(req, 'result.view', { participant: true, unitId: actor.unitId });
    const wholeCampaign = unitScope(actor).kind === 'all';
    if (!wholeCampaign && !released(campaign)) {
      const stage = CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus] ?? campaign.status;
      throw new AppError(403, `本活动的评查结果尚未发布（当前阶段：${stage}），发布后本单位才能导出本单位的评查结果和通报`);
    }
    return { campaign, scope: { unitId: wholeCampaign ? null : actor.unitId, today: today() } };
  }

  async function reportOf(req: Request): Promise<CampaignReport> {
    const { campaign, scope } = await exportScope(req);
    return campaignReport(deps.db, campaign, scope);
  }

  const fileBase = (report: CampaignReport) => fileNamePart(report.unitName ? `${report.campaign.name}-${report.unitName}` : report.campaign.name);

  router.get('/campaigns/:id/export.xlsx', async (req, res) => {
    // Everything is read before the first byte goes out: a failure then is still a proper error page.
    const report = await reportOf(req);
    downloadHeaders(res, `${fileBase(report)}-评查结果.xlsx`, DOWNLOAD_TYPES.xlsx);
    try {
      await streamWorkbook(res, TABLE_KEYS.map((k) => tableSheet(report.tables[k])));
    } catch (e) {
      deps.logger.error({ err: e, url: req.originalUrl }, 'workbook export failed while streaming');
      res.destroy(e instanceof Error ? e : undefined);
    }
  });

  router.get('/campaigns/:id/export/:table.csv', async (req, res) => {
    const key = req.params.table;
    if (!isTableKey(key)) throw notFound('导出表格');
    const report = await reportOf(req);
    const { headers, rows } = tableText(report.tables[key]);
    sendFile(res, `${fileBase(report)}-${report.tables[key].title}.csv`, 'csv', toCsv(headers, rows));
  });

  /** What the bulletin template shows. */
  async function bulletinView(report: CampaignReport, options: { pdf: boolean }) {
    const { campaign, statistics, unitName } = report;
    const units = tableText(report.tables.units);
    const grades = statistics.summary.grades.filter((g) => g.count > 0);
    const title = bulletinTitle(campaign.name);
    return {
      title, layout: options.pdf ? false : undefined, pdf: options.pdf,
      campaign, unitName, kindLabel: report.kindLabel,
      statusLabel: CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus] ?? campaign.status,
      draftNotice: released(campaign) ? null
        : `本活动的评查结果尚未发布（当前阶段：${CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus] ?? campaign.status}），以下为目前已形成最后得分的案卷的统计，仅供核对，不宜印发。`,
      paragraph: report.paragraph,
      // The totals row's 备注 holds the score ranges' definition; the bulletin states it under the table instead.
      unitTable: { headers: units.headers, rows: units.rows.slice(0, -1), totals: [...units.rows.at(-1)!.slice(0, -1), ''] },
      rangesNote: rangesNote(report.ranges),
      hasResults: statistics.summary.files > 0,
      gradeChart: grades.length > 0
        ? pieChart({ title: '等次分布（案卷数）', slices: grades.map((g) => ({ name: g.label, value: g.count, color: GRADE_COLORS[g.code] })), width: 600, height: 300 })
        : null,
      averageChart: report.unitAverages.length > 0 ? barChart({
        title: '各单位平均分', categories: report.unitAverages.map((u) => u.unitName), values: report.unitAverages.map((u) => Number(formatTenths(u.averageTenths))),
        max: 100, horizontal: true, width: 600,
      }) : null,
      gradeSummary: statistics.summary.grades.map((g) => `${g.label} ${g.count} 件（${g.rate.percent}）`).join('、'),
      commonIssues: report.issues.filter((i) => i.scope === 'common').map((i) => ({
        wording: i.wording,
        figures: unitName ? `本单位 ${i.fileCount} 卷案卷` : `涉及 ${i.unitCount} 个单位、${i.fileCount} 卷案卷`,
      })),
      individualCount: report.individualCount,
      rectificationSentence: report.rectification ? `${report.rectification.sentence}。` : null,
      bureauName: await rootUnitName(deps.db) || deps.config.bureauName,
      issuedOn: documentDate(report.scope.today),
      links: exportUrls(campaign.id),
      campaignHref: `/campaigns/${campaign.id}`,
    };
  }

  const render = (req: Request, view: string, data: object) => new Promise<string>((resolve, reject) => {
    req.app.render(view, data, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? '')));
  });

  router.get('/campaigns/:id/bulletin', async (req, res) => {
    res.render('statistics/bulletin', await bulletinView(await reportOf(req), { pdf: false }));
  });

  let css: string[] | null = null;
  const stylesheets = () => (css ??= ['app.css', 'print.css'].map((f) => fs.readFileSync(path.join(CSS_DIR, f), 'utf8')));

  router.get('/campaigns/:id/bulletin.pdf', async (req, res: Response) => {
    const report = await reportOf(req);
    if (!pdfAvailable()) {
      res.status(503);
      return res.render('statistics/bulletin', {
        ...(await bulletinView(report, { pdf: false })),
        pdfUnavailable: '生成 PDF 需要在服务器上安装 Chromium 浏览器（/usr/bin/chromium），本机尚未安装。请使用下面的打印版：点击“打印通报”，在打印对话框中选择“另存为 PDF”。',
      });
    }
    const view = await bulletinView(report, { pdf: true });
    const body = await render(req, 'statistics/bulletin', view);
    const pdf = await htmlToPdf(htmlDocument({ title: view.title, body, css: stylesheets() }));
    sendFile(res, `${fileBase(report)}-通报.pdf`, 'pdf', pdf);
  });

  return router;
}
