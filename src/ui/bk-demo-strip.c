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

  /* "Simulated Bridges": a switch per node of the demo cluster, to take
   * it down (as a network outage would) and bring it back. */
  GtkWidget     *nodes_button;
  BkSimCluster  *cluster;
  GPtrArray     *node_switches;
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
  g_clear_object (&self->cluster);
  g_clear_pointer (&self->node_switches, g_ptr_array_unref);

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

/* The switches show what the simulator says each time the popover opens
 * (a node may also be taken down by its control port). */
static void
bk_demo_strip_nodes_show_cb (BkDemoStrip *self)
{
  for (guint i = 0; i < self->node_switches->len; i++)
    {
      GtkSwitch *toggle = g_ptr_array_index (self->node_switches, i);

      g_signal_handlers_block_matched (toggle, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      gtk_switch_set_active (toggle, bk_sim_cluster_get_node_up (self->cluster, i));
      g_signal_handlers_unblock_matched (toggle, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }
}

static void
bk_demo_strip_node_toggled_cb (GtkSwitch   *toggle,
                               GParamSpec  *pspec,
                               BkDemoStrip *self)
{
  guint node;

  if (!g_ptr_array_find (self->node_switches, toggle, &node))
    return;
  if (gtk_switch_get_active (toggle) != bk_sim_cluster_get_node_up (self->cluster, node))
    bk_sim_cluster_set_node_up (self->cluster, node, gtk_switch_get_active (toggle));
}

static void
bk_demo_strip_add_nodes_button (BkDemoStrip  *self,
                                BkSimCluster *cluster)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *heading = gtk_label_new (_("Simulated Bridges"));
  GtkWidget *hint;
  GtkWidget *list = gtk_list_box_new ();

  self->cluster = g_object_ref (cluster);
  self->node_switches = g_ptr_array_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  hint = gtk_label_new (_("Turn a bridge off to see what Bridgekeeper does when a call bridge "
                          "stops answering, as in a network outage."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 36);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  for (guint i = 0; i < bk_sim_cluster_get_n_nodes (cluster); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (cluster, i));
      const char *name = bk_sim_cluster_get_node_name (cluster, i);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), address);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle), bk_sim_cluster_get_node_up (cluster, i));
      {
        /* Translators: the switch of a simulated bridge in the demo;
         * %s is its name, e.g. "CallBridge-Core1". */
        g_autofree char *label = g_strdup_printf (_("%s is running"), name);

        gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      }
      g_signal_connect (toggle, "notify::active", G_CALLBACK (bk_demo_strip_node_toggled_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (self->node_switches, toggle);
    }

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), hint);
  gtk_box_append (GTK_BOX (box), list);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (bk_demo_strip_nodes_show_cb), self);

  self->nodes_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->nodes_button), "network-server-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->nodes_button), popover);
  gtk_widget_set_valign (self->nodes_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->nodes_button, _("Simulated Bridges"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->nodes_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Simulated Bridges"), -1);
  gtk_box_append (GTK_BOX (self), self->nodes_button);
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

  if (error == NULL && BK_IS_APPLICATION (g_application_get_default ()))
    {
      BkSimCluster *cluster = bk_application_get_demo_cluster (BK_APPLICATION (g_application_get_default ()));

      if (cluster != NULL)
        bk_demo_strip_add_nodes_button (self, cluster);
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

/* The "Simulated Bridges" menu button (NULL without the demo cluster). */
GtkWidget *
bk_demo_strip_get_nodes_button (BkDemoStrip *self)
{
  g_return_val_if_fail (BK_IS_DEMO_STRIP (self), NULL);
  return self->nodes_button;
}

/* The switch of node @node in its popover (NULL if there is none). */
GtkWidget *
bk_demo_strip_get_node_switch (BkDemoStrip *self,
                               guint        node)
{
  g_return_val_if_fail (BK_IS_DEMO_STRIP (self), NULL);
  if (self->node_switches == NULL || node >= self->node_switches->len)
    return NULL;
  return g_ptr_array_index (self->node_switches, node);
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
