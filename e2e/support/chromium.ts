import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** Debian's Chromium (no browser download); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for headless Chromium on a closed network (no background networking), fake camera and microphone, loopback ICE. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--allow-loopback-in-peer-connection',
  // LocalNetworkAccessChecks: a page the suite serves itself (route.fulfill: a copied page, the Django-rendered
  // one) has no IP address space, so Chromium would count it as public and block its socket to 127.0.0.1.
  '--disable-features=WebRtcHideLocalIpsWithMdns,LocalNetworkAccessChecks',
] as const;
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] as const;

export interface LaunchChromiumOptions {
  /** Fake camera and microphone (default true). Without them getUserMedia finds no device. */
  readonly fakeMedia?: boolean;
  readonly extraArgs?: readonly string[];
}

/** Launches Chromium, failing with a clear message (never a skip) when it is not installed. */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const args = [...CHROMIUM_ARGS, ...(options.fakeMedia === false ? [] : FAKE_MEDIA_ARGS), ...(options.extraArgs ?? [])];
  const launch: LaunchOptions = { executablePath: CHROMIUM_PATH, args, headless: true };
  return chromium.launch(launch);
}
