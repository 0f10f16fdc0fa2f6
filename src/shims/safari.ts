// Safari's shims, in the order webrtc-adapter 9.0.6's factory applies them
// (node_modules/webrtc-adapter/src/js/adapter_factory.js, case 'safari').
import * as common from 'webrtc-adapter/src/js/common_shim';
import * as browser from 'webrtc-adapter/src/js/safari/safari_shim';

export const shims: readonly AdapterShim[] = [
  common.shimAddIceCandidateNullOrEmpty, // must come before shimCallbacksAPI
  common.shimParameterlessSetLocalDescription,
  browser.shimRTCIceServerUrls,
  browser.shimCreateOfferLegacy,
  browser.shimCallbacksAPI,
  browser.shimLocalStreamsAPI,
  browser.shimRemoteStreamsAPI,
  browser.shimTrackEventTransceiver,
  browser.shimGetUserMedia,
  browser.shimAudioContext,
  common.shimRTCIceCandidate,
  common.shimRTCIceCandidateRelayProtocol,
  common.shimMaxMessageSize,
  common.shimSendThrowTypeError,
  common.removeExtmapAllowMixed,
];
