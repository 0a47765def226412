import { Button, InformationPanel } from 'smarthr-ui';
import { ApiError } from '../api/client';
import { useT } from '../i18n/i18n';
import { ErrorInfo, problemErrorInfo } from './ErrorInfo';

export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const info = error instanceof ApiError ? problemErrorInfo(error.problem) : undefined;
  const detail = error instanceof ApiError ? (error.status === 403 ? t('common.forbidden') : error.message) : undefined;
  return (
    <InformationPanel type="error" title={t('common.loadError')} role="alert">
      {info ? <ErrorInfo error={info} testId="problem-error-info" /> : detail ? <p className="error-detail">{detail}</p> : null}
      {onRetry ? (
        <Button size="s" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </InformationPanel>
  );
}

export function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    const extra = error.problem?.errors?.map((e) => `${e.location}: ${e.message}`).join(' / ');
    return [error.message, extra].filter(Boolean).join(' ');
  }
  return error instanceof Error ? error.message : String(error);
}
