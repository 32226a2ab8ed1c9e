/* bk-certificate-ui.c: the fingerprint grid and the trust dialog
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkCertificateUi"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-cms.h"
#include "bk-certificate-ui.h"
#include "bk-format.h"

GtkWidget *
bk_fingerprint_grid_new (const char *sha256_hex)
{
  g_auto(GStrv) pairs = bk_format_fingerprint_pairs (sha256_hex);
  g_autoptr(GString) spoken = g_string_new (NULL);
  GtkWidget *grid;

  if (pairs == NULL)
    {
      GtkWidget *label = gtk_label_new (_("No certificate fingerprint"));

      gtk_widget_add_css_class (label, "dim-label");
      return label;
    }

  grid = gtk_grid_new ();
  gtk_widget_add_css_class (grid, "fingerprint-grid");
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (pairs[i]);

      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
      gtk_grid_attach (GTK_GRID (grid), label, i % 8, i / 8, 1, 1);
      g_string_append (spoken, pairs[i]);
      if (pairs[i + 1] != NULL)
        g_string_append_c (spoken, ' ');
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("SHA-256 fingerprint"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, spoken->str,
                                  -1);
  return grid;
}

static GtkWidget *
bk_certificate_ui_caption (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* The trust dialog with its texts: @heading and @body are final. */
static AdwMessageDialog *
trust_dialog_build (GtkWindow            *parent,
                    const char           *heading,
                    const char           *body,
                    const char           *sha256,
                    GTlsCertificateFlags  flags)
{
  g_auto(GStrv) reasons = bk_format_tls_flags (flags);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *grid_frame;

  dialog = adw_message_dialog_new (parent, heading, body);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), bk_certificate_ui_caption (_("SHA-256 Fingerprint")));
  grid_frame = bk_fingerprint_grid_new (sha256);
  gtk_widget_set_margin_bottom (grid_frame, 6);
  gtk_box_append (GTK_BOX (box), grid_frame);

  if (reasons != NULL && reasons[0] != NULL)
    {
      gtk_box_append (GTK_BOX (box), bk_certificate_ui_caption (_("Why It Is Not Trusted")));
      for (guint i = 0; reasons[i] != NULL; i++)
        {
          g_autofree char *bullet = g_strdup_printf ("• %s", reasons[i]);
          GtkWidget *label = gtk_label_new (bullet);

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_box_append (GTK_BOX (box), label);
        }
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust and Continue"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  return ADW_MESSAGE_DIALOG (dialog);
}

AdwMessageDialog *
bk_trust_dialog_new (GtkWindow    *parent,
                     const char   *address,
                     const GError *error)
{
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("The bridge at %s presented a certificate this computer does "
                            "not trust. Compare the fingerprint below with the one the "
                            "bridge's Web Admin shows before you continue. Bridgekeeper "
                            "will then accept only this certificate from it."),
                          address);
  return trust_dialog_build (parent, _("Trust This Certificate?"), body,
                             bk_cms_error_get_peer_sha256 (error), bk_cms_error_get_tls_flags (error));
}

static AdwMessageDialog *
trust_dialog_for_node (GtkWindow            *parent,
                       const char           *node_name,
                       const char           *address,
                       const char           *sha256,
                       GTlsCertificateFlags  flags)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (node_name == NULL || *node_name == '\0')
    node_name = address;

  /* TRANSLATORS: %s is the name of a call bridge of the cluster, e.g. "CallBridge-Core2". */
  heading = g_strdup_printf (_("Trust the Certificate of %s?"), node_name);
  body = g_strdup_printf (/* TRANSLATORS: the first %s is a call bridge's name, the second its address. */
                          _("%s (%s) is another call bridge of this cluster. It has its own "
                            "certificate, which this computer does not trust. Compare the "
                            "fingerprint below with the one that call bridge's Web Admin shows "
                            "before you continue. Bridgekeeper will then accept only this "
                            "certificate from it."),
                          node_name, address);
  return trust_dialog_build (parent, heading, body, sha256, flags);
}

AdwMessageDialog *
bk_trust_dialog_new_for_node (GtkWindow    *parent,
                              const char   *node_name,
                              const char   *address,
                              const GError *error)
{
  return trust_dialog_for_node (parent, node_name, address,
                                bk_cms_error_get_peer_sha256 (error), bk_cms_error_get_tls_flags (error));
}

AdwMessageDialog *
bk_trust_dialog_new_for_member (GtkWindow  *parent,
                                const char *node_name,
                                const char *address,
                                const char *sha256)
{
  /* A probe learns the fingerprint, not why the certificate is not
   * trusted: no reasons are listed. */
  return trust_dialog_for_node (parent, node_name, address, sha256, 0);
}

static AdwMessageDialog *
repin_dialog_build (GtkWindow  *parent,
                    const char *heading,
                    const char *body,
                    const char *peer_sha256,
                    const char *pinned_sha256)
{
  GtkWidget *dialog;
  GtkWidget *box;

  dialog = adw_message_dialog_new (parent, heading, body);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), bk_certificate_ui_caption (_("New Fingerprint")));
  gtk_box_append (GTK_BOX (box), bk_fingerprint_grid_new (peer_sha256));
  gtk_box_append (GTK_BOX (box), bk_certificate_ui_caption (_("Trusted Until Now")));
  gtk_box_append (GTK_BOX (box), bk_fingerprint_grid_new (pinned_sha256));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "repin", _("Trust _New Certificate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "repin",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  return ADW_MESSAGE_DIALOG (dialog);
}

AdwMessageDialog *
bk_repin_dialog_new (GtkWindow    *parent,
                     const char   *address,
                     const GError *error)
{
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("The bridge at %s now presents a different certificate than "
                            "the one you trusted. This happens after the bridge's "
                            "certificate was renewed, but it can also mean that someone "
                            "is intercepting the connection. Trust the new certificate "
                            "only if the bridge's administrator confirms the fingerprint."),
                          address);
  return repin_dialog_build (parent, _("Trust the Changed Certificate?"), body,
                             bk_cms_error_get_peer_sha256 (error), bk_cms_error_get_pinned_sha256 (error));
}

AdwMessageDialog *
bk_repin_dialog_new_for_node (GtkWindow    *parent,
                              const char   *node_name,
                              const char   *address,
                              const GError *error)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (node_name == NULL || *node_name == '\0')
    node_name = address;

  /* TRANSLATORS: %s is the name of a call bridge of the cluster, e.g. "CallBridge-Core2". */
  heading = g_strdup_printf (_("Trust the Changed Certificate of %s?"), node_name);
  body = g_strdup_printf (/* TRANSLATORS: the first %s is a call bridge's name, the second its address. */
                          _("%s (%s), the alternate call bridge, now presents a different "
                            "certificate than the one you trusted for it. This happens after "
                            "its certificate was renewed, but it can also mean that someone is "
                            "intercepting the connection. Trust the new certificate only if "
                            "that call bridge's administrator confirms the fingerprint. Only "
                            "this call bridge's certificate changes; the others stay as they are."),
                          node_name, address);
  return repin_dialog_build (parent, heading, body,
                             bk_cms_error_get_peer_sha256 (error), bk_cms_error_get_pinned_sha256 (error));
}

AdwMessageDialog *
bk_repin_dialog_new_for_member (GtkWindow  *parent,
                                const char *node_name,
                                const char *address,
                                const char *peer_sha256,
                                const char *pinned_sha256)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (node_name == NULL || *node_name == '\0')
    node_name = address;

  /* TRANSLATORS: %s is the name of a call bridge of the cluster, e.g. "CallBridge-Core3". */
  heading = g_strdup_printf (_("Trust the Changed Certificate of %s?"), node_name);
  body = g_strdup_printf (/* TRANSLATORS: the first %s is a call bridge's name, the second its address. */
                          _("%s (%s), a call bridge that meetings fail over to, now presents a "
                            "different certificate than the one you confirmed for it. This happens "
                            "after its certificate was renewed, but it can also mean that someone is "
                            "intercepting the connection. Trust the new certificate only if that call "
                            "bridge's administrator confirms the fingerprint. Only this call bridge's "
                            "certificate changes; the others stay as they are."),
                          node_name, address);
  return repin_dialog_build (parent, heading, body, peer_sha256, pinned_sha256);
}
