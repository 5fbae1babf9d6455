// Demo: builds a separate database with a realistic region (modelled on the Mudanjiang 2022 review: one
// city bureau, 10 county-level bureaus, 14 city departments, some towns, reviewers and department users)
// and three campaigns: two for 2026 (a cross review with file lists, a seeded draw and reviewers assigned, taken
// into its 评查中 stage with part of its files scored — see demo-campaigns.ts and demo-scores.ts; a self-check in
// preparation) and the finished 2025 cross review, results released and objections raised (demo-history.ts),
// then starts the app on it. Everything is created through the app's own services, as the administrator or as
// the reviewer or department user who would do it, so the audit log reads like real use.
// The units' file lists are also written beside the database as demo-案卷目录.xlsx, ready to import by hand.
//
//   npm run demo                      build ./data/demo.db (deleted and rebuilt every run) and start the app
//   npm run demo:build                build only
//   DEMO_DB_PATH=/tmp/x.db npm run demo   another file; PORT and HOST work as for `npm start`
import fs from 'node:fs';
import path from 'node:path';
import { ensureFirstAdmin, FIRST_ADMIN_USERNAME } from '../src/bootstrap.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import type { Ctx, Deps } from '../src/context.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { ImportRow } from '../src/domain/units.ts';
import type { CaseType, ReviewerPool } from '../src/domain/vocabulary.ts';
import { CASE_TYPE_LABELS, REVIEWER_POOL_LABELS } from '../src/domain/vocabulary.ts';
import { createLogger } from '../src/logger.ts';
import { loadRubricDirectory } from '../src/features/rubrics/loader.ts';
import { createUnit, importUnits } from '../src/features/units/service.ts';
import { createUser, importUsers } from '../src/features/users/service.ts';
import { buildDemoCampaigns, CROSS_NAME, SELF_NAME, type DemoCampaignSummary } from './demo-campaigns.ts';
import { buildDemoHistory, type DemoHistorySummary } from './demo-history.ts';
import { buildDemoRectification, type DemoRectificationSummary } from './demo-rectification.ts';
import { buildDemoScores, DEMO_SCORES_SEED, type DemoScoresSummary } from './demo-scores.ts';

/** One password for every demo account, so a demo can switch roles quickly. Never use it for real data. */
export const DEMO_PASSWORD = 'Demo2026';
const CITY_BUREAU = '牡丹江市司法局';

const COUNTY_BUREAUS: [code: string, name: string][] = [
  ['MDJ-DA', '东安区司法局'],
  ['MDJ-YM', '阳明区司法局'],
  ['MDJ-AM', '爱民区司法局'],
  ['MDJ-XA', '西安区司法局'],
  ['MDJ-SFH', '绥芬河市司法局'],
  ['MDJ-HL', '海林市司法局'],
  ['MDJ-NA', '宁安市司法局'],
  ['MDJ-ML', '穆棱市司法局'],
  ['MDJ-DN', '东宁市司法局'],
  ['MDJ-LK', '林口县司法局'],
];

/** City departments: code, name, the department user's login and name. */
const DEPARTMENTS: [code: string, name: string, username: string, person: string][] = [
  ['MDJ-SCJG', '牡丹江市市场监督管理局', 'scjg', '李红梅'],
  ['MDJ-STHJ', '牡丹江市生态环境局', 'sthj', '张立军'],
  ['MDJ-JTYS', '牡丹江市交通运输局', 'jtys', '王春雨'],
  ['MDJ-CGZF', '牡丹江市城市管理综合执法局', 'cgzf', '赵文博'],
  ['MDJ-YJGL', '牡丹江市应急管理局', 'yjgl', '钱丽华'],
  ['MDJ-WSJK', '牡丹江市卫生健康委员会', 'wsjk', '孙晓燕'],
  ['MDJ-NYNC', '牡丹江市农业农村局', 'nync', '周海波'],
  ['MDJ-ZRZY', '牡丹江市自然资源局', 'zrzy', '吴建华'],
  ['MDJ-ZJ', '牡丹江市住房和城乡建设局', 'zjj', '郑玉兰'],
  ['MDJ-WGL', '牡丹江市文化广电和旅游局', 'wglj', '冯志强'],
  ['MDJ-RS', '牡丹江市人力资源和社会保障局', 'rsj', '陈淑芬'],
  ['MDJ-SHUIWU', '牡丹江市水务局', 'shuiwu', '褚建国'],
  ['MDJ-SHANGWU', '牡丹江市商务局', 'shangwu', '卫红艳'],
  ['MDJ-LC', '牡丹江市林业和草原局', 'lcj', '蒋德福'],
];

/** Towns under two county bureaus (created one by one, like an administrator would). */
const TOWNS: [code: string, name: string, parentCode: string][] = [
  ['MDJ-HL-HLZ', '海林镇', 'MDJ-HL'],
  ['MDJ-HL-CTZ', '长汀镇', 'MDJ-HL'],
  ['MDJ-HL-CHZ', '柴河镇', 'MDJ-HL'],
  ['MDJ-NA-NAZ', '宁安镇', 'MDJ-NA'],
  ['MDJ-NA-DJC', '东京城镇', 'MDJ-NA'],
  ['MDJ-NA-BHZ', '渤海镇', 'MDJ-NA'],
];

interface DemoPerson {
  username: string;
  displayName: string;
  unitCode: string | null; // null: the city bureau
  role: 'leader' | 'reviewer';
  poolType?: ReviewerPool;
  caseTypes?: CaseType[];
  phone?: string;
}

const PEOPLE: DemoPerson[] = [
  { username: 'leader', displayName: '高振华', unitCode: null, role: 'leader' },
  { username: 'liuhaitao', displayName: '刘海涛', unitCode: null, role: 'reviewer', poolType: 'judicial', caseTypes: ['penalty', 'license', 'inspection'] },
  { username: 'chenjing', displayName: '陈静', unitCode: 'MDJ-DA', role: 'reviewer', poolType: 'judicial', caseTypes: ['penalty', 'coercion'] },
  { username: 'sunlixin', displayName: '孙立新', unitCode: 'MDJ-HL', role: 'reviewer', poolType: 'judicial', caseTypes: ['penalty', 'license'] },
  { username: 'helina', displayName: '何丽娜', unitCode: 'MDJ-NA', role: 'reviewer', poolType: 'judicial', caseTypes: [] },
  { username: 'zhoumin', displayName: '周敏', unitCode: 'MDJ-SCJG', role: 'reviewer', poolType: 'enforcement', caseTypes: ['penalty', 'inspection'] },
  { username: 'wugang', displayName: '吴刚', unitCode: 'MDJ-STHJ', role: 'reviewer', poolType: 'enforcement', caseTypes: ['penalty', 'coercion'] },
  { username: 'zhengxue', displayName: '郑雪', unitCode: 'MDJ-JTYS', role: 'reviewer', poolType: 'enforcement', caseTypes: ['penalty', 'license'] },
  { username: 'fengzhiyuan', displayName: '冯志远', unitCode: null, role: 'reviewer', poolType: 'lawyer', caseTypes: ['penalty', 'license', 'coercion'], phone: '0453-6000000' },
];

const row = (n: number, values: Record<string, string>): ImportRow => ({ row: n, values });

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

export interface DemoAccount {
  username: string;
  displayName: string;
  role: string;
  unit: string;
  note: string;
}

/** Builds the demo database from nothing; returns the accounts and the campaigns to print. */
export async function buildDemoDatabase(file: string): Promise<{
  accounts: DemoAccount[]; campaigns: DemoCampaignSummary; scores: DemoScoresSummary; history: DemoHistorySummary; rectification: DemoRectificationSummary;
}> {
  removeDatabase(file);
  const config = loadConfig({ ...process.env, DB_PATH: file, ADMIN_PASSWORD: DEMO_PASSWORD, BUREAU_NAME: CITY_BUREAU, LOG_LEVEL: 'warn' });
  const opened = openDatabase(config.dbPath);
  try {
    await migrateToLatest(opened.db);
    const deps: Deps = { db: opened.db, config, clock: systemClock, logger: createLogger(config) };
    // The same first start as `npm start`: the bundled scoring standards (a campaign pins them), the city bureau
    // and the administrator (password from ADMIN_PASSWORD).
    await loadRubricDirectory(deps);
    await ensureFirstAdmin(deps);
    const db = opened.db;
    const admin = await db.selectFrom('users').innerJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.unit_id', 'units.name as unit_name', 'units.code as unit_code'])
      .where('users.username', '=', FIRST_ADMIN_USERNAME).executeTakeFirstOrThrow();
    const ctx: Ctx = {
      ...deps,
      actor: {
        id: admin.id, username: admin.username, displayName: admin.display_name, role: 'admin',
        unitId: admin.unit_id, unitName: admin.unit_name, mustChangePassword: false,
      },
      ip: null,
    };
    const rootCode = admin.unit_code;

    // County bureaus and city departments: one import, as from the template spreadsheet.
    const unitRows = [
      ...COUNTY_BUREAUS.map(([code, name]) => ({ 单位编码: code, 单位名称: name, 单位类型: '司法局', 上级单位编码: rootCode })),
      ...DEPARTMENTS.map(([code, name]) => ({ 单位编码: code, 单位名称: name, 单位类型: '执法部门', 上级单位编码: rootCode })),
    ].map((values, i) => row(i + 2, values));
    await importUnits(ctx, unitRows, '牡丹江市单位名录.xlsx');

    const unitIds = new Map((await db.selectFrom('units').select(['id', 'code', 'name']).execute()).map((u) => [u.code, u]));
    const unitOf = (code: string | null) => {
      const unit = unitIds.get(code ?? rootCode);
      if (!unit) throw new Error(`demo data: no unit ${code}`);
      return unit;
    };
    for (const [code, name, parentCode] of TOWNS) {
      await createUnit(ctx, { code, name, kind: 'town', parentId: unitOf(parentCode).id });
    }

    // The leader and the reviewers, one by one through the user form's service.
    const accounts: DemoAccount[] = [{
      username: admin.username, displayName: admin.display_name, role: '管理员', unit: admin.unit_name, note: '',
    }];
    for (const p of PEOPLE) {
      const unit = unitOf(p.unitCode);
      await createUser(ctx, {
        username: p.username, displayName: p.displayName, role: p.role, unitId: unit.id,
        poolType: p.poolType ?? null, caseTypes: p.caseTypes ?? [], phone: p.phone ?? null,
      }, DEMO_PASSWORD);
      accounts.push({
        username: p.username, displayName: p.displayName, role: p.role === 'leader' ? '领导' : '评查员', unit: unit.name,
        note: p.poolType
          ? `${REVIEWER_POOL_LABELS[p.poolType]}；${p.caseTypes?.length ? p.caseTypes.map((c) => CASE_TYPE_LABELS[c]).join('、') : '案卷类型不限'}`
          : '只读',
      });
    }

    // One user per department: a user import, as from the template spreadsheet.
    await importUsers(ctx, DEPARTMENTS.map(([code, , username, person], i) => row(i + 2, {
      用户名: username, 姓名: person, 角色: '部门用户', 所属单位编码: code, 评查员类别: '', 可评案卷类型: '', 联系电话: '', 初始密码: DEMO_PASSWORD,
    })), '牡丹江市执法部门账户.xlsx');
    for (const [code, , username, person] of DEPARTMENTS) {
      accounts.push({ username, displayName: person, role: '部门用户', unit: unitOf(code).name, note: '' });
    }

    // The 2026 campaigns: a cross review up to its sampling stage (file lists, draw, assignment) and a self-check.
    const reviewerNames = PEOPLE.filter((p) => p.role === 'reviewer').map((p) => p.displayName);
    const campaigns = await buildDemoCampaigns(ctx, path.dirname(file), reviewerNames);
    // The cross review moves on to 评查中 and part of it is scored by its reviewers (sheets, re-checks, finals).
    const scores = await buildDemoScores(ctx, campaigns.crossId);
    // Last year's cross review, finished: every file scored, results released, objections raised (campaign 3).
    const history = await buildDemoHistory(ctx, reviewerNames);
    // Its rectification: notices out, due in five days, units at every stage of the loop.
    const rectification = await buildDemoRectification(ctx, history.id);

    // Demo only: the services make every new account change its password at first login, which would get in
    // the way of a demonstration. This one flag is cleared directly (and deliberately not audited).
    await db.updateTable('users').set({ must_change_password: 0 }).execute();
    return { accounts, campaigns, scores, history, rectification };
  } finally {
    await opened.close();
  }
}

/** Pads to a width in terminal columns: CJK characters take two. */
function pad(text: string, columns: number): string {
  const width = [...text].reduce((n, ch) => n + (/[\u1100-\uffff]/u.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(1, columns - width));
}

const counts = (list: [string, number][]) => list.map(([label, n]) => `${label} ${n}`).join('，');

function printDemo(file: string, accounts: DemoAccount[], c: DemoCampaignSummary, sc: DemoScoresSummary, h: DemoHistorySummary, r: DemoRectificationSummary): void {
  const width = Math.max(...accounts.map((a) => a.username.length)) + 2;
  const lines = [
    '',
    `演示数据库已生成：${file}`,
    `${CITY_BUREAU}：区县司法局 ${COUNTY_BUREAUS.length} 个，市直执法部门 ${DEPARTMENTS.length} 个，乡镇 ${TOWNS.length} 个，用户 ${accounts.length} 个`,
    `所有演示账户的密码均为：${DEMO_PASSWORD}`,
    '',
    `  ${pad('用户名', width)}${pad('角色', 10)}${pad('姓名', 12)}所属单位`,
    ...accounts.map((a) => `  ${pad(a.username, width)}${pad(a.role, 10)}${pad(a.displayName, 12)}${a.unit}${a.note ? `（${a.note}）` : ''}`),
    '',
    '评查活动：',
    `  1. ${CROSS_NAME}（交叉评查，/campaigns/${c.crossId}），停在“评查中”阶段`,
    `     参评单位 ${c.units} 个，案卷目录 ${c.files} 卷（${counts(c.filesByType)}；其中重大案件 ${c.majorFiles} 卷）`,
    `     抽取规则：行政处罚按 20% 抽取、不少于 2 卷，行政许可、行政检查、行政强制每单位各 1 卷，重大案件权重 2`,
    `     随机种子：${c.seed}，抽取 ${c.sampled} 卷（${counts(c.sampledByType)}）${c.warnings.length ? `；${c.warnings.join('；')}` : ''}`,
    `     评查员库 ${c.perReviewer.length} 人，每卷 2 人，自动分配 ${c.assignments} 人次${c.unassigned ? `，${c.unassigned} 卷未能配齐` : '，全部案卷已配齐'}：`,
    ...c.perReviewer.map((r) => `       ${pad(r.username, width)}${pad(r.name, 8)}${pad(`${r.files} 卷`, 8)}${r.unit}${r.note ? `（${r.note}）` : ''}`),
    `     执法人员与评查员同名而回避的抽中案卷 ${c.handlerFiles} 卷，例如：`,
    ...c.handlerExamples.map((e) => `       ${e}`),
    `     评查进度（/campaigns/${c.crossId}/progress，评分由种子 ${DEMO_SCORES_SEED} 确定）：${sc.files} 卷中评查中 ${sc.states.reviewing} 卷，待复核 ${sc.states.recheck} 卷，已有最后得分 ${sc.states.final} 卷`,
    `       评查表应交 ${sc.sheets.assigned} 份：已提交 ${sc.sheets.submitted}，草稿 ${sc.sheets.drafted}，未开始 ${sc.sheets.notStarted}`,
    `       转入复核 ${sc.rechecks.total} 卷：未指定复核人员 ${sc.rechecks.unassigned}，已指定待复核 ${sc.rechecks.assigned}，已复核 ${sc.rechecks.settled}（复核确定最后得分 ${sc.byRecheck} 卷）`,
    `       最后得分等次：${counts(sc.grades)}`,
    `  2. ${SELF_NAME}（自查，/campaigns/${c.selfId}），停在“筹备中”阶段，参评单位：${c.selfUnits.join('、')}`,
    `  3. ${h.name}（交叉评查，/campaigns/${h.id}），上一年度已完成的评查，停在“结果已发布”阶段，异议期至 ${h.windowEnd}`,
    `     参评单位 ${h.units} 个，案卷目录 ${h.files} 卷（${counts(h.filesByType)}；其中重大案件 ${h.majorFiles} 卷）`,
    `     抽取规则：${h.rulesText}`,
    `     随机种子：${h.seed}，抽取 ${h.sampled} 卷（${counts(h.sampledByType)}）${h.warnings.length ? `；${h.warnings.join('；')}` : ''}`,
    `     评查员库 ${h.perReviewer.length} 人，每卷 2 人，自动分配 ${h.assignments} 人次（${h.perReviewer.filter((r) => r.files > 0).map((r) => `${r.name} ${r.files} 卷`).join('，')}）`,
    `     评查结果（/campaigns/${h.id}/results，评分由种子 ${h.scoresSeed} 确定）：评查表 ${h.sheets} 份全部提交，${h.sampled} 卷均有最后得分`,
    `       转入复核 ${h.rechecks.total} 卷，均已复核（复核确定最后得分 ${h.byRecheck} 卷，其中确认否决项 ${h.rechecks.confirmedVeto} 卷）`,
    `       最后得分等次：${counts(h.grades)}（因否决项不合格 ${h.vetoFailed} 卷）`,
    `       出现单位最多的扣分项：${h.commonIssues.map((i) => `${i.code} ${i.issue}（${i.units} 个单位 ${i.files} 卷）`).join('；')}`,
    `     异议（/campaigns/${h.id}/objections）${h.objections.length} 件：${counts(h.objectionsByStatus)}`,
    ...h.objections.map((o) => `       ${o.unit} ${o.fileNumber} ${o.target}：${o.status === '待处理' ? '待处理（以 admin 登录处理）' : o.outcome}`),
    `     整改（/campaigns/${h.id}/rectification）：下发整改通知书 ${r.notices} 份，发文日期 ${r.issuedOn}，整改期限 ${r.deadline}；${counts(r.byStage)}`,
    `       整改措施：${counts(r.measures)}`,
    '',
    `案卷目录导入文件：${c.fileListPath}`,
    `  （${c.files} 卷，${c.units} 个单位；在包含这 ${c.units} 个单位的活动中，“案卷目录 → 导入”按文件中的单位编码导入）`,
    '',
    '（演示数据仅供体验，请勿用于正式环境；每次运行都会删除并重建演示数据库）',
    '',
  ];
  console.log(lines.join('\n'));
}

if (import.meta.main) {
  const file = path.resolve(process.env.DEMO_DB_PATH?.trim() || './data/demo.db');
  const started = Date.now();
  const { accounts, campaigns, scores, history, rectification } = await buildDemoDatabase(file);
  printDemo(file, accounts, campaigns, scores, history, rectification);
  console.log(`（用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）\n`);
  if (!process.argv.includes('--build-only')) {
    // The real server entry, on the demo database.
    process.env.DB_PATH = file;
    await import('../src/server.ts');
  }
}
