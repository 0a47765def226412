import type {
  ConflictReason,
  DiffStatus,
  DiffWarningCode,
  FieldName,
  ImportStatus,
  ResultStatus,
} from '../api/types';
import type { MessageKey } from './ja';

// The words of every value of the generated unions (src/api/schema.gen.ts). Each map is a Record over
// the union, so a value added to openapi.yaml fails `tsc` here until it has its label.

export const DIFF_STATUS_LABEL: Record<DiffStatus, MessageKey> = {
  unchanged: 'status.unchanged',
  changed: 'status.changed',
  new: 'status.new',
  conflict: 'status.conflict',
};

export const IMPORT_STATUS_LABEL: Record<ImportStatus, MessageKey> = {
  queued: 'import.status.queued',
  running: 'import.status.running',
  succeeded: 'import.status.succeeded',
  partially_failed: 'import.status.partially_failed',
  failed: 'import.status.failed',
  canceled: 'import.status.canceled',
};

export const RESULT_STATUS_LABEL: Record<ResultStatus, MessageKey> = {
  pending: 'result.pending',
  created: 'result.created',
  updated: 'result.updated',
  unchanged: 'result.unchanged',
  skipped_stale: 'result.skipped_stale',
  failed: 'result.failed',
};

export const CONFLICT_REASON_LABEL: Record<ConflictReason, MessageKey> = {
  missing_employee_number: 'reason.missing_employee_number',
  duplicate_employee_number: 'reason.duplicate_employee_number',
  unmapped_employment_type: 'reason.unmapped_employment_type',
  target_refuses_blank: 'reason.target_refuses_blank',
  invalid_value: 'reason.invalid_value',
};

export const WARNING_LABEL: Record<DiffWarningCode, MessageKey> = {
  similar_employee_number: 'warning.similar_employee_number',
};

export const FIELD_LABEL: Record<FieldName, MessageKey> = {
  last_name: 'field.last_name',
  first_name: 'field.first_name',
  hired_on: 'field.hired_on',
  employment_type: 'field.employment_type',
  phone: 'field.phone',
  birth_date: 'field.birth_date',
  employment_status: 'field.employment_status',
  email: 'field.email',
};

/**
 * A label from one of the maps for a value received at run time: a server newer than this SPA may send
 * a value the generated union does not have yet, which gets `fallback` (or undefined).
 */
export function labelOf<K extends string>(map: Record<K, MessageKey>, value: string | null | undefined): MessageKey | undefined {
  return value != null && Object.prototype.hasOwnProperty.call(map, value) ? map[value as K] : undefined;
}
