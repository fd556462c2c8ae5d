// Closers registered by the harness for the current test file; setup-file.ts runs them in afterAll
// (vitest isolates modules per file, so this list is per file).
type Closer = () => Promise<unknown> | unknown;
const closers: Closer[] = [];

export function onCleanup(fn: Closer): void {
  closers.push(fn);
}

/** Runs the closers, last registered first (apps close before their database). */
export async function runCleanup(): Promise<void> {
  const errors: unknown[] = [];
  while (closers.length > 0) {
    const fn = closers.pop();
    try {
      await fn?.();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'test cleanup failed');
}
