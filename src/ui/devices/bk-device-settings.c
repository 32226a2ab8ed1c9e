/* bk-device-settings.c: the device page's Settings tab
 *
 * View Settings shows every value of the device (BkValueRow rows); Edit
 * Settings and Extended Settings edit copies of them and write them back
 * on Save; the Ticket Filters switch kinds of tickets on and off at once
 * (the store saves the device by itself).
 *
 * The read-only rows are template children bound by field (view_<field>_row
 * for every field, edit_<field>_row for those the form shows read-only).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-certificate-ui.h"
#include "bk-device-common.h"
#include "bk-device-settings.h"
#include "bk-tickets.h"
#include "bk-validate.h"
#include "bk-value-row.h"

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

/* Each field's part of its rows' template ids, and whether Edit Settings
 * shows it read-only. */
static const struct {
  const char *id;
  gboolean    edit_readonly;
} fields[N_FIELDS] = {
  [FIELD_NAME] = { "name", FALSE },
  [FIELD_SYSTEM_TYPE] = { "system_type", TRUE },
  [FIELD_CONNECTIVITY] = { "connectivity", TRUE },
  [FIELD_NETWORK_ADDRESS] = { "network_address", TRUE },
  [FIELD_MANUFACTURER] = { "manufacturer", TRUE },
  [FIELD_IP_ZONE] = { "ip_zone", FALSE },
  [FIELD_TIME_ZONE] = { "time_zone", FALSE },
  [FIELD_WEB_BRIDGE_URI] = { "web_bridge_uri", FALSE },
  [FIELD_STATUS] = { "status", TRUE },
  [FIELD_ACCESS] = { "access", TRUE },
  [FIELD_SYSTEM_CONTACT] = { "system_contact", FALSE },
  [FIELD_ALERT_CONTACT] = { "alert_contact", FALSE },
  [FIELD_DESCRIPTION] = { "description", FALSE },
  [FIELD_SOFTWARE_VERSION] = { "software_version", TRUE },
  [FIELD_SIP_MODE] = { "sip_mode", TRUE },
  [FIELD_ALTERNATE] = { "alternate", FALSE },
  [FIELD_ALTERNATE_USERNAME] = { "alternate_username", FALSE },
  [FIELD_ALLOW_BOOKING] = { "allow_booking", FALSE },
  [FIELD_ALLOW_INCOMING] = { "allow_incoming", FALSE },
  [FIELD_ALLOW_OUTGOING] = { "allow_outgoing", FALSE },
  [FIELD_DOMAIN] = { "domain", FALSE },
  [FIELD_BASE] = { "base", FALSE },
  [FIELD_QUANTITY] = { "quantity", FALSE },
};

/* The Ticket Filters switches, by BkTicketKind. */
static const char *filter_switch_ids[] = {
  [BK_TICKET_KIND_MISSING_SYSTEM_NAME] = "filter_missing_system_name_switch",
  [BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS] = "filter_missing_extended_settings_switch",
  [BK_TICKET_KIND_SLOTS_MISSING] = "filter_slots_missing_switch",
  [BK_TICKET_KIND_SLOTS_CHANGED] = "filter_slots_changed_switch",
  [BK_TICKET_KIND_PRIMARY_UNREACHABLE] = "filter_primary_unreachable_switch",
  [BK_TICKET_KIND_ALTERNATE_UNREACHABLE] = "filter_alternate_unreachable_switch",
  [BK_TICKET_KIND_CMS_ALARM] = "filter_cms_alarm_switch",
};

#define N_FILTERS G_N_ELEMENTS (filter_switch_ids)

struct _BkDeviceSettings
{
  AdwBin               parent_instance;

  BkBridge            *bridge;
  BkDevice            *device;
  GPtrArray           *alternate_ids;
  char                *alt_saving_member; /* the alternate being saved */
  gboolean             loading_filters;

  /* Template widgets */
  GtkStack            *settings_stack;
  AdwPreferencesPage  *view_settings_page;
  AdwPreferencesPage  *edit_settings_page;
  AdwPreferencesPage  *extended_settings_page;
  AdwPreferencesPage  *filters_page;
  BkValueRow          *view_rows[N_FIELDS];
  BkValueRow          *edit_readonly_rows[N_FIELDS];

  /* Edit Settings */
  AdwEntryRow         *edit_name;
  AdwEntryRow         *edit_ip_zone;
  AdwEntryRow         *edit_time_zone;
  AdwEntryRow         *edit_web_bridge_uri;
  AdwEntryRow         *edit_contact;
  GtkSwitch           *edit_alert;
  AdwEntryRow         *edit_description;
  AdwPreferencesGroup *edit_network_group;
  AdwComboRow         *edit_alternate;
  AdwEntryRow         *edit_alt_username;
  AdwPasswordEntryRow *edit_alt_password;
  GtkSwitch           *edit_allow_booking;
  GtkSwitch           *edit_allow_incoming;
  GtkSwitch           *edit_allow_outgoing;
  GtkLabel            *edit_message;
  GtkWidget           *edit_save;

  /* Extended Settings */
  AdwEntryRow         *ext_domain;
  GtkSpinButton       *ext_base;
  GtkSpinButton       *ext_quantity;
  GtkLabel            *ext_message;
  GtkWidget           *ext_save;

  /* Ticket Filters */
  GtkSwitch           *filter_switches[N_FILTERS];
};

G_DEFINE_FINAL_TYPE (BkDeviceSettings, bk_device_settings, ADW_TYPE_BIN)

/* After dispose the template's widgets are gone; operations that the
 * person started may still end (the bridge is core's). */
static gboolean
disposed (BkDeviceSettings *self)
{
  return self->settings_stack == NULL;
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
alternate_text (BkDeviceSettings *self)
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
dup_field (BkDeviceSettings *self,
           Field             field)
{
  BkDevice *d = self->device;

  switch (field)
    {
    case FIELD_NAME: return g_strdup (bk_device_get_name (d));
    case FIELD_SYSTEM_TYPE: return g_strdup (_("Cisco Meeting Server"));
    case FIELD_CONNECTIVITY: return g_strdup (bk_device_reachability_text (bk_device_get_reachability (d)));
    case FIELD_NETWORK_ADDRESS: return bk_device_dup_address (d);
    case FIELD_MANUFACTURER: return g_strdup ("Cisco");
    case FIELD_IP_ZONE: return g_strdup (bk_device_get_ip_zone (d));
    case FIELD_TIME_ZONE: return g_strdup (*bk_device_get_time_zone (d) != '\0' ? bk_device_get_time_zone (d) : _("Local time zone"));
    case FIELD_WEB_BRIDGE_URI: return g_strdup (bk_device_get_web_bridge_uri (d));
    case FIELD_STATUS: return g_strdup (bk_device_status_text (self->bridge));
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

static void
rebuild_alternates (BkDeviceSettings *self)
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
update_alternate_hint (BkDeviceSettings *self)
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
load_edit_settings (BkDeviceSettings *self)
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
  bk_device_show_message (self->edit_message, NULL, FALSE);
}

/* The member's name (or id) and address, for the dialogs. */
static void
member_names (BkDeviceSettings  *self,
              const char        *member_id,
              char             **name,
              char             **address)
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
                             BkDeviceSettings *self)
{
  const char *sha256 = g_object_get_data (G_OBJECT (dialog), "bk-sha256");
  const char *member_id = g_object_get_data (G_OBJECT (dialog), "bk-member-id");

  if ((g_strcmp0 (response, "trust") == 0 || g_strcmp0 (response, "repin") == 0) &&
      sha256 != NULL && member_id != NULL)
    {
      gboolean saving = g_object_get_data (G_OBJECT (dialog), "bk-saving") != NULL;

      /* That node only: the primary's pin and the other nodes stay. */
      bk_bridge_trust_member_certificate (self->bridge, member_id, sha256);
      if (saving && !disposed (self))
        bk_device_settings_save (self);
      else if (!saving)
        bk_device_add_toast (GTK_WIDGET (self), _("The alternate's new certificate is trusted"));
    }
  else if (g_object_get_data (G_OBJECT (dialog), "bk-saving") != NULL && !disposed (self))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->edit_alternate), "error");
      bk_device_show_message (self->edit_message,
                              _("The certificate of the alternate was not trusted, so nothing was saved. "
                                "Trust it after comparing its fingerprint, or choose another alternate."), TRUE);
    }
  g_object_unref (self);
}

/* The trust (or re-pin) dialog of one node, naming it. */
static void
present_member_certificate (BkDeviceSettings *self,
                            const char       *member_id,
                            const GError     *error,
                            gboolean          saving)
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
  g_autoptr(BkDeviceSettings) self = bk_device_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok = bk_bridge_set_alternate_finish (BK_BRIDGE (source), result, &error);

  /* The bridge saved the alternate (or not) whether or not the tab is
   * still there to say so. */
  if (self == NULL || disposed (self))
    return;
  gtk_widget_set_sensitive (self->edit_save, TRUE);
  if (!ok)
    {
      if (bk_device_is_cancelled (error))
        return;
      if ((g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED) ||
           g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH)) &&
          self->alt_saving_member != NULL)
        {
          bk_device_show_message (self->edit_message, NULL, FALSE);
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
      bk_device_show_message (self->edit_message, error->message, TRUE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->edit_alt_password), "");
  bk_device_show_message (self->edit_message, _("Settings saved."), FALSE);
  bk_device_add_toast (GTK_WIDGET (self), _("Settings saved"));
}

void
bk_device_settings_save (BkDeviceSettings *self)
{
  g_autofree char *name = NULL;
  guint selected;
  const char *member_id = "";
  const char *alt_user;
  const char *alt_password;

  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->edit_name))));
  selected = adw_combo_row_get_selected (self->edit_alternate);
  alt_user = gtk_editable_get_text (GTK_EDITABLE (self->edit_alt_username));
  alt_password = gtk_editable_get_text (GTK_EDITABLE (self->edit_alt_password));

  if (*name == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->edit_name), "error");
      bk_device_show_message (self->edit_message, _("Enter a system name: Bridgekeeper lists the bridge under it."), TRUE);
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
      bk_device_show_message (self->edit_message, _("Checking the alternate…"), FALSE);
      /* The person asked for it: it ends on the bridge even if the page
       * goes away (no cancellable of ours). */
      bk_bridge_set_alternate_async (self->bridge, member_id, alt_user,
                                     *alt_password != '\0' ? alt_password : NULL,
                                     NULL, set_alternate_done_cb, bk_device_weak_ref_new (self));
      return;
    }

  bk_device_show_message (self->edit_message, _("Settings saved."), FALSE);
  bk_device_add_toast (GTK_WIDGET (self), _("Settings saved"));
}

/* Extended Settings ------------------------------------------------------ */

static void
load_extended_settings (BkDeviceSettings *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->ext_domain), bk_device_get_domain (self->device));
  gtk_spin_button_set_value (self->ext_base, MAX (1, bk_device_get_numeric_id_base (self->device)));
  gtk_spin_button_set_value (self->ext_quantity, MAX (1, bk_device_get_numeric_id_quantity (self->device)));
  gtk_widget_remove_css_class (GTK_WIDGET (self->ext_domain), "error");
  bk_device_show_message (self->ext_message, NULL, FALSE);
}

void
bk_device_settings_refresh_extended (BkDeviceSettings *self)
{
  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));

  load_extended_settings (self);
}

static void
change_range_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BkDeviceSettings) self = bk_device_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok = bk_bridge_change_range_finish (BK_BRIDGE (source), result, &error);

  /* The bridge has the new range (or says why not) whether or not the tab
   * is still there to say so. */
  if (self == NULL || disposed (self))
    return;
  if (!ok)
    {
      if (!bk_device_is_cancelled (error))
        bk_device_show_message (self->ext_message, error->message, TRUE);
      return;
    }

  load_extended_settings (self);
  bk_device_show_message (self->ext_message, _("The meeting spaces match the new range."), FALSE);
  bk_device_add_toast (GTK_WIDGET (self), _("Meeting space range changed"));
}

void
bk_device_settings_save_extended (BkDeviceSettings *self)
{
  g_autoptr(GError) error = NULL;
  const char *domain;
  guint64 base;
  guint quantity;

  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));

  domain = gtk_editable_get_text (GTK_EDITABLE (self->ext_domain));
  base = (guint64) gtk_spin_button_get_value (self->ext_base);
  quantity = (guint) gtk_spin_button_get_value (self->ext_quantity);

  gtk_widget_remove_css_class (GTK_WIDGET (self->ext_domain), "error");
  if (!bk_validate_domain (domain, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->ext_domain), "error");
      bk_device_show_message (self->ext_message, error->message, TRUE);
      return;
    }
  if (!bk_validate_numeric_range (base, quantity, &error))
    {
      bk_device_show_message (self->ext_message, error->message, TRUE);
      return;
    }

  if (g_strcmp0 (domain, bk_device_get_domain (self->device)) == 0 &&
      base == bk_device_get_numeric_id_base (self->device) &&
      quantity == bk_device_get_numeric_id_quantity (self->device))
    {
      bk_device_show_message (self->ext_message, _("Nothing changed."), FALSE);
      return;
    }

  bk_device_show_message (self->ext_message, NULL, FALSE);
  /* The person asked for it: the bridge finishes it even if the page goes
   * away (cancelling half-way would leave the spaces half-changed). */
  bk_bridge_change_range_async (self->bridge, domain, base, quantity, NULL,
                                change_range_done_cb, bk_device_weak_ref_new (self));
}

/* Ticket Filters ------------------------------------------------ */

static void
load_filters (BkDeviceSettings *self)
{
  BkTicketFilter filters = bk_device_get_ticket_filters (self->device);

  self->loading_filters = TRUE;
  for (guint kind = 0; kind < N_FILTERS; kind++)
    if (gtk_switch_get_active (self->filter_switches[kind]) != ((filters & BK_TICKET_FILTER_FOR_KIND (kind)) == 0))
      gtk_switch_set_active (self->filter_switches[kind], (filters & BK_TICKET_FILTER_FOR_KIND (kind)) == 0);
  self->loading_filters = FALSE;
}

static void
filter_switch_cb (GtkSwitch        *sw,
                  GParamSpec       *pspec,
                  BkDeviceSettings *self)
{
  BkTicketFilter filters;

  if (self->device == NULL || self->loading_filters)
    return;

  filters = bk_device_get_ticket_filters (self->device);
  for (guint kind = 0; kind < N_FILTERS; kind++)
    if (self->filter_switches[kind] == sw)
      {
        if (gtk_switch_get_active (sw))
          filters &= ~BK_TICKET_FILTER_FOR_KIND (kind);
        else
          filters |= BK_TICKET_FILTER_FOR_KIND (kind);
      }
  bk_device_set_ticket_filters (self->device, filters);
}

/* Values, access, busy ------------------------------------------------------ */

static void
update_values (BkDeviceSettings *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *value = dup_field (self, i);

      bk_value_row_set_value (self->view_rows[i], value);
      if (self->edit_readonly_rows[i] != NULL)
        bk_value_row_set_value (self->edit_readonly_rows[i], value);
    }
}

static void
update_access (BkDeviceSettings *self)
{
  gboolean can_edit = (bk_device_get_access_levels (self->device) & BK_ACCESS_LEVEL_EDIT_SETTINGS) != 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_settings_page), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->extended_settings_page), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->filters_page), can_edit);
}

static void
update_busy (BkDeviceSettings *self)
{
  gtk_widget_set_sensitive (self->ext_save, !bk_bridge_get_busy (self->bridge));
}

static void
device_notify_cb (BkDeviceSettings *self,
                  GParamSpec       *pspec)
{
  if (g_strcmp0 (pspec->name, "access-levels") == 0)
    update_access (self);
  else if (g_strcmp0 (pspec->name, "ticket-filters") == 0)
    load_filters (self);
  else if (g_strcmp0 (pspec->name, "username") == 0)
    update_alternate_hint (self);
  update_values (self);
}

void
bk_device_settings_set_bridge (BkDeviceSettings *self,
                               BkBridge         *bridge)
{
  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));
  g_return_if_fail (BK_IS_BRIDGE (bridge));
  g_return_if_fail (self->bridge == NULL);

  self->bridge = g_object_ref (bridge);
  self->device = g_object_ref (bk_bridge_get_device (bridge));

  load_edit_settings (self);
  load_extended_settings (self);
  load_filters (self);
  update_values (self);
  update_access (self);
  update_busy (self);

  g_signal_connect_object (self->device, "notify", G_CALLBACK (device_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (bridge, "notify::status", G_CALLBACK (update_values), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (bridge, "notify::in-call", G_CALLBACK (update_values), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (bridge, "notify::busy", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (bk_bridge_get_cluster_nodes (bridge), "items-changed",
                           G_CALLBACK (rebuild_alternates), self, G_CONNECT_SWAPPED);
}

/* Ticket actions ------------------------------------------------------------ */

void
bk_device_settings_show (BkDeviceSettings *self,
                         const char       *page)
{
  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));

  gtk_stack_set_visible_child_name (self->settings_stack, page);
}

void
bk_device_settings_edit (BkDeviceSettings *self)
{
  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));

  load_edit_settings (self);
  bk_device_settings_show (self, "edit");
  gtk_widget_grab_focus (GTK_WIDGET (self->edit_name));
}

void
bk_device_settings_edit_alternate (BkDeviceSettings *self)
{
  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));

  load_edit_settings (self);
  bk_device_settings_show (self, "edit");
  gtk_widget_grab_focus (GTK_WIDGET (self->edit_alternate));
}

void
bk_device_settings_edit_extended (BkDeviceSettings *self)
{
  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));

  load_extended_settings (self);
  bk_device_settings_show (self, "extended");
  gtk_widget_grab_focus (GTK_WIDGET (self->ext_domain));
}

void
bk_device_settings_review_alternate_certificate (BkDeviceSettings *self)
{
  const GError *error;

  g_return_if_fail (BK_IS_DEVICE_SETTINGS (self));

  error = bk_bridge_get_alternate_error (self->bridge);
  if (!g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH) &&
      !g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED))
    return;
  /* Only after an explicit confirmation, and for that node only. */
  present_member_certificate (self, bk_device_get_alternate_member_id (self->device), error, FALSE);
}

/* Life cycle ---------------------------------------------------------------- */

static void
bk_device_settings_dispose (GObject *object)
{
  BkDeviceSettings *self = BK_DEVICE_SETTINGS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_DEVICE_SETTINGS);

  G_OBJECT_CLASS (bk_device_settings_parent_class)->dispose (object);
}

static void
bk_device_settings_finalize (GObject *object)
{
  BkDeviceSettings *self = BK_DEVICE_SETTINGS (object);

  g_clear_object (&self->bridge);
  g_clear_object (&self->device);
  g_clear_pointer (&self->alternate_ids, g_ptr_array_unref);
  g_clear_pointer (&self->alt_saving_member, g_free);

  G_OBJECT_CLASS (bk_device_settings_parent_class)->finalize (object);
}

static void
bk_device_settings_class_init (BkDeviceSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_device_settings_dispose;
  object_class->finalize = bk_device_settings_finalize;

  g_type_ensure (BK_TYPE_VALUE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/devices/bk-device-settings.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BkDeviceSettings, name)
  BIND (settings_stack);
  BIND (view_settings_page);
  BIND (edit_settings_page);
  BIND (extended_settings_page);
  BIND (filters_page);
  BIND (edit_name);
  BIND (edit_ip_zone);
  BIND (edit_time_zone);
  BIND (edit_web_bridge_uri);
  BIND (edit_contact);
  BIND (edit_alert);
  BIND (edit_description);
  BIND (edit_network_group);
  BIND (edit_alternate);
  BIND (edit_alt_username);
  BIND (edit_alt_password);
  BIND (edit_allow_booking);
  BIND (edit_allow_incoming);
  BIND (edit_allow_outgoing);
  BIND (edit_message);
  BIND (edit_save);
  BIND (ext_domain);
  BIND (ext_base);
  BIND (ext_quantity);
  BIND (ext_message);
  BIND (ext_save);
#undef BIND
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *view_id = g_strdup_printf ("view_%s_row", fields[i].id);

      gtk_widget_class_bind_template_child_full (widget_class, view_id, FALSE,
                                                 G_STRUCT_OFFSET (BkDeviceSettings, view_rows)
                                                 + i * sizeof (BkValueRow *));
      if (fields[i].edit_readonly)
        {
          g_autofree char *edit_id = g_strdup_printf ("edit_%s_row", fields[i].id);

          gtk_widget_class_bind_template_child_full (widget_class, edit_id, FALSE,
                                                     G_STRUCT_OFFSET (BkDeviceSettings, edit_readonly_rows)
                                                     + i * sizeof (BkValueRow *));
        }
    }
  for (guint kind = 0; kind < N_FILTERS; kind++)
    gtk_widget_class_bind_template_child_full (widget_class, filter_switch_ids[kind], FALSE,
                                               G_STRUCT_OFFSET (BkDeviceSettings, filter_switches)
                                               + kind * sizeof (GtkSwitch *));
  gtk_widget_class_bind_template_callback (widget_class, filter_switch_cb);
}

static void
bk_device_settings_init (BkDeviceSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->alternate_ids = g_ptr_array_new_with_free_func (g_free);

  /* The limits are the validator's (a new adjustment, not set_range(),
   * so that the spin buttons are as wide as the largest value). */
  gtk_spin_button_set_adjustment (self->ext_base, gtk_adjustment_new (1, 1, (double) BK_NUMERIC_ID_MAX, 1, 10, 0));
  gtk_spin_button_set_adjustment (self->ext_quantity, gtk_adjustment_new (1, 1, BK_NUMERIC_ID_QUANTITY_MAX, 1, 10, 0));
}
