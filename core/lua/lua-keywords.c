/* lua-keywords.c: px.keywords, a keyword matcher compiled once from labelled terms and run over
 * a practice's text: the words folded as the index folds them (text/words.h), terms as word
 * sequences, a trailing '*' a word prefix. The compiled matcher is C memory in a userdata with
 * __gc; matching allocates only in the matcher's own scratch, so a Lua error leaks nothing. */
#define G_LOG_DOMAIN "PxLuaKeywords"

#include <lauxlib.h>
#include <string.h>

#include "lua-keywords.h"
#include "text/words.h"

#define PX_KEYWORDS_METATABLE "px.keywords.matcher"
/* bounds of what a matcher holds and reads */
#define PX_KEYWORDS_MAX_TEXT (64 * 1024 * 1024)
#define PX_KEYWORDS_MAX_RULES 10000
#define PX_KEYWORDS_MAX_TERMS 200000
#define PX_KEYWORDS_MAX_LABEL 100
#define PX_KEYWORDS_MAX_TERM 1000
#define PX_KEYWORDS_MAX_TERM_WORDS 16
/* a prefix shorter than this would match half the words of a language */
#define PX_KEYWORDS_MIN_PREFIX_CHARS 3
#define PX_KEYWORDS_NONE G_MAXUINT32

/* the folding of characters U+0080 .. PX_KEYWORDS_FOLD_LIMIT - 1 is cached in pages made on first
 * use; a character past it is folded each time it is met */
#define PX_KEYWORDS_FOLD_PAGE 256
#define PX_KEYWORDS_FOLD_LIMIT 0x3000
#define PX_KEYWORDS_FOLD_CACHED 13

typedef struct {
	guint8 known;	/* filled in */
	guint8 is_word; /* a word character (px_words_is_word_char) */
	guint8 len;	/* of text; > PX_KEYWORDS_FOLD_CACHED: too long to cache */
	char text[PX_KEYWORDS_FOLD_CACHED];
} PxKeywordsFold;

/* a node of the trie of the terms' first words, one byte per edge: built as lists of siblings,
 * then its edges laid out sorted in one array for the matching (px_keywords_freeze) */
typedef struct {
	guint32 first_child;
	guint32 next_sibling;
	guint32 first_edge; /* in PxKeywordsMatcher.edge_bytes and edge_nodes */
	guint32 n_edges;
	guint32 exact_terms;  /* terms whose first word ends here, linked by PxKeywordsTerm.next */
	guint32 prefix_terms; /* terms whose first word is a prefix ending here */
	guint8 byte;
} PxKeywordsNode;

typedef struct {
	guint32 label;
	guint32 n_words;    /* the first (in the trie) and the rest, in words from first_word */
	guint32 first_word; /* index in PxKeywordsMatcher.words of the second word */
	guint32 next;	    /* the next term at the same trie node */
} PxKeywordsTerm;

/* a word of a term after its first, in the matcher's pool of folded text */
typedef struct {
	guint32 offset;
	guint32 len;
	gboolean is_prefix;
} PxKeywordsWord;

/* a word of the text matched: folded in the scratch, and where it stood in the text */
typedef struct {
	gsize offset;
	gsize len;
	gsize start; /* byte offsets in the text: start, and end (exclusive) */
	gsize end;
} PxKeywordsSpan;

typedef struct {
	GPtrArray *labels;	 /* (element-type utf8) in the order first met */
	GHashTable *label_index; /* label (owned by labels) -> index + 1 */
	GArray *nodes;		 /* PxKeywordsNode, [0] the root */
	guint32 root[256];	 /* the root's children by byte; 0: none */
	guint32 *root2;		 /* the nodes two bytes down, by those bytes (b0 << 8 | b1) */
	guint8 *edge_bytes;	 /* each node's children's bytes, sorted, from its first_edge */
	guint32 *edge_nodes;	 /* and the children */
	GArray *terms;		 /* PxKeywordsTerm */
	GArray *words;		 /* PxKeywordsWord */
	GString *pool;		 /* the folded words of the terms */
	PxKeywordsFold *fold_pages[PX_KEYWORDS_FOLD_LIMIT / PX_KEYWORDS_FOLD_PAGE];
	/* the scratch of one call: the text folded, its words, and per label a count and the
	 * position counted last */
	GString *folded;
	GArray *spans;
	GArray *prefixes; /* gboolean per span of a term: a prefix */
	guint32 *counts;
	gsize *last_counted;
	/* a term that starts in the text's first heavy_bytes counts heavy_weight times */
	gsize heavy_bytes;
	guint32 heavy_weight;
} PxKeywordsMatcher;

static void
px_keywords_matcher_free (PxKeywordsMatcher *matcher)
{
	if (matcher == NULL)
		return;
	g_ptr_array_unref (matcher->labels);
	g_hash_table_unref (matcher->label_index);
	g_array_unref (matcher->nodes);
	g_free (matcher->root2);
	g_free (matcher->edge_bytes);
	g_free (matcher->edge_nodes);
	g_array_unref (matcher->terms);
	g_array_unref (matcher->words);
	g_string_free (matcher->pool, TRUE);
	for (guint i = 0; i < G_N_ELEMENTS (matcher->fold_pages); i++)
		g_free (matcher->fold_pages[i]);
	g_string_free (matcher->folded, TRUE);
	g_array_unref (matcher->spans);
	g_array_unref (matcher->prefixes);
	g_free (matcher->counts);
	g_free (matcher->last_counted);
	g_free (matcher);
}

static PxKeywordsMatcher *
px_keywords_matcher_new (void)
{
	PxKeywordsMatcher *matcher = g_new0 (PxKeywordsMatcher, 1);
	PxKeywordsNode root = {0, 0, 0, 0, PX_KEYWORDS_NONE, PX_KEYWORDS_NONE, 0};

	matcher->labels = g_ptr_array_new_with_free_func (g_free);
	matcher->label_index = g_hash_table_new (g_str_hash, g_str_equal);
	matcher->nodes = g_array_new (FALSE, FALSE, sizeof (PxKeywordsNode));
	g_array_append_val (matcher->nodes, root);
	matcher->terms = g_array_new (FALSE, FALSE, sizeof (PxKeywordsTerm));
	matcher->words = g_array_new (FALSE, FALSE, sizeof (PxKeywordsWord));
	matcher->pool = g_string_new (NULL);
	matcher->folded = g_string_new (NULL);
	matcher->spans = g_array_new (FALSE, FALSE, sizeof (PxKeywordsSpan));
	matcher->prefixes = g_array_new (FALSE, FALSE, sizeof (gboolean));
	return matcher;
}

/* Returns: (transfer none): the folding of @ch (>= U+0080), from the cache or into @buffer
 * (PX_WORDS_FOLD_UNICHAR_MAX + 1 bytes); *@len its length, *@is_word whether @ch is a word's */
static const char *
px_keywords_fold_char (PxKeywordsMatcher *matcher, gunichar ch, char *buffer, gsize *len,
		       gboolean *is_word)
{
	PxKeywordsFold *fold;
	gsize folded_len;

	if (ch >= PX_KEYWORDS_FOLD_LIMIT) {
		*is_word = px_words_is_word_char (ch);
		*len = *is_word ? px_words_fold_unichar (ch, buffer) : 0;
		return buffer;
	}
	if (matcher->fold_pages[ch / PX_KEYWORDS_FOLD_PAGE] == NULL)
		matcher->fold_pages[ch / PX_KEYWORDS_FOLD_PAGE] =
		    g_new0 (PxKeywordsFold, PX_KEYWORDS_FOLD_PAGE);
	fold = &matcher->fold_pages[ch / PX_KEYWORDS_FOLD_PAGE][ch % PX_KEYWORDS_FOLD_PAGE];
	if (!fold->known) {
		fold->known = TRUE;
		fold->is_word = px_words_is_word_char (ch);
		folded_len = fold->is_word ? px_words_fold_unichar (ch, buffer) : 0;
		/* a final sigma is the sigma a capital one folds to */
		if (folded_len == 2 && memcmp (buffer, "\xcf\x82", 2) == 0)
			memcpy (buffer, "\xcf\x83", 2);
		fold->len = (guint8)MIN (folded_len, PX_KEYWORDS_FOLD_CACHED + 1);
		if (folded_len <= PX_KEYWORDS_FOLD_CACHED)
			memcpy (fold->text, buffer, folded_len);
	}
	*is_word = fold->is_word;
	if (fold->len > PX_KEYWORDS_FOLD_CACHED) {
		*len = px_words_fold_unichar (ch, buffer);
		return buffer;
	}
	*len = fold->len;
	return fold->text;
}

/* g_ascii_tolower without its call: it is made for every ASCII byte of a text */
static inline char
px_keywords_ascii_lower (char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* folds @text into matcher->folded, its words into matcher->spans (emptied first); for a term
 * (@is_term), matcher->prefixes tells of each word whether a '*' follows it: a prefix */
static void
px_keywords_scan (PxKeywordsMatcher *matcher, const char *text, gsize length, gboolean is_term)
{
	GArray *prefixes = is_term ? matcher->prefixes : NULL;
	const char *end = text + length;
	PxKeywordsSpan span = {0, 0, 0, 0};
	gboolean in_word = FALSE;
	char buffer[PX_WORDS_FOLD_UNICHAR_MAX + 1];
	gsize width = 1;

	gsize out = 0; /* the folded text's length; matcher->folded is kept longer, to write in */
	guint n_spans = 0;
	char *folded_text;

	/* room for the ASCII of the text; a character that folds longer grows it */
	g_string_set_size (matcher->folded, length + PX_WORDS_FOLD_UNICHAR_MAX + 1);
	folded_text = matcher->folded->str;
	g_array_set_size (matcher->spans, 0);
	if (prefixes != NULL)
		g_array_set_size (prefixes, 0);
	for (const char *cursor = text;; cursor += width) {
		gboolean is_word = FALSE;
		const char *folded = NULL;
		gsize folded_len = 0;

		width = 1;
		/* the common case first: a run of ASCII letters and digits inside a word */
		if (in_word) {
			while (cursor < end && g_ascii_isalnum (*cursor))
				folded_text[out++] = px_keywords_ascii_lower (*cursor++);
		}
		if (cursor < end && (guchar)*cursor < 0x80) {
			is_word = g_ascii_isalnum (*cursor);
			buffer[0] = px_keywords_ascii_lower (*cursor);
			folded = buffer;
			folded_len = 1;
		} else if (cursor < end) {
			gunichar ch = g_utf8_get_char_validated (cursor, end - cursor);

			/* a byte that is no UTF-8 ends a word, as a space would */
			if (ch != (gunichar)-1 && ch != (gunichar)-2) {
				width = (gsize)(g_utf8_next_char (cursor) - cursor);
				folded = px_keywords_fold_char (matcher, ch, buffer, &folded_len,
								&is_word);
			}
		}
		if (is_word) {
			if (!in_word) {
				span.offset = out;
				span.start = (gsize)(cursor - text);
				in_word = TRUE;
			}
			if (out + folded_len + 1 > matcher->folded->len) {
				g_string_set_size (matcher->folded,
						   matcher->folded->len * 2 + folded_len);
				folded_text = matcher->folded->str;
			}
			memcpy (folded_text + out, folded, folded_len);
			out += folded_len;
		} else if (in_word) {
			in_word = FALSE;
			span.len = out - span.offset;
			span.end = (gsize)(cursor - text);
			/* a word of marks alone folds to nothing: no word */
			if (span.len > 0) {
				gboolean is_prefix = cursor < end && *cursor == '*';

				/* written in place: g_array_append_val is a call a word */
				if (n_spans == matcher->spans->len)
					g_array_set_size (matcher->spans, MAX (64, 2 * n_spans));
				g_array_index (matcher->spans, PxKeywordsSpan, n_spans++) = span;
				if (prefixes != NULL)
					g_array_append_val (prefixes, is_prefix);
			}
		}
		if (cursor == end)
			break;
	}
	g_string_truncate (matcher->folded, out);
	g_array_set_size (matcher->spans, n_spans);
}

/* lays the children of every node out sorted by byte, for px_keywords_next() */
static void
px_keywords_freeze (PxKeywordsMatcher *matcher)
{
	guint32 n_edges = 0;

	/* the two widest levels read directly: 256 KiB */
	matcher->root2 = g_new0 (guint32, 256 * 256);
	for (guint b0 = 0; b0 < 256; b0++) {
		if (matcher->root[b0] == 0)
			continue;
		for (guint32 child =
			 g_array_index (matcher->nodes, PxKeywordsNode, matcher->root[b0])
			     .first_child;
		     child != 0;
		     child = g_array_index (matcher->nodes, PxKeywordsNode, child).next_sibling)
			matcher->root2[b0 << 8 |
				       g_array_index (matcher->nodes, PxKeywordsNode, child).byte] =
			    child;
	}
	matcher->edge_bytes = g_new (guint8, MAX (matcher->nodes->len, 1));
	matcher->edge_nodes = g_new (guint32, MAX (matcher->nodes->len, 1));
	for (guint32 i = 1; i < matcher->nodes->len; i++) {
		PxKeywordsNode *node = &g_array_index (matcher->nodes, PxKeywordsNode, i);

		node->first_edge = n_edges;
		for (guint32 child = node->first_child; child != 0;) {
			const PxKeywordsNode *next =
			    &g_array_index (matcher->nodes, PxKeywordsNode, child);
			guint32 at = n_edges++;

			/* insertion into the sorted run: nodes have a few children */
			while (at > node->first_edge && matcher->edge_bytes[at - 1] > next->byte) {
				matcher->edge_bytes[at] = matcher->edge_bytes[at - 1];
				matcher->edge_nodes[at] = matcher->edge_nodes[at - 1];
				at--;
			}
			matcher->edge_bytes[at] = next->byte;
			matcher->edge_nodes[at] = child;
			child = next->next_sibling;
		}
		node->n_edges = n_edges - node->first_edge;
	}
}

/* Returns: the child of @node by @byte in the frozen trie, 0: none */
static guint32
px_keywords_next (const PxKeywordsMatcher *matcher, guint32 node, guint8 byte)
{
	const PxKeywordsNode *from;
	const guint8 *bytes;
	guint32 low = 0, high;

	if (node == 0)
		return matcher->root[byte];
	from = &g_array_index (matcher->nodes, PxKeywordsNode, node);
	bytes = matcher->edge_bytes + from->first_edge;
	high = from->n_edges;
	while (low < high) {
		guint32 middle = (low + high) / 2;

		if (bytes[middle] == byte)
			return matcher->edge_nodes[from->first_edge + middle];
		if (bytes[middle] < byte)
			low = middle + 1;
		else
			high = middle;
	}
	return 0;
}

/* Returns: the child of @node by @byte, made when there is none (while compiling) */
static guint32
px_keywords_child (PxKeywordsMatcher *matcher, guint32 node, guint8 byte)
{
	PxKeywordsNode child = {0, 0, 0, 0, PX_KEYWORDS_NONE, PX_KEYWORDS_NONE, byte};
	guint32 index;

	if (node == 0) {
		index = matcher->root[byte];
	} else {
		index = g_array_index (matcher->nodes, PxKeywordsNode, node).first_child;
		while (index != 0 &&
		       g_array_index (matcher->nodes, PxKeywordsNode, index).byte != byte)
			index = g_array_index (matcher->nodes, PxKeywordsNode, index).next_sibling;
	}
	if (index != 0)
		return index;
	index = matcher->nodes->len;
	if (node == 0) {
		matcher->root[byte] = index;
	} else {
		PxKeywordsNode *parent = &g_array_index (matcher->nodes, PxKeywordsNode, node);
		child.next_sibling = parent->first_child;
		parent->first_child = index;
	}
	g_array_append_val (matcher->nodes, child);
	return index;
}

/* Returns: the label's index, added when new */
static guint32
px_keywords_add_label (PxKeywordsMatcher *matcher, const char *label)
{
	gpointer found = g_hash_table_lookup (matcher->label_index, label);
	char *copy;

	if (found != NULL)
		return GPOINTER_TO_UINT (found) - 1;
	copy = g_strdup (label);
	g_ptr_array_add (matcher->labels, copy);
	g_hash_table_insert (matcher->label_index, copy, GUINT_TO_POINTER (matcher->labels->len));
	return matcher->labels->len - 1;
}

/* adds the term whose words px_keywords_scan() left in the scratch */
static void
px_keywords_add_term (PxKeywordsMatcher *matcher, guint32 label)
{
	GArray *prefixes = matcher->prefixes;
	const PxKeywordsSpan *spans = (const PxKeywordsSpan *)matcher->spans->data;
	const char *folded = matcher->folded->str;
	PxKeywordsTerm term = {label, matcher->spans->len, matcher->words->len, PX_KEYWORDS_NONE};
	guint32 node = 0;
	PxKeywordsNode *end;

	for (gsize i = 0; i < spans[0].len; i++)
		node = px_keywords_child (matcher, node, (guint8)folded[spans[0].offset + i]);
	for (guint i = 1; i < matcher->spans->len; i++) {
		PxKeywordsWord word = {(guint32)matcher->pool->len, (guint32)spans[i].len,
				       g_array_index (prefixes, gboolean, i)};
		g_string_append_len (matcher->pool, folded + spans[i].offset, (gssize)spans[i].len);
		g_array_append_val (matcher->words, word);
	}
	end = &g_array_index (matcher->nodes, PxKeywordsNode, node);
	if (g_array_index (prefixes, gboolean, 0)) {
		term.next = end->prefix_terms;
		end->prefix_terms = matcher->terms->len;
	} else {
		term.next = end->exact_terms;
		end->exact_terms = matcher->terms->len;
	}
	g_array_append_val (matcher->terms, term);
}

/* Returns: (transfer none): the matcher of the userdata at @index, raising when it is none */
static PxKeywordsMatcher *
px_keywords_check (lua_State *L, int index)
{
	PxKeywordsMatcher **slot = luaL_checkudata (L, index, PX_KEYWORDS_METATABLE);

	if (*slot == NULL)
		luaL_error (L, "px.keywords: the matcher is closed");
	return *slot;
}

static int
px_keywords_gc (lua_State *L)
{
	PxKeywordsMatcher **slot = luaL_checkudata (L, 1, PX_KEYWORDS_METATABLE);

	px_keywords_matcher_free (*slot);
	*slot = NULL;
	return 0;
}

/* raises unless the term's words, now in the scratch, make a term */
static void
px_keywords_check_term (lua_State *L, PxKeywordsMatcher *matcher, lua_Integer rule, lua_Integer n)
{
	GArray *prefixes = matcher->prefixes;
	const PxKeywordsSpan *spans = (const PxKeywordsSpan *)matcher->spans->data;

	if (matcher->spans->len == 0)
		luaL_error (L, "px.keywords.compile: rule %d, term %d has no words", (int)rule,
			    (int)n);
	if (matcher->spans->len > PX_KEYWORDS_MAX_TERM_WORDS)
		luaL_error (L, "px.keywords.compile: rule %d, term %d has more than %d words",
			    (int)rule, (int)n, PX_KEYWORDS_MAX_TERM_WORDS);
	for (guint i = 0; i < matcher->spans->len; i++) {
		if (g_array_index (prefixes, gboolean, i) &&
		    g_utf8_strlen (matcher->folded->str + spans[i].offset, (gssize)spans[i].len) <
			PX_KEYWORDS_MIN_PREFIX_CHARS)
			luaL_error (L,
				    "px.keywords.compile: rule %d, term %d: a prefix needs at "
				    "least %d letters",
				    (int)rule, (int)n, PX_KEYWORDS_MIN_PREFIX_CHARS);
	}
}

/* compiles the rule at the top of the stack, the @rule-th, into @matcher */
static void
px_keywords_compile_rule (lua_State *L, PxKeywordsMatcher *matcher, lua_Integer rule)
{
	const char *label;
	size_t length;
	guint32 label_index;
	lua_Integer n_terms;

	if (!lua_istable (L, -1))
		luaL_error (L, "px.keywords.compile: rule %d is not a table", (int)rule);
	lua_getfield (L, -1, "label"); /* stack: rules matcher rule label */
	label = lua_type (L, -1) == LUA_TSTRING ? lua_tolstring (L, -1, &length) : NULL;
	if (label == NULL || length == 0 || length > PX_KEYWORDS_MAX_LABEL ||
	    strlen (label) != length || !g_utf8_validate (label, (gssize)length, NULL))
		luaL_error (
		    L, "px.keywords.compile: rule %d needs a label (a string of 1 to %d bytes)",
		    (int)rule, PX_KEYWORDS_MAX_LABEL);
	label_index = px_keywords_add_label (matcher, label);
	lua_pop (L, 1);		       /* stack: rules matcher rule */
	lua_getfield (L, -1, "terms"); /* stack: rules matcher rule terms */
	if (!lua_istable (L, -1))
		luaL_error (L, "px.keywords.compile: rule %d needs terms (a list of strings)",
			    (int)rule);
	n_terms = luaL_len (L, -1);
	for (lua_Integer n = 1; n <= n_terms; n++) {
		const char *term;

		lua_geti (L, -1, n); /* stack: rules matcher rule terms term */
		term = lua_type (L, -1) == LUA_TSTRING ? lua_tolstring (L, -1, &length) : NULL;
		if (term == NULL || length > PX_KEYWORDS_MAX_TERM)
			luaL_error (L,
				    "px.keywords.compile: rule %d, term %d is not a string of at "
				    "most %d bytes",
				    (int)rule, (int)n, PX_KEYWORDS_MAX_TERM);
		if (matcher->terms->len >= PX_KEYWORDS_MAX_TERMS)
			luaL_error (L, "px.keywords.compile: more than %d terms",
				    PX_KEYWORDS_MAX_TERMS);
		px_keywords_scan (matcher, term, length, TRUE);
		px_keywords_check_term (L, matcher, rule, n);
		px_keywords_add_term (matcher, label_index);
		lua_pop (L, 1); /* stack: rules matcher rule terms */
	}
	lua_pop (L, 1); /* stack: rules matcher rule */
}

/* px.keywords.compile(rules): rules a list of {label = "...", terms = {"...", ...}} */
static int
px_keywords_compile (lua_State *L)
{
	PxKeywordsMatcher **slot;
	PxKeywordsMatcher *matcher;
	lua_Integer n_rules;

	luaL_checktype (L, 1, LUA_TTABLE);
	lua_settop (L, 1);
	n_rules = luaL_len (L, 1);
	if (n_rules > PX_KEYWORDS_MAX_RULES)
		return luaL_error (L, "px.keywords.compile: more than %d rules",
				   PX_KEYWORDS_MAX_RULES);
	/* the matcher is the userdata's from its birth: a raise from here on leaves it to __gc */
	slot = lua_newuserdatauv (L, sizeof (PxKeywordsMatcher *), 0);
	*slot = NULL;
	luaL_setmetatable (L, PX_KEYWORDS_METATABLE); /* stack: rules matcher */
	matcher = *slot = px_keywords_matcher_new ();
	for (lua_Integer rule = 1; rule <= n_rules; rule++) {
		lua_geti (L, 1, rule); /* stack: rules matcher rule */
		px_keywords_compile_rule (L, matcher, rule);
		lua_pop (L, 1); /* stack: rules matcher */
	}
	px_keywords_freeze (matcher);
	matcher->counts = g_new0 (guint32, MAX (matcher->labels->len, 1));
	matcher->last_counted = g_new0 (gsize, MAX (matcher->labels->len, 1));
	return 1;
}

/* Returns: TRUE if the words of @term after its first follow the text's word @position */
static gboolean
px_keywords_term_follows (const PxKeywordsMatcher *matcher, const PxKeywordsTerm *term,
			  guint position)
{
	const PxKeywordsSpan *spans = (const PxKeywordsSpan *)matcher->spans->data;

	if (position + term->n_words > matcher->spans->len)
		return FALSE;
	for (guint32 i = 1; i < term->n_words; i++) {
		const PxKeywordsWord *word =
		    &g_array_index (matcher->words, PxKeywordsWord, term->first_word + i - 1);
		const PxKeywordsSpan *span = &spans[position + i];

		if (span->len < word->len || (!word->is_prefix && span->len != word->len) ||
		    memcmp (matcher->folded->str + span->offset, matcher->pool->str + word->offset,
			    word->len) != 0)
			return FALSE;
	}
	return TRUE;
}

typedef struct {
	guint32 label;
	guint32 n_words; /* 0: no term yet */
} PxKeywordsBest;

/* counts each label met at @position once, or keeps in @best the longest term there (first
 * compiled first among equals) */
static void
px_keywords_hit (PxKeywordsMatcher *matcher, const PxKeywordsTerm *term, guint position,
		 PxKeywordsBest *best)
{
	if (best != NULL) {
		if (term->n_words > best->n_words ||
		    (term->n_words == best->n_words && term->label < best->label)) {
			best->label = term->label;
			best->n_words = term->n_words;
		}
		return;
	}
	if (matcher->last_counted[term->label] == position + 1)
		return;
	matcher->last_counted[term->label] = position + 1;
	matcher->counts[term->label] +=
	    g_array_index (matcher->spans, PxKeywordsSpan, position).start < matcher->heavy_bytes
		? matcher->heavy_weight
		: 1;
}

/* the terms that start at the text's word @position: its first word walked down the trie, the
 * prefixes met on the way and the words ending where it ends */
static void
px_keywords_run (PxKeywordsMatcher *matcher, guint position, PxKeywordsBest *best)
{
	const PxKeywordsSpan *span = &g_array_index (matcher->spans, PxKeywordsSpan, position);
	const char *word = matcher->folded->str + span->offset;
	guint32 node = 0;

	for (gsize k = 0; k < span->len; k++) {
		const PxKeywordsNode *reached;

		if (k == 1)
			node = matcher->root2[(guint8)word[0] << 8 | (guint8)word[1]];
		else
			node = px_keywords_next (matcher, node, (guint8)word[k]);
		if (node == 0)
			return;
		reached = &g_array_index (matcher->nodes, PxKeywordsNode, node);
		for (guint32 t = reached->prefix_terms; t != PX_KEYWORDS_NONE;) {
			const PxKeywordsTerm *term =
			    &g_array_index (matcher->terms, PxKeywordsTerm, t);
			if (px_keywords_term_follows (matcher, term, position))
				px_keywords_hit (matcher, term, position, best);
			t = term->next;
		}
		if (k + 1 < span->len)
			continue;
		for (guint32 t = reached->exact_terms; t != PX_KEYWORDS_NONE;) {
			const PxKeywordsTerm *term =
			    &g_array_index (matcher->terms, PxKeywordsTerm, t);
			if (px_keywords_term_follows (matcher, term, position))
				px_keywords_hit (matcher, term, position, best);
			t = term->next;
		}
	}
}

/* Returns: (transfer none): the matcher at 1, with the text at 2 scanned into its scratch */
static PxKeywordsMatcher *
px_keywords_check_scan (lua_State *L, const char *what, gboolean count)
{
	PxKeywordsMatcher *matcher = px_keywords_check (L, 1);
	size_t length;
	const char *text = luaL_checklstring (L, 2, &length);
	lua_Integer heavy_bytes = count ? luaL_optinteger (L, 3, 0) : 0;
	lua_Integer heavy_weight = count ? luaL_optinteger (L, 4, 2) : 1;

	if (length > PX_KEYWORDS_MAX_TEXT)
		luaL_error (L, "px.keywords: %s: the text is longer than %d bytes", what,
			    PX_KEYWORDS_MAX_TEXT);
	luaL_argcheck (L, heavy_bytes >= 0, 3, "must not be negative");
	luaL_argcheck (L, heavy_weight >= 1 && heavy_weight <= 1000, 4, "must be 1 to 1000");
	matcher->heavy_bytes = (gsize)heavy_bytes;
	matcher->heavy_weight = (guint32)heavy_weight;
	px_keywords_scan (matcher, text, length, FALSE);
	if (!count)
		return matcher;
	memset (matcher->counts, 0, sizeof (guint32) * matcher->labels->len);
	memset (matcher->last_counted, 0, sizeof (gsize) * matcher->labels->len);
	for (guint i = 0; i < matcher->spans->len; i++)
		px_keywords_run (matcher, i, NULL);
	return matcher;
}

/* matcher:match(text [, heavy_bytes [, weight]]): the labels whose terms occur in text, each
 * once, in the rules' order */
static int
px_keywords_match (lua_State *L)
{
	PxKeywordsMatcher *matcher = px_keywords_check_scan (L, "match", TRUE);
	lua_Integer n = 0;

	lua_newtable (L); /* stack: matcher text labels */
	for (guint i = 0; i < matcher->labels->len; i++) {
		if (matcher->counts[i] == 0)
			continue;
		lua_pushstring (L, g_ptr_array_index (matcher->labels, i));
		lua_rawseti (L, -2, ++n); /* stack: matcher text labels */
	}
	return 1;
}

/* matcher:count(text [, heavy_bytes [, weight]]): {label = the number of words of text where
 * a term of label starts}, a word in the first heavy_bytes counting weight (2) times: a title */
static int
px_keywords_count (lua_State *L)
{
	PxKeywordsMatcher *matcher = px_keywords_check_scan (L, "count", TRUE);

	lua_newtable (L); /* stack: matcher text counts */
	for (guint i = 0; i < matcher->labels->len; i++) {
		if (matcher->counts[i] == 0)
			continue;
		lua_pushinteger (L, matcher->counts[i]);
		lua_setfield (L, -2, g_ptr_array_index (matcher->labels, i));
	}
	return 1;
}

/* matcher:find(text): the terms found from left to right, none overlapping, the longest first:
 * a list of {label =, first =, last =}, first and last the bytes of text they span (for
 * string.sub) */
static int
px_keywords_find (lua_State *L)
{
	PxKeywordsMatcher *matcher = px_keywords_check_scan (L, "find", FALSE);
	lua_Integer n = 0;

	lua_newtable (L); /* stack: matcher text found */
	for (guint i = 0; i < matcher->spans->len;) {
		PxKeywordsBest best = {0, 0};
		const PxKeywordsSpan *first, *last;

		px_keywords_run (matcher, i, &best);
		if (best.n_words == 0) {
			i++;
			continue;
		}
		first = &g_array_index (matcher->spans, PxKeywordsSpan, i);
		last = &g_array_index (matcher->spans, PxKeywordsSpan, i + best.n_words - 1);
		lua_createtable (L, 0, 3); /* stack: matcher text found hit */
		lua_pushstring (L, g_ptr_array_index (matcher->labels, best.label));
		lua_setfield (L, -2, "label");
		lua_pushinteger (L, (lua_Integer)first->start + 1);
		lua_setfield (L, -2, "first");
		lua_pushinteger (L, (lua_Integer)last->end);
		lua_setfield (L, -2, "last");
		lua_rawseti (L, -2, ++n); /* stack: matcher text found */
		i += best.n_words;
	}
	return 1;
}

static int
px_keywords_tostring (lua_State *L)
{
	PxKeywordsMatcher *matcher = px_keywords_check (L, 1);

	lua_pushfstring (L, "px.keywords.matcher (%d labels, %d terms)", (int)matcher->labels->len,
			 (int)matcher->terms->len);
	return 1;
}

/* px.keywords.fold(text): the words of text as a matcher reads them, joined by spaces */
static int
px_keywords_fold (lua_State *L)
{
	size_t length;
	const char *text = luaL_checklstring (L, 1, &length);
	PxKeywordsMatcher **slot;
	PxKeywordsMatcher *matcher;
	luaL_Buffer buffer;

	if (length > PX_KEYWORDS_MAX_TEXT)
		return luaL_error (L, "px.keywords.fold: the text is longer than %d bytes",
				   PX_KEYWORDS_MAX_TEXT);
	lua_settop (L, 1);
	slot = lua_newuserdatauv (L, sizeof (PxKeywordsMatcher *), 0);
	*slot = NULL;
	luaL_setmetatable (L, PX_KEYWORDS_METATABLE); /* stack: text matcher */
	matcher = *slot = px_keywords_matcher_new ();
	px_keywords_scan (matcher, text, length, FALSE);
	luaL_buffinit (L, &buffer); /* stack: text matcher buffer... */
	for (guint i = 0; i < matcher->spans->len; i++) {
		const PxKeywordsSpan *span = &g_array_index (matcher->spans, PxKeywordsSpan, i);

		if (i > 0)
			luaL_addchar (&buffer, ' ');
		luaL_addlstring (&buffer, matcher->folded->str + span->offset, span->len);
	}
	luaL_pushresult (&buffer); /* stack: text matcher folded */
	return 1;
}

static const luaL_Reg px_keywords_methods[] = {
    {"match", px_keywords_match},
    {"count", px_keywords_count},
    {"find", px_keywords_find},
    {NULL, NULL},
};

static const luaL_Reg px_keywords_functions[] = {
    {"compile", px_keywords_compile},
    {"fold", px_keywords_fold},
    {NULL, NULL},
};

int
px_lua_keywords_open (lua_State *L)
{
	if (luaL_newmetatable (L, PX_KEYWORDS_METATABLE)) { /* stack: mt */
		luaL_newlib (L, px_keywords_methods);	    /* stack: mt methods */
		lua_setfield (L, -2, "__index");	    /* stack: mt */
		lua_pushcfunction (L, px_keywords_gc);
		lua_setfield (L, -2, "__gc");
		lua_pushcfunction (L, px_keywords_tostring);
		lua_setfield (L, -2, "__tostring");
		lua_pushliteral (L, PX_KEYWORDS_METATABLE);
		lua_setfield (L, -2, "__metatable");
	}
	lua_pop (L, 1);				/* stack: */
	luaL_newlib (L, px_keywords_functions); /* stack: keywords */
	return 1;
}
