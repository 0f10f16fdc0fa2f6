import { parseCheckArgs, UsageError } from '../../tools/check-verto/args';
import { redactor } from '../../tools/check-verto/report';

const base = ['wss://pbx.test/verto', '--channel', 'c-a', '--user', 'a1@pbx.test:pw:with:colons', '--user', 'a2:pw2', '--other-channel', 'c-b', '--other', 'b1@pbx.test:pw3'];

describe('parseCheckArgs', () => {
  test('a full command: logins exactly as written, passwords after the first colon, defaults for the waits', () => {
    expect(parseCheckArgs(base)).toEqual({
      kind: 'check',
      options: {
        url: 'wss://pbx.test/verto',
        channel: 'c-a',
        users: [
          { login: 'a1@pbx.test', password: 'pw:with:colons' },
          { login: 'a2', password: 'pw2' },
        ],
        otherChannel: 'c-b',
        other: { login: 'b1@pbx.test', password: 'pw3' },
        timeoutMs: 5000,
        waitMs: 2000,
      },
    });
    expect(parseCheckArgs([...base, '--cleartext', 'ws://pbx.test:8082', '--timeout', '900', '--wait', '300'])).toMatchObject({
      options: { cleartext: 'ws://pbx.test:8082/', timeoutMs: 900, waitMs: 300 },
    });
    expect(parseCheckArgs(['--help'])).toEqual({ kind: 'help' });
  });

  test.each([
    [['--channel', 'c-a'], 'give exactly one verto URL (ws:// or wss://), got 0'],
    [[...base, 'ws://second'], 'give exactly one verto URL (ws:// or wss://), got 2'],
    [['https://pbx.test/verto', ...base.slice(1)], 'the verto URL must start with ws:// or wss://, got https://'],
    [['wss://admin:pw@pbx.test/verto', ...base.slice(1)], 'the verto URL must not carry user:password@ (give users with --user)'],
    [base.filter((_, i) => i !== 5 && i !== 6), 'give --user exactly twice (two users of channel A), got 1'],
    [[...base.slice(0, 4), 'a1@pbx.test', ...base.slice(5)], '--user wants <id@domain:password>, got a value without a login or a password'],
    [[...base.slice(0, 4), 'a1@pbx.test:', ...base.slice(5)], '--user wants <id@domain:password>, got a value without a login or a password'],
    [base.slice(0, -2), '--other is required'],
    [[...base, '--channel', 'c-b'], '--channel and --other-channel must differ'],
    [[...base.slice(0, 6), 'a1@elsewhere:pw', ...base.slice(7)], 'the three users must be different users'],
    [[...base, '--cleartext', 'wss://pbx.test:8082'], '--cleartext must start with ws://, got wss://'],
    [[...base, '--wait', '2s'], '--wait wants a whole number of ms from 1 to 600000, got "2s"'],
    [[...base, '--timeout', '0'], '--timeout wants a whole number of ms from 1 to 600000, got "0"'],
    [[...base, '--verbose'], "Unknown option '--verbose'"],
  ])('%j is refused with one line saying why', (argv, message) => {
    expect(() => parseCheckArgs(argv)).toThrow(new UsageError(message));
  });

  test('no usage error repeats a password', () => {
    const wrong = [[...base, '--channel', 'c-b'], [...base, '--wait', 'x'], [...base.slice(0, 6), 'a1@elsewhere:pw:with:colons', ...base.slice(7)]];
    for (const argv of wrong) {
      let message = '';
      try {
        parseCheckArgs(argv);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toMatch(/pw/);
    }
  });
});

describe('redactor', () => {
  const options = parseCheckArgs(['ws://h/verto', '--channel', 'a', '--user', 'u1@h:s3cr.t(1)', '--user', 'u2@h:wrong', '--other-channel', 'b', '--other', 'u3@h:b5266e33-97ac']);
  if (options.kind !== 'check') throw new Error('unexpected help');
  const redact = redactor(options.options);

  test('every password is replaced where it stands as a token, regular expression characters included', () => {
    expect(redact('{"passwd":"s3cr.t(1)","x":"b5266e33-97ac"}')).toBe('{"passwd":"***","x":"***"}');
    expect(redact('requestParams: wrong')).toBe('requestParams: ***');
  });

  test('ordinary words that contain a short password are left alone', () => {
    expect(redact('a wrongful answer, not wrong-ly')).toBe('a wrongful answer, not ***-ly');
    expect(redact('s3cr.t(1)x')).toBe('s3cr.t(1)x');
  });
});
