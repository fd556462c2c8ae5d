// ETag / If-Match for the records people edit concurrently (DESIGN.md: optimistic concurrency).
// The tag is the row's version in quotes.

export const etagOf = (version: number) => `"${version}"`;

/** True when an If-Match header names this version (or is `*`). Weak tags compare by their value. */
export function ifMatchAccepts(header: string, version: number): boolean {
  const current = etagOf(version);
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === current;
  });
}
