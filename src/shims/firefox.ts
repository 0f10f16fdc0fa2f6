// Firefox's shims, in the order webrtc-adapter 9.0.6's factory applies them
// (node_modules/webrtc-adapter/src/js/adapter_factory.js, case 'firefox').
import * as common from 'webrtc-adapter/src/js/common_shim';
import * as browser from 'webrtc-adapter/src/js/firefox/firefox_shim';

export const shims: readonly AdapterShim[] = [
  common.shimAddIceCandidateNullOrEmpty, // must come before shimPeerConnection
  common.shimParameterlessSetLocalDescription,
  browser.shimGetUserMedia,
  browser.shimPeerConnection,
  browser.shimGetStats,
  browser.shimOnTrack,
  browser.shimRemoveStream,
  browser.shimSenderGetStats,
  browser.shimReceiverGetStats,
  browser.shimRTCDataChannel,
  browser.shimAddTransceiver,
  browser.shimGetParameters,
  browser.shimCreateOffer,
  browser.shimCreateAnswer,
  common.shimRTCIceCandidate,
  common.shimConnectionState,
  common.shimMaxMessageSize,
  common.shimSendThrowTypeError,
];
