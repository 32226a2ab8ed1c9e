/* bk-sim-main.c: bridgekeeper-cms-sim, the Cisco Meeting Server simulator
 * program (a command-line front end to BkSimCluster)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimMain"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "bk-sim.h"

static int opt_nodes = 2;
static int opt_port = 0;
static int opt_control_port = -1;
static gboolean opt_no_tls = FALSE;
static char *opt_cert = NULL;
static char *opt_key = NULL;
static char *opt_user = NULL;
static char *opt_password = NULL;
static int opt_page_cap = BK_SIM_DEFAULT_PAGE_CAP;
static int opt_bulk_delay = 500;
static int opt_bulk_rate = BK_SIM_DEFAULT_BULK_SYNC_RATE;
static int opt_leg_delay = 300;
static char *opt_unanswered = NULL;
static char *opt_failing = NULL;
static gboolean opt_per_node_certs = FALSE;
static char **opt_node_users = NULL;
static char **opt_node_certs = NULL;
static gint64 opt_seed = -1;
static gboolean opt_demo = FALSE;
static char *opt_ready_file = NULL;
static char *opt_trace_file = NULL;
static int opt_latency = 0;
static int opt_jitter = 0;
static char **opt_faults = NULL;

static GOptionEntry entries[] = {
  { "nodes", 'n', 0, G_OPTION_ARG_INT, &opt_nodes, N_("Number of call bridges in the cluster (default 2)"), N_("N") },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, N_("Port of the first node; node i listens on PORT+i. 0 (default) picks free ports"), N_("PORT") },
  { "control-port", 0, 0, G_OPTION_ARG_INT, &opt_control_port, N_("Start the control interface on this port (0 = a free port; default: off)"), N_("PORT") },
  { "no-tls", 0, 0, G_OPTION_ARG_NONE, &opt_no_tls, N_("Serve plain HTTP instead of HTTPS"), NULL },
  { "cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_cert, N_("PEM certificate to serve instead of the generated self-signed one"), N_("FILE") },
  { "key", 0, 0, G_OPTION_ARG_FILENAME, &opt_key, N_("PEM private key for --cert (default: the --cert file)"), N_("FILE") },
  { "user", 'u', 0, G_OPTION_ARG_STRING, &opt_user, N_("API user name (default: admin)"), N_("NAME") },
  { "password", 0, 0, G_OPTION_ARG_STRING, &opt_password, N_("API password (default: bridgekeeper-demo)"), N_("PASSWORD") },
  { "node-user", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_node_users, N_("Node N (counted from 0) accepts only this API user (repeatable)"), N_("N:USER:PASSWORD") },
  { "per-node-certificates", 0, 0, G_OPTION_ARG_NONE, &opt_per_node_certs, N_("Give every node a self-signed certificate of its own, as in a real cluster"), NULL },
  { "node-cert", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_node_certs, N_("Node N (counted from 0) serves this PEM certificate and key (repeatable)"), N_("N:CERT[:KEY]") },
  { "page-cap", 0, 0, G_OPTION_ARG_INT, &opt_page_cap, N_("Most items in one collection page (default 10; 0 = no cap)"), N_("N") },
  { "bulk-sync-delay", 0, 0, G_OPTION_ARG_INT, &opt_bulk_delay, N_("Milliseconds a coSpace bulk sync takes (default 500; 0 = at once)"), N_("MS") },
  { "bulk-sync-rate", 0, 0, G_OPTION_ARG_INT, &opt_bulk_rate, N_("Indexes a coSpace bulk sync makes per second beyond half its delay (default 5000; 0 = every range takes the delay)"), N_("N") },
  { "call-leg-delay", 0, 0, G_OPTION_ARG_INT, &opt_leg_delay, N_("Milliseconds an outgoing call leg rings before it connects (default 300)"), N_("MS") },
  { "unanswered", 0, 0, G_OPTION_ARG_STRING, &opt_unanswered, N_("Remote parties matching this glob never answer, e.g. '*@busy.example'"), N_("GLOB") },
  { "failing", 0, 0, G_OPTION_ARG_STRING, &opt_failing, N_("Calls to remote parties matching this glob fail: the call leg rings, then is gone"), N_("GLOB") },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, N_("Seed for ids and fault dice (default: random)"), N_("SEED") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo, N_("Pre-populate demo data: user spaces, profiles, an alarm"), NULL },
  { "ready-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ready_file, N_("Write JSON with node URLs, certificate fingerprint and credentials here once every node listens"), N_("FILE") },
  { "trace-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_trace_file, N_("Append the CMS-style API trace to this file"), N_("FILE") },
  { "latency", 0, 0, G_OPTION_ARG_INT, &opt_latency, N_("Delay every API answer by MS milliseconds"), N_("MS") },
  { "jitter", 0, 0, G_OPTION_ARG_INT, &opt_jitter, N_("Add 0..MS random milliseconds to every delay"), N_("MS") },
  { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_faults, N_("Inject a fault (repeatable): KIND[:METHOD[:PATH[:PROBABILITY[:COUNT]]]]"), N_("RULE") },
  { NULL }
};

static const char description[] = N_(
"bridgekeeper-cms-sim runs a simulated Cisco Meeting Server (CMS) cluster on\n"
"127.0.0.1 for tests, benchmarks and demonstrations. Each node is a call bridge\n"
"serving the CMS REST API under /api/v1 (HTTP Basic authentication, realm\n"
"\"acano\"; form-encoded POST/PUT; XML answers; Location headers; failureDetails\n"
"errors, parameterError for a refused value, invalidVersion for another API\n"
"version; offset/limit paging with a server page cap). The nodes share one\n"
"configuration database (coSpaces, tenants, call and call leg profiles, bulk\n"
"parameter sets, alarms) while calls and call legs live on the node that\n"
"created them.\n"
"\n"
"Objects (names match case-insensitively): system/status, system/alarms,\n"
"system/configuration/cluster, callBridges, tenants, callProfiles,\n"
"callLegProfiles, coSpaces, cospaceBulkParameterSets, cospaceBulkSyncs\n"
"(pending, running, then complete or failed*; a larger range runs longer, see\n"
"--bulk-sync-rate; a range over 100000 indexes fails with\n"
"failedIndexRangeTooGreat), calls, calls/ID/callLegs, calls/ID/participants,\n"
"callLegs (state initial, ringing, then connected after --call-leg-delay; a\n"
"call to a --failing party is gone after ringing), participants. Lists are\n"
"summaries as on CMS; details come from a GET on the object. The documented\n"
"filters work: filter, tenantFilter, callLegProfileFilter, coSpaceFilter,\n"
"participantFilter, callBridgeFilter, usageFilter, and startIndex/endIndex on\n"
"bulk parameter sets. Nodes are named CallBridge-Core1, CallBridge-Core2, ...\n"
"\n"
"Demo credentials: user \"admin\", password \"bridgekeeper-demo\" (change them\n"
"with --user and --password; give a node its own API user with --node-user).\n"
"Passcode, password and secret values are masked as ***** in the trace.\n"
"\n"
"TLS: by default every node serves HTTPS with one self-signed certificate for\n"
"127.0.0.1 that is generated with openssl on first start and cached in\n"
"$XDG_CACHE_HOME/bridgekeeper-cms-sim/. --per-node-certificates gives each\n"
"node one of its own, as in a real cluster. Use --cert/--key or --node-cert\n"
"for your own, or --no-tls for plain HTTP.\n"
"\n"
"Fault kinds for --fault: http-503, http-500, reset (close the connection\n"
"unanswered), no-answer (hold the request until the node stops), truncated-xml,\n"
"malformed-xml. METHOD and PATH may be empty for \"any\"; PATH is a prefix or a\n"
"glob (* and ?) matched against the path with /api/v1, case-insensitively;\n"
"PROBABILITY is 0..1 (default 1); COUNT is how often the rule fires (default\n"
"unlimited). Dice use --seed.\n"
"\n"
"Ready file (written atomically, mode 0600):\n"
"  { \"nodes\": [ { \"name\": \"CallBridge-Core1\", \"id\": \"<uuid>\",\n"
"                 \"url\": \"https://127.0.0.1:PORT\", \"port\": PORT,\n"
"                 \"certificateSha256\": \"<hex>\", \"username\": \"admin\",\n"
"                 \"password\": \"...\" }, ... ],\n"
"    \"certificateSha256\": \"<lowercase hex SHA-256 of the DER, no colons>\",\n"
"    \"username\": \"admin\", \"password\": \"...\", \"tls\": true,\n"
"    \"controlUrl\": \"http://127.0.0.1:PORT\" or null, \"pid\": N }\n"
"Each node has its own certificateSha256, username and password; the\n"
"top-level ones are the first node's and the cluster's.\n"
"\n"
"Control interface (--control-port; plain HTTP with JSON on 127.0.0.1, outside\n"
"/api/v1; node indexes start at 0):\n"
"  GET    /state                          nodes (name, url, up, username,\n"
"                                         certificateSha256), counts, settings\n"
"  POST   /nodes/N/down                   node N stops listening (connections refused)\n"
"  POST   /nodes/N/up                     node N listens again on the same port\n"
"  POST   /nodes/N/credentials {\"username\":\"cb2-api\",\"password\":\"...\"}\n"
"                                         node N's own API user ({}: the cluster's)\n"
"  POST   /nodes/N/certificate            a new certificate for node N\n"
"                                         -> {\"certificateSha256\":...}\n"
"  POST   /faults   {\"kind\":\"http-503\",\"method\":\"GET\",\"path\":\"/api/v1/coSpaces\",\n"
"                    \"probability\":1.0,\"count\":2}\n"
"  DELETE /faults                         remove all rules and the latency\n"
"  POST   /latency  {\"ms\":200,\"jitter\":50}\n"
"  POST   /alarms   {\"type\":\"cdrConnectionFailure\"}     DELETE /alarms\n"
"  GET    /counters?node=0&method=GET&path=/api/v1/coSpaces   -> {\"count\":N}\n"
"  DELETE /counters\n"
"  GET    /trace                          the API trace as text   DELETE /trace\n"
"  POST   /settings {\"pageCap\":20,\"bulkSyncDelay\":0,\"bulkSyncRate\":5000,\n"
"                    \"callLegConnectDelay\":0,\"unansweredPattern\":\"*@busy\",\n"
"                    \"failingPattern\":\"*@unreachable\"}\n"
"  POST   /cospaces {\"name\":\"Room\",\"uri\":\"room\",\"callId\":\"1001\"} -> {\"id\":...}\n"
"  POST   /reset                          forget all data, faults, counters, trace\n"
"\n"
"SIGINT and SIGTERM stop the simulator cleanly (exit status 0).\n"
"\n"
"Examples:\n"
"  bridgekeeper-cms-sim --demo --port 8445\n"
"  bridgekeeper-cms-sim --nodes 3 --ready-file /tmp/sim.json --control-port 0\n"
"  bridgekeeper-cms-sim --per-node-certificates --node-user 1:cb2-api:secret\n"
"  bridgekeeper-cms-sim --no-tls --fault http-503:GET:/api/v1/coSpaces:0.2\n"
"  curl -k -u admin:bridgekeeper-demo https://127.0.0.1:8445/api/v1/system/status\n");

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_fault (BkSimCluster  *sim,
             const char    *rule,
             GError       **error)
{
  g_auto(GStrv) parts = g_strsplit (rule, ":", 5);
  guint n = g_strv_length (parts);
  BkSimFault kind;
  double probability = 1.0;
  int count = -1;

  if (n == 0 || !bk_sim_fault_from_string (parts[0], &kind))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown fault kind in “%s”"), rule);
      return FALSE;
    }
  if (n > 3 && *parts[3] != '\0')
    probability = g_ascii_strtod (parts[3], NULL);
  if (n > 4 && *parts[4] != '\0')
    count = (int) g_ascii_strtoll (parts[4], NULL, 10);
  bk_sim_cluster_add_fault (sim,
                            n > 1 && *parts[1] ? parts[1] : NULL,
                            n > 2 && *parts[2] ? parts[2] : NULL,
                            kind, probability, count);
  return TRUE;
}

/* --node-user N:USER:PASSWORD and --node-cert N:CERT[:KEY] */
static gboolean
parse_node_option (BkSimCluster  *sim,
                   const char    *value,
                   gboolean       cert,
                   GError       **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ":", 3);
  guint n = g_strv_length (parts);
  guint64 node;

  if (n < 2 || (!cert && n < 3) || *parts[1] == '\0' ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, bk_sim_cluster_get_n_nodes (sim) - 1, &node, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   cert ? _("Expected --node-cert N:CERT[:KEY] with N a node index from 0, not “%s”")
                        : _("Expected --node-user N:USER:PASSWORD with N a node index from 0, not “%s”"),
                   value);
      return FALSE;
    }
  if (cert)
    return bk_sim_cluster_set_node_certificate_files (sim, (guint) node, parts[1],
                                                      n > 2 ? parts[2] : NULL, error);
  bk_sim_cluster_set_node_credentials (sim, (guint) node, parts[1], parts[2]);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Simulate a Cisco Meeting Server cluster (CMS REST API v1) on loopback."));
  g_option_context_set_description (context, _(description));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_nodes < 1 || opt_nodes > 64 || opt_port < 0 || opt_port > 65535 || opt_page_cap < 0 ||
      opt_bulk_delay < 0 || opt_bulk_rate < 0 || opt_leg_delay < 0 || opt_latency < 0 || opt_jitter < 0)
    {
      g_printerr ("%s\n", _("An option value is out of range; see --help."));
      return 2;
    }

  sim = bk_sim_cluster_new ((guint) opt_nodes);
  if (opt_seed >= 0)
    bk_sim_cluster_set_seed (sim, (guint32) opt_seed);
  bk_sim_cluster_set_tls (sim, !opt_no_tls);
  if (opt_cert != NULL && !bk_sim_cluster_set_certificate_files (sim, opt_cert, opt_key, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  bk_sim_cluster_set_credentials (sim,
                                  opt_user ? opt_user : BK_SIM_DEFAULT_USERNAME,
                                  opt_password ? opt_password : BK_SIM_DEFAULT_PASSWORD);
  for (guint i = 0; opt_node_users != NULL && opt_node_users[i] != NULL; i++)
    if (!parse_node_option (sim, opt_node_users[i], FALSE, &error))
      {
        g_printerr ("%s\n", error->message);
        return 2;
      }
  bk_sim_cluster_set_per_node_certificates (sim, opt_per_node_certs);
  for (guint i = 0; opt_node_certs != NULL && opt_node_certs[i] != NULL; i++)
    if (!parse_node_option (sim, opt_node_certs[i], TRUE, &error))
      {
        g_printerr ("%s\n", error->message);
        return error->domain == G_OPTION_ERROR ? 2 : 1;
      }
  bk_sim_cluster_set_base_port (sim, (guint) opt_port);
  bk_sim_cluster_set_page_cap (sim, (guint) opt_page_cap);
  bk_sim_cluster_set_bulk_sync_delay (sim, (guint) opt_bulk_delay);
  bk_sim_cluster_set_call_leg_connect_delay (sim, (guint) opt_leg_delay);
  bk_sim_cluster_set_bulk_sync_rate (sim, (guint) opt_bulk_rate);
  bk_sim_cluster_set_unanswered_pattern (sim, opt_unanswered);
  bk_sim_cluster_set_failing_pattern (sim, opt_failing);
  bk_sim_cluster_set_latency (sim, (guint) opt_latency, (guint) opt_jitter);
  for (guint i = 0; opt_faults != NULL && opt_faults[i] != NULL; i++)
    if (!parse_fault (sim, opt_faults[i], &error))
      {
        g_printerr ("%s\n", error->message);
        return 2;
      }
  if (opt_trace_file != NULL && !bk_sim_cluster_set_trace_file (sim, opt_trace_file, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (opt_demo)
    bk_sim_cluster_populate_demo (sim);

  if (!bk_sim_cluster_start (sim, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (opt_control_port >= 0 && !bk_sim_cluster_start_control (sim, (guint) opt_control_port, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < bk_sim_cluster_get_n_nodes (sim); i++)
    {
      g_print ("%s %s\n", bk_sim_cluster_get_node_name (sim, i), bk_sim_cluster_get_node_url (sim, i));
      if (bk_sim_cluster_get_node_certificate_sha256 (sim, i) != NULL)
        g_print ("  certificate SHA-256 %s\n", bk_sim_cluster_get_node_certificate_sha256 (sim, i));
      if (g_strcmp0 (bk_sim_cluster_get_node_username (sim, i), bk_sim_cluster_get_username (sim)) != 0)
        g_print ("  API user %s\n", bk_sim_cluster_get_node_username (sim, i));
    }
  if (bk_sim_cluster_get_certificate_sha256 (sim) != NULL)
    g_print ("certificate SHA-256 %s\n", bk_sim_cluster_get_certificate_sha256 (sim));
  if (bk_sim_cluster_get_control_url (sim) != NULL)
    g_print ("control %s\n", bk_sim_cluster_get_control_url (sim));
  fflush (stdout);

  if (opt_ready_file != NULL && !bk_sim_cluster_write_ready_file (sim, opt_ready_file, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  bk_sim_cluster_stop (sim);
  return 0;
}
