import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { directoryDocument } from '../../server/directory-view';
import { cacheLifetimeMs, displayUrl, lookupForm, MAX_REPLY_BYTES, readDirectoryReply, UrlDirectory } from '../../server/directory-url';
import { A, B } from './support/fixture-users';
import { captureLogger } from './support/start';

/** A directory endpoint whose answer each test sets; it records every request's form and Authorization header. */
interface FakeDirectory {
  readonly url: string;
  readonly requests: Array<{ form: URLSearchParams; authorization?: string }>;
  answer: (form: URLSearchParams, res: ServerResponse) => void;
  close(): Promise<void>;
}

async function fakeDirectory(): Promise<FakeDirectory> {
  const requests: FakeDirectory['requests'] = [];
  const state: Pick<FakeDirectory, 'answer'> = { answer: (_form, res) => void res.writeHead(500).end() };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({ form, authorization: req.headers.authorization });
      state.answer(form, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/freeswitch/directory/`,
    requests,
    get answer() {
      return state.answer;
    },
    set answer(fn) {
      state.answer = fn;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const xmlReply = (body: string) => (_form: URLSearchParams, res: ServerResponse) => void res.writeHead(200, { 'Content-Type': 'text/xml' }).end(body);

describe('reading a directory reply as mod_xml_curl does', () => {
  it('takes the user asked for from a directory document, with its cacheable attribute', () => {
    expect(readDirectoryReply(A.id, 200, directoryDocument('pbx.test', [A, B], 60_000))).toEqual({ kind: 'found', user: { ...A, cacheable: '60000' } });
    expect(readDirectoryReply(A.id, 200, directoryDocument('pbx.test', [A], 0))).toEqual({ kind: 'found', user: A });
  });

  it('reads back what the directory view wrote, markup in values included', () => {
    const odd = { ...A, password: `p<&"'>q` };
    expect(readDirectoryReply(A.id, 200, directoryDocument('pbx.test', [odd], 0))).toEqual({ kind: 'found', user: odd });
  });

  it.each<[string, number, string, unknown]>([
    ['a "not found" result', 200, directoryDocument('pbx.test', [], 0), { kind: 'not-found' }],
    ['a document without that user', 200, directoryDocument('pbx.test', [B], 0), { kind: 'not-found' }],
    ['an HTTP error', 500, directoryDocument('pbx.test', [A], 0), { kind: 'error', reason: 'HTTP 500' }],
    ['a redirect it does not follow here', 302, '', { kind: 'error', reason: 'HTTP 302' }],
    ['a reply that is not XML', 200, '<html><body>Server Error<p></body>', { kind: 'error', reason: 'reply is not XML' }],
    ['an empty reply', 200, '', { kind: 'error', reason: 'reply is not XML' }],
    ['a reply over 1 MiB', 200, `<document>${' '.repeat(MAX_REPLY_BYTES)}</document>`, { kind: 'error', reason: `reply over ${MAX_REPLY_BYTES} bytes` }],
  ])('finds nobody in %s', (_what, status, body, outcome) => {
    expect(readDirectoryReply(A.id, status, body)).toEqual(outcome);
  });

  it('keeps a user for the cacheable lifetime as FreeSWITCH does: ms for digits, for good for any other value, not at all without one', () => {
    expect([undefined, '', '0', '60000', 'true'].map(cacheLifetimeMs)).toEqual([undefined, undefined, 0, 60_000, Infinity]);
  });

  it('posts what FreeSWITCH posts for a login (action jsonrpc-authenticate) and for user_data', () => {
    const login = lookupForm(A.id, 'pbx.test', 'login', 'fs1');
    expect(Object.fromEntries(login)).toEqual({
      hostname: 'fs1',
      section: 'directory',
      tag_name: 'domain',
      key_name: 'name',
      key_value: 'pbx.test',
      'Event-Name': 'REQUEST_PARAMS',
      action: 'jsonrpc-authenticate',
      key: 'id',
      user: A.id,
      domain: 'pbx.test',
    });
    const userData = lookupForm(A.id, 'pbx.test', 'user_data', 'fs1');
    expect(userData.get('action')).toBeNull();
    expect(userData.get('type')).toBe('param');
  });

  it('never shows credentials of a URL in what it logs', () => {
    expect(displayUrl('http://freeswitch:s3cret@127.0.0.1:8000/freeswitch/directory/')).toBe('http://127.0.0.1:8000/freeswitch/directory/');
    expect(displayUrl('not a url')).toBe('(invalid URL)');
  });
});

describe('a directory URL with the user cache', () => {
  let directory: FakeDirectory;
  let clock: number;
  const logger = captureLogger();
  const make = (timeoutMs = 2000) =>
    new UrlDirectory({ url: directory.url, credentials: 'freeswitch:s3cret', timeoutMs, domain: 'pbx.test', logger, hostname: 'node-1', now: () => clock });

  beforeEach(async () => {
    clock = 1_000_000;
    logger.lines.length = 0;
    directory = await fakeDirectory();
  });
  afterEach(() => directory.close());

  it('asks once per lifetime for a cacheable user (logins and relay lookups share the entry), again once it expired', async () => {
    directory.answer = xmlReply(directoryDocument('pbx.test', [A], 60_000));
    const urlDirectory = make();
    const first = urlDirectory.findUser(A.id, 'login');
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ ...A, cacheable: '60000' });
    expect(directory.requests).toHaveLength(1);
    expect(directory.requests[0].authorization).toBe(`Basic ${Buffer.from('freeswitch:s3cret').toString('base64')}`);
    expect(directory.requests[0].form.get('action')).toBe('jsonrpc-authenticate');
    clock += 60_000;
    // Within the lifetime: answered at once, no request.
    expect(urlDirectory.findUser(A.id, 'user_data')).toEqual({ ...A, cacheable: '60000' });
    expect(directory.requests).toHaveLength(1);
    clock += 1;
    directory.answer = xmlReply(directoryDocument('pbx.test', [], 0));
    // Revoked in the directory: the expired entry is asked for again, and the user is gone.
    expect(await urlDirectory.findUser(A.id, 'user_data')).toBeUndefined();
    expect(directory.requests).toHaveLength(2);
    expect(directory.requests[1].form.get('type')).toBe('param');
  });

  it('asks every time for a user without cacheable, and never keeps "not found"', async () => {
    const urlDirectory = make();
    directory.answer = xmlReply(directoryDocument('pbx.test', [A], 0));
    await urlDirectory.findUser(A.id);
    await urlDirectory.findUser(A.id);
    directory.answer = xmlReply(directoryDocument('pbx.test', [], 60_000));
    await urlDirectory.findUser(B.id);
    await urlDirectory.findUser(B.id);
    expect(directory.requests.map((r) => r.form.get('user'))).toEqual([A.id, A.id, B.id, B.id]);
  });

  it('takes an HTTP error, a reply that is not XML, a timeout and a refused connection as "not found", and logs why without the password', async () => {
    const urlDirectory = make(200);
    directory.answer = (_form, res) => void res.writeHead(503).end('busy');
    expect(await urlDirectory.findUser(A.id)).toBeUndefined();
    directory.answer = xmlReply('<<<');
    expect(await urlDirectory.findUser(A.id)).toBeUndefined();
    directory.answer = () => undefined; // never answers
    expect(await urlDirectory.findUser(A.id)).toBeUndefined();
    await directory.close();
    expect(await urlDirectory.findUser(A.id)).toBeUndefined();
    expect(logger.lines).toEqual([
      `[directory] lookup of ${A.id} failed: HTTP 503 from ${directory.url}; taken as not found`,
      `[directory] lookup of ${A.id} failed: reply is not XML from ${directory.url}; taken as not found`,
      `[directory] lookup of ${A.id} failed: no answer within 200 ms from ${directory.url}; taken as not found`,
      `[directory] lookup of ${A.id} failed: request failed (connection refused or reset) from ${directory.url}; taken as not found`,
    ]);
    expect(logger.lines.join('\n')).not.toContain('s3cret');
  });

  it('sends no Authorization header without credentials', async () => {
    directory.answer = xmlReply(directoryDocument('pbx.test', [A], 0));
    await new UrlDirectory({ url: directory.url, timeoutMs: 1000, domain: 'pbx.test', logger }).findUser(A.id);
    expect(directory.requests[0].authorization).toBeUndefined();
  });
});
