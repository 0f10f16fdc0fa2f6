import { parseArgs } from 'node:util';

/** A directory user as given on the command line: the login exactly as the page config has it. */
export interface Credentials {
  readonly login: string;
  readonly password: string;
}

export interface CheckOptions {
  /** The verto endpoint (ws:// or wss://). */
  readonly url: string;
  /** Channel A and its two users. */
  readonly channel: string;
  readonly users: readonly [Credentials, Credentials];
  /** Channel B and its user. */
  readonly otherChannel: string;
  readonly other: Credentials;
  /** A plain ws:// address that must not serve WebSockets (the cleartext port of a wss endpoint). */
  readonly cleartext?: string;
  /** Longest wait for a connection, a reply or a delivery, ms. */
  readonly timeoutMs: number;
  /** How long "not delivered" is watched for, ms. */
  readonly waitMs: number;
}

export type ParsedArgs = { readonly kind: 'help' } | { readonly kind: 'check'; readonly options: CheckOptions };

export class UsageError extends Error {}

export const USAGE = `usage: npm run check:verto -- <ws(s)://host[:port]/path> --channel <A> --user <id@domain:password> --user <id@domain:password>
                             --other-channel <B> --other <id@domain:password> [--cleartext ws://host:port] [--timeout 5000] [--wait 2000]

Checks a verto endpoint (FreeSWITCH mod_verto with verto-peer's directory and relay) with three directory users:
two whose jsonrpc-allowed-event-channels is channel A, one whose channel is B. Prints one line per check and a
summary; passwords are never printed.

  --user <id@domain:password>   a user of channel A (give it twice); the login is sent exactly as written
  --other <id@domain:password>  a user of channel B
  --channel <A>, --other-channel <B>
                                the channels (event channel names as in the directory)
  --cleartext <ws://host:port>  a plain address that must be closed (e.g. the ws port behind a wss endpoint);
                                no credentials are ever sent to it
  --timeout <ms>                longest wait for a connection, a reply or a delivery (default 5000)
  --wait <ms>                   how long a refused message is watched for before it counts as not delivered (default 2000)

Exit status: 0 every check passed; 1 a check failed or could not run; 2 bad arguments; 3 endpoint unreachable.`;

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_WAIT_MS = 2000;

/** `id@domain:password`: the login ends at the first colon (ids and domains have none), the rest is the password. */
function credentials(flag: string, text: string): Credentials {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new UsageError(`${flag} wants <id@domain:password>, got a value without a login or a password`);
  return { login: text.slice(0, colon), password: text.slice(colon + 1) };
}

function milliseconds(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 600_000) throw new UsageError(`${flag} wants a whole number of ms from 1 to 600000, got ${JSON.stringify(text)}`);
  return Number(text);
}

function wsUrl(what: string, text: string, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${what} is not a URL: ${JSON.stringify(text)}`);
  }
  if (!schemes.includes(url.protocol)) throw new UsageError(`${what} must start with ${schemes.map((s) => `${s}//`).join(' or ')}, got ${url.protocol}//`);
  // Credentials in a URL would end up in the output.
  if (url.username !== '' || url.password !== '') throw new UsageError(`${what} must not carry user:password@ (give users with --user)`);
  return url.href;
}

const required = (flag: string, value: string | undefined): string => {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
};

/** Pure: argv (after `--`) → what to do. Throws UsageError with one line saying what is wrong. */
export function parseCheckArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        user: { type: 'string', multiple: true },
        channel: { type: 'string' },
        other: { type: 'string' },
        'other-channel': { type: 'string' },
        cleartext: { type: 'string' },
        timeout: { type: 'string' },
        wait: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    // parseArgs names the offending option, never a value: safe to show (its first sentence). Its errors
    // may come from another realm (a test runner's), so `message` is read rather than `instanceof` tested.
    const message = (error as { message?: unknown }).message;
    throw new UsageError(typeof message === 'string' ? message.split(/\.\s|\n/)[0] : 'invalid arguments');
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length !== 1) throw new UsageError(`give exactly one verto URL (ws:// or wss://), got ${positionals.length}`);
  const users = values.user ?? [];
  if (users.length !== 2) throw new UsageError(`give --user exactly twice (two users of channel A), got ${users.length}`);
  const [first, second] = [credentials('--user', users[0]), credentials('--user', users[1])];
  const other = credentials('--other', required('--other', values.other));
  const channel = required('--channel', values.channel);
  const otherChannel = required('--other-channel', values['other-channel']);
  if (channel === otherChannel) throw new UsageError('--channel and --other-channel must differ');
  const ids = [first.login, second.login, other.login].map((login) => login.split('@')[0]);
  if (new Set(ids).size !== 3) throw new UsageError('the three users must be different users');
  return {
    kind: 'check',
    options: {
      url: wsUrl('the verto URL', positionals[0], ['ws:', 'wss:']),
      channel,
      users: [first, second],
      otherChannel,
      other,
      ...(values.cleartext !== undefined ? { cleartext: wsUrl('--cleartext', values.cleartext, ['ws:']) } : {}),
      timeoutMs: milliseconds('--timeout', values.timeout, DEFAULT_TIMEOUT_MS),
      waitMs: milliseconds('--wait', values.wait, DEFAULT_WAIT_MS),
    },
  };
}
