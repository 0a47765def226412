import { ActionDialog, FormControl, InformationPanel, Input, Stack, Table, Td, Th } from 'smarthr-ui';
import type { DiffItem } from '../../api/types';
import { problemText } from '../../components/ErrorPanel';
import { useI18n } from '../../i18n/i18n';
import { warningTitle } from './DiffRow';
import { VisibleText } from './Invisible';
import { needsTypedCount, typedCountMatches, warningsOf, type Breakdown } from './selection';

/**
 * The confirmation before an import: how many employees into which system, what the import will do
 * (新規登録, 更新, 退職, 差分なし), the warned employees, and above 100 employees the count typed.
 */
export function ConfirmImportDialog({
  isOpen,
  count,
  target,
  plan,
  typed,
  onTyped,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  isOpen: boolean;
  count: number;
  target: string;
  plan: Breakdown;
  typed: string;
  onTyped: (typed: string) => void;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t, formatNumber } = useI18n();
  const typedNeeded = needsTypedCount(plan.total);
  const typedOk = !typedNeeded || typedCountMatches(typed, plan.total);
  return (
    <ActionDialog
      isOpen={isOpen}
      title={t('confirm.title')}
      actionText={t('confirm.action')}
      actionTheme="primary"
      actionDisabled={!typedOk}
      onClickAction={() => {
        if (!pending && typedOk) onConfirm();
      }}
      onClickClose={() => {
        if (!pending) onClose();
      }}
      responseStatus={
        pending
          ? { status: 'processing' }
          : error
            ? { status: 'error', text: t('confirm.failed', { detail: problemText(error) }) }
            : undefined
      }
    >
      <Stack gap={0.75}>
        <p data-testid="confirm-body">{t('confirm.body', { n: formatNumber(count), target })}</p>
        <ConfirmBreakdown plan={plan} />
        <p>{t('confirm.note')}</p>
        {plan.warned.length > 0 ? <ConfirmWarned items={plan.warned} /> : null}
        {typedNeeded ? (
          <FormControl
            label={t('confirm.typeCount', { n: formatNumber(plan.total) })}
            helpMessage={t('confirm.typeCountHelp')}
            errorMessages={typed && !typedOk ? t('confirm.typeCountMismatch') : undefined}
          >
            <Input
              value={typed}
              inputMode="numeric"
              autoComplete="off"
              onChange={(e) => onTyped(e.currentTarget.value)}
              data-testid="confirm-typed-count"
            />
          </FormControl>
        ) : null}
      </Stack>
    </ActionDialog>
  );
}

/** What the import will do: 新規登録 N, 更新 M (of which 在籍状況 → 退職 K), 差分なし, warned employees. */
function ConfirmBreakdown({ plan }: { plan: Breakdown }) {
  const { t, formatNumber } = useI18n();
  const rows: [string, number, string][] = [
    [t('confirm.breakdown.created'), plan.created, 'created'],
    [t('confirm.breakdown.updated'), plan.updated, 'updated'],
  ];
  return (
    <dl className="confirm-breakdown" data-testid="confirm-breakdown">
      {rows.map(([label, n, key]) => (
        <div key={key} data-kind={key}>
          <dt>{label}</dt>
          <dd>{t('common.count', { n: formatNumber(n) })}</dd>
        </div>
      ))}
      {plan.retiring > 0 ? (
        <div data-kind="retiring" className="confirm-breakdown-sub">
          <dt>{t('confirm.breakdown.retiring')}</dt>
          <dd>{t('common.count', { n: formatNumber(plan.retiring) })}</dd>
        </div>
      ) : null}
      {plan.unchanged > 0 ? (
        <div data-kind="unchanged">
          <dt>{t('status.unchanged')}</dt>
          <dd>{t('common.count', { n: formatNumber(plan.unchanged) })}</dd>
        </div>
      ) : null}
      {plan.warned.length > 0 ? (
        <div data-kind="warned">
          <dt>{t('confirm.breakdown.warned')}</dt>
          <dd>{t('common.count', { n: formatNumber(plan.warned.length) })}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** The warned employees in the confirmation: 社員番号, name and each warning, before the import starts. */
function ConfirmWarned({ items }: { items: readonly DiffItem[] }) {
  const { t, formatNumber } = useI18n();
  return (
    <InformationPanel
      type="warning"
      title={t('confirm.warnedTitle', { n: formatNumber(items.length) })}
      data-testid="confirm-warned"
    >
      <Stack gap={0.5}>
        <p>{t('confirm.warnedBody')}</p>
        <div className="confirm-warned-scroll" role="region" aria-label={t('confirm.warnedList')} tabIndex={0}>
          <Table>
            <thead>
              <tr>
                <Th>{t('selection.col.number')}</Th>
                <Th>{t('selection.col.name')}</Th>
                <Th>{t('confirm.col.warning')}</Th>
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <tr key={it.employee_number} data-employee-number={it.employee_number}>
                  <Td>{it.employee_number}</Td>
                  <Td>
                    <VisibleText text={it.display_name || t('common.blank')} />
                  </Td>
                  <Td>
                    <ul className="confirm-warned-messages">
                      {warningsOf(it).map((w, i) => (
                        <li key={i}>
                          {w.message ? <VisibleText text={w.message} /> : warningTitle(t, w.code)}
                        </li>
                      ))}
                    </ul>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      </Stack>
    </InformationPanel>
  );
}
