import { directoryDocument } from '../../server/directory-view';
import { PYTHON, requireInterpreter, run } from './support/interpreters';
import { ALLOWED_METHODS, CALL_CONTEXT } from './support/locked-down';
import { directoryUsers, findAll, attr, parseXml } from './support/xml';

const DJANGO_HINT = "the Django tests need Debian's /usr/bin/python3 with Django (apt-get install python3-django; bash .ci/run installs it)";
const AUTH = 'freeswitch:s3cret';

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly error?: string;
}
interface Case {
  readonly post?: Record<string, string>;
  readonly auth: string | null;
  readonly method?: 'GET' | 'POST';
  readonly settings?: Record<string, unknown>;
}

/** All cases go through one Python process: Django starts once. */
function ask(cases: readonly Case[]): Reply[] {
  const result = run(PYTHON, ['spec/deploy/support/xml_curl_view.py'], JSON.stringify(cases), DJANGO_HINT);
  if (result.status !== 0) throw new Error(`xml_curl_view.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Reply[];
}

/** What mod_verto posts on a login (mod_xml_curl sends the request's headers as form fields). */
const login = (user: string, domain = 'pbx.example.org'): Record<string, string> => ({
  section: 'directory', tag_name: 'domain', key_name: 'name', key_value: domain, user, domain, action: 'jsonrpc-authenticate',
});

const notFound = (reply: Reply): boolean => findAll(parseXml(reply.body), 'result').some((r) => attr(r, 'status') === 'not found');

beforeAll(() => requireInterpreter(PYTHON, ['-c', 'import django'], DJANGO_HINT));

describe('verto_peer.views.xml_curl_directory', () => {
  let replies: Reply[];
  beforeAll(() => {
    replies = ask([
      { post: login('u1'), auth: AUTH },
      { post: { section: 'directory', user: 'u1', domain: 'pbx.example.org' }, auth: AUTH },
      { post: login('nobody'), auth: AUTH },
      { post: login('u1', 'other.example.org'), auth: AUTH },
      { post: login('u1|x'), auth: AUTH },
      { post: login('u2'), auth: AUTH },
      { post: { ...login('u1'), section: 'dialplan' }, auth: AUTH },
      { post: login('u1'), auth: null },
      { post: login('u1'), auth: 'freeswitch:wrong' },
      { post: login('u1'), auth: AUTH, method: 'GET' },
      { post: login('u1'), auth: AUTH, settings: { VERTO_PEER_DIRECTORY_CACHE_MS: 0 } },
      { post: login('u1'), auth: AUTH, settings: { VERTO_PEER_DIRECTORY_CACHE_MS: 5000 } },
      { post: login('u1'), auth: AUTH, settings: { VERTO_PEER_DIRECTORY_CACHE_MS: 'true' } },
      { post: login('u1'), auth: AUTH, settings: { VERTO_PEER_DIRECTORY_CACHE_MS: -1 } },
    ]);
  });

  const cacheable = (reply: Reply): Array<string | undefined> => findAll(parseXml(reply.body), 'user').map((u) => attr(u, 'cacheable'));

  it('marks the users it answers cacheable for VERTO_PEER_DIRECTORY_CACHE_MS (default 60 s), so a node asks once per lifetime', () => {
    expect(cacheable(replies[0])).toEqual(['60000']);
    expect(cacheable(replies[1])).toEqual(['60000']);
    expect(cacheable(replies[11])).toEqual(['5000']);
    // 0: no attribute, every lookup reaches Django.
    expect(cacheable(replies[10])).toEqual([undefined]);
    expect(replies[10].body).not.toContain('cacheable');
  });

  it('refuses a lifetime FreeSWITCH would read as "forever" or that is not one', () => {
    expect(replies[12].error).toMatch(/^ImproperlyConfigured: VERTO_PEER_DIRECTORY_CACHE_MS must be a whole number/);
    expect(replies[13].error).toMatch(/^ImproperlyConfigured: VERTO_PEER_DIRECTORY_CACHE_MS/);
  });

  it("is what the development server's directory view answers for the same user (its nodes read Django's shape)", () => {
    const user = { id: 'u1', password: `p<&>'"`, allowedMethods: ALLOWED_METHODS, allowedEventChannels: 'c1' };
    const ours = directoryDocument('pbx.example.org', [user], 60_000);
    expect(directoryUsers(parseXml(ours))).toEqual(directoryUsers(parseXml(replies[0].body)));
    expect(cacheable({ ...replies[0], body: ours })).toEqual(cacheable(replies[0]));
    expect(notFound({ ...replies[2], body: directoryDocument('pbx.example.org', [], 60_000) })).toBe(true);
  });

  it('answers a login lookup with the user, exactly the client\'s methods and the rejecting context, as XML', () => {
    expect(replies[0].status).toBe(200);
    expect(replies[0].contentType).toMatch(/^text\/xml/);
    expect(directoryUsers(parseXml(replies[0].body))).toEqual([
      {
        domain: 'pbx.example.org',
        id: 'u1',
        params: { password: `p<&>'"`, 'jsonrpc-allowed-methods': ALLOWED_METHODS, 'jsonrpc-allowed-event-channels': 'c1' },
        variables: { user_context: CALL_CONTEXT },
      },
    ]);
  });

  it('answers the relay\'s user_data lookup (no action field) the same way', () => {
    expect(directoryUsers(parseXml(replies[1].body)).map((u) => u.params['jsonrpc-allowed-event-channels'])).toEqual(['c1']);
  });

  it('answers "not found" for unknown users, domains other than VERTO_PEER_DOMAIN (even if the site knows the user), unusable ids or data, and other sections', () => {
    for (const reply of replies.slice(2, 7)) {
      expect(reply.status).toBe(200);
      expect(notFound(reply)).toBe(true);
      expect(directoryUsers(parseXml(reply.body))).toEqual([]);
    }
  });

  it('refuses requests without the gateway credentials, and anything but POST', () => {
    expect(replies[7].status).toBe(401);
    expect(replies[8].status).toBe(401);
    expect(replies[7].body).not.toContain('password');
    expect(replies[9].status).toBe(405);
  });
});
