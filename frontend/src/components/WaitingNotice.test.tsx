import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render';
import { formatClock, WaitingNotice } from './WaitingNotice';

const waiting = {
  provider: 'smarthr' as const,
  reason_code: 'smarthr.internal_server_error',
  message: 'SmartHRに接続できないため待機しています（SmartHRがエラーを返しています: HTTP 500）',
  since: '2026-01-05T03:30:00Z',
  next_attempt_at: '2026-01-05T03:34:00Z',
};

describe('WaitingNotice', () => {
  it('says what a running import waits for and when it tries again', () => {
    renderWithProviders(<WaitingNotice imp={{ status: 'running', waiting }} />);
    const n = screen.getByTestId('waiting-notice');
    expect(n.textContent).toContain('SmartHRに接続できないため待機しています');
    expect(n.textContent).toContain(`次の再試行: ${formatClock(waiting.next_attempt_at, 'ja')}`);
    expect(n.textContent).toContain('smarthr.internal_server_error');
  });

  it('shows nothing when the import does not wait', () => {
    renderWithProviders(<WaitingNotice imp={{ status: 'running', waiting: null }} />);
    expect(screen.queryByTestId('waiting-notice')).toBeNull();
    renderWithProviders(<WaitingNotice imp={{ status: 'failed', waiting }} />);
    expect(screen.queryByTestId('waiting-notice')).toBeNull();
  });
});
