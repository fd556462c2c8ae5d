import { Button, Center, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props {
  hasMore: boolean;
  loading: boolean;
  shown: number;
  onMore: () => void;
  testid: string;
}

/** Count of rows shown plus a "more" button while the server has a next cursor. */
export function MoreButton({ hasMore, loading, shown, onMore, testid }: Props) {
  const { t } = useTranslation();
  return (
    <Center mt={6} style={{ gap: 8 }}>
      <Text size="xs" c="dimmed" data-testid={`${testid}-count`}>
        {t('common.count', { count: shown })}
      </Text>
      {hasMore ? (
        <Button variant="default" onClick={onMore} loading={loading} data-testid={testid}>
          {t('common.more')}
        </Button>
      ) : null}
    </Center>
  );
}
