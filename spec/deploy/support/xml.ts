import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlNode = { readonly [key: string]: unknown };

/** Parses XML, failing with the parser's message when it is not well-formed. Attributes keep their names. */
export function parseXml(text: string): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  // XML forbids "--" inside a comment; the validator above does not check it, FreeSWITCH's parser does.
  for (const [, body] of text.matchAll(/<!--([\s\S]*?)-->/g)) if (body.includes('--')) throw new Error('"--" inside an XML comment');
  // htmlEntities: decode numeric references too (Django writes ' as &#x27;)
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', htmlEntities: true, isArray: (_name, _path, _leaf, isAttribute) => !isAttribute });
  return parser.parse(text) as XmlNode;
}

/** Every element named `name` anywhere below `node`, in document order. */
export function findAll(node: unknown, name: string): XmlNode[] {
  const found: XmlNode[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key.startsWith('@')) continue;
        if (key === name) (Array.isArray(child) ? child : [child]).forEach((c) => found.push(c as XmlNode));
        visit(child);
      }
    }
  };
  visit(node);
  return found;
}

export const attr = (node: XmlNode, name: string): string | undefined => {
  const value = node[`@${name}`];
  return typeof value === 'string' ? value : undefined;
};

/** `<tag name=… value=…/>` elements (anywhere below) as a name → value map; a repeated name is an error. */
function nameValues(node: XmlNode, tag: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const p of findAll(node, tag)) {
    const name = attr(p, 'name');
    const value = attr(p, 'value');
    if (name === undefined || value === undefined) throw new Error(`${tag} without name or value`);
    if (name in map) throw new Error(`${tag} ${name} given twice`);
    map[name] = value;
  }
  return map;
}

/** `<param name=… value=…/>` children (anywhere below) as a name → value map. */
export const params = (node: XmlNode): Record<string, string> => nameValues(node, 'param');

/** `<variable name=… value=…/>` children (anywhere below) as a name → value map. */
export const variables = (node: XmlNode): Record<string, string> => nameValues(node, 'variable');

export interface DirectoryUser {
  readonly domain: string;
  readonly id: string;
  readonly params: Record<string, string>;
  readonly variables: Record<string, string>;
}

/** Users of a FreeSWITCH directory document, read the way the development server reads one (plus their variables). */
export function directoryUsers(root: XmlNode): DirectoryUser[] {
  return findAll(root, 'domain').flatMap((domain) =>
    findAll(domain, 'user').map((user) => ({
      domain: attr(domain, 'name') ?? '',
      id: attr(user, 'id') ?? '',
      params: params(user),
      variables: variables(user),
    })),
  );
}
