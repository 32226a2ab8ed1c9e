/* bk-sim-faults.c: injected latency and failure rules
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimFaults"

#include "config.h"

#include <string.h>

#include "bk-sim-private.h"

static const char * const fault_names[] = {
  [BK_SIM_FAULT_HTTP_503] = "http-503",
  [BK_SIM_FAULT_HTTP_500] = "http-500",
  [BK_SIM_FAULT_RESET] = "reset",
  [BK_SIM_FAULT_NO_ANSWER] = "no-answer",
  [BK_SIM_FAULT_TRUNCATED_XML] = "truncated-xml",
  [BK_SIM_FAULT_MALFORMED_XML] = "malformed-xml",
  [BK_SIM_FAULT_RESET_AFTER_EFFECT] = "reset-after-effect",
};

const char *
bk_sim_fault_to_string (BkSimFault kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (fault_names), NULL);
  return fault_names[kind];
}

gboolean
bk_sim_fault_from_string (const char *name,
                          BkSimFault *kind)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (g_ascii_strcasecmp (name, fault_names[i]) == 0)
      {
        if (kind != NULL)
          *kind = (BkSimFault) i;
        return TRUE;
      }
  /* Accept the short forms "503" and "500" too. */
  if (g_str_equal (name, "503") || g_str_equal (name, "500"))
    {
      if (kind != NULL)
        *kind = g_str_equal (name, "503") ? BK_SIM_FAULT_HTTP_503 : BK_SIM_FAULT_HTTP_500;
      return TRUE;
    }
  return FALSE;
}

void
bk_sim_fault_rule_free (BkSimFaultRule *rule)
{
  g_free (rule->method);
  g_free (rule->pattern);
  g_clear_pointer (&rule->spec, g_pattern_spec_free);
  g_free (rule);
}

static gboolean
rule_matches (BkSimFaultRule *rule,
              const char     *method,
              const char     *path)
{
  if (rule->count == 0)
    return FALSE;
  if (rule->method != NULL && g_ascii_strcasecmp (rule->method, method) != 0)
    return FALSE;
  if (rule->pattern != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (path, -1);

      if (rule->spec != NULL)
        return g_pattern_spec_match_string (rule->spec, lower);
      return g_str_has_prefix (lower, rule->pattern);
    }
  return TRUE;
}

gboolean
bk_sim_faults_roll (BkSimCluster *self,
                    const char   *method,
                    const char   *path,
                    BkSimFault   *kind)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      BkSimFaultRule *rule = g_ptr_array_index (self->faults, i);

      if (!rule_matches (rule, method, path))
        continue;
      if (rule->probability < 1.0 && g_rand_double (self->fault_rand) >= rule->probability)
        continue;
      if (rule->count > 0)
        rule->count--;
      *kind = rule->kind;
      return TRUE;
    }
  return FALSE;
}

guint
bk_sim_faults_delay_ms (BkSimCluster *self)
{
  guint delay = self->latency_ms;

  if (self->jitter_ms > 0)
    delay += (guint) g_rand_int_range (self->fault_rand, 0, (gint32) self->jitter_ms + 1);
  return delay;
}

void
bk_sim_cluster_set_latency (BkSimCluster *self,
                            guint         ms,
                            guint         jitter_ms)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  self->latency_ms = ms;
  self->jitter_ms = jitter_ms;
}

void
bk_sim_cluster_add_fault (BkSimCluster *self,
                          const char   *method,
                          const char   *path_pattern,
                          BkSimFault    kind,
                          double        probability,
                          int           count)
{
  BkSimFaultRule *rule;

  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (fault_names));

  rule = g_new0 (BkSimFaultRule, 1);
  rule->method = (method && *method) ? g_strdup (method) : NULL;
  if (path_pattern != NULL && *path_pattern != '\0')
    {
      rule->pattern = g_ascii_strdown (path_pattern, -1);
      if (strpbrk (rule->pattern, "*?") != NULL)
        rule->spec = g_pattern_spec_new (rule->pattern);
    }
  rule->kind = kind;
  rule->probability = CLAMP (probability, 0.0, 1.0);
  rule->count = count < 0 ? -1 : count;
  g_ptr_array_add (self->faults, rule);
}

void
bk_sim_cluster_clear_faults (BkSimCluster *self)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  g_ptr_array_set_size (self->faults, 0);
  self->latency_ms = 0;
  self->jitter_ms = 0;
}
