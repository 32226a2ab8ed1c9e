/* test-cms-records.c: XML decoders, failureDetails, masking and error data
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-cms.h"
#include "bk-test-util.h"

#define DECODE(T, func, xml, err) func (xml, strlen (xml), err)

static void
test_status_valid (void)
{
  const char *xml =
    "<?xml version=\"1.0\"?>\n"
    "<status>\n"
    "  <hostId>8b6dc06e-6a0b-4983-aa9c-bf49826f7756</hostId>\n"
    "  <softwareVersion>2.6.1</softwareVersion>\n"
    "  <uptimeSeconds>90730</uptimeSeconds>\n"
    "  <cdrTime>2019-05-16T18:42:02Z</cdrTime>\n"
    "  <activated>true</activated>\n"
    "  <clusterEnabled> true </clusterEnabled>\n"
    "  <cdrCorrelatorIndex>7</cdrCorrelatorIndex>\n"
    "  <callLegsActive>1</callLegsActive>\n"
    "  <callLegsMaxActive>2</callLegsMaxActive>\n"
    "  <callLegsCompleted>2</callLegsCompleted>\n"
    "  <audioBitRateOutgoing>67932</audioBitRateOutgoing>\n"
    "  <videoBitRateIncoming>2416854</videoBitRateIncoming>\n"
    "  <somethingNew><nested>1</nested></somethingNew>\n"
    "</status>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  g_autoptr(BkCmsSystemStatus) copy = NULL;

  status = DECODE (BkCmsSystemStatus, bk_cms_system_status_decode, xml, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_null (status->id);
  g_assert_cmpstr (status->software_version, ==, "2.6.1");
  g_assert_cmpstr (status->host_id, ==, "8b6dc06e-6a0b-4983-aa9c-bf49826f7756");
  g_assert_cmpint (status->uptime_seconds, ==, 90730);
  g_assert_true (status->activated);
  g_assert_true (status->cluster_enabled);
  g_assert_cmpint (status->call_legs_max_active, ==, 2);
  g_assert_cmpint (status->audio_bit_rate_outgoing, ==, 67932);
  g_assert_cmpint (status->audio_bit_rate_incoming, ==, -1);   /* absent */
  g_assert_cmpint (status->video_bit_rate_incoming, ==, 2416854);
  g_assert_nonnull (status->cdr_time);
  g_assert_cmpint (g_date_time_get_year (status->cdr_time), ==, 2019);
  g_assert_cmpint (g_date_time_get_second (status->cdr_time), ==, 2);

  copy = bk_cms_system_status_copy (status);
  g_assert_cmpstr (copy->software_version, ==, "2.6.1");
  g_assert_true (copy->software_version != status->software_version);
  g_assert_true (g_date_time_equal (copy->cdr_time, status->cdr_time));
  g_assert_true (G_TYPE_IS_BOXED (BK_CMS_TYPE_SYSTEM_STATUS));
}

static void
assert_malformed (BkCmsKind   kind,
                  const char *xml,
                  const char *expect_in_message)
{
  g_autoptr(GError) error = NULL;
  gpointer record = bk_cms_record_decode (kind, xml, xml ? strlen (xml) : 0, &error);

  g_assert_null (record);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_MALFORMED_REPLY);
  if (expect_in_message)
    g_assert_nonnull (strstr (error->message, expect_in_message));
}

static void
test_wrong_types (void)
{
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS, "<status><uptimeSeconds>12a</uptimeSeconds></status>", "uptimeSeconds");
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS, "<status><activated>yes</activated></status>", "activated");
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS, "<status><cdrTime>yesterday</cdrTime></status>", "cdrTime");
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS, "<status><callLegsActive>99999999999999999999999</callLegsActive></status>", NULL);
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS, "<coSpace id=\"x\"/>", "status");
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS, "<status><unclosed></status>", NULL);
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS, "not xml at all", NULL);
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS, "", NULL);
  assert_malformed (BK_CMS_KIND_CALL_LEG, "<callLeg id=\"a\"><status><durationSeconds>x</durationSeconds></status></callLeg>", "durationSeconds");
  /* A DTD (entity expansion bombs) is refused outright. */
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS,
                    "<?xml version=\"1.0\"?><!DOCTYPE status [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                    "<status><softwareVersion>&d;&d;&d;&d;</softwareVersion></status>", NULL);
  assert_malformed (BK_CMS_KIND_SYSTEM_STATUS,
                    "<!DOCTYPE status [<!ENTITY a \"x\">]><status><softwareVersion>&a;</softwareVersion></status>",
                    "document type");
  /* Invalid UTF-8 in a reply never reaches a message. */
  {
    g_autoptr(GError) error = NULL;
    const char bad[] = "<status><uptimeSeconds>\xed\xa0\x80</uptimeSeconds></status>";
    g_assert_null (bk_cms_system_status_decode (bad, sizeof bad - 1, &error));
    g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_MALFORMED_REPLY);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
  }
}

static void
test_empty_elements (void)
{
  const char *xml =
    "<?xml version=\"1.0\"?>\n<cluster>\n  <uniqueName/>\n  <maxPeerVideoStreams/>\n  <participantLimit/>\n"
    "  <loadLimit></loadLimit>\n  <newConferenceLoadLimitBasisPoints>5000</newConferenceLoadLimitBasisPoints>\n"
    "  <existingConferenceLoadLimitBasisPoints>8000</existingConferenceLoadLimitBasisPoints>\n</cluster>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsClusterConfig) cluster = bk_cms_cluster_config_decode (xml, strlen (xml), &error);

  g_assert_no_error (error);
  g_assert_null (cluster->unique_name);
  g_assert_cmpint (cluster->participant_limit, ==, -1);
  g_assert_cmpint (cluster->load_limit, ==, -1);
  g_assert_cmpint (cluster->new_conference_load_limit_basis_points, ==, 5000);
  g_assert_cmpint (cluster->existing_conference_load_limit_basis_points, ==, 8000);
}

static void
test_cospace_list (void)
{
  const char *xml =
    "<?xml version=\"1.0\"?>\n<coSpaces total=\"4\">"
    "<coSpace id=\"2be23a10-f400-4436-baef-6058f55ca688\"><name>Cool Bridge Space</name>"
    "<autoGenerated>false</autoGenerated><uri>cool.bridge.space</uri><callId>0497540167</callId>"
    "<futureField a=\"b\">ignored</futureField></coSpace>"
    "<comment>not an item</comment>"
    "<coSpace id=\"f4c9601b-300e-43ac-a283-3e1a00699c2c\"><name>TMS_Scheduled_Meeting_1</name></coSpace>"
    "</coSpaces>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  BkCmsCoSpace *space;
  guint total = 0;

  items = bk_cms_list_decode (BK_CMS_KIND_COSPACE, xml, strlen (xml), &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 4);
  g_assert_cmpuint (items->len, ==, 2);
  space = g_ptr_array_index (items, 0);
  g_assert_cmpstr (space->id, ==, "2be23a10-f400-4436-baef-6058f55ca688");
  g_assert_cmpstr (space->name, ==, "Cool Bridge Space");
  g_assert_cmpstr (space->uri, ==, "cool.bridge.space");
  g_assert_cmpstr (space->call_id, ==, "0497540167");   /* a string: leading zero kept */
  g_assert_false (space->auto_generated);
  g_assert_true (space->non_member_access);             /* API default */
  g_assert_false (space->full);
  space = g_ptr_array_index (items, 1);
  g_assert_null (space->uri);

  /* Empty list, self-closing */
  {
    g_autoptr(GPtrArray) none = bk_cms_list_decode (BK_CMS_KIND_CALL_BRIDGE, "<callBridges total=\"0\"/>", 25, &total, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpuint (total, ==, 0);
  }
  /* Missing id / bad total / wrong root */
  {
    const char *bad[] = {
      "<coSpaces total=\"1\"><coSpace><name>x</name></coSpace></coSpaces>",
      "<coSpaces total=\"many\"></coSpaces>",
      "<coSpaces total=\"-1\"></coSpaces>",
      "<calls total=\"0\"></calls>",
    };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) e = NULL;
        g_autoptr(GPtrArray) r = bk_cms_list_decode (BK_CMS_KIND_COSPACE, bad[i], strlen (bad[i]), &total, &e);
        g_assert_null (r);
        g_assert_error (e, BK_CMS_ERROR, BK_CMS_ERROR_MALFORMED_REPLY);
      }
  }
}

static void
test_cospace_full (void)
{
  const char *xml =
    "<?xml version=\"1.0\"?>\n<coSpace id=\"b449de90-9dc5-4bed-9c65-a09a321d2bd9\">"
    "<name>Johnny Appleseed Space</name><autoGenerated>true</autoGenerated><uri>johnny.space</uri>"
    "<callId>239017747</callId><nonMemberAccess>false</nonMemberAccess>"
    "<ownerId>43dfe9c0-834f-42bd-aa1c-bbf5017706ba</ownerId><ownerJid>johnny@ciscolabs.com</ownerJid>"
    "<secret>V_diBH_9ARvojUzOOy38Cg</secret><passcode>1234</passcode><numAccessMethods>2</numAccessMethods>"
    "</coSpace>";
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsCoSpace) space = bk_cms_co_space_decode (xml, strlen (xml), &error);

  g_assert_no_error (error);
  g_assert_true (space->full);
  g_assert_true (space->auto_generated);
  g_assert_false (space->non_member_access);
  g_assert_cmpstr (space->secret, ==, "V_diBH_9ARvojUzOOy38Cg");
  g_assert_cmpstr (space->passcode, ==, "1234");
  g_assert_cmpstr (space->owner_jid, ==, "johnny@ciscolabs.com");
  g_assert_cmpint (space->num_access_methods, ==, 2);
}

static void
test_call_leg_nested (void)
{
  const char *xml =
    "<callLeg id=\"dbe60866\"><name>Bjarne</name><remoteParty>bjarne@ciscolabs.com</remoteParty>"
    "<call>b393d2cb</call><type>acano</type><direction>incoming</direction>"
    "<configuration><muteSelfAllowed>true</muteSelfAllowed></configuration>"
    "<status><state>connected</state><durationSeconds>1057</durationSeconds>"
    "<rxAudio><codec>opus</codec></rxAudio></status>"
    "<alarms><packetLoss/><highRoundTripTime/></alarms></callLeg>";
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsCallLeg) leg = bk_cms_call_leg_decode (xml, strlen (xml), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (leg->state, ==, "connected");
  g_assert_cmpint (leg->duration_seconds, ==, 1057);
  g_assert_cmpstr (leg->direction, ==, "incoming");
  g_assert_cmpuint (leg->alarms, ==, BK_CMS_CALL_LEG_ALARM_PACKET_LOSS | BK_CMS_CALL_LEG_ALARM_HIGH_ROUND_TRIP_TIME);
}

static void
test_other_kinds (void)
{
  g_autoptr(GError) error = NULL;
  const char *sync_xml = "<cospaceBulkSync id=\"071e7bf5\"><cospaceBulkParameterSet>beac931c</cospaceBulkParameterSet>"
                         "<status>complete</status></cospaceBulkSync>";
  const char *set_xml = "<cospaceBulkParameterSet id=\"129c\"><startIndex>1000</startIndex><endIndex>1010</endIndex>"
                        "<coSpaceUriMapping>$index$</coSpaceUriMapping><nonMemberAccess>false</nonMemberAccess>"
                        "</cospaceBulkParameterSet>";
  const char *profile_xml = "<callLegProfile id=\"7344\"><defaultLayout>telepresence</defaultLayout>"
                            "<muteSelfAllowed>false</muteSelfAllowed><qualityMain>max720p30</qualityMain></callLegProfile>";
  const char *alarms_xml = "<alarms total=\"1\"><alarm id=\"a791\"><type>cdrConnectionFailure</type>"
                           "<activeTimeSeconds>3919</activeTimeSeconds></alarm></alarms>";
  const char *participants_xml = "<participants total=\"1\"><participant id=\"dbe6\"><name>B</name>"
                                 "<call>b393</call><status><state>connected</state></status></participant></participants>";
  const char *calls_xml = "<calls total=\"1\"><call id=\"ce5e\"><name>Meeting</name><coSpace>4580</coSpace>"
                          "<callCorrelator>7633</callCorrelator></call></calls>";
  g_autoptr(BkCmsBulkSync) sync = bk_cms_bulk_sync_decode (sync_xml, strlen (sync_xml), &error);
  g_autoptr(BkCmsBulkParameterSet) set = bk_cms_bulk_parameter_set_decode (set_xml, strlen (set_xml), &error);
  g_autoptr(BkCmsCallLegProfile) profile = bk_cms_call_leg_profile_decode (profile_xml, strlen (profile_xml), &error);
  g_autoptr(BkCmsCallLegProfile) profile_copy = NULL;
  g_autoptr(GPtrArray) alarms = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  guint total;

  g_assert_no_error (error);
  g_assert_cmpint (sync->status, ==, BK_CMS_BULK_SYNC_COMPLETE);
  g_assert_true (bk_cms_bulk_sync_status_is_final (sync->status));
  g_assert_cmpstr (sync->parameter_set, ==, "beac931c");
  g_assert_cmpint (bk_cms_bulk_sync_status_from_string ("failedIndexRangeTooGreat"), ==, BK_CMS_BULK_SYNC_FAILED_RANGE_TOO_GREAT);
  g_assert_cmpint (bk_cms_bulk_sync_status_from_string ("failedSomethingNew"), ==, BK_CMS_BULK_SYNC_FAILED);
  g_assert_false (bk_cms_bulk_sync_status_is_final (BK_CMS_BULK_SYNC_RUNNING));

  g_assert_cmpint (set->start_index, ==, 1000);
  g_assert_cmpint (set->end_index, ==, 1010);
  g_assert_cmpstr (set->co_space_uri_mapping, ==, "$index$");
  g_assert_false (set->non_member_access);

  g_assert_cmpstr (profile->default_layout, ==, "telepresence");
  g_assert_false (profile->mute_self_allowed);
  g_assert_true (profile->change_layout_allowed);  /* default */
  g_assert_cmpstr (g_hash_table_lookup (profile->fields, "qualityMain"), ==, "max720p30");
  profile_copy = bk_cms_call_leg_profile_copy (profile);
  g_assert_cmpstr (g_hash_table_lookup (profile_copy->fields, "qualityMain"), ==, "max720p30");

  alarms = bk_cms_list_decode (BK_CMS_KIND_ALARM, alarms_xml, strlen (alarms_xml), &total, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((BkCmsAlarm *) alarms->pdata[0])->type, ==, "cdrConnectionFailure");
  g_assert_cmpint (((BkCmsAlarm *) alarms->pdata[0])->active_time_seconds, ==, 3919);

  participants = bk_cms_list_decode (BK_CMS_KIND_PARTICIPANT, participants_xml, strlen (participants_xml), &total, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((BkCmsParticipant *) participants->pdata[0])->state, ==, "connected");

  calls = bk_cms_list_decode (BK_CMS_KIND_CALL, calls_xml, strlen (calls_xml), &total, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((BkCmsCall *) calls->pdata[0])->co_space, ==, "4580");
  g_assert_cmpint (((BkCmsCall *) calls->pdata[0])->num_call_legs, ==, -1);
}

static void
test_failure_details (void)
{
  const char *xml = "<?xml version=\"1.0\"?>\n<failureDetails><parameterError parameter=\"streamUrl\" error=\"invalidValue\" />"
                    "<duplicateCoSpaceUri /></failureDetails>";
  g_autoptr(GPtrArray) failures = bk_cms_failure_details_decode (xml, strlen (xml));
  const BkCmsFailure *f;
  g_autofree char *sentence = NULL;

  g_assert_nonnull (failures);
  g_assert_cmpuint (failures->len, ==, 2);
  f = g_ptr_array_index (failures, 0);
  g_assert_cmpstr (f->reason, ==, "parameterError");
  g_assert_cmpstr (f->parameter, ==, "streamUrl");
  g_assert_cmpstr (f->value, ==, "invalidValue");
  f = g_ptr_array_index (failures, 1);
  g_assert_cmpstr (f->reason, ==, "duplicateCoSpaceUri");
  g_assert_null (f->parameter);

  g_assert_null (bk_cms_failure_details_decode ("<status/>", 9));
  g_assert_null (bk_cms_failure_details_decode ("garbage", 7));

  sentence = bk_cms_failure_describe ("parameterError", "streamUrl", "invalidValue");
  g_assert_nonnull (strstr (sentence, "streamUrl"));
  g_clear_pointer (&sentence, g_free);
  sentence = bk_cms_failure_describe ("duplicateCoSpaceUri", NULL, NULL);
  g_assert_nonnull (strstr (sentence, "URI"));
  g_clear_pointer (&sentence, g_free);
  sentence = bk_cms_failure_describe ("unrecognisedObject", NULL, NULL);
  g_assert_cmpstr (sentence, !=, "");
  g_clear_pointer (&sentence, g_free);
  sentence = bk_cms_failure_describe ("ivrDoesNotExist", NULL, NULL);
  g_assert_nonnull (strstr (sentence, "ivrDoesNotExist"));
}

static void
test_masking (void)
{
  g_autofree char *form = bk_cms_mask_form ("nonMemberAccess=true&passcode=1234&name=A+B&secret=86db&regenerateSecret=true&lobbyPasscode=9&userPassword=x");
  g_autofree char *xml = bk_cms_mask_xml ("<coSpace><passcode>1234</passcode><secret>V_di</secret><Password a=\"1\">pw</Password><name>secretive</name></coSpace>", -1);

  g_assert_cmpstr (form, ==, "nonMemberAccess=true&passcode=*****&name=A+B&secret=*****&regenerateSecret=true&lobbyPasscode=*****&userPassword=*****");
  g_assert_cmpstr (xml, ==, "<coSpace><passcode>*****</passcode><secret>*****</secret><Password a=\"1\">*****</Password><name>secretive</name></coSpace>");
}

static void
test_fingerprint_format (void)
{
  g_autofree char *s = bk_cms_format_fingerprint ("ab01ff");
  g_assert_cmpstr (s, ==, "AB:01:FF");
}

static void
test_kinds (void)
{
  for (guint k = 0; k < BK_CMS_N_KINDS; k++)
    {
      g_assert_true (G_TYPE_IS_BOXED (bk_cms_kind_get_record_type (k)));
      g_assert_nonnull (bk_cms_kind_get_item_element (k));
      g_assert_nonnull (bk_cms_kind_get_free_func (k));
    }
  g_assert_null (bk_cms_kind_get_list_element (BK_CMS_KIND_SYSTEM_STATUS));
  g_assert_cmpstr (bk_cms_kind_get_list_element (BK_CMS_KIND_BULK_SYNC), ==, "cospaceBulkSyncs");
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/cms/records/status-valid", test_status_valid);
  g_test_add_func ("/cms/records/wrong-types", test_wrong_types);
  g_test_add_func ("/cms/records/empty-elements", test_empty_elements);
  g_test_add_func ("/cms/records/cospace-list", test_cospace_list);
  g_test_add_func ("/cms/records/cospace-full", test_cospace_full);
  g_test_add_func ("/cms/records/call-leg-nested", test_call_leg_nested);
  g_test_add_func ("/cms/records/other-kinds", test_other_kinds);
  g_test_add_func ("/cms/records/failure-details", test_failure_details);
  g_test_add_func ("/cms/records/masking", test_masking);
  g_test_add_func ("/cms/records/fingerprint-format", test_fingerprint_format);
  g_test_add_func ("/cms/records/kinds", test_kinds);

  return g_test_run ();
}
