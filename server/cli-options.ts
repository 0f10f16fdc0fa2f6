import { parseArgs } from 'node:util';

export interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly directory?: string;
  readonly domain?: string;
}

export const USAGE = 'usage: node build/server/main.js [--host 127.0.0.1] [--port 8080] [--directory users.xml] [--domain localhost]';

/** Pure: argv plus HOST/PORT from the environment → options (flags win over the environment). Throws with a usage message. */
export function parseCliOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      directory: { type: 'string' },
      domain: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const portText = values.port ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`invalid port ${JSON.stringify(portText)}\n${USAGE}`);
  return { host, port, directory: values.directory, domain: values.domain };
}
