/** Where the Connection reports what it does; injected so tests can read it and production can quieten debug. */
export type RtcLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type RtcLog = (level: RtcLogLevel, message: string, detail?: unknown) => void;

/** Default logger: the browser console, one method per level. */
export const consoleLog: RtcLog = (level, message, detail) => {
  if (detail === undefined) console[level](`[rtc] ${message}`);
  else console[level](`[rtc] ${message}`, detail);
};
