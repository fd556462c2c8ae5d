import { Alert, Button, Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/notify';

/** Loader or error box for a query that has no data yet. */
export function QueryState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) {
    return (
      <Center p="md">
        <Loader size="sm" aria-label={t('app.loading')} />
      </Center>
    );
  }
  const { title, message } = describeError(error);
  return (
    <Alert color="red" title={title} p="xs" data-testid="query-error">
      {message}
      {onRetry ? (
        <Button variant="default" ml="xs" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </Alert>
  );
}
