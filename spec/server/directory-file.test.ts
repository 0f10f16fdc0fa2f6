import { join } from 'node:path';
import { CredentialStore } from '../../server/credential-store';
import { loadDirectoryFile, parseDirectory } from '../../server/directory-file';
import { startTestServer } from './support/start';
import { TestClient } from './support/test-client';

const FILE = join(__dirname, 'fixtures', 'directory.xml');

describe('FreeSWITCH directory files', () => {
  it('reads users with their passwords and permission params as written; skips pointers and password-less users', () => {
    const { store, domains } = loadDirectoryFile(FILE);
    expect(domains).toEqual(['pbx.example.org']);
    expect(store.findUser('11111111-1111-4111-8111-111111111111')).toEqual({
      id: '11111111-1111-4111-8111-111111111111',
      password: 'pw-one',
      allowedMethods: 'verto',
      allowedEventChannels: 'room-a,room-b',
    });
    expect(store.findUser('22222222-2222-4222-8222-222222222222')?.allowedEventChannels).toBe('room-b room-c');
    expect(store.findUser('no-password')).toBeUndefined();
    expect(['room-a', 'room-b', 'room-c'].every((c) => store.hasChannel(c))).toBe(true);
  });

  it('accepts an <include> root; absent permission params read as empty (mod_verto then allows only login)', () => {
    const xml = '<include><domain name="d"><users><user id="u"><params><param name="password" value="p"/></params></user></users></domain></include>';
    expect(parseDirectory(xml)).toEqual({ domains: ['d'], users: [{ id: 'u', password: 'p', allowedMethods: '', allowedEventChannels: '' }] });
  });

  it('decodes character references in values, as Django writes them (&#x27; &amp; &quot; &#60;)', () => {
    const xml = '<include><domain name="d"><users><user id="u"><params><param name="password" value="it&#x27;s &amp; &quot;x&quot; &#60;y"/></params></user></users></domain></include>';
    expect(parseDirectory(xml).users[0].password).toBe(`it's & "x" <y`);
  });

  it('lets directory users log in and share channels; a user without verto methods may only log in', async () => {
    const store = new CredentialStore();
    loadDirectoryFile(FILE, store);
    store.addUser({ id: 'login-only', password: 'p', allowedMethods: '', allowedEventChannels: 'room-a' });
    const server = await startTestServer({ store, domain: 'pbx.example.org' });
    try {
      const one = await TestClient.open(server.vertoUrl);
      await one.call('login', { login: '11111111-1111-4111-8111-111111111111', passwd: 'pw-one' });
      expect((await one.call('verto.subscribe', { eventChannel: ['room-b', 'room-c'] })).result).toMatchObject({ subscribedChannels: ['room-b'], unauthorizedChannels: ['room-c'] });
      const two = await TestClient.open(server.vertoUrl);
      await two.call('login', { login: '22222222-2222-4222-8222-222222222222@pbx.example.org', passwd: 'pw-two' });
      await two.call('verto.info', { msg: { to: '11111111-1111-4111-8111-111111111111', body: 'eA==' } });
      expect((await one.request('verto.info')).params.msg).toEqual({
        from: '22222222-2222-4222-8222-222222222222@pbx.example.org',
        to: '11111111-1111-4111-8111-111111111111@pbx.example.org',
        body: 'eA==',
      });
      const limited = await TestClient.open(server.vertoUrl);
      expect((await limited.call('login', { login: 'login-only', passwd: 'p' })).result.message).toBe('logged in');
      expect((await limited.call('verto.ping', {})).error.code).toBe(-32601);
      await Promise.all([one.close(), two.close(), limited.close()]);
    } finally {
      await server.close();
    }
  });
});
