import { describe, expect, it } from 'vitest';
import { sessionConfig } from './database.js';

describe('sessionConfig', () => {
  it('starts every session with JIT off', () => {
    expect(sessionConfig('postgres://u@db.example:5432/madoguchi')).toEqual({
      connectionString: 'postgres://u@db.example:5432/madoguchi',
      options: '-c jit=off',
    });
  });

  it("keeps the URL's own options after ours, so they can turn JIT back on, and keeps its other parameters", () => {
    const { connectionString, options } = sessionConfig(
      'postgres://u@127.0.0.1:5432/madoguchi?host=%2Ftmp%2Fpg&options=-c%20jit%3Don%20-c%20work_mem%3D8MB&sslmode=disable',
    );
    expect(options).toBe('-c jit=off -c jit=on -c work_mem=8MB');
    const url = new URL(connectionString);
    expect(url.searchParams.get('options')).toBeNull();
    expect(url.searchParams.get('host')).toBe('/tmp/pg');
    expect(url.searchParams.get('sslmode')).toBe('disable');
  });
});
