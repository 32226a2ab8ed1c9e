/* bk-onboarding.h: the guided set-up of one bridge (TMS's Add Device,
 * Edit Settings and Extended Settings, in one resumable flow)
 *
 * Steps, in order (each async, cancellable, never blocking):
 *   1. connect:   validate the address, refuse duplicates and members of a
 *                 managed cluster, probe GET /system/status (TLS untrusted
 *                 -> the UI asks, then trust_certificate() and connect again)
 *   2. discover:  GET /callBridges and every /callBridges/<id> in parallel
 *                 (+ /system/configuration/cluster to know "self"); refuse
 *                 when a member is already managed (TMS's sentence)
 *   3. name:      set_name()
 *   4. range:     check_range(): domain, base, quantity validated; the
 *                 bridge's spaces listed (filter) to find collisions of
 *                 call IDs / URIs in the range, before anything is created
 *   5. reserve:   call profile + call leg profile (TMS's fields, both
 *                 POSTs at once, beside the look-up of an existing set), bulk
 *                 parameter set (TMS_Scheduled_Meeting_$index$, $index$,
 *                 $index$, nonMemberAccess=false, start = base, end = base +
 *                 quantity - 1; TMS's own set is taken over), bulk sync
 *                 polled until complete; failed* statuses become sentences;
 *                 then the slot spaces are counted (one filtered request).
 *                 Each slot's URI and call ID are the live bridge's
 *                 background check (bk_bridge_check_async()).
 *   6. failover:  set_alternate() with a member of the cluster, its own
 *                 user and password; check_alternate(): the node answers
 *                 with them and its own certificate (trusted on first use)
 *   7. finish:    passwords stored (BkSecrets), device stage COMPLETE, saved
 *
 * The device is added to the store as soon as step 2 succeeds (stage
 * CLUSTER_DISCOVERED), and every id created on the bridge is saved at once,
 * so an interrupted onboarding resumes (bk_onboarding_new_resume()) and
 * reuses what exists: it never creates duplicates.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-cms.h"
#include "bk-device.h"
#include "bk-device-store.h"
#include "bk-secrets.h"
#include "bk-slot-range.h"   /* BkSlotCollision */

G_BEGIN_DECLS

#define BK_ONBOARDING_ERROR (bk_onboarding_error_quark ())

typedef enum
{
  BK_ONBOARDING_ERROR_INVALID_INPUT,    /* a form field is wrong: the message says which and why */
  BK_ONBOARDING_ERROR_ALREADY_ADDED,    /* this address is already in the list */
  BK_ONBOARDING_ERROR_ALREADY_MANAGED,  /* TMS: "The %s is part of a clustered call bridge and has already been added through %s. Retry after entering a new IP." */
  BK_ONBOARDING_ERROR_NOT_CMS,          /* the server answered, but not as a Cisco Meeting Server */
  BK_ONBOARDING_ERROR_RANGE_COLLISION,  /* reserve() refused: spaces already use IDs or URIs of the range */
  BK_ONBOARDING_ERROR_SYNC_FAILED,      /* the bulk sync ended in a failed* status: the message names it */
  BK_ONBOARDING_ERROR_VERIFY_FAILED,    /* after the sync, slot spaces are missing or different */
  BK_ONBOARDING_ERROR_WRONG_STEP,       /* a step was called before the one it needs */
} BkOnboardingError;

#define BK_TYPE_ONBOARDING (bk_onboarding_get_type ())
G_DECLARE_FINAL_TYPE (BkOnboarding, bk_onboarding, BK, ONBOARDING, GObject)

/*
 * Properties (read-only, notify): "device" (BkDevice, NULL before connect),
 * "stage" (BkOnboardingStage reached), "progress" (double 0..1 of the
 * running step, -1 when indeterminate), "progress-text" (translated sentence
 * of what is being done now, e.g. "Creating meeting spaces (3 of 5)"),
 * "busy" (boolean), "software-version" (string), "client" (BkCmsClient of
 * the primary address, NULL before connect).
 */

BkOnboarding *bk_onboarding_new                 (BkDeviceStore *store,
                                                 BkSecrets     *secrets);
/* Continue the onboarding of a listed device whose stage is not COMPLETE
 * (or re-run it on a complete one: then it only verifies and repairs).
 * Its primary password is looked up in @secrets by connect(). */
BkOnboarding *bk_onboarding_new_resume          (BkDeviceStore *store,
                                                 BkSecrets     *secrets,
                                                 BkDevice      *device);

BkDevice     *bk_onboarding_get_device          (BkOnboarding  *self);
BkCmsClient  *bk_onboarding_get_client          (BkOnboarding  *self);
BkOnboardingStage bk_onboarding_get_stage       (BkOnboarding  *self);
double        bk_onboarding_get_progress        (BkOnboarding  *self);
const char   *bk_onboarding_get_progress_text   (BkOnboarding  *self);
gboolean      bk_onboarding_get_busy            (BkOnboarding  *self);
const char   *bk_onboarding_get_software_version (BkOnboarding *self);

/* Step 1. @address_text: "host", "host:port", "[v6]:port" (443 by
 * default). @password may be NULL when resuming (looked up). Errors:
 * BK_ONBOARDING_ERROR_INVALID_INPUT / _ALREADY_ADDED / _ALREADY_MANAGED /
 * _NOT_CMS, or BK_CMS_ERROR_* (TLS_UNTRUSTED: show the certificate from
 * the error, then trust_certificate() and connect again). */
void          bk_onboarding_connect_async       (BkOnboarding        *self,
                                                 const char          *address_text,
                                                 const char          *username,
                                                 const char          *password,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      bk_onboarding_connect_finish      (BkOnboarding        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* The person accepted this certificate (SHA-256 hex from the error). */
void          bk_onboarding_trust_certificate   (BkOnboarding        *self,
                                                 const char          *sha256);

/* Step 2. Finish gives the members (BkClusterMember*, transfer container);
 * the device is added to the store here. */
void          bk_onboarding_discover_async      (BkOnboarding        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray    *bk_onboarding_discover_finish     (BkOnboarding        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Step 3. FALSE with BK_ONBOARDING_ERROR_INVALID_INPUT for an empty name. */
gboolean      bk_onboarding_set_name            (BkOnboarding        *self,
                                                 const char          *name,
                                                 GError             **error);

/* Step 4. Validates and remembers domain/base/quantity; lists the
 * bridge's spaces; finish gives the collisions (BkSlotCollision*, empty
 * when the range is free; our own slot spaces are not collisions). */
void          bk_onboarding_check_range_async   (BkOnboarding        *self,
                                                 const char          *domain,
                                                 guint64              base,
                                                 guint                quantity,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray    *bk_onboarding_check_range_finish  (BkOnboarding        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Step 5. Progress in "progress"/"progress-text". */
void          bk_onboarding_reserve_async       (BkOnboarding        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      bk_onboarding_reserve_finish      (BkOnboarding        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Step 6. Records the alternate: @member_id NULL or "" = no alternate.
 * Every node of a cluster has its own certificate and may have its own API
 * user: @username and @password are the alternate's own, and go together;
 * both NULL or "" = the primary's user and password (the UI says so). One
 * without the other is BK_ONBOARDING_ERROR_INVALID_INPUT. Makes no request:
 * check_alternate() (or finish()) contacts the node. */
gboolean      bk_onboarding_set_alternate       (BkOnboarding        *self,
                                                 const char          *member_id,
                                                 const char          *username,
                                                 const char          *password,
                                                 GError             **error);

/* Step 6b. GET /system/status on the recorded alternate with its own user
 * and password, accepting only the certificate trusted for that node (a
 * certificate identical to the primary's trusted one is accepted as it is).
 * On success the node's pin is on the device (alternate-certificate-pin).
 * Errors: BK_CMS_ERROR_TLS_UNTRUSTED (show that node's certificate, then
 * trust_alternate_certificate() and check again), BK_CMS_ERROR_UNAUTHORIZED
 * / _FORBIDDEN (the alternate's user or password: the sentence names the
 * node and the user), _UNREACHABLE / _TIMEOUT, other BK_CMS_ERROR_*.
 * Succeeds at once when no alternate is chosen or it was checked already. */
void          bk_onboarding_check_alternate_async  (BkOnboarding        *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      bk_onboarding_check_alternate_finish (BkOnboarding        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* The person accepted the alternate node's certificate (SHA-256 hex from
 * the error); forgotten when another alternate address is recorded. */
void          bk_onboarding_trust_alternate_certificate (BkOnboarding *self,
                                                         const char   *sha256);

/* Step 7. Checks the alternate if that was not done (errors as
 * check_alternate()), stores the passwords, marks the device COMPLETE and
 * saves. */
void          bk_onboarding_finish_async        (BkOnboarding        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      bk_onboarding_finish_finish       (BkOnboarding        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

GQuark        bk_onboarding_error_quark         (void);

G_END_DECLS
