/* fuzz-form.c: libFuzzer target for the urlencoded decoder and the search parameters. Any bytes
 * must give an error or pairs of valid UTF-8 without control characters, and the pairs a valid
 * search request or field errors that problem+json can carry. */
#include "model/practice.h"
#include "search/search.h"
#include "util/form.h"

static void
px_fuzz_check_text (const char *text)
{
	if (!g_utf8_validate (text, -1, NULL))
		__builtin_trap ();
	for (const guchar *c = (const guchar *)text; *c != '\0'; c++) {
		if ((*c < 0x20 && *c != '\n' && *c != '\r' && *c != '\t') || *c == 0x7f)
			__builtin_trap ();
	}
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
	g_autofree char *text = g_strndup ((const char *)data, size);
	g_autoptr (GPtrArray) pairs = px_form_decode (text, NULL);
	g_autoptr (GPtrArray) errors = px_field_errors_new ();
	g_autoptr (PxSearchRequest) request = NULL;

	if (pairs == NULL)
		return 0;
	for (guint i = 0; i < pairs->len; i++) {
		const PxFormPair *pair = g_ptr_array_index (pairs, i);
		px_fuzz_check_text (pair->name);
		px_fuzz_check_text (pair->value);
	}
	request = px_search_request_parse (pairs, errors);
	if ((request == NULL) == (errors->len == 0))
		__builtin_trap (); /* a request, or the reasons why not: exactly one */
	for (guint i = 0; i < errors->len; i++) {
		const PxFieldError *error = g_ptr_array_index (errors, i);
		if (!g_utf8_validate (error->field, -1, NULL) ||
		    !g_utf8_validate (error->message, -1, NULL))
			__builtin_trap ();
	}
	if (request != NULL) {
		g_autofree char *key = px_search_request_to_key (request);
		if (key[0] == '\0' || request->page < 1 || request->per_page < 1 ||
		    request->per_page > 100)
			__builtin_trap ();
	}
	return 0;
}
