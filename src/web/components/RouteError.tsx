import { Alert, Button, Center, Stack } from '@mantine/core';
import type { ErrorComponentProps } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/notify';

export function RouteError({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation();
  const { title, message } = describeError(error);
  return (
    <Center mih="40vh" p="md">
      <Stack gap="xs" maw={520}>
        <Alert color="red" title={title} data-testid="route-error">
          {message}
        </Alert>
        <Button variant="default" onClick={reset}>
          {t('common.retry')}
        </Button>
      </Stack>
    </Center>
  );
}
