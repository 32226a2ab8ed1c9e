/* bk-booking-index.c: every occurrence of every booking, searchable
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingIndex"

#include "config.h"

#include <string.h>

#include "bk-booking-index.h"

/* New spans wait in a small sorted buffer and are merged into the big
 * sorted array when there are more than this: adding costs a memmove of at
 * most PENDING_MAX spans plus an amortised O(n / PENDING_MAX), never a
 * memmove of the whole array; a query searches both by bisection. */
#define PENDING_MAX 1024

typedef struct
{
  gint64 start;
  gint64 end;
  guint  entry;
  guint  occurrence;   /* index into the entry's occurrences */
} Span;

typedef struct
{
  GArray  *spans;      /* Span, sorted by (start, entry) */
  GArray  *pending;    /* Span, sorted likewise, at most PENDING_MAX (but in bulk) */
  gint64   max_length;
  guint    n_dead;
} SpanList;

typedef struct
{
  BkBooking *booking;
  GArray    *occurrences;   /* BkOccurrence, sorted */
  char     **keys;          /* participant keys */
} Entry;

struct _BkBookingIndex
{
  gint64      early_join;
  GPtrArray  *entries;       /* Entry*, NULL once removed */
  GHashTable *by_uid;        /* uid (owned by the booking) -> entry id + 1 */
  SpanList    all;
  GHashTable *bridges;       /* bridge id -> SpanList* */
  GHashTable *participants;  /* key -> GArray of guint entry ids */
  guint       n_live;
  gboolean    bulk;          /* building: merge once at the end */
};

static void
span_list_init (SpanList *list)
{
  list->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  list->pending = g_array_new (FALSE, FALSE, sizeof (Span));
  list->max_length = 0;
  list->n_dead = 0;
}

static SpanList *
span_list_new (void)
{
  SpanList *list = g_new0 (SpanList, 1);

  span_list_init (list);
  return list;
}

static void
span_list_clear (SpanList *list)
{
  g_array_unref (list->spans);
  g_array_unref (list->pending);
}

static void
span_list_free (SpanList *list)
{
  span_list_clear (list);
  g_free (list);
}

static void
entry_free (Entry *entry)
{
  if (entry == NULL)
    return;
  bk_booking_unref (entry->booking);
  g_array_unref (entry->occurrences);
  g_strfreev (entry->keys);
  g_free (entry);
}

BkBookingIndex *
bk_booking_index_new (gint64 early_join)
{
  BkBookingIndex *index = g_new0 (BkBookingIndex, 1);

  index->early_join = MAX (0, early_join);
  index->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  index->by_uid = g_hash_table_new (g_str_hash, g_str_equal);
  span_list_init (&index->all);
  index->bridges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) span_list_free);
  index->participants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  return index;
}

void
bk_booking_index_free (BkBookingIndex *index)
{
  if (index == NULL)
    return;
  g_hash_table_unref (index->by_uid);
  g_ptr_array_unref (index->entries);
  span_list_clear (&index->all);
  g_hash_table_unref (index->bridges);
  g_hash_table_unref (index->participants);
  g_free (index);
}

gint64
bk_booking_index_get_early_join (BkBookingIndex *index)
{
  return index->early_join;
}

static void
span_list_shift (SpanList *list,
                 gint64    delta)
{
  /* Every start moves by the same amount: the order stays. */
  for (guint i = 0; i < list->spans->len; i++)
    g_array_index (list->spans, Span, i).start -= delta;
  for (guint i = 0; i < list->pending->len; i++)
    g_array_index (list->pending, Span, i).start -= delta;
  list->max_length += delta;
}

void
bk_booking_index_set_early_join (BkBookingIndex *index,
                                 gint64          early_join)
{
  GHashTableIter iter;
  gpointer value;
  gint64 delta;

  g_return_if_fail (index != NULL);

  early_join = MAX (0, early_join);
  delta = early_join - index->early_join;
  if (delta == 0)
    return;
  index->early_join = early_join;
  g_hash_table_iter_init (&iter, index->bridges);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    span_list_shift (value, delta);
}

static int
span_cmp (gconstpointer a,
          gconstpointer b)
{
  const Span *sa = a, *sb = b;

  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  return (sa->entry > sb->entry) - (sa->entry < sb->entry);
}

/* First span whose start >= @t. */
static guint
lower_bound (GArray *spans,
             gint64  t)
{
  guint lo = 0, hi = spans->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (spans, Span, mid).start < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
span_alive (BkBookingIndex *index,
            const Span     *span)
{
  return g_ptr_array_index (index->entries, span->entry) != NULL;
}

/* Sorts the pending spans into the sorted array (backwards, in place) and
 * drops the spans of removed bookings. */
static void
span_list_merge (BkBookingIndex *index,
                 SpanList       *list)
{
  GArray *a = list->spans;
  GArray *p = list->pending;
  guint n = a->len, m = 0, j = 0;

  for (guint i = 0; i < p->len; i++)
    if (span_alive (index, &g_array_index (p, Span, i)))
      g_array_index (p, Span, m++) = g_array_index (p, Span, i);
  g_array_set_size (p, m);
  g_array_sort (p, span_cmp);

  if (list->n_dead > 0)
    {
      guint k = 0;

      for (guint i = 0; i < n; i++)
        if (span_alive (index, &g_array_index (a, Span, i)))
          g_array_index (a, Span, k++) = g_array_index (a, Span, i);
      n = k;
      list->n_dead = 0;
    }

  g_array_set_size (a, n + m);
  /* Merge from the back: i walks the old spans, j the pending ones. */
  j = m;
  for (guint out = n + m, i = n; j > 0; )
    {
      const Span *x = i > 0 ? &g_array_index (a, Span, i - 1) : NULL;
      const Span *y = &g_array_index (p, Span, j - 1);

      if (x != NULL && span_cmp (x, y) > 0)
        {
          g_array_index (a, Span, --out) = *x;
          i--;
        }
      else
        {
          g_array_index (a, Span, --out) = *y;
          j--;
        }
    }
  g_array_set_size (p, 0);
}

static void
span_list_add (BkBookingIndex *index,
               SpanList       *list,
               const Span     *spans,
               guint           n)
{
  for (guint i = 0; i < n; i++)
    list->max_length = MAX (list->max_length, spans[i].end - spans[i].start);
  if (index->bulk)
    g_array_append_vals (list->pending, spans, n);   /* sorted by the merge at the end */
  else if (n > 16)
    {
      g_array_append_vals (list->pending, spans, n);
      g_array_sort (list->pending, span_cmp);
    }
  else
    for (guint i = 0; i < n; i++)
      /* After the spans with the same start: they have lower entry ids. */
      g_array_insert_val (list->pending, lower_bound (list->pending, spans[i].start + 1), spans[i]);
  if (list->pending->len > PENDING_MAX && !index->bulk)
    span_list_merge (index, list);
}

static void
span_list_prepare (BkBookingIndex *index,
                   SpanList       *list)
{
  /* Drop the spans of removed bookings once they are half the list. */
  if (list->n_dead > 0 && list->n_dead * 2 >= list->spans->len + list->pending->len)
    span_list_merge (index, list);
}

static guint
entry_id_of (BkBookingIndex *index,
             const char     *uid)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (index->by_uid, uid));
}

gboolean
bk_booking_index_remove (BkBookingIndex *index,
                         const char     *uid)
{
  guint id1 = entry_id_of (index, uid);
  Entry *entry;
  SpanList *bridge;

  if (id1 == 0)
    return FALSE;

  entry = g_ptr_array_index (index->entries, id1 - 1);
  g_hash_table_remove (index->by_uid, uid);

  index->all.n_dead += entry->occurrences->len;
  bridge = *entry->booking->bridge_id != '\0' && bk_booking_uses_bridge (entry->booking)
    ? g_hash_table_lookup (index->bridges, entry->booking->bridge_id) : NULL;
  if (bridge != NULL)
    bridge->n_dead += entry->occurrences->len;

  /* Participant lists keep the stale id; lookups skip removed entries. */
  entry_free (entry);
  g_ptr_array_index (index->entries, id1 - 1) = NULL;
  index->n_live--;
  return TRUE;
}

gboolean
bk_booking_index_put (BkBookingIndex *index,
                      BkBooking      *booking)
{
  g_autoptr(GArray) occurrences = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  Entry *entry;
  guint id;

  g_return_val_if_fail (index != NULL && booking != NULL, FALSE);

  occurrences = bk_booking_expand_all (booking, NULL);
  if (occurrences == NULL)
    return FALSE;

  bk_booking_index_remove (index, booking->uid);

  id = index->entries->len;
  entry = g_new0 (Entry, 1);
  entry->booking = bk_booking_ref (booking);
  entry->occurrences = g_steal_pointer (&occurrences);

  /* The series' participants, and those of meetings with their own. */
  keys = g_ptr_array_new ();
  for (guint l = 0; l <= booking->exceptions->len; l++)
    {
      GPtrArray *list = booking->participants;

      if (l > 0)
        {
          const BkBookingException *e = g_ptr_array_index (booking->exceptions, l - 1);

          if (e->cancelled || e->participants == NULL)
            continue;
          list = e->participants;
        }
      for (guint i = 0; i < list->len; i++)
        {
          const BkParticipant *p = g_ptr_array_index (list, i);
          char *key = bk_participant_address_key (p->address);
          GArray *ids = g_hash_table_lookup (index->participants, key);

          if (ids == NULL)
            {
              ids = g_array_new (FALSE, FALSE, sizeof (guint));
              g_hash_table_insert (index->participants, g_strdup (key), ids);
            }
          if (ids->len == 0 || g_array_index (ids, guint, ids->len - 1) != id)
            g_array_append_val (ids, id);
          g_ptr_array_add (keys, key);
        }
    }
  g_ptr_array_add (keys, NULL);
  entry->keys = (char **) g_ptr_array_free (g_steal_pointer (&keys), FALSE);

  g_ptr_array_add (index->entries, entry);
  g_hash_table_insert (index->by_uid, booking->uid, GUINT_TO_POINTER (id + 1));
  index->n_live++;

  spans = g_array_sized_new (FALSE, FALSE, sizeof (Span), entry->occurrences->len);
  for (guint i = 0; i < entry->occurrences->len; i++)
    {
      const BkOccurrence *o = &g_array_index (entry->occurrences, BkOccurrence, i);
      Span s = { o->start, o->end, id, i };

      g_array_append_val (spans, s);
    }
  span_list_add (index, &index->all, (Span *) spans->data, spans->len);

  if (bk_booking_uses_bridge (booking) && *booking->bridge_id != '\0')
    {
      SpanList *bridge = g_hash_table_lookup (index->bridges, booking->bridge_id);

      if (bridge == NULL)
        {
          bridge = span_list_new ();
          g_hash_table_insert (index->bridges, g_strdup (booking->bridge_id), bridge);
        }
      for (guint i = 0; i < spans->len; i++)
        g_array_index (spans, Span, i).start -= index->early_join;
      span_list_add (index, bridge, (Span *) spans->data, spans->len);
    }
  return TRUE;
}

BkBooking *
bk_booking_index_lookup (BkBookingIndex *index,
                         const char     *uid)
{
  guint id1 = entry_id_of (index, uid);

  return id1 == 0 ? NULL : ((Entry *) g_ptr_array_index (index->entries, id1 - 1))->booking;
}

guint
bk_booking_index_get_n_bookings (BkBookingIndex *index)
{
  return index->n_live;
}

BkBookingIndex *
bk_booking_index_new_from (gint64     early_join,
                           GPtrArray *bookings)
{
  BkBookingIndex *index = bk_booking_index_new (early_join);
  GHashTableIter iter;
  gpointer value;

  index->bulk = TRUE;
  for (guint i = 0; i < bookings->len; i++)
    {
      BkBooking *b = g_ptr_array_index (bookings, i);

      if (!bk_booking_index_put (index, b))
        g_warning ("The booking %s (“%s”) has times that cannot be read; it is kept but not shown",
                   b->uid, b->title);
    }
  index->bulk = FALSE;

  span_list_merge (index, &index->all);
  g_hash_table_iter_init (&iter, index->bridges);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    span_list_merge (index, value);
  return index;
}

GPtrArray *
bk_booking_index_dup_bookings (BkBookingIndex *index)
{
  GPtrArray *out = g_ptr_array_new_full (index->n_live, (GDestroyNotify) bk_booking_unref);

  for (guint i = 0; i < index->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (index->entries, i);

      if (entry != NULL)
        g_ptr_array_add (out, bk_booking_ref (entry->booking));
    }
  return out;
}

GArray *
bk_booking_index_get_occurrences (BkBookingIndex *index,
                                  const char     *uid)
{
  guint id1 = entry_id_of (index, uid);

  return id1 == 0 ? NULL : ((Entry *) g_ptr_array_index (index->entries, id1 - 1))->occurrences;
}

static int
indexed_cmp (gconstpointer a,
             gconstpointer b)
{
  const BkIndexedOccurrence *x = a, *y = b;

  if (x->occurrence.start != y->occurrence.start)
    return x->occurrence.start < y->occurrence.start ? -1 : 1;
  return (x->occurrence.recurrence_id > y->occurrence.recurrence_id) -
         (x->occurrence.recurrence_id < y->occurrence.recurrence_id);
}

static gboolean
take_span (BkBookingIndex *index,
           const Span     *s,
           gint64          from,
           gint64          to,
           guint           except,
           gboolean        holdings,
           GArray         *out)
{
  Entry *entry;
  BkIndexedOccurrence io;

  if (s->end <= from || s->start >= to || s->entry + 1 == except)
    return FALSE;
  entry = g_ptr_array_index (index->entries, s->entry);
  if (entry == NULL)
    return FALSE;
  io.booking = entry->booking;
  io.occurrence = g_array_index (entry->occurrences, BkOccurrence, s->occurrence);
  if (holdings)
    io.occurrence.start = s->start;
  g_array_append_val (out, io);
  return TRUE;
}

static void
query_list_into (BkBookingIndex *index,
                 SpanList       *list,
                 gint64          from,
                 gint64          to,
                 const char     *except_uid,
                 gboolean        holdings,
                 GArray         *out)
{
  guint except = except_uid != NULL ? entry_id_of (index, except_uid) : 0;
  gboolean unsorted = FALSE;

  g_array_set_size (out, 0);
  if (list == NULL)
    return;

  span_list_prepare (index, list);
  for (guint i = lower_bound (list->spans, from - list->max_length); i < list->spans->len; i++)
    {
      const Span *s = &g_array_index (list->spans, Span, i);

      if (s->start >= to)
        break;
      take_span (index, s, from, to, except, holdings, out);
    }
  for (guint i = lower_bound (list->pending, from - list->max_length); i < list->pending->len; i++)
    {
      const Span *s = &g_array_index (list->pending, Span, i);

      if (s->start >= to)
        break;
      unsorted |= take_span (index, s, from, to, except, holdings, out);
    }
  if (unsorted)
    g_array_sort (out, indexed_cmp);
}

static GArray *
query_list (BkBookingIndex *index,
            SpanList       *list,
            gint64          from,
            gint64          to,
            const char     *except_uid,
            gboolean        holdings)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (BkIndexedOccurrence));

  query_list_into (index, list, from, to, except_uid, holdings, out);
  return out;
}

GArray *
bk_booking_index_query (BkBookingIndex *index,
                        const char     *bridge_id,
                        gint64          from,
                        gint64          to)
{
  GArray *out;

  g_return_val_if_fail (index != NULL, NULL);

  if (bridge_id == NULL)
    return query_list (index, &index->all, from, to, NULL, FALSE);

  out = query_list (index, g_hash_table_lookup (index->bridges, bridge_id), from - index->early_join,
                    to + index->early_join, NULL, FALSE);
  /* Slot lists hold the early join; give back the meetings' own times. */
  for (guint i = 0; i < out->len; )
    {
      BkIndexedOccurrence *io = &g_array_index (out, BkIndexedOccurrence, i);

      if (io->occurrence.start >= to || io->occurrence.end <= from)
        g_array_remove_index (out, i);
      else
        i++;
    }
  return out;
}

void
bk_booking_index_query_slots_into (BkBookingIndex *index,
                                   const char     *bridge_id,
                                   gint64          from,
                                   gint64          to,
                                   const char     *except_uid,
                                   GArray         *out)
{
  g_return_if_fail (index != NULL && bridge_id != NULL && out != NULL);
  query_list_into (index, g_hash_table_lookup (index->bridges, bridge_id), from, to, except_uid, TRUE, out);
}

GArray *
bk_booking_index_query_slots (BkBookingIndex *index,
                              const char     *bridge_id,
                              gint64          from,
                              gint64          to,
                              const char     *except_uid)
{
  g_return_val_if_fail (index != NULL && bridge_id != NULL, NULL);
  return query_list (index, g_hash_table_lookup (index->bridges, bridge_id), from, to, except_uid, TRUE);
}

GPtrArray *
bk_booking_index_bookings_with_participant (BkBookingIndex *index,
                                            const char     *key,
                                            const char     *except_uid)
{
  GPtrArray *out = g_ptr_array_new ();
  GArray *ids = g_hash_table_lookup (index->participants, key);
  guint except = except_uid != NULL ? entry_id_of (index, except_uid) : 0;

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      guint id = g_array_index (ids, guint, i);
      Entry *entry = g_ptr_array_index (index->entries, id);
      gboolean still = FALSE;

      if (entry == NULL || id + 1 == except)
        continue;
      /* The entry may have been replaced without this participant. */
      for (char **k = entry->keys; *k != NULL; k++)
        if (g_str_equal (*k, key))
          still = TRUE;
      if (still)
        g_ptr_array_add (out, entry->booking);
    }
  return out;
}
