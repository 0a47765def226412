import { Link } from 'react-router';
import {
  Base,
  Heading,
  Section,
  Stack,
} from 'smarthr-ui';
import { PageHeading } from '../components/PageHeading';
import { useT } from '../i18n/i18n';

export function TopPage() {
  const t = useT();
  return (
    <Stack gap={1.5} className="page">
      <PageHeading>{t('top.title')}</PageHeading>
      <Section>
        <Stack gap={1}>
          <Heading>{t('top.features')}</Heading>
          <ul className="feature-grid">
            <li>
              <Base padding={1.5} className="feature-card">
                <Link to="/integrations/jobkan" className="feature-link" data-testid="jobkan-card">
                  <span className="feature-icon" aria-hidden="true">
                    J
                  </span>
                  <span className="feature-title">{t('top.jobkan.title')}</span>
                </Link>
                <p className="feature-desc">{t('top.jobkan.description')}</p>
              </Base>
            </li>
          </ul>
        </Stack>
      </Section>
    </Stack>
  );
}
