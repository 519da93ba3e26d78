/* plugin-storage.h: each plugin's small key-value store (px.storage): text values by key, kept
 * apart by the plugin's name. */
#pragma once

#include "store.h"

#define PX_PLUGIN_STORAGE_MAX_KEY 256		/* bytes */
#define PX_PLUGIN_STORAGE_MAX_VALUE (64 * 1024) /* bytes */

/**
 * px_plugin_storage_get:
 * @value: (out) (transfer full): the value, or NULL when @key has none
 *
 * Returns: FALSE with @error set when it cannot be read (an absent key is not an error)
 */
gboolean px_plugin_storage_get (PxStore *store, const char *plugin, const char *key, char **value,
				GError **error);

/**
 * px_plugin_storage_set:
 * @key: 1 to PX_PLUGIN_STORAGE_MAX_KEY bytes of UTF-8
 * @value: at most PX_PLUGIN_STORAGE_MAX_VALUE bytes of UTF-8
 *
 * Sets @key of @plugin to @value, in the transaction open on @store if any.
 * Returns: FALSE with PX_ERROR_INVALID for a bad key or value, or the store's error
 */
gboolean px_plugin_storage_set (PxStore *store, const char *plugin, const char *key,
				const char *value, GError **error);

/* removes @key of @plugin (nothing when it has none). Returns: FALSE with @error set */
gboolean px_plugin_storage_delete (PxStore *store, const char *plugin, const char *key,
				   GError **error);
