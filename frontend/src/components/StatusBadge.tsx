import { StatusLabel } from 'smarthr-ui';
import type { DiffStatus, ImportStatus, ResultStatus } from '../api/types';
import { useT } from '../i18n/i18n';
import { DIFF_STATUS_LABEL, IMPORT_STATUS_LABEL, RESULT_STATUS_LABEL } from '../i18n/labels';

type LabelType = 'grey' | 'blue' | 'green' | 'red' | 'warning' | 'error';

const diffType: Record<DiffStatus, LabelType> = {
  unchanged: 'grey',
  changed: 'blue',
  new: 'green',
  conflict: 'error',
};

export function DiffStatusBadge({ status }: { status: DiffStatus }) {
  const t = useT();
  return (
    <StatusLabel type={diffType[status]} data-status={status}>
      {t(DIFF_STATUS_LABEL[status])}
    </StatusLabel>
  );
}

const importType: Record<ImportStatus, LabelType> = {
  queued: 'grey',
  running: 'blue',
  succeeded: 'green',
  partially_failed: 'warning',
  failed: 'error',
  canceled: 'grey',
};

export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  const t = useT();
  return (
    <StatusLabel type={importType[status]} data-status={status}>
      {t(IMPORT_STATUS_LABEL[status])}
    </StatusLabel>
  );
}

const resultType: Record<ResultStatus, LabelType> = {
  pending: 'grey',
  created: 'green',
  updated: 'blue',
  unchanged: 'grey',
  skipped_stale: 'warning',
  failed: 'error',
};

export function ResultStatusBadge({ status }: { status: ResultStatus }) {
  const t = useT();
  return (
    <StatusLabel type={resultType[status]} data-status={status}>
      {t(RESULT_STATUS_LABEL[status])}
    </StatusLabel>
  );
}
