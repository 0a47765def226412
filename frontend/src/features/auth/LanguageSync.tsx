import { useEffect, useRef } from 'react';
import { useMe } from '../../api/me';
import { LANG_STORAGE_KEY, useI18n } from '../../i18n/i18n';
import { useSaveLanguage } from './queries';

function hasStoredLang(): boolean {
  try {
    return globalThis.localStorage?.getItem(LANG_STORAGE_KEY) != null;
  } catch {
    return false;
  }
}

/**
 * Keeps the person's language on the server (PATCH /me) so that their notifications and mail
 * use it: the header's switch sets it. On a browser that never chose, the saved language wins.
 * After a change every query is refetched, so that the server's texts (error messages) follow.
 */
export function LanguageSync() {
  const { lang, setLang } = useI18n();
  const me = useMe();
  const saveLanguage = useSaveLanguage();
  const adopted = useRef(false);
  const previous = useRef(lang);
  const saved = me.data?.language;
  const isSession = me.data?.auth === 'session';

  useEffect(() => {
    if (!saved || adopted.current) return;
    adopted.current = true;
    if (!hasStoredLang() && saved !== lang) setLang(saved);
  }, [saved, lang, setLang]);

  useEffect(() => {
    if (previous.current === lang) return;
    previous.current = lang;
    if (!isSession || saved === lang) return;
    saveLanguage(lang);
  }, [lang, saved, isSession, saveLanguage]);
  return null;
}
