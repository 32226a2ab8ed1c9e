/* bk-device-summary.c: the device page's Summary tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <glib/gi18n.h>

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

  /* Template widgets */
  GtkListBox *tickets_list;
  AdwPreferencesGroup *status_group;
  BkValueRow *status_rows[N_STATUS_ROWS];
};

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
}

static void
bk_device_summary_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bk_device_summary_parent_class)->unmap (widget);
  update_refresh (BK_DEVICE_SUMMARY (widget));
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
  g_clear_object (&self->bridge);
  g_clear_object (&self->settings);

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
