import { webRtcProblem, type CallEnvironment } from '../src/webrtc-support';

const capable: CallEnvironment = {
  isSecureContext: true,
  RTCPeerConnection: class {},
  navigator: { mediaDevices: { getUserMedia: () => Promise.resolve() } },
};

describe('webRtcProblem', () => {
  it('has nothing to say where calls can work', () => {
    expect(webRtcProblem(capable)).toBeNull();
  });

  it.each<[string, CallEnvironment, RegExp]>([
    ['a page that is not a secure context', { ...capable, isSecureContext: false, navigator: {} }, /secure page: open it over https/],
    ['a browser that does not say (treated as not secure)', { ...capable, isSecureContext: undefined }, /secure page/],
    ['no RTCPeerConnection', { ...capable, RTCPeerConnection: undefined }, /no WebRTC/],
    ['no mediaDevices', { ...capable, navigator: {} }, /no getUserMedia/],
    ['no getUserMedia', { ...capable, navigator: { mediaDevices: {} } }, /no getUserMedia/],
  ])('names %s', (_case, env, text) => {
    expect(webRtcProblem(env)).toMatch(text);
  });
});
