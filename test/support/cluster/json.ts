/* eslint-disable @typescript-eslint/no-explicit-any */

/** JSON with map keys sorted, as Go's encoding/json writes the last-applied annotation; undefined fields are absent. */
export function sortedJson(value: any): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether two JSON values are equal whatever their key order (and realm: jest's structuredClone crosses one). */
export function sameJson(a: any, b: any): boolean {
  return sortedJson(a) === sortedJson(b);
}
