/* bk-booking-editor.c: the window that books a meeting or changes one
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingEditor"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "bk-booking-editor.h"
#include "bk-booking-store.h"
#include "bk-calendar-util.h"
#include "bk-ics-export.h"
#include "bk-window.h"

/* The pause in typing after which the rules run. */
#define CHECK_DELAY_MS 300

enum {
  REPEAT_NONE,
  REPEAT_DAILY,
  REPEAT_WEEKLY,
  REPEAT_MONTHLY_BY_DATE,
  REPEAT_MONTHLY_BY_WEEKDAY,
};

enum {
  ENDS_ON_DATE,
  ENDS_AFTER_COUNT,
};

struct _BkBookingEditor
{
  AdwWindow       parent_instance;

  BkApplication  *app;
  BkBookingStore *store;
  /* The booking being changed (NULL for a new one), and the occurrence
   * it was opened from (UTC seconds; 0 when none). */
  BkBooking      *original;
  gint64          occurrence_start;
  /* Opened from one meeting of a series: its original start (the
   * RECURRENCE-ID, UTC seconds; 0 otherwise) and its times now. */
  gint64          occurrence_rid;
  gint64          occurrence_end;
  char           *loaded_pin;    /* the PIN read from the keyring */
  gboolean        disposed;
  /* Device ids in the bridge row's order after "Automatic". */
  GPtrArray      *bridge_ids;
  GtkToggleButton *weekday_buttons[7];

  guint           check_id;
  char           *problem;
  char           *slot_address;
  gboolean        saving;
  gboolean        pin_loading;   /* the stored PIN is being read */
  char           *zone;          /* the chosen IANA zone: always a known one */
  GtkStringList  *zone_names;
  GtkStringFilter *zone_filter;

  /* Template widgets */
  GtkButton       *save_button;
  GtkButton       *export_button;
  GtkRevealer     *problem_revealer;
  GtkLabel        *problem_label;
  AdwEntryRow     *title_row;
  GtkMenuButton   *date_button;
  GtkCalendar     *date_calendar;
  AdwEntryRow     *start_row;
  AdwEntryRow     *end_row;
  AdwActionRow    *zone_row;
  GtkMenuButton   *zone_button;
  GtkPopover      *zone_popover;
  GtkSearchEntry  *zone_search;
  GtkListView     *zone_list;
  AdwComboRow     *repeat_row;
  AdwPreferencesRow *weekdays_row;
  GtkFlowBox      *weekdays_box;
  AdwComboRow     *ends_row;
  AdwEntryRow     *until_row;
  AdwActionRow    *count_row;
  GtkSpinButton   *count_spin;
  AdwComboRow     *type_row;
  AdwComboRow     *bridge_row;
  AdwActionRow    *slot_row;
  AdwPasswordEntryRow *pin_row;
  AdwActionRow    *extend_row;
  GtkSwitch       *extend_switch;
  GtkListBox      *participants_list;
  GtkTextView     *notes_view;
  AdwPreferencesGroup *manage_group;
  GtkButton       *cancel_occurrence_button;
  GtkButton       *cancel_series_button;
};

G_DEFINE_FINAL_TYPE (BkBookingEditor, bk_booking_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void bk_booking_editor_schedule_check (BkBookingEditor *self);
static void bk_booking_editor_changed_cb (BkBookingEditor *self);

/* Form reading */

/* "9:30", "09:30", "0930" or "9" -> minutes since midnight. */
static gboolean
parse_time (const char *text,
            int        *hour,
            int        *minute)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *end = NULL;
  long h;
  long m = 0;

  if (*t == '\0' || !g_ascii_isdigit (*t))
    return FALSE;
  h = strtol (t, &end, 10);
  if (*end == ':' || *end == '.')
    {
      if (!g_ascii_isdigit (end[1]) || !g_ascii_isdigit (end[2]) || end[3] != '\0')
        return FALSE;
      m = strtol (end + 1, &end, 10);
    }
  else if (*end == '\0' && strlen (t) == 4)
    {
      m = h % 100;
      h /= 100;
    }
  else if (*end != '\0' || strlen (t) > 2)
    return FALSE;

  if (h < 0 || h > 23 || m < 0 || m > 59)
    return FALSE;
  *hour = (int) h;
  *minute = (int) m;
  return TRUE;
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  int y, m, d;
  char extra;

  if (sscanf (t, "%d-%d-%d%c", &y, &m, &d, &extra) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static const char *
row_text (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static GtkWidget *
participant_widget (GtkListBoxRow *row,
                    const char    *name)
{
  return g_object_get_data (G_OBJECT (row), name);
}

static GtkListBoxRow *
participant_row (BkBookingEditor *self,
                 guint            index)
{
  return gtk_list_box_get_row_at_index (self->participants_list, (int) index);
}

/* Shows or hides a participant's own sentence (beside the row). */
static void
set_participant_error (GtkListBoxRow *row,
                       const char    *sentence)
{
  GtkWidget *label = participant_widget (row, "error");
  GtkWidget *address = participant_widget (row, "address");

  gtk_label_set_text (GTK_LABEL (label), sentence != NULL ? sentence : "");
  gtk_widget_set_visible (label, sentence != NULL);
  if (sentence != NULL)
    gtk_widget_add_css_class (address, "error");
  else
    gtk_widget_remove_css_class (address, "error");
}

/* The booking the form describes (a copy of the original when changing
 * one), or NULL with the sentence for what cannot be read. */
static BkBooking *
bk_booking_editor_build (BkBookingEditor  *self,
                         GDateTime       **form_start,
                         GDateTime       **form_end,
                         char            **sentence)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->date_calendar);
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(BkBooking) b = NULL;
  const char *zone = self->zone;
  g_autofree char *title = g_strstrip (g_strdup (row_text (self->title_row)));
  GtkTextIter text_start, text_end;
  g_autofree char *notes = NULL;
  GtkTextBuffer *buffer;
  int sh, sm, eh, em;
  guint repeat;
  guint bridge;
  gboolean participant_problem = FALSE;

  *sentence = NULL;
  if (!parse_time (row_text (self->start_row), &sh, &sm))
    {
      *sentence = g_strdup (_("The start time is not a time of day: enter it as hours and minutes, such as 09:30."));
      return NULL;
    }
  if (!parse_time (row_text (self->end_row), &eh, &em))
    {
      *sentence = g_strdup (_("The end time is not a time of day: enter it as hours and minutes, such as 10:30."));
      return NULL;
    }
  /* The chooser offers known zones only. */
  tz = g_time_zone_new_identifier (zone);
  g_assert (tz != NULL);

  start = g_date_time_new (tz, g_date_time_get_year (day), g_date_time_get_month (day),
                           g_date_time_get_day_of_month (day), sh, sm, 0);
  end = g_date_time_new (tz, g_date_time_get_year (day), g_date_time_get_month (day),
                         g_date_time_get_day_of_month (day), eh, em, 0);
  /* An end earlier in the day than the start is on the next day (a
   * meeting across midnight). */
  if (eh * 60 + em < sh * 60 + sm)
    {
      GDateTime *next = g_date_time_add_days (end, 1);

      g_date_time_unref (end);
      end = next;
    }

  if (form_start != NULL)
    *form_start = g_date_time_ref (start);
  if (form_end != NULL)
    *form_end = g_date_time_ref (end);

  if (self->original != NULL && self->occurrence_rid != 0)
    {
      /* The form shows one meeting of the series: for the whole series,
       * its first meeting moves by as many days as this one did, to the
       * time of day shown. */
      g_autoptr(GTimeZone) old_tz = g_time_zone_new_identifier (self->original->time_zone);
      g_autoptr(GDateTime) shown = bk_calendar_date_time (old_tz, self->occurrence_start);
      g_autoptr(GDateTime) first = g_date_time_to_timezone (self->original->start, old_tz);
      GDate shown_day, form_day;
      gint64 length = g_date_time_difference (end, start);
      g_autoptr(GDateTime) first_day = NULL;

      g_date_clear (&shown_day, 1);
      g_date_clear (&form_day, 1);
      g_date_set_dmy (&shown_day, g_date_time_get_day_of_month (shown), g_date_time_get_month (shown),
                      g_date_time_get_year (shown));
      g_date_set_dmy (&form_day, g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                      g_date_time_get_year (day));
      first_day = g_date_time_add_days (first, g_date_days_between (&shown_day, &form_day));
      g_date_time_unref (start);
      g_date_time_unref (end);
      start = g_date_time_new (tz, g_date_time_get_year (first_day), g_date_time_get_month (first_day),
                               g_date_time_get_day_of_month (first_day), sh, sm, 0);
      end = g_date_time_add (start, length);
    }

  if (self->original != NULL)
    {
      b = bk_booking_copy (self->original);
      bk_booking_set_string (&b->title, title);
      bk_booking_set_times (b, zone, start, end);
    }
  else
    {
      b = bk_booking_new (title, zone, start, end);
    }

  /* Repeat */
  repeat = adw_combo_row_get_selected (self->repeat_row);
  b->recurrence.interval = 1;
  b->recurrence.weekdays = 0;
  b->recurrence.position = 0;
  b->recurrence.count = 0;
  g_date_clear (&b->recurrence.until, 1);
  switch (repeat)
    {
    case REPEAT_DAILY:
      b->recurrence.kind = BK_RECURRENCE_DAILY;
      break;
    case REPEAT_WEEKLY:
      b->recurrence.kind = BK_RECURRENCE_WEEKLY;
      for (guint i = 0; i < 7; i++)
        if (gtk_toggle_button_get_active (self->weekday_buttons[i]))
          b->recurrence.weekdays |= BK_WEEKDAY_FROM_ISO (i + 1);
      break;
    case REPEAT_MONTHLY_BY_DATE:
      b->recurrence.kind = BK_RECURRENCE_MONTHLY_BY_DATE;
      break;
    case REPEAT_MONTHLY_BY_WEEKDAY:
      {
        int dom = g_date_time_get_day_of_month (start);
        int days = g_date_get_days_in_month (g_date_time_get_month (start), g_date_time_get_year (start));

        b->recurrence.kind = BK_RECURRENCE_MONTHLY_BY_WEEKDAY;
        b->recurrence.weekdays = BK_WEEKDAY_FROM_ISO (g_date_time_get_day_of_week (start));
        /* The fifth weekday of a month is its last one. */
        b->recurrence.position = dom + 7 > days && dom > 28 ? -1 : (dom - 1) / 7 + 1;
      }
      break;
    default:
      b->recurrence.kind = BK_RECURRENCE_NONE;
      break;
    }
  if (b->recurrence.kind != BK_RECURRENCE_NONE)
    {
      if (adw_combo_row_get_selected (self->ends_row) == ENDS_AFTER_COUNT)
        b->recurrence.count = (guint) gtk_spin_button_get_value_as_int (self->count_spin);
      else if (!parse_date (row_text (self->until_row), &b->recurrence.until))
        {
          *sentence = g_strdup (_("The last date of the series is not a date: enter it as year-month-day, such as 2027-06-30."));
          return NULL;
        }
    }

  /* Bridge */
  b->type = (BkBookingType) adw_combo_row_get_selected (self->type_row);
  bridge = adw_combo_row_get_selected (self->bridge_row);
  if (bridge == 0 || bridge == GTK_INVALID_LIST_POSITION || bridge > self->bridge_ids->len)
    {
      b->automatic_bridge = TRUE;
      /* A changed booking keeps its bridge while it has room. */
      if (self->original == NULL || !self->original->automatic_bridge)
        {
          bk_booking_set_string (&b->bridge_id, "");
          b->slot_number = 0;
          bk_booking_set_string (&b->slot_address, "");
        }
    }
  else
    {
      const char *id = g_ptr_array_index (self->bridge_ids, bridge - 1);

      b->automatic_bridge = FALSE;
      if (g_strcmp0 (b->bridge_id, id) != 0)
        {
          bk_booking_set_string (&b->bridge_id, id);
          b->slot_number = 0;
          bk_booking_set_string (&b->slot_address, "");
        }
    }
  {
    const char *pin = row_text (self->pin_row);

    for (const char *c = pin; *c != '\0'; c++)
      if (!g_ascii_isdigit (*c))
        {
          *sentence = g_strdup (_("The PIN can only have digits: people type it on a keypad."));
          return NULL;
        }
    /* While the stored PIN is still being read, it stays as it is. */
    b->has_pin = *pin != '\0' || (self->pin_loading && self->original->has_pin);
  }
  b->extend_mode = gtk_switch_get_active (self->extend_switch) ? BK_EXTEND_AUTOMATIC : BK_EXTEND_NONE;

  /* Participants: an empty row is ignored; each address is checked on its
   * own row, so the person sees which one is wrong. */
  g_ptr_array_set_size (b->participants, 0);
  for (guint i = 0; participant_row (self, i) != NULL; i++)
    {
      GtkListBoxRow *row = participant_row (self, i);
      g_autofree char *name = g_strstrip (g_strdup (row_text (participant_widget (row, "name"))));
      g_autofree char *address = g_strstrip (g_strdup (row_text (participant_widget (row, "address"))));
      guint direction = gtk_drop_down_get_selected (GTK_DROP_DOWN (participant_widget (row, "direction")));
      g_autoptr(GError) error = NULL;

      if (*name == '\0' && *address == '\0')
        {
          set_participant_error (row, NULL);
          continue;
        }
      if (*address == '\0')
        {
          g_autofree char *text = g_strdup_printf (_("Enter a SIP URI or a number for %s."), name);

          set_participant_error (row, text);
          if (!participant_problem)
            *sentence = g_steal_pointer (&text);
          participant_problem = TRUE;
          continue;
        }
      if (!bk_participant_validate_address (address, &error))
        {
          set_participant_error (row, error->message);
          if (!participant_problem)
            *sentence = g_strdup (error->message);
          participant_problem = TRUE;
          continue;
        }
      set_participant_error (row, NULL);
      bk_booking_add_participant (b, name, address, direction == 1 ? BK_DIAL_IN : BK_DIAL_OUT);
    }
  if (participant_problem)
    return NULL;

  buffer = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_get_bounds (buffer, &text_start, &text_end);
  notes = gtk_text_buffer_get_text (buffer, &text_start, &text_end, FALSE);
  bk_booking_set_string (&b->notes, notes);

  return g_steal_pointer (&b);
}

/* Checking */

static void
bk_booking_editor_show_problem (BkBookingEditor *self,
                                const char      *sentence)
{
  g_free (self->problem);
  self->problem = g_strdup (sentence);
  if (sentence != NULL)
    gtk_label_set_text (self->problem_label, sentence);
  gtk_revealer_set_reveal_child (self->problem_revealer, sentence != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), sentence == NULL && !self->saving);
  /* A screen reader on Save hears why it is off. */
  if (sentence != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->save_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, sentence, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->save_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Opened from one meeting of a series: changes other than its date,
 * times (and zone), title, notes and participants, which only the whole
 * series can take. */
static gboolean
bk_booking_editor_series_changed (BkBookingEditor *self,
                                  BkBooking       *series)
{
  g_autoptr(BkBooking) same_times = bk_booking_copy (series);
  const char *pin = row_text (self->pin_row);

  bk_booking_set_times (same_times, self->original->time_zone, self->original->start, self->original->end);
  bk_booking_set_string (&same_times->title, self->original->title);
  bk_booking_set_string (&same_times->notes, self->original->notes);
  g_ptr_array_unref (same_times->participants);
  same_times->participants = bk_participants_copy (self->original->participants);
  if (!self->pin_loading && g_strcmp0 (pin, self->loaded_pin != NULL ? self->loaded_pin : "") != 0)
    return TRUE;
  return !bk_booking_equal (same_times, self->original);
}

/* TRUE when the form gives the meeting opened other times, title, notes
 * or participants than it has. */
static gboolean
bk_booking_editor_occurrence_changed (BkBookingEditor *self,
                                      GDateTime       *start,
                                      GDateTime       *end,
                                      BkBooking       *series)
{
  return g_date_time_to_unix (start) != self->occurrence_start ||
         g_date_time_to_unix (end) != self->occurrence_end ||
         g_strcmp0 (series->title, bk_booking_get_occurrence_title (self->original, self->occurrence_rid)) != 0 ||
         g_strcmp0 (series->notes, bk_booking_get_occurrence_notes (self->original, self->occurrence_rid)) != 0 ||
         !bk_participants_equal (series->participants,
                                 bk_booking_get_occurrence_participants (self->original, self->occurrence_rid));
}

/* The series with the meeting opened given the form's times, title,
 * notes and participants (or as it was, when they are its own already). */
static BkBooking *
bk_booking_editor_occurrence_candidate (BkBookingEditor *self,
                                        GDateTime       *start,
                                        GDateTime       *end,
                                        BkBooking       *series)
{
  BkBooking *b = bk_booking_copy (self->original);

  if (bk_booking_editor_occurrence_changed (self, start, end, series))
    {
      g_autoptr(GDateTime) id = g_date_time_new_from_unix_utc (self->occurrence_rid);

      bk_booking_set_exception (b, id, start, end);
      bk_booking_set_exception_details (b, self->occurrence_rid, series->title, series->notes);
      bk_booking_set_exception_participants (b, self->occurrence_rid, series->participants);
    }
  return b;
}

/* For All Occurrences from one meeting with participants of its own: the
 * form showed its list.  Left as it was, the series keeps its own; changed,
 * the new list is every meeting's, this one's included. */
static void
bk_booking_editor_series_participants (BkBookingEditor *self,
                                       BkBooking       *series)
{
  const BkBookingException *e;

  if (self->original == NULL || self->occurrence_rid == 0)
    return;
  e = bk_booking_find_exception (series, self->occurrence_rid);
  if (e == NULL || e->cancelled || e->participants == NULL)
    return;
  if (bk_participants_equal (series->participants, e->participants))
    {
      g_ptr_array_unref (series->participants);
      series->participants = bk_participants_copy (self->original->participants);
    }
  else
    bk_booking_set_exception_participants (series, self->occurrence_rid, NULL);
}

/* What the form describes: the booking (for a meeting of a series, the
 * whole series changed) and, for a meeting of a series, the series with
 * only that meeting moved (else NULL). */
static BkBooking *
bk_booking_editor_build_both (BkBookingEditor  *self,
                              BkBooking       **occurrence,
                              char            **sentence)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  BkBooking *series = bk_booking_editor_build (self, &start, &end, sentence);

  *occurrence = NULL;
  if (series != NULL && self->occurrence_rid != 0)
    *occurrence = bk_booking_editor_occurrence_candidate (self, start, end, series);
  return series;
}

static const char *
bridge_name (BkBookingEditor *self,
             const char      *id)
{
  BkDevice *device = bk_device_store_lookup (bk_application_get_store (self->app), id);

  return device != NULL ? bk_device_get_display_name (device) : id;
}

static void
bk_booking_editor_check (BkBookingEditor *self)
{
  g_autofree char *sentence = NULL;
  g_autoptr(BkBooking) candidate = NULL;
  g_autoptr(BkBookingPlan) plan = NULL;
  g_autoptr(BkBookingConflict) conflict = NULL;
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  BkBookingRules rules = { 0 };

  g_clear_pointer (&self->slot_address, g_free);
  {
    g_autoptr(BkBooking) occurrence = NULL;

    candidate = bk_booking_editor_build_both (self, &occurrence, &sentence);
    /* A meeting of a series: checked as moved alone, unless what changed
     * can only change for the whole series. */
    if (occurrence != NULL && !bk_booking_editor_series_changed (self, candidate))
      {
        bk_booking_unref (candidate);
        candidate = g_steal_pointer (&occurrence);
      }
  }
  if (candidate != NULL)
    {
      bk_application_fill_rules (self->app, &rules, &bridges);
      if (!bk_booking_store_check (self->store, &rules, candidate, &plan, &conflict, &error))
        sentence = g_strdup (error->message);
    }

  if (plan != NULL)
    {
      self->slot_address = g_strdup (plan->slot_address);
      if (plan->bridge == NULL)
        adw_action_row_set_subtitle (self->slot_row, _("None: a No Connect booking runs nothing on a bridge"));
      else
        {
          /* Translators: "<call ID>@<domain> on <bridge name>". */
          g_autofree char *text = g_strdup_printf (_("%s on %s"), plan->slot_address,
                                                   bridge_name (self, bk_device_get_id (plan->bridge)));

          adw_action_row_set_subtitle (self->slot_row, text);
        }
    }
  else
    adw_action_row_set_subtitle (self->slot_row, _("Chosen when the booking can be made"));

  bk_booking_editor_show_problem (self, sentence);
}

static gboolean
bk_booking_editor_check_cb (gpointer user_data)
{
  BkBookingEditor *self = user_data;

  self->check_id = 0;
  bk_booking_editor_check (self);
  return G_SOURCE_REMOVE;
}

static void
bk_booking_editor_schedule_check (BkBookingEditor *self)
{
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, bk_booking_editor_check_cb, self);
}

/* Which rows the repeat pattern needs. */
static void
bk_booking_editor_update_repeat_rows (BkBookingEditor *self)
{
  guint repeat = adw_combo_row_get_selected (self->repeat_row);
  gboolean repeats = repeat != REPEAT_NONE && repeat != GTK_INVALID_LIST_POSITION;
  gboolean by_count = adw_combo_row_get_selected (self->ends_row) == ENDS_AFTER_COUNT;

  gtk_widget_set_visible (GTK_WIDGET (self->weekdays_row), repeat == REPEAT_WEEKLY);
  gtk_widget_set_visible (GTK_WIDGET (self->ends_row), repeats);
  gtk_widget_set_visible (GTK_WIDGET (self->until_row), repeats && !by_count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_row), repeats && by_count);
  /* A No Connect booking runs on no bridge. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->bridge_row),
                            adw_combo_row_get_selected (self->type_row) != BK_BOOKING_TYPE_NO_CONNECT);
  gtk_widget_set_sensitive (GTK_WIDGET (self->extend_row),
                            adw_combo_row_get_selected (self->type_row) != BK_BOOKING_TYPE_NO_CONNECT);
}

static void
bk_booking_editor_update_date_label (BkBookingEditor *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->date_calendar);
  /* The sentences' date ("Tue 2026-12-08", "2026-12-08（週二）"): weekday
   * names translated, not the C library's. */
  g_autofree char *text = bk_booking_format_date (g_date_time_to_unix (day), g_date_time_get_timezone (day));

  gtk_menu_button_set_label (self->date_button, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->date_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* The time zone chooser: a searchable list of the zones a booking can be
 * in, so a zone that does not exist cannot be entered. */

static GStrv
known_zone_names (void)
{
  static GStrv names;

  /* Reading libical's list and checking each zone with GLib takes about
   * 0.1 s: once per process. */
  if (g_once_init_enter (&names))
    g_once_init_leave (&names, bk_booking_dup_time_zone_names ());
  return names;
}

static void
bk_booking_editor_set_zone (BkBookingEditor *self,
                            const char      *zone)
{
  g_autoptr(GTimeZone) tz = zone != NULL ? g_time_zone_new_identifier (zone) : NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->zone_names));
  gboolean listed = FALSE;

  if (tz == NULL)
    return;
  g_free (self->zone);
  self->zone = g_strdup (zone);
  adw_action_row_set_subtitle (self->zone_row, zone);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->zone_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  zone, -1);
  /* A booking read from a file may use another name of a zone (a link
   * such as Asia/Calcutta): it is offered too. */
  for (guint i = 0; i < n && !listed; i++)
    listed = g_strcmp0 (gtk_string_list_get_string (self->zone_names, i), zone) == 0;
  if (!listed)
    gtk_string_list_append (self->zone_names, zone);
}

static void
bk_booking_editor_zone_search_cb (BkBookingEditor *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->zone_search))));

  /* "new york" finds America/New_York. */
  g_strdelimit (text, " ", '_');
  gtk_string_filter_set_search (self->zone_filter, *text != '\0' ? text : NULL);
}

static void
bk_booking_editor_zone_chosen (BkBookingEditor *self,
                               guint            position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->zone_list));
  g_autoptr(GtkStringObject) item = position < g_list_model_get_n_items (model)
    ? g_list_model_get_item (model, position) : NULL;

  if (item == NULL)
    return;
  bk_booking_editor_set_zone (self, gtk_string_object_get_string (item));
  gtk_popover_popdown (self->zone_popover);
  gtk_editable_set_text (GTK_EDITABLE (self->zone_search), "");
  bk_booking_editor_changed_cb (self);
}

static void
bk_booking_editor_zone_activate_cb (GtkListView     *list,
                                    guint            position,
                                    BkBookingEditor *self)
{
  bk_booking_editor_zone_chosen (self, position);
}

/* Enter in the search takes the first zone found. */
static void
bk_booking_editor_zone_search_activate_cb (BkBookingEditor *self)
{
  bk_booking_editor_zone_chosen (self, 0);
}

static void
zone_item_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
zone_item_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkStringObject *zone = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (zone));
}

static void
bk_booking_editor_make_zone_chooser (BkBookingEditor *self)
{
  GtkExpression *expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  GtkFilterListModel *filtered;
  GtkNoSelection *selection;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->zone_names = gtk_string_list_new ((const char * const *) known_zone_names ());
  self->zone_filter = gtk_string_filter_new (expression);
  gtk_string_filter_set_match_mode (self->zone_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->zone_filter, TRUE);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->zone_names)),
                                        GTK_FILTER (g_object_ref (self->zone_filter)));
  selection = gtk_no_selection_new (G_LIST_MODEL (filtered));
  g_signal_connect (factory, "setup", G_CALLBACK (zone_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (zone_item_bind_cb), NULL);
  gtk_list_view_set_factory (self->zone_list, factory);
  gtk_list_view_set_model (self->zone_list, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
  g_object_unref (selection);

  g_signal_connect (self->zone_list, "activate", G_CALLBACK (bk_booking_editor_zone_activate_cb), self);
  g_signal_connect_swapped (self->zone_search, "search-changed", G_CALLBACK (bk_booking_editor_zone_search_cb), self);
  g_signal_connect_swapped (self->zone_search, "activate", G_CALLBACK (bk_booking_editor_zone_search_activate_cb), self);
}

/* Callbacks */

static void
bk_booking_editor_changed_cb (BkBookingEditor *self)
{
  if (self->saving)
    return;
  bk_booking_editor_update_repeat_rows (self);
  bk_booking_editor_schedule_check (self);
}

static void
bk_booking_editor_day_selected_cb (BkBookingEditor *self)
{
  bk_booking_editor_update_date_label (self);
  bk_booking_editor_changed_cb (self);
}

static void
bk_booking_editor_remove_participant_cb (GtkButton       *button,
                                         BkBookingEditor *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  gtk_list_box_remove (self->participants_list, row);
  bk_booking_editor_changed_cb (self);
}

static void
bk_booking_editor_add_participant_clicked_cb (BkBookingEditor *self)
{
  guint index = bk_booking_editor_add_participant (self, "", "", BK_DIAL_OUT);
  GtkListBoxRow *row = participant_row (self, index);

  gtk_widget_grab_focus (participant_widget (row, "name"));
}

typedef struct
{
  BkBookingEditor *self;
  char            *uid;
  char            *title;
} PinWrite;

static void
bk_booking_editor_finish_save (BkBookingEditor *self,
                               const char      *uid,
                               const char      *title,
                               const char      *pin_error)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (BK_IS_WINDOW (parent))
    {
      g_autofree char *text = NULL;
      AdwToast *toast;

      if (pin_error != NULL)
        /* Translators: %s is a sentence from the keyring. */
        text = g_markup_printf_escaped (_("The booking is saved, but its PIN is not: %s"), pin_error);
      else
        /* Translators: %s is the meeting's title. */
        text = g_markup_printf_escaped (_("“%s” is booked"), title);
      toast = adw_toast_new (text);
      if (pin_error != NULL)
        adw_toast_set_timeout (toast, 0);
      bk_window_add_toast (BK_WINDOW (parent), toast);
    }
  g_signal_emit (self, signals[SAVED], 0, uid);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
bk_booking_editor_pin_written_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  PinWrite *w = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_secrets_store_finish (BK_SECRETS (object), result, &error) && error == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The keyring did not keep it."));
  bk_booking_editor_finish_save (w->self, w->uid, w->title, error != NULL ? error->message : NULL);
  g_object_unref (w->self);
  g_free (w->uid);
  g_free (w->title);
  g_free (w);
}

static void
bk_booking_editor_pin_cleared_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  PinWrite *w = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_secrets_clear_finish (BK_SECRETS (object), result, &error))
    g_message ("The old PIN of %s was not removed from the keyring: %s", w->uid, error->message);
  bk_booking_editor_finish_save (w->self, w->uid, w->title, NULL);
  g_object_unref (w->self);
  g_free (w->uid);
  g_free (w->title);
  g_free (w);
}

/* Keeps @booking (rules checked again) and its PIN, then closes. */
static void
bk_booking_editor_save (BkBookingEditor *self,
                        BkBooking       *booking)
{
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  BkBookingRules rules = { 0 };
  BkSecrets *secrets = bk_application_get_secrets (self->app);
  const char *pin = row_text (self->pin_row);
  PinWrite *w;

  bk_application_fill_rules (self->app, &rules, &bridges);
  if (!bk_booking_store_save (self->store, &rules, booking, NULL, &error))
    {
      bk_booking_editor_show_problem (self, error->message);
      return;
    }

  /* The PIN goes to the keyring, never to the file; the window stays (not
   * editable) until the keyring answers. */
  self->saving = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  w = g_new0 (PinWrite, 1);
  w->self = g_object_ref (self);
  w->uid = g_strdup (booking->uid);
  w->title = g_strdup (booking->title);
  if (*pin == '\0' && self->pin_loading)
    {
      /* The stored PIN was not read yet: left as it is. */
      bk_booking_editor_finish_save (self, w->uid, w->title, NULL);
      g_object_unref (w->self);
      g_free (w->uid);
      g_free (w->title);
      g_free (w);
    }
  else if (*pin != '\0')
    bk_secrets_store_booking_pin_async (secrets, booking->uid, booking->title, pin, NULL,
                                        bk_booking_editor_pin_written_cb, w);
  else if (self->original != NULL && self->original->has_pin)
    bk_secrets_clear_async (secrets, booking->uid, BK_SECRET_KIND_BOOKING_PIN, NULL,
                            bk_booking_editor_pin_cleared_cb, w);
  else
    {
      bk_booking_editor_finish_save (self, w->uid, w->title, NULL);
      g_object_unref (w->self);
      g_free (w->uid);
      g_free (w->title);
      g_free (w);
    }
}

static gboolean
bk_booking_editor_save_this_idle_cb (gpointer data)
{
  BkBookingEditor *self = data;
  gboolean this_one = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "save-this"));
  g_autofree char *sentence = NULL;
  g_autoptr(BkBooking) series = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  BkBookingRules rules = { 0 };

  /* The window was closed meanwhile: nothing is saved. */
  if (self->disposed)
    return G_SOURCE_REMOVE;
  series = bk_booking_editor_build (self, &start, &end, &sentence);
  if (series == NULL)
    {
      bk_booking_editor_show_problem (self, sentence);
      return G_SOURCE_REMOVE;
    }
  if (!this_one)
    {
      bk_booking_editor_series_participants (self, series);
      bk_booking_editor_save (self, series);
      return G_SOURCE_REMOVE;
    }

  /* This meeting only: nothing else changed (the PIN neither), so only
   * its new times, title, notes and participants are kept. */
  bk_application_fill_rules (self->app, &rules, &bridges);
  if (bk_booking_editor_occurrence_changed (self, start, end, series) &&
      !bk_booking_store_change_occurrence (self->store, &rules, self->original->uid, self->occurrence_rid,
                                           start, end, series->title, series->notes, series->participants,
                                           NULL, &error))
    {
      bk_booking_editor_show_problem (self, error->message);
      return G_SOURCE_REMOVE;
    }
  self->saving = TRUE;
  bk_booking_editor_finish_save (self, self->original->uid, series->title, NULL);
  return G_SOURCE_REMOVE;
}

static void
bk_booking_editor_which_response_cb (AdwMessageDialog *dialog,
                                     const char       *response,
                                     BkBookingEditor  *self)
{
  if (g_strcmp0 (response, "this") != 0 && g_strcmp0 (response, "all") != 0)
    return;
  /* Saved after the dialog (transient for this window, which closes once
   * saved) has closed. */
  g_object_set_data (G_OBJECT (self), "save-this", GINT_TO_POINTER (g_str_equal (response, "this")));
  g_idle_add_full (G_PRIORITY_DEFAULT, bk_booking_editor_save_this_idle_cb, g_object_ref (self), g_object_unref);
}

/* Opened from one meeting of a series: this meeting, or all of them? */
static void
bk_booking_editor_ask_which (BkBookingEditor *self,
                             BkBooking       *series)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (self->original->time_zone);
  g_autofree char *when = bk_booking_format_time (self->occurrence_start, tz);
  gboolean series_only = bk_booking_editor_series_changed (self, series);
  AdwMessageDialog *dialog;
  GString *body = g_string_new (NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Change a Repeating Meeting?"), NULL));
  /* Translators: "<title>" repeats; <time> is the meeting opened. */
  g_string_append_printf (body, _("“%s” repeats. Save the changes for the meeting of %s only, or for every meeting of the series?"),
                          self->original->title, when);
  if (series_only)
    {
      g_string_append_c (body, '\n');
      g_string_append (body, _("Only a new date, time, title, notes or participants can be given to one meeting: the other changes can only be saved for the whole series."));
    }
  adw_message_dialog_set_body (dialog, body->str);
  g_string_free (body, TRUE);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "this", _("_This Occurrence"),
                                    "all", _("_All Occurrences"),
                                    NULL);
  adw_message_dialog_set_response_enabled (dialog, "this", !series_only);
  adw_message_dialog_set_response_appearance (dialog, series_only ? "all" : "this", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, series_only ? "all" : "this");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (bk_booking_editor_which_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bk_booking_editor_save_clicked_cb (BkBookingEditor *self)
{
  g_autofree char *sentence = NULL;
  g_autoptr(BkBooking) booking = NULL;
  g_autoptr(BkBooking) occurrence = NULL;

  if (self->saving)
    return;
  g_clear_handle_id (&self->check_id, g_source_remove);

  booking = bk_booking_editor_build_both (self, &occurrence, &sentence);
  if (booking == NULL)
    {
      bk_booking_editor_show_problem (self, sentence);
      return;
    }
  if (occurrence != NULL)
    bk_booking_editor_ask_which (self, booking);
  else
    bk_booking_editor_save (self, booking);
}

/* Cancelling, with Undo on the main window */

typedef struct
{
  BkApplication *app;
  BkBooking     *before;    /* the booking as it was */
  gboolean       series;    /* the whole booking was removed */
  gboolean       undone;
} Undo;

static void
undo_free (Undo *undo)
{
  g_object_unref (undo->app);
  bk_booking_unref (undo->before);
  g_free (undo);
}

static void
undo_toast_gone (gpointer  data,
                 GObject  *toast)
{
  undo_free (data);
}

static void
undo_clicked_cb (AdwToast *toast,
                 Undo     *undo)
{
  BkBookingStore *store = bk_application_get_bookings (undo->app);
  g_autoptr(BkBooking) again = bk_booking_copy (undo->before);
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  BkBookingRules rules = { 0 };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (undo->app));

  bk_application_fill_rules (undo->app, &rules, &bridges);
  /* Back as it was: the past start of a running series is not a new
   * booking in the past. */
  if (undo->series)
    rules.now = MIN (rules.now, g_date_time_to_unix (again->start));
  if (bk_booking_store_save (store, &rules, again, NULL, &error))
    undo->undone = TRUE;
  else if (BK_IS_WINDOW (window))
    {
      g_autofree char *text = g_markup_printf_escaped (_("The booking could not be restored: %s"), error->message);

      bk_window_add_toast (BK_WINDOW (window), adw_toast_new (text));
    }
}

static void
undo_dismissed_cb (AdwToast *toast,
                   Undo     *undo)
{
  /* The PIN of a removed booking goes only once Undo is no longer offered. */
  if (undo->series && !undo->undone && undo->before->has_pin)
    bk_secrets_clear_async (bk_application_get_secrets (undo->app), undo->before->uid,
                            BK_SECRET_KIND_BOOKING_PIN, NULL, NULL, NULL);
}

static gint64
bk_booking_editor_recurrence_id (BkBookingEditor *self)
{
  GArray *occurrences;

  if (self->original == NULL || self->occurrence_start == 0)
    return 0;
  occurrences = bk_booking_index_get_occurrences (bk_booking_store_get_index (self->store),
                                                  self->original->uid);
  for (guint i = 0; occurrences != NULL && i < occurrences->len; i++)
    {
      const BkOccurrence *o = &g_array_index (occurrences, BkOccurrence, i);

      if (o->start == self->occurrence_start)
        return o->recurrence_id;
    }
  return 0;
}

static gboolean
destroy_idle_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
bk_booking_editor_cancel_response_cb (AdwMessageDialog *dialog,
                                      const char       *response,
                                      BkBookingEditor  *self)
{
  gboolean series = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "series"));
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *text = NULL;
  g_autofree char *uid = NULL;
  gboolean done;
  Undo *undo;

  if (g_strcmp0 (response, "cancel-booking") != 0 || self->original == NULL)
    return;

  uid = g_strdup (self->original->uid);
  undo = g_new0 (Undo, 1);
  undo->app = g_object_ref (self->app);
  undo->before = bk_booking_ref (self->original);
  undo->series = series;

  if (series)
    {
      done = bk_booking_store_remove (self->store, uid);
      /* Translators: %s is the meeting's title. */
      text = g_markup_printf_escaped (_("“%s” is cancelled"), self->original->title);
    }
  else
    {
      g_autofree char *date = NULL;
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (self->original->time_zone);

      done = bk_booking_store_cancel_occurrence (self->store, uid, bk_booking_editor_recurrence_id (self));
      date = bk_booking_format_date (self->occurrence_start, tz);
      /* Translators: "“<title>” on <date> is cancelled". */
      text = g_markup_printf_escaped (_("“%s” on %s is cancelled"), self->original->title, date);
    }

  if (!done)
    {
      undo_free (undo);
      bk_booking_editor_show_problem (self, _("The booking could not be cancelled: it was changed or removed meanwhile. Close this window and open it again."));
      return;
    }

  if (BK_IS_WINDOW (parent))
    {
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), undo);
      g_signal_connect (toast, "dismissed", G_CALLBACK (undo_dismissed_cb), undo);
      g_object_weak_ref (G_OBJECT (toast), undo_toast_gone, undo);
      bk_window_add_toast (BK_WINDOW (parent), toast);
    }
  else
    {
      if (series && undo->before->has_pin)
        bk_secrets_clear_async (bk_application_get_secrets (self->app), uid,
                                BK_SECRET_KIND_BOOKING_PIN, NULL, NULL, NULL);
      undo_free (undo);
    }

  g_signal_emit (self, signals[CANCELLED], 0, uid);
  /* After the dialog (transient for this window) has closed. */
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_idle_cb, g_object_ref (self), g_object_unref);
}

static void
bk_booking_editor_confirm_cancel (BkBookingEditor *self,
                                  gboolean         series)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (series)
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Cancel the Booking?"), NULL));
      body = self->original->recurrence.kind != BK_RECURRENCE_NONE
             /* Translators: %s is the meeting's title. */
             ? g_strdup_printf (_("Every meeting of “%s” is cancelled and its slot freed."), self->original->title)
             : g_strdup_printf (_("“%s” is cancelled and its slot freed."), self->original->title);
    }
  else
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (self->original->time_zone);
      g_autofree char *when = bk_booking_format_time (self->occurrence_start, tz);

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Cancel This Meeting?"), NULL));
      /* Translators: "The meeting of <title> on <time> is cancelled; ...". */
      body = g_strdup_printf (_("The meeting of “%s” on %s is cancelled; the other meetings of the series stay booked."),
                              self->original->title, when);
    }
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep"),
                                    "cancel-booking", series ? _("Cancel _Booking") : _("Cancel _Meeting"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel-booking", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data (G_OBJECT (dialog), "series", GINT_TO_POINTER (series));
  g_signal_connect_object (dialog, "response", G_CALLBACK (bk_booking_editor_cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bk_booking_editor_cancel_occurrence_clicked_cb (BkBookingEditor *self)
{
  bk_booking_editor_confirm_cancel (self, FALSE);
}

static void
bk_booking_editor_cancel_series_clicked_cb (BkBookingEditor *self)
{
  bk_booking_editor_confirm_cancel (self, TRUE);
}

static void
bk_booking_editor_export_clicked_cb (BkBookingEditor *self)
{
  g_autoptr(GPtrArray) bookings = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);

  if (self->original == NULL)
    return;
  g_ptr_array_add (bookings, bk_booking_ref (self->original));
  bk_ics_export_run (GTK_WINDOW (self), self->app, bookings, self->original->title);
}

static void
bk_booking_editor_pin_loaded_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(BkBookingEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  char *pin = bk_secrets_lookup_finish (BK_SECRETS (object), result, &error);

  self->pin_loading = FALSE;
  bk_secrets_password_free (self->loaded_pin);
  self->loaded_pin = g_strdup (pin != NULL ? pin : "");
  if (pin != NULL && *row_text (self->pin_row) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->pin_row), pin);
  else if (error != NULL)
    g_message ("The PIN of this booking could not be read: %s", error->message);
  bk_secrets_password_free (pin);
}

/* Setting up */

static void
bk_booking_editor_fill_models (BkBookingEditor *self)
{
  g_autoptr(GtkStringList) repeat = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) ends = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) bridges = gtk_string_list_new (NULL);
  GListModel *devices = G_LIST_MODEL (bk_application_get_store (self->app));
  g_autofree char *preferred = g_settings_get_string (bk_application_get_settings (self->app), "preferred-bridge");

  gtk_string_list_append (repeat, _("Does Not Repeat"));
  gtk_string_list_append (repeat, _("Daily"));
  gtk_string_list_append (repeat, _("Weekly"));
  gtk_string_list_append (repeat, _("Monthly on the Same Date"));
  gtk_string_list_append (repeat, _("Monthly on the Same Weekday"));
  adw_combo_row_set_model (self->repeat_row, G_LIST_MODEL (repeat));

  gtk_string_list_append (ends, _("On a Date"));
  gtk_string_list_append (ends, _("After a Number of Meetings"));
  adw_combo_row_set_model (self->ends_row, G_LIST_MODEL (ends));

  for (BkBookingType t = BK_BOOKING_TYPE_AUTOMATIC_CONNECT; t <= BK_BOOKING_TYPE_NO_CONNECT; t++)
    gtk_string_list_append (types, bk_booking_type_get_label (t));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (types));

  if (*preferred != '\0' && bk_device_store_lookup (bk_application_get_store (self->app), preferred) != NULL)
    {
      /* Translators: Automatic routing; %s is the preferred bridge. */
      g_autofree char *text = g_strdup_printf (_("Automatic (%s first)"), bridge_name (self, preferred));

      gtk_string_list_append (bridges, text);
    }
  else
    gtk_string_list_append (bridges, _("Automatic"));
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(BkDevice) device = g_list_model_get_item (devices, i);

      gtk_string_list_append (bridges, bk_device_get_display_name (device));
      g_ptr_array_add (self->bridge_ids, g_strdup (bk_device_get_id (device)));
    }
  adw_combo_row_set_model (self->bridge_row, G_LIST_MODEL (bridges));
}

static void
bk_booking_editor_make_weekday_buttons (BkBookingEditor *self)
{
  int first = bk_calendar_first_weekday ();

  /* In the locale's order (from Sunday or Monday); indexed by weekday.  The
   * names are ours, translated (strftime's follow LC_TIME, not the
   * language of the window). */
  for (guint k = 0; k < 7; k++)
    {
      guint i = (guint) (first - 1 + k) % 7;
      const char *abbrev = bk_calendar_weekday_name ((int) i + 1, TRUE);
      const char *full = bk_calendar_weekday_name ((int) i + 1, FALSE);
      GtkWidget *button = gtk_toggle_button_new_with_label (abbrev);

      gtk_widget_set_tooltip_text (button, full);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, full, -1);
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (bk_booking_editor_changed_cb), self);
      gtk_flow_box_append (self->weekdays_box, button);
      /* The buttons take the keyboard focus, not their flow box children. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
      self->weekday_buttons[i] = GTK_TOGGLE_BUTTON (button);
    }
}

/* GTK 4.8's calendar leaves its arrow buttons without a name for screen
 * readers: month back and forward, then year back and forward. */
static void
name_calendar_buttons (GtkWidget *widget,
                       guint     *n)
{
  const char *names[] = { N_("Previous Month"), N_("Next Month"), N_("Previous Year"), N_("Next Year") };

  if (GTK_IS_BUTTON (widget) && *n < G_N_ELEMENTS (names))
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(names[*n]), -1);
      gtk_widget_set_tooltip_text (widget, _(names[*n]));
      (*n)++;
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    name_calendar_buttons (c, n);
}

static void
set_time_row (AdwEntryRow *row,
              GDateTime   *time)
{
  g_autofree char *text = g_date_time_format (time, "%H:%M");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* The form shows @b, or a new booking from @start to @end. */
static void
bk_booking_editor_load (BkBookingEditor *self,
                        BkBooking       *b,
                        GDateTime       *start,
                        GDateTime       *end)
{
  g_autofree char *zone = NULL;
  g_autoptr(GDateTime) shown_start = NULL;
  g_autoptr(GDateTime) shown_end = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *until_text = NULL;
  guint repeat = REPEAT_NONE;

  if (b != NULL)
    {
      zone = g_strdup (b->time_zone);
      shown_start = g_date_time_ref (b->start);
      shown_end = g_date_time_ref (b->end);
    }
  else
    {
      g_autoptr(GTimeZone) tz = NULL;

      zone = bk_booking_editor_local_zone_name ();
      tz = g_time_zone_new_identifier (zone);
      if (start != NULL)
        shown_start = g_date_time_to_timezone (start, tz);
      else
        {
          g_autoptr(GDateTime) now = g_date_time_new_now (tz);
          g_autoptr(GDateTime) hour = g_date_time_new (tz, g_date_time_get_year (now), g_date_time_get_month (now),
                                                       g_date_time_get_day_of_month (now),
                                                       g_date_time_get_hour (now), 0, 0);

          shown_start = g_date_time_add_hours (hour, 1);
        }
      if (end != NULL)
        shown_end = g_date_time_to_timezone (end, tz);
      else
        shown_end = g_date_time_add_hours (shown_start, 1);
    }

  bk_booking_editor_set_zone (self, zone);
  gtk_calendar_select_day (self->date_calendar, shown_start);
  bk_booking_editor_update_date_label (self);
  set_time_row (self->start_row, shown_start);
  set_time_row (self->end_row, shown_end);
  for (guint i = 0; i < 7; i++)
    gtk_toggle_button_set_active (self->weekday_buttons[i],
                                  (int) i + 1 == g_date_time_get_day_of_week (shown_start));

  /* A series ends after ten meetings, or on its last date. */
  until = g_date_time_add_months (shown_start, 3);
  until_text = g_date_time_format (until, "%Y-%m-%d");
  gtk_editable_set_text (GTK_EDITABLE (self->until_row), until_text);

  /* A new booking extends automatically as Preferences say; a booking
   * as it was booked. */
  gtk_switch_set_active (self->extend_switch,
                         b != NULL ? b->extend_mode == BK_EXTEND_AUTOMATIC
                                   : g_settings_get_boolean (bk_application_get_settings (self->app),
                                                             "extend-automatically"));
  if (b == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), b->title);
  switch (b->recurrence.kind)
    {
    case BK_RECURRENCE_DAILY: repeat = REPEAT_DAILY; break;
    case BK_RECURRENCE_WEEKLY: repeat = REPEAT_WEEKLY; break;
    case BK_RECURRENCE_MONTHLY_BY_DATE: repeat = REPEAT_MONTHLY_BY_DATE; break;
    case BK_RECURRENCE_MONTHLY_BY_WEEKDAY: repeat = REPEAT_MONTHLY_BY_WEEKDAY; break;
    case BK_RECURRENCE_NONE:
    default: repeat = REPEAT_NONE; break;
    }
  adw_combo_row_set_selected (self->repeat_row, repeat);
  if (b->recurrence.kind == BK_RECURRENCE_WEEKLY)
    for (guint i = 0; i < 7; i++)
      gtk_toggle_button_set_active (self->weekday_buttons[i],
                                    (b->recurrence.weekdays & BK_WEEKDAY_FROM_ISO (i + 1)) != 0);
  if (b->recurrence.count > 0)
    {
      adw_combo_row_set_selected (self->ends_row, ENDS_AFTER_COUNT);
      gtk_spin_button_set_value (self->count_spin, b->recurrence.count);
    }
  else if (g_date_valid (&b->recurrence.until))
    {
      char text[16];

      g_date_strftime (text, sizeof text, "%Y-%m-%d", &b->recurrence.until);
      adw_combo_row_set_selected (self->ends_row, ENDS_ON_DATE);
      gtk_editable_set_text (GTK_EDITABLE (self->until_row), text);
    }

  adw_combo_row_set_selected (self->type_row, b->type);
  adw_combo_row_set_selected (self->bridge_row, 0);
  if (!b->automatic_bridge)
    for (guint i = 0; i < self->bridge_ids->len; i++)
      if (g_strcmp0 (g_ptr_array_index (self->bridge_ids, i), b->bridge_id) == 0)
        adw_combo_row_set_selected (self->bridge_row, i + 1);

  for (guint i = 0; i < b->participants->len; i++)
    {
      const BkParticipant *p = g_ptr_array_index (b->participants, i);

      bk_booking_editor_add_participant (self, p->name, p->address, p->direction);
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), b->notes, -1);

  if (b->has_pin)
    self->pin_loading = TRUE;
  if (b->has_pin)
    bk_secrets_lookup_async (bk_application_get_secrets (self->app), b->uid, BK_SECRET_KIND_BOOKING_PIN,
                             NULL, bk_booking_editor_pin_loaded_cb, g_object_ref (self));
}

static void
bk_booking_editor_dispose (GObject *object)
{
  BkBookingEditor *self = BK_BOOKING_EDITOR (object);

  g_clear_handle_id (&self->check_id, g_source_remove);
  self->disposed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_BOOKING_EDITOR);

  G_OBJECT_CLASS (bk_booking_editor_parent_class)->dispose (object);
}

static void
bk_booking_editor_finalize (GObject *object)
{
  BkBookingEditor *self = BK_BOOKING_EDITOR (object);

  g_clear_object (&self->app);
  g_clear_object (&self->store);
  g_clear_pointer (&self->original, bk_booking_unref);
  g_clear_pointer (&self->bridge_ids, g_ptr_array_unref);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->slot_address, g_free);
  g_clear_pointer (&self->zone, g_free);
  g_clear_pointer (&self->loaded_pin, bk_secrets_password_free);
  g_clear_object (&self->zone_names);
  g_clear_object (&self->zone_filter);

  G_OBJECT_CLASS (bk_booking_editor_parent_class)->finalize (object);
}

static void
bk_booking_editor_class_init (BkBookingEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_booking_editor_dispose;
  object_class->finalize = bk_booking_editor_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/calendar/bk-booking-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, export_button);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, problem_label);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, date_button);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, date_calendar);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, start_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, end_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, zone_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, zone_button);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, zone_popover);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, zone_search);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, zone_list);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, weekdays_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, weekdays_box);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, ends_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, until_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, count_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, count_spin);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, type_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, bridge_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, slot_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, pin_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, extend_row);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, extend_switch);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, participants_list);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, manage_group);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, cancel_occurrence_button);
  gtk_widget_class_bind_template_child (widget_class, BkBookingEditor, cancel_series_button);
  gtk_widget_class_bind_template_callback (widget_class, bk_booking_editor_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bk_booking_editor_export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bk_booking_editor_add_participant_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bk_booking_editor_cancel_occurrence_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bk_booking_editor_cancel_series_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bk_booking_editor_init (BkBookingEditor *self)
{
  guint n = 0;

  gtk_widget_init_template (GTK_WIDGET (self));
  name_calendar_buttons (GTK_WIDGET (self->date_calendar), &n);
  self->bridge_ids = g_ptr_array_new_with_free_func (g_free);
  bk_booking_editor_make_zone_chooser (self);
}

/* Opened from one meeting of a series: the form shows that meeting's date
 * and times (Save then asks whether they are for it or for the series). */
static void
bk_booking_editor_show_occurrence (BkBookingEditor *self)
{
  GArray *occurrences = bk_booking_index_get_occurrences (bk_booking_store_get_index (self->store),
                                                          self->original->uid);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (self->original->time_zone);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  for (guint i = 0; occurrences != NULL && i < occurrences->len; i++)
    {
      const BkOccurrence *o = &g_array_index (occurrences, BkOccurrence, i);

      if (o->start == self->occurrence_start)
        {
          self->occurrence_rid = o->recurrence_id;
          self->occurrence_end = o->end;
        }
    }
  if (self->occurrence_rid == 0)
    return;
  start = bk_calendar_date_time (tz, self->occurrence_start);
  end = bk_calendar_date_time (tz, self->occurrence_end);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                         bk_booking_get_occurrence_title (self->original, self->occurrence_rid));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            bk_booking_get_occurrence_notes (self->original, self->occurrence_rid), -1);
  /* Its own participants, when it has them. */
  {
    GPtrArray *participants = bk_booking_get_occurrence_participants (self->original, self->occurrence_rid);

    if (participants != self->original->participants)
      {
        GtkListBoxRow *row;

        while ((row = participant_row (self, 0)) != NULL)
          gtk_list_box_remove (self->participants_list, GTK_WIDGET (row));
        for (guint i = 0; i < participants->len; i++)
          {
            const BkParticipant *p = g_ptr_array_index (participants, i);

            bk_booking_editor_add_participant (self, p->name, p->address, p->direction);
          }
      }
  }
  gtk_calendar_select_day (self->date_calendar, start);
  bk_booking_editor_update_date_label (self);
  set_time_row (self->start_row, start);
  set_time_row (self->end_row, end);
}

/* Public API */

BkBookingEditor *
bk_booking_editor_new (GtkWindow     *parent,
                       BkApplication *app,
                       BkBooking     *booking,
                       GDateTime     *start,
                       GDateTime     *end,
                       gint64         occurrence_start)
{
  BkBookingEditor *self;
  GtkTextBuffer *buffer;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (bk_application_get_bookings (app) != NULL, NULL);

  self = g_object_new (BK_TYPE_BOOKING_EDITOR,
                       "transient-for", parent,
                       "application", app,
                       NULL);
  self->app = g_object_ref (app);
  self->store = g_object_ref (bk_application_get_bookings (app));
  self->original = booking != NULL ? bk_booking_ref (booking) : NULL;
  self->occurrence_start = booking != NULL ? occurrence_start : 0;

  bk_booking_editor_fill_models (self);
  bk_booking_editor_make_weekday_buttons (self);
  bk_booking_editor_load (self, booking, start, end);
  bk_booking_editor_update_repeat_rows (self);
  if (booking != NULL && booking->recurrence.kind != BK_RECURRENCE_NONE)
    bk_booking_editor_show_occurrence (self);

  if (booking != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Booking"));
      gtk_widget_set_visible (GTK_WIDGET (self->manage_group), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->export_button), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->cancel_occurrence_button),
                              booking->recurrence.kind != BK_RECURRENCE_NONE &&
                              bk_booking_editor_recurrence_id (self) != 0);
    }

  /* From here on every change is checked. */
  g_signal_connect_swapped (self->title_row, "changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->start_row, "changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->end_row, "changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->until_row, "changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->pin_row, "changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->extend_switch, "notify::active", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->date_calendar, "day-selected", G_CALLBACK (bk_booking_editor_day_selected_cb), self);
  g_signal_connect_swapped (self->repeat_row, "notify::selected", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->ends_row, "notify::selected", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->bridge_row, "notify::selected", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (self->count_spin, "value-changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  buffer = gtk_text_view_get_buffer (self->notes_view);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (bk_booking_editor_schedule_check), self,
                           G_CONNECT_SWAPPED);

  g_clear_handle_id (&self->check_id, g_source_remove);
  bk_booking_editor_check (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));

  return self;
}

const char *
bk_booking_editor_get_problem (BkBookingEditor *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_EDITOR (self), NULL);

  return self->problem;
}

gboolean
bk_booking_editor_get_check_pending (BkBookingEditor *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_EDITOR (self), FALSE);

  return self->check_id != 0;
}

const char *
bk_booking_editor_get_time_zone (BkBookingEditor *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_EDITOR (self), NULL);

  return self->zone;
}

const char *
bk_booking_editor_get_slot_address (BkBookingEditor *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_EDITOR (self), NULL);

  return self->slot_address;
}

guint
bk_booking_editor_add_participant (BkBookingEditor *self,
                                   const char      *name,
                                   const char      *address,
                                   BkDialDirection  direction)
{
  static const char *directions[3] = { NULL, NULL, NULL };
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name_entry = gtk_entry_new ();
  GtkWidget *address_entry = gtk_entry_new ();
  GtkWidget *direction_drop;
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *error = gtk_label_new (NULL);
  int index;

  g_return_val_if_fail (BK_IS_BOOKING_EDITOR (self), 0);

  directions[0] = _("Dial Out");
  directions[1] = _("Dial In");
  direction_drop = gtk_drop_down_new_from_strings (directions);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_entry_set_placeholder_text (GTK_ENTRY (name_entry), _("Name"));
  gtk_editable_set_width_chars (GTK_EDITABLE (name_entry), 4);
  gtk_widget_set_hexpand (name_entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (name_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Participant Name"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (address_entry), _("SIP URI or number"));
  gtk_editable_set_width_chars (GTK_EDITABLE (address_entry), 6);
  gtk_widget_set_hexpand (address_entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (address_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Participant SIP URI or Number"), -1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (direction_drop), direction == BK_DIAL_IN ? 1 : 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (direction_drop), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Who Dials"), -1);
  gtk_widget_set_valign (direction_drop, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove Participant"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Participant"), -1);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_visible (error, FALSE);

  gtk_editable_set_text (GTK_EDITABLE (name_entry), name != NULL ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (address_entry), address != NULL ? address : "");

  gtk_box_append (GTK_BOX (line), name_entry);
  gtk_box_append (GTK_BOX (line), address_entry);
  gtk_box_append (GTK_BOX (line), direction_drop);
  gtk_box_append (GTK_BOX (line), remove);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), error);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), "name", name_entry);
  g_object_set_data (G_OBJECT (row), "address", address_entry);
  g_object_set_data (G_OBJECT (row), "direction", direction_drop);
  g_object_set_data (G_OBJECT (row), "error", error);

  g_signal_connect_swapped (name_entry, "changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (address_entry, "changed", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect_swapped (direction_drop, "notify::selected", G_CALLBACK (bk_booking_editor_changed_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (bk_booking_editor_remove_participant_cb), self);

  gtk_list_box_append (self->participants_list, row);
  index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  bk_booking_editor_changed_cb (self);
  return (guint) index;
}

GtkEditable *
bk_booking_editor_get_participant_address (BkBookingEditor *self,
                                           guint            index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BK_IS_BOOKING_EDITOR (self), NULL);

  row = participant_row (self, index);
  return row != NULL ? GTK_EDITABLE (participant_widget (row, "address")) : NULL;
}

GtkLabel *
bk_booking_editor_get_participant_error (BkBookingEditor *self,
                                         guint            index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BK_IS_BOOKING_EDITOR (self), NULL);

  row = participant_row (self, index);
  return row != NULL ? GTK_LABEL (participant_widget (row, "error")) : NULL;
}

char *
bk_booking_editor_local_zone_name (void)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  const char *id = g_time_zone_get_identifier (local);
  g_autoptr(GTimeZone) check = NULL;

  /* GLib gives the IANA name ($TZ, /etc/timezone or the /etc/localtime
   * link); anything else ("Local", a path) is not one. */
  if (id != NULL && *id == ':')
    id++;
  if (id != NULL && g_strcmp0 (id, "Local") != 0 && *id != '/' &&
      (check = g_time_zone_new_identifier (id)) != NULL)
    return g_strdup (id);
  return g_strdup ("UTC");
}
