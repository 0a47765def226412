import { Fragment, type ReactNode } from 'react';
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
  if (!hasInvisible(text) && !hasVariant(text)) return <>{text}</>;
  return (
    <>
      {splitInvisible(text).map((p, i) =>
        'text' in p ? (
          <Fragment key={i}>{hasVariant(p.text) ? <VariantText text={p.text} /> : p.text}</Fragment>
        ) : (
          <InvisibleMarker key={i} code={codePointLabel(p.invisible)} label={t('invisible.label', { code: codePointLabel(p.invisible) })} />
        ),
      )}
    </>
  );
}

// CJK compatibility ideographs are registered 異体字 (e.g. 塚 U+FA10 beside 塚 U+585A): hrbridge keeps
// them apart, but most fonts draw both alike, so each one that has a unified counterpart is marked.
const COMPAT = /[\uF900-\uFAFF]|[\u{2F800}-\u{2FA1F}]/gu;
const isVariant = (ch: string): boolean => ch.normalize('NFC') !== ch;
export const hasVariant = (s: string): boolean => [...s.matchAll(COMPAT)].some((m) => isVariant(m[0]));

function VariantText({ text }: { text: string }) {
  const { t } = useI18n();
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(COMPAT)) {
    const i = m.index ?? 0;
    if (!isVariant(m[0])) continue;
    if (i > last) out.push(text.slice(last, i));
    const code = codePointLabel(m[0]);
    out.push(
      <span key={i} className="variant-char" title={t('variant.label', { code })} data-code={code}>
        {m[0]}
        <span className="invisible-char" role="img" aria-label={t('variant.label', { code })}>
          {code}
        </span>
      </span>,
    );
    last = i + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return <>{out}</>;
}

function InvisibleMarker({ code, label }: { code: string; label: string }) {
  return (
    <span className="invisible-char" role="img" aria-label={label} title={label} data-code={code}>
      {code}
    </span>
  );
}
