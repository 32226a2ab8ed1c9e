/* test-tickets.c: which tickets a device has, and the ticket filters
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-test-util.h"
#include "bk-tickets.h"

/* The kinds present, as a bit set; each ticket checked for completeness. */
static guint
kinds_of (GListModel *tickets,
          BkDevice   *device)
{
  guint kinds = 0;

  g_assert_true (g_list_model_get_item_type (tickets) == BK_TYPE_TICKET);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) ticket = g_list_model_get_item (tickets, i);

      kinds |= 1u << bk_ticket_get_kind (ticket);
      g_assert_cmpstr (bk_ticket_get_device_id (ticket), ==, bk_device_get_id (device));
      g_assert_nonnull (bk_ticket_get_sentence (ticket));
      g_assert_cmpuint (strlen (bk_ticket_get_sentence (ticket)), >, 30);
      g_assert_nonnull (bk_ticket_get_key (ticket));
      g_assert_nonnull (bk_ticket_get_action_name (ticket));
      g_assert_true (g_str_has_prefix (bk_ticket_get_action_name (ticket), "device."));
      g_assert_nonnull (bk_ticket_get_action_label (ticket));
    }

  return kinds;
}

static guint
compute_kinds (BkDevice             *device,
               const BkTicketInputs *inputs)
{
  g_autoptr(GListModel) tickets = bk_tickets_compute (device, inputs);

  return kinds_of (tickets, device);
}

#define K(kind) (1u << (kind))

static BkDevice *
make_configured_device (void)
{
  BkDevice *device = bk_device_new ("14.80.82.30", 445);

  bk_device_set_name (device, "CMS Core Primary");
  bk_device_set_domain (device, "acanolab2.tkratzke.local");
  bk_device_set_numeric_id_base (device, 1);
  bk_device_set_numeric_id_quantity (device, 5);
  bk_device_set_alternate_address (device, "14.80.82.31");

  return device;
}

static void
test_new_device (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("14.80.82.30", 445);
  g_autoptr(GListModel) tickets = NULL;
  g_autoptr(BkTicket) first = NULL;

  /* TMS: a new CMS shows two warnings, no system name and no extended settings. */
  tickets = bk_tickets_compute (device, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (tickets), ==, 2);
  g_assert_cmpuint (kinds_of (tickets, device), ==,
                    K (BK_TICKET_KIND_MISSING_SYSTEM_NAME) | K (BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS));

  first = g_list_model_get_item (tickets, 0);
  g_assert_cmpint (bk_ticket_get_kind (first), ==, BK_TICKET_KIND_MISSING_SYSTEM_NAME);
  g_assert_cmpint (bk_ticket_get_severity (first), ==, BK_TICKET_SEVERITY_WARNING);
  g_assert_cmpstr (bk_ticket_get_action_name (first), ==, BK_TICKET_ACTION_EDIT_SETTINGS);
  g_assert_nonnull (strstr (bk_ticket_get_sentence (first), "14.80.82.30"));
  g_assert_null (bk_ticket_get_alarm_type (first));

  /* Setting the name removes the first; the extended settings the second. */
  bk_device_set_name (device, "CMS Core Primary");
  g_assert_cmpuint (compute_kinds (device, NULL), ==, K (BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS));

  bk_device_set_domain (device, "acanolab2.tkratzke.local");
  bk_device_set_numeric_id_base (device, 1);
  g_assert_cmpuint (compute_kinds (device, NULL), ==, K (BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS));
  bk_device_set_numeric_id_quantity (device, 5);
  g_assert_cmpuint (compute_kinds (device, NULL), ==, 0);
  bk_device_set_domain (device, "");
  g_assert_cmpuint (compute_kinds (device, NULL), ==, K (BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS));
}

static void
test_inputs (void)
{
  g_autoptr(BkDevice) device = make_configured_device ();
  BkTicketInputs inputs = { 0 };
  g_autoptr(GListModel) tickets = NULL;

  g_assert_cmpuint (compute_kinds (device, &inputs), ==, 0);

  inputs.n_slots_missing = 2;
  g_assert_cmpuint (compute_kinds (device, &inputs), ==, K (BK_TICKET_KIND_SLOTS_MISSING));
  inputs.n_slots_changed = 1;
  g_assert_cmpuint (compute_kinds (device, &inputs), ==,
                    K (BK_TICKET_KIND_SLOTS_MISSING) | K (BK_TICKET_KIND_SLOTS_CHANGED));
  inputs.n_slots_missing = 0;
  g_assert_cmpuint (compute_kinds (device, &inputs), ==, K (BK_TICKET_KIND_SLOTS_CHANGED));

  tickets = bk_tickets_compute (device, &inputs);
  {
    g_autoptr(BkTicket) ticket = g_list_model_get_item (tickets, 0);

    g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_REPAIR_SLOTS);
    g_assert_cmpstr (bk_ticket_get_action_label (ticket), ==, "Repair");
    g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "1 meeting space"));
  }
  inputs.n_slots_changed = 0;

  inputs.primary_unreachable = TRUE;
  inputs.primary_detail = "Connection refused";
  g_clear_object (&tickets);
  tickets = bk_tickets_compute (device, &inputs);
  g_assert_cmpuint (kinds_of (tickets, device), ==, K (BK_TICKET_KIND_PRIMARY_UNREACHABLE));
  {
    g_autoptr(BkTicket) ticket = g_list_model_get_item (tickets, 0);

    g_assert_cmpint (bk_ticket_get_severity (ticket), ==, BK_TICKET_SEVERITY_ERROR);
    g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "Connection refused"));
    g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "CMS Core Primary"));
    g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_CHECK_NOW);
  }
  inputs.primary_unreachable = FALSE;

  inputs.alternate_unreachable = TRUE;
  g_clear_object (&tickets);
  tickets = bk_tickets_compute (device, &inputs);
  g_assert_cmpuint (kinds_of (tickets, device), ==, K (BK_TICKET_KIND_ALTERNATE_UNREACHABLE));
  {
    g_autoptr(BkTicket) ticket = g_list_model_get_item (tickets, 0);

    g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "14.80.82.31"));
    g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_EDIT_ALTERNATE);
  }
  inputs.alternate_unreachable = FALSE;
  g_assert_cmpuint (compute_kinds (device, &inputs), ==, 0);
}

static void
test_alarms (void)
{
  g_autoptr(BkDevice) device = make_configured_device ();
  const BkTicketAlarm alarms[] = {
    { "a79174b7-15f1-413c-8d44-ff779cbb5e6d", "cdrConnectionFailure", NULL },
    { "b1", "databaseConnectionError", "connectFailure" },
    { NULL, "someFutureAlarm", NULL },
  };
  BkTicketInputs inputs = { 0 };
  g_autoptr(GListModel) tickets = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *generic = NULL;
  g_autofree char *known = NULL;

  inputs.alarms = alarms;
  inputs.n_alarms = G_N_ELEMENTS (alarms);
  tickets = bk_tickets_compute (device, &inputs);

  /* One ticket per alarm. */
  g_assert_cmpuint (g_list_model_get_n_items (tickets), ==, 3);
  g_assert_cmpuint (kinds_of (tickets, device), ==, K (BK_TICKET_KIND_CMS_ALARM));

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(BkTicket) ticket = g_list_model_get_item (tickets, i);
      const char *type = bk_ticket_get_alarm_type (ticket);

      g_assert_true (g_hash_table_add (keys, g_strdup (bk_ticket_get_key (ticket))));
      g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_SHOW_ALARMS);

      if (g_str_equal (type, "databaseConnectionError"))
        {
          /* Errors sort first; the cause is spelled out. */
          g_assert_cmpuint (i, ==, 0);
          g_assert_cmpint (bk_ticket_get_severity (ticket), ==, BK_TICKET_SEVERITY_ERROR);
          g_assert_cmpstr (bk_ticket_get_key (ticket), ==, "cms-alarm:b1");
          g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "database"));
          g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "connection could not be established"));
        }
      else if (g_str_equal (type, "cdrConnectionFailure"))
        {
          g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "call detail record"));
          g_assert_cmpstr (bk_ticket_get_key (ticket), ==, "cms-alarm:a79174b7-15f1-413c-8d44-ff779cbb5e6d");
        }
      else
        {
          g_assert_cmpstr (type, ==, "someFutureAlarm");
          g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "someFutureAlarm"));
          g_assert_cmpstr (bk_ticket_get_key (ticket), ==, "cms-alarm:someFutureAlarm");
        }
    }

  /* Every alarm type of the API reference has its own sentence. */
  generic = bk_tickets_dup_alarm_sentence ("noSuchAlarm", NULL);
  {
    static const char *types[] = {
      "callBrandingResourceInvalid", "callBridgeConnectionFailure", "callDistributionFailure",
      "cdrConnectionFailure", "c2wConnectionFailure", "databaseClusternodeOutofSync",
      "databaseConnectionError", "guestAccountConnectionFailure", "ivrBrandingResourceInvalid",
      "recorderLowDiskSpace", "recorderUnavailable", "turnServerUnavailable",
      "webBridgeArchivePushFailure", "webBridgeArchiveRetrievalFailure",
      "webBridgeBackgroundImagePushFailure", "webBridgeBackgroundImageRetrievalFailure",
      "webBridgeLoginLogoImagePushFailure", "webBridgeLoginLogoImageRetrievalFailure",
      "xmppAuthenticationRegistrationFailure", "xmppRegistrationFailure",
    };
    g_autoptr(GHashTable) sentences = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
      {
        char *sentence = bk_tickets_dup_alarm_sentence (types[i], NULL);

        g_assert_null (strstr (sentence, types[i]));
        g_assert_true (g_hash_table_add (sentences, sentence));
      }
    g_assert_false (g_hash_table_contains (sentences, generic));
  }

  /* Unknown failure reasons add nothing. */
  known = bk_tickets_dup_alarm_sentence ("cdrConnectionFailure", "notAReason");
  {
    g_autofree char *plain = bk_tickets_dup_alarm_sentence ("cdrConnectionFailure", NULL);

    g_assert_cmpstr (known, ==, plain);
  }

  /* No alarms, no tickets. */
  inputs.n_alarms = 0;
  g_assert_cmpuint (compute_kinds (device, &inputs), ==, 0);
}

static void
test_filters (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("14.80.82.30", 445);
  const BkTicketAlarm alarm = { "x", "recorderUnavailable", NULL };
  BkTicketInputs inputs = {
    .primary_unreachable = TRUE,
    .alternate_unreachable = TRUE,
    .n_slots_missing = 1,
    .n_slots_changed = 1,
    .alarms = &alarm,
    .n_alarms = 1,
  };
  guint all = 0;

  for (guint kind = BK_TICKET_KIND_MISSING_SYSTEM_NAME; kind <= BK_TICKET_KIND_CMS_ALARM; kind++)
    all |= K (kind);

  g_assert_cmpuint (compute_kinds (device, &inputs), ==, all);

  /* Each filter hides exactly its own kind. */
  for (guint kind = BK_TICKET_KIND_MISSING_SYSTEM_NAME; kind <= BK_TICKET_KIND_CMS_ALARM; kind++)
    {
      bk_device_set_ticket_filters (device, BK_TICKET_FILTER_FOR_KIND (kind));
      g_assert_cmpuint (compute_kinds (device, &inputs), ==, all & ~K (kind));
    }

  bk_device_set_ticket_filters (device, BK_TICKET_FILTER_MISSING_SYSTEM_NAME | BK_TICKET_FILTER_CMS_ALARM);
  g_assert_cmpuint (compute_kinds (device, &inputs), ==,
                    all & ~(K (BK_TICKET_KIND_MISSING_SYSTEM_NAME) | K (BK_TICKET_KIND_CMS_ALARM)));

  bk_device_set_ticket_filters (device, BK_TICKET_FILTER_NONE);
  g_assert_cmpuint (compute_kinds (device, &inputs), ==, all);
}

static void
test_order (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("14.80.82.30", 445);
  BkTicketInputs inputs = { .primary_unreachable = TRUE, .n_slots_changed = 3 };
  g_autoptr(GListModel) tickets = bk_tickets_compute (device, &inputs);
  BkTicketSeverity previous = BK_TICKET_SEVERITY_ERROR;

  g_assert_cmpuint (g_list_model_get_n_items (tickets), ==, 4);
  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) ticket = g_list_model_get_item (tickets, i);

      g_assert_cmpint (bk_ticket_get_severity (ticket), <=, previous);
      previous = bk_ticket_get_severity (ticket);
    }
}

/* A listed device whose set-up stopped half-way: one calm ticket that
 * leads back into the set-up, not an alarming "has no name". */
static void
test_setup_not_finished (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("127.0.0.1", 4431);
  BkTicketInputs inputs = { .primary_unreachable = TRUE };
  g_autoptr(GListModel) tickets = NULL;
  g_autoptr(BkTicket) ticket = NULL;

  for (BkOnboardingStage stage = BK_ONBOARDING_STAGE_CONNECTED; stage < BK_ONBOARDING_STAGE_COMPLETE; stage++)
    {
      bk_device_set_onboarding_stage (device, stage);
      g_assert_cmpuint (compute_kinds (device, NULL), ==, K (BK_TICKET_KIND_SETUP_NOT_FINISHED));
    }

  bk_device_set_onboarding_stage (device, BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED);
  tickets = bk_tickets_compute (device, NULL);
  ticket = g_list_model_get_item (tickets, 0);
  g_assert_cmpint (bk_ticket_get_severity (ticket), ==, BK_TICKET_SEVERITY_INFO);
  g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_CONTINUE_SETUP);
  g_assert_cmpstr (bk_ticket_get_key (ticket), ==, "setup-not-finished");
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "127.0.0.1"));
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "not finished"));
  g_assert_null (strstr (bk_ticket_get_sentence (ticket), "no system name"));

  /* Named already (the range step failed): still the same one ticket. */
  bk_device_set_name (device, "CMS Core");
  g_assert_cmpuint (compute_kinds (device, NULL), ==, K (BK_TICKET_KIND_SETUP_NOT_FINISHED));
  /* Real problems still show; the filters cannot hide the set-up. */
  g_assert_cmpuint (compute_kinds (device, &inputs), ==,
                    K (BK_TICKET_KIND_SETUP_NOT_FINISHED) | K (BK_TICKET_KIND_PRIMARY_UNREACHABLE));
  bk_device_set_ticket_filters (device, BK_TICKET_FILTER_MISSING_SYSTEM_NAME | BK_TICKET_FILTER_MISSING_EXTENDED_SETTINGS);
  g_assert_cmpuint (compute_kinds (device, NULL), ==, K (BK_TICKET_KIND_SETUP_NOT_FINISHED));

  /* Finished: the ticket goes. */
  bk_device_set_ticket_filters (device, BK_TICKET_FILTER_NONE);
  bk_device_set_onboarding_stage (device, BK_ONBOARDING_STAGE_COMPLETE);
  g_assert_cmpuint (compute_kinds (device, NULL), ==, K (BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS));
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/core/tickets/new-device", test_new_device);
  g_test_add_func ("/core/tickets/inputs", test_inputs);
  g_test_add_func ("/core/tickets/alarms", test_alarms);
  g_test_add_func ("/core/tickets/filters", test_filters);
  g_test_add_func ("/core/tickets/order", test_order);
  g_test_add_func ("/core/tickets/setup-not-finished", test_setup_not_finished);

  return g_test_run ();
}
