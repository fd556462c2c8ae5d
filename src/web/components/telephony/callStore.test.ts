import { describe, expect, it } from 'vitest';
import { eventTracker } from './callStore';

describe('eventTracker', () => {
  it('lets each id through once and remembers the last one to resume from', () => {
    const t = eventTracker();
    expect(t.last).toBe('');
    expect(['7', '8', '8', '7', '9'].map((id) => t.first(id))).toEqual([true, true, false, false, true]);
    expect(t.last).toBe('9');
    // Frames with no id (none today) are never taken for repeats.
    expect([t.first(''), t.first('')]).toEqual([true, true]);
    expect(t.last).toBe('9');
  });

  it('forgets the oldest ids beyond what it keeps', () => {
    const t = eventTracker(3);
    for (const id of ['1', '2', '3', '4']) t.first(id);
    expect(t.first('1')).toBe(true);
    expect(t.first('4')).toBe(false);
  });
});
