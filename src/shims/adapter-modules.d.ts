// Types for the webrtc-adapter modules imported one by one (its index.d.ts types only the default
// export of the whole adapter). Version pinned in package.json; see browser-shims.ts for why.
interface AdapterBrowserDetails {
  readonly browser: string | null;
  readonly version: number | null;
}
type AdapterShim = (win: Window, details: AdapterBrowserDetails) => void;

declare module 'webrtc-adapter/src/js/utils' {
  export function detectBrowser(win: Window): AdapterBrowserDetails;
}
declare module 'webrtc-adapter/src/js/common_shim' {
  export const shimAddIceCandidateNullOrEmpty: AdapterShim;
  export const shimParameterlessSetLocalDescription: AdapterShim;
  export const shimRTCIceCandidate: AdapterShim;
  export const shimRTCIceCandidateRelayProtocol: AdapterShim;
  export const shimConnectionState: AdapterShim;
  export const shimMaxMessageSize: AdapterShim;
  export const shimSendThrowTypeError: AdapterShim;
  export const removeExtmapAllowMixed: AdapterShim;
}
declare module 'webrtc-adapter/src/js/chrome/chrome_shim' {
  export const shimGetUserMedia: AdapterShim;
  export const shimMediaStream: AdapterShim;
  export const shimPeerConnection: AdapterShim;
  export const shimOnTrack: AdapterShim;
  export const shimAddTrackRemoveTrack: AdapterShim;
  export const shimGetSendersWithDtmf: AdapterShim;
  export const shimSenderReceiverGetStats: AdapterShim;
  export const fixNegotiationNeeded: AdapterShim;
}
declare module 'webrtc-adapter/src/js/firefox/firefox_shim' {
  export const shimGetUserMedia: AdapterShim;
  export const shimPeerConnection: AdapterShim;
  export const shimGetStats: AdapterShim;
  export const shimOnTrack: AdapterShim;
  export const shimRemoveStream: AdapterShim;
  export const shimSenderGetStats: AdapterShim;
  export const shimReceiverGetStats: AdapterShim;
  export const shimRTCDataChannel: AdapterShim;
  export const shimAddTransceiver: AdapterShim;
  export const shimGetParameters: AdapterShim;
  export const shimCreateOffer: AdapterShim;
  export const shimCreateAnswer: AdapterShim;
}
declare module 'webrtc-adapter/src/js/safari/safari_shim' {
  export const shimRTCIceServerUrls: AdapterShim;
  export const shimCreateOfferLegacy: AdapterShim;
  export const shimCallbacksAPI: AdapterShim;
  export const shimLocalStreamsAPI: AdapterShim;
  export const shimRemoteStreamsAPI: AdapterShim;
  export const shimTrackEventTransceiver: AdapterShim;
  export const shimGetUserMedia: AdapterShim;
  export const shimAudioContext: AdapterShim;
}
