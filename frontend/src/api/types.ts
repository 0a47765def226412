import type { components } from './schema.gen';

type S = components['schemas'];
export type Direction = S['Direction'];
export type DiffStatus = S['DiffStatus'];
export type DiffItem = S['DiffItem'];
export type DiffPage = S['DiffPage'];
export type DiffSummary = S['DiffSummary'];
export type FieldDiff = S['FieldDiff'];
export type FieldName = S['FieldName'];
export type ConflictReason = S['ConflictReason'];
export type DiffWarningCode = S['DiffWarningCode'];
export type Import = S['Import'];
export type ImportStatus = S['ImportStatus'];
export type ImportResult = S['ImportResult'];
export type ImportResultPage = S['ImportResultPage'];
export type ResultStatus = S['ResultStatus'];
export type Notification = S['Notification'];
export type Connection = S['Connection'];
export type ConnectionUpdate = S['ConnectionUpdate'];
export type ConnectionTestResult = S['ConnectionTestResult'];
export type ProviderCheck = S['ProviderCheck'];
export type EmploymentTypeMapping = S['EmploymentTypeMapping'];
export type Me = S['Me'];
export type Problem = S['Problem'];
export type Role = S['Role'];
export type User = S['User'];
export type ApiToken = S['ApiToken'];
export type ApiTokenCreated = S['ApiTokenCreated'];
export type Scope = S['Scope'];
export type AuditEvent = S['AuditEvent'];

export const DIRECTIONS: readonly Direction[] = ['jobkan_to_smarthr', 'smarthr_to_jobkan'];
export const isDirection = (v: unknown): v is Direction =>
  typeof v === 'string' && (DIRECTIONS as readonly string[]).includes(v);

export const TERMINAL_STATUSES: readonly ImportStatus[] = ['succeeded', 'partially_failed', 'failed', 'canceled'];
export const isTerminal = (s: ImportStatus) => TERMINAL_STATUSES.includes(s);
