/* Holds the answers the tests recorded to an OpenAPI 3.1 document:
 *   node tests/docs/check-answers.mjs DOCUMENT ANSWERS.jsonl
 * ANSWERS.jsonl: one answer a line, as tests/http/harness.py records them: {"method", "path"
 * (without the query), "status", "headers" (names in lower case), "body" (text) or
 * "body_base64" (bytes that are no UTF-8)}. The answers of the document's paths and of every
 * other path under /api are checked; the rest (pages, feeds) are counted as outside.
 *
 * An answer passes when: its path is a route of the document (each path parameter valid for its
 * schema) and its method one the path lists, and its status is one the operation documents (a
 * path that is no route answers components.responses.NoRoute, a method it does not list
 * MethodNotAllowed, and either may answer the document's x-before-routing); the response's
 * required headers are there and every header it documents valid; its Content-Type is one the
 * response lists (none, and no body, for a response without content; a HEAD may have none
 * where its response has content, libsoup's early refusals have one); and its body
 * valid for that media type's schema, by Ajv in JSON Schema 2020-12 (openapi-lib.mjs): JSON,
 * each line of JSON Lines, or the text itself. A problem's `status`, where it has one, is the
 * answer's.
 * Exit status: 0 when every answer passes, 1 otherwise (each failure on standard error). */
import { readFileSync } from "node:fs";

const lib = await import("./openapi-lib.mjs").catch((error) => {
	if (error.code !== "ERR_MODULE_NOT_FOUND")
		throw error;
	console.error(`${error.message}\nthe tests' npm tooling is missing: scripts/setup --test ` +
		"(or npm ci --prefix tests --no-audit --no-fund)");
	process.exit(1);
});
const { loadDocument, resolve, schemaCompiler, METHODS } = lib;

const MAX_FAILURES_SHOWN = 40;

if (process.argv.length !== 4) {
	console.error("usage: node tests/docs/check-answers.mjs DOCUMENT ANSWERS.jsonl");
	process.exit(2);
}
const [documentFile, answersFile] = process.argv.slice(2);
const { document, errors } = await loadDocument(documentFile);
if (errors) {
	console.error(`${documentFile}: not valid OpenAPI 3.1: ${JSON.stringify(errors).slice(0, 2000)}`);
	process.exit(1);
}
const compile = schemaCompiler(document);
const routes = Object.keys(document.paths).map((template) => route(template));

/* a path template as segments, each a text or the schema of the path parameter it holds (a
 * parameter of the path item) */
function route(template) {
	const item = document.paths[template];
	const parameters = (item.parameters ?? []).map(
		(_, i) => resolve(document, ["paths", template, "parameters", i]));
	const segments = template.split("/").map((segment) => {
		const match = /^\{(.+)\}$/.exec(segment);
		if (!match)
			return { text: segment };
		const found = parameters.find(({ node }) => node.in === "path" && node.name === match[1]);
		if (!found)
			throw new Error(`${template}: the path item has no path parameter ${match[1]}`);
		return { schemaParts: [...found.parts, "schema"] };
	});
	return { template, item, segments };
}

/* Returns: whether a path segment is valid for its parameter's schema: an integer is a run of
 * digits within the bounds, compared as BigInt for ids past 2^53 (a bound past it is a double:
 * 2^63-1 reads as 2^63) */
function segmentFits(segment, text) {
	const schema = resolve(document, segment.schemaParts).node;
	if (![schema.type].flat().includes("integer"))
		return compile(segment.schemaParts)(text);
	if (!/^[0-9]+$/.test(text))
		return false;
	const value = BigInt(text);
	return (schema.minimum === undefined || value >= BigInt(schema.minimum)) &&
		(schema.maximum === undefined || value <= BigInt(schema.maximum));
}

function matchRoute(path) {
	let segments;
	try {
		segments = path.split("/").map(decodeURIComponent);
	} catch {
		return null;
	}
	for (const candidate of routes) {
		if (candidate.segments.length !== segments.length)
			continue;
		const fits = candidate.segments.every((segment, i) =>
			"text" in segment ? segment.text === segments[i] : segmentFits(segment, segments[i]));
		if (fits)
			return candidate;
	}
	return null;
}

/* The response object an answer is held to. Returns: {parts} of it, or {failure}. */
function responseFor(answer, matched) {
	const status = String(answer.status);
	const early = document["x-before-routing"] ?? {};
	if (!matched) {
		if (status in early)
			return { parts: ["x-before-routing", status] };
		if (status !== "404")
			return { failure: "no route of the document, so 404 (NoRoute) or x-before-routing" };
		return { parts: ["components", "responses", "NoRoute"] };
	}
	const operation = matched.item[answer.method.toLowerCase()];
	if (!operation || !METHODS.includes(answer.method.toLowerCase())) {
		if (status in early)
			return { parts: ["x-before-routing", status] };
		if (status !== "405")
			return { failure: `${matched.template} lists no ${answer.method}: 405 or x-before-routing` };
		return { parts: ["components", "responses", "MethodNotAllowed"] };
	}
	if (!(status in operation.responses))
		return { failure: `the status is not documented for ${answer.method} ${matched.template}` };
	return { parts: ["paths", matched.template, answer.method.toLowerCase(), "responses", status] };
}

function describe(validate) {
	return validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}` +
		(e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : "")).join("; ");
}

/* Returns: the list of what is wrong with @answer, empty when it passes. */
function check(answer, matched) {
	const found = responseFor(answer, matched);
	if (found.failure)
		return [found.failure];
	const { node: response, parts } = resolve(document, found.parts);
	const wrong = [];
	for (const [name, header] of Object.entries(response.headers ?? {})) {
		const value = answer.headers[name.toLowerCase()];
		if (value === undefined) {
			if (header.required)
				wrong.push(`no ${name} header`);
			continue;
		}
		const headerParts = "$ref" in header ? resolve(document, [...parts, "headers", name]).parts
			: [...parts, "headers", name];
		const validate = compile([...headerParts, "schema"]);
		if (!validate(value))
			wrong.push(`header ${name}: ${JSON.stringify(value)}: ${describe(validate)}`);
	}
	const kind = answer.headers["content-type"];
	const body = answer.body_base64 !== undefined ? Buffer.from(answer.body_base64, "base64")
		: answer.body;
	/* a HEAD has no body, but for the refusals libsoup makes before it takes the method */
	if (body.length === 0 && (answer.method === "HEAD" || response.content === undefined))
		return wrong;
	if (response.content === undefined)
		return [...wrong, "a body where the document has none"];
	if (!(kind in response.content))
		return [...wrong, `Content-Type ${kind} is not documented (${Object.keys(response.content)})`];
	if (answer.body_base64 !== undefined)
		return [...wrong, "a body that is no UTF-8"];
	let values;
	try {
		if (kind === "application/x-ndjson") {
			if (body !== "" && !body.endsWith("\n"))
				wrong.push("the last line of JSON Lines has no newline");
			values = body.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
		} else if (/[/+]json(;|$)/.test(kind)) {
			values = [JSON.parse(body)];
		} else {
			values = [body];
		}
	} catch (error) {
		return [...wrong, `the body is no ${kind}: ${error.message}`];
	}
	const validate = compile([...parts, "content", kind, "schema"]);
	for (const [i, value] of values.entries()) {
		if (!validate(value))
			wrong.push(`${values.length > 1 ? `line ${i + 1}: ` : ""}${describe(validate)}`);
	}
	/* libsoup's UnreadRequest has no status */
	const problem = kind === "application/problem+json" ? values[0] : undefined;
	if (problem && "status" in problem && problem.status !== answer.status)
		wrong.push(`the problem's status ${problem.status} is not the answer's`);
	return wrong;
}

const lines = readFileSync(answersFile, "utf-8").split("\n").filter((line) => line !== "");
let checked = 0;
let outside = 0;
const failures = [];
for (const [i, line] of lines.entries()) {
	const answer = JSON.parse(line);
	const matched = matchRoute(answer.path);
	if (!matched && answer.path !== "/api" && !answer.path.startsWith("/api/")) {
		outside++;
		continue;
	}
	checked++;
	const wrong = check(answer, matched);
	if (wrong.length > 0) {
		const body = answer.body ?? `(${answer.body_base64.length} bytes in base64)`;
		failures.push(`${answersFile}:${i + 1}: ${answer.method} ${answer.path} -> ${answer.status}: ` +
			`${wrong.join("; ").slice(0, 1500)}\n    body: ${body.slice(0, 300)}`);
	}
}
for (const failure of failures.slice(0, MAX_FAILURES_SHOWN))
	console.error(failure);
if (failures.length > MAX_FAILURES_SHOWN)
	console.error(`... and ${failures.length - MAX_FAILURES_SHOWN} more`);
console.log(`${answersFile}: ${checked} answers checked against ${documentFile}, ` +
	`${failures.length} failed, ${outside} outside the API`);
process.exit(failures.length > 0 ? 1 : 0);
