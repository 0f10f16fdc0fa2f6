import { consoleLogger, DEBUG_FLAG_KEY } from '../src/log';
import type { RtcLog } from '../src/rtc/rtc-log';

/** Console lines written while `run` runs, as "<method> <args…>". */
function consoleLines(run: () => void): string[] {
  const lines: string[] = [];
  const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`)),
  );
  try {
    run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

/** The rtc default logger as a freshly loaded page would build it (the flag is read at load). */
function freshRtcLog(): RtcLog {
  let log: RtcLog | undefined;
  jest.isolateModules(() => {
    log = jest.requireActual<{ consoleLog: RtcLog }>('../src/rtc/rtc-log').consoleLog;
  });
  return log!;
}

describe('consoleLogger', () => {
  afterEach(() => localStorage.clear());

  it('prefixes every level and writes debug lines only when asked to', () => {
    const quiet = consoleLogger('[x]', false);
    const loud = consoleLogger('[x]', true);
    expect(consoleLines(() => {
      quiet.debug('hidden', 1);
      quiet.info('i');
      quiet.warn('w', { a: 1 });
      quiet.error('e');
      loud.debug('shown', 2);
    })).toEqual(['info [x] i', 'warn [x] w {"a":1}', 'error [x] e', 'debug [x] shown 2']);
  });

  it('reads the debug flag from localStorage, and treats storage that throws as off', () => {
    expect(consoleLines(() => consoleLogger('[x]').debug('off'))).toEqual([]);
    localStorage.setItem(DEBUG_FLAG_KEY, '1');
    expect(consoleLines(() => consoleLogger('[x]').debug('on'))).toEqual(['debug [x] on']);
    const blocked = jest.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(consoleLines(() => consoleLogger('[x]').debug('blocked'))).toEqual([]);
    blocked.mockRestore();
  });
});

describe('the Connection default log (rtc-log)', () => {
  afterEach(() => localStorage.clear());

  it('honours the debug flag like every other logger', () => {
    expect(consoleLines(() => freshRtcLog()('debug', 'ignored a colliding offer'))).toEqual([]);
    localStorage.setItem(DEBUG_FLAG_KEY, '1');
    expect(consoleLines(() => freshRtcLog()('debug', 'ignored a colliding offer'))).toEqual(['debug [rtc] ignored a colliding offer']);
  });

  it('writes the other levels always, with the detail when there is one', () => {
    const log = freshRtcLog();
    expect(consoleLines(() => {
      log('info', 'restarting ICE');
      log('error', 'connection failed', { reason: 'ice-failed' });
    })).toEqual(['info [rtc] restarting ICE', 'error [rtc] connection failed {"reason":"ice-failed"}']);
  });
});
