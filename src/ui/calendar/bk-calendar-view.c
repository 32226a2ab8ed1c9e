/* bk-calendar-view.c: the booking calendar: week, month and agenda views
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkCalendarView"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bk-agenda-view.h"
#include "bk-booking-move.h"
#include "bk-bridge.h"
#include "bk-calendar-util.h"
#include "bk-calendar-view.h"
#include "bk-day-layout.h"
#include "bk-device.h"
#include "bk-month-view.h"
#include "bk-week-view.h"

struct _BkCalendarView
{
  GtkWidget       parent_instance;

  /* template */
  GtkWidget      *toolbar;
  GtkWidget      *date_button;
  GtkWidget      *date_label;
  GtkWidget      *date_popover;
  GtkWidget      *date_picker;
  GtkWidget      *bridge_filter;
  GtkWidget      *squeezer;
  GtkWidget      *switcher;
  GtkWidget      *switcher_bar;
  AdwViewStack   *stack;
  BkWeekView     *week_view;
  BkMonthView    *month_view;
  BkAgendaView   *agenda_view;

  BkBookingStore *store;
  gulong          changed_id;
  GListModel     *bridges;
  gulong          bridges_changed_id;
  GPtrArray      *filter_ids;       /* NULL = all, then device ids */
  char           *filter_id;        /* NULL = all bridges */

  GTimeZone      *tz;
  GDate           date;
  BkCalendarMode  mode;
  char           *title;
  gint64          range_from;
  gint64          range_to;
  guint           refresh_id;
  gboolean        picking;

  BkCalendarRulesFunc rules_func;
  gpointer        rules_data;
  GDestroyNotify  rules_destroy;
};

G_DEFINE_FINAL_TYPE (BkCalendarView, bk_calendar_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BRIDGES,
  PROP_MODE,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CREATE_BOOKING,
  SIGNAL_OPEN_BOOKING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *mode_names[] = { "week", "month", "agenda" };

GType
bk_calendar_mode_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { BK_CALENDAR_MODE_WEEK, "BK_CALENDAR_MODE_WEEK", "week" },
        { BK_CALENDAR_MODE_MONTH, "BK_CALENDAR_MODE_MONTH", "month" },
        { BK_CALENDAR_MODE_AGENDA, "BK_CALENDAR_MODE_AGENDA", "agenda" },
        { 0, NULL, NULL },
      };

      g_once_init_leave (&type, g_enum_register_static ("BkCalendarMode", values));
    }
  return type;
}

static BkDevice *
device_of (gpointer item)
{
  if (BK_IS_BRIDGE (item))
    return bk_bridge_get_device (item);
  if (BK_IS_DEVICE (item))
    return item;
  return NULL;
}

/* The first day of the week holding @date: Monday or Sunday, as the
 * locale has it. */
static void
week_start_of (const GDate *date,
               GDate       *start)
{
  bk_calendar_week_start (date, start);
}

static void
set_title (BkCalendarView *self,
           char           *title)
{
  if (g_strcmp0 (self->title, title) == 0)
    {
      g_free (title);
      return;
    }
  g_free (self->title);
  self->title = title;
  gtk_label_set_text (GTK_LABEL (self->date_label), title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/* The items of [from, to), with their bridge's name and colour. */
static GPtrArray *
query_items (BkCalendarView *self,
             gint64          from,
             gint64          to)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_calendar_item_free);
  g_autoptr(GHashTable) colors = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) found = NULL;

  if (self->store == NULL)
    return items;

  for (guint i = 0; self->bridges != NULL && i < g_list_model_get_n_items (self->bridges); i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (self->bridges, i);
      BkDevice *device = device_of (entry);

      if (device == NULL)
        continue;
      g_hash_table_insert (colors, (gpointer) bk_device_get_id (device),
                           GUINT_TO_POINTER (1 + i % BK_CALENDAR_N_COLORS));
      g_hash_table_insert (names, (gpointer) bk_device_get_id (device), (gpointer) bk_device_get_name (device));
    }

  found = bk_booking_store_query (self->store, self->filter_id, from, to);
  g_ptr_array_set_size (items, 0);
  for (guint i = 0; i < found->len; i++)
    {
      BkIndexedOccurrence *o = &g_array_index (found, BkIndexedOccurrence, i);
      BkCalendarItem *item = g_new0 (BkCalendarItem, 1);
      const char *name = g_hash_table_lookup (names, o->booking->bridge_id);

      item->uid = g_strdup (o->booking->uid);
      item->title = g_strdup (bk_booking_get_occurrence_title (o->booking, o->occurrence.recurrence_id));
      item->bridge_name = g_strdup (name != NULL ? name : "");
      item->start = o->occurrence.start;
      item->end = o->occurrence.end;
      item->recurrence_id = o->occurrence.recurrence_id;
      item->color = GPOINTER_TO_UINT (g_hash_table_lookup (colors, o->booking->bridge_id));
      g_ptr_array_add (items, item);
    }
  return items;
}

void
bk_calendar_view_refresh (BkCalendarView *self)
{
  g_autoptr(GPtrArray) items = NULL;
  gint64 end_unused;
  GDate first, last;

  g_return_if_fail (BK_IS_CALENDAR_VIEW (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  switch (self->mode)
    {
    case BK_CALENDAR_MODE_WEEK:
      {
        g_autofree char *month = NULL;

        week_start_of (&self->date, &first);
        last = first;
        g_date_add_days (&last, 7);
        bk_day_bounds (self->tz, &first, &self->range_from, &end_unused);
        bk_day_bounds (self->tz, &last, &self->range_to, &end_unused);
        items = query_items (self, self->range_from, self->range_to);
        bk_week_view_set_week (self->week_view, self->tz, &first, &self->date, items);
        month = bk_calendar_format_month (&self->date);
        /* Translators: the week view's title: the ISO week number, the
         * month and year ("Week 50, December 2026"). */
        set_title (self, g_strdup_printf (_("Week %1$u, %2$s"), g_date_get_iso8601_week_of_year (&self->date), month));
        break;
      }

    case BK_CALENDAR_MODE_MONTH:
      {
        GDate first_of_month = self->date;

        g_date_set_day (&first_of_month, 1);
        week_start_of (&first_of_month, &first);
        last = first;
        g_date_add_days (&last, 42);
        bk_day_bounds (self->tz, &first, &self->range_from, &end_unused);
        bk_day_bounds (self->tz, &last, &self->range_to, &end_unused);
        items = query_items (self, self->range_from, self->range_to);
        bk_month_view_set_month (self->month_view, self->tz, &first, g_date_get_month (&self->date), items);
        set_title (self, bk_calendar_format_month (&self->date));
        break;
      }

    case BK_CALENDAR_MODE_AGENDA:
      {
        g_autofree char *from = NULL;
        g_autofree char *to = NULL;

        first = self->date;
        last = first;
        g_date_add_days (&last, BK_AGENDA_VIEW_N_DAYS);
        bk_day_bounds (self->tz, &first, &self->range_from, &end_unused);
        bk_day_bounds (self->tz, &last, &self->range_to, &end_unused);
        items = query_items (self, self->range_from, self->range_to);
        bk_agenda_view_set_range (self->agenda_view, self->tz, &first, items);
        g_date_subtract_days (&last, 1);
        from = bk_calendar_format_day_short (&first);
        to = bk_calendar_format_day_short (&last);
        /* Translators: the agenda's title: its first and last day. */
        set_title (self, g_strdup_printf (C_("agenda title", "%1$s – %2$s"), from, to));
        break;
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  BkCalendarView *self = user_data;

  self->refresh_id = 0;
  bk_calendar_view_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (BkCalendarView *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE - 10, refresh_idle_cb, self, NULL);
}

static void
store_changed_cb (BkBookingStore *store,
                  const char     *uid,
                  BkCalendarView *self)
{
  queue_refresh (self);
}

static void
filter_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (ellipsize != NULL)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 3);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
filter_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkStringObject *name = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), gtk_string_object_get_string (name));
}

/* The chosen bridge's name is shortened when narrow; the list is not. */
static void
set_filter_factories (BkCalendarView *self)
{
  g_autoptr(GtkListItemFactory) button = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_signal_connect (button, "setup", G_CALLBACK (filter_setup_cb), GINT_TO_POINTER (1));
  g_signal_connect (button, "bind", G_CALLBACK (filter_bind_cb), NULL);
  g_signal_connect (list, "setup", G_CALLBACK (filter_setup_cb), NULL);
  g_signal_connect (list, "bind", G_CALLBACK (filter_bind_cb), NULL);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (self->bridge_filter), button);
  gtk_drop_down_set_list_factory (GTK_DROP_DOWN (self->bridge_filter), list);
}

/* The filter's choices: All Bridges, then each bridge by name. */
static void
rebuild_filter (BkCalendarView *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  g_ptr_array_set_size (self->filter_ids, 0);
  gtk_string_list_append (names, _("All Bridges"));
  g_ptr_array_add (self->filter_ids, NULL);
  for (guint i = 0; self->bridges != NULL && i < g_list_model_get_n_items (self->bridges); i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (self->bridges, i);
      BkDevice *device = device_of (entry);

      if (device == NULL)
        continue;
      gtk_string_list_append (names, bk_device_get_name (device));
      g_ptr_array_add (self->filter_ids, g_strdup (bk_device_get_id (device)));
      if (g_strcmp0 (self->filter_id, bk_device_get_id (device)) == 0)
        selected = self->filter_ids->len - 1;
    }
  if (selected == 0)
    g_clear_pointer (&self->filter_id, g_free);

  g_object_freeze_notify (G_OBJECT (self->bridge_filter));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->bridge_filter), G_LIST_MODEL (names));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->bridge_filter), selected);
  g_object_thaw_notify (G_OBJECT (self->bridge_filter));
  gtk_widget_set_visible (self->bridge_filter, self->filter_ids->len > 1);
}

static void
bridges_changed_cb (GListModel     *model,
                    guint           position,
                    guint           removed,
                    guint           added,
                    BkCalendarView *self)
{
  rebuild_filter (self);
  queue_refresh (self);
}

static void
filter_selected_cb (GtkDropDown    *drop_down,
                    GParamSpec     *pspec,
                    BkCalendarView *self)
{
  guint selected = gtk_drop_down_get_selected (drop_down);
  const char *id = selected < self->filter_ids->len ? g_ptr_array_index (self->filter_ids, selected) : NULL;

  if (g_strcmp0 (id, self->filter_id) == 0)
    return;
  g_free (self->filter_id);
  self->filter_id = g_strdup (id);
  queue_refresh (self);
}

static void
stack_visible_cb (AdwViewStack   *stack,
                  GParamSpec     *pspec,
                  BkCalendarView *self)
{
  const char *name = adw_view_stack_get_visible_child_name (stack);

  for (guint m = 0; m < G_N_ELEMENTS (mode_names); m++)
    if (g_strcmp0 (name, mode_names[m]) == 0 && self->mode != m)
      {
        self->mode = m;
        bk_calendar_view_refresh (self);
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
      }
}

/* Drag (or the keyboard) to move and to resize */

/* The rules a move is checked with: the window's (the application's
 * preferred bridge), else every listed bridge at the present time.  The
 * returned array keeps rules->bridges alive. */
static GPtrArray *
fill_rules (BkCalendarView *self,
            BkBookingRules *rules)
{
  GPtrArray *bridges = NULL;

  if (self->rules_func != NULL)
    bridges = self->rules_func (rules, self->rules_data);
  if (bridges != NULL)
    return bridges;

  bridges = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; self->bridges != NULL && i < g_list_model_get_n_items (self->bridges); i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (self->bridges, i);
      BkDevice *device = device_of (entry);

      if (device != NULL)
        g_ptr_array_add (bridges, g_object_ref (device));
    }
  rules->now = g_get_real_time () / G_USEC_PER_SEC;
  rules->bridges = bridges;
  rules->preferred_bridge_id = NULL;
  return bridges;
}

static void
show_toast (BkCalendarView *self,
            const char     *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

typedef struct
{
  BkCalendarView *self;
  char           *uid;
  gint64          recurrence_id;
  GDateTime      *occurrence_start;
  GDateTime      *new_start;
  GDateTime      *new_end;          /* NULL: a move, the length kept */
} Move;

static void
move_free (Move *m)
{
  g_object_unref (m->self);
  g_free (m->uid);
  g_date_time_unref (m->occurrence_start);
  g_date_time_unref (m->new_start);
  g_clear_pointer (&m->new_end, g_date_time_unref);
  g_free (m);
}

static void
apply_move (BkCalendarView *self,
            Move           *m,
            gboolean        whole_series)
{
  BkBooking *booking;
  g_autoptr(BkBooking) moved = NULL;
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) error = NULL;
  BkBookingRules rules = { 0 };

  if (self->store == NULL)
    return;
  booking = bk_booking_store_lookup (self->store, m->uid);
  if (booking == NULL)
    return;   /* removed meanwhile */

  bridges = fill_rules (self, &rules);
  if (!g_date_time_equal (m->new_start, m->occurrence_start) && g_date_time_to_unix (m->new_start) < rules.now)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      g_autofree char *when = bk_booking_format_time (g_date_time_to_unix (m->new_start), local);
      /* Translators: the booking's title, the time it was dropped at. */
      g_autofree char *text = g_strdup_printf (_("“%1$s” was not moved: it would start in the past (%2$s). Drop it at a later time."),
                                               booking->title, when);

      show_toast (self, text);
      return;
    }

  moved = bk_booking_move (booking, m->recurrence_id, m->occurrence_start, m->new_start, m->new_end, whole_series);
  if (!bk_booking_store_save (self->store, &rules, moved, NULL, &error))
    {
      g_autofree char *text = NULL;

      if (m->new_end != NULL)
        /* Translators: the booking's title, then the rules' sentence
         * (why it cannot be that long). */
        text = g_strdup_printf (_("The length of “%1$s” was not changed: %2$s"), booking->title, error->message);
      else
        /* Translators: the booking's title, then the rules' sentence (why
         * it cannot be there). */
        text = g_strdup_printf (_("“%1$s” was not moved: %2$s"), booking->title, error->message);
      show_toast (self, text);
    }
  /* The grid shows it where it is now at once (where it was, when
   * refused): a key pressed again moves it on from there (the store's
   * change would show only after the key presses waiting). */
  bk_calendar_view_refresh (self);
}

static void
series_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Move             *m)
{
  if (g_strcmp0 (response, "occurrence") == 0)
    apply_move (m->self, m, FALSE);
  else if (g_strcmp0 (response, "series") == 0)
    apply_move (m->self, m, TRUE);
}

/* Applies @m (taken), after asking for a series whether it is for this
 * occurrence or all of them. */
static void
change_booking (BkCalendarView *self,
                Move           *m)
{
  BkBooking *booking = self->store != NULL ? bk_booking_store_lookup (self->store, m->uid) : NULL;
  GtkRoot *root;
  GtkWidget *dialog;

  if (booking == NULL || booking->recurrence.kind == BK_RECURRENCE_NONE)
    {
      if (booking != NULL)
        apply_move (self, m, FALSE);
      move_free (m);
      return;
    }

  /* A series: this occurrence, or all of them? */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (m->new_end == NULL)
    {
      /* Translators: the heading of the question asked when a repeating
       * booking is dragged to another time. */
      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _("Move a Repeating Booking?"), NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("“%s” repeats. Move only this occurrence, or every occurrence of the series by the same time?"),
                                      booking->title);
    }
  else
    {
      /* Translators: the heading of the question asked when a repeating
       * booking is made longer or shorter (its bottom edge dragged). */
      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _("Change the Length of a Repeating Booking?"), NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("“%s” repeats. Change only this occurrence, or make every occurrence of the series longer or shorter by the same time?"),
                                      booking->title);
    }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "series", _("_Whole Series"),
                                    "occurrence", _("_This Occurrence"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "occurrence",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "occurrence");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (series_response_cb), m,
                         (GClosureNotify) (void (*) (void)) move_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static Move *
move_new (BkCalendarView *self,
          const char     *uid,
          gint64          recurrence_id,
          GDateTime      *occurrence_start,
          GDateTime      *new_start,
          GDateTime      *new_end)
{
  Move *m = g_new0 (Move, 1);

  m->self = g_object_ref (self);
  m->uid = g_strdup (uid);
  m->recurrence_id = recurrence_id;
  m->occurrence_start = g_date_time_ref (occurrence_start);
  m->new_start = g_date_time_ref (new_start);
  m->new_end = new_end != NULL ? g_date_time_ref (new_end) : NULL;
  return m;
}

static void
move_booking_cb (BkWeekView     *week,
                 const char     *uid,
                 gint64          recurrence_id,
                 GDateTime      *occurrence_start,
                 GDateTime      *new_start,
                 BkCalendarView *self)
{
  change_booking (self, move_new (self, uid, recurrence_id, occurrence_start, new_start, NULL));
}

static void
resize_booking_cb (BkWeekView     *week,
                   const char     *uid,
                   gint64          recurrence_id,
                   GDateTime      *occurrence_start,
                   GDateTime      *new_end,
                   BkCalendarView *self)
{
  change_booking (self, move_new (self, uid, recurrence_id, occurrence_start, occurrence_start, new_end));
}

static void
create_booking_cb (BkWeekView     *week,
                   GDateTime      *start,
                   GDateTime      *end,
                   BkCalendarView *self)
{
  g_signal_emit (self, signals[SIGNAL_CREATE_BOOKING], 0, start, end);
}

static void
open_booking_cb (GtkWidget      *view,
                 const char     *uid,
                 GDateTime      *start,
                 BkCalendarView *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_BOOKING], 0, uid, start);
}

static void
show_day_cb (BkMonthView    *month,
             GDateTime      *day,
             BkCalendarView *self)
{
  bk_calendar_view_set_date (self, day);
  bk_calendar_view_set_mode (self, BK_CALENDAR_MODE_WEEK);
}

/* "+N" in the week grid: that day's bookings in the agenda. */
static void
week_show_day_cb (BkWeekView     *week,
                  GDateTime      *day,
                  BkCalendarView *self)
{
  bk_calendar_view_set_date (self, day);
  bk_calendar_view_set_mode (self, BK_CALENDAR_MODE_AGENDA);
}

static void
date_popover_show_cb (GtkPopover     *popover,
                      BkCalendarView *self)
{
  g_autoptr(GDateTime) date = bk_calendar_view_get_date (self);

  self->picking = TRUE;
  gtk_calendar_select_day (GTK_CALENDAR (self->date_picker), date);
  self->picking = FALSE;
}

static void
date_picked_cb (GtkCalendar    *calendar,
                BkCalendarView *self)
{
  g_autoptr(GDateTime) date = NULL;

  if (self->picking)
    return;
  date = gtk_calendar_get_date (calendar);
  bk_calendar_view_set_date (self, date);
  gtk_popover_popdown (GTK_POPOVER (self->date_popover));
}

/* When the toolbar has no room for the switcher, it goes to the bottom. */
static void
squeezer_changed_cb (AdwSqueezer    *squeezer,
                     GParamSpec     *pspec,
                     BkCalendarView *self)
{
  adw_view_switcher_bar_set_reveal (ADW_VIEW_SWITCHER_BAR (self->switcher_bar),
                                    adw_squeezer_get_visible_child (squeezer) != self->switcher);
}

static void
move (BkCalendarView *self,
      int             direction)
{
  GDate date = self->date;

  switch (self->mode)
    {
    case BK_CALENDAR_MODE_WEEK:
      {
        /* A narrow grid shows fewer days and moves by as many. */
        guint n = bk_week_view_get_n_days (self->week_view);

        if (n >= 7)
          week_start_of (&self->date, &date);
        if (direction > 0)
          g_date_add_days (&date, n);
        else
          g_date_subtract_days (&date, n);
        break;
      }
    case BK_CALENDAR_MODE_MONTH:
      g_date_set_day (&date, 1);
      if (direction > 0)
        g_date_add_months (&date, 1);
      else
        g_date_subtract_months (&date, 1);
      break;
    case BK_CALENDAR_MODE_AGENDA:
      if (direction > 0)
        g_date_add_days (&date, BK_AGENDA_VIEW_N_DAYS);
      else
        g_date_subtract_days (&date, BK_AGENDA_VIEW_N_DAYS);
      break;
    default:
      g_assert_not_reached ();
    }
  self->date = date;
  bk_calendar_view_refresh (self);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  move (BK_CALENDAR_VIEW (widget), -1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  move (BK_CALENDAR_VIEW (widget), 1);
}

static void
today_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BkCalendarView *self = BK_CALENDAR_VIEW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now (self->tz);

  bk_calendar_view_set_date (self, now);
}

static void
mode_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint m = 0; m < G_N_ELEMENTS (mode_names); m++)
    if (g_str_equal (name, mode_names[m]))
      bk_calendar_view_set_mode (BK_CALENDAR_VIEW (widget), m);
}

static void
bk_calendar_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BkCalendarView *self = BK_CALENDAR_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BRIDGES:
      g_value_set_object (value, self->bridges);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_calendar_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BkCalendarView *self = BK_CALENDAR_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      bk_calendar_view_set_store (self, g_value_get_object (value));
      break;
    case PROP_BRIDGES:
      bk_calendar_view_set_bridges (self, g_value_get_object (value));
      break;
    case PROP_MODE:
      bk_calendar_view_set_mode (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_calendar_view_dispose (GObject *object)
{
  BkCalendarView *self = BK_CALENDAR_VIEW (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  if (self->bridges != NULL)
    g_clear_signal_handler (&self->bridges_changed_id, self->bridges);
  g_clear_object (&self->bridges);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_CALENDAR_VIEW);
  G_OBJECT_CLASS (bk_calendar_view_parent_class)->dispose (object);
}

static void
bk_calendar_view_finalize (GObject *object)
{
  BkCalendarView *self = BK_CALENDAR_VIEW (object);

  g_clear_pointer (&self->filter_ids, g_ptr_array_unref);
  g_free (self->filter_id);
  g_free (self->title);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  if (self->rules_destroy != NULL)
    self->rules_destroy (self->rules_data);
  G_OBJECT_CLASS (bk_calendar_view_parent_class)->finalize (object);
}

static void
load_css (void)
{
  static gboolean loaded;
  GtkCssProvider *provider;
  g_autofree char *colors = NULL;

  if (loaded || gdk_display_get_default () == NULL)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/bridgekeeper/Bridgekeeper/calendar/bk-calendar.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);

  provider = gtk_css_provider_new ();
  colors = bk_calendar_color_css ();
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_css_provider_load_from_string (provider, colors);
#else
  gtk_css_provider_load_from_data (provider, colors, -1);
#endif
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (provider);
}

/* GTK 4.8's GtkCalendar leaves its four arrow buttons without a name for
 * screen readers: month back and forward, then year back and forward. */
static void
name_calendar_arrows (GtkWidget *calendar)
{
  const char *names[] = {
    N_("Previous Month"), N_("Next Month"), N_("Previous Year"), N_("Next Year"),
  };
  guint n = 0;
  GtkWidget *header = gtk_widget_get_first_child (calendar);

  for (GtkWidget *child = header != NULL ? gtk_widget_get_first_child (header) : NULL;
       child != NULL && n < G_N_ELEMENTS (names);
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      {
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, _(names[n]), -1);
        gtk_widget_set_tooltip_text (child, _(names[n]));
        n++;
      }
}

static void
bk_calendar_view_class_init (BkCalendarViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = bk_calendar_view_get_property;
  object_class->set_property = bk_calendar_view_set_property;
  object_class->dispose = bk_calendar_view_dispose;
  object_class->finalize = bk_calendar_view_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BK_TYPE_BOOKING_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BRIDGES] =
    g_param_spec_object ("bridges", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, BK_TYPE_CALENDAR_MODE, BK_CALENDAR_MODE_WEEK,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CREATE_BOOKING] =
    g_signal_new ("create-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DATE_TIME, G_TYPE_DATE_TIME);
  signals[SIGNAL_OPEN_BOOKING] =
    g_signal_new ("open-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DATE_TIME);

  g_type_ensure (BK_TYPE_WEEK_VIEW);
  g_type_ensure (BK_TYPE_MONTH_VIEW);
  g_type_ensure (BK_TYPE_AGENDA_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/calendar/bk-calendar-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, date_button);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, date_popover);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, date_label);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, date_picker);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, bridge_filter);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, squeezer);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, switcher);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, stack);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, week_view);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, month_view);
  gtk_widget_class_bind_template_child (widget_class, BkCalendarView, agenda_view);
  gtk_widget_class_bind_template_callback (widget_class, create_booking_cb);
  gtk_widget_class_bind_template_callback (widget_class, move_booking_cb);
  gtk_widget_class_bind_template_callback (widget_class, resize_booking_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_booking_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_day_cb);
  gtk_widget_class_bind_template_callback (widget_class, week_show_day_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_picked_cb);
  gtk_widget_class_bind_template_callback (widget_class, squeezer_changed_cb);

  gtk_widget_class_install_action (widget_class, "calendar.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "calendar.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "calendar.today", NULL, today_action);
  gtk_widget_class_install_action (widget_class, "calendar.mode", "s", mode_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "calendar.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "calendar.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "calendar.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "calendar.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "calendar.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "calendar.mode", "s", "week");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "calendar.mode", "s", "month");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "calendar.mode", "s", "agenda");

  gtk_widget_class_set_css_name (widget_class, "bk-calendar-view");
}

static void
bk_calendar_view_init (BkCalendarView *self)
{
  g_autoptr(GDateTime) now = NULL;

  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->tz = g_time_zone_new_local ();
  self->filter_ids = g_ptr_array_new_with_free_func (g_free);
  now = g_date_time_new_now (self->tz);
  g_date_clear (&self->date, 1);
  g_date_set_dmy (&self->date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));

  name_calendar_arrows (self->date_picker);
  set_filter_factories (self);
  rebuild_filter (self);
  g_signal_connect (self->bridge_filter, "notify::selected", G_CALLBACK (filter_selected_cb), self);
  g_signal_connect (self->stack, "notify::visible-child-name", G_CALLBACK (stack_visible_cb), self);
  bk_calendar_view_refresh (self);
}

GtkWidget *
bk_calendar_view_new (void)
{
  return g_object_new (BK_TYPE_CALENDAR_VIEW, NULL);
}

void
bk_calendar_view_set_store (BkCalendarView *self,
                            BkBookingStore *store)
{
  g_return_if_fail (BK_IS_CALENDAR_VIEW (self));
  g_return_if_fail (store == NULL || BK_IS_BOOKING_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  queue_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

BkBookingStore *
bk_calendar_view_get_store (BkCalendarView *self)
{
  g_return_val_if_fail (BK_IS_CALENDAR_VIEW (self), NULL);

  return self->store;
}

void
bk_calendar_view_set_bridges (BkCalendarView *self,
                              GListModel     *bridges)
{
  g_return_if_fail (BK_IS_CALENDAR_VIEW (self));
  g_return_if_fail (bridges == NULL || G_IS_LIST_MODEL (bridges));

  if (self->bridges == bridges)
    return;
  if (self->bridges != NULL)
    g_clear_signal_handler (&self->bridges_changed_id, self->bridges);
  g_set_object (&self->bridges, bridges);
  if (bridges != NULL)
    self->bridges_changed_id = g_signal_connect (bridges, "items-changed", G_CALLBACK (bridges_changed_cb), self);
  if (self->filter_ids != NULL)
    {
      rebuild_filter (self);
      queue_refresh (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRIDGES]);
}

void
bk_calendar_view_set_date (BkCalendarView *self,
                           GDateTime      *date)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_if_fail (BK_IS_CALENDAR_VIEW (self));
  g_return_if_fail (date != NULL);

  local = g_date_time_to_timezone (date, self->tz);
  g_date_set_dmy (&self->date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  bk_calendar_view_refresh (self);
}

GDateTime *
bk_calendar_view_get_date (BkCalendarView *self)
{
  g_return_val_if_fail (BK_IS_CALENDAR_VIEW (self), NULL);

  return g_date_time_new (self->tz, g_date_get_year (&self->date), g_date_get_month (&self->date),
                          g_date_get_day (&self->date), 0, 0, 0);
}

void
bk_calendar_view_set_mode (BkCalendarView *self,
                           BkCalendarMode  mode)
{
  g_return_if_fail (BK_IS_CALENDAR_VIEW (self));
  g_return_if_fail (mode <= BK_CALENDAR_MODE_AGENDA);

  /* stack_visible_cb refreshes and notifies. */
  adw_view_stack_set_visible_child_name (self->stack, mode_names[mode]);
}

BkCalendarMode
bk_calendar_view_get_mode (BkCalendarView *self)
{
  g_return_val_if_fail (BK_IS_CALENDAR_VIEW (self), BK_CALENDAR_MODE_WEEK);

  return self->mode;
}

const char *
bk_calendar_view_get_title (BkCalendarView *self)
{
  g_return_val_if_fail (BK_IS_CALENDAR_VIEW (self), NULL);

  return self->title;
}

void
bk_calendar_view_get_range (BkCalendarView *self,
                            gint64         *from,
                            gint64         *to)
{
  g_return_if_fail (BK_IS_CALENDAR_VIEW (self));

  *from = self->range_from;
  *to = self->range_to;
}

void
bk_calendar_view_set_bridge_filter (BkCalendarView *self,
                                    const char     *bridge_id)
{
  g_return_if_fail (BK_IS_CALENDAR_VIEW (self));

  for (guint i = 0; i < self->filter_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->filter_ids, i), bridge_id) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->bridge_filter), i);
        break;
      }
  g_free (self->filter_id);
  self->filter_id = g_strdup (bridge_id);
  bk_calendar_view_refresh (self);
}

void
bk_calendar_view_set_rules_func (BkCalendarView      *self,
                                 BkCalendarRulesFunc  func,
                                 gpointer             user_data,
                                 GDestroyNotify       destroy)
{
  g_return_if_fail (BK_IS_CALENDAR_VIEW (self));

  if (self->rules_destroy != NULL)
    self->rules_destroy (self->rules_data);
  self->rules_func = func;
  self->rules_data = user_data;
  self->rules_destroy = destroy;
}
