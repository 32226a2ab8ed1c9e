/* test-slot-range.c: the pure slot-range logic (no network)
 *
 * Records are decoded from XML shaped as CMS sends it (apiary.apib), as the
 * client would decode them.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-onboarding.h"
#include "bk-slot-range.h"
#include "bk-test-util.h"

static GPtrArray *
decode_spaces (const char *xml)
{
  g_autoptr(GError) error = NULL;
  guint total = 0;
  GPtrArray *spaces = bk_cms_list_decode (BK_CMS_KIND_COSPACE, xml, strlen (xml), &total, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spaces);
  return spaces;
}

static const char *spaces_xml =
  "<?xml version=\"1.0\"?>\n"
  "<coSpaces total=\"7\">\n"
  /* slots 10, 11, 12 as they should be (12 with a domain in the URI) */
  "  <coSpace id=\"s10\"><name>TMS_Scheduled_Meeting_10</name><uri>10</uri><callId>10</callId></coSpace>\n"
  "  <coSpace id=\"s11\"><name>TMS_Scheduled_Meeting_11</name><uri>11</uri><callId>11</callId></coSpace>\n"
  "  <coSpace id=\"s12\"><name>TMS_Scheduled_Meeting_12</name><uri>12@meet.example.com</uri><callId>12</callId></coSpace>\n"
  /* slot 13 changed on the bridge: another call ID */
  "  <coSpace id=\"s13\"><name>TMS_Scheduled_Meeting_13</name><uri>13</uri><callId>913</callId></coSpace>\n"
  /* somebody's space using URI 14 of the range: a collision */
  "  <coSpace id=\"u1\"><name>Sales</name><uri>14</uri><callId>5550001</callId></coSpace>\n"
  /* another using call ID 11: a collision too */
  "  <coSpace id=\"u2\"><name>Board</name><uri>board</uri><callId>11</callId></coSpace>\n"
  /* outside the range: nothing */
  "  <coSpace id=\"u3\"><name>TMS_Scheduled_Meeting_99</name><uri>99</uri><callId>99</callId></coSpace>\n"
  "</coSpaces>\n";

static void
test_classify (void)
{
  g_autoptr(GPtrArray) spaces = decode_spaces (spaces_xml);
  g_autoptr(BkSlotScan) scan = bk_slot_range_classify (spaces, 10, 5, FALSE);
  const BkSlotCollision *c;

  g_assert_cmpuint (scan->base, ==, 10);
  g_assert_cmpuint (scan->quantity, ==, 5);
  g_assert_cmpuint (scan->n_spaces, ==, 7);
  g_assert_cmpuint (scan->n_ok, ==, 3);
  g_assert_cmpuint (scan->n_changed, ==, 1);
  g_assert_cmpuint (scan->n_missing, ==, 1);     /* 14 */
  g_assert_false (bk_slot_scan_is_complete (scan));
  /* In list order. The changed slot space uses a number of the range with
   * other fields: it is reported too (a sync of another set would clash). */
  g_assert_cmpuint (scan->collisions->len, ==, 3);
  c = g_ptr_array_index (scan->collisions, 0);
  g_assert_cmpstr (c->space_id, ==, "s13");
  g_assert_cmpuint (c->number, ==, 13);
  c = g_ptr_array_index (scan->collisions, 1);
  g_assert_cmpstr (c->space_id, ==, "u1");
  g_assert_cmpuint (c->number, ==, 14);
  c = g_ptr_array_index (scan->collisions, 2);
  g_assert_cmpstr (c->space_id, ==, "u2");
  g_assert_cmpuint (c->number, ==, 11);

  /* Listed with the name filter: no collisions looked for. */
  {
    g_autoptr(BkSlotScan) only = bk_slot_range_classify (spaces, 10, 5, TRUE);

    g_assert_true (only->slot_spaces_only);
    g_assert_cmpuint (only->collisions->len, ==, 0);
    g_assert_cmpuint (only->n_ok, ==, 3);
  }

  /* The three right slots alone are a complete range 10..12. */
  {
    g_autoptr(BkSlotScan) three = bk_slot_range_classify (spaces, 10, 3, TRUE);

    g_assert_true (bk_slot_scan_is_complete (three));
  }
  g_assert_false (bk_slot_scan_is_complete (NULL));
}

static void
test_collision_error (void)
{
  g_autoptr(GPtrArray) spaces = decode_spaces (spaces_xml);
  g_autoptr(BkSlotScan) scan = bk_slot_range_classify (spaces, 10, 5, FALSE);
  g_autoptr(BkSlotScan) free_range = bk_slot_range_classify (spaces, 1000, 5, FALSE);
  g_autoptr(GError) error = bk_slot_range_collision_error (scan);

  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_RANGE_COLLISION);
  g_assert_nonnull (strstr (error->message, "3 spaces"));
  g_assert_nonnull (strstr (error->message, "10–14"));
  g_assert_nonnull (strstr (error->message, "“TMS_Scheduled_Meeting_13”"));
  g_assert_nonnull (strstr (error->message, "number 13"));
  g_assert_null (bk_slot_range_collision_error (free_range));
  g_assert_null (bk_slot_range_collision_error (NULL));
}

static void
test_format (void)
{
  g_autofree char *range = bk_slot_range_format (1, 1000);
  g_autofree char *v4 = bk_slots_format_address ("10.0.0.5", 443);
  g_autofree char *v4_port = bk_slots_format_address ("10.0.0.5", 445);
  g_autofree char *v6 = bk_slots_format_address ("2001:db8::1", 8443);

  g_assert_cmpstr (range, ==, "1–1000");
  g_assert_cmpstr (v4, ==, "10.0.0.5");
  g_assert_cmpstr (v4_port, ==, "10.0.0.5:445");
  g_assert_cmpstr (v6, ==, "[2001:db8::1]:8443");
}

static void
test_sync_failure (void)
{
  static const struct { BkCmsBulkSyncStatus status; const char *word; } cases[] = {
    { BK_CMS_BULK_SYNC_FAILED_URI_CONFLICT, "URI" },
    { BK_CMS_BULK_SYNC_FAILED_CALL_ID_CONFLICT, "call ID" },
    { BK_CMS_BULK_SYNC_FAILED_RANGE_INVALID, "invalid" },
    { BK_CMS_BULK_SYNC_FAILED_RANGE_TOO_GREAT, "smaller" },
    { BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET, "disappeared" },
    { BK_CMS_BULK_SYNC_FAILED, "“failedSomethingNew”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BkCmsBulkSync sync = { 0 };
      g_autofree char *text = NULL;

      sync.status = cases[i].status;
      sync.status_text = (char *) "failedSomethingNew";
      text = bk_slot_range_describe_sync_failure (&sync, 10, 14);
      g_assert_nonnull (strstr (text, cases[i].word));
      if (cases[i].status != BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET && cases[i].status != BK_CMS_BULK_SYNC_FAILED)
        g_assert_nonnull (strstr (text, "10–14"));
    }
}

static void
test_count (void)
{
  g_autoptr(GError) missing = bk_slot_range_verify_error (1000, 3, 0);
  g_autoptr(GError) changed = bk_slot_range_verify_error (5, 1, 2);

  g_assert_cmpint (bk_slot_range_judge_count (1000, 1000), ==, BK_SLOT_COUNT_COMPLETE);
  g_assert_cmpint (bk_slot_range_judge_count (1000, 997), ==, BK_SLOT_COUNT_MISSING);
  g_assert_cmpint (bk_slot_range_judge_count (1000, 0), ==, BK_SLOT_COUNT_MISSING);
  /* More spaces carry the name than there are slots: a count cannot tell. */
  g_assert_cmpint (bk_slot_range_judge_count (5, 6), ==, BK_SLOT_COUNT_UNSURE);

  g_assert_error (missing, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_VERIFY_FAILED);
  g_assert_nonnull (strstr (missing->message, "3 of 1000 are missing."));
  g_assert_error (changed, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_VERIFY_FAILED);
  g_assert_nonnull (strstr (changed->message, "1 of 5 are missing and 2 differ"));
}

/* GET /cospaceBulkParameterSets/<id>: the full object. */
static const char *tms_set_xml =
  "<?xml version=\"1.0\"?>\n"
  "<cospaceBulkParameterSet id=\"129c6941\">\n"
  "  <startIndex>1</startIndex>\n"
  "  <endIndex>5</endIndex>\n"
  "  <coSpaceUriMapping>$index$</coSpaceUriMapping>\n"
  "  <coSpaceNameMapping>TMS_Scheduled_Meeting_$index$</coSpaceNameMapping>\n"
  "  <coSpaceCallIdMapping>$index$</coSpaceCallIdMapping>\n"
  "  <callProfile>cp-tms</callProfile>\n"
  "  <callLegProfile>clp-tms</callLegProfile>\n"
  "  <nonMemberAccess>false</nonMemberAccess>\n"
  "</cospaceBulkParameterSet>\n";

/* GET /cospaceBulkParameterSets: a summary (apiary.apib's sample). */
static const char *sets_list_xml =
  "<?xml version=\"1.0\"?>\n"
  "<cospaceBulkParameterSets total=\"1\">\n"
  "  <cospaceBulkParameterSet id=\"129c6941\">\n"
  "  <startIndex>1</startIndex>\n"
  "  <endIndex>5</endIndex>\n"
  "  </cospaceBulkParameterSet>\n"
  "</cospaceBulkParameterSets>\n";

static void
test_set (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsBulkParameterSet) set = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_auto(GStrv) params = bk_slot_range_set_params (1, 5, "cp-tms", "clp-tms");
  const BkCmsBulkParameterSet *summary;
  guint total = 0;

  /* TMS's body, field for field (workflow 3b). */
  {
    g_autofree char *joined = g_strjoinv ("|", params);

    g_assert_cmpstr (joined, ==,
                     "startIndex|1|endIndex|5|coSpaceUriMapping|$index$|"
                     "coSpaceNameMapping|TMS_Scheduled_Meeting_$index$|coSpaceCallIdMapping|$index$|"
                     "callProfile|cp-tms|callLegProfile|clp-tms|nonMemberAccess|false");
  }

  set = bk_cms_bulk_parameter_set_decode (tms_set_xml, strlen (tms_set_xml), &error);
  g_assert_no_error (error);
  g_assert_true (bk_slot_range_set_has_slot_mappings (set));
  g_assert_true (bk_slot_range_set_matches (set, 1, 5, "cp-tms", "clp-tms"));
  g_assert_false (bk_slot_range_set_matches (set, 1, 6, "cp-tms", "clp-tms"));
  g_assert_false (bk_slot_range_set_matches (set, 2, 5, "cp-tms", "clp-tms"));
  g_assert_false (bk_slot_range_set_matches (set, 1, 5, "cp-ours", "clp-tms"));
  g_assert_false (bk_slot_range_set_matches (set, 1, 5, "cp-tms", "clp-ours"));

  /* A list entry carries the range only: it never passes for a set with
   * the slot mappings (its details come from a GET). */
  listed = bk_cms_list_decode (BK_CMS_KIND_BULK_PARAMETER_SET, sets_list_xml, strlen (sets_list_xml), &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  summary = g_ptr_array_index (listed, 0);
  g_assert_cmpint (summary->start_index, ==, 1);
  g_assert_false (bk_slot_range_set_has_slot_mappings (summary));
  g_assert_false (bk_slot_range_set_matches (summary, 1, 5, "cp-tms", "clp-tms"));

  /* Another name mapping: another set's spaces, not ours. */
  g_free (set->co_space_name_mapping);
  set->co_space_name_mapping = g_strdup ("Meeting $index$");
  g_assert_false (bk_slot_range_set_has_slot_mappings (set));
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/slot-range/classify", test_classify);
  g_test_add_func ("/slot-range/collision-error", test_collision_error);
  g_test_add_func ("/slot-range/format", test_format);
  g_test_add_func ("/slot-range/sync-failure", test_sync_failure);
  g_test_add_func ("/slot-range/count", test_count);
  g_test_add_func ("/slot-range/set", test_set);

  return g_test_run ();
}
