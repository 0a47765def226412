import { describe, expect, it } from 'vitest';
import type { DiffStatus, ImportStatus, ResultStatus } from '../api/types';
import { en } from './en';
import { formatDate, formatDateTime, type Lang } from './i18n';
import { ja, type MessageKey } from './ja';

// Every member of the generated status unions, listed through a Record so that a status added to
// openapi.yaml fails to compile here until it has its words.
const DIFF: Record<DiffStatus, true> = { unchanged: true, changed: true, new: true, conflict: true };
const IMPORT: Record<ImportStatus, true> = {
  queued: true, running: true, succeeded: true, partially_failed: true, failed: true, canceled: true,
};
const RESULT: Record<ResultStatus, true> = {
  pending: true, created: true, updated: true, unchanged: true, skipped_stale: true, failed: true,
};
const COUNTS = ['created', 'updated', 'unchanged', 'skipped', 'failed'] as const;

/** The one label of a status concept wherever it appears (selection, results, history counts). */
const CONCEPTS: Record<string, MessageKey[]> = {
  unchanged: ['status.unchanged', 'result.unchanged', 'counts.unchanged'],
  created: ['result.created', 'counts.created', 'import.action.create'],
  updated: ['result.updated', 'counts.updated', 'import.action.update', 'confirm.breakdown.updated'],
  failed: ['result.failed', 'counts.failed'],
};

const DICTS: Record<Lang, Record<MessageKey, string>> = { ja, en };

describe('one vocabulary', () => {
  for (const lang of ['ja', 'en'] as const) {
    const d = DICTS[lang];
    it(`${lang}: every status of every generated union has exactly one label, and the labels differ`, () => {
      const unions: [string, string[]][] = [
        ['status', Object.keys(DIFF)],
        ['import.status', Object.keys(IMPORT)],
        ['result', Object.keys(RESULT)],
        ['counts', [...COUNTS]],
      ];
      for (const [prefix, members] of unions) {
        const labels = members.map((m) => {
          const keys = Object.keys(d).filter((k) => k === `${prefix}.${m}`);
          expect(keys, `${lang} ${prefix}.${m}`).toHaveLength(1);
          const v = d[keys[0] as MessageKey];
          expect(v.trim(), `${lang} ${prefix}.${m}`).not.toBe('');
          return v;
        });
        expect(new Set(labels).size, `${lang} ${prefix}: two statuses share a label`).toBe(labels.length);
      }
    });
    it(`${lang}: a status reads the same in selection, results and history`, () => {
      for (const [concept, keys] of Object.entries(CONCEPTS)) {
        expect(new Set(keys.map((k) => d[k])).size, `${lang} ${concept}: ${keys.map((k) => d[k]).join(' / ')}`).toBe(1);
      }
      // the skip reason has one wording: the results' label starts with the counts' word
      expect(d['result.skipped_stale'].startsWith(d['counts.skipped']), lang).toBe(true);
    });
  }
  it('ja: 差分なし everywhere, never 変更なし; counts in 件, never 人', () => {
    for (const [k, v] of Object.entries(ja)) {
      expect(v, k).not.toContain('変更なし');
      expect(v, k).not.toMatch(/[\d}]人/); // a count ("{n}人", "1人"), not a word such as 操作した人
    }
  });
  it('en: no Japanese punctuation outside quoted Japanese field names', () => {
    for (const [k, v] of Object.entries(en)) expect(v, k).not.toMatch(/[、。（）：「」]/);
  });
});

describe('dates and times', () => {
  it('formats calendar dates as YYYY/MM/DD in Japanese and the locale form in English, without zone shifts', () => {
    expect(formatDate('ja', '2022-03-03')).toBe('2022/03/03');
    expect(formatDate('en', '2022-03-03')).toBe('Mar 3, 2022');
    expect(formatDate('en', '2022-01-01')).toBe('Jan 1, 2022');
    expect(formatDate('ja', 'not a date')).toBe('not a date');
  });
  it('formats RFC 3339 UTC timestamps in the given (browser) zone', () => {
    const utc = '2026-11-29T02:54:00Z';
    expect(formatDateTime('ja', utc, 'Asia/Tokyo')).toBe('2026/11/29 11:54');
    expect(formatDateTime('ja', utc, 'UTC')).toBe('2026/11/29 02:54');
    expect(formatDateTime('en', utc, 'UTC')).toMatch(/^Nov 29, 2026,? 2:54\s?AM$/);
    expect(formatDateTime('ja', null)).toBe('—');
  });
});
