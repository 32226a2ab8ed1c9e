/* bk-sim-xml.c: small writer for CMS-shaped XML replies
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimXml"

#include "config.h"

#include "bk-sim-private.h"

void
bk_sim_xml_escape (GString    *out,
                   const char *text)
{
  const char *p;

  if (text == NULL)
    return;

  for (p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&apos;"); break;
        default: g_string_append_c (out, *p); break;
        }
    }
}

void
bk_sim_xml_element (GString    *out,
                    const char *name,
                    const char *text)
{
  if (text == NULL || *text == '\0')
    {
      g_string_append_printf (out, "<%s></%s>", name, name);
      return;
    }
  g_string_append_printf (out, "<%s>", name);
  bk_sim_xml_escape (out, text);
  g_string_append_printf (out, "</%s>", name);
}

void
bk_sim_xml_element_uint (GString    *out,
                         const char *name,
                         guint64     value)
{
  g_string_append_printf (out, "<%s>%" G_GUINT64_FORMAT "</%s>", name, value, name);
}

void
bk_sim_xml_element_bool (GString    *out,
                         const char *name,
                         gboolean    value)
{
  g_string_append_printf (out, "<%s>%s</%s>", name, value ? "true" : "false", name);
}

GString *
bk_sim_xml_failure (const char *reason)
{
  GString *out = g_string_new ("<?xml version=\"1.0\"?>\n<failureDetails>");

  g_string_append_printf (out, "<%s />", reason);
  g_string_append (out, "</failureDetails>");
  return out;
}

GString *
bk_sim_xml_parameter_error (const char *parameter,
                            const char *error)
{
  GString *out = g_string_new ("<?xml version=\"1.0\"?>\n<failureDetails><parameterError parameter=\"");

  bk_sim_xml_escape (out, parameter);
  g_string_append (out, "\" error=\"");
  bk_sim_xml_escape (out, error);
  g_string_append (out, "\" /></failureDetails>");
  return out;
}
