// jsdom does not expose TextEncoder/TextDecoder (toolchain.md §5); browsers and Node do.
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
