import { Button, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { PREFECTURES } from '../../../shared/japanese/address';
import { isApiError } from '../../api/client';
import { lookupPostal, type PostalTown } from '../../api/customers';

interface AddressValues {
  postalCode: string;
  prefecture: string;
  city: string;
  address1: string;
  address2: string;
}

/** The town part of a Japan Post record, without its notes (（次のビルを除く）, 以下に掲載がない場合). */
function townOf(item: PostalTown): string {
  if (item.office) return `${item.town}${item.street}`;
  if (item.town === '以下に掲載がない場合') return '';
  return item.town.replace(/（.*?）|\(.*?\)/g, '');
}

type Status = 'idle' | 'notFound' | 'loading' | 'choose';

/**
 * 郵便番号 → 都道府県 / 市区町村 / 町域: seven digits typed (any width, with or without the
 * hyphen) fill the address from GET /postal/{code}; several towns → the operator picks one.
 */
export function AddressFields({ testid }: { testid: string }) {
  const { t } = useTranslation();
  const { register, setValue, getValues, formState } = useFormContext<AddressValues>();
  const errors = formState.errors;
  const [status, setStatus] = useState<Status>('idle');
  const [choices, setChoices] = useState<PostalTown[]>([]);
  const looked = useRef('');
  const filledTown = useRef('');

  const fill = (item: PostalTown) => {
    const opts = { shouldDirty: true, shouldValidate: true } as const;
    setValue('postalCode', item.postalCode, opts);
    setValue('prefecture', item.prefecture, opts);
    setValue('city', item.city, opts);
    const current = getValues('address1');
    const town = townOf(item);
    if (current === '' || current === filledTown.current) setValue('address1', town, opts);
    else if (filledTown.current && current.startsWith(filledTown.current)) {
      setValue('address1', town + current.slice(filledTown.current.length), opts);
    }
    filledTown.current = town;
    setChoices([]);
    setStatus('idle');
  };

  const lookup = async (raw: string) => {
    const digits = raw.normalize('NFKC').replace(/\D/g, '');
    if (digits.length !== 7) {
      looked.current = '';
      setStatus('idle');
      setChoices([]);
      return;
    }
    if (digits === looked.current) return;
    looked.current = digits;
    try {
      const items = await lookupPostal(digits);
      if (looked.current !== digits) return;
      if (items.length === 0) setStatus('notFound');
      else if (items.length === 1 && items[0]) fill(items[0]);
      else {
        setChoices(items);
        setStatus('choose');
      }
    } catch (error) {
      looked.current = '';
      setStatus(isApiError(error) && error.status === 503 ? 'loading' : 'notFound');
    }
  };

  const postal = register('postalCode', {
    onChange: (event: { target: { value: string } }) => void lookup(event.target.value),
  });

  return (
    <>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          label={t('customerForm.postalCode')}
          placeholder="123-4567"
          w={130}
          inputMode="numeric"
          autoComplete="off"
          error={errors.postalCode?.message}
          data-testid={`${testid}-postal`}
          {...postal}
        />
        <NativeSelect
          label={t('customerForm.prefecture')}
          w={130}
          data={[
            { value: '', label: t('customerForm.unselected') },
            ...PREFECTURES.map((p) => ({ value: p, label: p })),
          ]}
          error={errors.prefecture?.message}
          data-testid={`${testid}-prefecture`}
          {...register('prefecture')}
        />
        <TextInput
          label={t('customerForm.city')}
          style={{ flex: 1 }}
          error={errors.city?.message}
          data-testid={`${testid}-city`}
          {...register('city')}
        />
      </Group>
      {status === 'idle' ? null : status === 'choose' ? (
        <Group gap={4} data-testid={`${testid}-postal-choices`}>
          <Text size="xs" c="dimmed">
            {t('customerForm.postalChoose')}:
          </Text>
          {choices.map((item, i) => (
            <Button
              key={`${item.town}|${item.street}|${item.office}`}
              variant="default"
              size="compact-xs"
              onClick={() => fill(item)}
              data-testid={`${testid}-postal-choice-${i}`}
            >
              {item.city} {townOf(item) || '—'}
            </Button>
          ))}
        </Group>
      ) : (
        <Text size="xs" c="orange.8" data-testid={`${testid}-postal-status`}>
          {status === 'loading' ? t('customerForm.postalLoading') : t('customerForm.postalNotFound')}
        </Text>
      )}
      <TextInput
        label={t('customerForm.address1')}
        error={errors.address1?.message}
        data-testid={`${testid}-address1`}
        {...register('address1')}
      />
      <TextInput
        label={t('customerForm.address2')}
        error={errors.address2?.message}
        data-testid={`${testid}-address2`}
        {...register('address2')}
      />
    </>
  );
}
