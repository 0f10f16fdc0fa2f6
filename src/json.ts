/** A JSON value as it arrives from, or goes to, the wire. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * The one object check for untrusted input: an object that is neither null nor an array. On a
 * parsed JSON value it narrows to JsonObject; on anything else to a record of unknowns.
 */
export function isRecord(v: JsonValue | undefined): v is JsonObject;
export function isRecord(v: unknown): v is Record<string, unknown>;
export function isRecord(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Equality of two plain values by their JSON text: what `distinctUntilChanged` needs for view models and statuses. */
export const sameJson = <T>(a: T, b: T): boolean => JSON.stringify(a) === JSON.stringify(b);
