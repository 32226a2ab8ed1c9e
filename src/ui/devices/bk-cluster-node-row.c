/* bk-cluster-node-row.c: one call bridge of the cluster (Clustering tab)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-cluster-node-row.h"
#include "bk-device-common.h"

struct _BkClusterNodeRow
{
  AdwActionRow   parent_instance;

  BkClusterNode *node;
  BkBridge      *bridge;   /* NULL: no failover trust shown */

  /* Template widgets */
  GtkLabel      *tags_label;
  GtkLabel      *reach_label;
  GtkLabel      *trust_label;
  GtkButton     *confirm_button;
};

G_DEFINE_FINAL_TYPE (BkClusterNodeRow, bk_cluster_node_row, ADW_TYPE_ACTION_ROW)

/* Whether failover would send this bridge's user to the node: said for
 * the members other than the managed node and the alternate, with the
 * way to confirm (or review) their certificate. */
static void
update_trust (BkClusterNodeRow *self)
{
  BkMemberTrust trust = self->bridge != NULL
                        ? bk_bridge_get_member_trust (self->bridge, bk_cluster_node_get_id (self->node))
                        : BK_MEMBER_TRUST_NOT_IN_CHAIN;
  GtkWidget *label = GTK_WIDGET (self->trust_label);
  const char *name = *bk_cluster_node_get_name (self->node) != '\0'
                     ? bk_cluster_node_get_name (self->node) : bk_cluster_node_get_id (self->node);
  g_autofree char *button_a11y = NULL;

  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  switch (trust)
    {
    case BK_MEMBER_TRUST_TRUSTED:
      gtk_label_set_text (self->trust_label, _("Trusted for failover"));
      gtk_widget_add_css_class (label, "success");
      break;
    case BK_MEMBER_TRUST_NOT_CONFIRMED:
      gtk_label_set_text (self->trust_label, _("Certificate not confirmed: failover will skip it"));
      gtk_widget_add_css_class (label, "warning");
      gtk_button_set_label (self->confirm_button, _("Confirm Certificate…"));
      /* TRANSLATORS: %s is the name of a call bridge of the cluster. */
      button_a11y = g_strdup_printf (_("Confirm the certificate of %s"), name);
      break;
    case BK_MEMBER_TRUST_CHANGED:
      gtk_label_set_text (self->trust_label, _("Certificate changed: failover refuses it"));
      gtk_widget_add_css_class (label, "error");
      gtk_button_set_label (self->confirm_button, _("Review Certificate…"));
      /* TRANSLATORS: %s is the name of a call bridge of the cluster. */
      button_a11y = g_strdup_printf (_("Review the changed certificate of %s"), name);
      break;
    case BK_MEMBER_TRUST_NOT_IN_CHAIN:
    default:
      break;
    }
  /* A short status stays on one line; a long one wraps above its button. */
  gtk_label_set_wrap (self->trust_label, trust != BK_MEMBER_TRUST_TRUSTED);
  gtk_widget_set_visible (label, trust != BK_MEMBER_TRUST_NOT_IN_CHAIN);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_button), button_a11y != NULL);
  if (button_a11y != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->confirm_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, button_a11y, -1);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->confirm_button), "s",
                                        bk_cluster_node_get_id (self->node));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->confirm_button), "device.confirm-member-certificate");
    }
}

static void
update (BkClusterNodeRow *self)
{
  BkClusterNode *node = self->node;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *tag_text = NULL;
  g_autofree char *subtitle = NULL;
  const char *detail;
  BkReachability r = bk_cluster_node_get_reachability (node);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 *bk_cluster_node_get_name (node) != '\0'
                                   ? bk_cluster_node_get_name (node) : bk_cluster_node_get_id (node));
  /* The address, and under it how the node was last checked and what was
   * found (a node other than the managed one and the alternate is only
   * asked whether it answers, never sent a password). */
  detail = bk_cluster_node_get_detail (node);
  if (detail != NULL && *detail != '\0')
    subtitle = g_strdup_printf ("%s\n%s", bk_cluster_node_get_address (node), detail);
  else
    subtitle = g_strdup (bk_cluster_node_get_address (node));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);

  if (bk_cluster_node_get_managed (node))
    g_ptr_array_add (parts, (gpointer) _("Managed"));
  if (bk_cluster_node_get_alternate (node))
    g_ptr_array_add (parts, (gpointer) _("Alternate"));
  g_ptr_array_add (parts, NULL);
  tag_text = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_text (self->tags_label, tag_text);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_label), parts->len > 1);

  update_trust (self);

  gtk_label_set_text (self->reach_label, bk_device_reachability_text (r));
  gtk_widget_remove_css_class (GTK_WIDGET (self->reach_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->reach_label), "error");
  if (r == BK_REACHABILITY_REACHABLE)
    gtk_widget_add_css_class (GTK_WIDGET (self->reach_label), "success");
  else if (r == BK_REACHABILITY_UNREACHABLE)
    gtk_widget_add_css_class (GTK_WIDGET (self->reach_label), "error");
}

GtkWidget *
bk_cluster_node_row_new (BkClusterNode *node,
                         BkBridge      *bridge)
{
  BkClusterNodeRow *self;

  g_return_val_if_fail (BK_IS_CLUSTER_NODE (node), NULL);
  g_return_val_if_fail (bridge == NULL || BK_IS_BRIDGE (bridge), NULL);

  self = g_object_new (BK_TYPE_CLUSTER_NODE_ROW, NULL);
  self->node = g_object_ref (node);
  self->bridge = bridge != NULL ? g_object_ref (bridge) : NULL;
  update (self);
  g_signal_connect_object (node, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  /* A confirmed (or forgotten) pin, and the tickets that follow a check. */
  if (bridge != NULL)
    {
      g_signal_connect_object (bk_bridge_get_device (bridge), "notify::member-certificate-pins",
                               G_CALLBACK (update_trust), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (bk_bridge_get_tickets (bridge), "items-changed",
                               G_CALLBACK (update_trust), self, G_CONNECT_SWAPPED);
    }
  return GTK_WIDGET (self);
}

static void
bk_cluster_node_row_dispose (GObject *object)
{
  BkClusterNodeRow *self = BK_CLUSTER_NODE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_CLUSTER_NODE_ROW);
  g_clear_object (&self->node);
  g_clear_object (&self->bridge);

  G_OBJECT_CLASS (bk_cluster_node_row_parent_class)->dispose (object);
}

static void
bk_cluster_node_row_class_init (BkClusterNodeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_cluster_node_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/devices/bk-cluster-node-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BkClusterNodeRow, tags_label);
  gtk_widget_class_bind_template_child (widget_class, BkClusterNodeRow, reach_label);
  gtk_widget_class_bind_template_child (widget_class, BkClusterNodeRow, trust_label);
  gtk_widget_class_bind_template_child (widget_class, BkClusterNodeRow, confirm_button);
}

static void
bk_cluster_node_row_init (BkClusterNodeRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
