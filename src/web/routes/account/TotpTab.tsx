import { Badge, Button, Group, Image, Stack, Text, TextInput } from '@mantine/core';
import { IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { meQueryKey, useMe } from '../../api/auth';
import { api, isApiError } from '../../api/client';
import type { TotpSetup } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { PasswordPromptModal } from '../../components/PasswordPromptModal';
import { RecoveryCodesModal } from '../../components/RecoveryCodesModal';
import { notifyError, notifySuccess } from '../../lib/notify';

type Prompt = 'disable' | 'regenerate' | null;

export function TotpTab() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [starting, setStarting] = useState(false);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [enabling, setEnabling] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [prompt, setPrompt] = useState<Prompt>(null);

  const refreshMe = () => queryClient.invalidateQueries({ queryKey: meQueryKey });

  const startSetup = async () => {
    setStarting(true);
    try {
      setSetup(await api.post<TotpSetup>('/auth/totp/setup'));
      setCode('');
      setProblem(null);
    } catch (error) {
      notifyError(error);
    } finally {
      setStarting(false);
    }
  };

  const enable = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) {
      setCodeError(t('validation.code6'));
      return;
    }
    setEnabling(true);
    setCodeError(null);
    setProblem(null);
    try {
      const answer = await api.post<{ recoveryCodes: string[] }>('/auth/totp/enable', { code: code.trim() });
      setSetup(null);
      setCodes(answer.recoveryCodes);
      notifySuccess(t('totp.enabled'));
      await refreshMe();
    } catch (error) {
      const onField = isApiError(error) ? error.errors.find((e) => e.path.endsWith('code')) : undefined;
      if (onField) setCodeError(onField.message);
      else setProblem(error);
    } finally {
      setEnabling(false);
    }
  };

  const disable = async (password: string) => {
    await api.post<void>('/auth/totp/disable', { password });
    notifySuccess(t('totp.disabled'));
    await refreshMe();
  };

  const regenerate = async (password: string) => {
    const answer = await api.post<{ recoveryCodes: string[] }>('/auth/recovery-codes', { password });
    setCodes(answer.recoveryCodes);
    notifySuccess(t('totp.regenerated'));
  };

  return (
    <Stack gap="sm" maw={560}>
      <Group gap="xs">
        {me.totpEnabled ? (
          <IconShieldCheck size={18} color="var(--mantine-color-teal-7)" />
        ) : (
          <IconShieldOff size={18} />
        )}
        <Text size="sm" fw={600} data-testid="totp-status">
          {me.totpEnabled ? t('totp.statusOn') : t('totp.statusOff')}
        </Text>
        <Badge color={me.totpEnabled ? 'teal' : 'gray'}>{me.totpEnabled ? t('common.on') : t('common.off')}</Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {t('totp.intro')}
      </Text>

      {me.totpEnabled ? (
        <Group gap={6}>
          <Button variant="default" onClick={() => setPrompt('regenerate')} data-testid="recovery-regenerate">
            {t('totp.regenerate')}
          </Button>
          <Button variant="light" color="red" onClick={() => setPrompt('disable')} data-testid="totp-disable">
            {t('totp.disable')}
          </Button>
        </Group>
      ) : setup ? (
        <form onSubmit={enable} noValidate>
          <Stack gap="xs">
            <Text size="sm">{t('totp.scan')}</Text>
            <Image src={setup.qrDataUrl} alt="QR" w={180} h={180} fit="contain" data-testid="totp-qr" />
            <div>
              <Text size="xs" c="dimmed">
                {t('totp.secret')}
              </Text>
              <CopyField value={setup.secret} testid="totp-secret" />
            </div>
            <FormAlert error={problem} />
            <TextInput
              label={t('totp.code')}
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={6}
              w={200}
              autoFocus
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              error={codeError}
              data-testid="totp-code"
            />
            <Group gap={6}>
              <FnButton fkey="F1" type="submit" loading={enabling} testid="totp-enable">
                {t('totp.enable')}
              </FnButton>
              <Button variant="default" onClick={() => setSetup(null)} data-testid="totp-cancel">
                {t('totp.cancelSetup')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <div>
          <Button onClick={startSetup} loading={starting} data-testid="totp-setup">
            {t('totp.setup')}
          </Button>
        </div>
      )}

      <PasswordPromptModal
        opened={prompt === 'disable'}
        title={t('totp.disable')}
        message={t('totp.disableConfirm')}
        confirmLabel={t('totp.disable')}
        color="red"
        testid="totp-disable"
        onClose={() => setPrompt(null)}
        onSubmit={disable}
      />
      <PasswordPromptModal
        opened={prompt === 'regenerate'}
        title={t('totp.regenerate')}
        message={t('totp.regenerateConfirm')}
        confirmLabel={t('totp.regenerate')}
        testid="recovery"
        onClose={() => setPrompt(null)}
        onSubmit={regenerate}
      />
      <RecoveryCodesModal codes={codes} onClose={() => setCodes(null)} />
    </Stack>
  );
}
