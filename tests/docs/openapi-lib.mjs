/* What the OpenAPI checks of tests/docs share: the document read and validated against the
 * OpenAPI schema of its version (@seriousme/openapi-schema-validator), and its Schema Objects
 * compiled by Ajv in strict mode in OpenAPI 3.1's dialect (JSON Schema 2020-12 and the OAS
 * keywords), so that a keyword misspelt or left from OpenAPI 3.0 (`nullable`) is an error. */
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const { default: addFormats } = addFormatsModule;

/* the base vocabulary of OpenAPI 3.1 beside JSON Schema's (`example` is deprecated, kept) */
const OAS_KEYWORDS = ["discriminator", "xml", "externalDocs", "example"];
const DOCUMENT_URI = "urn:praxis:openapi";
export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/* Reads FILE (YAML or JSON). Returns: {document, errors}; errors is null when the document is
 * valid OpenAPI 3.1, else the list of what is wrong. */
export async function loadDocument(file) {
	const validator = new Validator();
	const result = await validator.validate(file);
	const document = validator.specification;
	if (!result.valid)
		return { document, errors: result.errors };
	if (validator.version !== "3.1")
		return { document, errors: [`OpenAPI ${validator.version}, not 3.1`] };
	return { document, errors: null };
}

/* @part escaped for a JSON pointer (RFC 6901) */
export function escape(part) {
	return String(part).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointer(...parts) {
	return "#/" + parts.map(escape).join("/");
}

/* Follows $ref (local JSON pointers) from the object at @parts. Returns: {node, parts} of the
 * object without $ref, or throws where one points nowhere. */
export function resolve(document, parts) {
	let node = walk(document, parts);
	const seen = new Set();
	while (node && typeof node === "object" && "$ref" in node) {
		const ref = node.$ref;
		if (!ref.startsWith("#/") || seen.has(ref))
			throw new Error(`bad $ref ${ref}`);
		seen.add(ref);
		parts = ref.slice(2).split("/").map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
		node = walk(document, parts);
	}
	if (node === undefined)
		throw new Error(`nothing at ${pointer(...parts)}`);
	return { node, parts };
}

function walk(document, parts) {
	let node = document;
	for (const part of parts)
		node = node === undefined || node === null ? undefined : node[part];
	return node;
}

/* Yields the path (an array of parts) of every Schema Object the document holds outside
 * components.schemas' own nesting: the components' schemas, and the schemas of parameters,
 * headers and media types wherever they are written (not where they are only referred to). */
export function* schemaLocations(document) {
	const components = document.components ?? {};
	for (const name of Object.keys(components.schemas ?? {}))
		yield ["components", "schemas", name];
	for (const [name, parameter] of Object.entries(components.parameters ?? {}))
		yield* parameterSchemas(parameter, ["components", "parameters", name]);
	for (const [name, header] of Object.entries(components.headers ?? {}))
		yield* parameterSchemas(header, ["components", "headers", name]);
	for (const [name, response] of Object.entries(components.responses ?? {}))
		yield* responseSchemas(response, ["components", "responses", name]);
	for (const [name, body] of Object.entries(components.requestBodies ?? {}))
		yield* contentSchemas(body, ["components", "requestBodies", name]);
	for (const [path, item] of Object.entries(document.paths ?? {})) {
		const base = ["paths", path];
		for (const [i, parameter] of (item.parameters ?? []).entries())
			yield* parameterSchemas(parameter, [...base, "parameters", i]);
		for (const method of METHODS) {
			const operation = item[method];
			if (!operation)
				continue;
			const at = [...base, method];
			for (const [i, parameter] of (operation.parameters ?? []).entries())
				yield* parameterSchemas(parameter, [...at, "parameters", i]);
			if (operation.requestBody)
				yield* contentSchemas(operation.requestBody, [...at, "requestBody"]);
			for (const [status, response] of Object.entries(operation.responses ?? {}))
				yield* responseSchemas(response, [...at, "responses", status]);
		}
	}
}

function* parameterSchemas(object, at) {
	if (!("$ref" in object) && object.schema !== undefined)
		yield [...at, "schema"];
}

function* contentSchemas(object, at) {
	if ("$ref" in object)
		return;
	for (const [type, media] of Object.entries(object.content ?? {}))
		if (media.schema !== undefined)
			yield [...at, "content", type, "schema"];
}

function* responseSchemas(response, at) {
	if ("$ref" in response)
		return;
	for (const [name, header] of Object.entries(response.headers ?? {}))
		yield* parameterSchemas(header, [...at, "headers", name]);
	yield* contentSchemas(response, at);
}

/* the extension keywords (x-...) the document's schemas use */
function extensionKeywords(value, found = new Set()) {
	if (Array.isArray(value)) {
		for (const item of value)
			extensionKeywords(item, found);
	} else if (value && typeof value === "object") {
		for (const [key, item] of Object.entries(value)) {
			if (key.startsWith("x-"))
				found.add(key);
			extensionKeywords(item, found);
		}
	}
	return found;
}

const SUBSCHEMA = ["items", "additionalProperties", "not", "if", "then", "else", "contains",
	"propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"];
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];
const SUBSCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];

/* Yields {node, parts} for @schema at @parts and every schema written inside it (not those it
 * refers to) */
export function* subschemas(schema, parts) {
	if (!schema || typeof schema !== "object")
		return;
	yield { node: schema, parts };
	for (const key of SUBSCHEMA)
		yield* subschemas(schema[key], [...parts, key]);
	for (const key of SUBSCHEMA_MAPS)
		for (const [name, sub] of Object.entries(schema[key] ?? {}))
			yield* subschemas(sub, [...parts, key, name]);
	for (const key of SUBSCHEMA_LISTS)
		for (const [i, sub] of (schema[key] ?? []).entries())
			yield* subschemas(sub, [...parts, key, i]);
}

/* Ajv takes "nullable" (OpenAPI 3.0's) as a keyword of its own in every draft: where @schema or
 * a schema in it has one. Returns: the pointer to it, or null. */
function nullableAt(schema, parts) {
	for (const { node, parts: at } of subschemas(schema, parts))
		if ("nullable" in node)
			return pointer(...at);
	return null;
}

/* An Ajv for @document. Returns: a function from a schema's path (parts) to its compiled
 * validator; it throws where the schema is no valid JSON Schema 2020-12 or uses a keyword
 * outside the dialect. */
export function schemaCompiler(document) {
	const ajv = new Ajv2020({
		strict: true,
		/* PracticeNew requires members its allOf branch leaves to PracticeInput */
		strictRequired: false,
		allowUnionTypes: true,
		allErrors: true,
	});
	addFormats(ajv);
	/* the document is the schema its $refs point into: its top-level members (openapi, info,
	 * paths, components...) are keywords to Ajv, which compiles the root before a fragment */
	const root = Object.keys(document).filter((key) => !OAS_KEYWORDS.includes(key));
	ajv.addVocabulary([...new Set([...OAS_KEYWORDS, ...root, ...extensionKeywords(document)])]);
	ajv.addSchema(document, DOCUMENT_URI);
	const compiled = new Map();
	return (parts) => {
		const key = pointer(...parts);
		if (!compiled.has(key)) {
			const schema = resolve(document, parts);
			const nullable = nullableAt(schema.node, schema.parts);
			if (nullable)
				throw new Error(`"nullable" at ${nullable} is OpenAPI 3.0's: type: [..., "null"]`);
			const validate = ajv.getSchema(DOCUMENT_URI + key);
			if (!validate)
				throw new Error(`no schema at ${key}`);
			compiled.set(key, validate);
		}
		return compiled.get(key);
	};
}
