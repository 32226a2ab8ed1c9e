/* bk-slot-range.h: the pure logic of a slot range (no I/O)
 *
 * Internal to bkcore. A slot range is base..base+quantity-1: one meeting
 * space per number, named TMS_Scheduled_Meeting_<n> with URI user part and
 * call ID <n>, made by a bulk parameter set with TMS's mappings. Here: the
 * classification of listed spaces against a range (own slots, missing,
 * changed, collisions), the verdict of a filtered count, the bulk parameter
 * set body and its comparisons, and the sentences (collisions, a failed
 * bulk sync). Everything is a function of its arguments: unit-tested in
 * tests/core/test-slot-range.c.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "bk-cms.h"

G_BEGIN_DECLS

/* The CMS free-text filter that finds the slot spaces (by name), and TMS's
 * mappings of the bulk parameter set (3b of the workflow). */
#define BK_SLOT_NAME_FILTER      "TMS_Scheduled_Meeting_"
#define BK_SLOT_NAME_MAPPING     "TMS_Scheduled_Meeting_$index$"
#define BK_SLOT_URI_MAPPING      "$index$"
#define BK_SLOT_CALL_ID_MAPPING  "$index$"

/* One existing space that uses a call ID or URI of the planned range. */
typedef struct
{
  char    *space_id;
  char    *name;
  char    *uri;
  char    *call_id;
  guint64  number;     /* the slot number it collides with */
} BkSlotCollision;

#define BK_TYPE_SLOT_COLLISION (bk_slot_collision_get_type ())
GType            bk_slot_collision_get_type (void) G_GNUC_CONST;
BkSlotCollision *bk_slot_collision_copy     (const BkSlotCollision *collision);
void             bk_slot_collision_free     (BkSlotCollision       *collision);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkSlotCollision, bk_slot_collision_free)

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
} BkSlotScan;

void         bk_slot_scan_free              (BkSlotScan *scan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkSlotScan, bk_slot_scan_free)

/* TRUE when every slot exists as it should. */
gboolean     bk_slot_scan_is_complete       (const BkSlotScan *scan);

/* Classifies listed spaces (BkCmsCoSpace*) against base..base+quantity-1.
 * With @slot_spaces_only (the spaces were listed with the name filter) no
 * collision is looked for. */
BkSlotScan  *bk_slot_range_classify         (GPtrArray    *spaces,
                                             guint64       base,
                                             guint         quantity,
                                             gboolean      slot_spaces_only);

/* The BK_ONBOARDING_ERROR_RANGE_COLLISION error for @scan's collisions
 * (NULL when there are none). */
GError      *bk_slot_range_collision_error  (const BkSlotScan *scan);

/* "1–5": a range as the sentences show it. */
char        *bk_slot_range_format           (guint64 start,
                                             guint64 end);

/* The sentence for a failed bulk sync status. */
char        *bk_slot_range_describe_sync_failure (const BkCmsBulkSync *sync,
                                                  guint64              start,
                                                  guint64              end);

/* The verdict of a filtered count (the total of GET /coSpaces with the name
 * filter) after a bulk sync that reported complete. */
typedef enum
{
  BK_SLOT_COUNT_COMPLETE,    /* as many slot-named spaces as slots */
  BK_SLOT_COUNT_MISSING,     /* fewer: some slots are missing */
  BK_SLOT_COUNT_UNSURE,      /* more: other spaces carry the name too; list them to know */
} BkSlotCount;

BkSlotCount  bk_slot_range_judge_count      (guint  quantity,
                                             guint  total);

/* The BK_ONBOARDING_ERROR_VERIFY_FAILED error for a sync that reported
 * complete while @n_missing of @quantity slots are missing and @n_changed
 * differ. */
GError      *bk_slot_range_verify_error     (guint quantity,
                                             guint n_missing,
                                             guint n_changed);

/* The body of the bulk parameter set for the range, field for field TMS's
 * (3b); the profile ids may be "" (then sent empty). */
GStrv        bk_slot_range_set_params       (guint64     base,
                                             guint       quantity,
                                             const char *call_profile_id,
                                             const char *call_leg_profile_id);

/* TRUE when @set (a full record: from a GET, not a list) has TMS's three
 * mappings: a set that makes the same spaces as ours would. */
gboolean     bk_slot_range_set_has_slot_mappings (const BkCmsBulkParameterSet *set);

/* TRUE when @set (a full record) is exactly what
 * bk_slot_range_set_params() describes. */
gboolean     bk_slot_range_set_matches      (const BkCmsBulkParameterSet *set,
                                             guint64                      base,
                                             guint                        quantity,
                                             const char                  *call_profile_id,
                                             const char                  *call_leg_profile_id);

/* "host" (port 443), "host:port", "[v6]:port": as people type addresses
 * (bk_format_address() with BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT). */
char        *bk_slots_format_address        (const char          *host,
                                             guint                port);

G_END_DECLS
