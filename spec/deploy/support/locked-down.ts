/**
 * What every verto-peer directory source must give each user, pinned here independently of
 * the files under test: exactly the methods the client calls, and the context that rejects
 * every call.
 */
export const ALLOWED_METHODS = 'verto.subscribe,verto.broadcast,verto.info,verto.ping';
export const CALL_CONTEXT = 'verto-peer';
