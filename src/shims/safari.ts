// Safari's shims, in the order webrtc-adapter 9.0.6's factory applies them
// (node_modules/webrtc-adapter/src/js/adapter_factory.js, case 'safari'), without those that change
// nothing src uses in any Safari that can run the bundle (its syntax, `?.` and `??`, needs Safari 13.1):
// - shimRTCIceServerUrls: maps the legacy iceServers `url`; src/config.ts accepts only `urls`.
// - shimCreateOfferLegacy: the legacy offerToReceiveAudio/Video options; src passes no offer options.
// - shimCallbacksAPI: the callback forms of createOffer, setLocalDescription…; src uses the promises.
// - shimLocalStreamsAPI, shimRemoteStreamsAPI: getLocalStreams, addStream, removeStream,
//   getRemoteStreams and onaddstream; src never uses them (spec/browser-shims.test.ts checks).
// - shimTrackEventTransceiver: RTCTrackEvent.transceiver; src reads only the event's track and streams.
// - common shimRTCIceCandidate, shimRTCIceCandidateRelayProtocol: the candidate's parsed fields and
//   relayProtocol; src sends only candidate.toJSON(), which they leave as it is.
// - common shimMaxMessageSize, shimSendThrowTypeError: data channels; src opens none.
// - common removeExtmapAllowMixed: the adapter skips it from Safari 13.1.
// Without them the chunk needs no SDP parser (the `sdp` package). What stays is what src relies on:
// addIceCandidate(null) at the end of candidates and argument-free setLocalDescription() (both skip a
// Safari that has them natively), getUserMedia's video constraints compacted (for the device and screen
// work's constraint objects), and AudioContext for the ringer (where only webkitAudioContext exists).
import * as common from 'webrtc-adapter/src/js/common_shim';
import * as browser from 'webrtc-adapter/src/js/safari/safari_shim';

export const shims: readonly AdapterShim[] = [
  common.shimAddIceCandidateNullOrEmpty, // first, as in the factory
  common.shimParameterlessSetLocalDescription,
  browser.shimGetUserMedia,
  browser.shimAudioContext,
];
