import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, any> }>>; components: { responses: Record<string, any> } };

/** Every described object closed to fields it does not list, so an undocumented field in an answer fails. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(closed);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'object' && o.properties && o.additionalProperties === undefined) o.additionalProperties = false;
    Object.values(o).forEach(closed);
  }
  return node;
}

/**
 * Checks an answer of the API against the OpenAPI document the same app serves: the status must
 * be documented for that operation (or be an error in the error shape) and the JSON must match its
 * schema. Every test that calls the API through `t.request` runs its answers through this.
 */
export function openApiChecker(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(closed(structuredClone(doc)) as object, 'openapi.json');
  const templates = Object.keys(doc.paths)
    .map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`), params: (t.match(/\{/g) ?? []).length }))
    .sort((a, b) => a.params - b.params);
  const compiled = new Map<string, ValidateFunction>();
  const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

  return (method: string, path: string, status: number, contentType: string | null, body: unknown): string | null => {
    const bare = path.split('?')[0]!;
    const m = method.toLowerCase();
    const found = templates.find((x) => x.re.test(bare) && doc.paths[x.t]![m]);
    if (!found) return status === 404 || status === 405 ? null : `${method} ${bare} is not in the OpenAPI document`;
    const responses = doc.paths[found.t]![m]!.responses;
    const key = String(status) in responses ? String(status) : status >= 400 && 'default' in responses ? 'default' : null;
    if (key === null) return `${method} ${found.t} answered ${status}, which the document does not list (${Object.keys(responses).join(', ')})`;
    let response = responses[key];
    if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()];
    const media = response.content ? Object.keys(response.content) : [];
    if (media.length === 0) return body === undefined ? null : `${method} ${found.t} ${status} has a body the document does not describe`;
    const type = (contentType ?? '').split(';')[0]!.trim();
    if (!media.includes(type)) return `${method} ${found.t} ${status} answered ${type || 'no content type'}, documented ${media.join(', ')}`;
    if (type !== 'application/json') return null;
    const ref =
      response === responses[key]
        ? `openapi.json#/${pointer('paths', found.t, m, 'responses', key, 'content', type, 'schema')}`
        : 'openapi.json#/components/schemas/Error';
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    if (validate(body)) return null;
    return `${method} ${found.t} ${status} does not match the document: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`;
  };
}
