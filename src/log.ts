/** The one logger shape: modules never reach for `console` directly, and tests can capture output. */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export type LogLevel = keyof Logger;

/** The page's switch for debug lines: set `localStorage['verto-peer:debug']` (to anything) and reload. */
export const DEBUG_FLAG_KEY = 'verto-peer:debug';

/** Console logger with a prefix; debug lines only when the debug flag is set. */
export function consoleLogger(prefix: string, debugEnabled = readDebugFlag()): Logger {
  return {
    debug: (m, ...d) => {
      if (debugEnabled) console.debug(`${prefix} ${m}`, ...d);
    },
    info: (m, ...d) => console.info(`${prefix} ${m}`, ...d),
    warn: (m, ...d) => console.warn(`${prefix} ${m}`, ...d),
    error: (m, ...d) => console.error(`${prefix} ${m}`, ...d),
  };
}

/** Whether debug lines are on; storage that throws (sandboxed frames) means off. */
function readDebugFlag(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(DEBUG_FLAG_KEY) !== null;
  } catch {
    return false;
  }
}
