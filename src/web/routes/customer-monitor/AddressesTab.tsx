import { ActionIcon, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addressesQuery, type Customer, type DeliveryAddress, deleteAddress } from '../../api/customers';
import { ConfirmModal } from '../../components/ConfirmModal';
import { QueryState } from '../../components/QueryState';
import { notifySuccess } from '../../lib/notify';
import { formatPhone } from '../../lib/phone';
import { AddressModal } from './AddressModal';

/** 送付先: the customer's delivery addresses (gifts, office, family) besides the home address. */
export function AddressesTab({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery(addressesQuery(customer.id));
  const [editing, setEditing] = useState<DeliveryAddress | null>(null);
  const [formOpened, setFormOpened] = useState(false);
  const [removing, setRemoving] = useState<DeliveryAddress | null>(null);

  const openForm = (address: DeliveryAddress | null) => {
    setEditing(address);
    setFormOpened(true);
  };

  return (
    <Paper withBorder p="xs">
      <Group justify="space-between" mb={6}>
        <Title order={3}>{t('addresses.title')}</Title>
        <Button leftSection={<IconPlus size={14} />} onClick={() => openForm(null)} data-testid="address-add">
          {t('addresses.add')}
        </Button>
      </Group>
      {list.data ? (
        <Table data-testid="address-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={100}>{t('addresses.label')}</Table.Th>
              <Table.Th>{t('addresses.name')}</Table.Th>
              <Table.Th>{t('customers.address')}</Table.Th>
              <Table.Th w={130}>{t('addresses.phone')}</Table.Th>
              <Table.Th>{t('addresses.note')}</Table.Th>
              <Table.Th w={60} aria-label={t('common.actions')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text size="xs" c="dimmed" ta="center">
                    {t('addresses.none')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {list.data.items.map((a) => (
              <Table.Tr key={a.id} data-testid={`address-row-${a.id}`}>
                <Table.Td>{a.label}</Table.Td>
                <Table.Td>
                  {a.name}
                  {a.company ? (
                    <Text size="xs" c="dimmed">
                      {[a.company, a.department].filter(Boolean).join(' ')}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {a.postalCode ? `〒${a.postalCode} ` : ''}
                  {[a.prefecture, a.city, a.address1, a.address2].filter(Boolean).join(' ')}
                </Table.Td>
                <Table.Td className="nowrap">{formatPhone(a.phone)}</Table.Td>
                <Table.Td>{a.note}</Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon
                      onClick={() => openForm(a)}
                      aria-label={t('addresses.edit')}
                      data-testid={`address-edit-${a.id}`}
                    >
                      <IconPencil size={14} />
                    </ActionIcon>
                    <ActionIcon
                      color="red"
                      onClick={() => setRemoving(a)}
                      aria-label={t('addresses.remove')}
                      data-testid={`address-remove-${a.id}`}
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <QueryState error={list.error} onRetry={() => void list.refetch()} />
      )}
      <AddressModal customer={customer} address={editing} opened={formOpened} onClose={() => setFormOpened(false)} />
      <ConfirmModal
        opened={removing !== null}
        title={t('addresses.remove')}
        message={t('addresses.removeConfirm', { name: removing?.label || removing?.name || '' })}
        confirmLabel={t('addresses.remove')}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await deleteAddress(customer.id, removing.id);
          await queryClient.invalidateQueries({ queryKey: addressesQuery(customer.id).queryKey });
          notifySuccess(t('addresses.deleted'));
        }}
      />
    </Paper>
  );
}
