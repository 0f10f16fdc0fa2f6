import { Outbox } from '../../src/verto/outbox';

describe('Outbox', () => {
  it('drains in order, dropping items older than the age limit', () => {
    const outbox = new Outbox(100, 10);
    outbox.push({ to: 'a', message: { n: 1 }, queuedAt: 0 });
    outbox.push({ to: 'a', message: { n: 2 }, queuedAt: 50 });
    outbox.push({ to: 'b', message: { n: 3 }, queuedAt: 120 });
    expect(outbox.drain(150)).toEqual({ fresh: [{ to: 'a', message: { n: 2 }, queuedAt: 50 }, { to: 'b', message: { n: 3 }, queuedAt: 120 }], stale: 1 });
    expect(outbox.drain(150)).toEqual({ fresh: [], stale: 0 });
  });

  it('keeps at most maxItems, dropping the oldest', () => {
    const outbox = new Outbox(1000, 2);
    for (let n = 1; n <= 3; n++) outbox.push({ to: 'a', message: { n }, queuedAt: 0 });
    expect(outbox.drain(0).fresh.map((i) => i.message.n)).toEqual([2, 3]);
  });
});
