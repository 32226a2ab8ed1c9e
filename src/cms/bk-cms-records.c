/* bk-cms-records.c: table-driven libxml2 decoders for CMS API records
 *
 * Each kind has a table of (element path, type, struct offset). The decoder
 * walks the element's children once (and one level deeper for paths like
 * "status/state"), so unknown elements cost nothing but a table scan.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkCmsRecords"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "bk-cms-error.h"
#include "bk-cms-private.h"
#include "bk-cms-records.h"

typedef enum
{
  F_STR,
  F_INT,      /* gint64, -1 when absent */
  F_BOOL,     /* gboolean, default in .arg */
  F_TIME,     /* GDateTime* */
  F_FLAG,     /* guint bit .arg set when the element is present */
} FieldType;

typedef struct
{
  const char *path;     /* "name" or "status/state" */
  FieldType   type;
  gsize       offset;
  guint       arg;
} Field;

typedef struct
{
  const char  *list_element;
  const char  *item_element;   /* also the root of a single object */
  gsize        size;
  const Field *fields;
  gsize        n_fields;
  GType      (*get_type) (void);
  void       (*post) (gpointer record, xmlNode *node, gboolean single);
  void       (*extra_free) (gpointer record);
  void       (*extra_copy) (gconstpointer src, gpointer dest);
} KindInfo;

#define S(T, path, member) { path, F_STR, G_STRUCT_OFFSET (T, member), 0 }
#define I(T, path, member) { path, F_INT, G_STRUCT_OFFSET (T, member), 0 }
#define B(T, path, member, def) { path, F_BOOL, G_STRUCT_OFFSET (T, member), def }
#define D(T, path, member) { path, F_TIME, G_STRUCT_OFFSET (T, member), 0 }
#define FL(T, path, member, bit) { path, F_FLAG, G_STRUCT_OFFSET (T, member), bit }

static const Field status_fields[] = {
  S (BkCmsSystemStatus, "softwareVersion", software_version),
  S (BkCmsSystemStatus, "hostId", host_id),
  S (BkCmsSystemStatus, "clusterId", cluster_id),
  D (BkCmsSystemStatus, "cdrTime", cdr_time),
  I (BkCmsSystemStatus, "uptimeSeconds", uptime_seconds),
  I (BkCmsSystemStatus, "cdrCorrelatorIndex", cdr_correlator_index),
  I (BkCmsSystemStatus, "callLegsActive", call_legs_active),
  I (BkCmsSystemStatus, "callLegsMaxActive", call_legs_max_active),
  I (BkCmsSystemStatus, "callLegsCompleted", call_legs_completed),
  I (BkCmsSystemStatus, "audioBitRateOutgoing", audio_bit_rate_outgoing),
  I (BkCmsSystemStatus, "audioBitRateIncoming", audio_bit_rate_incoming),
  I (BkCmsSystemStatus, "videoBitRateOutgoing", video_bit_rate_outgoing),
  I (BkCmsSystemStatus, "videoBitRateIncoming", video_bit_rate_incoming),
  B (BkCmsSystemStatus, "activated", activated, TRUE),
  B (BkCmsSystemStatus, "clusterEnabled", cluster_enabled, FALSE),
};

static const Field cluster_fields[] = {
  S (BkCmsClusterConfig, "uniqueName", unique_name),
  I (BkCmsClusterConfig, "peerLinkBitRate", peer_link_bit_rate),
  I (BkCmsClusterConfig, "participantLimit", participant_limit),
  I (BkCmsClusterConfig, "loadLimit", load_limit),
  I (BkCmsClusterConfig, "newConferenceLoadLimitBasisPoints", new_conference_load_limit_basis_points),
  I (BkCmsClusterConfig, "existingConferenceLoadLimitBasisPoints", existing_conference_load_limit_basis_points),
  I (BkCmsClusterConfig, "maxPeerVideoStreams", max_peer_video_streams),
};

static const Field alarm_fields[] = {
  S (BkCmsAlarm, "type", type),
  S (BkCmsAlarm, "failureReason", failure_reason),
  S (BkCmsAlarm, "callBridge", call_bridge),
  S (BkCmsAlarm, "callBridgeName", call_bridge_name),
  S (BkCmsAlarm, "call", call),
  I (BkCmsAlarm, "activeTimeSeconds", active_time_seconds),
};

static const Field call_bridge_fields[] = {
  S (BkCmsCallBridge, "name", name),
  S (BkCmsCallBridge, "address", address),
  S (BkCmsCallBridge, "sipDomain", sip_domain),
  S (BkCmsCallBridge, "callBridgeGroup", call_bridge_group),
};

static const Field call_profile_fields[] = {
  S (BkCmsCallProfile, "lockMode", lock_mode),
  S (BkCmsCallProfile, "recordingMode", recording_mode),
  S (BkCmsCallProfile, "streamingMode", streaming_mode),
  S (BkCmsCallProfile, "passcodeMode", passcode_mode),
  I (BkCmsCallProfile, "participantLimit", participant_limit),
  I (BkCmsCallProfile, "passcodeTimeout", passcode_timeout),
  B (BkCmsCallProfile, "locked", locked, FALSE),
  B (BkCmsCallProfile, "messageBoardEnabled", message_board_enabled, FALSE),
};

static const Field call_leg_profile_fields[] = {
  S (BkCmsCallLegProfile, "name", name),
  S (BkCmsCallLegProfile, "defaultLayout", default_layout),
  I (BkCmsCallLegProfile, "maxCallDurationTime", max_call_duration_time),
  B (BkCmsCallLegProfile, "needsActivation", needs_activation, FALSE),
  B (BkCmsCallLegProfile, "changeLayoutAllowed", change_layout_allowed, TRUE),
  B (BkCmsCallLegProfile, "presentationContributionAllowed", presentation_contribution_allowed, TRUE),
  B (BkCmsCallLegProfile, "presentationViewingAllowed", presentation_viewing_allowed, TRUE),
  B (BkCmsCallLegProfile, "muteSelfAllowed", mute_self_allowed, TRUE),
  B (BkCmsCallLegProfile, "videoMuteSelfAllowed", video_mute_self_allowed, TRUE),
  B (BkCmsCallLegProfile, "endCallAllowed", end_call_allowed, TRUE),
};

static const Field co_space_fields[] = {
  S (BkCmsCoSpace, "name", name),
  S (BkCmsCoSpace, "uri", uri),
  S (BkCmsCoSpace, "secondaryUri", secondary_uri),
  S (BkCmsCoSpace, "callId", call_id),
  S (BkCmsCoSpace, "tenant", tenant),
  S (BkCmsCoSpace, "passcode", passcode),
  S (BkCmsCoSpace, "secret", secret),
  S (BkCmsCoSpace, "defaultLayout", default_layout),
  S (BkCmsCoSpace, "callProfile", call_profile),
  S (BkCmsCoSpace, "callLegProfile", call_leg_profile),
  S (BkCmsCoSpace, "callBrandingProfile", call_branding_profile),
  S (BkCmsCoSpace, "ownerId", owner_id),
  S (BkCmsCoSpace, "ownerJid", owner_jid),
  S (BkCmsCoSpace, "cdrTag", cdr_tag),
  S (BkCmsCoSpace, "streamUrl", stream_url),
  S (BkCmsCoSpace, "meetingScheduler", meeting_scheduler),
  I (BkCmsCoSpace, "numAccessMethods", num_access_methods),
  B (BkCmsCoSpace, "autoGenerated", auto_generated, FALSE),
  B (BkCmsCoSpace, "nonMemberAccess", non_member_access, TRUE),
};

static const Field bulk_parameter_set_fields[] = {
  S (BkCmsBulkParameterSet, "coSpaceUriMapping", co_space_uri_mapping),
  S (BkCmsBulkParameterSet, "coSpaceNameMapping", co_space_name_mapping),
  S (BkCmsBulkParameterSet, "coSpaceCallIdMapping", co_space_call_id_mapping),
  S (BkCmsBulkParameterSet, "tenant", tenant),
  S (BkCmsBulkParameterSet, "callProfile", call_profile),
  S (BkCmsBulkParameterSet, "callLegProfile", call_leg_profile),
  S (BkCmsBulkParameterSet, "callBrandingProfile", call_branding_profile),
  I (BkCmsBulkParameterSet, "startIndex", start_index),
  I (BkCmsBulkParameterSet, "endIndex", end_index),
  B (BkCmsBulkParameterSet, "nonMemberAccess", non_member_access, TRUE),
};

static const Field bulk_sync_fields[] = {
  S (BkCmsBulkSync, "cospaceBulkParameterSet", parameter_set),
  S (BkCmsBulkSync, "status", status_text),
  B (BkCmsBulkSync, "removeAll", remove_all, FALSE),
};

static const Field call_fields[] = {
  S (BkCmsCall, "name", name),
  S (BkCmsCall, "coSpace", co_space),
  S (BkCmsCall, "callCorrelator", call_correlator),
  S (BkCmsCall, "tenant", tenant),
  S (BkCmsCall, "callType", call_type),
  S (BkCmsCall, "ownerName", owner_name),
  I (BkCmsCall, "durationSeconds", duration_seconds),
  I (BkCmsCall, "numCallLegs", num_call_legs),
  I (BkCmsCall, "maxCallLegs", max_call_legs),
  I (BkCmsCall, "numParticipantsLocal", num_participants_local),
  I (BkCmsCall, "numParticipantsRemote", num_participants_remote),
  B (BkCmsCall, "locked", locked, FALSE),
  B (BkCmsCall, "recording", recording, FALSE),
  B (BkCmsCall, "streaming", streaming, FALSE),
};

static const Field call_leg_fields[] = {
  S (BkCmsCallLeg, "name", name),
  S (BkCmsCallLeg, "remoteParty", remote_party),
  S (BkCmsCallLeg, "originalRemoteParty", original_remote_party),
  S (BkCmsCallLeg, "call", call),
  S (BkCmsCallLeg, "tenant", tenant),
  S (BkCmsCallLeg, "type", type),
  S (BkCmsCallLeg, "subtype", subtype),
  S (BkCmsCallLeg, "direction", direction),
  S (BkCmsCallLeg, "status/state", state),
  I (BkCmsCallLeg, "status/durationSeconds", duration_seconds),
  FL (BkCmsCallLeg, "alarms/packetLoss", alarms, BK_CMS_CALL_LEG_ALARM_PACKET_LOSS),
  FL (BkCmsCallLeg, "alarms/excessiveJitter", alarms, BK_CMS_CALL_LEG_ALARM_EXCESSIVE_JITTER),
  FL (BkCmsCallLeg, "alarms/highRoundTripTime", alarms, BK_CMS_CALL_LEG_ALARM_HIGH_ROUND_TRIP_TIME),
};

static const Field participant_fields[] = {
  S (BkCmsParticipant, "name", name),
  S (BkCmsParticipant, "call", call),
  S (BkCmsParticipant, "tenant", tenant),
  S (BkCmsParticipant, "callBridge", call_bridge),
  S (BkCmsParticipant, "uri", uri),
  S (BkCmsParticipant, "originalUri", original_uri),
  S (BkCmsParticipant, "status/state", state),
  I (BkCmsParticipant, "numCallLegs", num_call_legs),
  B (BkCmsParticipant, "isActivator", is_activator, FALSE),
};

static char *node_text (xmlNode *node);

static void
co_space_post (gpointer record, xmlNode *node, gboolean single)
{
  ((BkCmsCoSpace *) record)->full = single;
}

static void
bulk_sync_post (gpointer record, xmlNode *node, gboolean single)
{
  BkCmsBulkSync *sync = record;
  sync->status = bk_cms_bulk_sync_status_from_string (sync->status_text);
}

static void
call_leg_profile_post (gpointer record, xmlNode *node, gboolean single)
{
  BkCmsCallLegProfile *profile = record;

  profile->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      gboolean leaf = TRUE;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      for (xmlNode *c = child->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
          leaf = FALSE;
      if (leaf)
        g_hash_table_replace (profile->fields, g_strdup ((const char *) child->name), node_text (child));
    }
}

static void
call_leg_profile_free (gpointer record)
{
  g_clear_pointer (&((BkCmsCallLegProfile *) record)->fields, g_hash_table_unref);
}

static void
call_leg_profile_copy (gconstpointer src, gpointer dest)
{
  const BkCmsCallLegProfile *s = src;
  BkCmsCallLegProfile *d = dest;
  GHashTableIter iter;
  gpointer k, v;

  d->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (s->fields == NULL)
    return;
  g_hash_table_iter_init (&iter, s->fields);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (d->fields, g_strdup (k), g_strdup (v));
}

#define KIND(list, item, T, fields, type_func) \
  list, item, sizeof (T), fields, G_N_ELEMENTS (fields), type_func

static const KindInfo kinds[BK_CMS_N_KINDS] = {
  [BK_CMS_KIND_SYSTEM_STATUS] = { KIND (NULL, "status", BkCmsSystemStatus, status_fields, bk_cms_system_status_get_type) },
  [BK_CMS_KIND_CLUSTER_CONFIG] = { KIND (NULL, "cluster", BkCmsClusterConfig, cluster_fields, bk_cms_cluster_config_get_type) },
  [BK_CMS_KIND_ALARM] = { KIND ("alarms", "alarm", BkCmsAlarm, alarm_fields, bk_cms_alarm_get_type) },
  [BK_CMS_KIND_CALL_BRIDGE] = { KIND ("callBridges", "callBridge", BkCmsCallBridge, call_bridge_fields, bk_cms_call_bridge_get_type) },
  [BK_CMS_KIND_CALL_PROFILE] = { KIND ("callProfiles", "callProfile", BkCmsCallProfile, call_profile_fields, bk_cms_call_profile_get_type) },
  [BK_CMS_KIND_CALL_LEG_PROFILE] = { KIND ("callLegProfiles", "callLegProfile", BkCmsCallLegProfile, call_leg_profile_fields, bk_cms_call_leg_profile_get_type),
                                     call_leg_profile_post, call_leg_profile_free, call_leg_profile_copy },
  [BK_CMS_KIND_COSPACE] = { KIND ("coSpaces", "coSpace", BkCmsCoSpace, co_space_fields, bk_cms_co_space_get_type), co_space_post },
  [BK_CMS_KIND_BULK_PARAMETER_SET] = { KIND ("cospaceBulkParameterSets", "cospaceBulkParameterSet", BkCmsBulkParameterSet, bulk_parameter_set_fields, bk_cms_bulk_parameter_set_get_type) },
  [BK_CMS_KIND_BULK_SYNC] = { KIND ("cospaceBulkSyncs", "cospaceBulkSync", BkCmsBulkSync, bulk_sync_fields, bk_cms_bulk_sync_get_type), bulk_sync_post },
  [BK_CMS_KIND_CALL] = { KIND ("calls", "call", BkCmsCall, call_fields, bk_cms_call_get_type) },
  [BK_CMS_KIND_CALL_LEG] = { KIND ("callLegs", "callLeg", BkCmsCallLeg, call_leg_fields, bk_cms_call_leg_get_type) },
  [BK_CMS_KIND_PARTICIPANT] = { KIND ("participants", "participant", BkCmsParticipant, participant_fields, bk_cms_participant_get_type) },
};

/* Generic record memory management */

static gpointer
record_new (const KindInfo *info)
{
  guint8 *record = g_malloc0 (info->size);

  for (gsize i = 0; i < info->n_fields; i++)
    {
      const Field *f = &info->fields[i];

      if (f->type == F_INT)
        G_STRUCT_MEMBER (gint64, record, f->offset) = -1;
      else if (f->type == F_BOOL)
        G_STRUCT_MEMBER (gboolean, record, f->offset) = f->arg;
    }
  return record;
}

static void
record_free (const KindInfo *info,
             gpointer        record)
{
  if (record == NULL)
    return;
  g_free (((BkCmsRecord *) record)->id);
  for (gsize i = 0; i < info->n_fields; i++)
    {
      const Field *f = &info->fields[i];

      if (f->type == F_STR)
        g_free (G_STRUCT_MEMBER (char *, record, f->offset));
      else if (f->type == F_TIME)
        g_clear_pointer (&G_STRUCT_MEMBER (GDateTime *, record, f->offset), g_date_time_unref);
    }
  if (info->extra_free)
    info->extra_free (record);
  g_free (record);
}

static gpointer
record_copy (const KindInfo *info,
             gconstpointer   src)
{
  guint8 *dest;

  if (src == NULL)
    return NULL;
  dest = g_memdup2 (src, info->size);
  ((BkCmsRecord *) dest)->id = g_strdup (((const BkCmsRecord *) src)->id);
  for (gsize i = 0; i < info->n_fields; i++)
    {
      const Field *f = &info->fields[i];

      if (f->type == F_STR)
        G_STRUCT_MEMBER (char *, dest, f->offset) = g_strdup (G_STRUCT_MEMBER (char *, src, f->offset));
      else if (f->type == F_TIME && G_STRUCT_MEMBER (GDateTime *, src, f->offset) != NULL)
        g_date_time_ref (G_STRUCT_MEMBER (GDateTime *, dest, f->offset));
    }
  if (info->extra_copy)
    info->extra_copy (src, dest);
  return dest;
}

/* XML helpers */

static char *
node_text (xmlNode *node)
{
  xmlChar *content;
  char *ret;

  /* Fast path: a single text child */
  if (node->children != NULL && node->children->next == NULL &&
      node->children->type == XML_TEXT_NODE)
    return g_strdup ((const char *) node->children->content);
  if (node->children == NULL)
    return g_strdup ("");

  content = xmlNodeGetContent (node);
  ret = g_strdup (content ? (const char *) content : "");
  xmlFree (content);
  return ret;
}

static GError *
malformed (const char *format,
           ...) G_GNUC_PRINTF (1, 2);

static GError *
malformed (const char *format,
           ...)
{
  g_autofree char *detail = NULL;
  va_list args;
  GError *error;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* Details quote the reply (libxml2 messages quote raw bytes, %.40s may cut
   * a character): keep the message valid UTF-8 for the UI. No bridge here:
   * the client adds context (bk_cms_error_add_context). */
  {
    g_autofree char *valid = g_utf8_make_valid (detail, -1);
    error = g_error_new_literal (BK_CMS_ERROR, BK_CMS_ERROR_MALFORMED_REPLY, valid);
  }
  return error;
}

static gboolean
parse_field (const Field *f,
             gpointer     record,
             xmlNode     *node,
             GError     **error)
{
  g_autofree char *text = NULL;
  char *stripped;

  if (f->type == F_FLAG)
    {
      G_STRUCT_MEMBER (guint, record, f->offset) |= f->arg;
      return TRUE;
    }

  text = node_text (node);
  if (f->type == F_STR)
    {
      char **slot = &G_STRUCT_MEMBER (char *, record, f->offset);

      g_free (*slot);
      /* <sipDomain></sipDomain> and <uniqueName/> mean "not set". */
      *slot = (text[0] != '\0') ? g_steal_pointer (&text) : NULL;
      return TRUE;
    }

  stripped = g_strstrip (text);
  if (*stripped == '\0')
    return TRUE;  /* empty element: treated as absent */

  switch (f->type)
    {
    case F_INT:
      {
        gint64 value;

        if (!g_ascii_string_to_signed (stripped, 10, G_MININT64, G_MAXINT64, &value, NULL))
          {
            *error = malformed (_("“%s” should be a number but is “%.40s”."), f->path, stripped);
            return FALSE;
          }
        G_STRUCT_MEMBER (gint64, record, f->offset) = value;
        return TRUE;
      }
    case F_BOOL:
      if (strcmp (stripped, "true") == 0)
        G_STRUCT_MEMBER (gboolean, record, f->offset) = TRUE;
      else if (strcmp (stripped, "false") == 0)
        G_STRUCT_MEMBER (gboolean, record, f->offset) = FALSE;
      else
        {
          *error = malformed (_("“%s” should be true or false but is “%.40s”."), f->path, stripped);
          return FALSE;
        }
      return TRUE;
    case F_TIME:
      {
        g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
        GDateTime *dt = g_date_time_new_from_iso8601 (stripped, utc);
        GDateTime **slot = &G_STRUCT_MEMBER (GDateTime *, record, f->offset);

        if (dt == NULL)
          {
            *error = malformed (_("“%s” should be a time but is “%.40s”."), f->path, stripped);
            return FALSE;
          }
        g_clear_pointer (slot, g_date_time_unref);
        *slot = dt;
        return TRUE;
      }
    case F_STR:
    case F_FLAG:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static gboolean
decode_children (const KindInfo *info,
                 gpointer        record,
                 xmlNode        *parent,
                 const char     *prefix,
                 GError        **error)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    {
      const char *name = (const char *) child->name;
      gboolean found = FALSE;
      gsize plen = prefix ? strlen (prefix) : 0;

      if (child->type != XML_ELEMENT_NODE)
        continue;

      for (gsize i = 0; i < info->n_fields; i++)
        {
          const char *path = info->fields[i].path;

          if (prefix != NULL)
            {
              if (strncmp (path, prefix, plen) != 0 || path[plen] != '/')
                continue;
              path += plen + 1;
            }
          else if (strchr (path, '/') != NULL)
            continue;

          if (strcmp (path, name) == 0)
            {
              if (!parse_field (&info->fields[i], record, child, error))
                return FALSE;
              found = TRUE;
              break;
            }
        }

      if (!found && prefix == NULL)
        {
          /* One level of nesting ("status/state"), only if a field wants it. */
          gsize nlen = strlen (name);

          for (gsize i = 0; i < info->n_fields; i++)
            {
              const char *path = info->fields[i].path;

              if (strncmp (path, name, nlen) == 0 && path[nlen] == '/')
                {
                  if (!decode_children (info, record, child, name, error))
                    return FALSE;
                  break;
                }
            }
        }
    }
  return TRUE;
}

static gpointer
decode_item (const KindInfo *info,
             xmlNode        *node,
             gboolean        single,
             GError        **error)
{
  gpointer record = record_new (info);
  xmlChar *id = xmlGetProp (node, (const xmlChar *) "id");

  if (id != NULL)
    {
      ((BkCmsRecord *) record)->id = g_strdup ((const char *) id);
      xmlFree (id);
    }
  else if (!single)
    {
      record_free (info, record);
      *error = malformed (_("A <%s> element has no id."), info->item_element);
      return NULL;
    }

  if (!decode_children (info, record, node, NULL, error))
    {
      record_free (info, record);
      return NULL;
    }
  if (info->post)
    info->post (record, node, single);
  return record;
}

static xmlDoc *
parse_doc (const char *data,
           gsize       len,
           GError    **error)
{
  xmlDoc *doc;

  if (data == NULL || len == 0)
    {
      *error = malformed (_("The reply is empty."));
      return NULL;
    }
  if (len > G_MAXINT)
    {
      *error = malformed (_("The reply is too large."));
      return NULL;
    }
  /* No network, no entity substitution, no DTD loading. */
  doc = xmlReadMemory (data, (int) len, "reply.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                       XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      xmlError *xerr = xmlGetLastError ();

      if (doc)
        xmlFreeDoc (doc);
      *error = malformed (_("The reply is not valid XML (%s)."),
                          (xerr && xerr->message) ? g_strstrip (xerr->message) : "?");
      xmlResetLastError ();
      return NULL;
    }
  /* The CMS never sends a DTD; one could only be used to make entity
   * references expand (xmlNodeGetContent) into something huge. */
  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      xmlFreeDoc (doc);
      *error = malformed (_("The reply contains a document type declaration."));
      return NULL;
    }
  return doc;
}

static gboolean
name_is (xmlNode    *node,
         const char *name)
{
  return node->type == XML_ELEMENT_NODE &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

/* parse_doc() of a reply whose root must be <@root_element> */
static xmlDoc *
parse_doc_with_root (const char  *data,
                     gsize        len,
                     const char  *root_element,
                     GError     **error)
{
  xmlDoc *doc = parse_doc (data, len, error);
  xmlNode *root;

  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (!name_is (root, root_element))
    {
      *error = malformed (_("Expected <%s> but the reply is <%.40s>."), root_element, (const char *) root->name);
      xmlFreeDoc (doc);
      return NULL;
    }
  return doc;
}

gpointer
bk_cms_record_decode (BkCmsKind   kind,
                      const char *data,
                      gsize       len,
                      GError    **error)
{
  const KindInfo *info;
  xmlDoc *doc;
  gpointer record;
  GError *local_error = NULL;

  g_return_val_if_fail ((guint) kind < BK_CMS_N_KINDS, NULL);

  info = &kinds[kind];
  doc = parse_doc_with_root (data, len, info->item_element, &local_error);
  if (doc == NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  record = decode_item (info, xmlDocGetRootElement (doc), TRUE, &local_error);
  xmlFreeDoc (doc);
  if (record == NULL)
    g_propagate_error (error, local_error);
  return record;
}

GPtrArray *
bk_cms_list_decode (BkCmsKind   kind,
                    const char *data,
                    gsize       len,
                    guint      *total,
                    GError    **error)
{
  const KindInfo *info;
  g_autoptr(GPtrArray) items = NULL;
  xmlDoc *doc;
  xmlNode *root;
  xmlChar *total_attr;
  GError *local_error = NULL;

  g_return_val_if_fail ((guint) kind < BK_CMS_N_KINDS, NULL);

  info = &kinds[kind];
  if (info->list_element == NULL)
    {
      g_set_error (error, BK_CMS_ERROR, BK_CMS_ERROR_MALFORMED_REPLY,
                   "%s is not a collection", info->item_element);
      return NULL;
    }

  doc = parse_doc_with_root (data, len, info->list_element, &local_error);
  if (doc == NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  root = xmlDocGetRootElement (doc);

  items = g_ptr_array_new_with_free_func (bk_cms_kind_get_free_func (kind));
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      gpointer record;

      if (!name_is (child, info->item_element))
        continue;
      record = decode_item (info, child, FALSE, &local_error);
      if (record == NULL)
        {
          g_propagate_error (error, local_error);
          xmlFreeDoc (doc);
          return NULL;
        }
      g_ptr_array_add (items, record);
    }

  total_attr = xmlGetProp (root, (const xmlChar *) "total");
  if (total_attr != NULL)
    {
      guint64 value;
      g_autofree char *text = g_strstrip (g_strdup ((const char *) total_attr));

      xmlFree (total_attr);
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
        {
          g_propagate_error (error, malformed (_("The total “%.40s” is not a number."), text));
          xmlFreeDoc (doc);
          return NULL;
        }
      if (total)
        *total = (guint) value;
    }
  else if (total)
    *total = items->len;

  xmlFreeDoc (doc);
  return g_steal_pointer (&items);
}

GPtrArray *
bk_cms_failure_details_decode (const char *data,
                               gsize       len)
{
  GPtrArray *failures;
  xmlDoc *doc;
  xmlNode *root;
  GError *local_error = NULL;

  doc = parse_doc_with_root (data, len, "failureDetails", &local_error);
  if (doc == NULL)
    {
      g_clear_error (&local_error);
      return NULL;
    }
  root = xmlDocGetRootElement (doc);

  failures = g_ptr_array_new_with_free_func (bk_cms_failure_free);
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      BkCmsFailure *f;
      xmlChar *attr;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      f = g_new0 (BkCmsFailure, 1);
      f->reason = g_strdup ((const char *) child->name);
      if ((attr = xmlGetProp (child, (const xmlChar *) "parameter")) != NULL)
        {
          f->parameter = g_strdup ((const char *) attr);
          xmlFree (attr);
        }
      if ((attr = xmlGetProp (child, (const xmlChar *) "error")) != NULL)
        {
          f->value = g_strdup ((const char *) attr);
          xmlFree (attr);
        }
      g_ptr_array_add (failures, f);
    }
  xmlFreeDoc (doc);
  return failures;
}

GType
bk_cms_kind_get_record_type (BkCmsKind kind)
{
  g_return_val_if_fail ((guint) kind < BK_CMS_N_KINDS, G_TYPE_INVALID);
  return kinds[kind].get_type ();
}

const char *
bk_cms_kind_get_list_element (BkCmsKind kind)
{
  g_return_val_if_fail ((guint) kind < BK_CMS_N_KINDS, NULL);
  return kinds[kind].list_element;
}

const char *
bk_cms_kind_get_item_element (BkCmsKind kind)
{
  g_return_val_if_fail ((guint) kind < BK_CMS_N_KINDS, NULL);
  return kinds[kind].item_element;
}

BkCmsBulkSyncStatus
bk_cms_bulk_sync_status_from_string (const char *text)
{
  static const struct { const char *name; BkCmsBulkSyncStatus status; } map[] = {
    { "pending", BK_CMS_BULK_SYNC_PENDING },
    { "running", BK_CMS_BULK_SYNC_RUNNING },
    { "complete", BK_CMS_BULK_SYNC_COMPLETE },
    { "failedCoSpaceUriConflict", BK_CMS_BULK_SYNC_FAILED_URI_CONFLICT },
    { "failedCallIdConflict", BK_CMS_BULK_SYNC_FAILED_CALL_ID_CONFLICT },
    { "failedIndexRangeInvalid", BK_CMS_BULK_SYNC_FAILED_RANGE_INVALID },
    { "failedIndexRangeTooGreat", BK_CMS_BULK_SYNC_FAILED_RANGE_TOO_GREAT },
    { "failedNoSuchParameterSet", BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET },
    { "failed", BK_CMS_BULK_SYNC_FAILED },
  };

  if (text == NULL)
    return BK_CMS_BULK_SYNC_UNKNOWN;
  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (map[i].name, text) == 0)
      return map[i].status;
  if (g_str_has_prefix (text, "failed"))
    return BK_CMS_BULK_SYNC_FAILED;
  return BK_CMS_BULK_SYNC_UNKNOWN;
}

gboolean
bk_cms_bulk_sync_status_is_final (BkCmsBulkSyncStatus status)
{
  return status >= BK_CMS_BULK_SYNC_COMPLETE;
}

/* Per-type boilerplate */

#define DEFINE_RECORD(TypeName, type_name, KIND)                          \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_copy, type_name##_free) \
  TypeName *                                                              \
  type_name##_copy (const TypeName *self)                                 \
  {                                                                       \
    return record_copy (&kinds[KIND], self);                              \
  }                                                                       \
  void                                                                    \
  type_name##_free (TypeName *self)                                       \
  {                                                                       \
    record_free (&kinds[KIND], self);                                     \
  }                                                                       \
  TypeName *                                                              \
  type_name##_decode (const char *data,                                   \
                      gsize       len,                                    \
                      GError    **error)                                  \
  {                                                                       \
    return bk_cms_record_decode (KIND, data, len, error);                 \
  }

DEFINE_RECORD (BkCmsSystemStatus, bk_cms_system_status, BK_CMS_KIND_SYSTEM_STATUS)
DEFINE_RECORD (BkCmsClusterConfig, bk_cms_cluster_config, BK_CMS_KIND_CLUSTER_CONFIG)
DEFINE_RECORD (BkCmsAlarm, bk_cms_alarm, BK_CMS_KIND_ALARM)
DEFINE_RECORD (BkCmsCallBridge, bk_cms_call_bridge, BK_CMS_KIND_CALL_BRIDGE)
DEFINE_RECORD (BkCmsCallProfile, bk_cms_call_profile, BK_CMS_KIND_CALL_PROFILE)
DEFINE_RECORD (BkCmsCallLegProfile, bk_cms_call_leg_profile, BK_CMS_KIND_CALL_LEG_PROFILE)
DEFINE_RECORD (BkCmsCoSpace, bk_cms_co_space, BK_CMS_KIND_COSPACE)
DEFINE_RECORD (BkCmsBulkParameterSet, bk_cms_bulk_parameter_set, BK_CMS_KIND_BULK_PARAMETER_SET)
DEFINE_RECORD (BkCmsBulkSync, bk_cms_bulk_sync, BK_CMS_KIND_BULK_SYNC)
DEFINE_RECORD (BkCmsCall, bk_cms_call, BK_CMS_KIND_CALL)
DEFINE_RECORD (BkCmsCallLeg, bk_cms_call_leg, BK_CMS_KIND_CALL_LEG)
DEFINE_RECORD (BkCmsParticipant, bk_cms_participant, BK_CMS_KIND_PARTICIPANT)

GDestroyNotify
bk_cms_kind_get_free_func (BkCmsKind kind)
{
  static const GDestroyNotify funcs[BK_CMS_N_KINDS] = {
    [BK_CMS_KIND_SYSTEM_STATUS] = (GDestroyNotify) bk_cms_system_status_free,
    [BK_CMS_KIND_CLUSTER_CONFIG] = (GDestroyNotify) bk_cms_cluster_config_free,
    [BK_CMS_KIND_ALARM] = (GDestroyNotify) bk_cms_alarm_free,
    [BK_CMS_KIND_CALL_BRIDGE] = (GDestroyNotify) bk_cms_call_bridge_free,
    [BK_CMS_KIND_CALL_PROFILE] = (GDestroyNotify) bk_cms_call_profile_free,
    [BK_CMS_KIND_CALL_LEG_PROFILE] = (GDestroyNotify) bk_cms_call_leg_profile_free,
    [BK_CMS_KIND_COSPACE] = (GDestroyNotify) bk_cms_co_space_free,
    [BK_CMS_KIND_BULK_PARAMETER_SET] = (GDestroyNotify) bk_cms_bulk_parameter_set_free,
    [BK_CMS_KIND_BULK_SYNC] = (GDestroyNotify) bk_cms_bulk_sync_free,
    [BK_CMS_KIND_CALL] = (GDestroyNotify) bk_cms_call_free,
    [BK_CMS_KIND_CALL_LEG] = (GDestroyNotify) bk_cms_call_leg_free,
    [BK_CMS_KIND_PARTICIPANT] = (GDestroyNotify) bk_cms_participant_free,
  };

  g_return_val_if_fail ((guint) kind < BK_CMS_N_KINDS, NULL);
  return funcs[kind];
}
