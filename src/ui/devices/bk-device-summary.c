/* bk-device-summary.c: the device page's Summary tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-calendar-util.h"
#include "bk-device-summary.h"
#include "bk-format.h"
#include "bk-tickets.h"
#include "bk-value-row.h"

typedef enum {
  STATUS_UPTIME,
  STATUS_LEGS_ACTIVE,
  STATUS_LEGS_MAX_ACTIVE,
  STATUS_LEGS_COMPLETED,
  STATUS_AUDIO_OUT,
  STATUS_AUDIO_IN,
  STATUS_VIDEO_OUT,
  STATUS_VIDEO_IN,
  N_STATUS_ROWS
} StatusRow;

/* The template ids of the status rows, in StatusRow order. */
static const char *status_row_ids[N_STATUS_ROWS] = {
  "uptime_row", "legs_active_row", "legs_max_active_row", "legs_completed_row",
  "audio_out_row", "audio_in_row", "video_out_row", "video_in_row",
};

struct _BkDeviceSummary
{
  AdwBin      parent_instance;

  BkBridge   *bridge;
  GSettings  *settings;
  BkBookingStore *bookings;
  guint       bookings_timeout_id;

  /* Template widgets */
  GtkListBox *tickets_list;
  AdwPreferencesGroup *status_group;
  BkValueRow *status_rows[N_STATUS_ROWS];
  GtkListBox *bookings_list;
};

/* "This Week's Bookings" looks this far ahead. */
#define WEEK_SECONDS (7 * 24 * 3600)
/* While on screen, the list is redone at least this often (the clock may
 * jump: a suspend, a time zone change). */
#define BOOKINGS_MAX_WAIT_SECONDS 600

G_DEFINE_FINAL_TYPE (BkDeviceSummary, bk_device_summary, ADW_TYPE_BIN)

static GtkWidget *
create_ticket_row (gpointer item,
                   gpointer user_data)
{
  BkTicket *ticket = item;
  GtkWidget *row = adw_action_row_new ();
  const char *icon;
  const char *label = bk_ticket_get_action_label (ticket);
  const char *action = bk_ticket_get_action_name (ticket);

  switch (bk_ticket_get_severity (ticket))
    {
    case BK_TICKET_SEVERITY_ERROR:
      icon = "dialog-error-symbolic";
      break;
    case BK_TICKET_SEVERITY_WARNING:
      icon = "dialog-warning-symbolic";
      break;
    case BK_TICKET_SEVERITY_INFO:
    default:
      icon = "dialog-information-symbolic";
      break;
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bk_ticket_get_sentence (ticket));
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon);
  if (bk_ticket_get_severity (ticket) == BK_TICKET_SEVERITY_ERROR)
    gtk_widget_add_css_class (row, "error");
  else if (bk_ticket_get_severity (ticket) == BK_TICKET_SEVERITY_WARNING)
    gtk_widget_add_css_class (row, "warning");

  /* The action is the page's (device.*), found from the button upward. */
  if (label != NULL && action != NULL)
    {
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
      /* The engine's tickets name their meeting (app.redial-participant). */
      if (bk_ticket_get_action_target (ticket) != NULL)
        gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                                bk_ticket_get_action_target (ticket));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  return row;
}

static void
set_status_value (BkDeviceSummary *self,
                  StatusRow        row,
                  char            *text)  /* transfer full */
{
  bk_value_row_set_value (self->status_rows[row], text);
  g_free (text);
}

static char *
format_count (gint64 value)
{
  return value >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;
}

static void
update_status (BkDeviceSummary *self)
{
  const BkCmsSystemStatus *status = bk_bridge_get_status (self->bridge);

  if (status == NULL)
    {
      for (guint i = 0; i < N_STATUS_ROWS; i++)
        bk_value_row_set_value (self->status_rows[i], NULL);
      return;
    }

  set_status_value (self, STATUS_UPTIME, bk_format_uptime (status->uptime_seconds));
  set_status_value (self, STATUS_LEGS_ACTIVE, format_count (status->call_legs_active));
  set_status_value (self, STATUS_LEGS_MAX_ACTIVE, format_count (status->call_legs_max_active));
  set_status_value (self, STATUS_LEGS_COMPLETED, format_count (status->call_legs_completed));
  set_status_value (self, STATUS_AUDIO_OUT, bk_format_bit_rate (status->audio_bit_rate_outgoing));
  set_status_value (self, STATUS_AUDIO_IN, bk_format_bit_rate (status->audio_bit_rate_incoming));
  set_status_value (self, STATUS_VIDEO_OUT, bk_format_bit_rate (status->video_bit_rate_outgoing));
  set_status_value (self, STATUS_VIDEO_IN, bk_format_bit_rate (status->video_bit_rate_incoming));
}


static GtkWidget *
create_booking_row (const BkIndexedOccurrence *item,
                    GTimeZone                 *tz)
{
  const BkBooking *booking = item->booking;
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GDateTime) start = bk_calendar_date_time (tz, item->occurrence.start);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autofree char *day = NULL;
  g_autofree char *times = bk_calendar_format_times (tz, item->occurrence.start, item->occurrence.end);
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  GDate date;
  GDate today;
  GtkWidget *arrow;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (start), g_date_time_get_month (start),
                  g_date_time_get_year (start));
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  if (g_date_compare (&date, &today) == 0)
    day = g_strdup (_("Today"));
  else if (g_date_days_between (&today, &date) == 1)
    day = g_strdup (_("Tomorrow"));
  else
    day = bk_calendar_format_day_short (&date);
  /* Translators: "<day>, <start> – <end>", e.g. "Tomorrow, 09:00 – 10:00". */
  when = g_strdup_printf (_("%1$s, %2$s"), day, times);
  if (*booking->slot_address != '\0')
    /* Translators: the second line of a booking on the bridge's Summary:
     * "<when> · <slot address> · <booking type>". */
    subtitle = g_strdup_printf (_("%1$s · %2$s · %3$s"), when, booking->slot_address,
                                bk_booking_type_get_label (booking->type));
  else
    subtitle = g_strdup_printf (_("%1$s · %2$s"), when, bk_booking_type_get_label (booking->type));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 bk_booking_get_occurrence_title (booking, item->occurrence.recurrence_id));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "x-office-calendar-symbolic");
  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  /* The window's action opens the booking editor at this occurrence. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-booking");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row),
                                          g_variant_new ("(sx)", booking->uid, item->occurrence.start));
  g_object_set_data_full (G_OBJECT (row), "bk-uid", g_strdup (booking->uid), g_free);
  return row;
}

static void schedule_bookings_update (BkDeviceSummary *self,
                                      gint64           next_change);

static void
update_bookings (BkDeviceSummary *self)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GArray) shown = NULL;
  g_autoptr(GArray) later = NULL;
  GtkListBoxRow *row;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 next_change = now + BOOKINGS_MAX_WAIT_SECONDS;
  const char *id;

  /* The rows only: the placeholder (TMS's empty text) stays. */
  while ((row = gtk_list_box_get_row_at_index (self->bookings_list, 0)) != NULL)
    gtk_list_box_remove (self->bookings_list, GTK_WIDGET (row));
  if (self->bookings == NULL || self->bridge == NULL)
    return;

  /* A cluster is one device: its bookings carry the device's id. */
  id = bk_device_get_id (bk_bridge_get_device (self->bridge));
  shown = bk_booking_store_query (self->bookings, id, now, now + WEEK_SECONDS);
  for (guint i = 0; i < shown->len; i++)
    {
      const BkIndexedOccurrence *item = &g_array_index (shown, BkIndexedOccurrence, i);

      gtk_list_box_append (self->bookings_list, create_booking_row (item, tz));
      /* It leaves the list when it is over. */
      next_change = MIN (next_change, item->occurrence.end);
    }
  /* The next one comes into the week. */
  later = bk_booking_store_query (self->bookings, id, now + WEEK_SECONDS, next_change + WEEK_SECONDS);
  for (guint i = 0; i < later->len; i++)
    {
      const BkIndexedOccurrence *item = &g_array_index (later, BkIndexedOccurrence, i);

      if (item->occurrence.start >= now + WEEK_SECONDS)
        {
          next_change = MIN (next_change, item->occurrence.start - WEEK_SECONDS);
          break;
        }
    }
  schedule_bookings_update (self, next_change);
}

static gboolean
bookings_timeout_cb (gpointer data)
{
  BkDeviceSummary *self = data;

  self->bookings_timeout_id = 0;
  update_bookings (self);
  return G_SOURCE_REMOVE;
}

/* The list follows the clock while it is on screen. */
static void
schedule_bookings_update (BkDeviceSummary *self,
                          gint64           next_change)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_clear_handle_id (&self->bookings_timeout_id, g_source_remove);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->bookings == NULL)
    return;
  self->bookings_timeout_id = g_timeout_add_seconds ((guint) CLAMP (next_change - now + 1, 1, BOOKINGS_MAX_WAIT_SECONDS),
                                                     bookings_timeout_cb, self);
}

static void
bookings_changed_cb (BkDeviceSummary *self,
                     const char      *uid)
{
  update_bookings (self);
}

void
bk_device_summary_set_bookings (BkDeviceSummary *self,
                                BkBookingStore  *bookings)
{
  g_return_if_fail (BK_IS_DEVICE_SUMMARY (self));
  g_return_if_fail (BK_IS_BOOKING_STORE (bookings));
  g_return_if_fail (self->bookings == NULL);

  self->bookings = g_object_ref (bookings);
  g_signal_connect_object (bookings, "changed", G_CALLBACK (bookings_changed_cb), self, G_CONNECT_SWAPPED);
  update_bookings (self);
}

/* The status is refreshed while the Summary is on screen: the view stack
 * maps only its visible tab. */
static void
update_refresh (BkDeviceSummary *self)
{
  guint seconds = 0;

  if (self->bridge == NULL)
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    seconds = g_settings_get_uint (self->settings, "status-refresh-seconds");
  bk_bridge_set_refresh_interval (self->bridge, seconds);
}

static void
bk_device_summary_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bk_device_summary_parent_class)->map (widget);
  update_refresh (BK_DEVICE_SUMMARY (widget));
  update_bookings (BK_DEVICE_SUMMARY (widget));
}

static void
bk_device_summary_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bk_device_summary_parent_class)->unmap (widget);
  update_refresh (BK_DEVICE_SUMMARY (widget));
  g_clear_handle_id (&BK_DEVICE_SUMMARY (widget)->bookings_timeout_id, g_source_remove);
}

void
bk_device_summary_set_bridge (BkDeviceSummary *self,
                              BkBridge        *bridge)
{
  g_return_if_fail (BK_IS_DEVICE_SUMMARY (self));
  g_return_if_fail (BK_IS_BRIDGE (bridge));
  g_return_if_fail (self->bridge == NULL);

  self->bridge = g_object_ref (bridge);
  gtk_list_box_bind_model (self->tickets_list, bk_bridge_get_tickets (bridge), create_ticket_row, self, NULL);
  update_status (self);
  update_refresh (self);
  update_bookings (self);
  g_signal_connect_object (bridge, "notify::status", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::status-refresh-seconds",
                           G_CALLBACK (update_refresh), self, G_CONNECT_SWAPPED);
}

static void
bk_device_summary_dispose (GObject *object)
{
  BkDeviceSummary *self = BK_DEVICE_SUMMARY (object);

  if (self->bridge != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    bk_bridge_set_refresh_interval (self->bridge, 0);
  if (self->tickets_list != NULL)
    gtk_list_box_bind_model (self->tickets_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_DEVICE_SUMMARY);
  g_clear_handle_id (&self->bookings_timeout_id, g_source_remove);
  g_clear_object (&self->bridge);
  g_clear_object (&self->settings);
  g_clear_object (&self->bookings);

  G_OBJECT_CLASS (bk_device_summary_parent_class)->dispose (object);
}

static void
bk_device_summary_class_init (BkDeviceSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_device_summary_dispose;
  widget_class->map = bk_device_summary_map;
  widget_class->unmap = bk_device_summary_unmap;

  g_type_ensure (BK_TYPE_VALUE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/devices/bk-device-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, BkDeviceSummary, tickets_list);
  gtk_widget_class_bind_template_child (widget_class, BkDeviceSummary, status_group);
  gtk_widget_class_bind_template_child (widget_class, BkDeviceSummary, bookings_list);
  for (guint i = 0; i < N_STATUS_ROWS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, status_row_ids[i], FALSE,
                                               G_STRUCT_OFFSET (BkDeviceSummary, status_rows)
                                               + i * sizeof (BkValueRow *));
}

static void
bk_device_summary_init (BkDeviceSummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new ("io.github.bridgekeeper.Bridgekeeper");
}
