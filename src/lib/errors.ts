/** The error codes the API answers with, and the HTTP status each one means. */
export const ERROR_STATUS = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  too_many_requests: 429,
  internal: 500,
  /** Another process holds the database's write lock past our wait: try again shortly. */
  storage_busy: 503,
  /** The disk is full or unwritable: nothing was changed. */
  storage_unavailable: 503,
  /** The work needed more database queries than one invocation may make (Workers + D1): try again. */
  over_query_budget: 503,
  /** Older audit events are archived, and the archive cannot be read here. */
  archive_unavailable: 503,
  /** Another health board's database a programme report reads did not answer. */
  board_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Thrown by services and routes; the app's one error handler turns it into `{ error: { code, message, details } }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const invalid = (message: string, details?: unknown) => new AppError('invalid_input', message, details);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, details);
export const unprocessable = (message: string, details?: unknown) => new AppError('unprocessable', message, details);
export const forbidden = (message = 'You do not have permission to do that') => new AppError('forbidden', message);
