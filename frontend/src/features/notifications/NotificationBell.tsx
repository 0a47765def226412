import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Button } from 'smarthr-ui';
import type { Notification } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { useMarkRead, useNotifications } from './queries';

export function NotificationBell() {
  const { t, formatDateTime } = useI18n();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  const q = useNotifications();
  const markRead = useMarkRead();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const unread = q.data?.unread ?? 0;
  const label = unread > 0 ? t('notifications.buttonUnread', { n: unread }) : t('notifications.button');

  const openItem = (n: Notification) => {
    if (!n.read_at) markRead.mutate(n.id);
    setOpen(false);
  };

  return (
    <div className="bell" ref={wrapRef}>
      <button
        ref={buttonRef}
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={label}
        data-testid="notification-bell"
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 ? (
          <span className="bell-count" aria-hidden="true" data-testid="notification-unread">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="bell-panel" id={panelId} role="region" aria-label={t('notifications.title')}>
          <h2 className="bell-title">{t('notifications.title')}</h2>
          {q.data && q.data.items.length === 0 ? <p className="bell-empty">{t('notifications.empty')}</p> : null}
          <ul className="bell-list">
            {q.data?.items.map((n) => (
              <li key={n.id} className={n.read_at ? 'bell-item' : 'bell-item is-unread'}>
                <div className="bell-item-head">
                  {!n.read_at ? <span className="bell-unread-mark">{t('notifications.unreadMark')}</span> : null}
                  <span className="bell-item-title">{n.title}</span>
                </div>
                <p className="bell-item-body">{n.body}</p>
                <div className="bell-item-foot">
                  <time dateTime={n.created_at}>{formatDateTime(n.created_at)}</time>
                  {n.import_id ? (
                    <Link to={`/imports/${n.import_id}`} onClick={() => openItem(n)}>
                      {t('notifications.open')}
                    </Link>
                  ) : null}
                  {!n.read_at ? (
                    <Button size="s" variant="text" onClick={() => markRead.mutate(n.id)}>
                      {t('notifications.markRead')}
                    </Button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
