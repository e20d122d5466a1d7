/**
 * Rails-style query strings: `labels[]=a&labels[]=b` becomes `{labels: ['a', 'b']}`, as Rack
 * parses them; repeated plain keys keep the last value. Nested hashes are not needed by any route.
 */
export function parseQueryString(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      const list = out[name];
      out[name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      out[key] = value;
    }
  }
  return out;
}
