/** How the verto profile turns a client's `login` into the directory user it looks up. */
export interface LoginRules {
  /** The directory domain the server serves. */
  readonly domain: string;
  /**
   * The profile's `force-register-domain` (the shipped verto.conf.xml sets it): the domain part of
   * `login` is ignored and a bare id works. Without it, `login` must be `id@domain`.
   */
  readonly forceRegisterDomain: boolean;
}

/**
 * Pure: `{ id, domain }` to look up, or undefined when the login names no domain and none is forced
 * (mod_verto then answers "Missing or improper credentials"). The id ends at the first `@`.
 */
export function loginAddress(login: string, rules: LoginRules): { readonly id: string; readonly domain: string } | undefined {
  const at = login.indexOf('@');
  const id = at < 0 ? login : login.slice(0, at);
  if (rules.forceRegisterDomain) return { id, domain: rules.domain };
  return at < 0 ? undefined : { id, domain: login.slice(at + 1) };
}
