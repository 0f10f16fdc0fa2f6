// Chromium's shims, in the order webrtc-adapter 9.0.6's factory applies them
// (node_modules/webrtc-adapter/src/js/adapter_factory.js, case 'chrome').
import * as browser from 'webrtc-adapter/src/js/chrome/chrome_shim';
import * as common from 'webrtc-adapter/src/js/common_shim';

export const shims: readonly AdapterShim[] = [
  common.shimAddIceCandidateNullOrEmpty, // must come before shimPeerConnection
  common.shimParameterlessSetLocalDescription,
  browser.shimGetUserMedia,
  browser.shimMediaStream,
  browser.shimPeerConnection,
  browser.shimOnTrack,
  browser.shimAddTrackRemoveTrack,
  browser.shimGetSendersWithDtmf,
  browser.shimSenderReceiverGetStats,
  browser.fixNegotiationNeeded,
  common.shimRTCIceCandidate,
  common.shimRTCIceCandidateRelayProtocol,
  common.shimConnectionState,
  common.shimMaxMessageSize,
  common.shimSendThrowTypeError,
  common.removeExtmapAllowMixed,
];
