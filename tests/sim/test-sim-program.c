/* test-sim-program.c: the bridgekeeper-cms-sim program as a subprocess:
 * --help, the ready file, start-up options, SIGTERM
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "bk-test-util.h"
#include "sim-test-util.h"

static const char *
program (void)
{
  const char *path = g_getenv ("BK_SIM_PROGRAM");

  g_assert_nonnull (path);
  return path;
}

static void
test_help (void)
{
  const char *argv[] = { program (), "--help", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "Control interface"));
  g_assert_nonnull (strstr (out, "/nodes/N/down"));
  g_assert_nonnull (strstr (out, "--ready-file"));
  g_assert_nonnull (strstr (out, "certificateSha256"));
  g_assert_nonnull (strstr (out, "bridgekeeper-demo"));
  g_assert_nonnull (strstr (out, "--no-tls"));
  g_assert_nonnull (strstr (out, "--fault"));
  g_assert_nonnull (strstr (out, "Examples:"));
  g_assert_nonnull (strstr (out, "--per-node-certificates"));
  g_assert_nonnull (strstr (out, "--node-user"));
  g_assert_nonnull (strstr (out, "--node-cert"));
  g_assert_nonnull (strstr (out, "--failing"));
  g_assert_nonnull (strstr (out, "--bulk-sync-rate"));
  g_assert_nonnull (strstr (out, "/nodes/N/credentials"));
  g_assert_nonnull (strstr (out, "/nodes/N/certificate"));
  g_assert_nonnull (strstr (out, "invalidVersion"));
}

static void
test_bad_option (void)
{
  const char *argv[] = { program (), "--nodes", "0", NULL };
  const char *argv2[] = { program (), "--fault", "explode", NULL };
  const char *bad_node[] = { program (), "--nodes", "2", "--node-user", "2:x:y", NULL };
  const char *no_password[] = { program (), "--node-user", "1:x", NULL };
  const char *bad_cert[] = { program (), "--node-cert", "0", NULL };
  const char * const *more[] = { bad_node, no_password, bad_cert };
  int status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    {
      g_assert_true (g_spawn_sync (NULL, (char **) more[i], NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                   NULL, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL) == FALSE);
    }

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv2, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  int      status;
} WaitData;

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  WaitData *w = data;

  w->ok = g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  w->status = g_subprocess_get_status (G_SUBPROCESS (source));
  w->done = TRUE;
}

static gboolean
wait_done (gpointer data)
{
  return ((WaitData *) data)->done;
}

static void
child_setup (gpointer data)
{
  /* Never leave a simulator behind when a failed assertion ends the test. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  GSubprocess *proc;

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);

  g_assert_no_error (error);
  return proc;
}

static void
terminate (GSubprocess *proc)
{
  WaitData w = { 0 };

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait_async (proc, NULL, waited_cb, &w);
  sim_wait_until (wait_done, &w, 20000);
  g_assert_true (w.ok);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

static void
test_ready_file (void)
{
  g_autofree char *ready = g_build_filename (bk_test_get_tmpdir (), "ready.json", NULL);
  const char *argv[] = { program (), "--nodes", "3", "--port", "0", "--control-port", "0",
                         "--demo", "--user", "api", "--password", "s3cret-pw",
                         "--ready-file", ready, NULL };
  g_autoptr(GSubprocess) proc = spawn (argv);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = sim_session_new ();
  JsonObject *root;
  JsonArray *nodes;
  const char *sha;

  sim_wait_until (file_exists, ready, 30000);
  g_assert_true (json_parser_load_from_file (parser, ready, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  nodes = json_object_get_array_member (root, "nodes");
  g_assert_cmpuint (json_array_get_length (nodes), ==, 3);
  sha = json_object_get_string_member (root, "certificateSha256");
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{64}$", sha, 0, 0));
  g_assert_cmpstr (json_object_get_string_member (root, "username"), ==, "api");
  g_assert_cmpstr (json_object_get_string_member (root, "password"), ==, "s3cret-pw");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "controlUrl"), "http://127.0.0.1:"));

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      const char *url = json_object_get_string_member (node, "url");
      g_autofree char *status_url = g_strconcat (url, "/api/v1/system/status", NULL);
      g_autofree char *bridges_url = g_strconcat (url, "/api/v1/callBridges", NULL);
      g_autofree char *spaces_url = g_strconcat (url, "/api/v1/coSpaces?filter=cool", NULL);
      g_autofree char *name = g_strdup_printf ("CallBridge-Core%u", i + 1);
      g_autoptr(SimResp) st = NULL;
      g_autoptr(SimResp) br = NULL;
      g_autoptr(SimResp) sp = NULL;
      g_autoptr(SimResp) bad = NULL;
      g_autoptr(xmlDoc) d = NULL;
      g_autoptr(xmlDoc) sd = NULL;
      g_autofree char *total = NULL;
      g_autofree char *cool = NULL;

      g_assert_cmpstr (json_object_get_string_member (node, "name"), ==, name);
      g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
      g_assert_cmpstr (json_object_get_string_member (node, "certificateSha256"), ==, sha);
      /* The pin from the ready file matches the served certificate. */
      st = sim_request_url (session, status_url, "GET", NULL, "api", "s3cret-pw", sha);
      g_assert_no_error (st->error);
      g_assert_cmpuint (st->status, ==, 200);
      bad = sim_request_url (session, status_url, "GET", NULL, "admin", "bridgekeeper-demo", sha);
      g_assert_cmpuint (bad->status, ==, 401);
      br = sim_request_url (session, bridges_url, "GET", NULL, "api", "s3cret-pw", sha);
      d = sim_resp_xml (br);
      total = sim_xpath_string (d, "/callBridges/@total");
      g_assert_cmpstr (total, ==, "3");
      sp = sim_request_url (session, spaces_url, "GET", NULL, "api", "s3cret-pw", sha);
      sd = sim_resp_xml (sp);
      cool = sim_xpath_string (sd, "/coSpaces/coSpace/name");
      g_assert_cmpstr (cool, ==, "Cool Bridge Space");
    }

  terminate (proc);
}

static void
test_options (void)
{
  g_autofree char *ready = g_build_filename (bk_test_get_tmpdir (), "ready-plain.json", NULL);
  g_autofree char *trace = g_build_filename (bk_test_get_tmpdir (), "trace.log", NULL);
  const char *argv[] = { program (), "--nodes", "1", "--no-tls", "--page-cap", "2", "--demo",
                         "--fault", "http-503:GET:/api/v1/system/status::1",
                         "--trace-file", trace, "--ready-file", ready, NULL };
  g_autoptr(GSubprocess) proc = spawn (argv);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SoupSession) session = sim_session_new ();
  g_autoptr(SimResp) r1 = NULL;
  g_autoptr(SimResp) r2 = NULL;
  g_autoptr(SimResp) r3 = NULL;
  g_autoptr(xmlDoc) d = NULL;
  g_autofree char *status_url = NULL;
  g_autofree char *spaces_url = NULL;
  g_autofree char *log = NULL;
  JsonObject *root;
  const char *url;

  sim_wait_until (file_exists, ready, 30000);
  g_assert_true (json_parser_load_from_file (parser, ready, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "tls"));
  g_assert_true (json_object_get_null_member (root, "certificateSha256"));
  url = json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (root, "nodes"), 0), "url");
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  status_url = g_strconcat (url, "/api/v1/system/status", NULL);
  spaces_url = g_strconcat (url, "/api/v1/coSpaces", NULL);
  r1 = sim_request_url (session, status_url, "GET", NULL, "admin", "bridgekeeper-demo", NULL);
  r2 = sim_request_url (session, status_url, "GET", NULL, "admin", "bridgekeeper-demo", NULL);
  r3 = sim_request_url (session, spaces_url, "GET", NULL, "admin", "bridgekeeper-demo", NULL);
  g_assert_cmpuint (r1->status, ==, 503);
  g_assert_cmpuint (r2->status, ==, 200);
  d = sim_resp_xml (r3);
  g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 2);

  terminate (proc);
  g_assert_true (g_file_get_contents (trace, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "API trace 1: GET for \"/api/v1/system/status\""));
  g_assert_nonnull (strstr (log, "API trace 1: sending 503 response, size 0"));
  g_assert_null (strstr (log, "bridgekeeper-demo"));
}

/* --per-node-certificates and --node-user: the ready file gives each node
 * its own fingerprint and user, and each node serves and accepts those. */
static void
test_per_node (void)
{
  g_autofree char *ready = g_build_filename (bk_test_get_tmpdir (), "ready-nodes.json", NULL);
  const char *argv[] = { program (), "--nodes", "3", "--per-node-certificates",
                         "--node-user", "1:cb2-api:pass:with:colons", "--node-user", "2:cb3-api:third",
                         "--ready-file", ready, NULL };
  g_autoptr(GSubprocess) proc = spawn (argv);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *nodes;
  static const char * const users[] = { "admin", "cb2-api", "cb3-api" };
  static const char * const passwords[] = { "bridgekeeper-demo", "pass:with:colons", "third" };

  sim_wait_until (file_exists, ready, 30000);
  g_assert_true (json_parser_load_from_file (parser, ready, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  nodes = json_object_get_array_member (root, "nodes");
  g_assert_cmpstr (json_object_get_string_member (root, "username"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (root, "certificateSha256"), ==,
                   json_object_get_string_member (json_array_get_object_element (nodes, 0), "certificateSha256"));
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      const char *sha = json_object_get_string_member (node, "certificateSha256");
      g_autofree char *url = g_strconcat (json_object_get_string_member (node, "url"), "/api/v1/system/status", NULL);
      g_autoptr(SoupSession) session = sim_session_new ();
      g_autoptr(SoupSession) other = sim_session_new ();
      g_autoptr(SimResp) ok = NULL;
      g_autoptr(SimResp) primary = NULL;
      g_autoptr(SimResp) wrong_pin = NULL;
      const char *other_sha = json_object_get_string_member (json_array_get_object_element (nodes, (i + 1) % 3),
                                                             "certificateSha256");

      g_assert_cmpstr (json_object_get_string_member (node, "username"), ==, users[i]);
      g_assert_cmpstr (json_object_get_string_member (node, "password"), ==, passwords[i]);
      g_assert_cmpstr (sha, !=, other_sha);
      ok = sim_request_url (session, url, "GET", NULL, users[i], passwords[i], sha);
      g_assert_no_error (ok->error);
      g_assert_cmpuint (ok->status, ==, 200);
      primary = sim_request_url (session, url, "GET", NULL, "admin", "bridgekeeper-demo", sha);
      g_assert_cmpuint (primary->status, ==, i == 0 ? 200 : 401);
      wrong_pin = sim_request_url (other, url, "GET", NULL, users[i], passwords[i], other_sha);
      g_assert_error (wrong_pin->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
    }

  terminate (proc);
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/sim/program/help", test_help);
  g_test_add_func ("/sim/program/bad-option", test_bad_option);
  g_test_add_func ("/sim/program/ready-file", test_ready_file);
  g_test_add_func ("/sim/program/options", test_options);
  g_test_add_func ("/sim/program/per-node", test_per_node);

  return g_test_run ();
}
