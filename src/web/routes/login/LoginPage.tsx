import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { login, meQuery } from '../../api/auth';
import { isApiError } from '../../api/client';
import { FormAlert } from '../../components/FormAlert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { applyApiErrors } from '../../lib/forms';
import { describeError } from '../../lib/notify';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { safeRedirect } from '../router';

type Step = 'password' | 'totp' | 'recovery';
const FIELDS = ['email', 'password', 'totp', 'recoveryCode'] as const;

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('login.title'));
  const search = useSearch({ from: '/login' });
  const router = useRouter();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>('password');
  const [problem, setProblem] = useState<unknown>(null);

  const schema = useMemo(
    () =>
      z.object({
        email: z.string().trim().min(1, t('validation.required')),
        password: z.string().min(1, t('validation.required')),
        totp: z.string().trim(),
        recoveryCode: z.string().trim(),
      }),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', password: '', totp: '', recoveryCode: '' },
  });
  const { register, handleSubmit, setError, setFocus, formState } = form;
  const { errors, isSubmitting } = formState;

  const onSubmit = async (values: Values) => {
    setProblem(null);
    if (step === 'totp' && !/^\d{6}$/.test(values.totp)) {
      setError('totp', { message: t('validation.code6') }, { shouldFocus: true });
      return;
    }
    if (step === 'recovery' && !values.recoveryCode) {
      setError('recoveryCode', { message: t('validation.required') }, { shouldFocus: true });
      return;
    }
    try {
      await login({
        email: values.email,
        password: values.password,
        ...(step === 'totp' ? { totp: values.totp } : {}),
        ...(step === 'recovery' ? { recoveryCode: values.recoveryCode } : {}),
      });
      queryClient.removeQueries();
      const me = await queryClient.fetchQuery(meQuery);
      router.history.push(me?.mustChangePassword ? '/password' : safeRedirect(search.redirect));
    } catch (error) {
      if (isApiError(error) && error.code === 'auth.totp_required' && step === 'password') {
        // The code field mounts with autoFocus (a focus call from here ran before it existed).
        setStep('totp');
        return;
      }
      if (!applyApiErrors(error, setError, FIELDS)) setProblem(error);
    }
  };

  const switchStep = (next: Step) => {
    setProblem(null);
    setStep(next);
    // The code fields focus themselves as they mount (autoFocus); the e-mail field is always there.
    if (next === 'password') setTimeout(() => setFocus('email'), 0);
  };

  const locked = isApiError(problem) && (problem.status === 423 || problem.code === 'auth.locked');

  return (
    <Center mih="100vh" p="md" bg="gray.1">
      <Paper withBorder shadow="sm" p="lg" w={380} radius="sm">
        <form onSubmit={handleSubmit(onSubmit)} noValidate>
          <Stack gap="sm">
            <Group justify="space-between" align="flex-start">
              <div>
                <Title order={1}>
                  {t('app.name')}{' '}
                  <Text span c="dimmed" size="sm">
                    {t('app.fullName')}
                  </Text>
                </Title>
                <Text size="xs" c="dimmed">
                  {t('login.subtitle')}
                </Text>
              </div>
              <LanguageSwitch />
            </Group>
            <Title order={2}>{t('login.title')}</Title>
            {search.expired && !problem ? (
              <Alert color="yellow" p="xs" data-testid="login-expired">
                {t('errors.sessionExpired')}
              </Alert>
            ) : null}
            {locked ? (
              <Alert
                color="orange"
                p="xs"
                icon={<IconLock size={16} />}
                title={describeError(problem).title}
                data-testid="login-error"
                role="alert"
              >
                {describeError(problem).message ?? t('login.locked')}
              </Alert>
            ) : (
              <FormAlert error={problem} testid="login-error" />
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              autoFocus
              readOnly={step !== 'password'}
              error={errors.email?.message}
              data-testid="login-email"
              {...register('email')}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              readOnly={step !== 'password'}
              error={errors.password?.message}
              data-testid="login-password"
              {...register('password')}
            />
            {step === 'totp' ? (
              <TextInput
                label={t('login.totp')}
                description={t('login.totpHelp')}
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={6}
                autoFocus
                error={errors.totp?.message}
                data-testid="login-totp"
                {...register('totp')}
              />
            ) : null}
            {step === 'recovery' ? (
              <TextInput
                label={t('login.recoveryCode')}
                description={t('login.recoveryHelp')}
                autoComplete="off"
                spellCheck={false}
                autoFocus
                error={errors.recoveryCode?.message}
                data-testid="login-recovery"
                {...register('recoveryCode')}
              />
            ) : null}
            <Button type="submit" size="sm" loading={isSubmitting} fullWidth data-testid="login-submit">
              {t('login.submit')}
            </Button>
            {step !== 'password' ? (
              <Group justify="space-between">
                {step === 'totp' ? (
                  <Anchor
                    component="button"
                    type="button"
                    size="xs"
                    onClick={() => switchStep('recovery')}
                    data-testid="login-use-recovery"
                  >
                    {t('login.useRecovery')}
                  </Anchor>
                ) : (
                  <Anchor
                    component="button"
                    type="button"
                    size="xs"
                    onClick={() => switchStep('totp')}
                    data-testid="login-use-totp"
                  >
                    {t('login.useTotp')}
                  </Anchor>
                )}
                <Anchor
                  component="button"
                  type="button"
                  size="xs"
                  c="dimmed"
                  onClick={() => {
                    form.reset();
                    switchStep('password');
                  }}
                  data-testid="login-start-over"
                >
                  {t('login.startOver')}
                </Anchor>
              </Group>
            ) : null}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
