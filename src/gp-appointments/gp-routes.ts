import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { validate } from '../lib/validate.js';
import { commitGpImport, previewGpImport } from './gp-import.js';

const ImportBody = z.object({
  csv: z.string().min(1).max(250_000),
  mapping: z
    .object({ chi: z.string().max(100), from: z.string().max(100), to: z.string().max(100), appointments: z.string().max(100) })
    .partial()
    .optional(),
  /** false (the default) only previews: rows, errors per row, and what would be kept. */
  commit: z.boolean().optional(),
});

/** `/gp-appointments/import`: a practice's appointment counts per CHI and period, previewed then imported. */
export const gpRoutes = new Hono<AppEnv>().post('/import', adminOnly, validate('json', ImportBody), async (c) => {
  const b = c.req.valid('json');
  if (b.commit) return c.json(await commitGpImport(c.var.db, c.var.user, c.var.clock.now().getTime(), b.csv, b.mapping ?? {}));
  const { keep: _, ...preview } = await previewGpImport(c.var.db, c.var.user.practiceId, b.csv, b.mapping ?? {});
  return c.json(preview);
});
