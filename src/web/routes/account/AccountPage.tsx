import { Paper, Tabs } from '@mantine/core';
import { IconLanguage, IconLock, IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PasswordChangeForm } from '../../components/forms/PasswordChangeForm';
import { PageHeader } from '../../components/PageHeader';
import { ProfileTab } from './ProfileTab';
import { TotpTab } from './TotpTab';

/** Tabs mount one at a time, so F1 always belongs to the form in view. */
export function AccountPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('account.title')} />
      <Paper withBorder p="sm" maw={760}>
        <Tabs defaultValue="profile">
          <Tabs.List mb="sm">
            <Tabs.Tab value="profile" leftSection={<IconLanguage size={14} />} data-testid="account-tab-profile">
              {t('account.tabProfile')}
            </Tabs.Tab>
            <Tabs.Tab value="password" leftSection={<IconLock size={14} />} data-testid="account-tab-password">
              {t('account.tabPassword')}
            </Tabs.Tab>
            <Tabs.Tab value="totp" leftSection={<IconShieldLock size={14} />} data-testid="account-tab-totp">
              {t('account.tabTotp')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="profile">
            <ProfileTab />
          </Tabs.Panel>
          <Tabs.Panel value="password">
            <PasswordChangeForm />
          </Tabs.Panel>
          <Tabs.Panel value="totp">
            <TotpTab />
          </Tabs.Panel>
        </Tabs>
      </Paper>
    </>
  );
}
