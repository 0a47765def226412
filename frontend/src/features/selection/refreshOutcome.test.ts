import { describe, expect, it } from 'vitest';
import { refreshOutcome } from './queries';

describe('refreshOutcome', () => {
  it('reads a coalesced refresh and a 429', () => {
    const coalesced = new Response('{}', { headers: { 'Hrbridge-Refresh': 'coalesced', 'Hrbridge-Refresh-Next': '2026-01-05T03:34:30Z' } });
    expect(refreshOutcome(coalesced)).toEqual({ outcome: 'coalesced', at: '2026-01-05T03:34:30Z' });
    const limited = new Response('{}', { status: 429, headers: { 'Retry-After': '7' } });
    expect(refreshOutcome(limited, Date.parse('2026-01-05T03:34:00Z'))).toEqual({ outcome: 'limited', at: '2026-01-05T03:34:07.000Z' });
    expect(refreshOutcome(new Response('{}'))).toBeUndefined();
  });
});
