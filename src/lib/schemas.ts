import { z } from 'zod';
import { isValidDate } from './time.js';

/** A row id in a path or body: a positive integer, also accepted as a numeric string. */
export const Id = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,15}$/, 'must be a numeric id')
      .transform(Number),
  ])
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
export const IdParam = z.object({ id: Id });
export const LocalDate = z.string().refine(isValidDate, 'must be a date like 2027-03-16');
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 10:00');
export const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
