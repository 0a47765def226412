import { useT } from '../i18n/i18n';

/** A failure written for people (the server's error catalogue): what happened, what to do,
 * and the technical detail behind a disclosure, never in the headline. */
export type ErrorInfoValue = {
  code: string;
  message: string;
  advice?: string | null;
  action?: string | null;
  detail?: string | null;
};

export function ErrorInfo({ error, testId }: { error: ErrorInfoValue; testId?: string }) {
  const t = useT();
  return (
    <div className="error-info" data-testid={testId} data-action={error.action ?? undefined}>
      <p className="error-info-message">{error.message}</p>
      {error.advice ? <p className="error-info-advice">{t('error.advice', { advice: error.advice })}</p> : null}
      <details className="error-info-details">
        <summary>{t('error.technical')}</summary>
        <p>{t('error.code', { code: error.code })}</p>
        {error.detail ? <p className="error-info-detail">{error.detail}</p> : null}
      </details>
    </div>
  );
}

/** The catalogue's part of a problem (e.g. the diffs' 502), when the server gave one. */
export function problemErrorInfo(problem: unknown): ErrorInfoValue | undefined {
  if (!problem || typeof problem !== 'object') return undefined;
  const p = problem as { code?: string; message?: string; advice?: string; action?: string; detail?: string };
  if (!p.code || !p.message) return undefined;
  return { code: p.code, message: p.message, advice: p.advice, action: p.action, detail: p.detail };
}
