import { requireBundle } from './bundle';

/** Runs once before any e2e file: no bundle, no run. */
export default function globalSetup(): void {
  requireBundle();
}
