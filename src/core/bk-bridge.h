/* bk-bridge.h: a listed bridge at work (what the device page shows and does)
 *
 * A BkBridge owns the API clients of one BkDevice (primary address and,
 * when chosen, the alternate), sharing one request log; looks the passwords
 * up in BkSecrets; keeps the last system status, the cluster nodes with
 * their reachability, and the device's tickets up to date; and runs the
 * maintenance operations of the device page (range change, repair, test
 * connection, new credentials, re-pin, removal with clean-up).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-cluster-node.h"
#include "bk-cms.h"
#include "bk-device.h"
#include "bk-device-store.h"
#include "bk-secrets.h"
#include "bk-onboarding.h"
#include "bk-tickets.h"

G_BEGIN_DECLS

#define BK_TYPE_BRIDGE (bk_bridge_get_type ())
G_DECLARE_FINAL_TYPE (BkBridge, bk_bridge, BK, BRIDGE, GObject)

/*
 * Properties (read-only unless noted, notify):
 *   "device"        BkDevice (construct-only)
 *   "status"        BkCmsSystemStatus* (boxed; NULL before the first answer)
 *   "in-call"       boolean: callLegsActive > 0 ("In call" / "Idle")
 *   "busy"          boolean: a maintenance operation runs
 *   "progress"      double 0..1 (-1 indeterminate) of that operation
 *   "progress-text" translated sentence of what it is doing
 *   "last-error"    string: the sentence of the last failed check, or NULL
 */

/* Bridges of listed devices are made by BkBridgeManager, one per device:
 * get them from there. */
BkBridge          *bk_bridge_new                 (BkDevice      *device,
                                                  BkDeviceStore *store,
                                                  BkSecrets     *secrets);
/* The same, logging into @log (NULL: a new one), e.g. the log that already
 * holds the device's onboarding requests. */
BkBridge          *bk_bridge_new_with_log        (BkDevice      *device,
                                                  BkDeviceStore *store,
                                                  BkSecrets     *secrets,
                                                  BkCmsLog      *log);
BkDevice          *bk_bridge_get_device          (BkBridge      *self);
/* The primary's client (created at once).  Its password is looked up in
 * the keyring only when an operation first needs it (so that listing
 * bridges never asks for the keyring): every operation below waits for
 * it; code that uses the client itself waits with ready_async() first.
 * transfer none. */
BkCmsClient       *bk_bridge_get_client          (BkBridge      *self);
/* Completes once the clients have the passwords from the keyring (looked
 * up now if they are not known yet). */
void               bk_bridge_ready_async         (BkBridge            *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           bk_bridge_ready_finish        (BkBridge            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* The log of every request sent for this bridge (Logs tab): its primary,
 * alternate and node clients, and, when the manager made the bridge, its
 * onboarding. */
BkCmsLog          *bk_bridge_get_log             (BkBridge      *self);
const BkCmsSystemStatus *bk_bridge_get_status    (BkBridge      *self);
gboolean           bk_bridge_get_in_call         (BkBridge      *self);
gboolean           bk_bridge_get_busy            (BkBridge      *self);
double             bk_bridge_get_progress        (BkBridge      *self);
const char        *bk_bridge_get_progress_text   (BkBridge      *self);
const char        *bk_bridge_get_last_error      (BkBridge      *self);
/* GListModel of BkTicket, filtered by the device's ticket filters,
 * recomputed after every check and when the device changes. */
GListModel        *bk_bridge_get_tickets         (BkBridge      *self);
/* A ticket from elsewhere (the conference engine's, bk_ticket_new()),
 * shown after the bridge's own until removed by its key; adding one with
 * the same key replaces it. */
void               bk_bridge_add_ticket          (BkBridge      *self,
                                                  BkTicket      *ticket);
void               bk_bridge_remove_ticket       (BkBridge      *self,
                                                  const char    *key);
/* GListModel of BkClusterNode (from the device's cluster members,
 * refreshed by check). */
GListModel        *bk_bridge_get_cluster_nodes   (BkBridge      *self);

/* Refresh GET /system/status every @seconds while > 0 (the Summary tab
 * sets it while visible; 0 stops). */
void               bk_bridge_set_refresh_interval (BkBridge     *self,
                                                   guint         seconds);

/* Full check: status of the primary, alarms, the alternate's reachability,
 * every cluster node's reachability, slot drift (spaces missing/changed).
 * Updates the device's reachability and last-checked time and the tickets.
 * Finish is FALSE only for cancellation or a wrong state: an unreachable
 * bridge is a ticket, not an error. */
void               bk_bridge_check_async         (BkBridge            *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           bk_bridge_check_finish        (BkBridge            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Extended Settings "Save": validates, checks collisions (finish fails
 * with BK_ONBOARDING_ERROR_RANGE_COLLISION naming them), PUTs the bulk
 * parameter set with the new range and mappings, posts a new bulk sync,
 * polls it and verifies the spaces; then saves the device. */
void               bk_bridge_change_range_async  (BkBridge            *self,
                                                  const char          *domain,
                                                  guint64              base,
                                                  guint                quantity,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           bk_bridge_change_range_finish (BkBridge            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The "Repair" action of the drift ticket: re-creates what is missing
 * (profiles, parameter set) and runs a new bulk sync, then checks. */
void               bk_bridge_repair_async        (BkBridge            *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           bk_bridge_repair_finish       (BkBridge            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Connection tab: GET /system/status now; finish gives the status. */
void               bk_bridge_test_connection_async  (BkBridge            *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
BkCmsSystemStatus *bk_bridge_test_connection_finish (BkBridge            *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* New credentials for the primary (@kind PRIMARY) or the alternate: tried
 * first (GET /system/status with them), stored only when accepted. */
void               bk_bridge_set_credentials_async  (BkBridge            *self,
                                                     BkSecretKind         kind,
                                                     const char          *username,
                                                     const char          *password,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           bk_bridge_set_credentials_finish (BkBridge            *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* The person confirmed the new certificate of the PRIMARY's node (SHA-256
 * from a BK_CMS_ERROR_TLS_PIN_MISMATCH error): pin it, save, re-check.
 * The alternate keeps its own pin. */
void               bk_bridge_repin                  (BkBridge            *self,
                                                     const char          *sha256);

/* The person trusted the certificate of the cluster member @member_id
 * (SHA-256 from a TLS_UNTRUSTED or TLS_PIN_MISMATCH error of that node).
 * For the chosen alternate: its pin only (not the primary's), saved, then
 * a check. For another member: its pin (the device's
 * member-certificate-pins), saved: the failover uses it, and
 * set_alternate() takes it over. */
void               bk_bridge_trust_member_certificate (BkBridge          *self,
                                                       const char        *member_id,
                                                       const char        *sha256);

/* Why the alternate failed the last check (a BK_CMS_ERROR: TLS_PIN_MISMATCH
 * and TLS_UNTRUSTED carry its certificate), or NULL. */
const GError      *bk_bridge_get_alternate_error    (BkBridge            *self);
/* "CallBridge-Core2 (10.0.0.2:443)" for the chosen alternate, or NULL. */
char              *bk_bridge_dup_alternate_label    (BkBridge            *self);

/* Choose the alternate (a cluster member id, or NULL/"" for none) with its
 * own API user: @username and @password, both NULL or "" = the primary's
 * user and password; a password without a user name is refused; a user
 * name without a password keeps the password stored for that user. The
 * node is contacted first (GET /system/status with those credentials and
 * the certificate trusted for it): BK_CMS_ERROR_TLS_UNTRUSTED gives its
 * certificate (trust_member_certificate(), then again), UNAUTHORIZED its
 * refusal. Then saves the device, the node's pin and the password. */
void               bk_bridge_set_alternate_async    (BkBridge            *self,
                                                     const char          *member_id,
                                                     const char          *username,
                                                     const char          *password,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           bk_bridge_set_alternate_finish   (BkBridge            *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* One call bridge of the failover chain (see bk_bridge_dup_failover_chain).
 * @member_id: the cluster member's id ("" for the primary's node when the
 * bridge did not say which member it is, "alternate" for an alternate
 * address that is no member's); @label: "CallBridge-Core2
 * (10.0.0.2:443)"; @client: the API client for that node (transfer: the
 * array holds a reference), or NULL when it may not be used, and then
 * @skip_reason says why in a sentence. */
typedef struct
{
  char        *member_id;
  char        *label;
  BkCmsClient *client;
  char        *skip_reason;
} BkFailoverNode;

void               bk_failover_node_free            (BkFailoverNode      *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkFailoverNode, bk_failover_node_free)

/* The nodes a meeting may run on, in the order they are tried: the
 * primary, then the chosen alternate (its own user, password and pin),
 * then every other cluster member in the order the bridge lists them.
 *
 * Trust: a password only goes to a node whose certificate is trusted, by
 * the system's CAs or by the pin confirmed for that very node. The other
 * members have no API user of their own in Bridgekeeper: they get the
 * primary's user and password (CMS API users are local to each node, so
 * the node may refuse them; that is a real answer), sent only over HTTPS
 * after the node's certificate is verified (the system's CAs, or a pin
 * confirmed for that member, saved with the device); a member whose certificate
 * fails that check ends the TLS handshake before any credential is sent.
 * A member reached over plain HTTP, or without a valid address, is listed
 * with no client and its @skip_reason.
 *
 * Every client logs into the bridge's log (the Logs tab shows the host).
 * The clients of the other members are kept for the bridge's lifetime.
 * Call it once ready_async() has completed (the passwords are needed).
 * Returns a new array of BkFailoverNode. */
GPtrArray         *bk_bridge_dup_failover_chain     (BkBridge            *self);

/* Whether failover may send the primary's user to cluster member
 * @member_id (one of the "other members" of the chain; see
 * bk_bridge_dup_failover_chain()). */
typedef enum
{
  BK_MEMBER_TRUST_NOT_IN_CHAIN,  /* the managed node, the alternate, plain HTTP, no address, unknown */
  BK_MEMBER_TRUST_TRUSTED,       /* its certificate was confirmed (saved pin), or the system's CAs trusted it at the last check */
  BK_MEMBER_TRUST_NOT_CONFIRMED, /* failover skips it: nobody confirmed its certificate */
  BK_MEMBER_TRUST_CHANGED,       /* it showed another certificate than the confirmed one at the last check: refused, a ticket */
} BkMemberTrust;

BkMemberTrust      bk_bridge_get_member_trust       (BkBridge            *self,
                                                     const char          *member_id);
/* Someone else (the conference engine's failover) found that cluster
 * member @member_id shows the certificate @peer_sha256, not the one
 * confirmed for it: its trust is BK_MEMBER_TRUST_CHANGED and its ticket
 * is up now, as after a check that saw it. Nothing for a member that is
 * not one of the chain's other members, has no confirmed certificate, or
 * showed the confirmed one. */
void               bk_bridge_note_member_certificate (BkBridge           *self,
                                                     const char          *member_id,
                                                     const char          *peer_sha256);
/* "CallBridge-Core3 (10.0.0.3:443)", or the id of an unknown member. */
char              *bk_bridge_dup_member_label       (BkBridge            *self,
                                                     const char          *member_id);
/* Fetches the certificate of such a member to confirm it: GET
 * /api/v1/system/status with no credentials at all (see
 * bk_cms_client_probe_async()); the probe's peer_sha256 is then given to
 * bk_bridge_trust_member_certificate(). G_IO_ERROR_NOT_FOUND for a member
 * that is not one of the chain's other members. */
void               bk_bridge_probe_member_async     (BkBridge            *self,
                                                     const char          *member_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
BkCmsProbe        *bk_bridge_probe_member_finish    (BkBridge            *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Remove the bridge from the list. With @clean_up, first on the CMS: a
 * removeAll bulk sync (polled), then DELETE of the parameter set and the
 * profiles Bridgekeeper created; a failure there stops the removal and
 * says what is left. Then the passwords are cleared and the device is
 * removed from the store. */
void               bk_bridge_remove_async           (BkBridge            *self,
                                                     gboolean             clean_up,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           bk_bridge_remove_finish          (BkBridge            *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
