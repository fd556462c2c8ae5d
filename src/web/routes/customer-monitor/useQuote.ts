import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type OrderInput, ordersKey, quoteOrder } from '../../api/orders';

/**
 * The live totals: POST /orders/quote with the form as it stands, 300 ms after the last change,
 * the previous answer kept on screen meanwhile (typing never waits for it); a newer input aborts
 * the request in flight.
 */
export function useQuote(input: OrderInput, enabled: boolean) {
  const [debounced] = useDebouncedValue(input, 300);
  const ready = enabled && debounced.lines.length > 0;
  const query = useQuery({
    queryKey: [...ordersKey, 'quote', debounced],
    queryFn: ({ signal }) => quoteOrder(debounced, signal),
    enabled: ready,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 10_000,
    gcTime: 60_000,
  });
  const stale = JSON.stringify(debounced) !== JSON.stringify(input) || query.isFetching;
  return {
    quote: ready ? (query.data ?? null) : null,
    error: ready && !query.isPlaceholderData ? query.error : null,
    pending: ready && stale,
  };
}
