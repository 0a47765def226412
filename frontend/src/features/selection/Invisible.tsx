import { Fragment } from 'react';
import { useI18n } from '../../i18n/i18n';

// Unicode format characters (general category Cf): zero-width spaces and joiners, direction marks,
// word joiners, the BOM, the soft hyphen, U+180E, tag characters… They render as nothing, so a value
// that differs only by one of them would look equal on both sides of a diff.
const CF = /\p{Cf}/u;
const CF_RUNS = /\p{Cf}/gu;

export const hasInvisible = (s: string): boolean => CF.test(s);

/** The code point as people write it: U+200B, U+FEFF, U+E0001. */
export function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export type Part = { text: string } | { invisible: string };

/** Splits a string into visible text and single format characters, in order. */
export function splitInvisible(s: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of s.matchAll(CF_RUNS)) {
    const i = m.index ?? 0;
    if (i > last) parts.push({ text: s.slice(last, i) });
    parts.push({ invisible: m[0] });
    last = i + m[0].length;
  }
  if (last < s.length) parts.push({ text: s.slice(last) });
  return parts;
}

/** The string without format characters (for accessible names, where a marker cannot go). */
export const stripInvisible = (s: string): string => s.replace(CF_RUNS, '');

/**
 * Renders text with each format character replaced by a small outlined marker such as 「U+200B」,
 * named 「見えない文字 U+200B」 for assistive technology, so that the administrator can see why two
 * values differ or what will be cleaned.
 */
export function VisibleText({ text }: { text: string }) {
  const { t } = useI18n();
  if (!hasInvisible(text)) return <>{text}</>;
  return (
    <>
      {splitInvisible(text).map((p, i) =>
        'text' in p ? (
          <Fragment key={i}>{p.text}</Fragment>
        ) : (
          <InvisibleMarker key={i} code={codePointLabel(p.invisible)} label={t('invisible.label', { code: codePointLabel(p.invisible) })} />
        ),
      )}
    </>
  );
}

function InvisibleMarker({ code, label }: { code: string; label: string }) {
  return (
    <span className="invisible-char" role="img" aria-label={label} title={label} data-code={code}>
      {code}
    </span>
  );
}
