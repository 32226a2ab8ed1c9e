/* bk-device-connection.c: the device page's Connection tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-certificate-ui.h"
#include "bk-device-common.h"
#include "bk-device-connection.h"
#include "bk-value-row.h"

struct _BkDeviceConnection
{
  AdwBin               parent_instance;

  BkBridge            *bridge;
  BkDevice            *device;
  GCancellable        *cancellable;
  GError              *pin_error;        /* the last TLS_PIN_MISMATCH seen */
  GtkWidget           *fingerprint_grid;

  /* Template widgets */
  AdwPreferencesPage  *connection_page;
  BkValueRow          *address_row;
  BkValueRow          *port_row;
  GtkWidget           *test_button;
  GtkLabel            *test_result;
  AdwPreferencesGroup *cert_group;
  GtkWidget           *repin_button;
  GtkBox              *cert_card;
  GtkWidget           *cert_ca_label;
  AdwEntryRow         *cred_username;
  AdwPasswordEntryRow *cred_password;
  GtkLabel            *cred_result;
};

G_DEFINE_FINAL_TYPE (BkDeviceConnection, bk_device_connection, ADW_TYPE_BIN)

static void
update_address (BkDeviceConnection *self)
{
  g_autofree char *port = g_strdup_printf ("%u", bk_device_get_port (self->device));

  bk_value_row_set_value (self->address_row, bk_device_get_address (self->device));
  bk_value_row_set_value (self->port_row, port);
}

static void
update_certificate (BkDeviceConnection *self)
{
  const char *pin = bk_device_get_certificate_pin (self->device);
  gboolean pinned = *pin != '\0';

  if (self->fingerprint_grid != NULL)
    {
      gtk_box_remove (self->cert_card, self->fingerprint_grid);
      self->fingerprint_grid = NULL;
    }
  if (pinned)
    {
      self->fingerprint_grid = bk_fingerprint_grid_new (pin);
      gtk_widget_set_margin_top (self->fingerprint_grid, 12);
      gtk_widget_set_margin_bottom (self->fingerprint_grid, 12);
      gtk_box_append (self->cert_card, self->fingerprint_grid);
    }
  adw_preferences_group_set_description (self->cert_group,
                                         pinned ? _("You trusted this certificate (SHA-256 fingerprint). "
                                                    "Bridgekeeper refuses any other certificate from this bridge.")
                                                : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->cert_card), pinned);
  gtk_widget_set_visible (self->cert_ca_label, !pinned);
  gtk_widget_set_visible (self->repin_button, self->pin_error != NULL);
}

static void
device_notify_cb (BkDeviceConnection *self,
                  GParamSpec         *pspec)
{
  if (g_strcmp0 (pspec->name, "certificate-pin") == 0)
    update_certificate (self);
  else if (g_strcmp0 (pspec->name, "address") == 0 || g_strcmp0 (pspec->name, "port") == 0)
    update_address (self);
}

void
bk_device_connection_set_bridge (BkDeviceConnection *self,
                                 BkBridge           *bridge)
{
  g_return_if_fail (BK_IS_DEVICE_CONNECTION (self));
  g_return_if_fail (BK_IS_BRIDGE (bridge));
  g_return_if_fail (self->bridge == NULL);

  self->bridge = g_object_ref (bridge);
  self->device = g_object_ref (bk_bridge_get_device (bridge));
  gtk_editable_set_text (GTK_EDITABLE (self->cred_username), bk_device_get_username (self->device));
  update_address (self);
  update_certificate (self);
  g_signal_connect_object (self->device, "notify", G_CALLBACK (device_notify_cb), self, G_CONNECT_SWAPPED);
}

/* Certificate ------------------------------------------------------------- */

static void
repin_response_cb (AdwMessageDialog   *dialog,
                   const char         *response,
                   BkDeviceConnection *self)
{
  if (g_strcmp0 (response, "repin") == 0 && self->pin_error != NULL && self->bridge != NULL)
    {
      bk_bridge_repin (self->bridge, bk_cms_error_get_peer_sha256 (self->pin_error));
      g_clear_error (&self->pin_error);
      if (self->test_result != NULL)
        bk_device_show_message (self->test_result, _("The new certificate is trusted."), FALSE);
    }
  if (self->cert_card != NULL)
    update_certificate (self);
  g_object_unref (self);
}

void
bk_device_connection_repin (BkDeviceConnection *self)
{
  g_autofree char *address = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (BK_IS_DEVICE_CONNECTION (self));

  if (self->pin_error == NULL)
    return;

  /* Only after an explicit confirmation. */
  address = bk_device_dup_address (self->device);
  dialog = bk_repin_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), address, self->pin_error);
  g_signal_connect (dialog, "response", G_CALLBACK (repin_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Test Connection --------------------------------------------------------- */

static void
test_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BkDeviceConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BkCmsSystemStatus *status;

  status = bk_bridge_test_connection_finish (BK_BRIDGE (source), result, &error);
  if (status == NULL && bk_device_is_cancelled (error))
    return;
  gtk_widget_set_sensitive (self->test_button, TRUE);
  if (status == NULL)
    {
      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH))
        {
          g_clear_error (&self->pin_error);
          self->pin_error = g_error_copy (error);
        }
      bk_device_show_message (self->test_result, error->message, TRUE);
      update_certificate (self);
      return;
    }

  if (status->software_version != NULL)
    /* Translators: %s is the bridge's software version. */
    text = g_strdup_printf (_("The bridge answered: Cisco Meeting Server, software version %s."),
                            status->software_version);
  else
    text = g_strdup (_("The bridge answered."));
  bk_device_show_message (self->test_result, text, FALSE);
  g_boxed_free (BK_CMS_TYPE_SYSTEM_STATUS, status);
}

void
bk_device_connection_test (BkDeviceConnection *self)
{
  g_return_if_fail (BK_IS_DEVICE_CONNECTION (self));

  gtk_widget_set_sensitive (self->test_button, FALSE);
  bk_device_show_message (self->test_result, _("Connecting…"), FALSE);
  /* A probe only: nothing is left to do when the tab goes away. */
  bk_bridge_test_connection_async (self->bridge, self->cancellable, test_done_cb, g_object_ref (self));
}

/* Credentials ------------------------------------------------------------- */

static void
set_credentials_done_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(BkDeviceConnection) self = bk_device_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok = bk_bridge_set_credentials_finish (BK_BRIDGE (source), result, &error);

  /* The bridge saved them (or not) whether or not the tab is still there. */
  if (self == NULL || self->cred_result == NULL)
    return;
  if (!ok)
    {
      if (!bk_device_is_cancelled (error))
        bk_device_show_message (self->cred_result, error->message, TRUE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->cred_password), "");
  bk_device_show_message (self->cred_result, _("The bridge accepted the new credentials; they are saved."), FALSE);
}

void
bk_device_connection_change_credentials (BkDeviceConnection *self)
{
  const char *username;
  const char *password;

  g_return_if_fail (BK_IS_DEVICE_CONNECTION (self));

  username = gtk_editable_get_text (GTK_EDITABLE (self->cred_username));
  password = gtk_editable_get_text (GTK_EDITABLE (self->cred_password));
  if (*username == '\0' || *password == '\0')
    {
      bk_device_show_message (self->cred_result, _("Enter the API username and its password."), TRUE);
      return;
    }

  bk_device_show_message (self->cred_result, _("Trying the new credentials…"), FALSE);
  /* The person asked for it: it ends on the bridge even if the page
   * goes away (no cancellable of ours). */
  bk_bridge_set_credentials_async (self->bridge, BK_SECRET_KIND_PRIMARY, username, password,
                                   NULL, set_credentials_done_cb, bk_device_weak_ref_new (self));
}

/* Life cycle -------------------------------------------------------------- */

static void
bk_device_connection_dispose (GObject *object)
{
  BkDeviceConnection *self = BK_DEVICE_CONNECTION (object);

  g_cancellable_cancel (self->cancellable);
  /* connection_page is both the bin's child and a template child: the
   * bin lets it go first, so that it is unparented once. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_DEVICE_CONNECTION);
  self->fingerprint_grid = NULL;
  g_clear_object (&self->bridge);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (bk_device_connection_parent_class)->dispose (object);
}

static void
bk_device_connection_finalize (GObject *object)
{
  BkDeviceConnection *self = BK_DEVICE_CONNECTION (object);

  g_clear_object (&self->cancellable);
  g_clear_error (&self->pin_error);

  G_OBJECT_CLASS (bk_device_connection_parent_class)->finalize (object);
}

static void
bk_device_connection_class_init (BkDeviceConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_device_connection_dispose;
  object_class->finalize = bk_device_connection_finalize;

  g_type_ensure (BK_TYPE_VALUE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/devices/bk-device-connection.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BkDeviceConnection, name)
  BIND (connection_page);
  BIND (address_row);
  BIND (port_row);
  BIND (test_button);
  BIND (test_result);
  BIND (cert_group);
  BIND (repin_button);
  BIND (cert_card);
  BIND (cert_ca_label);
  BIND (cred_username);
  BIND (cred_password);
  BIND (cred_result);
#undef BIND
}

static void
bk_device_connection_init (BkDeviceConnection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
