import { Badge, Button, FileInput, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDeviceFloppy, IconFileImport, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersKey } from '../../api/orders';
import { type ImportAnswer, uploadFile } from '../../api/upload';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { decodeFile, parseCsv } from '../../lib/csv';
import { notifySuccess } from '../../lib/notify';
import { ImportResultView } from './ImportResultView';
import {
  deletePreset,
  guessMapping,
  type Mapping,
  presetsKey,
  presetsQuery,
  REQUIRED,
  savePreset,
  TARGETS,
  type Target,
} from './orderImportApi';

/**
 * Web受注取込: an online shop's order CSV (UTF-8 or Shift_JIS), its columns mapped to the order's
 * fields (mappings kept on the server as presets), a dry run that lists every bad row and shows how
 * each order's customer was found, then one all-or-nothing import.
 */
export function OrderImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const presets = useQuery(presetsQuery);
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState<{ headers: string[]; first: string[]; count: number; encoding: string } | null>(
    null,
  );
  const [mapping, setMapping] = useState<Mapping>({});
  const [presetName, setPresetName] = useState('');
  const [checked, setChecked] = useState<ImportAnswer | null>(null);
  const [done, setDone] = useState<ImportAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const headers = table?.headers ?? [];
  const presetList = presets.data ?? [];
  const selected = presetList.find((p) => p.name === presetName.trim());

  const reset = () => {
    setChecked(null);
    setDone(null);
    setProblem(null);
  };
  const open = async (f: File | null) => {
    setFile(f);
    reset();
    if (!f) {
      setTable(null);
      return;
    }
    const { text, encoding } = decodeFile(await f.arrayBuffer());
    const rows = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ''));
    const head = rows[0] ?? [];
    setTable({ headers: head, first: rows[1] ?? [], count: Math.max(0, rows.length - 1), encoding });
    setMapping(selected ? selected.mapping : guessMapping(head));
  };
  const setTarget = (target: Target, header: string | null) => {
    setMapping((m) => {
      const next = { ...m };
      if (header) next[target] = header;
      else delete next[target];
      return next;
    });
    reset();
  };
  const applyPreset = (name: string | null) => {
    const preset = presetList.find((p) => p.name === name);
    setPresetName(name ?? '');
    if (preset) setMapping(preset.mapping);
    reset();
  };
  const storePreset = async () => {
    const name = presetName.trim();
    if (!name) return;
    setProblem(null);
    try {
      await savePreset(selected, name, mapping);
      await queryClient.invalidateQueries({ queryKey: presetsKey });
      notifySuccess(t('ordimp.presetSaved', { name }));
    } catch (error) {
      setProblem(error);
    }
  };
  const removePreset = async () => {
    if (!selected) return;
    setProblem(null);
    try {
      await deletePreset(selected.id);
      await queryClient.invalidateQueries({ queryKey: presetsKey });
      setPresetName('');
      notifySuccess(t('ordimp.presetDeleted'));
    } catch (error) {
      setProblem(error);
    }
  };

  const missing = REQUIRED.filter((target) => !mapping[target]);
  const noKey = !mapping.phone && !mapping.email;
  const ready = Boolean(file && table && missing.length === 0 && !noKey);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const answer = await uploadFile('/orders/import', file, {
        mapping: JSON.stringify(mapping),
        ...(dryRun ? { dryRun: 'true' } : {}),
      });
      if (dryRun) setChecked(answer);
      else {
        setDone(answer);
        if (answer.ok) {
          notifySuccess(t('ordimp.importedToast', { count: Number(answer.body.imported ?? 0) }));
          await queryClient.invalidateQueries({ queryKey: ordersKey });
        }
      }
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const shown = done ?? checked;
  const headerOptions = headers.map((h, i) => ({ value: h.trim(), label: h.trim() || `#${i + 1}` }));

  return (
    <>
      <PageHeader title={t('ordimp.title')} />
      <Stack gap="sm">
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" mb={6}>
            {t('ordimp.lead')}
          </Text>
          <Group align="flex-end" gap="xs">
            <FileInput
              label={t('ordimp.file')}
              accept=".csv,text/csv,.txt"
              value={file}
              onChange={(f) => void open(f)}
              leftSection={<IconFileImport size={14} />}
              clearable
              w={360}
              data-testid="order-import-file"
            />
            {table ? (
              <Text size="xs" c="dimmed" mb={6} data-testid="order-import-detected">
                {t('ordimp.detected', {
                  encoding: table.encoding === 'sjis' ? 'Shift_JIS' : 'UTF-8',
                  count: table.count,
                })}
              </Text>
            ) : null}
          </Group>
        </Paper>
        <Paper withBorder p="sm">
          <Group justify="space-between" mb={6} align="flex-end">
            <Title order={2}>{t('ordimp.mapping')}</Title>
            <Group gap={6} align="flex-end">
              <Select
                label={t('ordimp.preset')}
                data={presetList.map((p) => p.name)}
                value={selected ? selected.name : null}
                onChange={applyPreset}
                clearable
                w={180}
                data-testid="order-import-preset"
              />
              <TextInput
                label={t('ordimp.presetName')}
                value={presetName}
                onChange={(e) => setPresetName(e.currentTarget.value)}
                w={180}
                data-testid="order-import-preset-name"
              />
              <Button
                variant="default"
                leftSection={<IconDeviceFloppy size={14} />}
                onClick={() => void storePreset()}
                disabled={!presetName.trim() || Object.keys(mapping).length === 0}
                data-testid="order-import-preset-save"
              >
                {t('ordimp.savePreset')}
              </Button>
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={14} />}
                onClick={() => void removePreset()}
                disabled={!selected}
                data-testid="order-import-preset-delete"
              >
                {t('ordimp.deletePreset')}
              </Button>
            </Group>
          </Group>
          <Table data-testid="order-import-mapping">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={220}>{t('ordimp.field')}</Table.Th>
                <Table.Th w={240}>{t('ordimp.column')}</Table.Th>
                <Table.Th>{t('ordimp.sample')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {TARGETS.map((target) => {
                const header = mapping[target];
                const index = header === undefined ? -1 : headers.findIndex((h) => h.trim() === header);
                const absent = Boolean(table && header && index < 0);
                return (
                  <Table.Tr key={target}>
                    <Table.Td className="nowrap">
                      {t(`ordimp.targets.${target}`)}{' '}
                      {REQUIRED.includes(target) ? (
                        <Badge size="xs" color="red" variant="light">
                          {t('ordimp.required')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t(`ordimp.targets.${target}`)}
                        placeholder={t('ordimp.none')}
                        data={
                          header && !headerOptions.some((o) => o.value === header)
                            ? [...headerOptions, { value: header, label: header }]
                            : headerOptions
                        }
                        value={header ?? null}
                        onChange={(v) => setTarget(target, v)}
                        clearable
                        searchable
                        error={absent ? '—' : undefined}
                        data-testid={`order-import-map-${target}`}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {index >= 0 ? (table?.first[index] ?? '') : ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {table && missing.length > 0 ? (
            <Text size="xs" c="red" mt={4}>
              {t('ordimp.missing', { fields: missing.map((m) => t(`ordimp.targets.${m}`)).join('、') })}
            </Text>
          ) : null}
          {table && noKey ? (
            <Text size="xs" c="red" mt={4}>
              {t('ordimp.needKey')}
            </Text>
          ) : null}
        </Paper>
        <FormAlert error={problem} />
        {shown ? <ImportResultView answer={shown} /> : null}
        <Group justify="flex-end" gap={6}>
          <FnButton
            fkey="F4"
            variant="default"
            onClick={() => void run(true)}
            disabled={!ready}
            loading={busy && !checked}
            testid="order-import-dryrun"
          >
            {t('master.csv.dryRun')}
          </FnButton>
          <FnButton
            fkey="F1"
            onClick={() => void run(false)}
            disabled={!ready || !checked?.ok || Boolean(done?.ok)}
            loading={busy && Boolean(checked)}
            testid="order-import-commit"
          >
            {t('master.csv.commit')}
          </FnButton>
        </Group>
      </Stack>
    </>
  );
}
