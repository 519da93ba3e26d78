/* lua-practice.h: the practice object plugins get in practice events: fields read by name,
 * changed by p:set and p:add in practice.tag only, valid for the one call it is given to. */
#pragma once

#include <lua.h>

#include "model/practice.h"

typedef struct {
	/* the practice; in practice.tag it is the working copy that p:set and p:add change */
	PxPractice *practice;
	/* (nullable): where p:set and p:add record what they add (practice.tag); NULL: read-only */
	PxPractice *additions;
	const char *submitter; /* (nullable): the submitting user's e-mail */
	const char *event;
} PxLuaPracticeView;

/* pushes a practice object on @view, valid while the call running now (px_lua_call_get()) runs:
 * used in any other call, it raises an error */
void px_lua_practice_push (lua_State *L, const PxLuaPracticeView *view);
/* Returns: (transfer none): the practice of the object at @index; raises an error when the
 * value is not a live practice object */
const PxPractice *px_lua_practice_get (lua_State *L, int index);
/* Returns: (transfer none): the event the object at @index was given for; raises as above */
const char *px_lua_practice_get_event (lua_State *L, int index);

/* pushes @practice as a plain table of its fields (as px.get and px.search give them) */
void px_lua_practice_push_table (lua_State *L, const PxPractice *practice);
