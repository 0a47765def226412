import { ApiError } from './client';

/**
 * TanStack Query's retry rule. Client errors are final; so are 502 and 504, which hrbridge answers when
 * SmartHR or Jobkan is down or too slow after the server has already retried them within its budget
 * (HRBRIDGE_PROVIDER_RETRY_BUDGET): retrying again here only stacks waits (issue 15: a 21 s spinner).
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) return false;
  if (error instanceof ApiError && (error.status === 502 || error.status === 504)) return false;
  return failureCount < 2;
}
