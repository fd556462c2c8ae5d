import { zodResolver } from '@hookform/resolvers/zod';
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useUserDirectory } from '../../api/userDirectory';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { type Integration, saveIntegration } from './api';

interface Props {
  /** null: a new integration. */
  editing: Integration | null;
  opened: boolean;
  onClose: () => void;
  onSaved: (saved: Integration) => void;
}

function IntegrationForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing: Integration | null;
  onSaved: (saved: Integration) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { users } = useUserDirectory();
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t('validation.required')).max(100),
        accountSid: z
          .string()
          .trim()
          .refine((v) => v === '' || /^AC[0-9a-fA-F]{32}$/.test(v), t('integ.accountSidFormat')),
        authToken: z
          .string()
          .trim()
          .refine((v) => (editing ? v === '' || v.length >= 16 : v.length >= 16), t('integ.authTokenLength'))
          .refine((v) => v.length <= 256),
        enabled: z.boolean(),
        agents: z.array(
          z.object({
            address: z.string().trim().min(1, t('validation.required')).max(256),
            agentId: z.string().min(1, t('validation.required')),
          }),
        ),
      }),
    [t, editing],
  );
  type Values = z.infer<typeof schema>;
  const { register, control, handleSubmit, setError, formState, watch, setValue } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: editing?.name ?? 'Twilio',
      accountSid: editing?.accountSid ?? '',
      authToken: '',
      enabled: editing?.enabled ?? true,
      agents: editing?.agents ?? [],
    },
  });
  const agents = useFieldArray({ control, name: 'agents' });

  // Users to pick from, plus any agent id of the saved map that is no user (an API client's own id).
  const agentOptions = useMemo(() => {
    const options = users.filter((u) => u.active !== false).map((u) => ({ value: u.id, label: u.name }));
    for (const a of editing?.agents ?? []) {
      if (!options.some((o) => o.value === a.agentId)) options.push({ value: a.agentId, label: a.agentId });
    }
    return options;
  }, [users, editing]);

  const onSubmit = async (values: Values) => {
    setProblem(null);
    try {
      const saved = await saveIntegration(editing?.id ?? null, {
        name: values.name,
        accountSid: values.accountSid === '' ? null : values.accountSid,
        ...(values.authToken === '' ? {} : { authToken: values.authToken }),
        agents: values.agents,
        enabled: values.enabled,
      });
      notifySuccess(t('integ.savedDone'));
      onSaved(saved);
    } catch (error) {
      if (!applyApiErrors(error, setError, ['name', 'accountSid', 'authToken', 'agents'])) setProblem(error);
    }
  };

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate>
      <Stack gap="xs">
        <FormAlert error={problem} />
        <TextInput
          label={t('integ.name')}
          withAsterisk
          data-autofocus
          error={formState.errors.name?.message}
          data-testid="integ-form-name"
          {...register('name')}
        />
        <TextInput
          label={t('integ.accountSid')}
          description={t('integ.accountSidHint')}
          placeholder="AC…"
          className="mono"
          autoComplete="off"
          error={formState.errors.accountSid?.message}
          data-testid="integ-form-sid"
          {...register('accountSid')}
        />
        <PasswordInput
          label={t('integ.authToken')}
          description={editing ? t('integ.authTokenKeep') : t('integ.authTokenHint')}
          withAsterisk={!editing}
          autoComplete="new-password"
          error={formState.errors.authToken?.message}
          data-testid="integ-form-token"
          {...register('authToken')}
        />
        <Checkbox
          label={t('integ.enabledLabel')}
          checked={watch('enabled')}
          onChange={(e) => setValue('enabled', e.currentTarget.checked)}
          data-testid="integ-form-enabled"
        />
        <div>
          <Text size="sm" fw={500}>
            {t('integ.agents')}
          </Text>
          <Text size="xs" c="dimmed" mb={4}>
            {t('integ.agentsHint')}
          </Text>
          {agents.fields.length > 0 ? (
            <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('integ.address')}</Table.Th>
                  <Table.Th>{t('integ.agent')}</Table.Th>
                  <Table.Th w={32} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {agents.fields.map((field, i) => (
                  <Table.Tr key={field.id}>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        aria-label={t('integ.address')}
                        placeholder="050-1234-5678 / client:alice"
                        error={formState.errors.agents?.[i]?.address?.message}
                        data-testid={`integ-form-address-${i}`}
                        {...register(`agents.${i}.address`)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        aria-label={t('integ.agent')}
                        data={agentOptions}
                        searchable
                        value={watch(`agents.${i}.agentId`) || null}
                        onChange={(v) => setValue(`agents.${i}.agentId`, v ?? '', { shouldValidate: true })}
                        error={formState.errors.agents?.[i]?.agentId?.message}
                        data-testid={`integ-form-agent-${i}`}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('integ.removeAgent')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => agents.remove(i)}
                          aria-label={t('integ.removeAgent')}
                          data-testid={`integ-form-remove-${i}`}
                        >
                          <IconTrash size={14} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="xs" c="dimmed">
              {t('integ.noAgents')}
            </Text>
          )}
          <Button
            size="xs"
            variant="subtle"
            mt={4}
            leftSection={<IconPlus size={14} />}
            onClick={() => agents.append({ address: '', agentId: '' })}
            data-testid="integ-form-add-agent"
          >
            {t('integ.addAgent')}
          </Button>
        </div>
        <Group justify="flex-end" gap={6}>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="integ-form-submit">
            {t('common.save')}
          </FnButton>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates or edits a Twilio integration; the auth token is typed, never shown back. */
export function IntegrationFormModal({ editing, opened, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={editing ? t('integ.editTitle') : t('integ.createTitle')}>
      {opened ? (
        <IntegrationForm key={editing?.id ?? 'new'} editing={editing} onCancel={onClose} onSaved={onSaved} />
      ) : null}
    </Modal>
  );
}
