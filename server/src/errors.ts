// The one error shape: services throw AppError; the error handler renders
// { "error": { "code", "message", "details"? } } and hides the message of any 5xx.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details)
export const notFound = (what: string, key: string | number) =>
  new AppError(404, 'not_found', `${what} ${JSON.stringify(key)} was not found`, { what, key })
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details)
export const unauthorized = (message = 'sign in first') => new AppError(401, 'unauthorized', message)
export const forbidden = (message = 'your role does not allow this') => new AppError(403, 'forbidden', message)

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}
