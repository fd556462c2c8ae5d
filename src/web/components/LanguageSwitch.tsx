import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSetLocale } from '../api/auth';
import { isLocale, LOCALES } from '../i18n';
import { notifyError } from '../lib/notify';

/** 日本語 / English; stored on the server for a signed-in user, in the browser otherwise. */
export function LanguageSwitch({ testid = 'lang-switch' }: { testid?: string }) {
  const { t, i18n } = useTranslation();
  const setLocale = useSetLocale();
  return (
    <SegmentedControl
      data-testid={testid}
      aria-label={t('header.language')}
      value={i18n.language === 'en' ? 'en' : 'ja'}
      onChange={(value) => {
        if (isLocale(value)) setLocale(value).catch(notifyError);
      }}
      data={LOCALES.map((locale) => ({ value: locale, label: t(`locales.${locale}`) }))}
    />
  );
}
