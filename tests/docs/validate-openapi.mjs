/* Validates an OpenAPI 3.1 document: node tests/docs/validate-openapi.mjs [FILE]
 * (docs/openapi.yaml by default). The document against the OpenAPI 3.1 schema
 * (@seriousme/openapi-schema-validator: its structure, its local $refs), then every Schema
 * Object in it compiled by Ajv, strict, in the 3.1 dialect (openapi-lib.mjs), and each of
 * their `examples` valid for its schema.
 * Exit status: 0 valid, 1 invalid (what is wrong on standard error). */
import { fileURLToPath } from "node:url";

const lib = await import("./openapi-lib.mjs").catch((error) => {
	if (error.code !== "ERR_MODULE_NOT_FOUND")
		throw error;
	console.error(`${error.message}\nthe tests' npm tooling is missing: scripts/setup --test ` +
		"(or npm ci --prefix tests --no-audit --no-fund)");
	process.exit(1);
});
const { loadDocument, pointer, resolve, schemaCompiler, schemaLocations, subschemas } = lib;

const file = process.argv[2] ?? fileURLToPath(new URL("../../docs/openapi.yaml", import.meta.url));
const { document, errors } = await loadDocument(file);
if (errors) {
	console.error(`${file}: not valid OpenAPI 3.1:`);
	console.error(JSON.stringify(errors, null, 2).slice(0, 4000));
	process.exit(1);
}

const compile = schemaCompiler(document);
const wrong = [];
let count = 0;
let examples = 0;
const illustrated = new Set(); /* the schemas whose examples were checked, reached once or more */
for (const parts of schemaLocations(document)) {
	try {
		compile(parts);
		count++;
	} catch (error) {
		wrong.push(`${pointer(...parts)}: ${error.message}`);
		continue;
	}
	/* each example valid for the schema it illustrates */
	const { node, parts: at } = resolve(document, parts);
	for (const sub of subschemas(node, at)) {
		if (illustrated.has(pointer(...sub.parts)))
			continue;
		illustrated.add(pointer(...sub.parts));
		for (const [i, example] of (sub.node.examples ?? []).entries()) {
			const validate = compile(sub.parts);
			examples++;
			if (!validate(example))
				wrong.push(`${pointer(...sub.parts)}/examples/${i}: ` +
					validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; "));
		}
	}
}
for (const line of wrong)
	console.error(`${file}: ${line}`);
if (wrong.length > 0)
	process.exit(1);
console.log(`${file}: valid OpenAPI ${document.openapi}, ${count} schemas compiled, ` +
	`${examples} examples valid`);
