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

#include "bk-device-clustering.h"
#include "bk-device-common.h"
#include "bk-device-connection.h"
#include "bk-device-log-view.h"
#include "bk-device-page.h"
#include "bk-device-permissions.h"
#include "bk-device-settings.h"
#include "bk-device-summary.h"
#include "bk-format.h"
#include "bk-onboarding-window.h"
#include "bk-tickets.h"
#include "bk-window.h"

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
  BkDeviceSettings  *settings_tab;
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
  g_autofree char *address = bk_device_dup_address (self->device);
  g_autofree char *checked = bk_format_last_checked (bk_device_get_last_checked (self->device), NULL);

  gtk_label_set_text (self->name_label, bk_device_get_display_name (self->device));
  gtk_label_set_text (self->address_label, address);
  gtk_label_set_text (self->status_label, bk_device_status_text (self->bridge));
  gtk_label_set_text (self->connectivity_label, bk_device_reachability_text (bk_device_get_reachability (self->device)));
  gtk_label_set_text (self->last_checked_label, checked);
  gtk_revealer_set_reveal_child (self->setup_revealer,
                                 bk_device_get_onboarding_stage (self->device) != BK_ONBOARDING_STAGE_COMPLETE);
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

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.remove", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.repair-slots", !busy);
}

/* Checks ------------------------------------------------------------------ */

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The bridge shows what the check found: nothing for the page to do. */
  if (!bk_bridge_check_finish (BK_BRIDGE (source), result, &error) && !bk_device_is_cancelled (error))
    g_debug ("Check failed: %s", error->message);
}

static void
start_check (BkDevicePage *self)
{
  self->checked_once = TRUE;
  /* A check only reads (a cancelled one leaves the bridge's state as it
   * was), so the page's cancellable may end it with the page. */
  bk_bridge_check_async (self->bridge, self->cancellable, check_done_cb, NULL);
}

static void
bk_device_page_map (GtkWidget *widget)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  GTK_WIDGET_CLASS (bk_device_page_parent_class)->map (widget);

  if (!self->checked_once)
    start_check (self);
}

/* Settings ---------------------------------------------------------------- */

static void
save_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  bk_device_settings_save (BK_DEVICE_PAGE (widget)->settings_tab);
}

static void
save_extended_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  bk_device_settings_save_extended (BK_DEVICE_PAGE (widget)->settings_tab);
}

static void
refresh_extended_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  bk_device_settings_refresh_extended (BK_DEVICE_PAGE (widget)->settings_tab);
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
    bk_device_settings_show (self->settings_tab, settings_page);
}

static void
edit_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "settings");
  bk_device_settings_edit (self->settings_tab);
}

static void
edit_extended_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "settings");
  bk_device_settings_edit_extended (self->settings_tab);
}

static void
edit_alternate_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "settings");
  bk_device_settings_edit_alternate (self->settings_tab);
}

static void
review_alternate_certificate_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  bk_device_settings_review_alternate_certificate (BK_DEVICE_PAGE (widget)->settings_tab);
}

static void
confirm_member_certificate_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  BkDevicePage *self = BK_DEVICE_PAGE (widget);

  /* From a ticket: the Clustering tab shows the member the dialog names. */
  if (g_strcmp0 (action_name, BK_TICKET_ACTION_REVIEW_MEMBER_CERTIFICATE) == 0)
    bk_device_page_show_tab (self, "clustering", NULL);
  bk_device_clustering_confirm_member (self->clustering_tab, g_variant_get_string (parameter, NULL));
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
  g_autoptr(BkDevicePage) self = bk_device_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok = bk_bridge_repair_finish (BK_BRIDGE (source), result, &error);

  /* The bridge is repaired (or says why not) whether or not the page is
   * still there to say so. */
  if (self == NULL)
    return;
  if (!ok)
    {
      if (!bk_device_is_cancelled (error))
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

  /* The person asked for it: the bridge finishes it even if the page goes
   * away (no cancellable of ours). */
  bk_bridge_repair_async (self->bridge, NULL, repair_done_cb, bk_device_weak_ref_new (self));
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
      if (!bk_device_is_cancelled (error))
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

  bk_device_settings_set_bridge (self->settings_tab, self->bridge);
  bk_device_connection_set_bridge (self->connection_tab, self->bridge);
  bk_device_permissions_set_bridge (self->permissions_tab, self->bridge);
  bk_device_log_view_set_bridge (self->log_tab, self->bridge);

  update_readonly (self);
  update_busy (self);

  g_signal_connect_object (self->bridge, "notify::status", G_CALLBACK (update_readonly), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bridge, "notify::in-call", G_CALLBACK (update_readonly), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bridge, "notify::busy", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bridge, "notify::progress", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bridge, "notify::progress-text", G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
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
  g_type_ensure (BK_TYPE_DEVICE_SETTINGS);
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
  BIND (settings_tab);
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
  gtk_widget_class_install_action (widget_class, BK_TICKET_ACTION_REVIEW_MEMBER_CERTIFICATE, "s",
                                   confirm_member_certificate_action);
  gtk_widget_class_install_action (widget_class, "device.confirm-member-certificate", "s",
                                   confirm_member_certificate_action);
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

void
bk_device_page_set_bookings (BkDevicePage   *self,
                             BkBookingStore *bookings)
{
  g_return_if_fail (BK_IS_DEVICE_PAGE (self));

  bk_device_summary_set_bookings (self->summary_tab, bookings);
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
