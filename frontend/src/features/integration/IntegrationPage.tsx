import { Link } from 'react-router';
import {
  AnchorButton,
  Base,
  Cluster,
  Heading,
  InformationPanel,
  Section,
  Stack,
} from 'smarthr-ui';
import { PageHeading } from '../../components/PageHeading';
import { useIsAdmin } from '../../api/me';
import { DIRECTIONS } from '../../api/types';
import { useT } from '../../i18n/i18n';
import { useConnection } from './queries';

export function IntegrationPage() {
  const t = useT();
  const isAdmin = useIsAdmin();
  const conn = useConnection();
  return (
    <Stack gap={1.5} className="page">
      <PageHeading>{t('integration.title')}</PageHeading>
      <p>{t('integration.lead')}</p>
      {conn.data && !conn.data.configured ? (
        <InformationPanel type="info" title={t('integration.notConfiguredTitle')}>
          <p>{t('integration.notConfigured')}</p>
          <p>
            <Link to="/settings/jobkan">{t('integration.openSettings')}</Link>
          </p>
        </InformationPanel>
      ) : null}
      {!isAdmin ? (
        <InformationPanel type="warning" title={t('selection.viewerNote')}>
          <p>{t('integration.viewerNote')}</p>
        </InformationPanel>
      ) : null}
      <Section>
        <Stack gap={1}>
          <Heading>{t('integration.directionHeading')}</Heading>
          <div className="direction-grid">
            {DIRECTIONS.map((d) => (
              <Base key={d} padding={1.5} className="direction-card">
                <Stack gap={1}>
                  <p>{t(`integration.${d}.help`)}</p>
                  <AnchorButton elementAs={Link} to={`/integrations/jobkan/${d}`} variant="primary" data-testid={`direction-${d}`}>
                    {t(`integration.${d}`)}
                  </AnchorButton>
                </Stack>
              </Base>
            ))}
          </div>
        </Stack>
      </Section>
      <Cluster gap={1.5}>
        <Link to="/settings/jobkan">{t('integration.openSettings')}</Link>
        <Link to="/imports">{t('integration.openHistory')}</Link>
      </Cluster>
    </Stack>
  );
}
