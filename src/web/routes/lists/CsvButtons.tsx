import { Button } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { buildUrl } from '../../api/client';

type Query = Record<string, string | number | undefined>;

/** CSV for Excel in UTF-8 (BOM) and Shift_JIS: plain links, the browser downloads. Supervisors and admins. */
export function CsvButtons({ path, query, testid }: { path: string; query: Query; testid: string }) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.role !== 'admin' && me.role !== 'supervisor') return null;
  return (
    <>
      <Button
        component="a"
        href={buildUrl(path, { ...query, encoding: 'utf8bom' })}
        variant="default"
        leftSection={<IconDownload size={14} />}
        data-testid={`${testid}-utf8`}
      >
        {t('lists.csvUtf8')}
      </Button>
      <Button
        component="a"
        href={buildUrl(path, { ...query, encoding: 'sjis' })}
        variant="default"
        leftSection={<IconDownload size={14} />}
        data-testid={`${testid}-sjis`}
      >
        {t('lists.csvSjis')}
      </Button>
    </>
  );
}
