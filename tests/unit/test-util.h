/* test-util.h: what several unit tests need: loading a file of tests/data and cleaning up. */
#pragma once

#include "practices/import.h"
#include "store/store.h"

/* imports tests/data/@name into @store (asserting success) and returns the counts */
PxImportStats px_test_import_data (PxStore *store, const char *name);
/* the same through @practices and its hooks */
PxImportStats px_test_import_data_through (PxPractices *practices, PxStore *store,
					   const char *name);
/* removes @dir and the files in it */
void px_test_remove_dir (const char *dir);
