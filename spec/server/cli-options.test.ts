import { HELP, parseCliOptions } from '../../server/cli-options';

describe('command line', () => {
  it('defaults to 127.0.0.1:8080 as FreeSWITCH with deploy/ (force-register-domain, no limits), takes HOST/PORT from the environment and flags over both', () => {
    expect(parseCliOptions([], {})).toEqual({
      host: '127.0.0.1',
      port: 8080,
      directory: undefined,
      domain: undefined,
      forceRegisterDomain: true,
      rateLimit: undefined,
      maxClientsPerChannel: undefined,
      help: false,
    });
    expect(parseCliOptions([], { HOST: '::1', PORT: '9000' })).toMatchObject({ host: '::1', port: 9000 });
    expect(parseCliOptions(['--port', '0', '--host', 'localhost', '--directory', 'd.xml', '--domain', 'pbx'], { PORT: '9000' })).toMatchObject({
      host: 'localhost',
      port: 0,
      directory: 'd.xml',
      domain: 'pbx',
    });
  });

  it('takes the development-only limits and the profile switch', () => {
    expect(parseCliOptions(['--rate-limit', '100', '--max-clients-per-channel', '50', '--no-force-register-domain'], {})).toMatchObject({
      rateLimit: { burst: 200, perSecond: 100 },
      maxClientsPerChannel: 50,
      forceRegisterDomain: false,
    });
    expect(() => parseCliOptions(['--rate-limit', '0'], {})).toThrow(/invalid --rate-limit "0"/);
    expect(() => parseCliOptions(['--max-clients-per-channel', 'many'], {})).toThrow(/invalid --max-clients-per-channel "many".*\nusage:/s);
  });

  it('explains every option, and says which limits are development-only', () => {
    expect(parseCliOptions(['--help'], {}).help).toBe(true);
    for (const flag of ['--host', '--port', '--directory', '--domain', '--no-force-register-domain', '--rate-limit', '--max-clients-per-channel']) expect(HELP).toContain(flag);
    expect(HELP).toMatch(/Development only \(FreeSWITCH has neither limit; both are off unless given\):\n {2}--rate-limit[^\n]*\n {2}--max-clients-per-channel/);
  });

  it('rejects bad ports and unknown flags with a usage message', () => {
    expect(() => parseCliOptions(['--port', 'http'], {})).toThrow(/invalid port "http"\nusage:/);
    expect(() => parseCliOptions([], { PORT: '70000' })).toThrow(/invalid port/);
    expect(() => parseCliOptions(['--verbose'], {})).toThrow(/Unknown option/);
  });
});
