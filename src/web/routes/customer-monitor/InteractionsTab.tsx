import { Grid } from '@mantine/core';
import type { Customer } from '../../api/customers';
import type { Interaction } from '../../api/interactions';
import { InteractionForm } from './InteractionForm';
import { InteractionList } from './InteractionList';

interface Props {
  customer: Customer;
  callId: string | null;
  newEntrySignal: number;
  selectedId: string | null;
  onSelect: (interaction: Interaction) => void;
  onEscalate: (interaction: Interaction) => void;
}

/** 対応履歴: the entry form (with FAQ suggestions) beside the customer's history. */
export function InteractionsTab({ customer, callId, newEntrySignal, selectedId, onSelect, onEscalate }: Props) {
  return (
    <Grid gap="xs">
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <InteractionForm customer={customer} callId={callId} newEntrySignal={newEntrySignal} onSaved={onSelect} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <InteractionList customerId={customer.id} selectedId={selectedId} onSelect={onSelect} onEscalate={onEscalate} />
      </Grid.Col>
    </Grid>
  );
}
