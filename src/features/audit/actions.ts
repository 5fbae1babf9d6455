// Chinese names of audit actions and entity types, for the log page and its filters.
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'system.bootstrap': '系统初始化',
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.locked': '账户锁定',
  'auth.logout': '退出登录',
  'auth.password_change': '修改密码',
  'unit.create': '新建单位',
  'unit.update': '修改单位',
  'unit.deactivate': '停用单位',
  'unit.activate': '启用单位',
  'unit.import': '导入单位',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.deactivate': '停用用户',
  'user.activate': '启用用户',
  'user.reset_password': '重置密码',
  'user.unlock': '解除锁定',
  'user.import': '导入用户',
};

export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  system: '系统',
  unit: '单位',
  user: '用户',
};

/** Column names in before/after snapshots, as the log page shows them. */
export const AUDIT_FIELD_LABELS: Record<string, string> = {
  code: '单位编码',
  name: '单位名称',
  kind: '单位类型',
  parent_id: '上级单位',
  active: '状态',
  display_name: '姓名',
  username: '用户名',
  role: '角色',
  unit_id: '所属单位',
  pool_type: '评查员类别',
  case_types: '可评案卷类型',
  phone: '联系电话',
  locked_until: '锁定至',
  file: '文件',
  codes: '单位编码',
  usernames: '用户名',
};
