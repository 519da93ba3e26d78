/* sandbox.h: PxSandbox, one plugin's lua_State: only the safe parts of the standard library
 * (TECH-NOTES 3.2), text chunks only, a memory cap, and an instruction budget and a wall-clock
 * limit per invocation that pcall cannot swallow. It knows nothing of plugins or of px. */
#pragma once

#include <glib.h>
#include <lua.h>

typedef struct _PxSandbox PxSandbox;

typedef struct {
	gsize memory_bytes;   /* the most the state may hold */
	guint64 instructions; /* per invocation */
	guint timeout_ms;     /* wall clock per invocation, yields included */
} PxSandboxLimits;

/* the limits a plugin gets when praxis.conf says nothing */
#define PX_SANDBOX_MEMORY_DEFAULT (64u * 1024 * 1024)
#define PX_SANDBOX_INSTRUCTIONS_DEFAULT G_GUINT64_CONSTANT (10000000)
#define PX_SANDBOX_TIMEOUT_DEFAULT 5000

/**
 * px_sandbox_new:
 * @name: whose state it is, for the log
 *
 * Returns: (transfer full): a state with the safe libraries open, or NULL with @error set
 */
PxSandbox *px_sandbox_new (const char *name, const PxSandboxLimits *limits, GError **error);
void px_sandbox_free (PxSandbox *sandbox);

/* Returns: (transfer none): the state, to push values and read results between runs */
lua_State *px_sandbox_get_state (PxSandbox *sandbox);
/* Returns: the bytes the state holds now */
gsize px_sandbox_get_memory (PxSandbox *sandbox);

/**
 * px_sandbox_run:
 * @body: a C function run in protected mode with @user_data as its one (light userdata)
 *   argument: it pushes what it needs, calls into Lua, and reads the results back into
 *   @user_data, so that every allocation of the host too is under the limits and protected
 *
 * Runs @body as one invocation: a fresh instruction budget and deadline. Returns: FALSE with
 * @error set (the message, then the traceback) when @body or the Lua it called failed, ran out of
 * budget or time, or of memory; the stack is as it was
 */
gboolean px_sandbox_run (PxSandbox *sandbox, lua_CFunction body, gpointer user_data,
			 GError **error);

/**
 * px_sandbox_load:
 * @chunkname: the file's name in messages ("@plugins/x/init.lua")
 *
 * Compiles @code as text (never bytecode) and pushes it as a function, under the memory cap.
 * Returns: FALSE with @error set to the syntax error (with its file and line)
 */
gboolean px_sandbox_load (PxSandbox *sandbox, const char *chunkname, const char *code, gsize len,
			  GError **error);

/*
 * Invocations that yield: a coroutine keeps its budget and deadline across its yields. Give it
 * a budget before its first resume, and resume it only through px_sandbox_resume(), on one
 * thread at a time.
 */
typedef struct {
	guint64 remaining; /* instructions left */
	gint64 deadline;   /* monotonic microseconds */
} PxSandboxBudget;

/**
 * px_sandbox_resume:
 * @thread: a thread of the sandbox's state, its function or its resumed call's results pushed
 * @nargs: how many values to pass (the function's arguments, or a yield's results)
 * @finished: (out): TRUE when the coroutine returned; FALSE when it yielded
 *
 * Returns: FALSE with @error set when the coroutine failed (the traceback of @thread's stack),
 * ran out of budget, time or memory: it is dead then
 */
gboolean px_sandbox_resume (PxSandbox *sandbox, PxSandboxBudget *budget, lua_State *thread,
			    int nargs, gboolean *finished, GError **error);

/**
 * px_sandbox_bound_message:
 * @text: what a plugin gave to be logged or shown (@length bytes, any bytes)
 *
 * Returns: (transfer full): @text as it may go to the log, an API answer or plugin_state: valid
 * UTF-8 (what is not becomes U+FFFD), at most 2 KiB (the rest is cut, its size said)
 */
char *px_sandbox_bound_message (const char *text, gsize length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxSandbox, px_sandbox_free)
