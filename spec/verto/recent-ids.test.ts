import { RecentIds } from '../../src/verto/recent-ids';

describe('RecentIds', () => {
  it('says an id is repeated only the second time it comes from the same sender', () => {
    const ids = new RecentIds(4, 4);
    expect(ids.repeated('bo', 'x.1')).toBe(false);
    expect(ids.repeated('bo', 'x.1')).toBe(true);
    expect(ids.repeated('cy', 'x.1')).toBe(false);                         // per sender
    expect(ids.repeated('bo', 'x.2')).toBe(false);
  });

  it('forgets the oldest ids of a sender beyond perSender', () => {
    const ids = new RecentIds(2, 4);
    ['1', '2', '3'].forEach((id) => ids.repeated('bo', id));
    expect(ids.repeated('bo', '3')).toBe(true);
    expect(ids.repeated('bo', '1')).toBe(false);                           // forgotten
  });

  it('forgets the sender heard from least recently beyond maxSenders', () => {
    const ids = new RecentIds(4, 2);
    ids.repeated('bo', '1');
    ids.repeated('cy', '1');
    ids.repeated('bo', '2');                                                // bo is recent again
    ids.repeated('dee', '1');                                               // cy goes
    expect(ids.repeated('bo', '1')).toBe(true);
    expect(ids.repeated('cy', '1')).toBe(false);
  });
});
