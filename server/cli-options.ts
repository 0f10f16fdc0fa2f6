import { parseArgs } from 'node:util';
import type { RateLimit } from './rate-limiter';

export interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly directory?: string;
  readonly domain?: string;
  readonly forceRegisterDomain: boolean;
  readonly rateLimit?: RateLimit;
  readonly maxClientsPerChannel?: number;
  readonly help: boolean;
}

export const USAGE =
  'usage: node build/server/main.js [--host 127.0.0.1] [--port 8080] [--directory users.xml] [--domain localhost]\n' +
  '                                 [--no-force-register-domain] [--rate-limit N] [--max-clients-per-channel N] [--help]';

export const HELP = `${USAGE}

Serves the demo pages and a verto endpoint at /verto that behaves as FreeSWITCH 1.11.1 with the
configuration in deploy/.

  --host, --port               where to listen (or HOST, PORT); default 127.0.0.1:8080
  --directory FILE.xml         also accept the users of a FreeSWITCH directory document
  --domain NAME                the directory domain; default the directory's first, else localhost
  --no-force-register-domain   logins must be id@domain (a profile without force-register-domain)

Development only (FreeSWITCH has neither limit; both are off unless given):
  --rate-limit N               close a connection sending over N messages a second (burst 2N) with 1008
  --max-clients-per-channel N  refuse the login of one more user in a full channel ("Channel full")`;

const count = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`invalid --${name} ${JSON.stringify(text)}: a whole number of at least 1\n${USAGE}`);
  return Number(text);
};

/** Pure: argv plus HOST/PORT from the environment → options (flags win over the environment). Throws with a usage message. */
export function parseCliOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      directory: { type: 'string' },
      domain: { type: 'string' },
      'force-register-domain': { type: 'boolean', default: true },
      'rate-limit': { type: 'string' },
      'max-clients-per-channel': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
    allowNegative: true,
  });
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const portText = values.port ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`invalid port ${JSON.stringify(portText)}\n${USAGE}`);
  const perSecond = count('rate-limit', values['rate-limit']);
  return {
    host,
    port,
    directory: values.directory,
    domain: values.domain,
    forceRegisterDomain: values['force-register-domain'],
    rateLimit: perSecond === undefined ? undefined : { burst: 2 * perSecond, perSecond },
    maxClientsPerChannel: count('max-clients-per-channel', values['max-clients-per-channel']),
    help: values.help,
  };
}
