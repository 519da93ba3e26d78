/* Validates an OpenAPI 3.1 document: node tests/docs/validate-openapi.mjs [FILE]
 * (docs/openapi.yaml by default). The document against the OpenAPI 3.1 schema
 * (@seriousme/openapi-schema-validator: its structure, its local $refs), then every Schema
 * Object in it compiled by Ajv, strict, in the 3.1 dialect (openapi-lib.mjs).
 * Exit status: 0 valid, 1 invalid (what is wrong on standard error). */
import { fileURLToPath } from "node:url";

const { loadDocument, pointer, schemaCompiler, schemaLocations } = await import(
	"./openapi-lib.mjs"
).catch((error) => {
	if (error.code !== "ERR_MODULE_NOT_FOUND")
		throw error;
	console.error(`${error.message}\nthe tests' npm tooling is missing: scripts/setup --test`);
	process.exit(1);
});

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
for (const parts of schemaLocations(document)) {
	try {
		compile(parts);
		count++;
	} catch (error) {
		wrong.push(`${pointer(...parts)}: ${error.message}`);
	}
}
for (const line of wrong)
	console.error(`${file}: ${line}`);
if (wrong.length > 0)
	process.exit(1);
console.log(`${file}: valid OpenAPI ${document.openapi}, ${count} schemas compiled`);
