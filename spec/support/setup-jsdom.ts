// jsdom does not expose TextEncoder/TextDecoder; browsers and Node do.
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
