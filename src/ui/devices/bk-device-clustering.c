/* bk-device-clustering.c: the device page's Clustering tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bk-certificate-ui.h"
#include "bk-cluster-node-row.h"
#include "bk-device-clustering.h"
#include "bk-device-common.h"

struct _BkDeviceClustering
{
  AdwBin        parent_instance;

  BkBridge     *bridge;
  GCancellable *cancellable;   /* the probe of a member being confirmed */

  /* Template widgets */
  GtkListBox   *nodes_list;
};

G_DEFINE_FINAL_TYPE (BkDeviceClustering, bk_device_clustering, ADW_TYPE_BIN)

static GtkWidget *
create_node_row (gpointer item,
                 gpointer user_data)
{
  return bk_cluster_node_row_new (item, user_data);
}

void
bk_device_clustering_set_bridge (BkDeviceClustering *self,
                                 BkBridge           *bridge)
{
  g_return_if_fail (BK_IS_DEVICE_CLUSTERING (self));
  g_return_if_fail (BK_IS_BRIDGE (bridge));

  g_set_object (&self->bridge, bridge);
  gtk_list_box_bind_model (self->nodes_list, bk_bridge_get_cluster_nodes (bridge), create_node_row,
                           bridge, NULL);
}

/* ---- confirming a member's certificate ---- */

/* The member's name (or address) and its address, for the dialog. */
static void
member_names (BkDeviceClustering  *self,
              const char          *member_id,
              char               **name,
              char               **address)
{
  const BkClusterMember *m = bk_device_find_cluster_member (bk_bridge_get_device (self->bridge), member_id);
  g_autofree char *label = bk_bridge_dup_member_label (self->bridge, member_id);
  const char *open = strrchr (label, '(');

  /* The label is "Name (host:port)" or the address alone. */
  if (m != NULL && *m->name != '\0' && open != NULL && g_str_has_suffix (label, ")"))
    {
      *name = g_strdup (m->name);
      *address = g_strndup (open + 1, strlen (open + 1) - 1);
    }
  else
    {
      *name = g_strdup (label);
      *address = g_strdup (label);
    }
}

static void
member_trust_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          user_data)
{
  g_autoptr(BkDeviceClustering) self = user_data;
  const char *member_id = g_object_get_data (G_OBJECT (dialog), "bk-member-id");
  const char *sha256 = g_object_get_data (G_OBJECT (dialog), "bk-sha256");
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *text = NULL;

  if (self->bridge == NULL || (g_strcmp0 (response, "trust") != 0 && g_strcmp0 (response, "repin") != 0))
    return;
  /* That member's pin only; saved with the device. */
  bk_bridge_trust_member_certificate (self->bridge, member_id, sha256);
  member_names (self, member_id, &name, &address);
  /* TRANSLATORS: %s is the name of a call bridge of the cluster. */
  text = g_strdup_printf (_("Certificate of %s confirmed: meetings can fail over to it"), name);
  bk_device_add_toast (GTK_WIDGET (self), text);
}

static void
probe_member_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BkDeviceClustering) self = bk_device_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsProbe) probe = bk_bridge_probe_member_finish (BK_BRIDGE (source), result, &error);
  const char *member_id = g_object_get_data (G_OBJECT (result), "bk-member-id");
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  GtkWindow *parent;
  AdwMessageDialog *dialog;
  const char *pinned;

  if (self == NULL || self->bridge == NULL || bk_device_is_cancelled (error))
    return;
  g_clear_object (&self->cancellable);
  if (probe == NULL)
    {
      bk_device_add_toast (GTK_WIDGET (self), error->message);
      return;
    }

  member_names (self, member_id, &name, &address);
  pinned = bk_device_get_member_certificate_pin (bk_bridge_get_device (self->bridge), member_id);
  if (probe->peer_sha256 == NULL ||
      (*pinned == '\0' && probe->certificate == BK_CMS_PROBE_CERTIFICATE_TRUSTED) ||
      g_strcmp0 (pinned, probe->peer_sha256) == 0)
    {
      g_autofree char *text = NULL;

      /* Nothing to confirm: the system's CAs trust it, or it is the one
       * confirmed already. */
      /* TRANSLATORS: %s is the name of a call bridge of the cluster. */
      text = g_strdup_printf (_("The certificate of %s is trusted already: meetings can fail over to it"), name);
      bk_device_add_toast (GTK_WIDGET (self), text);
      return;
    }

  parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  if (*pinned != '\0')
    dialog = bk_repin_dialog_new_for_member (parent, name, address, probe->peer_sha256, pinned);
  else
    dialog = bk_trust_dialog_new_for_member (parent, name, address, probe->peer_sha256);
  g_object_set_data_full (G_OBJECT (dialog), "bk-sha256", g_strdup (probe->peer_sha256), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "bk-member-id", g_strdup (member_id), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (member_trust_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Each probe's member id travels on its result. */
typedef struct
{
  GWeakRef *ref;
  char     *member_id;
} ProbeCall;

static void
probe_call_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ProbeCall *pc = user_data;

  g_object_set_data_full (G_OBJECT (result), "bk-member-id", g_steal_pointer (&pc->member_id), g_free);
  probe_member_cb (source, result, g_steal_pointer (&pc->ref));
  g_free (pc);
}

void
bk_device_clustering_confirm_member (BkDeviceClustering *self,
                                     const char         *member_id)
{
  ProbeCall *pc;

  g_return_if_fail (BK_IS_DEVICE_CLUSTERING (self));
  g_return_if_fail (member_id != NULL);

  if (self->bridge == NULL)
    return;
  /* One at a time: a second click while the first is fetched restarts it. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  pc = g_new0 (ProbeCall, 1);
  pc->ref = bk_device_weak_ref_new (self);
  pc->member_id = g_strdup (member_id);
  bk_bridge_probe_member_async (self->bridge, member_id, self->cancellable, probe_call_cb, pc);
}

static void
bk_device_clustering_dispose (GObject *object)
{
  BkDeviceClustering *self = BK_DEVICE_CLUSTERING (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->nodes_list != NULL)
    gtk_list_box_bind_model (self->nodes_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->bridge);
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_DEVICE_CLUSTERING);

  G_OBJECT_CLASS (bk_device_clustering_parent_class)->dispose (object);
}

static void
bk_device_clustering_class_init (BkDeviceClusteringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_device_clustering_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/devices/bk-device-clustering.ui");
  gtk_widget_class_bind_template_child (widget_class, BkDeviceClustering, nodes_list);
}

static void
bk_device_clustering_init (BkDeviceClustering *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
