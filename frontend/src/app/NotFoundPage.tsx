import { Link } from 'react-router';
import { Stack } from 'smarthr-ui';
import { PageHeading } from '../components/PageHeading';
import { useT } from '../i18n/i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <Stack gap={1} className="page">
      <PageHeading>{t('common.notFound')}</PageHeading>
      <p>{t('common.notFoundBody')}</p>
      <p>
        <Link to="/">{t('common.backToTop')}</Link>
      </p>
    </Stack>
  );
}
