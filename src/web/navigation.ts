// The menu a user sees follows the policy: nobody is shown a link they may not open.
import { can, type Action } from '../domain/policy.ts';
import { asActor } from '../context.ts';
import type { CurrentUser } from './types.ts';

interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

const ITEMS: { href: string; label: string; departmentLabel?: string; action: Action }[] = [
  { href: '/', label: '工作台', action: 'dashboard.view' },
  { href: '/queue', label: '我的评查任务', action: 'queue.view' },
  { href: '/campaigns', label: '评查活动', action: 'campaign.list' },
  { href: '/rectification', label: '整改', departmentLabel: '本单位整改', action: 'rectification.view' },
  { href: '/ratings', label: '年度考评', action: 'rating.view' },
  { href: '/units', label: '单位管理', departmentLabel: '本单位', action: 'unit.list' },
  { href: '/users', label: '用户管理', departmentLabel: '本单位人员', action: 'user.list' },
  { href: '/rubrics', label: '评查标准', action: 'rubric.view' },
  { href: '/audit', label: '操作日志', action: 'audit.view' },
];

export function navigationFor(user: CurrentUser, path: string): NavItem[] {
  const actor = asActor(user);
  return ITEMS.filter((item) => can(actor, item.action)).map((item) => ({
    href: item.href,
    label: user.role === 'department' && item.departmentLabel ? item.departmentLabel : item.label,
    active: item.href === '/' ? path === '/' : path === item.href || path.startsWith(`${item.href}/`),
  }));
}
