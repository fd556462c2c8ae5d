import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { normalisePath } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { ConfirmModal } from '../ConfirmModal';
import { FormAlert } from '../FormAlert';
import { FnButton } from '../fkeys';
import { QueryState } from '../QueryState';
import { type FieldErrors, FieldGrid } from './FieldInput';
import type { MasterConfig } from './types';

/**
 * Splits a problem's field errors into those a field of the form shows and the rest. Paths come as
 * "code", "body.components[1].quantity" or "/components/1/quantity".
 */
export function placeErrors(error: unknown, fieldNames: readonly string[]): { placed: FieldErrors; rest: boolean } {
  const placed: FieldErrors = {};
  if (!isApiError(error) || error.errors.length === 0) return { placed, rest: true };
  let rest = false;
  for (const e of error.errors) {
    const path = normalisePath(e.path);
    const root = path.split('.')[0] ?? '';
    if (fieldNames.includes(root)) placed[path] ??= e.message;
    else rest = true;
  }
  return { placed, rest };
}

export function itemPathOf<T>(config: MasterConfig<T>, item: T): string {
  return config.itemPath ? config.itemPath(item) : `${config.path}/${encodeURIComponent(config.idOf(item))}`;
}

/** The edit dialog of a master: the fields as described, F1 登録, delete with a confirmation. */
export function MasterEditModal<T>({
  config,
  item,
  opened,
  onClose,
}: {
  config: MasterConfig<T>;
  /** null: a new record. */
  item: T | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const full = useQuery({
    queryKey: ['master', config.id, 'one', item ? config.idOf(item) : null],
    queryFn: ({ signal }) => api.get<T>(item ? itemPathOf(config, item) : config.path, undefined, signal),
    enabled: Boolean(opened && item && config.loadOne),
    staleTime: 0,
    gcTime: 0,
  });
  const record = item && config.loadOne ? (full.data ?? null) : item;
  const [values, setValues] = useState(() => config.toValues(record));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [removing, setRemoving] = useState(false);
  const names = config.fields.map((f) => f.name);

  useEffect(() => {
    if (opened) {
      setValues(config.toValues(record));
      setErrors({});
      setProblem(null);
    }
  }, [opened, record, config]);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['master', config.id] });
  };

  const save = async () => {
    setSaving(true);
    setProblem(null);
    setErrors({});
    try {
      const body = config.toBody(values, record);
      if (record) {
        const version = config.version?.(record);
        const headers = version === undefined ? undefined : { 'If-Match': `"${version}"` };
        const path = itemPathOf(config, record);
        if (config.updateMethod === 'PUT') await api.put(path, body, headers);
        else await api.patch(path, body, headers);
      } else {
        await api.post(config.createPath ?? config.path, body);
      }
      await queryClient.invalidateQueries({ queryKey: ['master', config.id] });
      await queryClient.invalidateQueries({ queryKey: ['master-ref'] });
      notifySuccess(t('master.saved'));
      onClose();
    } catch (error) {
      const { placed, rest } = placeErrors(error, names);
      setErrors(placed);
      if (rest || Object.keys(placed).length === 0) setProblem(error);
    } finally {
      setSaving(false);
    }
  };

  const loading = Boolean(item && config.loadOne && !full.data);
  const testid = `master-${config.id}-form`;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size={config.size ?? 'lg'}
      title={
        record ? t('master.editTitle', { name: config.nameOf(record) }) : t('master.newTitle', { master: config.title })
      }
    >
      {loading ? (
        <QueryState error={full.error} onRetry={() => void full.refetch()} />
      ) : (
        <form
          noValidate
          data-testid={testid}
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <Stack gap={8}>
            <FormAlert error={problem} testid={`${testid}-error`} />
            <FieldGrid
              fields={config.fields}
              values={values}
              setValue={(name, value) => {
                setValues((current) => ({ ...current, [name]: value }));
                setErrors((current) => {
                  if (!Object.keys(current).some((k) => k === name || k.startsWith(`${name}.`))) return current;
                  return Object.fromEntries(
                    Object.entries(current).filter(([k]) => k !== name && !k.startsWith(`${name}.`)),
                  );
                });
              }}
              errors={errors}
              testid={testid}
              isNew={!record}
            />
            {record && config.extra ? config.extra(record, refresh) : null}
            <Group justify="space-between" mt={4}>
              {record && config.canDelete !== false ? (
                <Button variant="subtle" color="red" onClick={() => setRemoving(true)} data-testid={`${testid}-delete`}>
                  {t('master.delete')}
                </Button>
              ) : (
                <Text />
              )}
              <Group gap={6}>
                <Button variant="default" onClick={onClose}>
                  {t('common.cancel')}
                </Button>
                <FnButton fkey="F1" type="submit" loading={saving} testid={`${testid}-submit`}>
                  {t('common.save')}
                </FnButton>
              </Group>
            </Group>
          </Stack>
        </form>
      )}
      <ConfirmModal
        opened={removing}
        title={t('master.delete')}
        message={t('master.deleteConfirm', { name: record ? config.nameOf(record) : '' })}
        confirmLabel={t('master.delete')}
        onClose={() => setRemoving(false)}
        onConfirm={async () => {
          if (!record) return;
          await api.del(itemPathOf(config, record));
          await queryClient.invalidateQueries({ queryKey: ['master', config.id] });
          notifySuccess(t('master.deleted'));
          setRemoving(false);
          onClose();
        }}
      />
    </Modal>
  );
}
