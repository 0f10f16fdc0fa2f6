import type { Logger } from '../../src/log';

/** A Logger that drops everything, for tests that do not read the log. */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
