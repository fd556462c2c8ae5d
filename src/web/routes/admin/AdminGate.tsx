import { Alert } from '@mantine/core';
import { Outlet } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';

/** Admin screens: other roles get a clear refusal (the server refuses them too). */
export function AdminGate() {
  const me = useMe();
  const { t } = useTranslation();
  if (me.role !== 'admin') {
    return (
      <Alert color="orange" title={t('errors.forbidden')} data-testid="forbidden">
        {t('account.role')}: {t(`roles.${me.role}`)}
      </Alert>
    );
  }
  return <Outlet />;
}
