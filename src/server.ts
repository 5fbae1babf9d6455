// Process entry: configuration, database and migrations, first administrator, listen, clean shutdown.
import { createApp } from './app.ts';
import { ensureFirstAdmin } from './bootstrap.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { loadRubricDirectory } from './features/rubrics/loader.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config);
  const { db, close } = openDatabase(config.dbPath);
  const { applied } = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, `已执行数据库迁移 ${applied.length} 个`);
  const deps = { db, config, clock: systemClock, logger };

  await loadRubricDirectory(deps);
  const admin = await ensureFirstAdmin(deps);
  if (admin?.generatedPassword) {
    // Printed once, on purpose, to the console only: the first login must change it.
    console.log(`\n首个管理员账户已创建：用户名 ${admin.username}，初始密码 ${admin.generatedPassword}\n（此密码只显示这一次，首次登录后须修改）\n`);
  } else if (admin) {
    logger.info(`首个管理员账户已创建：用户名 ${admin.username}，密码取自 ADMIN_PASSWORD`);
  }

  const app = await createApp(deps);
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(`案卷评查系统已启动：http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/ （数据库 ${config.dbPath}）`);
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`收到 ${signal}，正在关闭…`);
    server.close(() => {
      close().then(() => process.exit(0), () => process.exit(1));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error('启动失败：', e instanceof Error ? e.message : e);
  process.exit(1);
});
