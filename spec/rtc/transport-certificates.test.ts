import { transportCertificates } from '../../src/rtc/transport-certificates';

const OURS = 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99';
const THEIRS = '01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF';
const OTHER = 'FE:DC:BA:98:76:54:32:10:FE:DC:BA:98:76:54:32:10:FE:DC:BA:98:76:54:32:10:FE:DC:BA:98:76:54:32:10';
const cert = (id: string, fingerprint: string, fingerprintAlgorithm = 'sha-256') => ({ id, type: 'certificate', fingerprint, fingerprintAlgorithm, base64Certificate: 'MIIB…' });

/** What Chromium reports for a bundled call: one transport naming its selected pair and both certificates. */
const chromium = (): unknown[] => [
  { id: 'IT01V', type: 'inbound-rtp', kind: 'video', transportId: 'T01' },
  { id: 'CPa_b', type: 'candidate-pair', transportId: 'T01', state: 'succeeded', nominated: true },
  { id: 'CPa_c', type: 'candidate-pair', transportId: 'T01', state: 'failed' },
  { id: 'T01', type: 'transport', dtlsState: 'connected', selectedCandidatePairId: 'CPa_b', localCertificateId: 'CFours', remoteCertificateId: 'CFtheirs' },
  cert('CFours', OURS),
  cert('CFtheirs', THEIRS),
];

const without = (id: string) => chromium().filter((s) => (s as { id: string }).id !== id);

describe('transportCertificates: the fingerprints the connection really uses (getStats)', () => {
  it("the selected transport's local and remote certificate, canonical alg:HEX", () => {
    expect(transportCertificates(chromium())).toEqual({ local: `sha-256:${OURS}`, remote: `sha-256:${THEIRS}` });
  });

  it('canonical: algorithm lower case, hex upper case, so both browsers write the same string', () => {
    const report = chromium().map((s) => ((s as { id: string }).id === 'CFtheirs' ? cert('CFtheirs', THEIRS.toLowerCase(), 'SHA-256') : s));
    expect(transportCertificates(report)?.remote).toBe(`sha-256:${THEIRS}`);
  });

  it('of several transports, the one whose selected pair is in the report', () => {
    const report = [
      { id: 'T00', type: 'transport', selectedCandidatePairId: 'CPgone', localCertificateId: 'CFold', remoteCertificateId: 'CFold' },
      cert('CFold', OTHER),
      ...chromium(),
      { id: 'T02', type: 'transport', localCertificateId: 'CFold', remoteCertificateId: 'CFold' }, // no pair selected yet
    ];
    expect(transportCertificates(report)).toEqual({ local: `sha-256:${OURS}`, remote: `sha-256:${THEIRS}` });
  });

  it('a pair flagged `selected` names its transport when no transport names a pair', () => {
    const report = [
      { id: 'CP1', type: 'candidate-pair', transportId: 'T9', selected: false },
      { id: 'CP2', type: 'candidate-pair', transportId: 'T1', selected: true },
      { id: 'T9', type: 'transport', localCertificateId: 'CFx', remoteCertificateId: 'CFx' },
      { id: 'T1', type: 'transport', localCertificateId: 'CFa', remoteCertificateId: 'CFb' },
      cert('CFx', OTHER),
      cert('CFa', OURS),
      cert('CFb', THEIRS, 'sha-512'),
    ];
    expect(transportCertificates(report)).toEqual({ local: `sha-256:${OURS}`, remote: `sha-512:${THEIRS}` });
  });

  it('null when a certificate report is missing, or the transport names none (a browser without certificate stats)', () => {
    expect(transportCertificates(without('CFtheirs'))).toBeNull();
    expect(transportCertificates(without('CFours'))).toBeNull();
    expect(transportCertificates(chromium().map((s) => ((s as { id: string }).id === 'T01' ? { id: 'T01', type: 'transport', selectedCandidatePairId: 'CPa_b' } : s)))).toBeNull();
  });

  it('null without a selected transport: no transport, no selected pair, or a pair pointing at no transport', () => {
    expect(transportCertificates([])).toBeNull();
    expect(transportCertificates(without('T01'))).toBeNull();
    expect(transportCertificates(chromium().map((s) => ((s as { id: string }).id === 'T01' ? { ...(s as object), selectedCandidatePairId: undefined } : s)))).toBeNull();
    expect(transportCertificates([{ id: 'CP', type: 'candidate-pair', selected: true, transportId: 'CFours' }, cert('CFours', OURS)])).toBeNull();
  });

  it('bad entries count as nothing; a malformed fingerprint, or an id naming another kind of report, gives null', () => {
    expect(transportCertificates([null, 'x', 42, [], { type: 'transport' }, ...chromium()])).toEqual({ local: `sha-256:${OURS}`, remote: `sha-256:${THEIRS}` });
    for (const bad of ['', 'AB', 'AB:CD:', 'AB:CD:EG', 'AB-CD', ' AB:CD', 42, null]) {
      expect(transportCertificates(chromium().map((s) => ((s as { id: string }).id === 'CFtheirs' ? { ...cert('CFtheirs', THEIRS), fingerprint: bad } : s)))).toBeNull();
    }
    for (const alg of ['', 'sha 256', 'sha-256\n', undefined]) {
      expect(transportCertificates(chromium().map((s) => ((s as { id: string }).id === 'CFours' ? { ...cert('CFours', OURS), fingerprintAlgorithm: alg } : s)))).toBeNull();
    }
    expect(transportCertificates(chromium().map((s) => ((s as { id: string }).id === 'T01' ? { ...(s as object), remoteCertificateId: 'IT01V' } : s)))).toBeNull();
  });
});
