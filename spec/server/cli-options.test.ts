import { HELP, parseCliOptions } from '../../server/cli-options';

describe('command line', () => {
  it('defaults to 127.0.0.1:8080 as FreeSWITCH with deploy/ (force-register-domain, no limits), takes HOST/PORT from the environment and flags over both', () => {
    expect(parseCliOptions([], {})).toEqual({
      host: '127.0.0.1',
      port: 8080,
      directory: undefined,
      directoryUrl: undefined,
      directoryView: undefined,
      domain: undefined,
      forceRegisterDomain: true,
      rateLimit: undefined,
      maxClientsPerChannel: undefined,
      ice: { iceServers: undefined, turn: undefined, iceTransportPolicy: undefined },
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

  it('makes a node reading its directory from a URL (timeout as xml_curl.conf.xml), or a server serving its users to the nodes (cacheable as Django)', () => {
    expect(parseCliOptions(['--directory-url', 'http://127.0.0.1:8000/freeswitch/directory/'], {})).toMatchObject({
      directoryUrl: { url: 'http://127.0.0.1:8000/freeswitch/directory/', credentials: undefined, timeoutMs: 5000 },
      directoryView: undefined,
    });
    const node = parseCliOptions(['--directory-url', 'https://d.example/x', '--directory-timeout', '2'], { VERTO_PEER_DIRECTORY_CREDENTIALS: 'freeswitch:s3cret' });
    expect(node.directoryUrl).toEqual({ url: 'https://d.example/x', credentials: 'freeswitch:s3cret', timeoutMs: 2000 });
    expect(parseCliOptions(['--directory-url', 'http://d/', '--directory-credentials', 'a:b'], { VERTO_PEER_DIRECTORY_CREDENTIALS: 'env:x' }).directoryUrl?.credentials).toBe('a:b');
    expect(parseCliOptions(['--xml-curl-credentials', 'freeswitch:s3cret'], {}).directoryView).toEqual({ credentials: 'freeswitch:s3cret', cacheableMs: 60_000 });
    expect(parseCliOptions(['--directory-cacheable', '0'], { VERTO_PEER_XML_CURL_CREDENTIALS: 'f:s' }).directoryView).toEqual({ credentials: 'f:s', cacheableMs: 0 });
    for (const flag of ['--directory-url', '--directory-credentials', '--directory-timeout', '--xml-curl-credentials', '--directory-cacheable']) expect(HELP).toContain(flag);
  });

  it.each<[string[], RegExp]>([
    [['--directory-url', 'file:/etc/passwd'], /^invalid --directory-url "file:\/etc\/passwd": an http:\/\/ or https:\/\/ URL\nusage:/],
    [['--directory-url', 'http://d/', '--directory', 'users.xml'], /^give --directory or --directory-url, not both/],
    [['--directory-credentials', 'a:b'], /^--directory-credentials and --directory-timeout need --directory-url/],
    [['--directory-url', 'http://d/', '--directory-timeout', '0'], /^invalid --directory-timeout "0"/],
    [['--directory-url', 'http://d/', '--directory-credentials', 'no-colon'], /^invalid --directory-credentials: USER:PASSWORD expected/],
    [['--xml-curl-credentials', 'no-colon'], /^invalid --xml-curl-credentials: USER:PASSWORD expected/],
    [['--directory-cacheable', '1000'], /^--directory-cacheable needs --xml-curl-credentials/],
    [['--xml-curl-credentials', 'a:b', '--directory-cacheable', 'soon'], /^invalid --directory-cacheable "soon": milliseconds, 0 for none/],
    [['--xml-curl-credentials', 'a:b', '--directory-url', 'http://d/'], /^a --directory-url node serves no directory/],
  ])('refuses the directory options %j with a clear message', (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(message);
  });

  it('never puts a credential into its messages', () => {
    expect(() => parseCliOptions(['--directory-url', 'http://d/', '--directory-credentials', 'secretvalue'], {})).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secretvalue') }));
  });

  it('explains every option, and says which limits are development-only', () => {
    expect(parseCliOptions(['--help'], {}).help).toBe(true);
    for (const flag of ['--host', '--port', '--directory', '--domain', '--no-force-register-domain', '--rate-limit', '--max-clients-per-channel']) expect(HELP).toContain(flag);
    expect(HELP).toMatch(/Development only \(FreeSWITCH has neither limit; both are off unless given\):\n {2}--rate-limit[^\n]*\n {2}--max-clients-per-channel/);
  });

  it('takes ICE servers, a TURN secret with its URLs (repeated or comma-separated) and the transport policy', () => {
    const argv = ['--ice-servers', '[{"urls":"stun:stun.example.org"}]', '--turn-secret', 'sekrit', '--turn-url', 'turn:127.0.0.1:3478,turns:t.example:5349', '--turn-url', 'turn:t.example?transport=tcp'];
    expect(parseCliOptions([...argv, '--turn-ttl', '600', '--ice-transport-policy', 'relay'], {}).ice).toEqual({
      iceServers: [{ urls: 'stun:stun.example.org' }],
      turn: { secret: 'sekrit', urls: ['turn:127.0.0.1:3478', 'turns:t.example:5349', 'turn:t.example?transport=tcp'], ttlSeconds: 600 },
      iceTransportPolicy: 'relay',
    });
    // The secret from the environment keeps it out of the process list; the flag wins.
    expect(parseCliOptions(['--turn-url', 'turn:127.0.0.1'], { VERTO_PEER_TURN_SECRET: 'env' }).ice.turn).toEqual({ secret: 'env', urls: ['turn:127.0.0.1'], ttlSeconds: undefined });
    expect(parseCliOptions(['--turn-url', 'turn:127.0.0.1', '--turn-secret', 'flag'], { VERTO_PEER_TURN_SECRET: 'env' }).ice.turn?.secret).toBe('flag');
    for (const flag of ['--ice-servers', '--turn-secret', '--turn-url', '--turn-ttl', '--ice-transport-policy']) expect(HELP).toContain(flag);
  });

  it.each<[string[], RegExp]>([
    [['--turn-url', 'turn:127.0.0.1'], /^--turn-url needs --turn-secret \(or VERTO_PEER_TURN_SECRET\)\nusage:/],
    [['--turn-ttl', '600'], /^--turn-ttl needs --turn-secret \(or VERTO_PEER_TURN_SECRET\)\nusage:/],
    [['--turn-secret', 'sekrit'], /^invalid ICE options: a TURN secret needs at least one turn: or turns: URL\nusage:/],
    [['--turn-secret', 'sekrit', '--turn-url', 'stun:127.0.0.1'], /^invalid ICE options: the TURN secret is for turn: or turns: URLs, not "stun:127.0.0.1"/],
    [['--turn-secret', 'sekrit', '--turn-url', 'turn:x', '--turn-ttl', '0'], /^invalid --turn-ttl "0": a whole number of at least 1/],
    [['--ice-transport-policy', 'relay'], /^invalid ICE options: the channel configuration has iceTransportPolicy relay but no turn: or turns: server/],
    [['--ice-transport-policy', 'direct'], /^invalid ICE options: the channel configuration has an invalid iceTransportPolicy "direct" \(all or relay\)/],
    [['--ice-servers', '{"urls":'], /^invalid --ice-servers: not JSON\nusage:/],
    [['--ice-servers', '{"urls":"stun:x"}'], /^invalid --ice-servers: not a JSON list\nusage:/],
    [['--ice-servers', '[{"url":"stun:x"}]'], /^invalid ICE options: the channel configuration has invalid iceServers/],
    [['--ice-servers', '[{"urls":"turn:x"}]'], /^invalid ICE options: the channel configuration has a TURN server without username and credential \("turn:x"\)/],
  ])('refuses %j, saying why', (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(message);
  });

  it('never repeats the TURN secret in an error', () => {
    expect(() => parseCliOptions(['--turn-secret', 'do-not-print-me', '--turn-url', 'http://x'], {})).toThrow(/^(?![\s\S]*do-not-print-me)/);
  });

  it('rejects bad ports and unknown flags with a usage message', () => {
    expect(() => parseCliOptions(['--port', 'http'], {})).toThrow(/invalid port "http"\nusage:/);
    expect(() => parseCliOptions([], { PORT: '70000' })).toThrow(/invalid port/);
    expect(() => parseCliOptions(['--verbose'], {})).toThrow(/Unknown option/);
  });
});
