import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { CredentialStore, DirectoryUser } from './credential-store';

/** Users found in a FreeSWITCH directory document, with the domain each was declared under. */
export interface DirectoryContents {
  readonly domains: readonly string[];
  readonly users: readonly DirectoryUser[];
}

type XmlNode = Record<string, unknown>;

const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const attr = (node: XmlNode, name: string): string | undefined => {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
};

function userFrom(node: XmlNode): DirectoryUser | undefined {
  const id = attr(node, 'id');
  if (!id) return undefined;
  const params = new Map<string, string>();
  for (const group of asList(node.params).filter(isNode)) {
    for (const param of asList(group.param).filter(isNode)) {
      const name = attr(param, 'name');
      const value = attr(param, 'value');
      if (name !== undefined && value !== undefined) params.set(name, value);
    }
  }
  const password = params.get('password');
  // Pointer users in groups and users without a password cannot log in with userauth; leave them out.
  if (!password) return undefined;
  const cacheable = attr(node, 'cacheable');
  return {
    id,
    password,
    allowedMethods: params.get('jsonrpc-allowed-methods') ?? '',
    allowedEventChannels: params.get('jsonrpc-allowed-event-channels') ?? '',
    ...(cacheable === undefined ? {} : { cacheable }),
  };
}

/** Walks any element tree (`<document><section name="directory">` or `<include>`) for `<domain>` and `<user>`. */
function collect(node: unknown, domains: string[], users: DirectoryUser[]): void {
  for (const item of asList(node)) {
    if (!isNode(item)) continue;
    for (const [key, child] of Object.entries(item)) {
      if (key.startsWith('@_')) continue;
      if (key === 'domain') {
        for (const domain of asList(child).filter(isNode)) {
          const name = attr(domain, 'name');
          if (name && !domains.includes(name)) domains.push(name);
        }
      }
      if (key === 'user') {
        for (const user of asList(child).filter(isNode)) {
          const parsed = userFrom(user);
          if (parsed) users.push(parsed);
        }
        continue;
      }
      collect(child, domains, users);
    }
  }
}

/** Parses FreeSWITCH directory XML; throws on XML that does not parse. */
export function parseDirectory(xml: string): DirectoryContents {
  // htmlEntities: numeric character references too (Django's escaping writes ' as &#x27;).
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false, htmlEntities: true });
  const tree: unknown = parser.parse(xml, true);
  const domains: string[] = [];
  const users: DirectoryUser[] = [];
  collect(tree, domains, users);
  return { domains, users };
}

/** Loads a directory file into a store (a new one unless given); returns the store and the domains declared. */
export function loadDirectoryFile(path: string, store = new CredentialStore()): { store: CredentialStore; domains: readonly string[] } {
  const contents = parseDirectory(readFileSync(path, 'utf8'));
  for (const user of contents.users) store.addUser(user);
  return { store, domains: contents.domains };
}
