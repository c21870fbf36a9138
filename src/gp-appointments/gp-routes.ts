import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { validate } from '../lib/validate.js';
import { commitGpImport, previewGpImport } from './gp-import.js';
import { DateOnly, documented } from '../openapi/describe.js';

const doc = documented('GP appointments');
const GpPreviewDto = z.object({
  columns: z.array(z.string()),
  mapping: z.object({ chi: z.string(), from: z.string(), to: z.string(), appointments: z.string() }).partial(),
  rows: z.number().int(),
  valid: z.number().int(),
  notParticipants: z.number().int().describe('Valid rows whose CHI is not a participant here: never stored'),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
  preview: z.array(z.object({ chi: z.string(), from: DateOnly, to: DateOnly, appointments: z.number().int() })),
  imported: z.number().int().optional().describe('With commit: the rows stored'),
});

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
export const gpRoutes = new Hono<AppEnv>().post(
  '/import',
  doc("Preview (default) or import the practice's appointment counts per CHI and period (admins)", { 200: GpPreviewDto }),
  adminOnly,
  validate('json', ImportBody),
  async (c) => {
    const b = c.req.valid('json');
    if (b.commit) return c.json(await commitGpImport(c.var.db, c.var.user, c.var.clock.now().getTime(), b.csv, b.mapping ?? {}));
    const { keep: _, ...preview } = await previewGpImport(c.var.db, c.var.user.practiceId, b.csv, b.mapping ?? {});
    return c.json(preview);
  },
);
