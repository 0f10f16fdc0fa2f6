import { consoleLogger, type Logger, type LogLevel } from '../log';

/** Where the Connection reports what it does: one call per line, the level as an argument. */
export type RtcLogLevel = LogLevel;
export type RtcLog = (level: RtcLogLevel, message: string, detail?: unknown) => void;

/** The Connection's view of a Logger (src/log.ts), so its debug lines obey the same debug flag. */
export const rtcLog =
  (logger: Logger): RtcLog =>
  (level, message, detail) => {
    if (detail === undefined) logger[level](message);
    else logger[level](message, detail);
  };

/** Default logger: the browser console with an `[rtc]` prefix; debug lines only with the debug flag. */
export const consoleLog: RtcLog = rtcLog(consoleLogger('[rtc]'));
