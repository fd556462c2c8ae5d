import { Anchor, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Center mih="60vh" data-testid="not-found">
      <Stack gap="xs" align="center">
        <Title order={1}>{t('errors.notFound')}</Title>
        <Text size="sm" c="dimmed">
          {t('errors.notFoundDetail')}
        </Text>
        <Anchor component={Link} to="/" size="sm">
          {t('nav.home')}
        </Anchor>
      </Stack>
    </Center>
  );
}
