/* bk-slot-range.c: the pure logic of a slot range (no I/O)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSlotRange"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bk-onboarding.h"
#include "bk-slot-range.h"
#include "bk-validate.h"

/* ---- BkSlotCollision ---- */

G_DEFINE_BOXED_TYPE (BkSlotCollision, bk_slot_collision,
                     bk_slot_collision_copy, bk_slot_collision_free)

BkSlotCollision *
bk_slot_collision_copy (const BkSlotCollision *collision)
{
  BkSlotCollision *copy;

  g_return_val_if_fail (collision != NULL, NULL);

  copy = g_new0 (BkSlotCollision, 1);
  copy->space_id = g_strdup (collision->space_id);
  copy->name = g_strdup (collision->name);
  copy->uri = g_strdup (collision->uri);
  copy->call_id = g_strdup (collision->call_id);
  copy->number = collision->number;
  return copy;
}

void
bk_slot_collision_free (BkSlotCollision *collision)
{
  if (collision == NULL)
    return;
  g_free (collision->space_id);
  g_free (collision->name);
  g_free (collision->uri);
  g_free (collision->call_id);
  g_free (collision);
}

/* Digits only (no sign, no space), as a number. */
static gboolean
parse_number (const char *text,
              guint64    *number)
{
  if (text == NULL || text[0] == '\0' || strspn (text, "0123456789") != strlen (text) ||
      strlen (text) > 19)
    return FALSE;
  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, number, NULL);
}

/* The user part of a space URI as a number ("5" or "5@example.com"). */
static gboolean
parse_uri_number (const char *uri,
                  guint64    *number)
{
  const char *at;
  g_autofree char *user = NULL;

  if (uri == NULL)
    return FALSE;
  at = strchr (uri, '@');
  user = at != NULL ? g_strndup (uri, at - uri) : g_strdup (uri);
  return parse_number (user, number);
}

/* ---- classification ---- */

void
bk_slot_scan_free (BkSlotScan *scan)
{
  if (scan == NULL)
    return;
  g_clear_pointer (&scan->collisions, g_ptr_array_unref);
  g_free (scan);
}

gboolean
bk_slot_scan_is_complete (const BkSlotScan *scan)
{
  return scan != NULL && scan->n_ok == scan->quantity;
}

BkSlotScan *
bk_slot_range_classify (GPtrArray *spaces,
                   guint64    base,
                   guint      quantity,
                   gboolean   slot_spaces_only)
{
  BkSlotScan *scan = g_new0 (BkSlotScan, 1);
  g_autofree guint8 *state = g_new0 (guint8, MAX (quantity, 1));   /* 0 none, 1 changed, 2 ok */
  guint64 end = base + quantity - 1;

  scan->base = base;
  scan->quantity = quantity;
  scan->slot_spaces_only = slot_spaces_only;
  scan->collisions = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_slot_collision_free);
  scan->n_spaces = spaces->len;

  for (guint i = 0; i < spaces->len; i++)
    {
      const BkCmsCoSpace *space = g_ptr_array_index (spaces, i);
      guint64 claimed = 0, uri_n = 0, cid_n = 0;
      gboolean claims, uri_in, cid_in;

      claims = bk_slot_number_from_name (space->name, &claimed) && claimed >= base && claimed <= end;
      uri_in = parse_uri_number (space->uri, &uri_n) && uri_n >= base && uri_n <= end;
      cid_in = parse_number (space->call_id, &cid_n) && cid_n >= base && cid_n <= end;

      if (claims)
        {
          g_autofree char *want = g_strdup_printf ("%" G_GUINT64_FORMAT, claimed);
          g_autofree char *user = NULL;
          const char *at = space->uri ? strchr (space->uri, '@') : NULL;

          user = at ? g_strndup (space->uri, at - space->uri) : g_strdup (space->uri);
          if (g_strcmp0 (user, want) == 0 && g_strcmp0 (space->call_id, want) == 0)
            {
              state[claimed - base] = 2;
              continue;
            }
          if (state[claimed - base] == 0)
            state[claimed - base] = 1;
        }

      if (!slot_spaces_only && (uri_in || cid_in))
        {
          BkSlotCollision *c = g_new0 (BkSlotCollision, 1);

          c->space_id = g_strdup (space->id);
          c->name = g_strdup (space->name);
          c->uri = g_strdup (space->uri);
          c->call_id = g_strdup (space->call_id);
          c->number = uri_in ? uri_n : cid_n;
          g_ptr_array_add (scan->collisions, c);
        }
    }

  for (guint i = 0; i < quantity; i++)
    {
      if (state[i] == 2)
        scan->n_ok++;
      else if (state[i] == 1)
        scan->n_changed++;
      else
        scan->n_missing++;
    }
  return scan;
}

/* ---- sentences ---- */

char *
bk_slot_range_format (guint64 start,
                      guint64 end)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT, start, end);
}

GError *
bk_slot_range_collision_error (const BkSlotScan *scan)
{
  const BkSlotCollision *first;
  g_autofree char *range = NULL;
  g_autofree char *number = NULL;

  if (scan == NULL || scan->collisions == NULL || scan->collisions->len == 0)
    return NULL;

  first = g_ptr_array_index (scan->collisions, 0);
  range = bk_slot_range_format (scan->base, scan->base + scan->quantity - 1);
  number = g_strdup_printf ("%" G_GUINT64_FORMAT, first->number);
  /* TRANSLATORS: %u: how many spaces; %s: the range, e.g. "1–5"; %s: the
   * name of one of those spaces; %s: the number it uses */
  return g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_RANGE_COLLISION,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "%u space on the bridge already uses a number of the range %s (“%s”, number %s), so no slot was reserved. Choose another Numeric ID Base, or change that space on the bridge.",
                                   "%u spaces on the bridge already use numbers of the range %s (for example “%s”, number %s), so no slot was reserved. Choose another Numeric ID Base, or change those spaces on the bridge.",
                                   scan->collisions->len),
                      scan->collisions->len, range,
                      first->name != NULL ? first->name : (first->uri != NULL ? first->uri : first->space_id),
                      number);
}

char *
bk_slot_range_describe_sync_failure (const BkCmsBulkSync *sync,
                                guint64              start,
                                guint64              end)
{
  g_autofree char *range = bk_slot_range_format (start, end);

  /* TRANSLATORS: %s in these sentences is a range of numbers, e.g. "1–5" */
  switch (sync->status)
    {
    case BK_CMS_BULK_SYNC_FAILED_URI_CONFLICT:
      return g_strdup_printf (_("Another space on the bridge already uses a URI of the range %s, so the bridge created no meeting space. Choose another Numeric ID Base, or change that space’s URI on the bridge, then try again."),
                              range);
    case BK_CMS_BULK_SYNC_FAILED_CALL_ID_CONFLICT:
      return g_strdup_printf (_("Another space on the bridge already uses a call ID of the range %s, so the bridge created no meeting space. Choose another Numeric ID Base, or change that space’s call ID on the bridge, then try again."),
                              range);
    case BK_CMS_BULK_SYNC_FAILED_RANGE_INVALID:
      return g_strdup_printf (_("The bridge refused the range %s as invalid. Check the Numeric ID Base and Quantity, then try again."),
                              range);
    case BK_CMS_BULK_SYNC_FAILED_RANGE_TOO_GREAT:
      return g_strdup_printf (_("The range %s is larger than the bridge allows. Choose a smaller Numeric ID Quantity, then try again."),
                              range);
    case BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET:
      return g_strdup (_("The slot settings (bulk parameter set) disappeared from the bridge while it was creating the meeting spaces. Try again: Bridgekeeper will create them again."));
    case BK_CMS_BULK_SYNC_UNKNOWN:
    case BK_CMS_BULK_SYNC_PENDING:
    case BK_CMS_BULK_SYNC_RUNNING:
    case BK_CMS_BULK_SYNC_COMPLETE:
    case BK_CMS_BULK_SYNC_FAILED:
    default:
      return g_strdup_printf (_("The bridge could not create the meeting spaces (status “%s”). Look at the bridge’s event log, then try again."),
                              sync->status_text != NULL ? sync->status_text : "failed");
    }
}

/* ---- verification ---- */

BkSlotCount
bk_slot_range_judge_count (guint quantity,
                           guint total)
{
  if (total == quantity)
    return BK_SLOT_COUNT_COMPLETE;
  return total < quantity ? BK_SLOT_COUNT_MISSING : BK_SLOT_COUNT_UNSURE;
}

GError *
bk_slot_range_verify_error (guint quantity,
                            guint n_missing,
                            guint n_changed)
{
  if (n_changed == 0)
    /* TRANSLATORS: %u: how many meeting spaces are missing; %u: how many there should be */
    return g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_VERIFY_FAILED,
                        _("The bridge reported the meeting spaces as created, but %u of %u are missing. Try again, or use Repair on the bridge’s page."),
                        n_missing, quantity);
  return g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_VERIFY_FAILED,
                      _("The bridge reported the meeting spaces as created, but %u of %u are missing and %u differ from the slot settings. Try again, or use Repair on the bridge’s page."),
                      n_missing, quantity, n_changed);
}

/* ---- the bulk parameter set ---- */

GStrv
bk_slot_range_set_params (guint64     base,
                          guint       quantity,
                          const char *call_profile_id,
                          const char *call_leg_profile_id)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *start = g_strdup_printf ("%" G_GUINT64_FORMAT, base);
  g_autofree char *end = g_strdup_printf ("%" G_GUINT64_FORMAT, base + quantity - 1);

  g_return_val_if_fail (quantity > 0, NULL);

  /* TMS's body, field for field (3b). */
  g_strv_builder_add_many (b,
                           "startIndex", start,
                           "endIndex", end,
                           "coSpaceUriMapping", BK_SLOT_URI_MAPPING,
                           "coSpaceNameMapping", BK_SLOT_NAME_MAPPING,
                           "coSpaceCallIdMapping", BK_SLOT_CALL_ID_MAPPING,
                           "callProfile", call_profile_id != NULL ? call_profile_id : "",
                           "callLegProfile", call_leg_profile_id != NULL ? call_leg_profile_id : "",
                           "nonMemberAccess", "false",
                           NULL);
  return g_strv_builder_end (b);
}

gboolean
bk_slot_range_set_has_slot_mappings (const BkCmsBulkParameterSet *set)
{
  g_return_val_if_fail (set != NULL, FALSE);

  return g_strcmp0 (set->co_space_name_mapping, BK_SLOT_NAME_MAPPING) == 0 &&
         g_strcmp0 (set->co_space_uri_mapping, BK_SLOT_URI_MAPPING) == 0 &&
         g_strcmp0 (set->co_space_call_id_mapping, BK_SLOT_CALL_ID_MAPPING) == 0;
}

gboolean
bk_slot_range_set_matches (const BkCmsBulkParameterSet *set,
                           guint64                      base,
                           guint                        quantity,
                           const char                  *call_profile_id,
                           const char                  *call_leg_profile_id)
{
  g_return_val_if_fail (set != NULL, FALSE);

  return quantity > 0 &&
         set->start_index == (gint64) base &&
         set->end_index == (gint64) (base + quantity - 1) &&
         bk_slot_range_set_has_slot_mappings (set) &&
         g_strcmp0 (set->call_profile, call_profile_id) == 0 &&
         g_strcmp0 (set->call_leg_profile, call_leg_profile_id) == 0 &&
         !set->non_member_access;
}

/* ---- addresses ---- */

char *
bk_slots_format_address (const char *host,
                         guint       port)
{
  return bk_format_address (host, port, BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT);
}

