import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../api/client';
import { type CreatedToken, ROLES } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { RoleSelect } from '../../components/forms/RoleSelect';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: () => void;
}

function TokenForm({ onCreated, onCancel }: { onCreated: (token: CreatedToken) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(
    () => z.object({ name: z.string().trim().min(1, t('validation.required')).max(100), role: z.enum(ROLES) }),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const { register, control, handleSubmit, setError, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', role: 'operator' },
  });

  const onSubmit = async (values: Values) => {
    setProblem(null);
    try {
      onCreated(await api.post<CreatedToken>('/tokens', values));
    } catch (error) {
      if (!applyApiErrors(error, setError, ['name', 'role'])) setProblem(error);
    }
  };

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate>
      <Stack gap="xs">
        <FormAlert error={problem} />
        <TextInput
          label={t('tokens.name')}
          withAsterisk
          data-autofocus
          error={formState.errors.name?.message}
          data-testid="token-form-name"
          {...register('name')}
        />
        <Controller
          control={control}
          name="role"
          render={({ field }) => (
            <RoleSelect
              label={t('tokens.role')}
              withAsterisk
              value={field.value}
              onChange={(value) => value && field.onChange(value)}
              error={formState.errors.role?.message}
              data-testid="token-form-role"
            />
          )}
        />
        <Group justify="flex-end" gap={6}>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="token-form-submit">
            {t('common.save')}
          </FnButton>
        </Group>
      </Stack>
    </form>
  );
}

/** Issues a token, then shows its secret exactly once. */
export function CreateTokenModal({ opened, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const close = () => {
    setCreated(null);
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('tokens.secretTitle') : t('tokens.createTitle')}
      closeOnClickOutside={!created}
      closeOnEscape={!created}
    >
      {created ? (
        <Stack gap="xs">
          <Alert color="yellow" p="xs">
            <Text size="sm">{t('tokens.secretLead')}</Text>
          </Alert>
          <Text size="sm">
            {created.name} ・ {t(`roles.${created.role}`)}
          </Text>
          <CopyField value={created.token} testid="token-secret" />
          <Group justify="flex-end">
            <Button onClick={close} data-testid="token-secret-close">
              {t('tokens.secretDone')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <TokenForm
          onCancel={close}
          onCreated={(token) => {
            setCreated(token);
            notifySuccess(t('tokens.secretTitle'));
            onCreated();
          }}
        />
      )}
    </Modal>
  );
}
