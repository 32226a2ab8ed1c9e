/* test-device.c: BkDevice helpers and the form validation functions
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bk-device.h"
#include "bk-test-util.h"
#include "bk-validate.h"

static void
assert_address (const char *text,
                const char *host,
                guint       port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out_host = NULL;
  guint out_port = 0;

  if (!bk_validate_address (text, &out_host, &out_port, &error))
    g_error ("“%s” was refused: %s", text, error->message);
  g_assert_no_error (error);
  g_assert_cmpstr (out_host, ==, host);
  g_assert_cmpuint (out_port, ==, port);
}

static void
assert_bad_address (const char *text,
                    int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out_host = NULL;
  guint out_port = 12345;

  if (bk_validate_address (text, &out_host, &out_port, &error))
    g_error ("“%s” was accepted as %s:%u", text, out_host, out_port);
  g_assert_error (error, BK_VALIDATE_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_assert_null (out_host);
  g_assert_cmpuint (out_port, ==, 12345);
}

static void
test_validate_address (void)
{
  assert_address ("cms.example.com", "cms.example.com", 443);
  assert_address ("  CMS.Example.COM  ", "cms.example.com", 443);
  assert_address ("cms1", "cms1", 443);
  assert_address ("cms.example.com:445", "cms.example.com", 445);
  assert_address ("14.80.82.30", "14.80.82.30", 443);
  assert_address ("14.80.82.30:445", "14.80.82.30", 445);
  assert_address ("192.0.2.1:65535", "192.0.2.1", 65535);
  assert_address ("192.0.2.1:1", "192.0.2.1", 1);
  assert_address ("[2001:db8::1]", "2001:db8::1", 443);
  assert_address ("[2001:DB8:0:0::1]:445", "2001:db8::1", 445);
  assert_address ("2001:db8::10", "2001:db8::10", 443);
  assert_address ("::1", "::1", 443);
  assert_address ("https://cms.example.com:8443/", "cms.example.com", 8443);
  assert_address ("HTTPS://10.0.0.1/api/v1", "10.0.0.1", 443);
  assert_address ("a-b.c-d.example", "a-b.c-d.example", 443);

  assert_bad_address ("", BK_VALIDATE_ERROR_EMPTY);
  assert_bad_address ("   ", BK_VALIDATE_ERROR_EMPTY);
  assert_bad_address (NULL, BK_VALIDATE_ERROR_EMPTY);
  assert_bad_address ("https://", BK_VALIDATE_ERROR_EMPTY);
  assert_bad_address ("cms.example.com:0", BK_VALIDATE_ERROR_PORT);
  assert_bad_address ("cms.example.com:65536", BK_VALIDATE_ERROR_PORT);
  assert_bad_address ("cms.example.com:", BK_VALIDATE_ERROR_PORT);
  assert_bad_address ("cms.example.com:44a", BK_VALIDATE_ERROR_PORT);
  assert_bad_address ("cms.example.com:-1", BK_VALIDATE_ERROR_PORT);
  assert_bad_address ("cms.example.com:000000443", BK_VALIDATE_ERROR_PORT);
  assert_bad_address ("256.1.1.1", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("1.2.3", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("1.2.3.4.5", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("cms_1.example.com", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("-cms.example.com", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("cms-.example.com", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("cms..example.com", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("cms example.com", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("[2001:db8::1", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("[cms.example.com]", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("[2001:db8::1]x", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("[2001:db8::1]:99999", BK_VALIDATE_ERROR_PORT);
  assert_bad_address ("2001:db8::zz", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("http://cms.example.com", BK_VALIDATE_ERROR_ADDRESS);
  assert_bad_address ("ftp://cms.example.com", BK_VALIDATE_ERROR_ADDRESS);
}

static void
assert_domain (const char *text,
               gboolean    good)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = bk_validate_domain (text, &error);

  if (ok != good)
    g_error ("domain “%s”: expected %s, got %s (%s)", text,
             good ? "valid" : "invalid", ok ? "valid" : "invalid",
             error != NULL ? error->message : "");
  if (!good)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == BK_VALIDATE_ERROR);
      g_assert_cmpuint (strlen (error->message), >, 20);
    }
  else
    g_assert_no_error (error);
}

static void
test_validate_domain (void)
{
  g_autofree char *label63 = g_strnfill (63, 'a');
  g_autofree char *label64 = g_strnfill (64, 'a');
  g_autofree char *ok63 = g_strconcat (label63, ".example.com", NULL);
  g_autofree char *bad64 = g_strconcat (label64, ".example.com", NULL);
  g_autofree char *total253 = NULL;
  g_autofree char *total254 = NULL;

  /* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 */
  total253 = g_strdup_printf ("%s.%s.%s.%.61s", label63, label63, label63, label63);
  total254 = g_strdup_printf ("%s.%s.%s.%.62s", label63, label63, label63, label63);
  g_assert_cmpuint (strlen (total253), ==, 253);
  g_assert_cmpuint (strlen (total254), ==, 254);

  assert_domain ("acanolab2.tkratzke.local", TRUE);
  assert_domain ("video.example.com", TRUE);
  assert_domain ("example", TRUE);
  assert_domain ("1example.com", TRUE);
  assert_domain ("x-1.example.c0m", TRUE);
  assert_domain (ok63, TRUE);
  assert_domain (total253, TRUE);

  assert_domain ("", FALSE);
  assert_domain (NULL, FALSE);
  assert_domain (bad64, FALSE);
  assert_domain (total254, FALSE);
  assert_domain ("example.123", FALSE);
  assert_domain ("10.0.0.1", FALSE);
  assert_domain ("-example.com", FALSE);
  assert_domain ("example-.com", FALSE);
  assert_domain ("exa mple.com", FALSE);
  assert_domain ("exa_mple.com", FALSE);
  assert_domain ("example.com.", FALSE);
  assert_domain (".example.com", FALSE);
  assert_domain ("example..com", FALSE);
  assert_domain ("user@example.com", FALSE);
}

static void
assert_range (guint64  base,
              guint64  quantity,
              gboolean good)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = bk_validate_numeric_range (base, quantity, &error);

  if (ok != good)
    g_error ("range %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT ": expected %s (%s)",
             base, quantity, good ? "valid" : "invalid", error != NULL ? error->message : "");
  if (!good)
    {
      g_assert_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_RANGE);
      g_assert_cmpuint (strlen (error->message), >, 20);
    }
}

static void
test_validate_range (void)
{
  assert_range (1, 5, TRUE);
  assert_range (80991000, 1999, TRUE);
  assert_range (1, BK_NUMERIC_ID_QUANTITY_MAX, TRUE);
  assert_range (BK_NUMERIC_ID_MAX, 1, TRUE);
  assert_range (BK_NUMERIC_ID_MAX - 9, 10, TRUE);

  assert_range (0, 5, FALSE);
  assert_range (1, 0, FALSE);
  assert_range (1, BK_NUMERIC_ID_QUANTITY_MAX + 1, FALSE);
  assert_range (BK_NUMERIC_ID_MAX - 9, 11, FALSE);
  assert_range (BK_NUMERIC_ID_MAX + 1, 1, FALSE);
  assert_range (G_MAXUINT64, 1, FALSE);
  assert_range (G_MAXUINT64 - 1, 5, FALSE);
}

static void
test_normalize_host (void)
{
  g_autofree char *a = bk_normalize_host ("CMS.Example.com.");
  g_autofree char *b = bk_normalize_host ("[2001:DB8:0::1]");
  g_autofree char *c = bk_normalize_host ("not a host");

  g_assert_cmpstr (a, ==, "cms.example.com");
  g_assert_cmpstr (b, ==, "2001:db8::1");
  g_assert_null (c);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_device_defaults (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 0);
  g_autoptr(BkDevice) other = bk_device_new ("cms.example.com", 445);

  g_assert_true (g_uuid_string_is_valid (bk_device_get_id (device)));
  g_assert_cmpstr (bk_device_get_id (device), !=, bk_device_get_id (other));
  g_assert_cmpuint (bk_device_get_port (device), ==, 443);
  g_assert_cmpuint (bk_device_get_port (other), ==, 445);
  g_assert_cmpstr (bk_device_get_name (device), ==, "");
  g_assert_cmpstr (bk_device_get_domain (device), ==, "");
  g_assert_true (bk_device_get_allow_booking (device));
  g_assert_true (bk_device_get_allow_incoming_sip_uri_dialing (device));
  g_assert_true (bk_device_get_allow_outgoing_sip_uri_dialing (device));
  g_assert_false (bk_device_get_alert_contact_when_booked (device));
  g_assert_cmpuint (bk_device_get_access_levels (device), ==, BK_ACCESS_LEVEL_ALL);
  g_assert_cmpuint (bk_device_get_ticket_filters (device), ==, BK_TICKET_FILTER_NONE);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_NEW);
  g_assert_cmpint (bk_device_get_reachability (device), ==, BK_REACHABILITY_UNKNOWN);
  g_assert_cmpuint (bk_device_get_numeric_id_quantity (device), ==, 0);
  g_assert_null (bk_device_get_last_checked (device));
  g_assert_nonnull (bk_device_get_cluster_members (device));
  g_assert_cmpuint (bk_device_get_cluster_members (device)->len, ==, 0);
  g_assert_false (bk_device_has_extended_settings (device));
  g_assert_false (bk_device_has_alternate (device));
}

static void
test_device_notify (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 26, 4, 0, 0);
  guint name_count = 0, display_count = 0, members_count = 0, port_count = 0, checked_count = 0;

  g_signal_connect (device, "notify::name", G_CALLBACK (count_notify_cb), &name_count);
  g_signal_connect (device, "notify::display-name", G_CALLBACK (count_notify_cb), &display_count);
  g_signal_connect (device, "notify::cluster-members", G_CALLBACK (count_notify_cb), &members_count);
  g_signal_connect (device, "notify::port", G_CALLBACK (count_notify_cb), &port_count);
  g_signal_connect (device, "notify::last-checked", G_CALLBACK (count_notify_cb), &checked_count);

  bk_device_set_name (device, "CMS Core");
  bk_device_set_name (device, "CMS Core");
  g_assert_cmpuint (name_count, ==, 1);
  g_assert_cmpuint (display_count, ==, 1);
  g_object_set (device, "name", "CMS Edge", NULL);
  g_assert_cmpuint (name_count, ==, 2);

  bk_device_set_port (device, 445);
  bk_device_set_port (device, 445);
  g_assert_cmpuint (port_count, ==, 1);

  g_ptr_array_add (members, bk_cluster_member_new ("a", "Core1", "https://14.80.82.30"));
  bk_device_set_cluster_members (device, members);
  bk_device_set_cluster_members (device, members);
  g_assert_cmpuint (members_count, ==, 1);
  g_assert_true (bk_device_get_cluster_members (device) != members);

  bk_device_set_last_checked (device, when);
  bk_device_set_last_checked (device, when);
  g_assert_cmpuint (checked_count, ==, 1);
  bk_device_set_last_checked (device, NULL);
  g_assert_cmpuint (checked_count, ==, 2);
}

static void
assert_format (const char      *host,
               guint            port,
               BkAddressFormat  flags,
               const char      *want)
{
  g_autofree char *got = bk_format_address (host, port, flags);

  g_assert_cmpstr (got, ==, want);
}

/* The one address formatter: every place that writes an address uses it. */
static void
test_format_address (void)
{
  const BkAddressFormat omit = BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT;

  assert_format ("cms.example.com", 443, BK_ADDRESS_FORMAT_DEFAULT, "cms.example.com:443");
  assert_format ("cms.example.com", 443, omit, "cms.example.com");
  assert_format ("cms.example.com", 445, omit, "cms.example.com:445");
  assert_format ("cms.example.com", 0, omit, "cms.example.com");
  assert_format ("cms.example.com", 0, BK_ADDRESS_FORMAT_DEFAULT, "cms.example.com:443");
  assert_format ("14.80.82.30", 8443, BK_ADDRESS_FORMAT_DEFAULT, "14.80.82.30:8443");
  assert_format ("2001:db8::1", 443, omit, "2001:db8::1");
  assert_format ("2001:db8::1", 445, omit, "[2001:db8::1]:445");
  assert_format ("2001:db8::1", 443, BK_ADDRESS_FORMAT_DEFAULT, "[2001:db8::1]:443");
  assert_format ("[2001:db8::1]", 445, BK_ADDRESS_FORMAT_DEFAULT, "[2001:db8::1]:445");
  assert_format ("[2001:db8::1]", 443, omit, "2001:db8::1");
  assert_format ("cms.example.com", 443, BK_ADDRESS_FORMAT_URL, "https://cms.example.com:443");
  assert_format ("cms.example.com", 443, BK_ADDRESS_FORMAT_URL | omit, "https://cms.example.com");
  assert_format ("2001:db8::1", 445, BK_ADDRESS_FORMAT_URL, "https://[2001:db8::1]:445");
  assert_format ("2001:db8::1", 443, BK_ADDRESS_FORMAT_URL | omit, "https://[2001:db8::1]");

  /* What it writes is read back as the same host and port. */
  {
    const char *hosts[] = { "cms.example.com", "14.80.82.30", "2001:db8::1", "::1" };
    const guint ports[] = { 443, 445, 1, 65535 };

    for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
      for (guint j = 0; j < G_N_ELEMENTS (ports); j++)
        for (guint f = 0; f < 4; f++)
          {
            g_autofree char *text = bk_format_address (hosts[i], ports[j], f);

            assert_address (text, hosts[i], ports[j]);
          }
  }
}

static void
test_device_helpers (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("14.80.82.30", 445);
  g_autoptr(BkDevice) v6 = bk_device_new ("2001:db8::1", 443);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  g_autofree char *url = NULL;
  g_autofree char *url6 = NULL;
  g_autofree char *key = NULL;
  g_autofree char *alt_url = NULL;
  g_autofree char *name0 = NULL;
  g_autofree char *name4 = NULL;
  g_autofree char *name5 = NULL;
  g_autofree char *uri0 = NULL;
  g_autofree char *uri4 = NULL;
  guint64 number = 0;

  g_assert_cmpstr (bk_device_get_display_name (device), ==, "14.80.82.30");
  bk_device_set_name (device, "CMS Core Primary");
  g_assert_cmpstr (bk_device_get_display_name (device), ==, "CMS Core Primary");

  url = bk_device_dup_base_url (device);
  url6 = bk_device_dup_base_url (v6);
  key = bk_device_dup_address_key (v6);
  g_assert_cmpstr (url, ==, "https://14.80.82.30:445");
  g_assert_cmpstr (url6, ==, "https://[2001:db8::1]:443");
  /* The key writes IPv6 as everything else does: "2001:db8::1:443" could
   * be read as the address 2001:db8::1:443 itself. */
  g_assert_cmpstr (key, ==, "[2001:db8::1]:443");

  /* Slots need the extended settings. */
  g_assert_null (bk_device_get_slot_name (device, 0));
  g_assert_cmpuint (bk_device_get_slot_end (device), ==, 0);

  bk_device_set_domain (device, "acanolab2.tkratzke.local");
  bk_device_set_numeric_id_base (device, 1);
  bk_device_set_numeric_id_quantity (device, 5);
  g_assert_true (bk_device_has_extended_settings (device));

  name0 = bk_device_get_slot_name (device, 0);
  name4 = bk_device_get_slot_name (device, 4);
  name5 = bk_device_get_slot_name (device, 5);
  uri0 = bk_device_get_slot_uri (device, 0);
  uri4 = bk_device_get_slot_uri (device, 4);
  g_assert_cmpstr (name0, ==, "TMS_Scheduled_Meeting_1");
  g_assert_cmpstr (name4, ==, "TMS_Scheduled_Meeting_5");
  g_assert_null (name5);
  g_assert_cmpstr (uri0, ==, "1@acanolab2.tkratzke.local");
  g_assert_cmpstr (uri4, ==, "5@acanolab2.tkratzke.local");
  g_assert_cmpuint (bk_device_get_slot_end (device), ==, 5);
  g_assert_cmpuint (bk_device_get_slot_number (device, 2), ==, 3);

  bk_device_set_numeric_id_base (device, 80991000);
  bk_device_set_numeric_id_quantity (device, 1999);
  g_assert_cmpuint (bk_device_get_slot_end (device), ==, 80992998);

  g_assert_true (bk_slot_number_from_name ("TMS_Scheduled_Meeting_80991000", &number));
  g_assert_cmpuint (number, ==, 80991000);
  g_assert_false (bk_slot_number_from_name ("TMS_Scheduled_Meeting_", NULL));
  g_assert_false (bk_slot_number_from_name ("TMS_Scheduled_Meeting_01", NULL));
  g_assert_false (bk_slot_number_from_name ("TMS_Scheduled_Meeting_1x", NULL));
  g_assert_false (bk_slot_number_from_name ("Cool Bridge Space", NULL));
  g_assert_false (bk_slot_number_from_name (NULL, NULL));

  /* Cluster members and the alternate. */
  g_ptr_array_add (members, bk_cluster_member_new ("0e3758db", "CallBridge-Core1", "https://14.80.82.30"));
  g_ptr_array_add (members, bk_cluster_member_new ("cfe31846", "CallBridge-Core2", "https://14.80.82.31:8443"));
  bk_device_set_cluster_members (device, members);
  g_assert_cmpstr (bk_device_find_cluster_member (device, "cfe31846")->name, ==, "CallBridge-Core2");
  g_assert_cmpstr (bk_device_find_cluster_member (device, "14.80.82.31")->id, ==, "cfe31846");
  g_assert_null (bk_device_find_cluster_member (device, "14.80.82.32"));

  g_assert_null (bk_device_dup_alternate_base_url (device));
  bk_device_set_alternate_member_id (device, "cfe31846");
  bk_device_set_alternate_address (device, "14.80.82.31:445");
  g_assert_true (bk_device_has_alternate (device));
  alt_url = bk_device_dup_alternate_base_url (device);
  g_assert_cmpstr (alt_url, ==, "https://14.80.82.31:445");

  /* The pin is kept as lower-case hex without colons. */
  bk_device_set_certificate_pin (device, "AB:CD:EF:01");
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, "abcdef01");
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/core/validate/address", test_validate_address);
  g_test_add_func ("/core/validate/domain", test_validate_domain);
  g_test_add_func ("/core/validate/numeric-range", test_validate_range);
  g_test_add_func ("/core/validate/normalize-host", test_normalize_host);
  g_test_add_func ("/core/validate/format-address", test_format_address);
  g_test_add_func ("/core/device/defaults", test_device_defaults);
  g_test_add_func ("/core/device/notify", test_device_notify);
  g_test_add_func ("/core/device/helpers", test_device_helpers);

  return g_test_run ();
}
