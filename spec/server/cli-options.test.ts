import { parseCliOptions } from '../../server/cli-options';

describe('command line', () => {
  it('defaults to 127.0.0.1:8080, takes HOST/PORT from the environment and flags over both', () => {
    expect(parseCliOptions([], {})).toEqual({ host: '127.0.0.1', port: 8080, directory: undefined, domain: undefined });
    expect(parseCliOptions([], { HOST: '::1', PORT: '9000' })).toMatchObject({ host: '::1', port: 9000 });
    expect(parseCliOptions(['--port', '0', '--host', 'localhost', '--directory', 'd.xml', '--domain', 'pbx'], { PORT: '9000' })).toEqual({
      host: 'localhost',
      port: 0,
      directory: 'd.xml',
      domain: 'pbx',
    });
  });

  it('rejects bad ports and unknown flags with a usage message', () => {
    expect(() => parseCliOptions(['--port', 'http'], {})).toThrow(/invalid port "http"\nusage:/);
    expect(() => parseCliOptions([], { PORT: '70000' })).toThrow(/invalid port/);
    expect(() => parseCliOptions(['--verbose'], {})).toThrow(/Unknown option/);
  });
});
