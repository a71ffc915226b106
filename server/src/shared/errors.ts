/** The one error type services throw; codes are stable kebab-case and mapped by the HTTP/socket layer. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, details?: unknown) =>
  new AppError('not-found', `${what} not found`, 404, details);
export const forbidden = (message = 'not allowed for this role') => new AppError('forbidden', message, 403);
export const unauthorized = (message = 'login required') => new AppError('unauthorized', message, 401);
