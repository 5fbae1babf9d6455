import { it } from 'vitest';
import { createTestApp, loginAsAdmin } from '../support/app.ts';
it('debug', async () => {
  const t = await createTestApp({ UPLOAD_MAX_MB: '1' });
  const { agent, csrf } = await loginAsAdmin(t);
  const started = Date.now();
  const buffer = Buffer.alloc(1.2 * 1024 * 1024, 0x41);
  try {
    const res = await agent.post('/units/import').field('_csrf', csrf).attach('file', buffer, 'big.csv').timeout(15000);
    console.log(res.status, res.text.slice(res.text.indexOf('<main'), res.text.indexOf('<main') + 400), Date.now() - started);
  } catch (e) { console.log('ERR', (e as Error).message, Date.now() - started); }
  await t.close();
}, 30000);
