/* bk-demo-strip.c: the strip that says the window runs in demo mode
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDemoStrip"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-application.h"
#include "bk-demo-strip.h"
#include "bk-device-store.h"
#include "bk-sim.h"

struct _BkDemoStrip
{
  GtkBox  parent_instance;

  char   *address;
  char   *username;
  char   *password;

  /* "Add It"; it reads "Added" (and does nothing) while the list has a
   * device at the demo cluster's address (watched in @store). */
  GtkWidget     *add_button;
  BkDeviceStore *store;
};

G_DEFINE_FINAL_TYPE (BkDemoStrip, bk_demo_strip, GTK_TYPE_BOX)

static void
bk_demo_strip_finalize (GObject *object)
{
  BkDemoStrip *self = BK_DEMO_STRIP (object);

  g_free (self->address);
  g_free (self->username);
  g_free (self->password);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bk_demo_strip_parent_class)->finalize (object);
}

static void
bk_demo_strip_class_init (BkDemoStripClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bk_demo_strip_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "box");
}

static void
bk_demo_strip_init (BkDemoStrip *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self), "bk-strip");
  gtk_widget_add_css_class (GTK_WIDGET (self), "demo-strip");
}

GtkWidget *
bk_demo_strip_new (const char *address,
                   const char *username,
                   const char *password,
                   const char *error)
{
  BkDemoStrip *self = g_object_new (BK_TYPE_DEMO_STRIP, NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name ("applications-science-symbolic");
  GtkWidget *label;
  g_autofree char *text = NULL;

  self->address = g_strdup (address);
  self->username = g_strdup (username);
  self->password = g_strdup (password);

  if (error != NULL)
    text = g_strdup_printf (_("Demo mode. %s"), error);
  else
    /* Translators: the demo strip; %s are the simulated bridge's address,
     * the API username and its password. */
    text = g_strdup_printf (_("Demo mode: a simulated Cisco Meeting Server cluster runs at %s "
                              "(username %s, password %s). Its bridges and passwords are "
                              "forgotten when Bridgekeeper closes."),
                            address, username, password);

  if (error == NULL && BK_IS_APPLICATION (g_application_get_default ()))
    {
      /* The demo cluster's second node has an API user of its own, as the
       * nodes of a real cluster may: say which, for the alternate. */
      BkSimCluster *cluster = bk_application_get_demo_cluster (BK_APPLICATION (g_application_get_default ()));

      if (cluster != NULL && bk_sim_cluster_get_n_nodes (cluster) > 1 &&
          g_strcmp0 (bk_sim_cluster_get_node_username (cluster, 1), username) != 0)
        {
          g_autofree char *second = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (cluster, 1));
          g_autofree char *first = g_steal_pointer (&text);

          /* Translators: the demo strip, after the sentence above; %s are
           * the second simulated bridge's address, its API username and
           * its password. */
          text = g_strdup_printf (_("%s Its second bridge, at %s, has an API user of its own "
                                    "(username %s, password %s)."),
                                  first, second, bk_sim_cluster_get_node_username (cluster, 1),
                                  bk_sim_cluster_get_node_password (cluster, 1));
        }
    }

  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (self), icon);
  gtk_box_append (GTK_BOX (self), label);

  if (error == NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Add It"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.add-demo-bridge");
      gtk_widget_set_tooltip_text (button, _("Add the simulated bridge, guided"));
      gtk_box_append (GTK_BOX (self), button);
      self->add_button = button;
    }

  return GTK_WIDGET (self);
}

static void
bk_demo_strip_store_changed_cb (BkDemoStrip *self)
{
  const char *colon = self->address != NULL ? strrchr (self->address, ':') : NULL;
  g_autofree char *host = NULL;
  gboolean added = FALSE;

  if (self->add_button == NULL || colon == NULL)
    return;
  host = g_strndup (self->address, colon - self->address);
  added = self->store != NULL &&
          bk_device_store_find_by_address (self->store, host, (guint) g_ascii_strtoull (colon + 1, NULL, 10)) != NULL;
  /* The button stays (the strip keeps its height), reading as done. */
  gtk_widget_set_sensitive (self->add_button, !added);
  if (added)
    {
      /* Translators: the demo strip's button once the simulated bridge
       * is in the list. */
      gtk_button_set_label (GTK_BUTTON (self->add_button), _("Added"));
      gtk_widget_set_tooltip_text (self->add_button, _("The simulated bridge is in the bridge list"));
    }
  else
    {
      gtk_button_set_label (GTK_BUTTON (self->add_button), _("_Add It"));
      gtk_widget_set_tooltip_text (self->add_button, _("Add the simulated bridge, guided"));
    }
}

/* Watches @store: once it lists a device at the demo cluster's address,
 * "Add It" gives way to "Added" (and comes back if that device goes). */
void
bk_demo_strip_set_store (BkDemoStrip   *self,
                         BkDeviceStore *store)
{
  g_return_if_fail (BK_IS_DEMO_STRIP (self));
  g_return_if_fail (store == NULL || BK_IS_DEVICE_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "items-changed", G_CALLBACK (bk_demo_strip_store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  bk_demo_strip_store_changed_cb (self);
}

const char *
bk_demo_strip_get_address (BkDemoStrip *self)
{
  g_return_val_if_fail (BK_IS_DEMO_STRIP (self), NULL);
  return self->address;
}

const char *
bk_demo_strip_get_username (BkDemoStrip *self)
{
  g_return_val_if_fail (BK_IS_DEMO_STRIP (self), NULL);
  return self->username;
}

const char *
bk_demo_strip_get_password (BkDemoStrip *self)
{
  g_return_val_if_fail (BK_IS_DEMO_STRIP (self), NULL);
  return self->password;
}
