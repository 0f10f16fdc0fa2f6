import { isRecord } from '../json';

/** The DTLS certificate fingerprints a connection really uses, each canonical `alg:HEX` (e.g. `sha-256:AB:CD:…`). */
export interface TransportCertificates {
  readonly local: string;
  readonly remote: string;
}

/** A certificate report's fingerprint as `alg:HEX` (algorithm lower case, hex upper case, colon pairs), or null if malformed. */
function canonical(report: Record<string, unknown> | undefined): string | null {
  const alg = report?.type === 'certificate' ? report.fingerprintAlgorithm : undefined;
  const hex = report?.fingerprint;
  if (typeof alg !== 'string' || typeof hex !== 'string' || !/^[a-z0-9-]+$/i.test(alg) || !/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(hex)) return null;
  return `${alg.toLowerCase()}:${hex.toUpperCase()}`;
}

/**
 * The selected transport's certificates, from one getStats() reading (RTCStatsReport.values(), or
 * fixtures); null when the report names no selected transport or lacks either certificate report.
 * The selected transport is the one whose `selectedCandidatePairId` names a pair of the report, or
 * else the transport of a pair flagged `selected` (browsers that report pairs that way).
 */
export function transportCertificates(stats: Iterable<unknown>): TransportCertificates | null {
  const byId = new Map<string, Record<string, unknown>>();
  for (const s of stats) if (isRecord(s) && typeof s.id === 'string') byId.set(s.id, s);
  const report = (id: unknown) => (typeof id === 'string' ? byId.get(id) : undefined);
  const reports = [...byId.values()];
  const transport =
    reports.find((t) => t.type === 'transport' && report(t.selectedCandidatePairId)?.type === 'candidate-pair') ??
    report(reports.find((p) => p.type === 'candidate-pair' && p.selected === true)?.transportId);
  if (transport?.type !== 'transport') return null;
  const local = canonical(report(transport.localCertificateId));
  const remote = canonical(report(transport.remoteCertificateId));
  return local !== null && remote !== null ? { local, remote } : null;
}
