import { Alert, Button, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { logout, meQuery, meQueryKey } from '../../api/auth';
import { PasswordChangeForm } from '../../components/forms/PasswordChangeForm';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useDocumentTitle } from '../../lib/useDocumentTitle';

/** Shown after sign-in while the user must change a password an admin set. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('password.forcedTitle'));
  const router = useRouter();
  const queryClient = useQueryClient();

  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: meQueryKey });
    const me = await queryClient.fetchQuery(meQuery);
    router.history.push(me ? '/' : '/login');
  };

  const signOut = async () => {
    await logout().catch(() => undefined);
    queryClient.setQueryData(meQueryKey, null);
    router.history.push('/login');
  };

  return (
    <Center mih="100vh" p="md" bg="gray.1">
      <Paper withBorder shadow="sm" p="lg" w={420} radius="sm">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={1}>{t('password.forcedTitle')}</Title>
            <LanguageSwitch />
          </Group>
          <Alert color="yellow" p="xs">
            <Text size="sm">{t('password.forcedLead')}</Text>
          </Alert>
          <PasswordChangeForm onDone={done} />
          <Group justify="flex-end">
            <Button variant="subtle" color="gray" onClick={signOut} data-testid="logout">
              {t('header.signOut')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Center>
  );
}
