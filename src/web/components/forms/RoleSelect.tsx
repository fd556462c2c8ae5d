import { Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../api/types';

/** Select of the eight roles with their translated names. */
export function RoleSelect(props: Omit<SelectProps, 'data'>) {
  const { t } = useTranslation();
  return <Select data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} {...props} />;
}
