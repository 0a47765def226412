import { useEffect, type ComponentProps } from 'react';
import { PageHeading as SmartHRPageHeading } from 'smarthr-ui';

/** The tab title for a page: "<page> | hrbridge" (the product is hrbridge, not SmartHR). */
export function pageTitle(page: string): string {
  return page ? `${page} | hrbridge` : 'hrbridge';
}

/**
 * smarthr-ui's PageHeading, without its automatic "<page>｜SmartHR（スマートHR）" tab title: the title is
 * set here as "<page> | hrbridge" from `title` or the heading's text.
 */
export function PageHeading({ title, children, ...rest }: ComponentProps<typeof SmartHRPageHeading> & { title?: string }) {
  const text = title ?? (typeof children === 'string' ? children : '');
  useEffect(() => {
    document.title = pageTitle(text);
  }, [text]);
  return (
    <SmartHRPageHeading {...rest} autoPageTitle={false}>
      {children}
    </SmartHRPageHeading>
  );
}
