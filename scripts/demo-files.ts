// Demo file lists (案卷目录): every county bureau and city department of the demo region hands in its case
// files for a year — for 2026 8–20 files a unit with all four case types, for 2025 (the finished campaign of
// demo-history.ts) 6–11 files of 行政处罚, 行政许可 and 行政检查. Deterministic: each unit has its own fixed-seed
// generator per year (prngFromText), so the same list comes out on every machine and every run, and adding a
// unit does not change another unit's files. A unit's officers are the same in both years.
//
// The rows are keyed by the import template's Chinese headers (CASE_FILE_IMPORT_HEADERS), exactly as a
// unit would fill in the template; scripts/demo.ts writes them to an .xlsx and imports that file.
import { CASE_FILE_IMPORT_HEADERS } from '../src/domain/case-files.ts';
import { prngFromText, type Prng } from '../src/domain/prng.ts';

export type DemoCaseType = '行政处罚' | '行政许可' | '行政检查' | '行政强制';
type Party = 'company' | 'person';

/** One area of enforcement: its label, the short forms used in file numbers, and typical causes per case type. */
interface FieldProfile {
  field: string; // 执法门类
  short: string; // in a county's file number: 海林市监罚〔2026〕3号
  industries: string[]; // company name endings
  causes: Partial<Record<DemoCaseType, [cause: string, party: Party][]>>;
}

const FIELDS: Record<string, FieldProfile> = {
  scjg: {
    field: '市场监管', short: '市监', industries: ['商贸有限公司', '食品有限公司', '超市有限公司', '餐饮管理有限公司', '医药连锁有限公司'],
    causes: {
      行政处罚: [['无照经营', 'person'], ['销售过期食品', 'company'], ['销售不符合食品安全标准的食品', 'company'], ['发布虚假广告', 'company'],
        ['未按规定公示年度报告', 'company'], ['销售不合格电动自行车', 'company'], ['价格欺诈', 'company'], ['经营标签不符合规定的预包装食品', 'company']],
      行政许可: [['食品经营许可', 'company'], ['药品零售许可', 'company']],
      行政检查: [['食品安全监督检查', 'company'], ['特种设备安全监督检查', 'company']],
      行政强制: [['查封、扣押不合格产品', 'company']],
    },
  },
  sthj: {
    field: '生态环境', short: '环', industries: ['热电有限公司', '化工有限公司', '水泥有限公司', '木业有限公司', '洗涤有限公司'],
    causes: {
      行政处罚: [['超标排放大气污染物', 'company'], ['超标排放水污染物', 'company'], ['未批先建', 'company'], ['未依法申领排污许可证排放污染物', 'company'],
        ['违规贮存危险废物', 'company'], ['建筑施工噪声超标', 'company'], ['未按规定运行污染防治设施', 'company']],
      行政许可: [['排污许可证核发', 'company']],
      行政检查: [['重点排污单位现场检查', 'company']],
      行政强制: [['查封超标排放的污染设施', 'company']],
    },
  },
  jtys: {
    field: '交通运输', short: '交', industries: ['运输有限公司', '物流有限公司', '客运有限公司', '出租汽车有限公司'],
    causes: {
      行政处罚: [['非法营运（未取得道路运输经营许可）', 'person'], ['巡游出租车不按规定使用计价器', 'person'], ['货车超限运输', 'company'],
        ['未按规定进行车辆二级维护', 'company'], ['网约车未取得运输证从事经营', 'person']],
      行政许可: [['道路货物运输经营许可', 'company'], ['道路旅客运输经营许可', 'company']],
      行政检查: [['客运站安全生产检查', 'company']],
      行政强制: [['暂扣非法营运车辆', 'person']],
    },
  },
  cgzf: {
    field: '城市管理', short: '城管', industries: ['建筑工程有限公司', '广告有限公司', '渣土运输有限公司', '餐饮有限公司'],
    causes: {
      行政处罚: [['占道经营', 'person'], ['擅自设置户外广告', 'company'], ['未经批准挖掘城市道路', 'company'], ['随意倾倒建筑垃圾', 'company'],
        ['违法建设', 'person'], ['运输渣土车辆未密闭', 'company'], ['餐饮油烟直排', 'company']],
      行政许可: [['临时占用城市道路许可', 'company'], ['设置大型户外广告许可', 'company']],
      行政检查: [['市容环境卫生检查', 'company']],
      行政强制: [['强制拆除违法建筑', 'person'], ['暂扣占道经营物品', 'person']],
    },
  },
  yjgl: {
    field: '应急管理', short: '应急', industries: ['化工有限公司', '矿业有限公司', '加油站有限公司', '机械制造有限公司', '木业有限公司'],
    causes: {
      行政处罚: [['未按规定开展安全生产教育和培训', 'company'], ['未建立事故隐患排查治理制度', 'company'], ['特种作业人员未持证上岗', 'company'],
        ['危险化学品储存不符合安全要求', 'company'], ['安全生产费用未足额提取', 'company']],
      行政许可: [['危险化学品经营许可', 'company']],
      行政检查: [['安全生产执法检查', 'company']],
      行政强制: [['查封存在重大事故隐患的作业场所', 'company']],
    },
  },
  wsjk: {
    field: '卫生健康', short: '卫', industries: ['诊所', '医院有限公司', '美容有限公司', '宾馆有限公司'],
    causes: {
      行政处罚: [['无证行医（未取得医疗机构执业许可证擅自执业）', 'person'], ['非医师行医', 'person'], ['公共场所卫生检测不合格', 'company'],
        ['医疗废物处置不符合规定', 'company'], ['使用非卫生技术人员从事医疗卫生技术工作', 'company']],
      行政许可: [['医疗机构执业许可', 'company'], ['公共场所卫生许可', 'company']],
      行政检查: [['医疗机构依法执业监督检查', 'company']],
    },
  },
  nync: {
    field: '农业农村', short: '农', industries: ['农资有限公司', '种业有限公司', '牧业有限公司', '农业专业合作社'],
    causes: {
      行政处罚: [['销售假农药', 'company'], ['经营劣种子', 'company'], ['违规使用兽药', 'person'], ['禁渔期非法捕捞', 'person'], ['经营未登记的肥料产品', 'company']],
      行政许可: [['农药经营许可', 'company']],
      行政检查: [['农资市场专项检查', 'company']],
      行政强制: [['扣押假劣农资', 'company']],
    },
  },
  zrzy: {
    field: '自然资源', short: '自然资', industries: ['矿业有限公司', '砂石有限公司', '房地产开发有限公司', '农业专业合作社'],
    causes: {
      行政处罚: [['非法占用土地', 'person'], ['未取得采矿许可证擅自采矿', 'company'], ['临时用地期满未恢复', 'company'], ['未按规定进行测绘成果汇交', 'company']],
      行政许可: [['采矿许可证延续', 'company'], ['建设用地规划许可', 'company']],
      行政检查: [['土地卫片执法检查', 'company']],
      行政强制: [['责令限期拆除非法占地建筑物', 'person']],
    },
  },
  zjj: {
    field: '住房城乡建设', short: '住建', industries: ['建筑工程有限公司', '房地产开发有限公司', '物业服务有限公司', '混凝土有限公司'],
    causes: {
      行政处罚: [['未取得施工许可证擅自施工', 'company'], ['未组织竣工验收擅自交付使用', 'company'], ['违法转包工程', 'company'], ['物业服务企业未履行消防安全职责', 'company']],
      行政许可: [['建筑工程施工许可', 'company']],
      行政检查: [['建筑施工安全检查', 'company']],
    },
  },
  wglj: {
    field: '文化旅游', short: '文旅', industries: ['网络科技有限公司', '旅行社有限公司', '文化传媒有限公司', '娱乐有限公司'],
    causes: {
      行政处罚: [['互联网上网服务营业场所接纳未成年人', 'company'], ['未经许可经营旅行社业务', 'person'], ['擅自从事营业性演出', 'company'], ['旅行社未与旅游者签订合同', 'company']],
      行政许可: [['娱乐场所经营许可', 'company']],
      行政检查: [['文化市场综合检查', 'company']],
    },
  },
  rsj: {
    field: '人力资源社会保障', short: '人社', industries: ['建筑劳务有限公司', '人力资源有限公司', '服装有限公司', '餐饮有限公司'],
    causes: {
      行政处罚: [['拖欠劳动者工资经责令仍不支付', 'company'], ['非法使用童工', 'company'], ['未依法办理社会保险登记', 'company'], ['违法延长劳动者工作时间', 'company']],
      行政许可: [['劳务派遣经营许可', 'company']],
      行政检查: [['劳动保障监察', 'company']],
    },
  },
  shuiwu: {
    field: '水务', short: '水', industries: ['砂石有限公司', '水产养殖有限公司', '食品有限公司', '建筑工程有限公司'],
    causes: {
      行政处罚: [['河道管理范围内违法采砂', 'person'], ['未经批准擅自取水', 'company'], ['未经批准设置入河排污口', 'company'], ['在河道管理范围内违法建设', 'person']],
      行政许可: [['取水许可', 'company']],
      行政强制: [['强制拆除河道内违法建筑', 'person']],
    },
  },
  shangwu: {
    field: '商务', short: '商务', industries: ['商贸有限公司', '石油经销有限公司', '再生资源回收有限公司', '超市有限公司'],
    causes: {
      行政处罚: [['单用途商业预付卡未备案', 'company'], ['报废机动车回收拆解不符合规定', 'company'], ['成品油经营不符合规定', 'company']],
      行政检查: [['成品油市场专项检查', 'company']],
    },
  },
  lcj: {
    field: '林业草原', short: '林草', industries: ['林业有限公司', '木业有限公司', '农业专业合作社', '养殖有限公司'],
    causes: {
      行政处罚: [['滥伐林木', 'person'], ['非法收购野生动物', 'person'], ['擅自改变林地用途', 'company'], ['未经批准在林区野外用火', 'person']],
      行政许可: [['林木采伐许可', 'company']],
      行政强制: [['扣押非法收购的野生动物制品', 'person']],
    },
  },
};

/** A unit handing in a list: code, place (for party names), file-number prefix, fields of its files. */
export interface DemoUnitSpec {
  code: string;
  place: string; // 牡丹江市 / 海林市 …
  prefix: string; // 牡市监 for a department; 海林 for a county (its files add the field: 海林市监罚…)
  fields: string[]; // keys of FIELDS
  county: boolean;
  /** Names that are placed on this unit's staff roster on purpose: demo reviewers' names (同名), so the handler rule shows. */
  sameNameStaff?: string[];
}

export const DEMO_FILE_UNITS: DemoUnitSpec[] = [
  { code: 'MDJ-DA', place: '牡丹江市东安区', prefix: '东安', fields: ['scjg', 'cgzf', 'jtys'], county: true },
  { code: 'MDJ-YM', place: '牡丹江市阳明区', prefix: '阳明', fields: ['scjg', 'yjgl', 'cgzf'], county: true },
  { code: 'MDJ-AM', place: '牡丹江市爱民区', prefix: '爱民', fields: ['scjg', 'wsjk', 'cgzf'], county: true },
  { code: 'MDJ-XA', place: '牡丹江市西安区', prefix: '西安', fields: ['scjg', 'jtys', 'sthj'], county: true },
  { code: 'MDJ-SFH', place: '绥芬河市', prefix: '绥', fields: ['scjg', 'shangwu', 'jtys'], county: true },
  { code: 'MDJ-HL', place: '海林市', prefix: '海林', fields: ['lcj', 'scjg', 'nync', 'zrzy'], county: true },
  { code: 'MDJ-NA', place: '宁安市', prefix: '宁安', fields: ['nync', 'scjg', 'shuiwu'], county: true },
  { code: 'MDJ-ML', place: '穆棱市', prefix: '穆棱', fields: ['yjgl', 'scjg', 'lcj'], county: true, sameNameStaff: ['周敏'] },
  { code: 'MDJ-DN', place: '东宁市', prefix: '东宁', fields: ['scjg', 'nync', 'jtys'], county: true, sameNameStaff: ['郑雪'] },
  { code: 'MDJ-LK', place: '林口县', prefix: '林口', fields: ['lcj', 'zrzy', 'scjg'], county: true },
  { code: 'MDJ-SCJG', place: '牡丹江市', prefix: '牡市监', fields: ['scjg'], county: false, sameNameStaff: ['陈静'] },
  { code: 'MDJ-STHJ', place: '牡丹江市', prefix: '牡环', fields: ['sthj'], county: false },
  { code: 'MDJ-JTYS', place: '牡丹江市', prefix: '牡交', fields: ['jtys'], county: false, sameNameStaff: ['孙立新'] },
  { code: 'MDJ-CGZF', place: '牡丹江市', prefix: '牡城管', fields: ['cgzf'], county: false, sameNameStaff: ['吴刚'] },
  { code: 'MDJ-YJGL', place: '牡丹江市', prefix: '牡应急', fields: ['yjgl'], county: false },
  { code: 'MDJ-WSJK', place: '牡丹江市', prefix: '牡卫', fields: ['wsjk'], county: false, sameNameStaff: ['何丽娜'] },
  { code: 'MDJ-NYNC', place: '牡丹江市', prefix: '牡农', fields: ['nync'], county: false },
  { code: 'MDJ-ZRZY', place: '牡丹江市', prefix: '牡自然资', fields: ['zrzy'], county: false },
  { code: 'MDJ-ZJ', place: '牡丹江市', prefix: '牡住建', fields: ['zjj'], county: false },
  { code: 'MDJ-WGL', place: '牡丹江市', prefix: '牡文旅', fields: ['wglj'], county: false },
  { code: 'MDJ-RS', place: '牡丹江市', prefix: '牡人社', fields: ['rsj'], county: false },
  { code: 'MDJ-SHUIWU', place: '牡丹江市', prefix: '牡水务', fields: ['shuiwu'], county: false },
  { code: 'MDJ-SHANGWU', place: '牡丹江市', prefix: '牡商务', fields: ['shangwu'], county: false },
  { code: 'MDJ-LC', place: '牡丹江市', prefix: '牡林草', fields: ['lcj'], county: false },
];

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹易常武乔贺赖龚文'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚',
  '桂英', '建国', '建华', '志强', '海燕', '晓东', '春梅', '玉兰', '文博', '红梅', '德明', '振宇', '宏伟', '思远', '雪梅', '金凤', '国庆',
  '松涛', '丽华', '淑珍', '永刚', '亚楠', '晓燕', '立军', '海波', '继红', '长胜', '凤霞', '宝山', '庆华'];
const BRANDS = ['鑫源', '恒通', '宏达', '金辉', '北方', '龙江', '雪城', '镜泊', '东兴', '瑞丰', '嘉禾', '福源', '盛达', '华信', '佳美', '兴隆',
  '顺发', '天成', '宇航', '松江', '牡丹', '万家', '鸿运', '泰和', '长青', '永盛', '广源', '金穗', '银河', '新世纪'];
const TYPE_CHAR: Record<DemoCaseType, string> = { 行政处罚: '罚', 行政许可: '许', 行政检查: '检', 行政强制: '强' };
const TYPE_ORDER: DemoCaseType[] = ['行政处罚', '行政许可', '行政检查', '行政强制'];
const PAGES: Record<DemoCaseType, [min: number, max: number]> = {
  行政处罚: [30, 120], 行政许可: [20, 60], 行政检查: [20, 45], 行政强制: [30, 90],
};

const pick = <T>(rng: Prng, list: readonly T[]): T => list[rng.nextBelow(list.length)]!;
const between = (rng: Prng, min: number, max: number): number => min + rng.nextBelow(max - min + 1);

/** A person's name that is not one of the names to avoid (demo reviewers' names appear only where planted). */
function personName(rng: Prng, avoid: ReadonlySet<string>): string {
  for (;;) {
    const name = pick(rng, SURNAMES) + pick(rng, GIVEN);
    if (!avoid.has(name)) return name;
  }
}

/** What differs between the years' lists. */
interface ListYear {
  /** Files per unit. */
  files: [min: number, max: number];
  /** Out of 100: a roll below the first is 行政处罚, below the second 行政许可, below the third 行政检查, else 行政强制. */
  typeRoll: [penalty: number, license: number, inspection: number];
  /** Closing dates: days after 1 January. */
  closedDays: [min: number, max: number];
}

/** The years a demo list exists for. 2026 is the running cross review; 2025 the finished one. */
export const DEMO_LIST_YEARS = {
  2026: { files: [8, 20], typeRoll: [72, 85, 94], closedDays: [4, 302] }, // 2026-01-05 … 2026-10-30
  2025: { files: [6, 11], typeRoll: [78, 90, 100], closedDays: [4, 330] }, // 2025-01-05 … 2025-11-27, no 行政强制
} as const satisfies Record<number, ListYear>;
export type DemoListYear = keyof typeof DEMO_LIST_YEARS;

/** The officers' rosters are drawn from the start of this year's stream (so 2026's list is as it always was). */
const ROSTER_YEAR: DemoListYear = 2026;

/** A closing date in the year, as YYYY-MM-DD. */
function closingDate(rng: Prng, year: number, [min, max]: readonly [number, number]): string {
  const day = between(rng, min, max); // days after 1 January
  return new Date(Date.UTC(year, 0, 1 + day)).toISOString().slice(0, 10);
}

export interface DemoFileRow {
  unitCode: string;
  values: Record<(typeof CASE_FILE_IMPORT_HEADERS)[number], string>;
}

/**
 * The file lists of every unit for a year, in the template's column order. `reviewerNames` are kept off the
 * staff rosters except where a unit's `sameNameStaff` plants one on purpose.
 */
export function demoFileList(reviewerNames: readonly string[], year: DemoListYear = 2026): DemoFileRow[] {
  const spec: ListYear = DEMO_LIST_YEARS[year];
  const avoid = new Set(reviewerNames);
  const out: DemoFileRow[] = [];
  for (const unit of DEMO_FILE_UNITS) {
    const rosterRng = prngFromText(`demo-案卷目录-${ROSTER_YEAR}|${unit.code}`);
    // Each field has its own four or five officers; a planted name joins the unit's first field.
    const rosters = new Map<string, string[]>();
    const used = new Set<string>();
    for (const [i, key] of unit.fields.entries()) {
      const roster = i === 0 ? [...(unit.sameNameStaff ?? [])] : [];
      while (roster.length < (unit.county ? 4 : 5)) {
        const name = personName(rosterRng, avoid);
        if (!used.has(name)) {
          used.add(name);
          roster.push(name);
        }
      }
      rosters.set(key, roster);
    }
    // The roster year's files follow its rosters in the same stream; another year has a stream of its own.
    const rng = year === ROSTER_YEAR ? rosterRng : prngFromText(`demo-案卷目录-${year}|${unit.code}`);
    const count = between(rng, spec.files[0], spec.files[1]);
    const files: { type: DemoCaseType; fieldKey: string; values: Omit<DemoFileRow['values'], '案卷编号'> }[] = [];
    for (let i = 0; i < count; i++) {
      // The first field carries most of a county's files.
      const fieldKey = unit.fields.length === 1 || rng.nextBelow(100) < 45 ? unit.fields[0]! : pick(rng, unit.fields.slice(1));
      const profile = FIELDS[fieldKey]!;
      const roll = rng.nextBelow(100);
      const [penalty, license, inspection] = spec.typeRoll;
      const wanted: DemoCaseType = roll < penalty ? '行政处罚' : roll < license ? '行政许可' : roll < inspection ? '行政检查' : '行政强制';
      const type: DemoCaseType = profile.causes[wanted] ? wanted : '行政处罚';
      const [cause, partyKind] = pick(rng, profile.causes[type]!);
      const party = partyKind === 'person' ? personName(rng, avoid) : `${unit.place}${pick(rng, BRANDS)}${pick(rng, profile.industries)}`;
      const roster = rosters.get(fieldKey)!;
      const first = rng.nextBelow(roster.length);
      const second = (first + 1 + rng.nextBelow(roster.length - 1)) % roster.length;
      const [minPages, maxPages] = PAGES[type];
      files.push({
        type, fieldKey,
        values: {
          单位编码: unit.code,
          案卷类型: type,
          执法门类: profile.field,
          案由: type === '行政处罚' ? `${party}${cause}案` : cause,
          当事人: party,
          执法人员: `${roster[first]}、${roster[second]}`,
          是否重大: rng.nextBelow(10) === 0 ? '是' : '否',
          结案日期: closingDate(rng, year, spec.closedDays),
          页数: String(between(rng, minPages, maxPages)),
        },
      });
    }
    // Numbers follow the closing dates, per prefix and case type, with the gaps a real register has.
    files.sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || (a.values.结案日期 < b.values.结案日期 ? -1 : 1));
    const next = new Map<string, number>();
    for (const f of files) {
      const prefix = unit.county ? `${unit.prefix}${FIELDS[f.fieldKey]!.short}${TYPE_CHAR[f.type]}` : `${unit.prefix}${TYPE_CHAR[f.type]}`;
      const n = (next.get(prefix) ?? 0) + between(rng, 1, 6);
      next.set(prefix, n);
      const { 单位编码, ...rest } = f.values;
      out.push({ unitCode: unit.code, values: { 单位编码, 案卷编号: `${prefix}〔${year}〕${n}号`, ...rest } });
    }
  }
  return out;
}

/** The rows as the template's columns, for a spreadsheet. */
export function asSheetRows(rows: readonly DemoFileRow[]): (string | number)[][] {
  return rows.map((r) => CASE_FILE_IMPORT_HEADERS.map((h) => (h === '页数' ? Number(r.values[h]) : r.values[h])));
}
