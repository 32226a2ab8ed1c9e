/* bk-slots.h: the slot machinery shared by onboarding and the live bridge
 *
 * Internal to bkcore (BkOnboarding and BkBridge use it; the UI does not):
 * cluster discovery (GET /callBridges + every /callBridges/<id> +
 * /system/configuration/cluster), the scan of the bridge's spaces against
 * a slot range (own slots, missing, changed, collisions), the reservation
 * (profiles, bulk parameter set, bulk sync polled, verification; resumable
 * and idempotent: the device's saved ids are reused, nothing is duplicated)
 * and the clean-up on removal.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-cms.h"
#include "bk-device.h"
#include "bk-device-store.h"

G_BEGIN_DECLS

/* First poll of a bulk sync after this many ms; each next wait is 1.5 times
 * longer, up to BK_SLOTS_POLL_MAX_MS. */
#define BK_SLOTS_POLL_FIRST_MS 500
#define BK_SLOTS_POLL_MAX_MS   2000

/* What the bridge's spaces look like against a slot range. */
typedef struct
{
  guint64    base;
  guint      quantity;
  guint      n_spaces;     /* spaces listed */
  guint      n_ok;         /* slot spaces present with name, URI and call ID right */
  guint      n_missing;    /* slots without any space named for them */
  guint      n_changed;    /* slots whose named space has another URI or call ID */
  GPtrArray *collisions;   /* BkSlotCollision*: other spaces using numbers of the range */
  gboolean   slot_spaces_only; /* listed with the name filter: collisions not computed */
} BkSlotsScan;

void         bk_slots_scan_free          (BkSlotsScan *scan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkSlotsScan, bk_slots_scan_free)

/* TRUE when every slot exists as it should. */
gboolean     bk_slots_scan_is_complete   (const BkSlotsScan *scan);

/* Classifies listed spaces (BkCmsCoSpace*) against base..base+quantity-1. */
BkSlotsScan *bk_slots_classify           (GPtrArray    *spaces,
                                          guint64       base,
                                          guint         quantity,
                                          gboolean      slot_spaces_only);

/* Lists the spaces (all of them, or with @slot_spaces_only only those whose
 * name contains "TMS_Scheduled_Meeting_", the CMS free-text filter) and
 * classifies them. */
void         bk_slots_scan_async         (BkCmsClient         *client,
                                          guint64              base,
                                          guint                quantity,
                                          gboolean             slot_spaces_only,
                                          BkCmsProgressFunc    progress,
                                          gpointer             progress_data,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
BkSlotsScan *bk_slots_scan_finish        (GAsyncResult        *result,
                                          GError             **error);

/* The BK_ONBOARDING_ERROR_RANGE_COLLISION error for @scan's collisions
 * (NULL when there are none). */
GError      *bk_slots_collision_error    (const BkSlotsScan *scan);

/* The sentence for a failed bulk sync status. */
char        *bk_slots_describe_sync_failure (const BkCmsBulkSync *sync,
                                             guint64              start,
                                             guint64              end);

/* Discovery: finish gives the members (BkClusterMember*, in list order) and
 * the id of the member that is the node asked (NULL when unknown). */
void         bk_slots_discover_async     (BkCmsClient         *client,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray   *bk_slots_discover_finish    (GAsyncResult        *result,
                                          char               **self_id,
                                          GError             **error);

/* Progress of reserve/remove: @fraction 0..1 or -1, @text translated. */
typedef void (*BkSlotsProgressFunc) (double      fraction,
                                     const char *text,
                                     gpointer    user_data);

typedef enum
{
  BK_SLOTS_RESERVE_NONE             = 0,
  /* List all spaces first (unless @scan is given) and refuse collisions. */
  BK_SLOTS_RESERVE_CHECK_COLLISIONS = 1 << 0,
  /* Post a new bulk sync even when the spaces look right (repair). */
  BK_SLOTS_RESERVE_FORCE_SYNC       = 1 << 1,
} BkSlotsReserveFlags;

/* Reserves base..base+quantity-1 on the bridge for @device: reuses or
 * creates the call profile and call leg profile, creates or updates the bulk
 * parameter set, posts a bulk sync (or follows the device's unfinished
 * one), polls it and verifies the spaces. Every id is stored on @device at
 * once and, when @device is listed in @store, the store is saved. The
 * device's stage goes up to PROFILES_CREATED / SLOTS_REQUESTED (never down);
 * COMPLETE is the caller's. @scan (optional) is a fresh full scan of the
 * same range. */
void         bk_slots_reserve_async      (BkCmsClient         *client,
                                          BkDevice            *device,
                                          BkDeviceStore       *store,
                                          guint64              base,
                                          guint                quantity,
                                          const BkSlotsScan   *scan,
                                          BkSlotsReserveFlags  flags,
                                          BkSlotsProgressFunc  progress,
                                          gpointer             progress_data,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     bk_slots_reserve_finish     (GAsyncResult        *result,
                                          GError             **error);

/* Clean-up: a removeAll bulk sync (polled), then DELETE of the parameter
 * set, the call leg profile and the call profile (the device's ids; a 404
 * counts as gone). Each id is cleared on @device as soon as its object is
 * gone; on failure the message says what is left on the bridge. */
void         bk_slots_remove_async       (BkCmsClient         *client,
                                          BkDevice            *device,
                                          BkDeviceStore       *store,
                                          BkSlotsProgressFunc  progress,
                                          gpointer             progress_data,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     bk_slots_remove_finish      (GAsyncResult        *result,
                                          GError             **error);

/* Saves the store now when @device is listed in it (warns on failure). */
void         bk_slots_save_device        (BkDeviceStore       *store,
                                          BkDevice            *device);

G_END_DECLS

G_BEGIN_DECLS

/* "host" (port 443), "host:port", "[v6]:port": as people type addresses. */
char        *bk_slots_format_address     (const char          *host,
                                          guint                port);

/* The listed device (other than @except) that manages the cluster @members
 * belong to, or whose members include @host:@port; transfer none. */
BkDevice    *bk_slots_find_managing_device (BkDeviceStore     *store,
                                            BkDevice          *except,
                                            const char        *host,
                                            guint              port,
                                            GPtrArray         *members);

G_END_DECLS
