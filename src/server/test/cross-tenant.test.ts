import { describe, expect, it } from 'vitest';
import { findString, withQuery } from './cross-tenant.js';

describe('cross-tenant kit helpers', () => {
  it('finds an id anywhere in a response, as a value or a key', () => {
    const id = '6f1c2a4e-0000-4000-8000-000000000001';
    expect(findString({ items: [{ id: 'x' }, { ref: { id } }] }, id)).toBe(true);
    expect(findString({ items: [{ byId: { [id]: 1 } }] }, id)).toBe(true);
    expect(findString([[['a', id]]], id)).toBe(true);
    expect(findString({ items: [{ id: `${id}0` }, { n: 1, b: null }] }, id)).toBe(false);
  });

  it('sets limit and cursor on a list path, keeping its query', () => {
    expect(withQuery('/api/v1/customers', { limit: '500' })).toBe('/api/v1/customers?limit=500');
    expect(withQuery('/api/v1/customers?q=山田&limit=5', { limit: '500', cursor: 'a+b' })).toBe(
      '/api/v1/customers?q=%E5%B1%B1%E7%94%B0&limit=500&cursor=a%2Bb',
    );
  });
});
