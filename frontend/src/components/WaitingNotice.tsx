import { useI18n } from '../i18n/i18n';
import type { Import } from '../api/types';

/** The clock time (HH:mm, local) of an ISO timestamp. */
export function formatClock(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-US', { hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
}

/**
 * What a running import waits for (a provider that cannot be reached) and when it tries again, e.g.
 * 「SmartHRに接続できないため待機しています（…）。次の再試行: 12:34」. Nothing when it is not waiting.
 */
export function WaitingNotice({ imp, compact = false }: { imp: Pick<Import, 'status' | 'waiting'>; compact?: boolean }) {
  const { t, lang } = useI18n();
  const w = imp.waiting;
  if (!w || imp.status !== 'running') return null;
  const text = t('import.waiting', { message: w.message, time: formatClock(w.next_attempt_at, lang) });
  return (
    <p className={compact ? 'waiting-notice waiting-notice--compact muted' : 'waiting-notice'} role="status" data-testid="waiting-notice" data-provider={w.provider}>
      {text}
      {compact ? null : <span className="muted"> （{t('import.waitingCode', { code: w.reason_code })}）</span>}
    </p>
  );
}
