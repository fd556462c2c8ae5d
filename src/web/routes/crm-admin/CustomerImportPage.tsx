import { Badge, Button, FileInput, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDeviceFloppy, IconFileImport, IconTrash, IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ImportAnswer, uploadFile } from '../../api/upload';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { ImportErrorsTable, ImportSummary } from '../../components/master/CsvImport';
import { PageHeader } from '../../components/PageHeader';
import { decodeFile, parseCsv, remap, toCsv } from '../../lib/csv';
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
  const [checked, setChecked] = useState<ImportAnswer | null>(null);
  const [done, setDone] = useState<ImportAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const headers = table?.rows[0] ?? [];

  const open = async (f: File | null) => {
    setFile(f);
    setChecked(null);
    setDone(null);
    setProblem(null);
    if (!f) {
      setTable(null);
      return;
    }
    const { text, encoding } = decodeFile(await f.arrayBuffer());
    const rows = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ''));
    setTable({ rows, encoding });
    setMapping((rows[0] ?? []).map(guessTarget));
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

  const run = async (dryRun: boolean) => {
    if (!table) return;
    setBusy(true);
    setProblem(null);
    try {
      const csv = toCsv(remap(table.rows, mapping));
      const answer = await uploadFile(
        '/customers/import',
        new Blob([csv], { type: 'text/csv' }),
        dryRun ? { dryRun: 'true' } : {},
      );
      if (dryRun) setChecked(answer);
      else {
        setDone(answer);
        if (answer.ok) {
          notifySuccess(t('master.csv.importedToast', { count: answer.rows }));
          await queryClient.invalidateQueries({ queryKey: ['customers'] });
        }
      }
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const shown = done ?? checked;
  const sample = table?.rows.slice(1, 4) ?? [];

  return (
    <>
      <PageHeader title={t('crmAdmin.import.title')} />
      <Stack gap="sm">
        <Paper withBorder p="sm">
          <Group align="flex-end" gap="xs">
            <FileInput
              label={t('master.csv.file')}
              description={t('crmAdmin.import.fileHint')}
              accept=".csv,text/csv,.txt"
              value={file}
              onChange={(f) => void open(f)}
              leftSection={<IconFileImport size={14} />}
              clearable
              w={360}
              data-testid="customer-import-file"
            />
            {table ? (
              <Text size="xs" c="dimmed" mb={6} data-testid="customer-import-detected">
                {t('crmAdmin.import.detected', {
                  encoding: table.encoding === 'sjis' ? 'Shift_JIS' : 'UTF-8',
                  count: Math.max(0, table.rows.length - 1),
                })}
              </Text>
            ) : null}
          </Group>
        </Paper>
        {table ? (
          <Paper withBorder p="sm">
            <Group justify="space-between" mb={6} align="flex-end">
              <Title order={2}>{t('crmAdmin.import.mapping')}</Title>
              <Group gap={6} align="flex-end">
                <Select
                  label={t('crmAdmin.import.preset')}
                  data={presets.map((p) => p.name)}
                  value={presets.some((p) => p.name === presetName) ? presetName : null}
                  onChange={applyPreset}
                  w={180}
                  data-testid="customer-import-preset"
                />
                <TextInput
                  label={t('crmAdmin.import.presetName')}
                  value={presetName}
                  onChange={(e) => setPresetName(e.currentTarget.value)}
                  w={180}
                  data-testid="customer-import-preset-name"
                />
                <Button
                  variant="default"
                  leftSection={<IconDeviceFloppy size={14} />}
                  onClick={storePreset}
                  disabled={!presetName.trim()}
                  data-testid="customer-import-preset-save"
                >
                  {t('crmAdmin.import.savePreset')}
                </Button>
                <Button
                  variant="subtle"
                  color="red"
                  leftSection={<IconTrash size={14} />}
                  onClick={removePreset}
                  disabled={!presets.some((p) => p.name === presetName.trim())}
                >
                  {t('crmAdmin.import.deletePreset')}
                </Button>
              </Group>
            </Group>
            <Table.ScrollContainer minWidth={700}>
              <Table data-testid="customer-import-mapping">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={200}>{t('crmAdmin.import.source')}</Table.Th>
                    <Table.Th w={220}>{t('crmAdmin.import.target')}</Table.Th>
                    <Table.Th>{t('crmAdmin.import.sample')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {headers.map((h, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional; two headers may be equal
                    <Table.Tr key={i}>
                      <Table.Td className="nowrap">{h || t('crmAdmin.import.noHeader', { n: i + 1 })}</Table.Td>
                      <Table.Td>
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
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {sample.map((row) => row[i] ?? '').join(' / ')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {!mapping.includes('name') ? (
              <Text size="xs" c="red" mt={4}>
                {t('crmAdmin.import.needName')}
              </Text>
            ) : null}
          </Paper>
        ) : null}
        <FormAlert error={problem} />
        {shown ? (
          <Paper withBorder p="sm">
            <Stack gap={6}>
              <ImportSummary answer={shown} testid="customer-import-summary" />
              {!shown.ok ? (
                <Badge color="red" variant="light">
                  {t('master.csv.nothingApplied')}
                </Badge>
              ) : null}
              <ImportErrorsTable errors={shown.errors} testid="customer-import-errors" />
            </Stack>
          </Paper>
        ) : null}
        <Group justify="flex-end" gap={6}>
          <Button
            variant="default"
            leftSection={<IconUpload size={14} />}
            onClick={() => void run(true)}
            disabled={!ready}
            loading={busy && !checked}
            data-testid="customer-import-dryrun"
          >
            {t('master.csv.dryRun')}
          </Button>
          <FnButton
            fkey="F1"
            onClick={() => void run(false)}
            disabled={!ready || !checked?.ok || Boolean(done?.ok)}
            loading={busy && Boolean(checked)}
            testid="customer-import-commit"
          >
            {t('master.csv.commit')}
          </FnButton>
        </Group>
      </Stack>
    </>
  );
}
