import { Badge, Paper, Select, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersKey } from '../../api/orders';
import { uploadFile } from '../../api/upload';
import {
  CsvFilePicker,
  encodingLabel,
  ImportButtons,
  MappingRow,
  MappingTable,
  PresetBar,
  readCsvFile,
  useImportRun,
} from '../../components/csv-import/csvImport';
import { FormAlert } from '../../components/FormAlert';
import { PageHeader } from '../../components/PageHeader';
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
  const headers = table?.headers ?? [];
  const presetList = presets.data ?? [];
  const selected = presetList.find((p) => p.name === presetName.trim());
  const { checked, done, busy, problem, setProblem, reset, run, shown } = useImportRun(
    file
      ? (dryRun) =>
          uploadFile('/orders/import', file, {
            mapping: JSON.stringify(mapping),
            ...(dryRun ? { dryRun: 'true' } : {}),
          })
      : null,
    async (answer) => {
      notifySuccess(t('ordimp.importedToast', { count: Number(answer.body.imported ?? 0) }));
      await queryClient.invalidateQueries({ queryKey: ordersKey });
    },
  );

  const open = async (f: File | null) => {
    setFile(f);
    reset();
    if (!f) {
      setTable(null);
      return;
    }
    const { rows, encoding } = await readCsvFile(f);
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
  const headerOptions = headers.map((h, i) => ({ value: h.trim(), label: h.trim() || `#${i + 1}` }));

  return (
    <>
      <PageHeader title={t('ordimp.title')} />
      <Stack gap="sm">
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" mb={6}>
            {t('ordimp.lead')}
          </Text>
          <CsvFilePicker
            label={t('ordimp.file')}
            file={file}
            onChange={(f) => void open(f)}
            detected={
              table ? t('ordimp.detected', { encoding: encodingLabel(table.encoding), count: table.count }) : null
            }
            testid="order-import"
          />
        </Paper>
        <Paper withBorder p="sm">
          <PresetBar
            title={t('ordimp.mapping')}
            labels={{
              preset: t('ordimp.preset'),
              presetName: t('ordimp.presetName'),
              save: t('ordimp.savePreset'),
              delete: t('ordimp.deletePreset'),
            }}
            names={presetList.map((p) => p.name)}
            value={selected ? selected.name : null}
            onPick={applyPreset}
            clearable
            name={presetName}
            onName={setPresetName}
            onSave={() => void storePreset()}
            saveDisabled={!presetName.trim() || Object.keys(mapping).length === 0}
            onDelete={() => void removePreset()}
            deleteDisabled={!selected}
            testid="order-import"
          />
          <MappingTable
            headers={[t('ordimp.field'), t('ordimp.column'), t('ordimp.sample')]}
            widths={[220, 240]}
            testid="order-import-mapping"
          >
            {TARGETS.map((target) => {
              const header = mapping[target];
              const index = header === undefined ? -1 : headers.findIndex((h) => h.trim() === header);
              const absent = Boolean(table && header && index < 0);
              return (
                <MappingRow
                  key={target}
                  label={
                    <>
                      {t(`ordimp.targets.${target}`)}{' '}
                      {REQUIRED.includes(target) ? (
                        <Badge size="xs" color="red" variant="light">
                          {t('ordimp.required')}
                        </Badge>
                      ) : null}
                    </>
                  }
                  control={
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
                  }
                  sample={index >= 0 ? (table?.first[index] ?? '') : ''}
                />
              );
            })}
          </MappingTable>
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
        <ImportButtons
          run={run}
          ready={ready}
          busy={busy}
          checked={checked}
          done={done}
          dryRunKey="F4"
          testid="order-import"
        />
      </Stack>
    </>
  );
}
