/* bk-sim-model.c: the CMS object model behind /api/v1 (routing, validation,
 * collections with paging, coSpaces, profiles, bulk syncs, calls, call legs,
 * participants, status, alarms, call bridges)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimModel"

#include "config.h"

#include <string.h>

#include "bk-sim-private.h"

#define XML_PROLOG "<?xml version=\"1.0\"?>\n"

typedef struct
{
  guint       status;
  const char *failure;     /* failureDetails child, or NULL */
  const char *param;       /* parameterError parameter, or NULL */
  const char *error;       /* parameterError error */
} Fail;

/* ---- replies ---- */

void
bk_sim_reply_clear (BkSimReply *reply)
{
  if (reply->body != NULL)
    g_string_free (reply->body, TRUE);
  reply->body = NULL;
  g_clear_pointer (&reply->location, g_free);
  reply->status = 0;
}

static void
reply_ok (BkSimReply *reply)
{
  reply->status = 200;
}

static void
reply_xml (BkSimReply *reply,
           GString    *body)
{
  reply->status = 200;
  reply->body = body;
}

static void
reply_failure (BkSimReply *reply,
               guint       status,
               const char *reason)
{
  reply->status = status;
  reply->body = bk_sim_xml_failure (reason);
}

static void
reply_param (BkSimReply *reply,
             const char *param,
             const char *error)
{
  reply->status = 400;
  reply->body = bk_sim_xml_parameter_error (param, error);
}

static void
reply_fail (BkSimReply *reply,
            const Fail *fail)
{
  if (fail->param != NULL)
    reply_param (reply, fail->param, fail->error);
  else
    reply_failure (reply, fail->status ? fail->status : 400, fail->failure);
}

static void
reply_created (BkSimReply *reply,
               const char *collection,
               const char *id)
{
  reply->status = 200;
  reply->location = g_strdup_printf ("/api/v1/%s/%s", collection, id);
}

/* ---- validation ---- */

/* What CMS accepts for a parameter, from the Blueprint's data structures
 * (apiary.apib "Data Structures") and tables. Parameters not listed here are
 * stored as text; unknown parameters are ignored as on CMS. */
typedef enum
{
  P_BOOL,        /* true|false */
  P_UINT,        /* digits; @max > 0: at most @max */
  P_ENUM,        /* one of @values */
  P_URI,         /* URI user part: no '@', no white space */
  P_TEXT,        /* at most @max characters */
  P_MAPPING,     /* bulk mapping: [text]["$index$"][text], \\ and \$ escapes */
  P_URI_MAPPING, /* the same, without '@' */
  P_DURATION,    /* a number of seconds or "permanent" */
  P_DTMF,        /* 0-9 * # and , */
} ParamType;

typedef struct
{
  const char         *name;
  ParamType           type;
  const char * const *values;
  guint64             max;
} ParamSpec;

static const char * const layouts[] = {
  "allEqual", "speakerOnly", "telepresence", "stacked", "allEqualQuarters",
  "allEqualNinths", "allEqualSixteenths", "allEqualTwentyFifths",
  "onePlusFive", "onePlusSeven", "onePlusNine", "automatic", "onePlusN", NULL,
};
static const char * const media_modes[] = { "disabled", "manual", "automatic", NULL };
static const char * const lock_modes[] = { "all", "needsActivation", NULL };
static const char * const passcode_modes[] = { "required", "timeout", NULL };
static const char * const lync_modes[] = { "dualHomeCluster", "dualHomeCallBridge", "gateway", NULL };
static const char * const display_modes[] = { "dualStream", "singleStream", NULL };
static const char * const video_modes[] = { "auto", "disabled", NULL };
static const char * const encryption_modes[] = { "optional", "required", "prohibited", NULL };
static const char * const deactivation_modes[] = { "deactivate", "disconnect", "remainActivated", NULL };
static const char * const bfcp_modes[] = { "serverOnly", "serverAndClient", NULL };
static const char * const quality_main[] = { "unrestricted", "max1080p30", "max720p30", "max480p30", NULL };
static const char * const quality_presentation[] = { "unrestricted", "max1080p30", "max720p5", NULL };
static const char * const counter_modes[] = { "never", "auto", "always", NULL };
static const char * const gain_modes[] = { "disabled", "agc", NULL };
static const char * const message_positions[] = { "top", "middle", "bottom", NULL };
static const char * const self_pane_modes[] = { "skip", "self", "blank", NULL };
static const char * const participant_modes[] = { "exclude", "selected", NULL };

static const ParamSpec param_specs[] = {
  /* coSpaces */
  { "uri", P_URI }, { "secondaryUri", P_URI },
  { "callId", P_UINT }, { "passcode", P_UINT },
  { "cdrTag", P_TEXT, NULL, 100 },
  { "defaultLayout", P_ENUM, layouts }, { "chosenLayout", P_ENUM, layouts },
  { "layout", P_ENUM, layouts },
  { "panePlacementHighestImportance", P_UINT },
  { "panePlacementSelfPaneMode", P_ENUM, self_pane_modes },
  /* bulk parameter sets */
  { "startIndex", P_UINT }, { "endIndex", P_UINT },
  { "coSpaceUriMapping", P_URI_MAPPING }, { "coSpaceNameMapping", P_MAPPING },
  { "coSpaceCallIdMapping", P_MAPPING },
  /* callProfiles */
  { "participantLimit", P_UINT }, { "passcodeTimeout", P_UINT },
  { "recordingMode", P_ENUM, media_modes }, { "streamingMode", P_ENUM, media_modes },
  { "lockMode", P_ENUM, lock_modes }, { "passcodeMode", P_ENUM, passcode_modes },
  { "lyncConferenceMode", P_ENUM, lync_modes },
  /* callLegProfiles (and call leg overrides) */
  { "presentationDisplayMode", P_ENUM, display_modes },
  { "videoMode", P_ENUM, video_modes },
  { "sipMediaEncryption", P_ENUM, encryption_modes },
  { "deactivationMode", P_ENUM, deactivation_modes },
  { "bfcpMode", P_ENUM, bfcp_modes },
  { "qualityMain", P_ENUM, quality_main },
  { "qualityPresentation", P_ENUM, quality_presentation },
  { "participantCounter", P_ENUM, counter_modes },
  { "audioGainMode", P_ENUM, gain_modes },
  /* "maximum 100, a value of 0 disables" (APIB callLegProfile) */
  { "joinToneParticipantThreshold", P_UINT, NULL, 100 },
  { "leaveToneParticipantThreshold", P_UINT, NULL, 100 },
  { "audioPacketSizeMs", P_UINT }, { "deactivationModeTime", P_UINT },
  { "maxCallDurationTime", P_UINT },
  /* calls, call legs, participants */
  { "maxCallLegs", P_UINT }, { "bandwidth", P_UINT }, { "importance", P_UINT },
  { "messagePosition", P_ENUM, message_positions },
  { "messageDuration", P_DURATION },
  { "dtmfSequence", P_DTMF },
  { "mode", P_ENUM, participant_modes },
};

static const char * const bool_params[] = {
  "nonMemberAccess", "regenerateSecret", "requireCallId", "removeAll",
  "activeWhenEmpty", "locked", "needsActivation", "participantLabels",
  "rxAudioMute", "txAudioMute", "rxVideoMute", "txVideoMute",
  "gatewayAudioCallOptimization", "recording", "streaming", "allowAllMuteSelf",
  "allowAllPresentationContribution", "joinAudioMuteOverride", "confirmation",
  NULL,
};

static gboolean
str_in (const char         *s,
        const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (s, list[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
has_control_chars (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
      return TRUE;
  return FALSE;
}

static gboolean
is_bool_param (const char *name)
{
  return str_in (name, bool_params) ||
         g_str_has_suffix (name, "Allowed") ||
         (g_str_has_suffix (name, "Enabled") && !g_str_equal (name, "clusterEnabled"));
}

static const ParamSpec *
find_spec (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (param_specs); i++)
    if (g_str_equal (param_specs[i].name, name))
      return &param_specs[i];
  return NULL;
}

/* The mapping grammar of a bulk parameter set: literal text with \\ and \$
 * escapes, and "$index$" at most once. */
static gboolean
mapping_valid (const char *mapping,
               gboolean     uri)
{
  gboolean seen_index = FALSE;

  for (const char *p = mapping; *p != '\0'; p++)
    {
      if (*p == '\\')
        {
          if (p[1] != '\\' && p[1] != '$')
            return FALSE;
          p++;
        }
      else if (*p == '$')
        {
          if (seen_index || !g_str_has_prefix (p, "$index$"))
            return FALSE;
          seen_index = TRUE;
          p += strlen ("$index$") - 1;
        }
      else if (uri && (*p == '@' || g_ascii_isspace (*p)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
value_valid (const char *name,
             const char *value)
{
  const ParamSpec *spec = find_spec (name);

  if (spec == NULL)
    return !is_bool_param (name) || g_str_equal (value, "true") || g_str_equal (value, "false");

  switch (spec->type)
    {
    case P_BOOL:
      return g_str_equal (value, "true") || g_str_equal (value, "false");
    case P_UINT:
      {
        guint64 n;

        if (!is_digits (value))
          return FALSE;
        if (spec->max == 0)
          return TRUE;
        return g_ascii_string_to_unsigned (value, 10, 0, spec->max, &n, NULL);
      }
    case P_ENUM:
      return str_in (value, spec->values);
    case P_URI:
      return strchr (value, '@') == NULL && strpbrk (value, " \t\r\n") == NULL;
    case P_TEXT:
      return (guint64) g_utf8_strlen (value, -1) <= spec->max;
    case P_MAPPING:
      return mapping_valid (value, FALSE);
    case P_URI_MAPPING:
      return mapping_valid (value, TRUE);
    case P_DURATION:
      return g_str_equal (value, "permanent") || is_digits (value);
    case P_DTMF:
      return strspn (value, "0123456789*#,") == strlen (value);
    default:
      g_assert_not_reached ();
    }
}

static const struct { const char *param; const char *failure; } references[] = {
  { "callProfile", "callProfileDoesNotExist" },
  { "callLegProfile", "callLegProfileDoesNotExist" },
  { "tenant", "tenantDoesNotExist" },
};

static BkSimCollection *
reference_collection (BkSimCluster *self,
                      const char   *param)
{
  if (g_str_equal (param, "callProfile"))
    return self->db.call_profiles;
  if (g_str_equal (param, "callLegProfile"))
    return self->db.call_leg_profiles;
  return self->db.tenants;
}

static gboolean
validate_params (BkSimCluster *self,
                 GHashTable   *params,
                 Fail         *fail)
{
  GHashTableIter iter;
  const char *name, *value;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
    {
      if (!g_utf8_validate (value, -1, NULL) || has_control_chars (value))
        {
          /* Could not be written into an XML reply. */
          fail->param = name;
          fail->error = "invalidValue";
          return FALSE;
        }
      if (*value == '\0')
        continue;   /* empty = unset */
      if (!value_valid (name, value))
        {
          fail->param = name;
          fail->error = "invalidValue";
          return FALSE;
        }
    }
  /* References are checked after the values, as a failure of their own. */
  for (guint i = 0; i < G_N_ELEMENTS (references); i++)
    {
      value = g_hash_table_lookup (params, references[i].param);
      if (value != NULL && *value != '\0' &&
          bk_sim_collection_lookup (reference_collection (self, references[i].param), value) == NULL)
        {
          fail->failure = references[i].failure;
          return FALSE;
        }
    }
  return TRUE;
}

/* A form parameter that must be there and not empty, or NULL after
 * answering the request */
static const char *
required_param (GHashTable *form,
                const char *name,
                BkSimReply *reply)
{
  const char *value = g_hash_table_lookup (form, name);

  if (value == NULL || *value == '\0')
    {
      reply_param (reply, name, "invalidValue");
      return NULL;
    }
  return value;
}

/* validate_params(), answering the request when a parameter is refused */
static gboolean
params_valid_or_reply (BkSimCluster *self,
                       GHashTable   *params,
                       BkSimReply   *reply)
{
  Fail fail = { 0 };

  if (validate_params (self, params, &fail))
    return TRUE;
  reply_fail (reply, &fail);
  return FALSE;
}

static gboolean
parse_uint_param (GHashTable *query,
                  const char *name,
                  guint64     fallback,
                  guint64    *out,
                  Fail       *fail)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  *out = fallback;
  if (value == NULL || *value == '\0')
    return TRUE;
  if (!is_digits (value) || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, out, NULL))
    {
      fail->param = name;
      fail->error = "invalidValue";
      return FALSE;
    }
  return TRUE;
}

/* ?offset= and ?limit=; the page is capped like a CMS's. Answers the
 * request when one is not a number. */
static gboolean
parse_paging (BkSimCluster *self,
              GHashTable   *query,
              guint64      *offset,
              guint64      *page,
              BkSimReply   *reply)
{
  Fail fail = { 0 };
  guint64 limit;

  if (!parse_uint_param (query, "offset", 0, offset, &fail) ||
      !parse_uint_param (query, "limit", G_MAXUINT32, &limit, &fail))
    {
      reply_fail (reply, &fail);
      return FALSE;
    }
  *page = self->page_cap > 0 ? MIN (limit, self->page_cap) : limit;
  return TRUE;
}

/* ---- collections ---- */

/* The documented filters of a collection GET, parsed from the query; NULL
 * members filter nothing. */
typedef struct
{
  const char *call;          /* /calls/ID/callLegs, /calls/ID/participants */
  const char *cospace;       /* coSpaceFilter */
  const char *tenant;        /* tenantFilter */
  const char *leg_profile;   /* callLegProfileFilter */
  const char *participant;   /* participantFilter */
  gboolean    connected;     /* participants: connected legs only */
  gboolean    none;          /* callBridgeFilter names another bridge */
  int         usage;         /* usageFilter: 0 none, 1 referenced, 2 unreferenced */
  GHashTable *referenced;    /* profile ids something refers to (owned) */
  gboolean    has_start;     /* startIndex / endIndex of bulk parameter sets */
  gboolean    has_end;
  guint64     start;
  guint64     end;
} Filters;

typedef void (*Writer) (BkSimNode *node, GString *out, BkSimObject *obj);

static void
filters_clear (Filters *f)
{
  g_clear_pointer (&f->referenced, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Filters, filters_clear)

static gboolean
filters_empty (const Filters *f)
{
  return f->call == NULL && f->cospace == NULL && f->tenant == NULL && f->leg_profile == NULL &&
         f->participant == NULL && !f->connected && !f->none && f->usage == 0 &&
         !f->has_start && !f->has_end;
}

static gboolean
field_is (BkSimObject *obj,
          const char  *field,
          const char  *wanted)
{
  return g_ascii_strcasecmp (bk_sim_object_get (obj, field) ?: "", wanted) == 0;
}

static guint64
field_uint (BkSimObject *obj,
            const char  *field)
{
  return g_ascii_strtoull (bk_sim_object_get (obj, field) ?: "0", NULL, 10);
}

static gboolean
filters_match (BkSimObject *obj,
               Filters     *f)
{
  if (f->none)
    return FALSE;
  if (f->connected && obj->leg_state != BK_SIM_LEG_CONNECTED)
    return FALSE;
  if (f->call != NULL && !field_is (obj, "call", f->call))
    return FALSE;
  if (f->cospace != NULL && !field_is (obj, "coSpace", f->cospace))
    return FALSE;
  if (f->tenant != NULL && !field_is (obj, "tenant", f->tenant))
    return FALSE;
  if (f->leg_profile != NULL && !field_is (obj, "callLegProfile", f->leg_profile))
    return FALSE;
  if (f->participant != NULL &&
      (obj->participant_id == NULL || g_ascii_strcasecmp (obj->participant_id, f->participant) != 0))
    return FALSE;
  if (f->usage != 0 &&
      g_hash_table_contains (f->referenced, obj->id) != (f->usage == 1))
    return FALSE;
  /* The Blueprint names startIndex and endIndex as the list's query without
   * saying how they match; taken here as "sets whose range meets
   * [startIndex, endIndex]". */
  if (f->has_start && field_uint (obj, "endIndex") < f->start)
    return FALSE;
  if (f->has_end && field_uint (obj, "startIndex") > f->end)
    return FALSE;
  return TRUE;
}

static const char *
query_get (GHashTable *query,
           const char *name)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  return (value != NULL && *value != '\0') ? value : NULL;
}

/* coSpaces: the filter text is matched against these, with a cached
 * lowercased string per object */
static const char * const cospace_filter_fields[] = { "name", "uri", "callId", "secondaryUri", NULL };
static const char * const leg_filter_fields[] = { "name", "remoteParty", NULL };
static const char * const name_filter_fields[] = { "name", NULL };

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  gsize n = strlen (needle);

  if (haystack == NULL)
    return FALSE;
  for (; *haystack != '\0'; haystack++)
    if (g_ascii_strncasecmp (haystack, needle, n) == 0)
      return TRUE;
  return n == 0;
}

/* A collection GET: @filters (NULL: none) and, when @filter_fields is not
 * NULL, the free-text "filter" on those fields; offset, limit and the page
 * cap; total counts every match. */
static void
list_collection (BkSimNode          *node,
                 GHashTable         *query,
                 BkSimReply         *reply,
                 BkSimCollection    *coll,
                 const char         *root,
                 Filters            *filters,
                 const char * const *filter_fields,
                 Writer              write)
{
  guint64 offset, page;
  const char *filter = filter_fields ? query_get (query, "filter") : NULL;
  GString *out;
  GString *items;
  guint total = 0, written = 0;
  g_autofree char *filter_lower = NULL;

  if (!parse_paging (node->cluster, query, &offset, &page, reply))
    return;
  if (filters != NULL && filters_empty (filters))
    filters = NULL;

  items = g_string_new (NULL);
  filter_lower = filter ? g_ascii_strdown (filter, -1) : NULL;

  if (filter == NULL && filters == NULL)
    {
      GSequenceIter *it;

      total = g_sequence_get_length (coll->order);
      it = g_sequence_get_iter_at_pos (coll->order, (int) MIN (offset, (guint64) total));
      for (; !g_sequence_iter_is_end (it) && written < page; it = g_sequence_iter_next (it))
        {
          write (node, items, g_sequence_get (it));
          written++;
        }
    }
  else
    {
      GSequenceIter *it;

      for (it = g_sequence_get_begin_iter (coll->order);
           !g_sequence_iter_is_end (it);
           it = g_sequence_iter_next (it))
        {
          BkSimObject *obj = g_sequence_get (it);
          gboolean hit = TRUE;

          if (filters != NULL && !filters_match (obj, filters))
            continue;
          if (filter != NULL && filter_fields == cospace_filter_fields)
            {
              /* One lowercased string per object, rebuilt when a field changes. */
              if (obj->search == NULL)
                {
                  GString *text = g_string_new (NULL);

                  for (guint i = 0; filter_fields[i] != NULL; i++)
                    {
                      g_string_append (text, bk_sim_object_get (obj, filter_fields[i]) ?: "");
                      g_string_append_c (text, '\n');
                    }
                  obj->search = g_ascii_strdown (text->str, text->len);
                  g_string_free (text, TRUE);
                }
              hit = strstr (obj->search, filter_lower) != NULL;
            }
          else if (filter != NULL)
            {
              hit = FALSE;
              for (guint i = 0; filter_fields[i] != NULL && !hit; i++)
                hit = contains_ci (bk_sim_object_get (obj, filter_fields[i]), filter);
            }
          if (!hit)
            continue;
          if (total >= offset && written < page)
            {
              write (node, items, obj);
              written++;
            }
          total++;
        }
    }

  out = g_string_new (XML_PROLOG);
  if (items->len == 0)
    g_string_append_printf (out, "<%s total=\"%u\"/>", root, total);
  else
    {
      g_string_append_printf (out, "<%s total=\"%u\">", root, total);
      g_string_append_len (out, items->str, items->len);
      g_string_append_printf (out, "</%s>", root);
    }
  g_string_free (items, TRUE);
  reply_xml (reply, out);
}

static void
open_item (GString    *out,
           const char *element,
           const char *id)
{
  g_string_append_printf (out, "<%s id=\"", element);
  bk_sim_xml_escape (out, id);
  g_string_append (out, "\">");
}

static void
write_fields (GString            *out,
              BkSimObject        *obj,
              const char * const *only)
{
  if (only != NULL)
    {
      for (guint i = 0; only[i] != NULL; i++)
        {
          const char *v = bk_sim_object_get (obj, only[i]);

          if (v != NULL)
            bk_sim_xml_element (out, only[i], v);
        }
      return;
    }
  for (guint i = 0; i < obj->keys->len; i++)
    {
      const char *k = g_ptr_array_index (obj->keys, i);

      bk_sim_xml_element (out, k, bk_sim_object_get (obj, k));
    }
}

/* <element id="..."> with @fields (NULL: every field the object has); an
 * item without any of them is written <element id="..."/>, as CMS does */
static void
write_item (GString            *out,
            const char         *element,
            BkSimObject        *obj,
            const char * const *fields)
{
  gsize mark;

  open_item (out, element, obj->id);
  mark = out->len;
  write_fields (out, obj, fields);
  if (out->len == mark)
    {
      g_string_truncate (out, mark - 1);
      g_string_append (out, "/>");
      return;
    }
  g_string_append_printf (out, "</%s>", element);
}

static guint64
age_seconds (BkSimObject *obj)
{
  return (guint64) ((g_get_monotonic_time () - obj->created_us) / G_USEC_PER_SEC);
}

/* ---- coSpaces ---- */

/* What a coSpaces list carries (APIB "Retrieving coSpaces"); the rest comes
 * from a GET on the coSpace. */
static const char * const cospace_summary[] = {
  "name", "autoGenerated", "uri", "secondaryUri", "callId", "tenant", NULL,
};

static const char * const cospace_fields[] = {
  "name", "autoGenerated", "uri", "secondaryUri", "callId", "cdrTag", "passcode",
  "defaultLayout", "tenant", "callLegProfile", "callProfile", "callBrandingProfile",
  "secret", "nonMemberAccess", "ownerJid", "ownerAdGuid",
  "streamUrl", "meetingScheduler", NULL,
};

static void
write_cospace_summary (BkSimNode   *node,
                       GString     *out,
                       BkSimObject *obj)
{
  write_item (out, "coSpace", obj, cospace_summary);
}

static void
write_cospace_detail (BkSimNode   *node,
                      GString     *out,
                      BkSimObject *obj)
{
  open_item (out, "coSpace", obj->id);
  write_fields (out, obj, cospace_fields);
  bk_sim_xml_element_uint (out, "numAccessMethods", 0);
  g_string_append (out, "</coSpace>");
}

static gboolean
cospace_check_unique (BkSimCluster *self,
                      BkSimObject  *space,
                      GHashTable   *params,
                      Fail         *fail)
{
  const char *keys[] = { "uri", "secondaryUri" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *v = g_hash_table_lookup (params, keys[i]);
      g_autofree char *folded = NULL;
      BkSimObject *other;

      if (v == NULL || *v == '\0')
        continue;
      folded = g_utf8_casefold (v, -1);
      other = g_hash_table_lookup (self->db.uri_index, folded);
      if (other != NULL && other != space)
        {
          fail->failure = "duplicateCoSpaceUri";
          return FALSE;
        }
    }
  {
    const char *v = g_hash_table_lookup (params, "callId");
    BkSimObject *other;

    if (v != NULL && *v != '\0' &&
        (other = g_hash_table_lookup (self->db.call_id_index, v)) != NULL &&
        other != space)
      {
        fail->failure = "duplicateCoSpaceId";
        return FALSE;
      }
  }
  return TRUE;
}

static void
cospace_apply (BkSimCluster *self,
               BkSimObject  *space,
               GHashTable   *params)
{
  const char *regen = g_hash_table_lookup (params, "regenerateSecret");
  const char *require = g_hash_table_lookup (params, "requireCallId");

  for (guint i = 0; cospace_fields[i] != NULL; i++)
    {
      const char *v = g_hash_table_lookup (params, cospace_fields[i]);

      if (v == NULL || g_str_equal (cospace_fields[i], "autoGenerated"))
        continue;
      bk_sim_object_set (space, cospace_fields[i], *v != '\0' ? v : NULL);
    }
  /* requireCallId=true gives a coSpace without one a new call ID; it is
   * not a field of the coSpace (APIB: not in a GET). */
  if (require != NULL && g_str_equal (require, "true") && bk_sim_object_get (space, "callId") == NULL)
    {
      g_autofree char *call_id = NULL;

      do
        {
          g_free (call_id);
          call_id = g_strdup_printf ("%u", (guint) g_rand_int_range (self->id_rand, 100000000, 999999999));
        }
      while (g_hash_table_contains (self->db.call_id_index, call_id));
      bk_sim_object_set (space, "callId", call_id);
    }
  /* A secret is chosen when none is given and the coSpace has a call ID. */
  if ((regen != NULL && g_str_equal (regen, "true")) ||
      (bk_sim_object_get (space, "secret") == NULL && bk_sim_object_get (space, "callId") != NULL))
    {
      g_autofree char *secret = bk_sim_cluster_new_secret (self);

      bk_sim_object_set (space, "secret", secret);
    }
}

/* @space: the coSpace being changed, NULL for a new one */
static gboolean
cospace_params_ok (BkSimCluster *self,
                   BkSimObject  *space,
                   GHashTable   *params,
                   Fail         *fail)
{
  return validate_params (self, params, fail) &&
         cospace_check_unique (self, space, params, fail);
}

static BkSimObject *
create_cospace (BkSimCluster *self,
                GHashTable   *params,
                Fail         *fail)
{
  BkSimObject *space;

  if (!cospace_params_ok (self, NULL, params, fail))
    return NULL;

  space = bk_sim_collection_add (self->db.cospaces, bk_sim_cluster_new_uuid (self));
  bk_sim_object_set (space, "autoGenerated", "false");
  cospace_apply (self, space, params);
  if (bk_sim_object_get (space, "nonMemberAccess") == NULL)
    bk_sim_object_set (space, "nonMemberAccess", "true");
  bk_sim_db_index_cospace (&self->db, space);
  return space;
}

BkSimObject *
bk_sim_model_create_cospace (BkSimCluster  *self,
                             GHashTable    *params,
                             const char   **failure,
                             const char   **bad_param)
{
  Fail fail = { 0 };
  BkSimObject *space = create_cospace (self, params, &fail);

  if (space == NULL)
    {
      if (failure != NULL)
        *failure = fail.failure;
      if (bad_param != NULL)
        *bad_param = fail.param;
    }
  return space;
}

static void
cospaces_post (BkSimNode  *node,
               GHashTable *form,
               BkSimReply *reply)
{
  Fail fail = { 0 };
  BkSimObject *space = create_cospace (node->cluster, form, &fail);

  if (space == NULL)
    {
      reply_fail (reply, &fail);
      return;
    }
  reply_created (reply, "coSpaces", space->id);
}

static void
cospace_put (BkSimNode   *node,
             BkSimObject *space,
             GHashTable  *form,
             BkSimReply  *reply)
{
  BkSimCluster *self = node->cluster;
  Fail fail = { 0 };

  if (!cospace_params_ok (self, space, form, &fail))
    {
      reply_fail (reply, &fail);
      return;
    }
  bk_sim_db_unindex_cospace (&self->db, space);
  cospace_apply (self, space, form);
  bk_sim_db_index_cospace (&self->db, space);
  reply_ok (reply);
}

/* ---- generic profile-like objects: store every field sent ---- */

/* Lists are summaries as on CMS (the Blueprint's list samples): profile
 * lists give ids (a call leg profile also its needsActivation), parameter
 * set lists their index range; details come from a GET on the object. */
static const char * const no_fields[] = { NULL };
static const char * const leg_profile_summary[] = { "needsActivation", NULL };
static const char * const bulk_set_summary[] = { "startIndex", "endIndex", NULL };
static const char * const tenant_summary[] = { "name", "tenantGroup", NULL };

static void
write_call_profile_summary (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "callProfile", obj, no_fields);
}

static void
write_call_profile (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "callProfile", obj, NULL);
}

static void
write_call_leg_profile_summary (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "callLegProfile", obj, leg_profile_summary);
}

static void
write_call_leg_profile (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "callLegProfile", obj, NULL);
}

static void
write_bulk_set_summary (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "cospaceBulkParameterSet", obj, bulk_set_summary);
}

static void
write_bulk_set (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "cospaceBulkParameterSet", obj, NULL);
}

static void
write_tenant_summary (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "tenant", obj, tenant_summary);
}

static void
write_tenant (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "tenant", obj, NULL);
}

static void
generic_apply (BkSimObject *obj,
               GHashTable  *form)
{
  GHashTableIter iter;
  const char *k, *v;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  /* Keep a stable order for fields first set together. */
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, (gpointer *) &k, (gpointer *) &v))
    g_ptr_array_add (names, (gpointer) k);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      k = g_ptr_array_index (names, i);
      v = g_hash_table_lookup (form, k);
      bk_sim_object_set (obj, k, *v != '\0' ? v : NULL);
    }
}

/* ---- bulk syncs ---- */

static gboolean bulk_sync_step_cb (gpointer data);

static void
put_if (GHashTable *params,
        const char *key,
        char       *value)
{
  if (value != NULL)
    g_hash_table_insert (params, (gpointer) key, value);
}

static void
bulk_sync_set_status (BkSimObject *sync,
                      const char  *status)
{
  bk_sim_object_set (sync, "status", status);
}

static void
bulk_sync_execute (BkSimCluster *self,
                   BkSimObject  *sync)
{
  const char *set_id = bk_sim_object_get (sync, "cospaceBulkParameterSet");
  const char *remove_all = bk_sim_object_get (sync, "removeAll");
  BkSimObject *set = bk_sim_collection_lookup (self->db.bulk_sets, set_id);
  const char *s_start, *s_end;
  guint64 start = 0, end = 0;
  g_autoptr(GHashTable) new_uris = NULL;
  g_autoptr(GHashTable) new_ids = NULL;
  g_autoptr(GPtrArray) old = NULL;
  GSequenceIter *it;

  if (set == NULL)
    {
      bulk_sync_set_status (sync, "failedNoSuchParameterSet");
      return;
    }
  s_start = bk_sim_object_get (set, "startIndex");
  s_end = bk_sim_object_get (set, "endIndex");
  if (s_start != NULL)
    g_ascii_string_to_unsigned (s_start, 10, 0, G_MAXUINT32, &start, NULL);
  if (s_end != NULL)
    g_ascii_string_to_unsigned (s_end, 10, 0, G_MAXUINT32, &end, NULL);
  if (start > end)
    {
      bulk_sync_set_status (sync, "failedIndexRangeInvalid");
      return;
    }
  if (end - start + 1 > BK_SIM_BULK_SYNC_MAX_RANGE)
    {
      bulk_sync_set_status (sync, "failedIndexRangeTooGreat");
      return;
    }

  /* The spaces this set made before. */
  old = g_ptr_array_new ();
  for (it = g_sequence_get_begin_iter (self->db.cospaces->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    {
      BkSimObject *space = g_sequence_get (it);

      if (g_strcmp0 (space->bulk_set, set->id) == 0)
        g_ptr_array_add (old, space);
    }

  if (remove_all != NULL && g_str_equal (remove_all, "true"))
    {
      for (guint i = 0; i < old->len; i++)
        bk_sim_db_remove_cospace (&self->db, g_ptr_array_index (old, i));
      bulk_sync_set_status (sync, "complete");
      return;
    }

  /* Check every URI and call ID before changing anything. */
  new_uris = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  new_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint64 i = start; i <= end; i++)
    {
      g_autofree char *uri = bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceUriMapping"), (gint64) i);
      g_autofree char *cid = bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceCallIdMapping"), (gint64) i);

      if (uri != NULL)
        {
          char *folded = g_utf8_casefold (uri, -1);
          BkSimObject *other = g_hash_table_lookup (self->db.uri_index, folded);

          if ((other != NULL && g_strcmp0 (other->bulk_set, set->id) != 0) ||
              g_hash_table_contains (new_uris, folded))
            {
              g_free (folded);
              bulk_sync_set_status (sync, "failedCoSpaceUriConflict");
              return;
            }
          g_hash_table_add (new_uris, folded);
        }
      if (cid != NULL)
        {
          BkSimObject *other = g_hash_table_lookup (self->db.call_id_index, cid);

          if (!is_digits (cid) ||
              (other != NULL && g_strcmp0 (other->bulk_set, set->id) != 0) ||
              g_hash_table_contains (new_ids, cid))
            {
              bulk_sync_set_status (sync, "failedCallIdConflict");
              return;
            }
          g_hash_table_add (new_ids, g_steal_pointer (&cid));
        }
    }

  for (guint i = 0; i < old->len; i++)
    bk_sim_db_remove_cospace (&self->db, g_ptr_array_index (old, i));

  for (guint64 i = start; i <= end; i++)
    {
      g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      BkSimObject *space;
      const char *v;

      put_if (params, "name",
              bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceNameMapping"), (gint64) i));
      put_if (params, "uri",
              bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceUriMapping"), (gint64) i));
      put_if (params, "callId",
              bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceCallIdMapping"), (gint64) i));
      if ((v = bk_sim_object_get (set, "callProfile")) != NULL &&
          bk_sim_collection_lookup (self->db.call_profiles, v) != NULL)
        put_if (params, "callProfile", g_strdup (v));
      if ((v = bk_sim_object_get (set, "callLegProfile")) != NULL &&
          bk_sim_collection_lookup (self->db.call_leg_profiles, v) != NULL)
        put_if (params, "callLegProfile", g_strdup (v));
      if ((v = bk_sim_object_get (set, "tenant")) != NULL &&
          bk_sim_collection_lookup (self->db.tenants, v) != NULL)
        put_if (params, "tenant", g_strdup (v));
      put_if (params, "nonMemberAccess", g_strdup (bk_sim_object_get (set, "nonMemberAccess")));
      space = bk_sim_model_create_cospace (self, params, NULL, NULL);
      if (space != NULL)
        space->bulk_set = g_strdup (set->id);
    }
  bulk_sync_set_status (sync, "complete");
}

/* How long the sync runs: half the configured delay, plus the time to
 * make (or remove) every space of the range at the configured rate, so a
 * larger range takes longer as on CMS. */
static guint
bulk_sync_run_ms (BkSimCluster *self,
                  BkSimObject  *sync)
{
  BkSimObject *set = bk_sim_collection_lookup (self->db.bulk_sets,
                                               bk_sim_object_get (sync, "cospaceBulkParameterSet"));
  guint64 start, end, range = 0;

  if (set != NULL)
    {
      start = field_uint (set, "startIndex");
      end = field_uint (set, "endIndex");
      if (end >= start && end - start + 1 <= BK_SIM_BULK_SYNC_MAX_RANGE)
        range = end - start + 1;
    }
  if (self->bulk_sync_rate == 0)
    return MAX (self->bulk_sync_delay / 2, 1);
  return (guint) MAX (self->bulk_sync_delay / 2 + range * 1000 / self->bulk_sync_rate, 1);
}

static gboolean
bulk_sync_step_cb (gpointer data)
{
  BkSimObject *sync = data;
  BkSimCluster *self = sync->cluster;

  sync->timeout_id = 0;
  if (g_str_equal (bk_sim_object_get (sync, "status"), "pending"))
    {
      bulk_sync_set_status (sync, "running");
      sync->timeout_id = g_timeout_add (bulk_sync_run_ms (self, sync), bulk_sync_step_cb, sync);
    }
  else
    bulk_sync_execute (self, sync);
  return G_SOURCE_REMOVE;
}

static void
write_bulk_sync_summary (BkSimNode   *node,
                         GString     *out,
                         BkSimObject *obj)
{
  static const char * const fields[] = { "cospaceBulkParameterSet", "status", NULL };

  write_item (out, "cospaceBulkSync", obj, fields);
}

static void
write_bulk_sync (BkSimNode   *node,
                 GString     *out,
                 BkSimObject *obj)
{
  static const char * const fields[] = { "cospaceBulkParameterSet", "status", "removeAll", NULL };

  write_item (out, "cospaceBulkSync", obj, fields);
}

static void
bulk_syncs_post (BkSimNode  *node,
                 GHashTable *form,
                 BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  const char *set_id = required_param (form, "cospaceBulkParameterSet", reply);
  const char *remove_all = g_hash_table_lookup (form, "removeAll");
  BkSimObject *sync;

  if (set_id == NULL)
    return;
  if (remove_all != NULL && !g_str_equal (remove_all, "true") && !g_str_equal (remove_all, "false"))
    {
      reply_param (reply, "removeAll", "invalidValue");
      return;
    }

  sync = bk_sim_collection_add (self->db.bulk_syncs, bk_sim_cluster_new_uuid (self));
  sync->cluster = self;
  bk_sim_object_set (sync, "cospaceBulkParameterSet", set_id);
  bk_sim_object_set (sync, "removeAll", remove_all ? remove_all : "false");
  if (self->bulk_sync_delay == 0)
    bulk_sync_execute (self, sync);
  else
    {
      bulk_sync_set_status (sync, "pending");
      sync->timeout_id = g_timeout_add (MAX (self->bulk_sync_delay / 2, 1), bulk_sync_step_cb, sync);
    }
  reply_created (reply, "cospaceBulkSyncs", sync->id);
}

/* ---- software version ---- */

#define SIM_SOFTWARE_VERSION "3.6.1"

static const char *
sim_software_version (BkSimCluster *self)
{
  return self->software_version[0] != '\0' ? self->software_version : SIM_SOFTWARE_VERSION;
}

void
bk_sim_cluster_set_software_version (BkSimCluster *self,
                                     const char   *version)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  g_strlcpy (self->software_version, version != NULL ? version : "",
             sizeof self->software_version);
}

/* TRUE when the version is @major.@minor or later. */
static gboolean
version_at_least (BkSimCluster *self,
                  guint         major,
                  guint         minor)
{
  const char *v = sim_software_version (self);
  char *end = NULL;
  guint64 have_major = g_ascii_strtoull (v, &end, 10);
  guint64 have_minor = (end != NULL && *end == '.') ? g_ascii_strtoull (end + 1, NULL, 10) : 0;

  return have_major > major || (have_major == major && have_minor >= minor);
}

/* The call's message fields came with 2.1 (APIB "From version 2.1"): an
 * older bridge refuses them. Answers the request and returns FALSE then. */
static gboolean
call_message_params_ok (BkSimCluster *self,
                        GHashTable   *form,
                        BkSimReply   *reply)
{
  static const char * const fields[] = { "messageText", "messagePosition", "messageDuration", NULL };

  if (form == NULL || version_at_least (self, 2, 1))
    return TRUE;
  for (guint i = 0; fields[i] != NULL; i++)
    if (g_hash_table_contains (form, fields[i]))
      {
        reply_param (reply, fields[i], "unknownParameter");
        return FALSE;
      }
  return TRUE;
}

/* ---- calls, call legs, participants ---- */

/* @call's legs on @node in list order (only the connected ones if
 * @connected_only); the array does not own them. */
static GPtrArray *
call_legs (BkSimNode   *node,
           BkSimObject *call,
           gboolean     connected_only)
{
  GPtrArray *legs = g_ptr_array_new ();
  GSequenceIter *it;

  for (it = g_sequence_get_begin_iter (node->legs->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    {
      BkSimObject *leg = g_sequence_get (it);

      if (g_strcmp0 (bk_sim_object_get (leg, "call"), call->id) == 0 &&
          (!connected_only || leg->leg_state == BK_SIM_LEG_CONNECTED))
        g_ptr_array_add (legs, leg);
    }
  return legs;
}

static guint
call_count_legs (BkSimNode   *node,
                 BkSimObject *call,
                 gboolean     connected_only)
{
  g_autoptr(GPtrArray) legs = call_legs (node, call, connected_only);

  return legs->len;
}

static void
write_call_summary (BkSimNode   *node,
                    GString     *out,
                    BkSimObject *obj)
{
  static const char * const fields[] = { "name", "coSpace", "callCorrelator", "tenant", NULL };

  write_item (out, "call", obj, fields);
}

static void
write_call_detail (BkSimNode   *node,
                   GString     *out,
                   BkSimObject *obj)
{
  static const char * const fields[] = { "coSpace", "callCorrelator", "name", "tenant", NULL };

  open_item (out, "call", obj->id);
  write_fields (out, obj, fields);
  bk_sim_xml_element_uint (out, "durationSeconds", age_seconds (obj));
  bk_sim_xml_element_uint (out, "numCallLegs", call_count_legs (node, obj, FALSE));
  bk_sim_xml_element_uint (out, "maxCallLegs", (guint64) g_ascii_strtoull (bk_sim_object_get (obj, "maxCallLegs") ?: "0", NULL, 10));
  bk_sim_xml_element_uint (out, "numParticipantsLocal", call_count_legs (node, obj, TRUE));
  bk_sim_xml_element_uint (out, "numParticipantsRemote", 0);
  bk_sim_xml_element_uint (out, "numDistributedInstances", 0);
  if (version_at_least (node->cluster, 2, 1))
    {
      /* As in the APIB's sample: position and duration are always there
       * (middle, 0 = not shown), the text once it was set. */
      if (bk_sim_object_get (obj, "messageText") != NULL)
        bk_sim_xml_element (out, "messageText", bk_sim_object_get (obj, "messageText"));
      bk_sim_xml_element (out, "messagePosition", bk_sim_object_get (obj, "messagePosition") ?: "middle");
      bk_sim_xml_element (out, "messageDuration", bk_sim_object_get (obj, "messageDuration") ?: "0");
    }
  bk_sim_xml_element_bool (out, "activeWhenEmpty", TRUE);
  g_string_append (out, "</call>");
}

static void
calls_post (BkSimNode  *node,
            GHashTable *form,
            BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  const char *cospace_id = g_hash_table_lookup (form, "coSpace");
  const char *name = g_hash_table_lookup (form, "name");
  BkSimObject *space = NULL, *call;
  g_autofree char *correlator = NULL;

  /* "coSpace" or "name" (an ad hoc call) is required. */
  if ((cospace_id == NULL || *cospace_id == '\0') && (name == NULL || *name == '\0'))
    {
      reply_param (reply, "coSpace", "invalidValue");
      return;
    }
  if (!call_message_params_ok (self, form, reply))
    return;
  if (!params_valid_or_reply (self, form, reply))
    return;
  if (cospace_id != NULL && *cospace_id != '\0')
    {
      space = bk_sim_collection_lookup (self->db.cospaces, cospace_id);
      if (space == NULL)
        {
          reply_failure (reply, 400, "coSpaceDoesNotExist");
          return;
        }
    }

  call = bk_sim_collection_add (node->calls, bk_sim_cluster_new_uuid (self));
  call->node = node->index;
  call->cluster = self;
  correlator = bk_sim_cluster_new_uuid (self);
  if (name != NULL && *name != '\0')
    bk_sim_object_set (call, "name", name);
  else
    bk_sim_object_set (call, "name", bk_sim_object_get (space, "name") ?: "");
  if (space != NULL)
    {
      bk_sim_object_set (call, "coSpace", space->id);
      bk_sim_object_set (call, "tenant", bk_sim_object_get (space, "tenant"));
    }
  bk_sim_object_set (call, "callCorrelator", correlator);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const message_fields[] = { "messageText", "messagePosition", "messageDuration" };
      const char *value = g_hash_table_lookup (form, message_fields[i]);

      if (value != NULL && *value != '\0')
        bk_sim_object_set (call, message_fields[i], value);
    }
  bk_sim_node_cdr_event (node);
  reply_created (reply, "calls", call->id);
}

void
bk_sim_model_end_leg (BkSimNode   *node,
                      BkSimObject *leg)
{
  node->legs_completed++;
  bk_sim_node_cdr_event (node);
  bk_sim_collection_remove (node->legs, leg);
}

void
bk_sim_model_end_call (BkSimNode   *node,
                       BkSimObject *call)
{
  g_autoptr(GPtrArray) legs = call_legs (node, call, FALSE);

  for (guint i = 0; i < legs->len; i++)
    bk_sim_model_end_leg (node, g_ptr_array_index (legs, i));
  bk_sim_node_cdr_event (node);
  bk_sim_collection_remove (node->calls, call);
}

/* A leg is "initial" when made, then "ringing", then "connected" when the
 * remote party answers; one that fails is gone (callLegDoesNotExist), as
 * on CMS. */
static gboolean
leg_step_cb (gpointer data)
{
  BkSimObject *leg = data;
  BkSimCluster *self = leg->cluster;
  BkSimNode *node = bk_sim_cluster_get_node (self, leg->node);
  const char *remote = bk_sim_object_get (leg, "remoteParty");
  g_autofree char *line = NULL;

  leg->timeout_id = 0;
  if (leg->leg_state == BK_SIM_LEG_INITIAL)
    {
      leg->leg_state = BK_SIM_LEG_RINGING;
      if (self->unanswered != NULL && g_pattern_spec_match_string (self->unanswered, remote))
        return G_SOURCE_REMOVE;   /* rings for ever */
      if (self->leg_delay > 0)
        {
          leg->timeout_id = g_timeout_add (MAX (self->leg_delay - self->leg_delay / 3, 1),
                                           leg_step_cb, leg);
          return G_SOURCE_REMOVE;
        }
    }
  if (self->failing != NULL && g_pattern_spec_match_string (self->failing, remote))
    {
      line = g_strdup_printf ("call to \"%s\" failed; call leg %s ended", remote, leg->id);
      bk_sim_trace_line (node, 0, line);
      bk_sim_model_end_leg (node, leg);
      return G_SOURCE_REMOVE;
    }
  leg->leg_state = BK_SIM_LEG_CONNECTED;
  bk_sim_node_cdr_event (node);
  line = g_strdup_printf ("participant \"%s\" joined space", remote);
  bk_sim_trace_line (node, 0, line);
  return G_SOURCE_REMOVE;
}

static guint
node_active_legs (BkSimNode *node)
{
  return bk_sim_collection_size (node->legs);
}

static void
legs_post (BkSimNode   *node,
           BkSimObject *call,
           GHashTable  *form,
           BkSimReply  *reply)
{
  BkSimCluster *self = node->cluster;
  const char *remote = required_param (form, "remoteParty", reply);
  BkSimObject *leg;

  if (remote == NULL || !params_valid_or_reply (self, form, reply))
    return;

  leg = bk_sim_collection_add (node->legs, bk_sim_cluster_new_uuid (self));
  leg->node = node->index;
  leg->cluster = self;
  leg->participant_id = bk_sim_cluster_new_uuid (self);
  leg->leg_state = BK_SIM_LEG_INITIAL;
  bk_sim_object_set (leg, "name", g_hash_table_lookup (form, "name") ?: "");
  bk_sim_object_set (leg, "remoteParty", remote);
  bk_sim_object_set (leg, "originalRemoteParty", remote);
  bk_sim_object_set (leg, "call", call->id);
  bk_sim_object_set (leg, "tenant", bk_sim_object_get (call, "tenant"));
  if (g_hash_table_lookup (form, "callLegProfile") != NULL)
    bk_sim_object_set (leg, "callLegProfile", g_hash_table_lookup (form, "callLegProfile"));
  node->legs_max_active = MAX (node->legs_max_active, node_active_legs (node));
  bk_sim_node_cdr_event (node);

  reply_created (reply, "callLegs", leg->id);
  /* Without a delay the leg moves on at once: connected, ringing for ever
   * or already gone. */
  if (self->leg_delay == 0)
    leg_step_cb (leg);
  else
    leg->timeout_id = g_timeout_add (MAX (self->leg_delay / 3, 1), leg_step_cb, leg);
}

static void
write_leg_summary (BkSimNode   *node,
                   GString     *out,
                   BkSimObject *obj)
{
  static const char * const fields[] = {
    "name", "remoteParty", "originalRemoteParty", "call", "tenant", NULL,
  };

  write_item (out, "callLeg", obj, fields);
}

static const char *
leg_state_name (BkSimObject *leg)
{
  switch (leg->leg_state)
    {
    case BK_SIM_LEG_INITIAL:
      return "initial";
    case BK_SIM_LEG_RINGING:
      return "ringing";
    case BK_SIM_LEG_CONNECTED:
    default:
      return "connected";
    }
}

static void
write_leg_detail (BkSimNode   *node,
                  GString     *out,
                  BkSimObject *obj)
{
  open_item (out, "callLeg", obj->id);
  bk_sim_xml_element (out, "name", bk_sim_object_get (obj, "name"));
  bk_sim_xml_element (out, "remoteParty", bk_sim_object_get (obj, "remoteParty"));
  bk_sim_xml_element (out, "originalRemoteParty", bk_sim_object_get (obj, "originalRemoteParty"));
  if (bk_sim_object_get (obj, "tenant") != NULL)
    bk_sim_xml_element (out, "tenant", bk_sim_object_get (obj, "tenant"));
  bk_sim_xml_element (out, "call", bk_sim_object_get (obj, "call"));
  bk_sim_xml_element (out, "type", "sip");
  bk_sim_xml_element (out, "direction", "outgoing");
  bk_sim_xml_element_bool (out, "canMove", FALSE);
  if (bk_sim_object_get (obj, "callLegProfile") != NULL)
    bk_sim_xml_element (out, "callLegProfile", bk_sim_object_get (obj, "callLegProfile"));
  g_string_append (out, "<status>");
  bk_sim_xml_element (out, "state", leg_state_name (obj));
  bk_sim_xml_element_uint (out, "durationSeconds", age_seconds (obj));
  bk_sim_xml_element (out, "direction", "outgoing");
  bk_sim_xml_element_bool (out, "encryptedMedia", TRUE);
  bk_sim_xml_element_bool (out, "unencryptedMedia", FALSE);
  g_string_append (out, "</status>");
  g_string_append (out, "</callLeg>");
}

/* A leg's participant is named like the leg, or after its remote party. */
static const char *
participant_name (BkSimObject *leg)
{
  const char *name = bk_sim_object_get (leg, "name");

  return (name && *name) ? name : bk_sim_object_get (leg, "remoteParty");
}

static void
write_participant_summary (BkSimNode   *node,
                           GString     *out,
                           BkSimObject *leg)
{
  open_item (out, "participant", leg->participant_id);
  bk_sim_xml_element (out, "name", participant_name (leg));
  bk_sim_xml_element (out, "call", bk_sim_object_get (leg, "call"));
  /* "callBridge" names a remote bridge only: every participant here is
   * local to the node that answers. */
  if (bk_sim_object_get (leg, "tenant") != NULL)
    bk_sim_xml_element (out, "tenant", bk_sim_object_get (leg, "tenant"));
  g_string_append (out, "</participant>");
}

static void
write_participant_detail (BkSimNode   *node,
                          GString     *out,
                          BkSimObject *leg)
{
  open_item (out, "participant", leg->participant_id);
  bk_sim_xml_element (out, "call", bk_sim_object_get (leg, "call"));
  bk_sim_xml_element_uint (out, "numCallLegs", 1);
  bk_sim_xml_element (out, "name", participant_name (leg));
  bk_sim_xml_element (out, "uri", bk_sim_object_get (leg, "remoteParty"));
  bk_sim_xml_element (out, "originalUri", bk_sim_object_get (leg, "remoteParty"));
  bk_sim_xml_element_bool (out, "isActivator", TRUE);
  bk_sim_xml_element_bool (out, "canMove", FALSE);
  g_string_append (out, "<status>");
  bk_sim_xml_element (out, "state", "connected");
  g_string_append (out, "</status></participant>");
}

static BkSimObject *
find_participant (BkSimNode  *node,
                  const char *id)
{
  GSequenceIter *it;

  for (it = g_sequence_get_begin_iter (node->legs->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    {
      BkSimObject *leg = g_sequence_get (it);

      if (leg->leg_state == BK_SIM_LEG_CONNECTED &&
          g_ascii_strcasecmp (leg->participant_id, id) == 0)
        return leg;
    }
  return NULL;
}

/* ---- system ---- */

static void
write_status (BkSimNode  *node,
              BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  GString *out = g_string_new (XML_PROLOG);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *cdr_time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  guint active = node_active_legs (node);
  guint connected = 0;
  GSequenceIter *it;

  for (it = g_sequence_get_begin_iter (node->legs->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    if (((BkSimObject *) g_sequence_get (it))->leg_state == BK_SIM_LEG_CONNECTED)
      connected++;

  g_string_append (out, "<status>");
  bk_sim_xml_element (out, "softwareVersion", sim_software_version (self));
  bk_sim_xml_element_uint (out, "uptimeSeconds",
                           self->uptime_offset_s +
                           (guint64) ((g_get_monotonic_time () - self->start_us) / G_USEC_PER_SEC));
  bk_sim_xml_element (out, "cdrTime", cdr_time);
  bk_sim_xml_element_bool (out, "activated", TRUE);
  bk_sim_xml_element_bool (out, "clusterEnabled", self->n_nodes > 1);
  bk_sim_xml_element (out, "clusterId", self->cluster_id);
  bk_sim_xml_element (out, "hostId", node->id);
  bk_sim_xml_element_uint (out, "cdrCorrelatorIndex", node->cdr_index);
  bk_sim_xml_element_uint (out, "callLegsActive", active);
  bk_sim_xml_element_uint (out, "callLegsMaxActive", node->legs_max_active);
  bk_sim_xml_element_uint (out, "callLegsCompleted", node->legs_completed);
  bk_sim_xml_element_uint (out, "audioBitRateOutgoing", (guint64) connected * 64000);
  bk_sim_xml_element_uint (out, "audioBitRateIncoming", (guint64) connected * 64000);
  bk_sim_xml_element_uint (out, "videoBitRateOutgoing", (guint64) connected * 1920000);
  bk_sim_xml_element_uint (out, "videoBitRateIncoming", (guint64) connected * 1536000);
  g_string_append (out, "</status>");
  reply_xml (reply, out);
}

static void
write_alarm (BkSimNode   *node,
             GString     *out,
             BkSimObject *obj)
{
  open_item (out, "alarm", obj->id);
  bk_sim_xml_element (out, "type", bk_sim_object_get (obj, "type"));
  bk_sim_xml_element_uint (out, "activeTimeSeconds", age_seconds (obj));
  if (bk_sim_object_get (obj, "failureReason") != NULL)
    bk_sim_xml_element (out, "failureReason", bk_sim_object_get (obj, "failureReason"));
  g_string_append (out, "</alarm>");
}

static void
write_call_bridges (BkSimNode  *node,
                    GHashTable *query,
                    BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  GString *out;
  guint64 offset, page;
  guint written = 0;

  if (!parse_paging (self, query, &offset, &page, reply))
    return;
  out = g_string_new (XML_PROLOG);
  g_string_append_printf (out, "<callBridges total=\"%u\">", self->n_nodes);
  for (guint i = (guint) MIN (offset, self->n_nodes); i < self->n_nodes && written < page; i++, written++)
    {
      BkSimNode *n = g_ptr_array_index (self->nodes, i);

      open_item (out, "callBridge", n->id);
      bk_sim_xml_element (out, "name", n->name);
      g_string_append (out, "</callBridge>");
    }
  g_string_append (out, "</callBridges>");
  reply_xml (reply, out);
}

static BkSimNode *
find_node_by_id (BkSimCluster *self,
                 const char   *id)
{
  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *n = g_ptr_array_index (self->nodes, i);

      if (g_ascii_strcasecmp (n->id, id) == 0)
        return n;
    }
  return NULL;
}

/* ---- routing ---- */

static gboolean
seg_is (char      **segs,
        guint       n_segs,
        guint       i,
        const char *name)
{
  return i < n_segs && g_ascii_strcasecmp (segs[i], name) == 0;
}

/* ---- filters of the collection GETs ---- */

static void
add_reference (GHashTable  *set,
               BkSimObject *obj,
               const char  *field)
{
  const char *v = bk_sim_object_get (obj, field);

  if (v != NULL && *v != '\0')
    g_hash_table_add (set, g_ascii_strdown (v, -1));
}

static void
add_references_of (GHashTable      *set,
                   BkSimCollection *coll,
                   const char      *field)
{
  GSequenceIter *it;

  for (it = g_sequence_get_begin_iter (coll->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    add_reference (set, g_sequence_get (it), field);
}

/* usageFilter=referenced|unreferenced: a profile is referenced when a
 * coSpace, a tenant, a bulk parameter set or a live call leg names it.
 * Answers the request when the value is not one of those. */
static gboolean
parse_usage_filter (BkSimCluster *self,
                    GHashTable   *query,
                    const char   *field,
                    Filters      *f,
                    BkSimReply   *reply)
{
  const char *usage = query_get (query, "usageFilter");

  if (usage == NULL)
    return TRUE;
  if (g_str_equal (usage, "referenced"))
    f->usage = 1;
  else if (g_str_equal (usage, "unreferenced"))
    f->usage = 2;
  else
    {
      reply_param (reply, "usageFilter", "invalidValue");
      return FALSE;
    }
  f->referenced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  add_references_of (f->referenced, self->db.cospaces, field);
  add_references_of (f->referenced, self->db.tenants, field);
  add_references_of (f->referenced, self->db.bulk_sets, field);
  for (guint i = 0; i < self->n_nodes; i++)
    add_references_of (f->referenced, bk_sim_cluster_get_node (self, i)->legs, field);
  return TRUE;
}

static gboolean
parse_index_filters (BkSimCluster *self,
                     GHashTable   *query,
                     Filters      *f,
                     BkSimReply   *reply)
{
  Fail fail = { 0 };

  f->has_start = query_get (query, "startIndex") != NULL;
  f->has_end = query_get (query, "endIndex") != NULL;
  if (parse_uint_param (query, "startIndex", 0, &f->start, &fail) &&
      parse_uint_param (query, "endIndex", 0, &f->end, &fail))
    return TRUE;
  reply_fail (reply, &fail);
  return FALSE;
}

/* callBridgeFilter: only this node's participants are local; another
 * bridge's id matches none of them. */
static void
parse_call_bridge_filter (BkSimNode  *node,
                          GHashTable *query,
                          Filters    *f)
{
  const char *bridge = query_get (query, "callBridgeFilter");

  if (bridge != NULL && g_ascii_strcasecmp (bridge, node->id) != 0)
    f->none = TRUE;
}

/* ---- objects ---- */

static void
single_object (BkSimNode       *node,
               const char      *method,
               GHashTable      *form,
               BkSimReply      *reply,
               BkSimCollection *coll,
               BkSimObject     *obj,
               const char      *missing,
               Writer           write)
{
  if (obj == NULL)
    {
      reply_failure (reply, 404, missing);
      return;
    }
  if (g_str_equal (method, "GET"))
    {
      GString *out = g_string_new (XML_PROLOG);

      write (node, out, obj);
      reply_xml (reply, out);
    }
  else if (g_str_equal (method, "PUT"))
    {
      if (!params_valid_or_reply (node->cluster, form, reply))
        return;
      generic_apply (obj, form);
      reply_ok (reply);
    }
  else if (g_str_equal (method, "DELETE"))
    {
      bk_sim_collection_remove (coll, obj);
      reply_ok (reply);
    }
  else
    reply_failure (reply, 400, "invalidOperation");
}

typedef struct
{
  BkSimCollection    *coll;
  const char         *root;          /* the list's element and the path's */
  const char         *missing;       /* failure for an unknown id */
  const char * const *filter_fields; /* free-text "filter" on these, or NULL */
  Writer              summary;
  Writer              detail;
} GenericKind;

static void
generic_collection (BkSimNode         *node,
                    const char        *method,
                    char             **segs,
                    guint              n_segs,
                    GHashTable        *query,
                    GHashTable        *form,
                    BkSimReply        *reply,
                    const GenericKind *kind,
                    Filters           *filters)
{
  BkSimCluster *self = node->cluster;

  if (n_segs == 1)
    {
      if (g_str_equal (method, "GET"))
        list_collection (node, query, reply, kind->coll, kind->root, filters, kind->filter_fields,
                         kind->summary);
      else if (g_str_equal (method, "POST"))
        {
          BkSimObject *obj;

          if (!params_valid_or_reply (self, form, reply))
            return;
          obj = bk_sim_collection_add (kind->coll, bk_sim_cluster_new_uuid (self));
          generic_apply (obj, form);
          reply_created (reply, kind->root, obj->id);
        }
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs == 2)
    {
      single_object (node, method, form, reply, kind->coll,
                     bk_sim_collection_lookup (kind->coll, segs[1]), kind->missing, kind->detail);
      return;
    }
  reply_failure (reply, 400, "unrecognizedObject");
}

static void
route_cospaces (BkSimNode  *node,
                const char *method,
                char      **segs,
                guint       n_segs,
                GHashTable *query,
                GHashTable *form,
                BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  BkSimObject *space;

  if (n_segs == 1)
    {
      if (g_str_equal (method, "GET"))
        {
          g_auto(Filters) f = { 0 };

          f.tenant = query_get (query, "tenantFilter");
          f.leg_profile = query_get (query, "callLegProfileFilter");
          list_collection (node, query, reply, self->db.cospaces, "coSpaces", &f,
                           cospace_filter_fields, write_cospace_summary);
        }
      else if (g_str_equal (method, "POST"))
        cospaces_post (node, form, reply);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs != 2)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  space = bk_sim_collection_lookup (self->db.cospaces, segs[1]);
  if (space == NULL)
    reply_failure (reply, 404, "coSpaceDoesNotExist");
  else if (g_str_equal (method, "PUT"))
    cospace_put (node, space, form, reply);
  else if (g_str_equal (method, "DELETE"))
    {
      bk_sim_db_remove_cospace (&self->db, space);
      reply_ok (reply);
    }
  else
    single_object (node, method, form, reply, self->db.cospaces, space,
                   "coSpaceDoesNotExist", write_cospace_detail);
}

static void
route_bulk_syncs (BkSimNode  *node,
                  const char *method,
                  char      **segs,
                  guint       n_segs,
                  GHashTable *query,
                  GHashTable *form,
                  BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;

  if (n_segs == 1 && g_str_equal (method, "POST"))
    bulk_syncs_post (node, form, reply);
  else if (n_segs == 1 && g_str_equal (method, "GET"))
    list_collection (node, query, reply, self->db.bulk_syncs, "cospaceBulkSyncs",
                     NULL, NULL, write_bulk_sync_summary);
  else if (n_segs == 2 && g_str_equal (method, "GET"))
    single_object (node, method, form, reply, self->db.bulk_syncs,
                   bk_sim_collection_lookup (self->db.bulk_syncs, segs[1]),
                   "cospaceBulkSyncDoesNotExist", write_bulk_sync);
  else if (n_segs <= 2)
    reply_failure (reply, 400, "invalidOperation");
  else
    reply_failure (reply, 400, "unrecognizedObject");
}

static void
list_participants (BkSimNode   *node,
                   GHashTable  *query,
                   BkSimReply  *reply,
                   const char  *call)
{
  g_auto(Filters) f = { 0 };

  f.connected = TRUE;
  f.call = call;
  f.tenant = query_get (query, "tenantFilter");
  parse_call_bridge_filter (node, query, &f);
  list_collection (node, query, reply, node->legs, "participants", &f, leg_filter_fields,
                   write_participant_summary);
}

static void
list_legs (BkSimNode   *node,
           GHashTable  *query,
           BkSimReply  *reply,
           const char  *call)
{
  g_auto(Filters) f = { 0 };

  f.call = call;
  f.tenant = query_get (query, "tenantFilter");
  f.participant = query_get (query, "participantFilter");
  list_collection (node, query, reply, node->legs, "callLegs", &f, leg_filter_fields,
                   write_leg_summary);
}

static void
route_calls (BkSimNode  *node,
             const char *method,
             char      **segs,
             guint       n_segs,
             GHashTable *query,
             GHashTable *form,
             BkSimReply *reply)
{
  BkSimObject *call;

  if (n_segs == 1)
    {
      if (g_str_equal (method, "GET"))
        {
          g_auto(Filters) f = { 0 };

          f.cospace = query_get (query, "coSpaceFilter");
          f.tenant = query_get (query, "tenantFilter");
          list_collection (node, query, reply, node->calls, "calls", &f, NULL, write_call_summary);
        }
      else if (g_str_equal (method, "POST"))
        calls_post (node, form, reply);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs > 3)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  if (n_segs == 3 && !seg_is (segs, n_segs, 2, "callLegs") && !seg_is (segs, n_segs, 2, "participants"))
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  call = bk_sim_collection_lookup (node->calls, segs[1]);
  if (call == NULL)
    {
      reply_failure (reply, 404, "callDoesNotExist");
      return;
    }
  if (n_segs == 3 && seg_is (segs, n_segs, 2, "callLegs"))
    {
      if (g_str_equal (method, "POST"))
        legs_post (node, call, form, reply);
      else if (g_str_equal (method, "GET"))
        list_legs (node, query, reply, call->id);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs == 3)
    {
      if (g_str_equal (method, "GET"))
        list_participants (node, query, reply, call->id);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (g_str_equal (method, "DELETE"))
    {
      bk_sim_model_end_call (node, call);
      reply_ok (reply);
    }
  else if (g_str_equal (method, "PUT") && !call_message_params_ok (node->cluster, form, reply))
    return;
  else
    single_object (node, method, form, reply, node->calls, call, "callDoesNotExist",
                   write_call_detail);
}

static void
route_legs (BkSimNode  *node,
            const char *method,
            char      **segs,
            guint       n_segs,
            GHashTable *query,
            GHashTable *form,
            BkSimReply *reply)
{
  BkSimObject *leg;

  if (n_segs == 1)
    {
      if (g_str_equal (method, "GET"))
        list_legs (node, query, reply, NULL);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs != 2)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  leg = bk_sim_collection_lookup (node->legs, segs[1]);
  if (leg == NULL)
    reply_failure (reply, 404, "callLegDoesNotExist");
  else if (g_str_equal (method, "DELETE"))
    {
      bk_sim_model_end_leg (node, leg);
      reply_ok (reply);
    }
  else
    single_object (node, method, form, reply, node->legs, leg, "callLegDoesNotExist",
                   write_leg_detail);
}

static void
route_participants (BkSimNode  *node,
                    const char *method,
                    char      **segs,
                    guint       n_segs,
                    GHashTable *query,
                    BkSimReply *reply)
{
  if (n_segs > 2)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  if (!g_str_equal (method, "GET"))
    {
      reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs == 1)
    list_participants (node, query, reply, NULL);
  else
    {
      BkSimObject *leg = find_participant (node, segs[1]);

      if (leg == NULL)
        reply_failure (reply, 404, "participantDoesNotExist");
      else
        {
          GString *out = g_string_new (XML_PROLOG);

          write_participant_detail (node, out, leg);
          reply_xml (reply, out);
        }
    }
}

static void
route_system (BkSimNode  *node,
              const char *method,
              char      **segs,
              guint       n_segs,
              GHashTable *query,
              BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;

  if (n_segs == 2 && seg_is (segs, n_segs, 1, "status"))
    {
      if (g_str_equal (method, "GET"))
        write_status (node, reply);
      else
        reply_failure (reply, 400, "invalidOperation");
    }
  else if (n_segs == 2 && seg_is (segs, n_segs, 1, "alarms"))
    {
      if (g_str_equal (method, "GET"))
        list_collection (node, query, reply, self->db.alarms, "alarms", NULL, NULL, write_alarm);
      else
        reply_failure (reply, 400, "invalidOperation");
    }
  else if (n_segs == 3 && seg_is (segs, n_segs, 1, "configuration") && seg_is (segs, n_segs, 2, "cluster"))
    {
      GString *out;

      if (!g_str_equal (method, "GET") && !g_str_equal (method, "PUT"))
        {
          reply_failure (reply, 400, "invalidOperation");
          return;
        }
      if (g_str_equal (method, "PUT"))
        {
          reply_ok (reply);
          return;
        }
      out = g_string_new (XML_PROLOG);
      g_string_append (out, "<cluster>");
      bk_sim_xml_element (out, "uniqueName", node->name);
      bk_sim_xml_element_uint (out, "peerLinkBitRate", 0);
      bk_sim_xml_element_uint (out, "participantLimit", 0);
      bk_sim_xml_element_uint (out, "newConferenceLoadLimitBasisPoints", 5000);
      bk_sim_xml_element_uint (out, "existingConferenceLoadLimitBasisPoints", 8000);
      g_string_append (out, "</cluster>");
      reply_xml (reply, out);
    }
  else
    reply_failure (reply, 400, "unrecognizedObject");
}

static void
route_call_bridges (BkSimNode  *node,
                    const char *method,
                    char      **segs,
                    guint       n,
                    GHashTable *query,
                    BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;

  if (!g_str_equal (method, "GET"))
    reply_failure (reply, 400, "invalidOperation");
  else if (n == 1)
    write_call_bridges (node, query, reply);
  else if (n == 2)
    {
      BkSimNode *other = find_node_by_id (self, segs[1]);
      GString *out;

      if (other == NULL)
        {
          reply_failure (reply, 404, "callBridgeDoesNotExist");
          return;
        }
      out = g_string_new (XML_PROLOG);
      open_item (out, "callBridge", other->id);
      bk_sim_xml_element (out, "name", other->name);
      bk_sim_xml_element (out, "address", other->url);
      bk_sim_xml_element (out, "sipDomain", "");
      g_string_append (out, "</callBridge>");
      reply_xml (reply, out);
    }
  else
    reply_failure (reply, 400, "unrecognizedObject");
}

/* "/api/v<N>/..." with N other than 1: CMS answers invalidVersion. */
static gboolean
is_other_version (const char *path)
{
  const char *p;

  if (g_ascii_strncasecmp (path, "/api/", 5) != 0)
    return FALSE;
  p = path + 5;
  if (g_ascii_strncasecmp (p, "v1/", 3) == 0 || g_ascii_strcasecmp (p, "v1") == 0)
    return FALSE;
  return TRUE;
}

void
bk_sim_model_dispatch (BkSimNode  *node,
                       const char *method,
                       const char *path,
                       GHashTable *query,
                       GHashTable *form,
                       BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  g_auto(GStrv) raw = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  char **segs;
  guint n;
  g_autoptr(GHashTable) empty = NULL;
  g_auto(Filters) f = { 0 };

  if (form == NULL)
    form = empty = g_hash_table_new (g_str_hash, g_str_equal);

  if (is_other_version (path))
    {
      reply_failure (reply, 400, "invalidVersion");
      return;
    }
  if (g_ascii_strncasecmp (path, "/api/v1/", 8) != 0)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  raw = g_strsplit (path + 8, "/", -1);
  for (guint i = 0; raw[i] != NULL; i++)
    if (*raw[i] != '\0')
      g_ptr_array_add (parts, raw[i]);
  g_ptr_array_add (parts, NULL);
  segs = (char **) parts->pdata;
  n = parts->len - 1;

  if (n == 0)
    reply_failure (reply, 400, "unrecognizedObject");
  else if (seg_is (segs, n, 0, "system"))
    route_system (node, method, segs, n, query, reply);
  else if (seg_is (segs, n, 0, "callBridges"))
    route_call_bridges (node, method, segs, n, query, reply);
  else if (seg_is (segs, n, 0, "coSpaces"))
    route_cospaces (node, method, segs, n, query, form, reply);
  else if (seg_is (segs, n, 0, "callProfiles"))
    {
      static const GenericKind kind = { NULL, "callProfiles", "callProfileDoesNotExist", NULL,
                                        write_call_profile_summary, write_call_profile };
      GenericKind k = kind;

      k.coll = self->db.call_profiles;
      if (n == 1 && g_str_equal (method, "GET") &&
          !parse_usage_filter (self, query, "callProfile", &f, reply))
        return;
      generic_collection (node, method, segs, n, query, form, reply, &k, &f);
    }
  else if (seg_is (segs, n, 0, "callLegProfiles"))
    {
      static const GenericKind kind = { NULL, "callLegProfiles", "callLegProfileDoesNotExist", NULL,
                                        write_call_leg_profile_summary, write_call_leg_profile };
      GenericKind k = kind;

      k.coll = self->db.call_leg_profiles;
      if (n == 1 && g_str_equal (method, "GET") &&
          !parse_usage_filter (self, query, "callLegProfile", &f, reply))
        return;
      generic_collection (node, method, segs, n, query, form, reply, &k, &f);
    }
  else if (seg_is (segs, n, 0, "cospaceBulkParameterSets"))
    {
      static const GenericKind kind = { NULL, "cospaceBulkParameterSets",
                                        "cospaceBulkParameterSetDoesNotExist", NULL,
                                        write_bulk_set_summary, write_bulk_set };
      GenericKind k = kind;

      k.coll = self->db.bulk_sets;
      if (n == 1 && g_str_equal (method, "GET") && !parse_index_filters (self, query, &f, reply))
        return;
      generic_collection (node, method, segs, n, query, form, reply, &k, &f);
    }
  else if (seg_is (segs, n, 0, "tenants"))
    {
      static const GenericKind kind = { NULL, "tenants", "tenantDoesNotExist", name_filter_fields,
                                        write_tenant_summary, write_tenant };
      GenericKind k = kind;

      k.coll = self->db.tenants;
      generic_collection (node, method, segs, n, query, form, reply, &k, &f);
    }
  else if (seg_is (segs, n, 0, "cospaceBulkSyncs"))
    route_bulk_syncs (node, method, segs, n, query, form, reply);
  else if (seg_is (segs, n, 0, "calls"))
    route_calls (node, method, segs, n, query, form, reply);
  else if (seg_is (segs, n, 0, "callLegs"))
    route_legs (node, method, segs, n, query, form, reply);
  else if (seg_is (segs, n, 0, "participants"))
    route_participants (node, method, segs, n, query, reply);
  else
    reply_failure (reply, 400, "unrecognizedObject");
}
