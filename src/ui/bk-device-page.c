/* bk-device-page.c: one bridge's page
 *
 * The page shows a BkDevice through its BkBridge: the header (name, type,
 * status, address, connectivity), then TMS's tabs. Forms edit copies of
 * the device's values and write them back on Save; switches (permissions,
 * ticket filters, scheduling) write at once, and the store saves the
 * device by itself.
 *
 * Each tab is a composite template of its own under devices/; the page
 * holds the header and the device.* actions (the ticket actions, and
 * those of the tabs' buttons, which it hands to the tab).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-certificate-ui.h"
#include "bk-device-page.h"
#include "bk-format.h"
#include "bk-onboarding-window.h"
#include "bk-tickets.h"
#include "bk-validate.h"
#include "bk-window.h"
#include "devices/bk-device-clustering.h"
#include "devices/bk-device-connection.h"
#include "devices/bk-device-log-view.h"
#include "devices/bk-device-permissions.h"
#include "devices/bk-device-summary.h"

typedef enum {
  FIELD_NAME,
  FIELD_SYSTEM_TYPE,
  FIELD_CONNECTIVITY,
  FIELD_NETWORK_ADDRESS,
  FIELD_MANUFACTURER,
  FIELD_IP_ZONE,
  FIELD_TIME_ZONE,
  FIELD_WEB_BRIDGE_URI,
  FIELD_STATUS,
  FIELD_ACCESS,
  FIELD_SYSTEM_CONTACT,
  FIELD_ALERT_CONTACT,
  FIELD_DESCRIPTION,
  FIELD_SOFTWARE_VERSION,
  FIELD_SIP_MODE,
  FIELD_ALTERNATE,
  FIELD_ALTERNATE_USERNAME,
  FIELD_ALLOW_BOOKING,
  FIELD_ALLOW_INCOMING,
  FIELD_ALLOW_OUTGOING,
  FIELD_DOMAIN,
  FIELD_BASE,
  FIELD_QUANTITY,
  N_FIELDS
} Field;

struct _BkDevicePage
{
  AdwBin             parent_instance;

  BkDevice          *device;
  BkDeviceStore     *store;
  BkSecrets         *secrets;
  BkBridge          *bridge;
  GCancellable      *cancellable;
  gboolean           checked_once;
  BkWindow          *toast_window;     /* weak, during removal */

  GtkWidget         *view_rows[N_FIELDS];
  GtkWidget         *edit_readonly_rows[N_FIELDS];

  /* Edit Settings */
  AdwEntryRow       *edit_name;
  AdwEntryRow       *edit_ip_zone;
  AdwEntryRow       *edit_time_zone;
  AdwEntryRow       *edit_web_bridge_uri;
  AdwEntryRow       *edit_contact;
  GtkSwitch         *edit_alert;
  AdwEntryRow       *edit_description;
  AdwComboRow       *edit_alternate;
  GPtrArray         *alternate_ids;
  char              *alt_saving_member; /* the alternate being saved */
  AdwEntryRow       *edit_alt_username;
  AdwPreferencesGroup *edit_network_group;
  AdwPasswordEntryRow *edit_alt_password;
  GtkSwitch         *edit_allow_booking;
  GtkSwitch         *edit_allow_incoming;
  GtkSwitch         *edit_allow_outgoing;
  GtkLabel          *edit_message;
  GtkWidget         *edit_save;

  /* Extended Settings */
  AdwEntryRow       *ext_domain;
  GtkSpinButton     *ext_base;
  GtkSpinButton     *ext_quantity;
  GtkLabel          *ext_message;
  GtkWidget         *ext_save;

  /* Ticket Filters */
  GtkSwitch         *filter_switches[BK_TICKET_KIND_CMS_ALARM + 1];

  /* Template widgets */
  GtkLabel          *name_label;
  GtkLabel          *status_label;
  GtkLabel          *address_label;
  GtkLabel          *connectivity_label;
  GtkLabel          *last_checked_label;
  GtkRevealer       *setup_revealer;
  GtkButton         *continue_button;
  GtkRevealer       *busy_revealer;
  GtkLabel          *busy_label;
  GtkProgressBar    *busy_bar;
  AdwViewStack      *view_stack;
  BkDeviceSummary   *summary_tab;
  GtkStack          *settings_stack;
  AdwPreferencesPage *view_settings_page;
  AdwPreferencesPage *edit_settings_page;
  AdwPreferencesPage *extended_settings_page;
  AdwPreferencesPage *filters_page;
  BkDeviceClustering *clustering_tab;
  BkDeviceConnection *connection_tab;
  BkDevicePermissions *permissions_tab;
  BkDeviceLogView   *log_tab;
};

G_DEFINE_FINAL_TYPE (BkDevicePage, bk_device_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_STORE,
  PROP_SECRETS,
  PROP_BRIDGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers ------------------------------------------------------------------ */

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
show_message (GtkLabel   *label,
              const char *text,
              gboolean    error)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static GtkLabel *
new_message_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_visible (label, FALSE);
  return GTK_LABEL (label);
}

static GtkWidget *
new_value_row (const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  g_object_set_data (G_OBJECT (row), "bk-value", value);
  return row;
}

static void
set_row_value (GtkWidget  *row,
               const char *text)
{
  GtkLabel *label;

  if (row == NULL)
    return;
  label = g_object_get_data (G_OBJECT (row), "bk-value");
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : "—");
  /* Long values (a description) are cut on screen: the tooltip has all. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text != NULL && g_utf8_strlen (text, -1) > 40 ? text : NULL);
}

static GtkWidget *
new_switch_row (const char *title,
                const char *subtitle,
                GtkSwitch **out_switch)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  *out_switch = GTK_SWITCH (sw);
  return row;
}

static GtkWidget *
new_spin_row (const char     *title,
              double          lower,
              double          upper,
              GtkSpinButton **out_spin)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  *out_spin = GTK_SPIN_BUTTON (spin);
  return row;
}

static AdwEntryRow *
new_entry_row (AdwPreferencesGroup *group,
               const char          *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (group, row);
  return ADW_ENTRY_ROW (row);
}

static GtkWidget *
new_button_box (GtkWidget **out_primary,
                const char *primary_label,
                const char *action_name)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *button = gtk_button_new_with_mnemonic (primary_label);

  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_box_append (GTK_BOX (box), button);
  if (out_primary != NULL)
    *out_primary = button;
  return box;
}

static AdwPreferencesGroup *
add_group (AdwPreferencesPage *page,
           const char         *title,
           const char         *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
  return ADW_PREFERENCES_GROUP (group);
}

static char *
dup_address (BkDevice *device)
{
  return bk_format_address (bk_device_get_address (device), bk_device_get_port (device), BK_ADDRESS_FORMAT_DEFAULT);
}

static const char *
reachability_text (BkReachability reachability)
{
  switch (reachability)
    {
    case BK_REACHABILITY_REACHABLE:
      return _("Reachable");
    case BK_REACHABILITY_UNREACHABLE:
      return _("Unreachable");
    case BK_REACHABILITY_UNKNOWN:
    default:
      return _("Not checked yet");
    }
}

static const char *
status_text (BkDevicePage *self)
{
  if (bk_bridge_get_status (self->bridge) == NULL)
    return _("Unknown");
  return bk_bridge_get_in_call (self->bridge) ? _("In call") : _("Idle");
}

static char *
access_text (BkAccessLevel levels)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (levels & BK_ACCESS_LEVEL_BOOK)
    g_ptr_array_add (parts, (gpointer) _("Book"));
  if (levels & BK_ACCESS_LEVEL_EDIT_SETTINGS)
    g_ptr_array_add (parts, (gpointer) _("Edit Settings"));
  if (levels & BK_ACCESS_LEVEL_MANAGE_CALLS)
    g_ptr_array_add (parts, (gpointer) _("Manage Calls"));
  if (levels & BK_ACCESS_LEVEL_SET_PERMISSIONS)
    g_ptr_array_add (parts, (gpointer) _("Set Permissions"));
  if (levels & BK_ACCESS_LEVEL_READ)
    g_ptr_array_add (parts, (gpointer) _("Read"));
  if (parts->len == 0)
    return g_strdup (_("None"));
  g_ptr_array_add (parts, NULL);
  /* Translators: the separator between access levels. */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

static char *
alternate_text (BkDevicePage *self)
{
  const BkClusterMember *member;

  if (!bk_device_has_alternate (self->device))
    return g_strdup (_("None"));
  member = bk_device_find_cluster_member (self->device, bk_device_get_alternate_member_id (self->device));
  if (member != NULL && *member->name != '\0')
    return g_strdup_printf ("%s (%s)", member->name, bk_device_get_alternate_address (self->device));
  return g_strdup (bk_device_get_alternate_address (self->device));
}

static char *
dup_field (BkDevicePage *self,
           Field         field)
{
  BkDevice *d = self->device;

  switch (field)
    {
    case FIELD_NAME: return g_strdup (bk_device_get_name (d));
    case FIELD_SYSTEM_TYPE: return g_strdup (_("Cisco Meeting Server"));
    case FIELD_CONNECTIVITY: return g_strdup (reachability_text (bk_device_get_reachability (d)));
    case FIELD_NETWORK_ADDRESS: return dup_address (d);
    case FIELD_MANUFACTURER: return g_strdup ("Cisco");
    case FIELD_IP_ZONE: return g_strdup (bk_device_get_ip_zone (d));
    case FIELD_TIME_ZONE: return g_strdup (*bk_device_get_time_zone (d) != '\0' ? bk_device_get_time_zone (d) : _("Local time zone"));
    case FIELD_WEB_BRIDGE_URI: return g_strdup (bk_device_get_web_bridge_uri (d));
    case FIELD_STATUS: return g_strdup (status_text (self));
    case FIELD_ACCESS: return access_text (bk_device_get_access_levels (d));
    case FIELD_SYSTEM_CONTACT: return g_strdup (bk_device_get_system_contact (d));
    case FIELD_ALERT_CONTACT: return g_strdup (bk_device_get_alert_contact_when_booked (d) ? _("Yes") : _("No"));
    case FIELD_DESCRIPTION: return g_strdup (bk_device_get_description (d));
    case FIELD_SOFTWARE_VERSION: return g_strdup (bk_device_get_software_version (d));
    /* CMS only speaks standard SIP (TMS's "SIP Mode" of other bridges). */
    case FIELD_SIP_MODE: return g_strdup (_("Standard SIP"));
    case FIELD_ALTERNATE: return alternate_text (self);
    case FIELD_ALTERNATE_USERNAME: return g_strdup (bk_device_get_alternate_username (d));
    case FIELD_ALLOW_BOOKING: return g_strdup (bk_device_get_allow_booking (d) ? _("Yes") : _("No"));
    case FIELD_ALLOW_INCOMING: return g_strdup (bk_device_get_allow_incoming_sip_uri_dialing (d) ? _("Yes") : _("No"));
    case FIELD_ALLOW_OUTGOING: return g_strdup (bk_device_get_allow_outgoing_sip_uri_dialing (d) ? _("Yes") : _("No"));
    case FIELD_DOMAIN: return g_strdup (bk_device_get_domain (d));
    case FIELD_BASE:
      return bk_device_get_numeric_id_base (d) > 0
        ? g_strdup_printf ("%" G_GUINT64_FORMAT, bk_device_get_numeric_id_base (d)) : NULL;
    case FIELD_QUANTITY:
      return bk_device_get_numeric_id_quantity (d) > 0
        ? g_strdup_printf ("%u", bk_device_get_numeric_id_quantity (d)) : NULL;
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static const char *
field_title (Field field)
{
  switch (field)
    {
    case FIELD_NAME: return _("Name");
    case FIELD_SYSTEM_TYPE: return _("System Type");
    case FIELD_CONNECTIVITY: return _("System Connectivity");
    case FIELD_NETWORK_ADDRESS: return _("Network Address");
    case FIELD_MANUFACTURER: return _("Manufacturer");
    case FIELD_IP_ZONE: return _("IP Zone");
    case FIELD_TIME_ZONE: return _("Time Zone");
    case FIELD_WEB_BRIDGE_URI: return _("Web Bridge URI");
    case FIELD_STATUS: return _("Status");
    case FIELD_ACCESS: return _("Your Access");
    case FIELD_SYSTEM_CONTACT: return _("System Contact");
    case FIELD_ALERT_CONTACT: return _("Alert System Contact when Booked");
    case FIELD_DESCRIPTION: return _("Description");
    case FIELD_SOFTWARE_VERSION: return _("Software Version");
    case FIELD_SIP_MODE: return _("SIP Mode");
    case FIELD_ALTERNATE: return _("Alternate IP");
    case FIELD_ALTERNATE_USERNAME: return _("Alternate IP Username");
    case FIELD_ALLOW_BOOKING: return _("Allow Booking");
    case FIELD_ALLOW_INCOMING: return _("Allow Incoming SIP URI Dialing");
    case FIELD_ALLOW_OUTGOING: return _("Allow Outgoing SIP URI Dialing");
    case FIELD_DOMAIN: return _("Domain");
    case FIELD_BASE: return _("Numeric ID Base");
    case FIELD_QUANTITY: return _("Numeric ID Quantity");
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static void
add_toast (BkDevicePage *self,
           const char   *text)
{
  GtkWidget *window = self->toast_window != NULL
    ? GTK_WIDGET (self->toast_window)
    : gtk_widget_get_ancestor (GTK_WIDGET (self), BK_TYPE_WINDOW);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (window == NULL)
    return;
  /* A toast's title is markup: names and error messages are text. */
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  bk_window_add_toast (BK_WINDOW (window), toast);
}

/* Header, status and read-only values ------------------------------------- */

static void
update_readonly (BkDevicePage *self)
{
  g_autofree char *address = dup_address (self->device);
  g_autofree char *checked = bk_format_last_checked (bk_device_get_last_checked (self->device), NULL);
  gtk_label_set_text (self->name_label, bk_device_get_display_name (self->device));
  gtk_label_set_text (self->address_label, address);
  gtk_label_set_text (self->status_label, status_text (self));
  gtk_label_set_text (self->connectivity_label, reachability_text (bk_device_get_reachability (self->device)));
  gtk_label_set_text (self->last_checked_label, checked);
  gtk_revealer_set_reveal_child (self->setup_revealer,
                                 bk_device_get_onboarding_stage (self->device) != BK_ONBOARDING_STAGE_COMPLETE);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *value = NULL;

      if (self->view_rows[i] == NULL && self->edit_readonly_rows[i] == NULL)
        continue;
      value = dup_field (self, i);
      set_row_value (self->view_rows[i], value);
      set_row_value (self->edit_readonly_rows[i], value);
    }
}

static void
update_busy (BkDevicePage *self)
{
  gboolean busy = bk_bridge_get_busy (self->bridge);
  double progress = bk_bridge_get_progress (self->bridge);
  const char *text = bk_bridge_get_progress_text (self->bridge);

  gtk_revealer_set_reveal_child (self->busy_revealer, busy);
  gtk_label_set_text (self->busy_label, text != NULL ? text : "");
  if (progress < 0)
    gtk_progress_bar_pulse (self->busy_bar);
  else
    gtk_progress_bar_set_fraction (self->busy_bar, CLAMP (progress, 0.0, 1.0));

  if (self->ext_save != NULL)
    gtk_widget_set_sensitive (self->ext_save, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.remove", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.repair-slots", !busy);
}

static void
update_access (BkDevicePage *self)
{
  BkAccessLevel levels = bk_device_get_access_levels (self->device);
  gboolean can_edit = (levels & BK_ACCESS_LEVEL_EDIT_SETTINGS) != 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_settings_page), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->extended_settings_page), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->filters_page), can_edit);

  update_readonly (self);
}

/* Checks ------------------------------------------------------------------ */

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BkDevicePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_bridge_check_finish (BK_BRIDGE (source), result, &error) && !is_cancelled (error))
    g_debug ("Check failed: %s", error->message);
}

static void
start_check (BkDevicePage *self)
{
  self->checked_once = TRUE;
  bk_bridge_check_async (self->bridge, self->cancellable, check_done_cb, g_object_ref (self));
}

static void
bk_device_page_map (GtkWidget *widget)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  GTK_WIDGET_CLASS (bk_device_page_parent_class)->map (widget);

  if (!self->checked_once)
    start_check (self);
}

/* Settings: View ---------------------------------------------------------- */

static void
build_view_settings (BkDevicePage *self)
{
  static const Field general[] = {
    FIELD_NAME, FIELD_SYSTEM_TYPE, FIELD_CONNECTIVITY, FIELD_NETWORK_ADDRESS, FIELD_MANUFACTURER,
    FIELD_IP_ZONE, FIELD_TIME_ZONE, FIELD_WEB_BRIDGE_URI, FIELD_STATUS, FIELD_ACCESS,
    FIELD_SYSTEM_CONTACT, FIELD_ALERT_CONTACT, FIELD_DESCRIPTION, FIELD_SOFTWARE_VERSION, FIELD_SIP_MODE,
  };
  static const Field network[] = { FIELD_ALTERNATE, FIELD_ALTERNATE_USERNAME };
  static const Field scheduling[] = { FIELD_ALLOW_BOOKING, FIELD_ALLOW_INCOMING, FIELD_ALLOW_OUTGOING };
  static const Field extended[] = { FIELD_DOMAIN, FIELD_BASE, FIELD_QUANTITY };
  struct { const char *title; const Field *fields; guint n; } groups[] = {
    { _("General"), general, G_N_ELEMENTS (general) },
    { _("Network Settings"), network, G_N_ELEMENTS (network) },
    { _("Scheduling Settings"), scheduling, G_N_ELEMENTS (scheduling) },
    { _("Extended Settings"), extended, G_N_ELEMENTS (extended) },
  };

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      AdwPreferencesGroup *group = add_group (self->view_settings_page, groups[g].title, NULL);

      for (guint i = 0; i < groups[g].n; i++)
        {
          Field f = groups[g].fields[i];

          self->view_rows[f] = new_value_row (field_title (f));
          adw_preferences_group_add (group, self->view_rows[f]);
        }
    }
}

/* Settings: Edit ---------------------------------------------------------- */

static void
rebuild_alternates (BkDevicePage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GListModel *nodes = bk_bridge_get_cluster_nodes (self->bridge);
  g_autofree char *wanted = NULL;
  guint selected = 0;
  guint current = adw_combo_row_get_selected (self->edit_alternate);

  /* Keep what the person picked but did not save yet. */
  if (current != GTK_INVALID_LIST_POSITION && current < self->alternate_ids->len && current > 0)
    wanted = g_strdup (g_ptr_array_index (self->alternate_ids, current));
  else
    wanted = g_strdup (bk_device_get_alternate_member_id (self->device));

  g_ptr_array_set_size (self->alternate_ids, 0);
  gtk_string_list_append (names, _("None"));
  g_ptr_array_add (self->alternate_ids, g_strdup (""));

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BkClusterNode) node = g_list_model_get_item (nodes, i);
      g_autofree char *label = NULL;

      if (bk_cluster_node_get_managed (node))
        continue;
      label = g_strdup_printf ("%s (%s)", bk_cluster_node_get_name (node), bk_cluster_node_get_address (node));
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->alternate_ids, g_strdup (bk_cluster_node_get_id (node)));
      if (g_strcmp0 (bk_cluster_node_get_id (node), wanted) == 0)
        selected = self->alternate_ids->len - 1;
    }

  adw_combo_row_set_model (self->edit_alternate, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->edit_alternate, selected);
}

static void
update_alternate_hint (BkDevicePage *self)
{
  g_autofree char *text = NULL;

  /* TRANSLATORS: %s is the API user name of the primary, e.g. "admin". */
  text = g_strdup_printf (_("Failover uses one alternate call bridge of the cluster, for meetings that have not "
                            "started yet. Every call bridge has its own certificate and can have its own API user: "
                            "left empty, Bridgekeeper signs in to the alternate as “%s”, with this bridge's password. "
                            "The alternate is contacted before anything is saved."),
                          bk_device_get_username (self->device));
  adw_preferences_group_set_description (self->edit_network_group, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->edit_alt_username),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
load_edit_settings (BkDevicePage *self)
{
  const char *alt_user = bk_device_get_alternate_username (self->device);

  gtk_editable_set_text (GTK_EDITABLE (self->edit_name), bk_device_get_name (self->device));
  gtk_editable_set_text (GTK_EDITABLE (self->edit_ip_zone), bk_device_get_ip_zone (self->device));
  gtk_editable_set_text (GTK_EDITABLE (self->edit_time_zone), bk_device_get_time_zone (self->device));
  gtk_editable_set_text (GTK_EDITABLE (self->edit_web_bridge_uri), bk_device_get_web_bridge_uri (self->device));
  gtk_editable_set_text (GTK_EDITABLE (self->edit_contact), bk_device_get_system_contact (self->device));
  gtk_switch_set_active (self->edit_alert, bk_device_get_alert_contact_when_booked (self->device));
  gtk_editable_set_text (GTK_EDITABLE (self->edit_description), bk_device_get_description (self->device));
  /* The alternate's own user; empty when it signs in as the primary's
   * (the group says so), never the primary's name shown as if entered. */
  gtk_editable_set_text (GTK_EDITABLE (self->edit_alt_username),
                         g_strcmp0 (alt_user, bk_device_get_username (self->device)) != 0 ? alt_user : "");
  gtk_editable_set_text (GTK_EDITABLE (self->edit_alt_password), "");
  update_alternate_hint (self);
  gtk_switch_set_active (self->edit_allow_booking, bk_device_get_allow_booking (self->device));
  gtk_switch_set_active (self->edit_allow_incoming, bk_device_get_allow_incoming_sip_uri_dialing (self->device));
  gtk_switch_set_active (self->edit_allow_outgoing, bk_device_get_allow_outgoing_sip_uri_dialing (self->device));
  adw_combo_row_set_selected (self->edit_alternate, 0);
  rebuild_alternates (self);
  show_message (self->edit_message, NULL, FALSE);
}

/* The member's name (or id) and address, for the dialogs. */
static void
member_names (BkDevicePage  *self,
              const char    *member_id,
              char         **name,
              char         **address)
{
  const BkClusterMember *member = bk_device_find_cluster_member (self->device, member_id);

  *name = g_strdup (member != NULL && *member->name != '\0' ? member->name : NULL);
  *address = g_strdup (member != NULL ? member->address : member_id);
  if (member != NULL)
    {
      g_autofree char *host = NULL;
      guint port = 0;

      if (bk_validate_address (member->address, &host, &port, NULL))
        {
          g_free (*address);
          *address = bk_format_address (host, port, BK_ADDRESS_FORMAT_DEFAULT);
        }
    }
}

static void
alternate_trust_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             BkDevicePage     *self)
{
  const char *sha256 = g_object_get_data (G_OBJECT (dialog), "bk-sha256");
  const char *member_id = g_object_get_data (G_OBJECT (dialog), "bk-member-id");

  if ((g_strcmp0 (response, "trust") == 0 || g_strcmp0 (response, "repin") == 0) &&
      sha256 != NULL && member_id != NULL)
    {
      gboolean saving = g_object_get_data (G_OBJECT (dialog), "bk-saving") != NULL;

      /* That node only: the primary's pin and the other nodes stay. */
      bk_bridge_trust_member_certificate (self->bridge, member_id, sha256);
      if (saving)
        gtk_widget_activate_action (GTK_WIDGET (self), "device.save-settings", NULL);
      else
        add_toast (self, _("The alternate's new certificate is trusted"));
    }
  else if (g_object_get_data (G_OBJECT (dialog), "bk-saving") != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->edit_alternate), "error");
      show_message (self->edit_message,
                    _("The certificate of the alternate was not trusted, so nothing was saved. "
                      "Trust it after comparing its fingerprint, or choose another alternate."), TRUE);
    }
  g_object_unref (self);
}

/* The trust (or re-pin) dialog of one node, naming it. */
static void
present_member_certificate (BkDevicePage *self,
                            const char   *member_id,
                            const GError *error,
                            gboolean      saving)
{
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  AdwMessageDialog *dialog;

  member_names (self, member_id, &name, &address);
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH))
    dialog = bk_repin_dialog_new_for_node (parent, name, address, error);
  else
    dialog = bk_trust_dialog_new_for_node (parent, name, address, error);
  g_object_set_data_full (G_OBJECT (dialog), "bk-sha256", g_strdup (bk_cms_error_get_peer_sha256 (error)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "bk-member-id", g_strdup (member_id), g_free);
  if (saving)
    g_object_set_data (G_OBJECT (dialog), "bk-saving", GINT_TO_POINTER (1));
  g_signal_connect (dialog, "response", G_CALLBACK (alternate_trust_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_alternate_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(BkDevicePage) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (self->edit_save, TRUE);
  if (!bk_bridge_set_alternate_finish (BK_BRIDGE (source), result, &error))
    {
      if (is_cancelled (error))
        return;
      if ((g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED) ||
           g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH)) &&
          self->alt_saving_member != NULL)
        {
          show_message (self->edit_message, NULL, FALSE);
          present_member_certificate (self, self->alt_saving_member, error, TRUE);
          return;
        }
      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN) ||
          g_error_matches (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->edit_alt_username), "error");
          gtk_widget_add_css_class (GTK_WIDGET (self->edit_alt_password), "error");
        }
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->edit_alternate), "error");
      show_message (self->edit_message, error->message, TRUE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->edit_alt_password), "");
  show_message (self->edit_message, _("Settings saved."), FALSE);
  add_toast (self, _("Settings saved"));
}

static void
save_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->edit_name))));
  guint selected = adw_combo_row_get_selected (self->edit_alternate);
  const char *member_id = "";
  const char *alt_user = gtk_editable_get_text (GTK_EDITABLE (self->edit_alt_username));
  const char *alt_password = gtk_editable_get_text (GTK_EDITABLE (self->edit_alt_password));

  if (*name == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->edit_name), "error");
      show_message (self->edit_message, _("Enter a system name: Bridgekeeper lists the bridge under it."), TRUE);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->edit_name), "error");

  bk_device_set_name (self->device, name);
  bk_device_set_ip_zone (self->device, gtk_editable_get_text (GTK_EDITABLE (self->edit_ip_zone)));
  bk_device_set_time_zone (self->device, gtk_editable_get_text (GTK_EDITABLE (self->edit_time_zone)));
  bk_device_set_web_bridge_uri (self->device, gtk_editable_get_text (GTK_EDITABLE (self->edit_web_bridge_uri)));
  bk_device_set_system_contact (self->device, gtk_editable_get_text (GTK_EDITABLE (self->edit_contact)));
  bk_device_set_alert_contact_when_booked (self->device, gtk_switch_get_active (self->edit_alert));
  bk_device_set_description (self->device, gtk_editable_get_text (GTK_EDITABLE (self->edit_description)));
  bk_device_set_allow_booking (self->device, gtk_switch_get_active (self->edit_allow_booking));
  bk_device_set_allow_incoming_sip_uri_dialing (self->device, gtk_switch_get_active (self->edit_allow_incoming));
  bk_device_set_allow_outgoing_sip_uri_dialing (self->device, gtk_switch_get_active (self->edit_allow_outgoing));

  if (selected != GTK_INVALID_LIST_POSITION && selected < self->alternate_ids->len)
    member_id = g_ptr_array_index (self->alternate_ids, selected);

  /* An empty user name stands for the primary's (the group says so). */
  if (*alt_user == '\0')
    alt_user = bk_device_get_username (self->device);
  gtk_widget_remove_css_class (GTK_WIDGET (self->edit_alt_username), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->edit_alt_password), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->edit_alternate), "error");

  if (g_strcmp0 (member_id, bk_device_get_alternate_member_id (self->device)) != 0 ||
      *alt_password != '\0' ||
      (*member_id != '\0' && g_strcmp0 (alt_user, bk_device_get_alternate_username (self->device)) != 0))
    {
      gtk_widget_set_sensitive (self->edit_save, FALSE);
      g_free (self->alt_saving_member);
      self->alt_saving_member = g_strdup (member_id);
      show_message (self->edit_message, _("Checking the alternate…"), FALSE);
      bk_bridge_set_alternate_async (self->bridge, member_id, alt_user,
                                     *alt_password != '\0' ? alt_password : NULL,
                                     self->cancellable, set_alternate_done_cb, g_object_ref (self));
      return;
    }

  show_message (self->edit_message, _("Settings saved."), FALSE);
  add_toast (self, _("Settings saved"));
}

static void
build_edit_settings (BkDevicePage *self)
{
  AdwPreferencesGroup *group;
  GtkWidget *row;
  GtkWidget *box;
  static const Field readonly_general[] = {
    FIELD_SYSTEM_TYPE, FIELD_CONNECTIVITY, FIELD_NETWORK_ADDRESS, FIELD_MANUFACTURER,
  };
  static const Field readonly_late[] = { FIELD_STATUS, FIELD_ACCESS };

  group = add_group (self->edit_settings_page, _("General"), NULL);
  self->edit_name = new_entry_row (group, _("Name"));
  for (guint i = 0; i < G_N_ELEMENTS (readonly_general); i++)
    {
      Field f = readonly_general[i];

      self->edit_readonly_rows[f] = new_value_row (field_title (f));
      adw_preferences_group_add (group, self->edit_readonly_rows[f]);
    }
  self->edit_ip_zone = new_entry_row (group, _("IP Zone"));
  self->edit_time_zone = new_entry_row (group, _("Time Zone"));
  self->edit_web_bridge_uri = new_entry_row (group, _("Web Bridge URI"));
  for (guint i = 0; i < G_N_ELEMENTS (readonly_late); i++)
    {
      Field f = readonly_late[i];

      self->edit_readonly_rows[f] = new_value_row (field_title (f));
      adw_preferences_group_add (group, self->edit_readonly_rows[f]);
    }
  self->edit_contact = new_entry_row (group, _("System Contact"));
  row = new_switch_row (_("Alert System Contact when Booked"), NULL, &self->edit_alert);
  adw_preferences_group_add (group, row);
  self->edit_description = new_entry_row (group, _("Description"));
  self->edit_readonly_rows[FIELD_SOFTWARE_VERSION] = new_value_row (field_title (FIELD_SOFTWARE_VERSION));
  adw_preferences_group_add (group, self->edit_readonly_rows[FIELD_SOFTWARE_VERSION]);
  self->edit_readonly_rows[FIELD_SIP_MODE] = new_value_row (field_title (FIELD_SIP_MODE));
  adw_preferences_group_add (group, self->edit_readonly_rows[FIELD_SIP_MODE]);

  group = add_group (self->edit_settings_page, _("Network Settings"),
                     _("Failover uses one alternate call bridge of the cluster, for meetings that have not started yet."));
  self->edit_network_group = group;
  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Alternate IP"));
  adw_preferences_group_add (group, row);
  self->edit_alternate = ADW_COMBO_ROW (row);
  self->edit_alt_username = new_entry_row (group, _("Alternate IP Username"));
  row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Alternate IP Password"));
  adw_preferences_group_add (group, row);
  self->edit_alt_password = ADW_PASSWORD_ENTRY_ROW (row);

  group = add_group (self->edit_settings_page, _("Scheduling Settings"), NULL);
  adw_preferences_group_add (group, new_switch_row (_("Allow Booking"), NULL, &self->edit_allow_booking));
  adw_preferences_group_add (group, new_switch_row (_("Allow Incoming SIP URI Dialing"), NULL, &self->edit_allow_incoming));
  adw_preferences_group_add (group, new_switch_row (_("Allow Outgoing SIP URI Dialing"), NULL, &self->edit_allow_outgoing));

  group = add_group (self->edit_settings_page, NULL, NULL);
  self->edit_message = new_message_label ();
  adw_preferences_group_add (group, GTK_WIDGET (self->edit_message));
  box = new_button_box (&self->edit_save, _("_Save"), "device.save-settings");
  adw_preferences_group_add (group, box);
}

/* Settings: Extended ------------------------------------------------------ */

static void
load_extended_settings (BkDevicePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->ext_domain), bk_device_get_domain (self->device));
  gtk_spin_button_set_value (self->ext_base, MAX (1, bk_device_get_numeric_id_base (self->device)));
  gtk_spin_button_set_value (self->ext_quantity, MAX (1, bk_device_get_numeric_id_quantity (self->device)));
  gtk_widget_remove_css_class (GTK_WIDGET (self->ext_domain), "error");
  show_message (self->ext_message, NULL, FALSE);
}

static void
refresh_extended_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  load_extended_settings (BK_DEVICE_PAGE (widget));
}

static void
change_range_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BkDevicePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_bridge_change_range_finish (BK_BRIDGE (source), result, &error))
    {
      if (!is_cancelled (error))
        show_message (self->ext_message, error->message, TRUE);
      return;
    }

  load_extended_settings (self);
  show_message (self->ext_message, _("The meeting spaces match the new range."), FALSE);
  add_toast (self, _("Meeting space range changed"));
}

static void
save_extended_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);
  g_autoptr(GError) error = NULL;
  const char *domain = gtk_editable_get_text (GTK_EDITABLE (self->ext_domain));
  guint64 base = (guint64) gtk_spin_button_get_value (self->ext_base);
  guint quantity = (guint) gtk_spin_button_get_value (self->ext_quantity);

  gtk_widget_remove_css_class (GTK_WIDGET (self->ext_domain), "error");
  if (!bk_validate_domain (domain, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->ext_domain), "error");
      show_message (self->ext_message, error->message, TRUE);
      return;
    }
  if (!bk_validate_numeric_range (base, quantity, &error))
    {
      show_message (self->ext_message, error->message, TRUE);
      return;
    }

  if (g_strcmp0 (domain, bk_device_get_domain (self->device)) == 0 &&
      base == bk_device_get_numeric_id_base (self->device) &&
      quantity == bk_device_get_numeric_id_quantity (self->device))
    {
      show_message (self->ext_message, _("Nothing changed."), FALSE);
      return;
    }

  show_message (self->ext_message, NULL, FALSE);
  bk_bridge_change_range_async (self->bridge, domain, base, quantity, self->cancellable,
                                change_range_done_cb, g_object_ref (self));
}

static void
build_extended_settings (BkDevicePage *self)
{
  AdwPreferencesGroup *group;
  GtkWidget *box;
  GtkWidget *refresh;

  group = add_group (self->extended_settings_page, _("Extended Settings"),
                     _("Meetings use one reserved meeting space per numeric ID. Saving a new range "
                       "creates the missing spaces and removes those outside it."));
  self->ext_domain = new_entry_row (group, _("Domain"));
  adw_preferences_group_add (group, new_spin_row (_("Numeric ID Base"), 1, (double) BK_NUMERIC_ID_MAX, &self->ext_base));
  adw_preferences_group_add (group, new_spin_row (_("Numeric ID Quantity"), 1, BK_NUMERIC_ID_QUANTITY_MAX, &self->ext_quantity));

  group = add_group (self->extended_settings_page, NULL, NULL);
  self->ext_message = new_message_label ();
  adw_preferences_group_add (group, GTK_WIDGET (self->ext_message));
  box = new_button_box (&self->ext_save, _("_Save"), "device.save-extended");
  refresh = gtk_button_new_with_mnemonic (_("_Refresh"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (refresh), "device.refresh-extended");
  gtk_box_prepend (GTK_BOX (box), refresh);
  adw_preferences_group_add (group, box);
}

/* Settings: Ticket Filters ------------------------------------------------ */

static void
filter_switch_cb (GtkSwitch    *sw,
                  GParamSpec   *pspec,
                  BkDevicePage *self)
{
  BkTicketKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sw), "bk-kind"));
  BkTicketFilter filters = bk_device_get_ticket_filters (self->device);

  if (gtk_switch_get_active (sw))
    filters &= ~BK_TICKET_FILTER_FOR_KIND (kind);
  else
    filters |= BK_TICKET_FILTER_FOR_KIND (kind);
  bk_device_set_ticket_filters (self->device, filters);
}

static void
build_filters (BkDevicePage *self)
{
  AdwPreferencesGroup *group;
  const char *titles[] = {
    [BK_TICKET_KIND_MISSING_SYSTEM_NAME] = _("No System Name"),
    [BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS] = _("Extended Settings Not Configured"),
    [BK_TICKET_KIND_SLOTS_MISSING] = _("Meeting Spaces Missing"),
    [BK_TICKET_KIND_SLOTS_CHANGED] = _("Meeting Spaces Changed on the Bridge"),
    [BK_TICKET_KIND_PRIMARY_UNREACHABLE] = _("Bridge Unreachable"),
    [BK_TICKET_KIND_ALTERNATE_UNREACHABLE] = _("Alternate Unreachable"),
    [BK_TICKET_KIND_CMS_ALARM] = _("Alarms Reported by the Bridge"),
  };
  BkTicketFilter filters = bk_device_get_ticket_filters (self->device);

  group = add_group (self->filters_page, _("Ticket Filters"),
                     _("Choose which problems of this bridge open a ticket."));
  for (guint kind = 0; kind < G_N_ELEMENTS (titles); kind++)
    {
      GtkWidget *row = new_switch_row (titles[kind], NULL, &self->filter_switches[kind]);

      g_object_set_data (G_OBJECT (self->filter_switches[kind]), "bk-kind", GUINT_TO_POINTER (kind));
      gtk_switch_set_active (self->filter_switches[kind], (filters & BK_TICKET_FILTER_FOR_KIND (kind)) == 0);
      g_signal_connect (self->filter_switches[kind], "notify::active", G_CALLBACK (filter_switch_cb), self);
      adw_preferences_group_add (group, row);
    }
}

/* Connection -------------------------------------------------------------- */

static void
test_connection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  bk_device_connection_test (BK_DEVICE_PAGE (widget)->connection_tab);
}

static void
change_credentials_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  bk_device_connection_change_credentials (BK_DEVICE_PAGE (widget)->connection_tab);
}

static void
repin_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  bk_device_connection_repin (BK_DEVICE_PAGE (widget)->connection_tab);
}

/* Logs --------------------------------------------------------------------- */

static void
copy_log_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  bk_device_log_view_copy_trace (BK_DEVICE_PAGE (widget)->log_tab);
}

static void
save_log_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);
  g_autofree char *name = g_strdup_printf ("%s-api-trace.txt", bk_device_get_display_name (self->device));

  bk_device_log_view_save_trace (self->log_tab, name);
}

/* Ticket and page actions ------------------------------------------------- */

void
bk_device_page_show_tab (BkDevicePage *self,
                         const char   *tab,
                         const char   *settings_page)
{
  g_return_if_fail (BK_IS_DEVICE_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, tab);
  if (settings_page != NULL)
    gtk_stack_set_visible_child_name (self->settings_stack, settings_page);
}

static void
edit_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  load_edit_settings (self);
  bk_device_page_show_tab (self, "settings", "edit");
  gtk_widget_grab_focus (GTK_WIDGET (self->edit_name));
}

static void
edit_extended_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  load_extended_settings (self);
  bk_device_page_show_tab (self, "settings", "extended");
  gtk_widget_grab_focus (GTK_WIDGET (self->ext_domain));
}

static void
edit_alternate_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  load_edit_settings (self);
  bk_device_page_show_tab (self, "settings", "edit");
  gtk_widget_grab_focus (GTK_WIDGET (self->edit_alternate));
}

static void
review_alternate_certificate_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);
  const GError *error = bk_bridge_get_alternate_error (self->bridge);

  if (!g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH) &&
      !g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED))
    return;
  /* Only after an explicit confirmation, and for that node only. */
  present_member_certificate (self, bk_device_get_alternate_member_id (self->device), error, FALSE);
}

static void
show_alarms_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  /* The bridge's alarms are tickets of the Summary tab. */
  bk_device_page_show_tab (BK_DEVICE_PAGE (widget), "summary", NULL);
}

static void
check_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  start_check (BK_DEVICE_PAGE (widget));
}

static void
repair_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BkDevicePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_bridge_repair_finish (BK_BRIDGE (source), result, &error))
    {
      if (!is_cancelled (error))
        add_toast (self, error->message);
      return;
    }
  add_toast (self, _("Meeting spaces repaired"));
}

static void
repair_slots_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  bk_bridge_repair_async (self->bridge, self->cancellable, repair_done_cb, g_object_ref (self));
}

static void
setup_finished_cb (BkOnboardingWindow *window,
                   BkDevice           *device,
                   BkDevicePage       *self)
{
  start_check (self);
}

static void
continue_setup_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);
  BkOnboardingWindow *window;

  window = bk_onboarding_window_new_resume (GTK_WINDOW (gtk_widget_get_root (widget)),
                                            self->store, self->secrets, self->device);
  g_signal_connect_object (window, "finished", G_CALLBACK (setup_finished_cb), self, 0);
  gtk_window_present (GTK_WINDOW (window));
}

static void
remove_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BkDevicePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!bk_bridge_remove_finish (BK_BRIDGE (source), result, &error))
    {
      if (!is_cancelled (error))
        add_toast (self, error->message);
    }
  else
    {
      /* Translators: %s is the bridge's name. */
      text = g_strdup_printf (_("%s was removed"), bk_device_get_display_name (self->device));
      add_toast (self, text);
    }

  g_clear_weak_pointer (&self->toast_window);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BkDevicePage     *self)
{
  GtkCheckButton *check = g_object_get_data (G_OBJECT (dialog), "bk-clean-up");

  if (g_strcmp0 (response, "remove") == 0)
    {
      GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), BK_TYPE_WINDOW);

      g_set_weak_pointer (&self->toast_window, (BkWindow *) window);
      /* Not the page's cancellable: the page goes away when the device
       * leaves the list, and the removal must still report. */
      bk_bridge_remove_async (self->bridge, gtk_check_button_get_active (check),
                              NULL, remove_done_cb, g_object_ref (self));
    }
  g_object_unref (self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);
  GtkWidget *dialog;
  GtkWidget *check;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove %s?"),
                                     bk_device_get_display_name (self->device));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("Bridgekeeper forgets the bridge and its stored passwords. "
                                 "Meetings can no longer be scheduled on it."));
  check = gtk_check_button_new_with_mnemonic (_("Also remove the meeting spaces and profiles from the bridge"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), check);
  g_object_set_data (G_OBJECT (dialog), "bk-clean-up", check);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (remove_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Life cycle ------------------------------------------------------------- */

static void
device_notify_cb (BkDevicePage *self,
                  GParamSpec   *pspec)
{
  if (g_strcmp0 (pspec->name, "access-levels") == 0)
    update_access (self);
  else
    update_readonly (self);
}

static void
bk_device_page_constructed (GObject *object)
{
  BkDevicePage *self = BK_DEVICE_PAGE (object);

  G_OBJECT_CLASS (bk_device_page_parent_class)->constructed (object);

  g_assert (BK_IS_DEVICE (self->device));
  g_assert (BK_IS_DEVICE_STORE (self->store));
  g_assert (BK_IS_SECRETS (self->secrets));
  /* The bridge is the application's (BkBridgeManager): the page observes it. */
  g_assert (BK_IS_BRIDGE (self->bridge));
  g_assert (bk_bridge_get_device (self->bridge) == self->device);

  bk_device_summary_set_bridge (self->summary_tab, self->bridge);
  bk_device_clustering_set_bridge (self->clustering_tab, self->bridge);

  build_view_settings (self);
  build_edit_settings (self);
  build_extended_settings (self);
  build_filters (self);
  bk_device_connection_set_bridge (self->connection_tab, self->bridge);
  bk_device_permissions_set_bridge (self->permissions_tab, self->bridge);
  bk_device_log_view_set_bridge (self->log_tab, self->bridge);

  load_edit_settings (self);
  load_extended_settings (self);
  update_access (self);
  update_readonly (self);
  update_busy (self);

  g_signal_connect_object (self->bridge, "notify::status", G_CALLBACK (update_readonly), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bridge, "notify::in-call", G_CALLBACK (update_readonly), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bridge, "notify::busy", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bridge, "notify::progress", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bridge, "notify::progress-text", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (bk_bridge_get_cluster_nodes (self->bridge), "items-changed",
                           G_CALLBACK (rebuild_alternates), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->device, "notify", G_CALLBACK (device_notify_cb), self, G_CONNECT_SWAPPED);
}

static void
bk_device_page_dispose (GObject *object)
{
  BkDevicePage *self = BK_DEVICE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->toast_window);

  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_DEVICE_PAGE);

  G_OBJECT_CLASS (bk_device_page_parent_class)->dispose (object);
}

static void
bk_device_page_finalize (GObject *object)
{
  BkDevicePage *self = BK_DEVICE_PAGE (object);

  g_clear_object (&self->bridge);
  g_clear_object (&self->device);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->alternate_ids, g_ptr_array_unref);
  g_clear_pointer (&self->alt_saving_member, g_free);

  G_OBJECT_CLASS (bk_device_page_parent_class)->finalize (object);
}

static void
bk_device_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BkDevicePage *self = BK_DEVICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_BRIDGE:
      g_value_set_object (value, self->bridge);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_device_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BkDevicePage *self = BK_DEVICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      self->device = g_value_dup_object (value);
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;
    case PROP_BRIDGE:
      self->bridge = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_device_page_class_init (BkDevicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bk_device_page_constructed;
  object_class->dispose = bk_device_page_dispose;
  object_class->finalize = bk_device_page_finalize;
  object_class->get_property = bk_device_page_get_property;
  object_class->set_property = bk_device_page_set_property;
  widget_class->map = bk_device_page_map;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, BK_TYPE_DEVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BK_TYPE_DEVICE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL, BK_TYPE_SECRETS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BRIDGE] =
    g_param_spec_object ("bridge", NULL, NULL, BK_TYPE_BRIDGE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BK_TYPE_DEVICE_SUMMARY);
  g_type_ensure (BK_TYPE_DEVICE_CLUSTERING);
  g_type_ensure (BK_TYPE_DEVICE_CONNECTION);
  g_type_ensure (BK_TYPE_DEVICE_PERMISSIONS);
  g_type_ensure (BK_TYPE_DEVICE_LOG_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/bk-device-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BkDevicePage, name)
  BIND (name_label);
  BIND (status_label);
  BIND (address_label);
  BIND (connectivity_label);
  BIND (last_checked_label);
  BIND (setup_revealer);
  BIND (continue_button);
  BIND (busy_revealer);
  BIND (busy_label);
  BIND (busy_bar);
  BIND (view_stack);
  BIND (summary_tab);
  BIND (settings_stack);
  BIND (view_settings_page);
  BIND (edit_settings_page);
  BIND (extended_settings_page);
  BIND (filters_page);
  BIND (clustering_tab);
  BIND (connection_tab);
  BIND (permissions_tab);
  BIND (log_tab);
#undef BIND

  /* The ticket actions (bk-tickets.h) and the page's own. */
  gtk_widget_class_install_action (widget_class, BK_TICKET_ACTION_EDIT_SETTINGS, NULL, edit_settings_action);
  gtk_widget_class_install_action (widget_class, BK_TICKET_ACTION_EDIT_EXTENDED_SETTINGS, NULL, edit_extended_action);
  gtk_widget_class_install_action (widget_class, BK_TICKET_ACTION_REPAIR_SLOTS, NULL, repair_slots_action);
  gtk_widget_class_install_action (widget_class, BK_TICKET_ACTION_CHECK_NOW, NULL, check_now_action);
  gtk_widget_class_install_action (widget_class, BK_TICKET_ACTION_EDIT_ALTERNATE, NULL, edit_alternate_action);
  gtk_widget_class_install_action (widget_class, BK_TICKET_ACTION_SHOW_ALARMS, NULL, show_alarms_action);
  gtk_widget_class_install_action (widget_class, BK_TICKET_ACTION_REVIEW_ALTERNATE_CERTIFICATE, NULL,
                                   review_alternate_certificate_action);
  gtk_widget_class_install_action (widget_class, "device.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "device.continue-setup", NULL, continue_setup_action);
  gtk_widget_class_install_action (widget_class, "device.copy-log", NULL, copy_log_action);
  gtk_widget_class_install_action (widget_class, "device.save-log", NULL, save_log_action);
  gtk_widget_class_install_action (widget_class, "device.save-settings", NULL, save_settings_action);
  gtk_widget_class_install_action (widget_class, "device.save-extended", NULL, save_extended_action);
  gtk_widget_class_install_action (widget_class, "device.refresh-extended", NULL, refresh_extended_action);
  gtk_widget_class_install_action (widget_class, "device.test-connection", NULL, test_connection_action);
  gtk_widget_class_install_action (widget_class, "device.change-credentials", NULL, change_credentials_action);
  gtk_widget_class_install_action (widget_class, "device.repin", NULL, repin_action);
}

static void
bk_device_page_init (BkDevicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->alternate_ids = g_ptr_array_new_with_free_func (g_free);
}

BkDevicePage *
bk_device_page_new (BkBridge      *bridge,
                    BkDeviceStore *store,
                    BkSecrets     *secrets)
{
  g_return_val_if_fail (BK_IS_BRIDGE (bridge), NULL);
  g_return_val_if_fail (BK_IS_DEVICE_STORE (store), NULL);
  g_return_val_if_fail (BK_IS_SECRETS (secrets), NULL);

  return g_object_new (BK_TYPE_DEVICE_PAGE,
                       "bridge", bridge,
                       "device", bk_bridge_get_device (bridge),
                       "store", store,
                       "secrets", secrets,
                       NULL);
}

BkDevice *
bk_device_page_get_device (BkDevicePage *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_PAGE (self), NULL);

  return self->device;
}

BkBridge *
bk_device_page_get_bridge (BkDevicePage *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_PAGE (self), NULL);

  return self->bridge;
}

GListModel *
bk_device_page_get_log_model (BkDevicePage *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_PAGE (self), NULL);

  return bk_device_log_view_get_model (self->log_tab);
}
