/* plugin-state.h: what the plugin host last decided about each plugin (loaded, disabled and
 * why, its failures in a row), kept across restarts for `praxis plugin list`. */
#pragma once

#include "store.h"

typedef struct {
	char *name;
	char *status;
	char *reason; /* (nullable) */
	guint failures;
	char *updated_at; /* fixed-width UTC (util/timestamp.h) */
} PxPluginState;

void px_plugin_state_free (PxPluginState *state);

/**
 * px_plugin_state_set:
 * @status: the host's word for it ("loaded", "disabled", "error", ...)
 * @reason: (nullable): why, for the admin
 * @failures: failed calls in a row
 *
 * Records @name's state (replacing the one before), in the open transaction if any.
 * Returns: FALSE with PX_ERROR_INVALID for an empty name or status, or the store's error
 */
gboolean px_plugin_state_set (PxStore *store, const char *name, const char *status,
			      const char *reason, guint failures, GError **error);

/* Returns: (transfer full): @name's state, or NULL with PX_ERROR_NOT_FOUND or the store's error */
PxPluginState *px_plugin_state_get (PxStore *store, const char *name, GError **error);

/* Returns: (transfer full) (element-type PxPluginState): every plugin's state by name, or NULL
 * with @error set */
GPtrArray *px_plugin_state_list (PxStore *store, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxPluginState, px_plugin_state_free)
