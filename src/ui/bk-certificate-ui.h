/* bk-certificate-ui.h: the fingerprint grid and the trust dialog
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A 4 x 8 grid of the SHA-256's hex pairs, in a monospace font; a label
 * saying "No certificate fingerprint" when @sha256_hex is not one. */
GtkWidget *bk_fingerprint_grid_new (const char   *sha256_hex);

/* The decision "trust this certificate?" for a BK_CMS_ERROR_TLS_UNTRUSTED
 * @error from @address: heading, body, the fingerprint grid and the
 * reasons (from the error's GTlsCertificateFlags). Responses "cancel" and
 * "trust" (suggested). Not shown yet: connect ::response and present it. */
AdwMessageDialog *bk_trust_dialog_new (GtkWindow    *parent,
                                       const char   *address,
                                       const GError *error);

/* The same decision for one node of a cluster other than the primary
 * (every node has its own certificate): names the node, e.g. "Trust the
 * Certificate of CallBridge-Core2?" and "CallBridge-Core2 (10.0.0.2:443)".
 * @node_name may be NULL or "" (the address stands for it). */
AdwMessageDialog *bk_trust_dialog_new_for_node (GtkWindow    *parent,
                                                const char   *node_name,
                                                const char   *address,
                                                const GError *error);

/* The same for a member confirmed from the Clustering tab, whose
 * certificate a probe fetched (@sha256; no reasons are known). */
AdwMessageDialog *bk_trust_dialog_new_for_member (GtkWindow    *parent,
                                                  const char   *node_name,
                                                  const char   *address,
                                                  const char   *sha256);

/* The confirmation before pinning a CHANGED certificate (a
 * BK_CMS_ERROR_TLS_PIN_MISMATCH @error): destructive-looking, with both
 * fingerprints. Responses "cancel" and "repin". */
AdwMessageDialog *bk_repin_dialog_new (GtkWindow    *parent,
                                       const char   *address,
                                       const GError *error);

/* The same for the alternate node of a cluster, named; pinning it changes
 * that node's pin only. */
AdwMessageDialog *bk_repin_dialog_new_for_node (GtkWindow    *parent,
                                                const char   *node_name,
                                                const char   *address,
                                                const GError *error);

/* The same for a member other than the alternate (Clustering tab, or its
 * ticket): @peer_sha256 is what it shows now, @pinned_sha256 what was
 * confirmed. */
AdwMessageDialog *bk_repin_dialog_new_for_member (GtkWindow    *parent,
                                                  const char   *node_name,
                                                  const char   *address,
                                                  const char   *peer_sha256,
                                                  const char   *pinned_sha256);

G_END_DECLS
