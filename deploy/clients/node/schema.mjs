// A small validator for the subset of JSON Schema 2020-12 that hostmesh generates:
// type (string or list), properties, required, additionalProperties (false or a schema),
// items, enum, format date-time, anyOf, and $ref to "#/$defs/...".
export function validate(schema, value, root = schema, path = '$') {
  const errors = [];
  check(schema, value, root, path, errors);
  return errors;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object
}

function check(s, v, root, path, errors) {
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs && root.$defs[name];
    if (!target) return errors.push(`${path}: unresolved ${s.$ref}`);
    return check(target, v, root, path, errors);
  }
  if (s.anyOf) {
    const ok = s.anyOf.some((alt) => validate(alt, v, root, path).length === 0);
    if (!ok) errors.push(`${path}: matches none of anyOf`);
    return;
  }
  if (s.type !== undefined) {
    const allowed = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(v);
    if (!(allowed.includes(t) || (t === 'integer' && allowed.includes('number')))) {
      return errors.push(`${path}: expected ${allowed.join('|')}, got ${t}`);
    }
  }
  if (s.enum && !s.enum.includes(v)) errors.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
  if (s.format === 'date-time' && typeof v === 'string'
      && !(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)))) {
    errors.push(`${path}: not a date-time: ${v}`);
  }
  if (typeOf(v) === 'object') {
    for (const r of s.required || []) if (!(r in v)) errors.push(`${path}: missing ${r}`);
    const props = s.properties || {};
    for (const [k, val] of Object.entries(v)) {
      if (k in props) check(props[k], val, root, `${path}.${k}`, errors);
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
      else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        check(s.additionalProperties, val, root, `${path}.${k}`, errors);
      }
    }
  }
  if (typeOf(v) === 'array' && s.items) v.forEach((x, i) => check(s.items, x, root, `${path}[${i}]`, errors));
}
