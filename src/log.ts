/** A minimal logger so modules never reach for `console` directly and tests can capture output. */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
}

/** Console logger with a prefix; debug lines only when `localStorage['verto-peer:debug']` is set. */
export function consoleLogger(prefix: string, debugEnabled = readDebugFlag()): Logger {
  return {
    debug: (m, ...d) => {
      if (debugEnabled) console.debug(`${prefix} ${m}`, ...d);
    },
    info: (m, ...d) => console.info(`${prefix} ${m}`, ...d),
    warn: (m, ...d) => console.warn(`${prefix} ${m}`, ...d),
  };
}

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

function readDebugFlag(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('verto-peer:debug') !== null;
  } catch {
    return false; // storage can throw in sandboxed frames; debug stays off
  }
}
