import { Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadFile } from '../../api/upload';
import {
  CsvFilePicker,
  encodingLabel,
  ImportButtons,
  ImportOutcome,
  MappingRow,
  MappingTable,
  PresetBar,
  readCsvFile,
  useImportRun,
} from '../../components/csv-import/csvImport';
import { FormAlert } from '../../components/FormAlert';
import { PageHeader } from '../../components/PageHeader';
import { remap, toCsv } from '../../lib/csv';
import { notifySuccess } from '../../lib/notify';

/** The columns POST /customers/import takes (CONTRACTS.md), with their Japanese headers. */
export const IMPORT_COLUMNS = {
  name: '氏名',
  nameKana: 'フリガナ',
  phone1: '電話番号1',
  phone2: '電話番号2',
  phone3: '電話番号3',
  email: 'メールアドレス',
  postalCode: '郵便番号',
  prefecture: '都道府県',
  city: '市区町村',
  address1: '住所1',
  address2: '住所2',
  company: '会社名',
  department: '部署名',
  birthDate: '生年月日',
  gender: '性別',
  note: '備考',
} as const;
type Target = keyof typeof IMPORT_COLUMNS;
const TARGETS = Object.keys(IMPORT_COLUMNS) as Target[];

/** A saved mapping: source header → target column ('' = not imported). Kept in this browser. */
type Preset = { name: string; mapping: Record<string, string> };
const PRESETS_KEY = 'madoguchi.customerImport.presets';

function loadPresets(): Preset[] {
  try {
    const raw = window.localStorage.getItem(PRESETS_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as Preset[]) : [];
  } catch {
    return [];
  }
}
function savePresets(presets: Preset[]): void {
  window.localStorage.setItem(PRESETS_KEY, JSON.stringify(presets));
}

/** The target a header names by itself (name, 氏名, 電話番号1 …), else ''. */
export function guessTarget(header: string): string {
  const h = header.trim().normalize('NFKC');
  for (const target of TARGETS) {
    if (h.toLowerCase() === target.toLowerCase() || h === IMPORT_COLUMNS[target].normalize('NFKC')) return target;
  }
  const loose: [RegExp, Target][] = [
    [/^(お?名前|顧客名|氏名)$/, 'name'],
    [/^(フリガナ|ふりがな|カナ|氏名カナ|顧客名カナ)$/, 'nameKana'],
    [/^(電話|電話番号|TEL|tel|Tel)$/, 'phone1'],
    [/^(携帯|携帯電話|携帯番号)$/, 'phone2'],
    [/^(メール|e-?mail|Eメール)$/i, 'email'],
    [/^(〒|郵便)$/, 'postalCode'],
    [/^(住所|番地)$/, 'address1'],
    [/^(建物|建物名|マンション名)$/, 'address2'],
    [/^(誕生日)$/, 'birthDate'],
    [/^(メモ|コメント)$/, 'note'],
  ];
  return loose.find(([re]) => re.test(h))?.[1] ?? '';
}

/**
 * 顧客CSV取込: a file in UTF-8 or Shift_JIS, its columns mapped to the customer's fields (mappings
 * saved as presets), a dry run listing every bad row, then one all-or-nothing import.
 */
export function CustomerImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState<{ rows: string[][]; encoding: string } | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [presets, setPresets] = useState<Preset[]>(loadPresets);
  const [presetName, setPresetName] = useState('');
  const headers = table?.rows[0] ?? [];
  const { checked, setChecked, done, busy, problem, reset, run, shown } = useImportRun(
    table
      ? (dryRun) =>
          uploadFile(
            '/customers/import',
            new Blob([toCsv(remap(table.rows, mapping))], { type: 'text/csv' }),
            dryRun ? { dryRun: 'true' } : {},
          )
      : null,
    async (answer) => {
      notifySuccess(t('master.csv.importedToast', { count: answer.rows }));
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  );

  const open = async (f: File | null) => {
    setFile(f);
    reset();
    if (!f) {
      setTable(null);
      return;
    }
    const read = await readCsvFile(f);
    setTable(read);
    setMapping((read.rows[0] ?? []).map(guessTarget));
  };

  const applyPreset = (name: string | null) => {
    const preset = presets.find((p) => p.name === name);
    if (!preset) return;
    setMapping(headers.map((h) => preset.mapping[h] ?? guessTarget(h)));
    setPresetName(preset.name);
    setChecked(null);
  };
  const storePreset = () => {
    const name = presetName.trim();
    if (!name) return;
    const next = [
      ...presets.filter((p) => p.name !== name),
      { name, mapping: Object.fromEntries(headers.map((h, i) => [h, mapping[i] ?? ''])) },
    ];
    setPresets(next);
    savePresets(next);
    notifySuccess(t('crmAdmin.import.presetSaved', { name }));
  };
  const removePreset = () => {
    const next = presets.filter((p) => p.name !== presetName.trim());
    setPresets(next);
    savePresets(next);
  };

  const dupTargets = mapping.filter((m, i) => m !== '' && mapping.indexOf(m) !== i);
  const ready = Boolean(table && mapping.includes('name') && dupTargets.length === 0);
  const sample = table?.rows.slice(1, 4) ?? [];

  return (
    <>
      <PageHeader title={t('crmAdmin.import.title')} />
      <Stack gap="sm">
        <Paper withBorder p="sm">
          <CsvFilePicker
            label={t('master.csv.file')}
            description={t('crmAdmin.import.fileHint')}
            file={file}
            onChange={(f) => void open(f)}
            detected={
              table
                ? t('crmAdmin.import.detected', {
                    encoding: encodingLabel(table.encoding),
                    count: Math.max(0, table.rows.length - 1),
                  })
                : null
            }
            testid="customer-import"
          />
        </Paper>
        {table ? (
          <Paper withBorder p="sm">
            <PresetBar
              title={t('crmAdmin.import.mapping')}
              labels={{
                preset: t('crmAdmin.import.preset'),
                presetName: t('crmAdmin.import.presetName'),
                save: t('crmAdmin.import.savePreset'),
                delete: t('crmAdmin.import.deletePreset'),
              }}
              names={presets.map((p) => p.name)}
              value={presets.some((p) => p.name === presetName) ? presetName : null}
              onPick={applyPreset}
              name={presetName}
              onName={setPresetName}
              onSave={storePreset}
              saveDisabled={!presetName.trim()}
              onDelete={removePreset}
              deleteDisabled={!presets.some((p) => p.name === presetName.trim())}
              testid="customer-import"
            />
            <Table.ScrollContainer minWidth={700}>
              <MappingTable
                headers={[t('crmAdmin.import.source'), t('crmAdmin.import.target'), t('crmAdmin.import.sample')]}
                widths={[200, 220]}
                testid="customer-import-mapping"
              >
                {headers.map((h, i) => (
                  <MappingRow
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional; two headers may be equal
                    key={i}
                    label={h || t('crmAdmin.import.noHeader', { n: i + 1 })}
                    control={
                      <Select
                        aria-label={h}
                        data={[
                          { value: '', label: t('crmAdmin.import.skip') },
                          ...TARGETS.map((target) => ({
                            value: target,
                            label: `${IMPORT_COLUMNS[target]} (${target})`,
                          })),
                        ]}
                        value={mapping[i] ?? ''}
                        onChange={(v) => {
                          setMapping((m) => m.map((x, j) => (j === i ? (v ?? '') : x)));
                          setChecked(null);
                        }}
                        error={
                          mapping[i] && dupTargets.includes(mapping[i] ?? '')
                            ? t('crmAdmin.import.duplicate')
                            : undefined
                        }
                        data-testid={`customer-import-map-${i}`}
                      />
                    }
                    sample={sample.map((row) => row[i] ?? '').join(' / ')}
                  />
                ))}
              </MappingTable>
            </Table.ScrollContainer>
            {!mapping.includes('name') ? (
              <Text size="xs" c="red" mt={4}>
                {t('crmAdmin.import.needName')}
              </Text>
            ) : null}
          </Paper>
        ) : null}
        <FormAlert error={problem} />
        {shown ? <ImportOutcome answer={shown} testid="customer-import" /> : null}
        <ImportButtons run={run} ready={ready} busy={busy} checked={checked} done={done} testid="customer-import" />
      </Stack>
    </>
  );
}
