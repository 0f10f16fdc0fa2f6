import { Outbox, type OutboxItem } from '../../src/verto/outbox';

const item = (n: number, queuedAt: number, to = 'a'): OutboxItem => ({ id: `p.${n}`, to, message: { n }, queuedAt });

describe('Outbox', () => {
  it('a connection takes what it has not sent, in order, dropping unsent items older than the age limit', () => {
    const outbox = new Outbox(100, 10);
    const [one, two, three] = [item(1, 0), item(2, 50), item(3, 120, 'b')];
    [one, two, three].forEach((i) => outbox.push(i));
    const first = {};
    expect(outbox.take(150, first)).toEqual({ fresh: [two, three], stale: 1 });
    expect(outbox.take(150, first)).toEqual({ fresh: [], stale: 0 });   // nothing twice on one connection
    expect(outbox.size).toBe(2);
  });

  it('keeps an item until it is acknowledged: the next connection sends it again, exactly once', () => {
    const outbox = new Outbox(100, 10);
    const [one, two] = [item(1, 0), item(2, 0)];
    outbox.push(one);
    outbox.push(two);
    const first = {};
    outbox.take(0, first);
    outbox.ack(one);
    const second = {};
    expect(outbox.take(10, second).fresh).toEqual([two]);
    expect(outbox.take(10, second).fresh).toEqual([]);
    outbox.ack(two);
    expect(outbox.size).toBe(0);
    expect(outbox.take(10, {}).fresh).toEqual([]);
  });

  it('an unacknowledged item grows stale for the next connection, not for the one that sent it', () => {
    const outbox = new Outbox(100, 10);
    const one = item(1, 0);
    outbox.push(one);
    const first = {};
    outbox.take(0, first);
    expect(outbox.take(500, first)).toEqual({ fresh: [], stale: 0 });
    expect(outbox.size).toBe(1);                                         // still waiting for its reply
    expect(outbox.take(500, {})).toEqual({ fresh: [], stale: 1 });
    expect(outbox.size).toBe(0);
  });

  it('keeps at most maxItems, dropping the oldest', () => {
    const outbox = new Outbox(1000, 2);
    for (let n = 1; n <= 3; n++) outbox.push(item(n, 0));
    expect(outbox.take(0, {}).fresh.map((i) => i.message.n)).toEqual([2, 3]);
  });
});
