import { CredentialStore, DirectoryUser } from '../../../server/credential-store';

/** The identities of the FreeSWITCH transcripts in spec/server/fixtures/freeswitch-1.11.1 (directory users with `jsonrpc-allowed-methods=verto`). */
export const C1 = 'ae1d8ec5-029c-4dda-914d-9cb7b900aa81';
export const C2 = 'c5a8e717-0cdd-4c92-a14d-e64b54b0fe1c';
export const A: DirectoryUser = { id: 'f76a2c1a-8128-49db-8ed9-b68cd9832242', password: 'b5266e33-97ac-4415-8bd6-a2d66b0797bd', allowedMethods: 'verto', allowedEventChannels: C1 };
export const B: DirectoryUser = { id: '3190fbdf-4b4b-4226-b25b-57e83b45884e', password: 'e2835b30-33f3-4123-9220-87bb8c50cc67', allowedMethods: 'verto', allowedEventChannels: C1 };
export const X: DirectoryUser = { id: 'b40a09d3-0657-4bb1-bcd8-92abeea2febd', password: 'bd3010fe-f997-45ae-b372-6c7463612e36', allowedMethods: 'verto', allowedEventChannels: C2 };

/** A, B and X, with `jsonrpc-allowed-methods` as given (the first capture used `verto`, the later one deploy/'s locked-down list). */
export function fixtureStore(allowedMethods = 'verto'): CredentialStore {
  const store = new CredentialStore();
  [A, B, X].forEach((user) => store.addUser({ ...user, allowedMethods }));
  return store;
}
