/** Where the server writes its one-line-per-event log. Never pass it a password. */
export interface Logger {
  info(line: string): void;
  debug(line: string): void;
}

/** Info to stdout; debug only when VERTO_DEBUG is set, so `npm start` stays readable. */
export const consoleLogger: Logger = {
  info: (line) => console.log(line),
  debug: (line) => {
    if (process.env.VERTO_DEBUG) console.log(line);
  },
};

export const silentLogger: Logger = { info: () => undefined, debug: () => undefined };
