/* bk-booking-rules.c: what a booking must satisfy before it is saved
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingRules"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bk-booking-rules.h"

/* Dates named in one sentence before "and N more". */
#define MAX_DATES_NAMED 5
/* Steps tried when looking for the next free time. */
#define MAX_NEXT_FREE_STEPS 500

void
bk_booking_plan_free (BkBookingPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_object (&plan->bridge);
  g_free (plan->slot_address);
  g_free (plan);
}

void
bk_booking_conflict_free (BkBookingConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->bridge_id);
  g_clear_pointer (&conflict->in_the_way, g_ptr_array_unref);
  g_clear_pointer (&conflict->dates, g_array_unref);
  g_clear_pointer (&conflict->next_free_times, g_array_unref);
  g_free (conflict);
}

static BkBookingConflict *
conflict_new (void)
{
  BkBookingConflict *c = g_new0 (BkBookingConflict, 1);

  c->in_the_way = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);
  c->dates = g_array_new (FALSE, FALSE, sizeof (gint64));
  c->next_free_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  return c;
}

static void
add_in_the_way (BkBookingConflict *c,
                BkBooking         *b)
{
  for (guint i = 0; i < c->in_the_way->len; i++)
    if (g_ptr_array_index (c->in_the_way, i) == b)
      return;
  g_ptr_array_add (c->in_the_way, bk_booking_ref (b));
}

/* Sentences */

static int
in_the_way_cmp (gconstpointer a,
                gconstpointer b)
{
  const BkBooking *ba = *(BkBooking * const *) a;
  const BkBooking *bb = *(BkBooking * const *) b;

  if (ba->slot_number != bb->slot_number)
    return ba->slot_number < bb->slot_number ? -1 : 1;
  return g_utf8_collate (ba->title, bb->title);
}

static char *
titles_of (GPtrArray *bookings)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < bookings->len; i++)
    {
      const BkBooking *b = g_ptr_array_index (bookings, i);

      if (i > 0)
        g_string_append (s, i + 1 == bookings->len ? _(" and ") : _(", "));
      g_string_append_printf (s, _("“%s”"), b->title);
    }
  return g_string_free (s, FALSE);
}

static char *
dates_of (GArray    *dates,
          GTimeZone *tz)
{
  GString *s = g_string_new (NULL);
  guint named = MIN (dates->len, MAX_DATES_NAMED);

  for (guint i = 0; i < named; i++)
    {
      g_autofree char *d = bk_booking_format_date (g_array_index (dates, gint64, i), tz);

      if (i > 0)
        g_string_append (s, i + 1 == named && named == dates->len ? _(" and ") : _(", "));
      g_string_append (s, d);
    }
  if (dates->len > named)
    {
      guint rest = dates->len - named;

      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, " and %u more date", " and %u more dates", rest),
                              rest);
    }
  return g_string_free (s, FALSE);
}

/* Appends @sentence after a space, except after a full-width full stop,
 * question or exclamation mark (Chinese puts no space between sentences). */
static void
append_sentence (GString    *s,
                 const char *sentence)
{
  if (s->len > 0 &&
      !g_str_has_suffix (s->str, "。") && !g_str_has_suffix (s->str, "！") && !g_str_has_suffix (s->str, "？"))
    g_string_append_c (s, ' ');
  g_string_append (s, sentence);
}

/* Bridges */

static gboolean
bridge_can_book (BkDevice  *bridge,
                 GError   **error)
{
  const char *name = bk_device_get_display_name (bridge);

  if (!bk_device_has_extended_settings (bridge))
    {
      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_BRIDGE_NOT_READY,
                   _("“%s” cannot take bookings until its extended settings (domain and numeric ID range) are set. Set them in the bridge’s settings, or choose another bridge."),
                   name);
      return FALSE;
    }
  if (!(bk_device_get_access_levels (bridge) & BK_ACCESS_LEVEL_BOOK))
    {
      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_NOT_ALLOWED,
                   _("You do not have permission to book meetings on “%s”. Ask for Book permission, or choose another bridge."),
                   name);
      return FALSE;
    }
  if (!bk_device_get_allow_booking (bridge))
    {
      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_NOT_ALLOWED,
                   _("Booking is turned off for “%s” (Allow Booking). Turn it on in the bridge’s settings, or choose another bridge."),
                   name);
      return FALSE;
    }
  return TRUE;
}

static BkDevice *
find_bridge (const BkBookingRules *rules,
             const char           *id)
{
  for (guint i = 0; rules->bridges != NULL && i < rules->bridges->len; i++)
    {
      BkDevice *d = g_ptr_array_index (rules->bridges, i);

      if (g_strcmp0 (bk_device_get_id (d), id) == 0)
        return d;
    }
  return NULL;
}

/* Capacity */

typedef struct
{
  gint64 t;
  int    delta;
} Event;

static int
event_cmp (gconstpointer a,
           gconstpointer b)
{
  const Event *ea = a, *eb = b;

  if (ea->t != eb->t)
    return ea->t < eb->t ? -1 : 1;
  return ea->delta - eb->delta;   /* ends (-1) before starts at the same instant */
}

/* The first sub-interval of [@a, @b) in which @holdings (their starts
 * include the early join) hold @quantity slots or more.  FALSE when none. */
static gboolean
find_full (GArray *holdings,
           gint64  a,
           gint64  b,
           guint   quantity,
           gint64 *full_start,
           gint64 *full_end)
{
  g_autoptr(GArray) events = NULL;
  int count = 0;
  gboolean in_full = FALSE;

  if (holdings->len < quantity)
    return FALSE;

  events = g_array_sized_new (FALSE, FALSE, sizeof (Event), holdings->len * 2);
  for (guint i = 0; i < holdings->len; i++)
    {
      const BkIndexedOccurrence *h = &g_array_index (holdings, BkIndexedOccurrence, i);
      Event s = { MAX (h->occurrence.start, a), +1 };
      Event e = { MIN (h->occurrence.end, b), -1 };

      if (s.t >= e.t)
        continue;
      g_array_append_val (events, s);
      g_array_append_val (events, e);
    }
  g_array_sort (events, event_cmp);

  for (guint i = 0; i < events->len; i++)
    {
      const Event *ev = &g_array_index (events, Event, i);

      count += ev->delta;
      if (!in_full && count >= (int) quantity)
        {
          in_full = TRUE;
          *full_start = ev->t;
        }
      else if (in_full && count < (int) quantity)
        {
          *full_end = ev->t;
          return TRUE;
        }
    }
  if (in_full)
    {
      *full_end = b;
      return TRUE;
    }
  return FALSE;
}

/* The next start at or after @start at which a meeting of @duration fits on
 * @bridge; 0 when none is found within MAX_NEXT_FREE_STEPS steps. */
static gint64
next_free (BkBookingIndex *index,
           BkDevice       *bridge,
           const char     *except_uid,
           gint64          start,
           gint64          duration)
{
  gint64 early = bk_booking_index_get_early_join (index);
  guint quantity = bk_device_get_numeric_id_quantity (bridge);
  gint64 t = start;

  for (guint step = 0; step < MAX_NEXT_FREE_STEPS; step++)
    {
      g_autoptr(GArray) holdings = bk_booking_index_query_slots (index, bk_device_get_id (bridge),
                                                                 t - early, t + duration, except_uid);
      gint64 full_start, full_end;
      gint64 soonest = G_MAXINT64;

      if (!find_full (holdings, t - early, t + duration, quantity, &full_start, &full_end))
        return t;

      /* Nothing can change before one of the holdings at the full time ends. */
      for (guint i = 0; i < holdings->len; i++)
        {
          const BkIndexedOccurrence *h = &g_array_index (holdings, BkIndexedOccurrence, i);

          if (h->occurrence.start <= full_start && h->occurrence.end > full_start)
            soonest = MIN (soonest, h->occurrence.end);
        }
      if (soonest == G_MAXINT64)
        return 0;
      t = MAX (t + 60, soonest + early);
    }
  return 0;
}

typedef struct
{
  BkBookingConflict *conflict;   /* NULL when everything fits */
  guint8            *used_slots; /* one flag per slot of the bridge, used alongside */
} Fit;

static void
fit_clear (Fit *fit)
{
  g_clear_pointer (&fit->conflict, bk_booking_conflict_free);
  g_clear_pointer (&fit->used_slots, g_free);
}

/* Checks capacity on @bridge for @occurrences (those still to come). */
static void
check_capacity (BkBookingIndex *index,
                BkDevice       *bridge,
                BkBooking      *candidate,
                GArray         *occurrences,
                Fit            *fit)
{
  gint64 early = bk_booking_index_get_early_join (index);
  guint quantity = bk_device_get_numeric_id_quantity (bridge);
  guint64 base = bk_device_get_numeric_id_base (bridge);
  g_autoptr(GArray) holdings = g_array_new (FALSE, FALSE, sizeof (BkIndexedOccurrence));

  fit->used_slots = g_new0 (guint8, quantity);

  for (guint i = 0; i < occurrences->len; i++)
    {
      const BkOccurrence *o = &g_array_index (occurrences, BkOccurrence, i);
      gint64 full_start, full_end;

      bk_booking_index_query_slots_into (index, bk_device_get_id (bridge), o->start - early, o->end,
                                         candidate->uid, holdings);
      for (guint j = 0; j < holdings->len; j++)
        {
          const BkIndexedOccurrence *h = &g_array_index (holdings, BkIndexedOccurrence, j);

          if (h->booking->slot_number >= base && h->booking->slot_number - base < quantity)
            fit->used_slots[h->booking->slot_number - base] = 1;
        }

      if (!find_full (holdings, o->start - early, o->end, quantity, &full_start, &full_end))
        continue;

      if (fit->conflict == NULL)
        {
          fit->conflict = conflict_new ();
          fit->conflict->bridge_id = g_strdup (bk_device_get_id (bridge));
          fit->conflict->busy_start = full_start;
          fit->conflict->busy_end = full_end;
          for (guint j = 0; j < holdings->len; j++)
            {
              const BkIndexedOccurrence *h = &g_array_index (holdings, BkIndexedOccurrence, j);

              if (h->occurrence.start < full_end && h->occurrence.end > full_start)
                add_in_the_way (fit->conflict, h->booking);
            }
        }
      /* Every refused occurrence that the sentence names gets its own
       * offer (the others are only counted there). */
      {
        gint64 offer = 0;

        if (fit->conflict->dates->len < MAX_DATES_NAMED)
          offer = next_free (index, bridge, candidate->uid, o->start, o->end - o->start);
        if (fit->conflict->dates->len == 0)
          fit->conflict->next_free = offer;
        g_array_append_val (fit->conflict->dates, o->start);
        g_array_append_val (fit->conflict->next_free_times, offer);
      }
    }
}

static guint64
choose_slot (BkDevice     *bridge,
             BkBooking    *candidate,
             const guint8 *used)
{
  guint64 base = bk_device_get_numeric_id_base (bridge);
  guint quantity = bk_device_get_numeric_id_quantity (bridge);

  /* A change keeps its slot (and so its address) while it is free. */
  if (g_strcmp0 (candidate->bridge_id, bk_device_get_id (bridge)) == 0 &&
      candidate->slot_number >= base && candidate->slot_number < base + quantity &&
      !used[candidate->slot_number - base])
    return candidate->slot_number;

  for (guint i = 0; i < quantity; i++)
    if (!used[i])
      return base + i;
  return 0;
}

static char *
capacity_sentence (BkDevice          *bridge,
                   BkBooking         *candidate,
                   BkBookingConflict *c,
                   GTimeZone         *tz,
                   gboolean           series)
{
  g_autofree char *from = bk_booking_format_time (c->busy_start, tz);
  g_autofree char *to = bk_booking_format_time (c->busy_end, tz);
  g_autofree char *titles = titles_of (c->in_the_way);
  guint quantity = bk_device_get_numeric_id_quantity (bridge);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "“%s” has no free meeting slot from %s to %s: its %u slot is taken by %s.",
                                       "“%s” has no free meeting slot from %s to %s: its %u slots are taken by %s.",
                                       quantity),
                          bk_device_get_display_name (bridge), from, to, quantity, titles);
  if (series)
    {
      g_autofree char *dates = dates_of (c->dates, tz);
      g_autofree char *sentence = g_strdup_printf (_("The series does not fit on %s."), dates);

      append_sentence (s, sentence);
    }
  if (!series || c->dates->len == 1)
    {
      if (c->next_free != 0)
        {
          g_autofree char *next = bk_booking_format_time (c->next_free, tz);
          g_autofree char *sentence = g_strdup_printf (_("The next free time for a meeting this long is %s."), next);

          append_sentence (s, sentence);
        }
    }
  else
    {
      /* A series: an offer for each refused meeting named, each saying
       * which meeting it replaces. */
      GString *offers = g_string_new (NULL);
      guint named = MIN (c->dates->len, MAX_DATES_NAMED);
      guint n_offers = 0;

      for (guint i = 0; i < named; i++)
        {
          gint64 offer = g_array_index (c->next_free_times, gint64, i);
          g_autofree char *instead = bk_booking_format_time (g_array_index (c->dates, gint64, i), tz);
          g_autofree char *next = NULL;

          if (offer == 0)
            /* Translators: the meeting at %s has no free time found. */
            next = g_strdup_printf (_("none found for %s"), instead);
          else
            {
              g_autofree char *when = bk_booking_format_time (offer, tz);

              n_offers++;
              /* Translators: "<free time> instead of <refused meeting's time>". */
              next = g_strdup_printf (_("%s instead of %s"), when, instead);
            }
          if (i > 0)
            g_string_append (offers, i + 1 == named ? _(" and ") : _(", "));
          g_string_append (offers, next);
        }
      if (n_offers > 0)
        {
          g_autofree char *sentence = g_strdup_printf (_("The next free times for meetings this long: %s."),
                                                       offers->str);

          append_sentence (s, sentence);
        }
      if (c->dates->len > named)
        {
          guint rest = c->dates->len - named;
          g_autofree char *sentence =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Change the series to find a free time for the other %u meeting.",
                                          "Change the series to find a free time for the other %u meetings.",
                                          rest),
                             rest);

          append_sentence (s, sentence);
        }
      g_string_free (offers, TRUE);
    }
  return g_string_free (s, FALSE);
}

/* Participants */

static int
gint64_cmp (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gboolean
overlaps_any (GArray        *others,
              gint64         start,
              gint64         end,
              gint64         max_length,
              BkOccurrence  *hit)
{
  guint lo = 0, hi = others->len;

  /* First occurrence that starts at or after start - max_length. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (others, BkOccurrence, mid).start < start - max_length)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < others->len; i++)
    {
      const BkOccurrence *o = &g_array_index (others, BkOccurrence, i);

      if (o->start >= end)
        break;
      if (o->end > start)
        {
          *hit = *o;
          return TRUE;
        }
    }
  return FALSE;
}

/*
 * A participant is busy during a meeting's own times, [start, end): the
 * early join is not part of it.  This is TMS's rule (booking-engine.md,
 * "Early join"): "Allow Participants to Join 5 Minutes Early" allocates the
 * conference on the bridge 5 minutes before the start, best effort, and TMS
 * does not dial out before the scheduled start.  So the early join holds a
 * slot (the capacity rule counts it) but not a person: someone in a meeting
 * that ends at 10:00 can be booked into one that starts at 10:00 with a
 * 5-minute early join, whichever way they are connected (a dial-in
 * participant may join early, but need not).  Only a real overlap of the
 * meetings' times is refused.  (The engine today starts the call at the
 * early join and dials Automatic Connect participants at once; to match
 * TMS and this rule it should dial them at the start.)
 */
/* The occurrences of @booking among @occurrences that the participant with
 * key @key is in: @occurrences itself (not a copy) when no meeting of it has
 * participants of its own, else a new array (free it with *@owned). */
static GArray *
occurrences_with (BkBooking  *booking,
                  GArray     *occurrences,
                  const char *key,
                  GArray    **owned)
{
  GArray *out;

  *owned = NULL;
  if (!bk_booking_has_occurrence_participants (booking))
    return occurrences;
  out = g_array_new (FALSE, FALSE, sizeof (BkOccurrence));
  for (guint i = 0; i < occurrences->len; i++)
    {
      const BkOccurrence *o = &g_array_index (occurrences, BkOccurrence, i);

      if (bk_booking_occurrence_has_participant (booking, o->recurrence_id, key))
        g_array_append_val (out, *o);
    }
  *owned = out;
  return out;
}

/* Every participant of @candidate once (by address key): the series', then
 * those only some of its meetings have. */
static GPtrArray *
all_participants (BkBooking *candidate)
{
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint l = 0; l <= candidate->exceptions->len; l++)
    {
      GPtrArray *list = candidate->participants;

      if (l > 0)
        {
          const BkBookingException *e = g_ptr_array_index (candidate->exceptions, l - 1);

          if (e->cancelled || e->participants == NULL)
            continue;
          list = e->participants;
        }
      for (guint i = 0; i < list->len; i++)
        {
          BkParticipant *p = g_ptr_array_index (list, i);
          char *key = bk_participant_address_key (p->address);

          if (g_hash_table_contains (seen, key))
            g_free (key);
          else
            {
              g_hash_table_add (seen, key);
              g_ptr_array_add (out, p);
            }
        }
    }
  return out;
}

static gboolean
check_participants (BkBookingIndex     *index,
                    BkBooking          *candidate,
                    GArray             *occurrences,
                    GTimeZone          *tz,
                    BkBookingConflict **conflict,
                    GError            **error)
{
  g_autoptr(GPtrArray) participants = all_participants (candidate);

  /* Each meeting with its own participants: only they are busy in it. */
  for (guint p = 0; p < participants->len; p++)
    {
      const BkParticipant *participant = g_ptr_array_index (participants, p);
      g_autofree char *key = bk_participant_address_key (participant->address);
      g_autoptr(GPtrArray) others = bk_booking_index_bookings_with_participant (index, key, candidate->uid);
      g_autoptr(BkBookingConflict) c = NULL;
      g_autoptr(GArray) mine_owned = NULL;
      GArray *my_occurrences = occurrences_with (candidate, occurrences, key, &mine_owned);
      BkOccurrence first_hit = { 0 };
      gint64 first_mine = G_MAXINT64;

      for (guint b = 0; b < others->len; b++)
        {
          BkBooking *other = g_ptr_array_index (others, b);
          g_autoptr(GArray) theirs_owned = NULL;
          GArray *theirs = occurrences_with (other, bk_booking_index_get_occurrences (index, other->uid),
                                             key, &theirs_owned);
          gint64 max_length = 0;

          for (guint i = 0; i < theirs->len; i++)
            {
              const BkOccurrence *o = &g_array_index (theirs, BkOccurrence, i);

              max_length = MAX (max_length, o->end - o->start);
            }

          for (guint i = 0; i < my_occurrences->len; i++)
            {
              const BkOccurrence *mine = &g_array_index (my_occurrences, BkOccurrence, i);
              BkOccurrence hit;

              if (!overlaps_any (theirs, mine->start, mine->end, max_length, &hit))
                continue;
              if (c == NULL)
                c = conflict_new ();
              if (mine->start < first_mine)
                {
                  first_mine = mine->start;
                  first_hit = hit;
                  c->busy_start = hit.start;
                  c->busy_end = hit.end;
                }
              add_in_the_way (c, other);
              g_array_append_val (c->dates, mine->start);
            }
        }

      if (c != NULL)
        {
          g_autofree char *when = NULL;
          g_autofree char *titles = NULL;
          g_autofree char *who = *participant->name != '\0'
            ? g_strdup_printf (_("%s (%s)"), participant->name, participant->address)
            : g_strdup (participant->address);
          GString *s = g_string_new (NULL);
          guint n = 0;

          g_array_sort (c->dates, gint64_cmp);
          for (guint i = 0; i < c->dates->len; i++)
            if (n == 0 || g_array_index (c->dates, gint64, i) != g_array_index (c->dates, gint64, n - 1))
              g_array_index (c->dates, gint64, n++) = g_array_index (c->dates, gint64, i);
          g_array_set_size (c->dates, n);
          g_ptr_array_sort (c->in_the_way, in_the_way_cmp);
          when = bk_booking_format_time (first_hit.start, tz);
          titles = titles_of (c->in_the_way);
          g_string_append_printf (s, _("%s is already in %s at %s, which overlaps this meeting."),
                                  who, titles, when);
          if (candidate->recurrence.kind != BK_RECURRENCE_NONE)
            {
              g_autofree char *dates = dates_of (c->dates, tz);
              g_autofree char *sentence = g_strdup_printf (_("The clash is on %s."), dates);

              append_sentence (s, sentence);
            }
          append_sentence (s, _("Remove the participant or choose another time."));
          g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_PARTICIPANT_BUSY, s->str);
          g_string_free (s, TRUE);
          if (conflict != NULL)
            *conflict = g_steal_pointer (&c);
          return FALSE;
        }
    }
  return TRUE;
}

/* The rules */

gboolean
bk_booking_rules_check (const BkBookingRules  *rules,
                        BkBookingIndex        *index,
                        BkBooking             *candidate,
                        BkBookingPlan        **plan,
                        BkBookingConflict    **conflict,
                        GError               **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) coming = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autofree char *title = NULL;
  BkBooking *existing;
  Fit first_fit = { NULL, NULL };
  BkDevice *first_bridge = NULL;

  g_return_val_if_fail (rules != NULL && index != NULL && candidate != NULL, FALSE);
  g_return_val_if_fail (plan == NULL || *plan == NULL, FALSE);
  g_return_val_if_fail (conflict == NULL || *conflict == NULL, FALSE);

  title = g_strstrip (g_strdup (candidate->title));
  if (*title == '\0')
    {
      g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_EMPTY_TITLE,
                           _("The meeting has no title. Enter a title."));
      return FALSE;
    }

  tz = g_time_zone_new_identifier (candidate->time_zone);
  if (tz == NULL || candidate->start == NULL || candidate->end == NULL)
    {
      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_TIME_ZONE,
                   _("The time zone “%s” is not known. Choose a time zone from the list."),
                   candidate->time_zone);
      return FALSE;
    }

  if (bk_booking_get_duration (candidate) <= 0)
    {
      g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_BAD_TIMES,
                           _("The meeting ends before it starts. Choose an end time after the start."));
      return FALSE;
    }

  for (guint i = 0; i < candidate->exceptions->len; i++)
    {
      const BkBookingException *e = g_ptr_array_index (candidate->exceptions, i);

      if (!e->cancelled && e->title != NULL)
        {
          g_autofree char *own = g_strstrip (g_strdup (e->title));

          if (*own == '\0')
            {
              g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_EMPTY_TITLE,
                                   _("The meeting has no title. Enter a title."));
              return FALSE;
            }
        }
      if (!e->cancelled && g_date_time_to_unix (e->end) <= g_date_time_to_unix (e->start))
        {
          g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_BAD_TIMES,
                               _("A moved meeting of the series ends before it starts. Choose an end time after the start."));
          return FALSE;
        }
    }

  if (!bk_booking_validate_recurrence (candidate, error))
    return FALSE;

  all = bk_booking_expand_all (candidate, error);
  if (all == NULL)
    return FALSE;
  if (all->len == 0)
    {
      g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                           _("Every meeting of the series is cancelled. Delete the series instead."));
      return FALSE;
    }

  existing = bk_booking_index_lookup (index, candidate->uid);
  if ((existing == NULL ||
       g_date_time_to_unix (existing->start) != g_date_time_to_unix (candidate->start)) &&
      g_array_index (all, BkOccurrence, 0).start < rules->now)
    {
      g_autofree char *when = bk_booking_format_time (g_array_index (all, BkOccurrence, 0).start, tz);

      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_IN_PAST,
                   _("The meeting would start in the past (%s). Choose a later start."), when);
      return FALSE;
    }

  /* A meeting of the series moved (again) may not go into the past. */
  for (guint i = 0; i < candidate->exceptions->len; i++)
    {
      const BkBookingException *e = g_ptr_array_index (candidate->exceptions, i);
      const BkBookingException *before = existing != NULL
        ? bk_booking_find_exception (existing, g_date_time_to_unix (e->recurrence_id)) : NULL;

      if (e->cancelled || g_date_time_to_unix (e->start) >= rules->now)
        continue;
      if (before != NULL && !before->cancelled &&
          g_date_time_to_unix (before->start) == g_date_time_to_unix (e->start))
        continue;
      {
        g_autofree char *when = bk_booking_format_time (g_date_time_to_unix (e->start), tz);

        g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_IN_PAST,
                     _("The meeting would start in the past (%s). Choose a later start."), when);
        return FALSE;
      }
    }

  /* Occurrences already over are history: not checked again. */
  coming = g_array_new (FALSE, FALSE, sizeof (BkOccurrence));
  for (guint i = 0; i < all->len; i++)
    if (g_array_index (all, BkOccurrence, i).end > rules->now)
      g_array_append_val (coming, g_array_index (all, BkOccurrence, i));

  {
    g_autoptr(GPtrArray) participants = all_participants (candidate);

    for (guint i = 0; i < participants->len; i++)
      {
        const BkParticipant *p = g_ptr_array_index (participants, i);

        if (!bk_participant_validate_address (p->address, error))
          return FALSE;
      }
  }

  if (!check_participants (index, candidate, coming, tz, conflict, error))
    return FALSE;

  if (!bk_booking_uses_bridge (candidate))
    {
      if (plan != NULL)
        {
          *plan = g_new0 (BkBookingPlan, 1);
          (*plan)->slot_address = g_strdup ("");
        }
      return TRUE;
    }

  /* The bridges to try, in order. */
  order = g_ptr_array_new ();
  if (!candidate->automatic_bridge)
    {
      BkDevice *bridge = find_bridge (rules, candidate->bridge_id);

      if (bridge == NULL)
        {
          g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_NO_BRIDGE,
                               _("The bridge chosen for this meeting is not in the list of bridges. Choose another bridge, or Automatic."));
          return FALSE;
        }
      if (!bridge_can_book (bridge, error))
        return FALSE;
      g_ptr_array_add (order, bridge);
    }
  else
    {
      BkDevice *current = *candidate->bridge_id != '\0' ? find_bridge (rules, candidate->bridge_id) : NULL;
      BkDevice *preferred = rules->preferred_bridge_id != NULL && *rules->preferred_bridge_id != '\0'
        ? find_bridge (rules, rules->preferred_bridge_id) : NULL;

      /* A change stays where it is (and keeps its address) while it fits. */
      if (current != NULL && bridge_can_book (current, NULL))
        g_ptr_array_add (order, current);
      if (preferred != NULL && preferred != current && bridge_can_book (preferred, NULL))
        g_ptr_array_add (order, preferred);
      for (guint i = 0; rules->bridges != NULL && i < rules->bridges->len; i++)
        {
          BkDevice *d = g_ptr_array_index (rules->bridges, i);

          if (d != preferred && d != current && bridge_can_book (d, NULL))
            g_ptr_array_add (order, d);
        }
      if (order->len == 0)
        {
          g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_NO_BRIDGE,
                               _("No bridge can take bookings yet. Add a bridge and set its domain and numeric ID range, or book the meeting as No Connect."));
          return FALSE;
        }
    }

  for (guint b = 0; b < order->len; b++)
    {
      BkDevice *bridge = g_ptr_array_index (order, b);
      Fit fit = { NULL, NULL };
      guint64 slot;

      check_capacity (index, bridge, candidate, coming, &fit);
      if (fit.conflict == NULL && (slot = choose_slot (bridge, candidate, fit.used_slots)) != 0)
        {
          if (plan != NULL)
            {
              g_autofree char *address = g_strdup_printf ("%" G_GUINT64_FORMAT "@%s", slot,
                                                          bk_device_get_domain (bridge));

              *plan = g_new0 (BkBookingPlan, 1);
              (*plan)->bridge = g_object_ref (bridge);
              (*plan)->slot_number = slot;
              (*plan)->slot_address = g_steal_pointer (&address);
            }
          fit_clear (&fit);
          fit_clear (&first_fit);
          return TRUE;
        }

      if (first_bridge == NULL)
        {
          first_bridge = bridge;
          first_fit = fit;
        }
      else
        fit_clear (&fit);
    }

  /* Nothing fits: explain it on the first bridge tried. */
  if (first_fit.conflict != NULL)
    {
      g_autofree char *sentence = NULL;
      GString *s = g_string_new (NULL);

      /* The dates come in order (the occurrences are sorted), aligned
       * with their offers. */
      g_ptr_array_sort (first_fit.conflict->in_the_way, in_the_way_cmp);
      sentence = capacity_sentence (first_bridge, candidate, first_fit.conflict, tz,
                                    candidate->recurrence.kind != BK_RECURRENCE_NONE);
      g_string_append (s, sentence);
      if (order->len > 1)
        {
          append_sentence (s, _("No other bridge has room at that time either."));
        }
      g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_CAPACITY, s->str);
      g_string_free (s, TRUE);
      if (conflict != NULL)
        *conflict = g_steal_pointer (&first_fit.conflict);
    }
  else
    g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_NO_SLOT,
                 _("Every meeting slot of “%s” is taken at some time during this series, so no single meeting address can serve all of its meetings. Book the meetings that clash separately, or choose another bridge."),
                 bk_device_get_display_name (first_bridge));

  fit_clear (&first_fit);
  return FALSE;
}
