/* bk-meeting-panel.c: the live meeting panel
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkMeetingPanel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-meeting-panel.h"
#include "bk-value-row.h"

struct _BkMeetingPanel
{
  AdwBin          parent_instance;

  BkEngine       *engine;
  BkBookingStore *bookings;
  BkDeviceStore  *devices;
  char           *occurrence_id;
  char           *title;
  BkMeeting      *meeting;        /* observed while shown (a ref) */
  guint           tick_id;        /* the duration's timer, while mapped */
  GCancellable   *cancellable;

  /* Template widgets */
  GtkLabel       *title_label;
  GtkLabel       *state_label;
  GtkLabel       *error_label;
  GtkWidget      *notice_box;
  GtkLabel       *notice_label;
  BkValueRow     *duration_row;
  BkValueRow     *end_row;
  BkValueRow     *node_row;
  GtkWidget      *extend_button;
  GtkWidget      *end_button;
  GtkWidget      *participants_group;
  GtkListBox     *participants_list;
  AdwEntryRow    *add_row;
  GtkWidget      *add_button;
  GtkLabel       *add_error_label;
};

G_DEFINE_FINAL_TYPE (BkMeetingPanel, bk_meeting_panel, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_all (BkMeetingPanel *self);

/* ---- helpers ---- */

static gint64
now_unix (BkMeetingPanel *self)
{
  g_autoptr(GDateTime) now = bk_clock_now (bk_engine_get_clock (self->engine));

  return g_date_time_to_unix (now);
}

/* What an action did, or why it was refused, in a strip on the page (it
 * stays until dismissed, replaced or the meeting is over). Not a toast:
 * libadwaita 1.2 unrefs a toast twice when the shown one is dismissed and
 * another added at once, as quick actions do. */
static void
say (BkMeetingPanel *self,
     const char     *sentence,
     gboolean        refused)
{
  gtk_label_set_text (self->notice_label, sentence);
  gtk_widget_remove_css_class (self->notice_box, refused ? "info-strip" : "error-strip");
  gtk_widget_add_css_class (self->notice_box, refused ? "error-strip" : "info-strip");
  gtk_widget_set_visible (self->notice_box, TRUE);
}

static void
notice_close_cb (BkMeetingPanel *self)
{
  gtk_widget_set_visible (self->notice_box, FALSE);
}

static gboolean
is_live (BkMeetingPanel *self)
{
  return self->occurrence_id != NULL &&
         bk_engine_get_state (self->engine, self->occurrence_id) == BK_ENGINE_STATE_RUNNING &&
         self->meeting != NULL && bk_meeting_is_running (self->meeting);
}

static const char *
engine_state_text (BkEngineState state)
{
  switch (state)
    {
    case BK_ENGINE_STATE_SCHEDULED: return _("Scheduled");
    case BK_ENGINE_STATE_CHECKING:  return _("Checked, waiting for its start");
    case BK_ENGINE_STATE_STARTING:  return _("Starting…");
    case BK_ENGINE_STATE_RUNNING:   return _("Running");
    case BK_ENGINE_STATE_ENDING:    return _("Ending…");
    case BK_ENGINE_STATE_ENDED:     return _("Ended: its meeting space was reset");
    case BK_ENGINE_STATE_FAILED:    return _("Failed");
    default:                        return "";
    }
}

static const char *
participant_state_text (BkParticipantState state)
{
  switch (state)
    {
    case BK_PARTICIPANT_INITIAL:    return _("Calling");
    case BK_PARTICIPANT_RINGING:    return _("Ringing");
    case BK_PARTICIPANT_CONNECTED:  return _("Connected");
    case BK_PARTICIPANT_GONE:       return _("Gone");
    case BK_PARTICIPANT_UNANSWERED: return _("Not answered");
    default:                        return "";
    }
}

static const char *
participant_state_icon (BkParticipantState state)
{
  switch (state)
    {
    case BK_PARTICIPANT_CONNECTED:  return "emblem-ok-symbolic";
    case BK_PARTICIPANT_RINGING:    return "call-start-symbolic";
    case BK_PARTICIPANT_UNANSWERED: return "dialog-warning-symbolic";
    case BK_PARTICIPANT_GONE:       return "call-stop-symbolic";
    case BK_PARTICIPANT_INITIAL:
    default:                        return "content-loading-symbolic";
    }
}

static const char *
participant_state_class (BkParticipantState state)
{
  switch (state)
    {
    case BK_PARTICIPANT_CONNECTED:  return "success";
    case BK_PARTICIPANT_RINGING:    return "accent";
    case BK_PARTICIPANT_UNANSWERED: return "warning";
    default:                        return "dim-label";
    }
}

static BkBooking *
lookup_booking (BkMeetingPanel *self)
{
  g_autofree char *uid = NULL;

  if (self->bookings == NULL || self->occurrence_id == NULL)
    return NULL;
  uid = bk_engine_occurrence_uid (self->occurrence_id);
  return bk_booking_store_lookup (self->bookings, uid);
}

/* ---- participants ---- */

static void
redial_clicked_cb (GtkButton      *button,
                   BkMeetingPanel *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "bk-index"));

  gtk_widget_activate_action (GTK_WIDGET (self), "meeting.redial", "u", index);
}

static void
drop_clicked_cb (GtkButton      *button,
                 BkMeetingPanel *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "bk-index"));

  gtk_widget_activate_action (GTK_WIDGET (self), "meeting.drop", "u", index);
}

static GtkWidget *
new_row_button (BkMeetingPanel *self,
                guint           index,
                const char     *icon,
                const char     *label,
                GCallback       callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (button), "bk-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static BkBooking *lookup_booking (BkMeetingPanel *self);

/* "sip:Alice@Example.com" and "alice@example.com" are one participant. */
static const char *
participant_address_key (const char *address)
{
  return g_ascii_strncasecmp (address, "sip:", 4) == 0 ? address + 4 : address;
}

/* The display name the booking gives @uri, or NULL (none, or a
 * participant added while the meeting runs). */
static const char *
participant_name (BkMeetingPanel *self,
                  const char     *uri)
{
  BkBooking *booking = lookup_booking (self);
  /* This meeting's own participants when it has them (one of a series). */
  GPtrArray *participants = booking != NULL
    ? bk_booking_get_occurrence_participants (booking, bk_engine_occurrence_recurrence_id (self->occurrence_id))
    : NULL;

  for (guint i = 0; participants != NULL && i < participants->len; i++)
    {
      BkParticipant *p = g_ptr_array_index (participants, i);

      if (p->name != NULL && *p->name != '\0' &&
          g_ascii_strcasecmp (participant_address_key (p->address), participant_address_key (uri)) == 0)
        return p->name;
    }
  return NULL;
}

/* One row per participant: the booked name (or the address), the state in
 * words (after the address when the title is the name, with the last
 * failure), an icon, and Redial / Drop. */
static GtkWidget *
participant_row_new (BkMeetingPanel *self,
                     guint           index)
{
  const char *uri = bk_meeting_get_participant_uri (self->meeting, index);
  const char *name = participant_name (self, uri);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new ();
  g_autofree char *redial = NULL;
  g_autofree char *drop = NULL;
  GtkWidget *button;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : uri);
  if (name != NULL)
    g_object_set_data_full (G_OBJECT (row), "bk-address", g_strdup (uri), g_free);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_set_can_target (icon, FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "bk-icon", icon);

  /* Translators: the accessible name of a button; %s is the participant's address. */
  redial = g_strdup_printf (_("Redial %s"), name != NULL ? name : uri);
  /* Translators: the accessible name of a button; %s is the participant's address. */
  drop = g_strdup_printf (_("Drop %s"), name != NULL ? name : uri);
  button = new_row_button (self, index, "view-refresh-symbolic", redial, G_CALLBACK (redial_clicked_cb));
  g_object_set_data (G_OBJECT (row), "bk-redial", button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  button = new_row_button (self, index, "call-stop-symbolic", drop, G_CALLBACK (drop_clicked_cb));
  g_object_set_data (G_OBJECT (row), "bk-drop", button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* The occurrence's start as "HH:MM" (local), its moved time if it was
 * moved; NULL when unknown. */
static char *
occurrence_start_text (BkMeetingPanel *self)
{
  BkBooking *booking = lookup_booking (self);
  gint64 start = bk_engine_occurrence_recurrence_id (self->occurrence_id);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  for (guint i = 0; booking != NULL && booking->exceptions != NULL && i < booking->exceptions->len; i++)
    {
      BkBookingException *e = g_ptr_array_index (booking->exceptions, i);

      if (e->start != NULL && g_date_time_to_unix (e->recurrence_id) == start)
        start = g_date_time_to_unix (e->start);
    }
  if (start <= 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (start);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%H:%M");
}

/* A participant's state in words: before the start (the space is ready,
 * the booked participants are not dialled yet, as TMS), when they will be
 * called; one added or redialled during the early join is called now. */
static char *
participant_state_words (BkMeetingPanel     *self,
                         guint               index,
                         BkParticipantState  state)
{
  if (state == BK_PARTICIPANT_INITIAL && self->meeting != NULL &&
      bk_meeting_get_participant_held (self->meeting, index))
    {
      g_autofree char *at = occurrence_start_text (self);

      if (at != NULL)
        /* Translators: a participant's state before the meeting's start;
         * %s is the start, e.g. "09:00". */
        return g_strdup_printf (_("Called at %s"), at);
      return g_strdup (_("Called at the start"));
    }
  return g_strdup (participant_state_text (state));
}

static void
participant_row_update (BkMeetingPanel *self,
                        GtkWidget      *row,
                        guint           index)
{
  BkParticipantState state = bk_meeting_get_participant_state (self->meeting, index);
  const GError *error = bk_meeting_get_participant_error (self->meeting, index);
  const char *leg = bk_meeting_get_participant_leg_id (self->meeting, index);
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "bk-icon");
  gboolean live = is_live (self);
  const char *address = g_object_get_data (G_OBJECT (row), "bk-address");
  g_autofree char *words = participant_state_words (self, index, state);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *escaped = NULL;
  static const char * const classes[] = { "success", "accent", "warning", "dim-label" };

  if (address != NULL)
    /* Translators: a participant's address and state under their name,
     * e.g. "alice@example.com · Connected". */
    g_string_printf (subtitle, _("%s · %s"), address, words);
  else
    g_string_assign (subtitle, words);
  if (state != BK_PARTICIPANT_CONNECTED && error != NULL)
    g_string_append_printf (subtitle, " — %s", error->message);
  escaped = g_markup_escape_text (subtitle->str, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  g_object_set_data_full (G_OBJECT (row), "bk-state", g_strdup (bk_participant_state_to_string (state)), g_free);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), participant_state_icon (state));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (icon, classes[i]);
  gtk_widget_add_css_class (icon, participant_state_class (state));

  /* Redial whoever is not in the call (left, dropped, never answered);
   * drop whoever has a leg. */
  gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (row), "bk-redial"),
                            live && leg == NULL &&
                            (state == BK_PARTICIPANT_GONE || state == BK_PARTICIPANT_UNANSWERED));
  gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (row), "bk-drop"), live && leg != NULL);
}

static void
rebuild_participants (BkMeetingPanel *self)
{
  GtkWidget *child;
  guint n = self->meeting != NULL ? bk_meeting_get_n_participants (self->meeting) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->participants_list))) != NULL)
    gtk_list_box_remove (self->participants_list, child);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = participant_row_new (self, i);

      participant_row_update (self, row, i);
      gtk_list_box_append (self->participants_list, row);
    }
  /* No meeting object yet (a start being prepared): no participants to
   * show, rather than a list that says nobody is called. */
  gtk_widget_set_visible (self->participants_group, self->meeting != NULL);
  if (n == 0 && self->meeting != NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("Nobody is called out: participants dial in, or add one below."));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->participants_list, row);
    }
}

static void
participant_changed_cb (BkMeeting      *meeting,
                        guint           index,
                        BkMeetingPanel *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->participants_list, index);

  if (row == NULL || g_object_get_data (G_OBJECT (row), "bk-icon") == NULL)
    rebuild_participants (self);
  else
    participant_row_update (self, GTK_WIDGET (row), index);
}

static void
n_participants_cb (BkMeeting      *meeting,
                   GParamSpec     *pspec,
                   BkMeetingPanel *self)
{
  rebuild_participants (self);
}

static void
meeting_running_cb (BkMeeting      *meeting,
                    GParamSpec     *pspec,
                    BkMeetingPanel *self)
{
  update_all (self);
}

static void
watch_meeting (BkMeetingPanel *self,
               BkMeeting      *meeting)
{
  if (self->meeting == meeting)
    return;
  if (self->meeting != NULL)
    g_signal_handlers_disconnect_by_data (self->meeting, self);
  g_set_object (&self->meeting, meeting);
  if (meeting != NULL)
    {
      g_signal_connect_object (meeting, "participant-changed", G_CALLBACK (participant_changed_cb), self, 0);
      g_signal_connect_object (meeting, "notify::n-participants", G_CALLBACK (n_participants_cb), self, 0);
      g_signal_connect_object (meeting, "notify::running", G_CALLBACK (meeting_running_cb), self, 0);
      g_signal_connect_object (meeting, "notify::call-id", G_CALLBACK (meeting_running_cb), self, 0);
    }
  rebuild_participants (self);
}

/* ---- the facts ---- */

static void
update_duration (BkMeetingPanel *self)
{
  gint64 since = 0;
  BkEngineState state;

  if (self->occurrence_id == NULL)
    return;
  state = bk_engine_get_state (self->engine, self->occurrence_id);
  if (state == BK_ENGINE_STATE_RUNNING || state == BK_ENGINE_STATE_ENDING || state == BK_ENGINE_STATE_ENDED)
    {
      since = bk_engine_get_running_since (self->engine, self->occurrence_id);
      /* Adopted after a restart: counted from its booked start. */
      if (since == 0)
        since = bk_engine_occurrence_recurrence_id (self->occurrence_id);
    }
  if (since > 0)
    {
      /* Over: how long it ran. */
      gint64 until = state == BK_ENGINE_STATE_ENDED ? bk_engine_get_end (self->engine, self->occurrence_id)
                                                    : now_unix (self);
      gint64 s = MAX (until - since, 0);
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d",
                                               s / 3600, (int) (s / 60 % 60), (int) (s % 60));

      bk_value_row_set_value (self->duration_row, text);
    }
  else
    bk_value_row_set_value (self->duration_row, NULL);
}

static char *
format_node (BkMeetingPanel *self)
{
  BkCmsClient *client = self->meeting != NULL ? bk_meeting_get_client (self->meeting) : NULL;
  BkBooking *booking = lookup_booking (self);
  BkDevice *device = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;

  if (booking != NULL && self->devices != NULL && booking->bridge_id != NULL)
    device = bk_device_store_lookup (self->devices, booking->bridge_id);
  if (client != NULL)
    uri = g_uri_parse (bk_cms_client_get_base_url (client), G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    host = g_uri_get_port (uri) > 0 ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                                    : g_strdup (g_uri_get_host (uri));
  /* The node of a cluster by its name ("CallBridge-Core2 (host:port)"),
   * as the engine knows it. */
  if (self->occurrence_id != NULL && bk_engine_get_node_label (self->engine, self->occurrence_id) != NULL)
    {
      const char *label = bk_engine_get_node_label (self->engine, self->occurrence_id);

      if (host == NULL || strstr (label, host) != NULL)
        return g_strdup (label);
      /* A bridge without cluster names: its name, then the address. */
      return g_strdup_printf (_("%s (%s)"), label, host);
    }
  if (device != NULL && host != NULL)
    /* Translators: the node a meeting runs on: the bridge's name, then the node's address. */
    return g_strdup_printf (_("%s (%s)"), bk_device_get_display_name (device), host);
  if (host != NULL)
    return g_steal_pointer (&host);
  return device != NULL ? g_strdup (bk_device_get_display_name (device)) : NULL;
}

static void
update_all (BkMeetingPanel *self)
{
  BkEngineState state;
  const char *error;
  gint64 end;
  BkBooking *booking;
  g_autofree char *node = NULL;
  gboolean live;

  if (self->occurrence_id == NULL)
    return;

  watch_meeting (self, bk_engine_get_meeting (self->engine, self->occurrence_id));
  state = bk_engine_get_state (self->engine, self->occurrence_id);
  live = is_live (self);
  /* What was said about the running meeting ("now ends at ...") no
   * longer holds once it is over. */
  if (!live)
    notice_close_cb (self);

  booking = lookup_booking (self);
  if (booking != NULL && g_strcmp0 (self->title, booking->title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (booking->title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  else if (booking == NULL && self->title == NULL && self->meeting != NULL)
    {
      self->title = g_strdup (bk_meeting_get_title (self->meeting));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  gtk_label_set_text (self->title_label, self->title != NULL ? self->title : "");
  gtk_label_set_text (self->state_label, engine_state_text (state));

  error = bk_engine_get_error (self->engine, self->occurrence_id);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), state == BK_ENGINE_STATE_FAILED && error != NULL);
  gtk_label_set_text (self->error_label, error != NULL ? error : "");

  end = bk_engine_get_end (self->engine, self->occurrence_id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->end_row),
                                 state == BK_ENGINE_STATE_ENDED ? _("Ended At") : _("Ends At"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->node_row),
                                 state == BK_ENGINE_STATE_ENDED ? _("Ran On") : _("Runs On"));
  if (end > 0)
    {
      g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc (end);
      g_autoptr(GDateTime) local = g_date_time_to_local (u);
      g_autofree char *text = g_date_time_format (local, "%H:%M");

      bk_value_row_set_value (self->end_row, text);
    }
  else
    bk_value_row_set_value (self->end_row, NULL);

  node = format_node (self);
  bk_value_row_set_value (self->node_row, node);
  update_duration (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting.extend", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting.end-now", state == BK_ENGINE_STATE_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting.add-participant", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting.edit-booking", booking != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_row), live);
  /* GtkMenuButton in GTK 4.8 has no action: insensitive by hand. */
  gtk_widget_set_sensitive (self->extend_button, live);

  for (guint i = 0; self->meeting != NULL && i < bk_meeting_get_n_participants (self->meeting); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->participants_list, i);

      if (row != NULL && g_object_get_data (G_OBJECT (row), "bk-icon") != NULL)
        participant_row_update (self, GTK_WIDGET (row), i);
    }
}

static void
engine_state_cb (BkEngine       *engine,
                 const char     *occurrence_id,
                 BkEngineState   state,
                 BkMeetingPanel *self)
{
  if (g_strcmp0 (occurrence_id, self->occurrence_id) == 0)
    update_all (self);
}

static void
engine_end_changed_cb (BkEngine       *engine,
                       const char     *occurrence_id,
                       BkMeetingPanel *self)
{
  if (g_strcmp0 (occurrence_id, self->occurrence_id) == 0)
    update_all (self);
}

/* It runs on another node now (a new BkMeeting): followed at once. */
static void
engine_failed_over_cb (BkEngine       *engine,
                       const char     *occurrence_id,
                       const char     *node_label,
                       BkMeetingPanel *self)
{
  g_autofree char *before = NULL;
  g_autofree char *sentence = NULL;

  if (g_strcmp0 (occurrence_id, self->occurrence_id) != 0)
    return;
  before = g_strdup (bk_value_row_get_value (self->node_row));
  if (before != NULL && g_strcmp0 (before, node_label) != 0)
    /* Translators: said in the live meeting panel after a failover; the
     * %s are the node that was lost and the one the meeting runs on now. */
    sentence = g_strdup_printf (_("%s stopped answering: the meeting moved to %s and its participants were called again."),
                                before, node_label);
  else
    /* Translators: as above, when the lost node is not known; %s is the node the meeting runs on now. */
    sentence = g_strdup_printf (_("The meeting moved to %s and its participants were called again."), node_label);
  update_all (self);
  say (self, sentence, FALSE);
}

/* ---- the timer, while shown ---- */

static gboolean
tick_cb (gpointer data)
{
  BkMeetingPanel *self = data;

  /* A meeting moved to another node may be a new BkMeeting (failover)
   * without a change of state: looked at every second while shown. */
  if (self->occurrence_id != NULL &&
      bk_engine_get_meeting (self->engine, self->occurrence_id) != self->meeting)
    update_all (self);
  else
    {
      g_autofree char *node = format_node (self);

      bk_value_row_set_value (self->node_row, node);
      update_duration (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
bk_meeting_panel_map (GtkWidget *widget)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (widget);

  GTK_WIDGET_CLASS (bk_meeting_panel_parent_class)->map (widget);
  update_all (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  /* Shown: the participants as they are now, not as of the last poll. */
  if (self->meeting != NULL)
    bk_meeting_refresh (self->meeting);
}

static void
bk_meeting_panel_unmap (GtkWidget *widget)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  GTK_WIDGET_CLASS (bk_meeting_panel_parent_class)->unmap (widget);
}

/* ---- actions ---- */

static void
add_participant_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->add_row));
  g_autoptr(GError) error = NULL;

  if (self->occurrence_id == NULL)
    return;
  if (!bk_engine_add_participant (self->engine, self->occurrence_id, text, &error))
    {
      gtk_label_set_text (self->add_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->add_row), "error");
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->add_row), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
}

static void
add_row_changed_cb (BkMeetingPanel *self)
{
  /* The sentence was about the text that was there. */
  gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->add_row), "error");
}

static void
add_row_activated_cb (BkMeetingPanel *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "meeting.add-participant", NULL);
}

static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (widget);
  guint minutes = g_variant_get_uint32 (parameter);
  g_autoptr(GError) error = NULL;

  if (self->occurrence_id == NULL)
    return;
  if (!bk_engine_extend (self->engine, self->occurrence_id, minutes, &error))
    {
      say (self, error->message, TRUE);
      return;
    }
  {
    g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc (bk_engine_get_end (self->engine, self->occurrence_id));
    g_autoptr(GDateTime) local = g_date_time_to_local (u);
    g_autofree char *time = g_date_time_format (local, "%H:%M");
    /* Translators: %s is a time ("10:45"). */
    g_autofree char *text = g_strdup_printf (_("The meeting now ends at %s."), time);

    say (self, text, FALSE);
  }
}

static void
end_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 BkMeetingPanel   *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "end") != 0 || self->occurrence_id == NULL)
    return;
  if (!bk_engine_end_now (self->engine, self->occurrence_id, &error))
    say (self, error->message, TRUE);
}

static void
end_now_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (self->occurrence_id == NULL)
    return;
  /* Translators: %s is the meeting's title. */
  heading = g_strdup_printf (_("End “%s” Now?"), self->title != NULL ? self->title : "");
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                                       _("Everyone in the meeting is disconnected and its meeting space is reset for the next booking. This cannot be undone.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "end", _("_End Meeting"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (end_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
redial_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (!is_live (self) || index >= bk_meeting_get_n_participants (self->meeting))
    return;
  bk_meeting_redial (self->meeting, index);
  bk_meeting_refresh (self->meeting);
}

static void
drop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BkMeetingPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_meeting_drop_finish (BK_MEETING (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    say (self, error->message, TRUE);
}

static void
drop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (!is_live (self) || index >= bk_meeting_get_n_participants (self->meeting))
    return;
  bk_meeting_drop_async (self->meeting, index, self->cancellable, drop_cb, g_object_ref (self));
}

static void
edit_booking_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (widget);
  g_autofree char *uid = NULL;

  if (self->occurrence_id == NULL)
    return;
  uid = bk_engine_occurrence_uid (self->occurrence_id);
  gtk_widget_activate_action (widget, "win.edit-booking", "(sx)", uid,
                              bk_engine_occurrence_recurrence_id (self->occurrence_id));
}

/* ---- GObject ---- */

static void
bk_meeting_panel_dispose (GObject *object)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  watch_meeting (self, NULL);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_MEETING_PANEL);
  g_clear_object (&self->engine);
  g_clear_object (&self->bookings);
  g_clear_object (&self->devices);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bk_meeting_panel_parent_class)->dispose (object);
}

static void
bk_meeting_panel_finalize (GObject *object)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (object);

  g_free (self->occurrence_id);
  g_free (self->title);

  G_OBJECT_CLASS (bk_meeting_panel_parent_class)->finalize (object);
}

static void
bk_meeting_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BkMeetingPanel *self = BK_MEETING_PANEL (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_meeting_panel_class_init (BkMeetingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_meeting_panel_dispose;
  object_class->finalize = bk_meeting_panel_finalize;
  object_class->get_property = bk_meeting_panel_get_property;
  widget_class->map = bk_meeting_panel_map;
  widget_class->unmap = bk_meeting_panel_unmap;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BK_TYPE_VALUE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/meeting/bk-meeting-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, notice_box);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, notice_label);
  gtk_widget_class_bind_template_callback (widget_class, notice_close_cb);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, duration_row);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, end_row);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, node_row);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, extend_button);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, end_button);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, participants_group);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, participants_list);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, add_row);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, add_button);
  gtk_widget_class_bind_template_child (widget_class, BkMeetingPanel, add_error_label);

  gtk_widget_class_install_action (widget_class, "meeting.add-participant", NULL, add_participant_action);
  gtk_widget_class_install_action (widget_class, "meeting.extend", "u", extend_action);
  gtk_widget_class_install_action (widget_class, "meeting.end-now", NULL, end_now_action);
  gtk_widget_class_install_action (widget_class, "meeting.redial", "u", redial_action);
  gtk_widget_class_install_action (widget_class, "meeting.drop", "u", drop_action);
  gtk_widget_class_install_action (widget_class, "meeting.edit-booking", NULL, edit_booking_action);
}

static void
bk_meeting_panel_init (BkMeetingPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->add_row, "changed", G_CALLBACK (add_row_changed_cb), self);
  g_signal_connect_swapped (self->add_row, "entry-activated", G_CALLBACK (add_row_activated_cb), self);
}

GtkWidget *
bk_meeting_panel_new (BkEngine       *engine,
                      BkBookingStore *bookings,
                      BkDeviceStore  *devices)
{
  BkMeetingPanel *self;

  g_return_val_if_fail (BK_IS_ENGINE (engine), NULL);

  self = g_object_new (BK_TYPE_MEETING_PANEL, NULL);
  self->engine = g_object_ref (engine);
  if (bookings != NULL)
    self->bookings = g_object_ref (bookings);
  if (devices != NULL)
    self->devices = g_object_ref (devices);
  g_signal_connect_object (engine, "state-changed", G_CALLBACK (engine_state_cb), self, 0);
  g_signal_connect_object (engine, "end-changed", G_CALLBACK (engine_end_changed_cb), self, 0);
  g_signal_connect_object (engine, "failed-over", G_CALLBACK (engine_failed_over_cb), self, 0);
  return GTK_WIDGET (self);
}

void
bk_meeting_panel_set_occurrence (BkMeetingPanel *self,
                                 const char     *occurrence_id)
{
  g_return_if_fail (BK_IS_MEETING_PANEL (self));

  if (g_strcmp0 (self->occurrence_id, occurrence_id) == 0)
    {
      update_all (self);
      return;
    }
  g_free (self->occurrence_id);
  self->occurrence_id = g_strdup (occurrence_id);
  g_clear_pointer (&self->title, g_free);
  watch_meeting (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
  add_row_changed_cb (self);
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  if (self->meeting != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    bk_meeting_refresh (self->meeting);
}

const char *
bk_meeting_panel_get_occurrence (BkMeetingPanel *self)
{
  g_return_val_if_fail (BK_IS_MEETING_PANEL (self), NULL);
  return self->occurrence_id;
}

const char *
bk_meeting_panel_get_title (BkMeetingPanel *self)
{
  g_return_val_if_fail (BK_IS_MEETING_PANEL (self), NULL);
  return self->title;
}
