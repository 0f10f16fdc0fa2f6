import { consoleLog } from '../../src/rtc/rtc-log';

describe('consoleLog', () => {
  it('writes to the console method of the level, with the detail when there is one', () => {
    const lines: unknown[][] = [];
    const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => lines.push(args));
    consoleLog('warn', 'restarting ICE');
    consoleLog('warn', 'candidate failed', { code: 1 });
    warn.mockRestore();
    expect(lines).toEqual([['[rtc] restarting ICE'], ['[rtc] candidate failed', { code: 1 }]]);
  });
});
