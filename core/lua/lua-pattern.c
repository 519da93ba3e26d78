/* lua-pattern.c: owns the sandbox's pattern functions: string.find, match, gmatch and gsub as the
 * Lua 5.4 manual (6.4.1) defines them, written from it, with the same results and errors as Lua's
 * own, and one difference: every step of the matcher (an item tried at a position, a call into
 * the rest of the pattern, a character scanned by %b, compared by a back-reference) is charged to
 * a budget per call (per step of a gmatch iterator; lua-pattern.h), and a call that runs out
 * raises "pattern too costly". Lua's count hook never fires inside a C function, so
 * without it a backtracking pattern ("a"):rep(5000):find(".-.-.-b") held the thread unbounded. */
#include "lua-pattern.h"

#include <ctype.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stddef.h>
#include <string.h>

/* captures of one pattern, as many as Lua's (lstrlib's LUA_MAXCAPTURES) */
#define PX_PATTERN_CAPTURES 32
/* nested calls of the matcher before "pattern too complex" (lstrlib's MAXCCALLS) */
#define PX_PATTERN_DEPTH 200
/* the length of a capture still open, and of a position capture () */
#define PX_PATTERN_OPEN (-1)
#define PX_PATTERN_POSITION (-2)

typedef struct {
	const char *start;
	ptrdiff_t length; /* PX_PATTERN_OPEN, PX_PATTERN_POSITION or the captured bytes */
} PxPatternCapture;

typedef struct {
	lua_State *L;
	const char *subject;	 /* the whole subject: position captures count from it */
	const char *subject_end; /* its terminating NUL (Lua strings have one) */
	const char *pattern_end; /* ditto */
	lua_Integer budget;	 /* of this call */
	lua_Integer steps;	 /* left in it */
	int depth;		 /* nested matcher calls left */
	int level;		 /* captures opened so far */
	PxPatternCapture capture[PX_PATTERN_CAPTURES];
} PxPatternState;

static const char *px_pattern_match (PxPatternState *ms, const char *s, const char *p);

static void
px_pattern_charge (PxPatternState *ms, lua_Integer steps)
{
	ms->steps -= steps;
	if (ms->steps < 0)
		luaL_error (ms->L,
			    "pattern too costly (%I steps): simplify the pattern or the text",
			    ms->budget);
}

/* a new call's budget, for a search from @from */
static void
px_pattern_budget (PxPatternState *ms, const char *from)
{
	ms->budget = PX_LUA_PATTERN_BUDGET;
	if (from < ms->subject_end)
		ms->budget +=
		    PX_LUA_PATTERN_BUDGET_PER_BYTE * (lua_Integer)(ms->subject_end - from);
	ms->steps = ms->budget;
}

static void
px_pattern_prepare (PxPatternState *ms, lua_State *L, const char *subject, size_t subject_length,
		    const char *pattern, size_t pattern_length)
{
	ms->L = L;
	ms->subject = subject;
	ms->subject_end = subject + subject_length;
	ms->pattern_end = pattern + pattern_length;
	px_pattern_budget (ms, subject);
}

/* before each try at a new position */
static void
px_pattern_reset (PxPatternState *ms)
{
	ms->level = 0;
	ms->depth = PX_PATTERN_DEPTH;
}

/* a 1-based, possibly negative, start position as a 1-based offset (0 and too negative give 1) */
static size_t
px_pattern_position (lua_Integer position, size_t length)
{
	if (position > 0)
		return (size_t)position;
	if (position == 0 || position < -(lua_Integer)length)
		return 1;
	return length + (size_t)position + 1;
}

/* %a, %d, ... and %z (an upper-case letter complements); any other character stands for itself */
static int
px_pattern_class (int c, int letter)
{
	int in;

	switch (tolower (letter)) {
	case 'a':
		in = isalpha (c);
		break;
	case 'c':
		in = iscntrl (c);
		break;
	case 'd':
		in = isdigit (c);
		break;
	case 'g':
		in = isgraph (c);
		break;
	case 'l':
		in = islower (c);
		break;
	case 'p':
		in = ispunct (c);
		break;
	case 's':
		in = isspace (c);
		break;
	case 'u':
		in = isupper (c);
		break;
	case 'w':
		in = isalnum (c);
		break;
	case 'x':
		in = isxdigit (c);
		break;
	case 'z':
		in = c == 0; /* deprecated in 5.2, still in 5.4's */
		break;
	default:
		return letter == c;
	}
	if (isupper (letter))
		return !in;
	return in != 0;
}

/* whether @c is in the set from @p ('[') to @last (its ']') */
static int
px_pattern_in_set (int c, const char *p, const char *last)
{
	int wanted = 1;

	p++;
	if (*p == '^') {
		wanted = 0;
		p++;
	}
	for (; p < last; p++) {
		if (*p == '%') {
			p++;
			if (px_pattern_class (c, (unsigned char)*p))
				return wanted;
		} else if (p[1] == '-' && p + 2 < last) {
			if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
				return wanted;
			p += 2;
		} else if ((unsigned char)*p == c) {
			return wanted;
		}
	}
	return !wanted;
}

/* the end of the single-character item at @p: a character, %x, or a set [...] */
static const char *
px_pattern_item_end (PxPatternState *ms, const char *p)
{
	if (*p == '%') {
		if (p + 1 == ms->pattern_end)
			luaL_error (ms->L, "malformed pattern (ends with '%%')");
		return p + 2;
	}
	if (*p != '[')
		return p + 1;
	p++;
	if (*p == '^')
		p++;
	/* the first character is in the set even when it is ']' */
	do {
		if (p == ms->pattern_end)
			luaL_error (ms->L, "malformed pattern (missing ']')");
		if (*p++ == '%' && p < ms->pattern_end)
			p++;
	} while (*p != ']');
	return p + 1;
}

/* whether the item from @p to @end matches the character at @s */
static int
px_pattern_single (PxPatternState *ms, const char *s, const char *p, const char *end)
{
	int c;

	px_pattern_charge (ms, 1 + (end - p) / 16);
	if (s >= ms->subject_end)
		return 0;
	c = (unsigned char)*s;
	switch (*p) {
	case '.':
		return 1;
	case '%':
		return px_pattern_class (c, (unsigned char)p[1]);
	case '[':
		return px_pattern_in_set (c, p, end - 1);
	default:
		return (unsigned char)*p == c;
	}
}

/* item* and item+ (after its first): as many as match, then fewer until the rest matches */
static const char *
px_pattern_greedy (PxPatternState *ms, const char *s, const char *p, const char *end)
{
	ptrdiff_t count = 0;

	while (px_pattern_single (ms, s + count, p, end))
		count++;
	for (; count >= 0; count--) {
		const char *rest = px_pattern_match (ms, s + count, end + 1);

		if (rest != NULL)
			return rest;
	}
	return NULL;
}

/* item-: as few as let the rest match */
static const char *
px_pattern_lazy (PxPatternState *ms, const char *s, const char *p, const char *end)
{
	for (;;) {
		const char *rest = px_pattern_match (ms, s, end + 1);

		if (rest != NULL)
			return rest;
		if (!px_pattern_single (ms, s, p, end))
			return NULL;
		s++;
	}
}

static const char *
px_pattern_open (PxPatternState *ms, const char *s, const char *p, ptrdiff_t what)
{
	const char *rest;

	if (ms->level >= PX_PATTERN_CAPTURES)
		luaL_error (ms->L, "too many captures");
	ms->capture[ms->level].start = s;
	ms->capture[ms->level].length = what;
	ms->level++;
	rest = px_pattern_match (ms, s, p);
	if (rest == NULL)
		ms->level--;
	return rest;
}

/* ')': closes the innermost capture still open */
static const char *
px_pattern_close (PxPatternState *ms, const char *s, const char *p)
{
	const char *rest;
	int l = ms->level - 1;

	while (l >= 0 && ms->capture[l].length != PX_PATTERN_OPEN)
		l--;
	if (l < 0)
		luaL_error (ms->L, "invalid pattern capture");
	ms->capture[l].length = s - ms->capture[l].start;
	rest = px_pattern_match (ms, s, p);
	if (rest == NULL)
		ms->capture[l].length = PX_PATTERN_OPEN;
	return rest;
}

/* %bxy at @p (after "%b"): x, then up to the y that balances it */
static const char *
px_pattern_balance (PxPatternState *ms, const char *s, const char *p)
{
	int open = 1;

	if (p >= ms->pattern_end - 1)
		luaL_error (ms->L, "malformed pattern (missing arguments to '%%b')");
	px_pattern_charge (ms, 1);
	if (s >= ms->subject_end || *s != p[0])
		return NULL;
	while (++s < ms->subject_end) {
		px_pattern_charge (ms, 1);
		if (*s == p[1]) {
			if (--open == 0)
				return s + 1;
		} else if (*s == p[0]) {
			open++;
		}
	}
	return NULL;
}

/* %1..%9 (and %0, an error): the text of a closed capture again */
static const char *
px_pattern_again (PxPatternState *ms, const char *s, int digit)
{
	int l = digit - '1';
	ptrdiff_t length;

	if (l < 0 || l >= ms->level || ms->capture[l].length == PX_PATTERN_OPEN)
		luaL_error (ms->L, "invalid capture index %%%d", l + 1);
	length = ms->capture[l].length;
	if (length == PX_PATTERN_POSITION)
		return NULL; /* a position is no text: Lua's never matches either */
	px_pattern_charge (ms, 1 + length / 16);
	if (ms->subject_end - s >= length && memcmp (ms->capture[l].start, s, (size_t)length) == 0)
		return s + length;
	return NULL;
}

/* the end of the match of the pattern from @p at @s, or NULL */
static const char *
px_pattern_match (PxPatternState *ms, const char *s, const char *p)
{
	if (ms->depth-- == 0)
		luaL_error (ms->L, "pattern too complex");
	px_pattern_charge (ms, 1);
	while (p != ms->pattern_end) {
		const char *end;

		if (*p == '(') {
			if (p[1] == ')')
				s = px_pattern_open (ms, s, p + 2, PX_PATTERN_POSITION);
			else
				s = px_pattern_open (ms, s, p + 1, PX_PATTERN_OPEN);
			break;
		}
		if (*p == ')') {
			s = px_pattern_close (ms, s, p + 1);
			break;
		}
		if (*p == '$' && p + 1 == ms->pattern_end) {
			if (s != ms->subject_end)
				s = NULL;
			break;
		}
		if (*p == '%' && p[1] == 'b') {
			s = px_pattern_balance (ms, s, p + 2);
			if (s == NULL)
				break;
			p += 4;
			continue;
		}
		if (*p == '%' && p[1] == 'f') {
			int before;

			p += 2;
			if (*p != '[')
				luaL_error (ms->L, "missing '[' after '%%f' in pattern");
			end = px_pattern_item_end (ms, p);
			px_pattern_charge (ms, 1 + (end - p) / 16);
			before = s == ms->subject ? 0 : (unsigned char)s[-1];
			if (px_pattern_in_set (before, p, end - 1) ||
			    !px_pattern_in_set ((unsigned char)*s, p, end - 1)) {
				s = NULL;
				break;
			}
			p = end;
			continue;
		}
		if (*p == '%' && isdigit ((unsigned char)p[1])) {
			s = px_pattern_again (ms, s, (unsigned char)p[1]);
			if (s == NULL)
				break;
			p += 2;
			continue;
		}
		/* a single-character item and its quantifier */
		end = px_pattern_item_end (ms, p);
		if (!px_pattern_single (ms, s, p, end)) {
			if (*end == '*' || *end == '?' || *end == '-') {
				p = end + 1; /* none of it is fine */
				continue;
			}
			s = NULL;
			break;
		}
		if (*end == '?') {
			const char *rest = px_pattern_match (ms, s + 1, end + 1);

			if (rest != NULL) {
				s = rest;
				break;
			}
			p = end + 1;
			continue;
		}
		if (*end == '+') {
			s = px_pattern_greedy (ms, s + 1, p, end);
			break;
		}
		if (*end == '*') {
			s = px_pattern_greedy (ms, s, p, end);
			break;
		}
		if (*end == '-') {
			s = px_pattern_lazy (ms, s, p, end);
			break;
		}
		s++;
		p = end;
	}
	ms->depth++;
	return s;
}

/* capture @i of the match from @s to @e (the whole match as capture 0 when there is none): its
 * text in *@text and its length, or PX_PATTERN_POSITION with the position pushed */
static ptrdiff_t
px_pattern_get (PxPatternState *ms, int i, const char *s, const char *e, const char **text)
{
	ptrdiff_t length;

	if (i >= ms->level) {
		if (i != 0)
			luaL_error (ms->L, "invalid capture index %%%d", i + 1);
		*text = s;
		return e - s;
	}
	length = ms->capture[i].length;
	*text = ms->capture[i].start;
	if (length == PX_PATTERN_OPEN)
		luaL_error (ms->L, "unfinished capture");
	if (length == PX_PATTERN_POSITION)
		lua_pushinteger (ms->L, ms->capture[i].start - ms->subject + 1);
	return length;
}

static void
px_pattern_push_one (PxPatternState *ms, int i, const char *s, const char *e)
{
	const char *text;
	ptrdiff_t length = px_pattern_get (ms, i, s, e, &text);

	if (length != PX_PATTERN_POSITION)
		lua_pushlstring (ms->L, text, (size_t)length);
}

/* the captures (or the whole match when there are none and @s is set); their count */
static int
px_pattern_push_all (PxPatternState *ms, const char *s, const char *e)
{
	int count = ms->level == 0 && s != NULL ? 1 : ms->level;

	luaL_checkstack (ms->L, count, "too many captures");
	for (int i = 0; i < count; i++)
		px_pattern_push_one (ms, i, s, e);
	return count;
}

/* whether @pattern has none of the characters that make it more than its text */
static int
px_pattern_is_plain (const char *pattern, size_t length)
{
	for (size_t i = 0; i < length; i++)
		if (strchr ("^$*+?.([%-", pattern[i]) != NULL && pattern[i] != '\0')
			return 0;
	return 1;
}

static int
px_pattern_find_or_match (lua_State *L, int find)
{
	size_t subject_length, pattern_length;
	const char *subject = luaL_checklstring (L, 1, &subject_length);
	const char *pattern = luaL_checklstring (L, 2, &pattern_length);
	size_t init = px_pattern_position (luaL_optinteger (L, 3, 1), subject_length) - 1;
	PxPatternState ms;
	const char *s;
	int anchored;

	if (init > subject_length) {
		luaL_pushfail (L);
		return 1;
	}
	if (find && (lua_toboolean (L, 4) || px_pattern_is_plain (pattern, pattern_length))) {
		/* glibc's memmem is linear (two-way): nothing to charge */
		const char *found =
		    memmem (subject + init, subject_length - init, pattern, pattern_length);

		if (found == NULL) {
			luaL_pushfail (L);
			return 1;
		}
		lua_pushinteger (L, found - subject + 1);
		lua_pushinteger (L, (lua_Integer)(found - subject + pattern_length));
		return 2;
	}
	anchored = *pattern == '^';
	if (anchored) {
		pattern++;
		pattern_length--;
	}
	px_pattern_prepare (&ms, L, subject, subject_length, pattern, pattern_length);
	s = subject + init;
	px_pattern_budget (&ms, s);
	do {
		const char *e;

		px_pattern_reset (&ms);
		e = px_pattern_match (&ms, s, pattern);
		if (e != NULL) {
			if (!find)
				return px_pattern_push_all (&ms, s, e);
			lua_pushinteger (L, s - subject + 1);
			lua_pushinteger (L, e - subject);
			return px_pattern_push_all (&ms, NULL, NULL) + 2;
		}
	} while (s++ < ms.subject_end && !anchored);
	luaL_pushfail (L);
	return 1;
}

static int
px_pattern_find_cb (lua_State *L)
{
	return px_pattern_find_or_match (L, 1);
}

static int
px_pattern_match_cb (lua_State *L)
{
	return px_pattern_find_or_match (L, 0);
}

/* a gmatch iterator's state, in a userdata beside the subject and the pattern it points into */
typedef struct {
	const char *next; /* where the next search starts */
	const char *last; /* the end of the last match: an empty match there is skipped */
	const char *pattern;
	PxPatternState ms;
} PxPatternIterator;

static int
px_pattern_gmatch_next_cb (lua_State *L)
{
	PxPatternIterator *it = lua_touserdata (L, lua_upvalueindex (3));

	/* the iterator may be called from another coroutine than the one that made it */
	it->ms.L = L;
	px_pattern_budget (&it->ms, it->next);
	for (const char *s = it->next; s <= it->ms.subject_end; s++) {
		const char *e;

		px_pattern_reset (&it->ms);
		e = px_pattern_match (&it->ms, s, it->pattern);
		if (e != NULL && e != it->last) {
			it->next = it->last = e;
			return px_pattern_push_all (&it->ms, s, e);
		}
	}
	return 0;
}

static int
px_pattern_gmatch_cb (lua_State *L)
{
	size_t subject_length, pattern_length;
	const char *subject = luaL_checklstring (L, 1, &subject_length);
	const char *pattern = luaL_checklstring (L, 2, &pattern_length);
	size_t init = px_pattern_position (luaL_optinteger (L, 3, 1), subject_length) - 1;
	PxPatternIterator *it;

	lua_settop (L, 2); /* the closure keeps both strings alive */
	it = lua_newuserdatauv (L, sizeof *it, 0);
	if (init > subject_length)
		init = subject_length + 1; /* past the end: nothing is found */
	px_pattern_prepare (&it->ms, L, subject, subject_length, pattern, pattern_length);
	it->next = subject + init;
	it->last = NULL;
	it->pattern = pattern;
	lua_pushcclosure (L, px_pattern_gmatch_next_cb, 3);
	return 1;
}

/* a replacement string (argument 3) with %0..%9 and %% for the match from @s to @e */
static void
px_pattern_add_string (PxPatternState *ms, luaL_Buffer *b, const char *s, const char *e)
{
	size_t length;
	const char *r = lua_tolstring (ms->L, 3, &length);
	const char *r_end = r + length;

	while (r < r_end) {
		const char *percent = memchr (r, '%', (size_t)(r_end - r));

		if (percent == NULL) {
			luaL_addlstring (b, r, (size_t)(r_end - r));
			return;
		}
		luaL_addlstring (b, r, (size_t)(percent - r));
		r = percent + 1; /* r_end at worst: its NUL is no valid escape */
		if (*r == '%') {
			luaL_addchar (b, '%');
		} else if (*r == '0') {
			luaL_addlstring (b, s, (size_t)(e - s));
		} else if (isdigit ((unsigned char)*r)) {
			const char *text;
			ptrdiff_t n = px_pattern_get (ms, *r - '1', s, e, &text);

			if (n == PX_PATTERN_POSITION)
				luaL_addvalue (b);
			else
				luaL_addlstring (b, text, (size_t)n);
		} else {
			luaL_error (ms->L, "invalid use of '%c' in replacement string", '%');
		}
		r++;
	}
}

/* the replacement of the match from @s to @e; whether it changed the text */
static int
px_pattern_add_value (PxPatternState *ms, luaL_Buffer *b, const char *s, const char *e, int type)
{
	lua_State *L = ms->L;

	if (type == LUA_TFUNCTION) {
		int n;

		lua_pushvalue (L, 3);
		n = px_pattern_push_all (ms, s, e);
		lua_call (L, n, 1);
	} else if (type == LUA_TTABLE) {
		px_pattern_push_one (ms, 0, s, e);
		lua_gettable (L, 3);
	} else {
		px_pattern_add_string (ms, b, s, e);
		return 1;
	}
	if (!lua_toboolean (L, -1)) {
		lua_pop (L, 1);
		luaL_addlstring (b, s, (size_t)(e - s)); /* false or nil: the match stays */
		return 0;
	}
	if (!lua_isstring (L, -1))
		return luaL_error (L, "invalid replacement value (a %s)", luaL_typename (L, -1));
	luaL_addvalue (b);
	return 1;
}

static int
px_pattern_gsub_cb (lua_State *L)
{
	size_t subject_length, pattern_length;
	const char *subject = luaL_checklstring (L, 1, &subject_length);
	const char *pattern = luaL_checklstring (L, 2, &pattern_length);
	int type = lua_type (L, 3);
	lua_Integer most = luaL_optinteger (L, 4, (lua_Integer)subject_length + 1);
	const char *s = subject;
	const char *last = NULL;
	lua_Integer count = 0;
	int changed = 0;
	int anchored = *pattern == '^';
	PxPatternState ms;
	luaL_Buffer b;

	luaL_argexpected (L,
			  type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION ||
			      type == LUA_TTABLE,
			  3, "string/function/table");
	luaL_buffinit (L, &b);
	if (anchored) {
		pattern++;
		pattern_length--;
	}
	px_pattern_prepare (&ms, L, subject, subject_length, pattern, pattern_length);
	while (count < most) {
		const char *e;

		px_pattern_reset (&ms);
		e = px_pattern_match (&ms, s, pattern);
		if (e != NULL && e != last) {
			count++;
			changed |= px_pattern_add_value (&ms, &b, s, e, type);
			s = last = e;
		} else if (s < ms.subject_end) {
			luaL_addchar (&b, *s++);
		} else {
			break;
		}
		if (anchored)
			break;
	}
	if (changed) {
		luaL_addlstring (&b, s, (size_t)(ms.subject_end - s));
		luaL_pushresult (&b);
	} else {
		lua_pushvalue (L, 1); /* nothing replaced: the subject itself */
	}
	lua_pushinteger (L, count);
	return 2;
}

void
px_lua_pattern_install (lua_State *L)
{
	static const luaL_Reg functions[] = {
	    {"find", px_pattern_find_cb},
	    {"match", px_pattern_match_cb},
	    {"gmatch", px_pattern_gmatch_cb},
	    {"gsub", px_pattern_gsub_cb},
	    {NULL, NULL},
	};

	lua_getglobal (L, LUA_STRLIBNAME);
	luaL_setfuncs (L, functions, 0);
	lua_pop (L, 1);
}
