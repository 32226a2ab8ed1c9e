/* bk-device.c: one Cisco Meeting Server and what Bridgekeeper knows of it
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevice"

#include "config.h"

#include <string.h>

#include "bk-core-enums.h"
#include "bk-device.h"
#include "bk-validate.h"

#define SLOT_NAME_PREFIX "TMS_Scheduled_Meeting_"

struct _BkDevice
{
  GObject parent_instance;

  char *id;
  char *name;
  char *address;
  char *certificate_pin;
  char *alternate_certificate_pin;
  char *ip_zone;
  char *time_zone;
  char *web_bridge_uri;
  char *system_contact;
  char *description;
  char *domain;
  char *software_version;
  char *call_profile_id;
  char *call_leg_profile_id;
  char *bulk_parameter_set_id;
  char *bulk_sync_id;
  char *alternate_member_id;
  char *alternate_address;
  char *alternate_username;
  char *username;

  guint port;
  guint numeric_id_quantity;
  guint64 numeric_id_base;

  gboolean alert_contact_when_booked;
  gboolean allow_booking;
  gboolean allow_incoming_sip_uri_dialing;
  gboolean allow_outgoing_sip_uri_dialing;

  BkClusterFlags cluster_flags;
  BkAccessLevel access_levels;
  BkTicketFilter ticket_filters;
  BkOnboardingStage onboarding_stage;
  BkReachability reachability;
  BkReachability alternate_reachability;

  GPtrArray *cluster_members;
  GHashTable *member_certificate_pins;  /* member id -> lower-case hex SHA-256 */
  GDateTime *last_checked;
};

G_DEFINE_FINAL_TYPE (BkDevice, bk_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  /* strings */
  PROP_ID,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_CERTIFICATE_PIN,
  PROP_ALTERNATE_CERTIFICATE_PIN,
  PROP_IP_ZONE,
  PROP_TIME_ZONE,
  PROP_WEB_BRIDGE_URI,
  PROP_SYSTEM_CONTACT,
  PROP_DESCRIPTION,
  PROP_DOMAIN,
  PROP_SOFTWARE_VERSION,
  PROP_CALL_PROFILE_ID,
  PROP_CALL_LEG_PROFILE_ID,
  PROP_BULK_PARAMETER_SET_ID,
  PROP_BULK_SYNC_ID,
  PROP_ALTERNATE_MEMBER_ID,
  PROP_ALTERNATE_ADDRESS,
  PROP_ALTERNATE_USERNAME,
  PROP_USERNAME,
  /* booleans */
  PROP_ALERT_CONTACT_WHEN_BOOKED,
  PROP_ALLOW_BOOKING,
  PROP_ALLOW_INCOMING_SIP_URI_DIALING,
  PROP_ALLOW_OUTGOING_SIP_URI_DIALING,
  /* the rest */
  PROP_PORT,
  PROP_NUMERIC_ID_BASE,
  PROP_NUMERIC_ID_QUANTITY,
  PROP_CLUSTER_FLAGS,
  PROP_ACCESS_LEVELS,
  PROP_TICKET_FILTERS,
  PROP_ONBOARDING_STAGE,
  PROP_REACHABILITY,
  PROP_ALTERNATE_REACHABILITY,
  PROP_CLUSTER_MEMBERS,
  PROP_MEMBER_CERTIFICATE_PINS,
  PROP_LAST_CHECKED,
  PROP_DISPLAY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  guint prop_id;
  const char *name;
  gsize offset;
} FieldInfo;

#define FIELD(prop, name, member) { prop, name, G_STRUCT_OFFSET (BkDevice, member) }

static const FieldInfo string_fields[] = {
  FIELD (PROP_ID, "id", id),
  FIELD (PROP_NAME, "name", name),
  FIELD (PROP_ADDRESS, "address", address),
  FIELD (PROP_CERTIFICATE_PIN, "certificate-pin", certificate_pin),
  FIELD (PROP_ALTERNATE_CERTIFICATE_PIN, "alternate-certificate-pin", alternate_certificate_pin),
  FIELD (PROP_IP_ZONE, "ip-zone", ip_zone),
  FIELD (PROP_TIME_ZONE, "time-zone", time_zone),
  FIELD (PROP_WEB_BRIDGE_URI, "web-bridge-uri", web_bridge_uri),
  FIELD (PROP_SYSTEM_CONTACT, "system-contact", system_contact),
  FIELD (PROP_DESCRIPTION, "description", description),
  FIELD (PROP_DOMAIN, "domain", domain),
  FIELD (PROP_SOFTWARE_VERSION, "software-version", software_version),
  FIELD (PROP_CALL_PROFILE_ID, "call-profile-id", call_profile_id),
  FIELD (PROP_CALL_LEG_PROFILE_ID, "call-leg-profile-id", call_leg_profile_id),
  FIELD (PROP_BULK_PARAMETER_SET_ID, "bulk-parameter-set-id", bulk_parameter_set_id),
  FIELD (PROP_BULK_SYNC_ID, "bulk-sync-id", bulk_sync_id),
  FIELD (PROP_ALTERNATE_MEMBER_ID, "alternate-member-id", alternate_member_id),
  FIELD (PROP_ALTERNATE_ADDRESS, "alternate-address", alternate_address),
  FIELD (PROP_ALTERNATE_USERNAME, "alternate-username", alternate_username),
  FIELD (PROP_USERNAME, "username", username),
};

static const FieldInfo boolean_fields[] = {
  FIELD (PROP_ALERT_CONTACT_WHEN_BOOKED, "alert-contact-when-booked", alert_contact_when_booked),
  FIELD (PROP_ALLOW_BOOKING, "allow-booking", allow_booking),
  FIELD (PROP_ALLOW_INCOMING_SIP_URI_DIALING, "allow-incoming-sip-uri-dialing", allow_incoming_sip_uri_dialing),
  FIELD (PROP_ALLOW_OUTGOING_SIP_URI_DIALING, "allow-outgoing-sip-uri-dialing", allow_outgoing_sip_uri_dialing),
};

#undef FIELD

static const FieldInfo *
find_field (const FieldInfo *fields,
            gsize            n_fields,
            guint            prop_id)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].prop_id == prop_id)
      return &fields[i];
  return NULL;
}

static char *normalize_pin (const char *pin);

#define STRING_FIELD(self, info) ((char **) G_STRUCT_MEMBER_P ((self), (info)->offset))
#define BOOLEAN_FIELD(self, info) ((gboolean *) G_STRUCT_MEMBER_P ((self), (info)->offset))

static void
set_string (BkDevice   *self,
            guint       prop_id,
            const char *value)
{
  const FieldInfo *info = find_field (string_fields, G_N_ELEMENTS (string_fields), prop_id);
  char **field;

  g_assert (info != NULL);

  field = STRING_FIELD (self, info);
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);

  if (prop_id == PROP_NAME || prop_id == PROP_ADDRESS)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

static void
set_boolean (BkDevice *self,
             guint     prop_id,
             gboolean  value)
{
  const FieldInfo *info = find_field (boolean_fields, G_N_ELEMENTS (boolean_fields), prop_id);
  gboolean *field;

  g_assert (info != NULL);

  field = BOOLEAN_FIELD (self, info);
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

#define SET_SCALAR(self, member, value, prop) \
  G_STMT_START { \
    if ((self)->member != (value)) \
      { \
        (self)->member = (value); \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
      } \
  } G_STMT_END

static GPtrArray *
copy_members (GPtrArray *members)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);

  for (guint i = 0; members != NULL && i < members->len; i++)
    g_ptr_array_add (copy, bk_cluster_member_copy (g_ptr_array_index (members, i)));

  return copy;
}

static gboolean
members_equal (GPtrArray *a,
               GPtrArray *b)
{
  guint len_a = a != NULL ? a->len : 0;
  guint len_b = b != NULL ? b->len : 0;

  if (len_a != len_b)
    return FALSE;

  for (guint i = 0; i < len_a; i++)
    if (!bk_cluster_member_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;

  return TRUE;
}

static void
bk_device_finalize (GObject *object)
{
  BkDevice *self = (BkDevice *) object;

  for (gsize i = 0; i < G_N_ELEMENTS (string_fields); i++)
    g_clear_pointer (STRING_FIELD (self, &string_fields[i]), g_free);
  g_clear_pointer (&self->cluster_members, g_ptr_array_unref);
  g_clear_pointer (&self->member_certificate_pins, g_hash_table_unref);
  g_clear_pointer (&self->last_checked, g_date_time_unref);

  G_OBJECT_CLASS (bk_device_parent_class)->finalize (object);
}

static void
bk_device_constructed (GObject *object)
{
  BkDevice *self = (BkDevice *) object;

  G_OBJECT_CLASS (bk_device_parent_class)->constructed (object);

  if (self->id == NULL || self->id[0] == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }
}

static void
bk_device_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BkDevice *self = BK_DEVICE (object);
  const FieldInfo *info;

  if ((info = find_field (string_fields, G_N_ELEMENTS (string_fields), prop_id)) != NULL)
    {
      g_value_set_string (value, *STRING_FIELD (self, info));
      return;
    }
  if ((info = find_field (boolean_fields, G_N_ELEMENTS (boolean_fields), prop_id)) != NULL)
    {
      g_value_set_boolean (value, *BOOLEAN_FIELD (self, info));
      return;
    }

  switch (prop_id)
    {
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_NUMERIC_ID_BASE:
      g_value_set_uint64 (value, self->numeric_id_base);
      break;
    case PROP_NUMERIC_ID_QUANTITY:
      g_value_set_uint (value, self->numeric_id_quantity);
      break;
    case PROP_CLUSTER_FLAGS:
      g_value_set_flags (value, self->cluster_flags);
      break;
    case PROP_ACCESS_LEVELS:
      g_value_set_flags (value, self->access_levels);
      break;
    case PROP_TICKET_FILTERS:
      g_value_set_flags (value, self->ticket_filters);
      break;
    case PROP_ONBOARDING_STAGE:
      g_value_set_enum (value, self->onboarding_stage);
      break;
    case PROP_REACHABILITY:
      g_value_set_enum (value, self->reachability);
      break;
    case PROP_ALTERNATE_REACHABILITY:
      g_value_set_enum (value, self->alternate_reachability);
      break;
    case PROP_CLUSTER_MEMBERS:
      g_value_set_boxed (value, self->cluster_members);
      break;
    case PROP_MEMBER_CERTIFICATE_PINS:
      g_value_set_boxed (value, self->member_certificate_pins);
      break;
    case PROP_LAST_CHECKED:
      g_value_set_boxed (value, self->last_checked);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, bk_device_get_display_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_device_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BkDevice *self = BK_DEVICE (object);

  if (prop_id == PROP_ID)
    {
      g_free (self->id);
      self->id = g_value_dup_string (value);
      return;
    }
  if (prop_id == PROP_CERTIFICATE_PIN || prop_id == PROP_ALTERNATE_CERTIFICATE_PIN)
    {
      g_autofree char *lower = normalize_pin (g_value_get_string (value));

      set_string (self, prop_id, lower);
      return;
    }
  if (find_field (string_fields, G_N_ELEMENTS (string_fields), prop_id) != NULL)
    {
      set_string (self, prop_id, g_value_get_string (value));
      return;
    }
  if (find_field (boolean_fields, G_N_ELEMENTS (boolean_fields), prop_id) != NULL)
    {
      set_boolean (self, prop_id, g_value_get_boolean (value));
      return;
    }

  switch (prop_id)
    {
    case PROP_PORT:
      bk_device_set_port (self, g_value_get_uint (value));
      break;
    case PROP_NUMERIC_ID_BASE:
      bk_device_set_numeric_id_base (self, g_value_get_uint64 (value));
      break;
    case PROP_NUMERIC_ID_QUANTITY:
      bk_device_set_numeric_id_quantity (self, g_value_get_uint (value));
      break;
    case PROP_CLUSTER_FLAGS:
      bk_device_set_cluster_flags (self, g_value_get_flags (value));
      break;
    case PROP_ACCESS_LEVELS:
      bk_device_set_access_levels (self, g_value_get_flags (value));
      break;
    case PROP_TICKET_FILTERS:
      bk_device_set_ticket_filters (self, g_value_get_flags (value));
      break;
    case PROP_ONBOARDING_STAGE:
      bk_device_set_onboarding_stage (self, g_value_get_enum (value));
      break;
    case PROP_REACHABILITY:
      bk_device_set_reachability (self, g_value_get_enum (value));
      break;
    case PROP_ALTERNATE_REACHABILITY:
      bk_device_set_alternate_reachability (self, g_value_get_enum (value));
      break;
    case PROP_CLUSTER_MEMBERS:
      bk_device_set_cluster_members (self, g_value_get_boxed (value));
      break;
    case PROP_MEMBER_CERTIFICATE_PINS:
      bk_device_set_member_certificate_pins (self, g_value_get_boxed (value));
      break;
    case PROP_LAST_CHECKED:
      bk_device_set_last_checked (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_device_class_init (BkDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bk_device_finalize;
  object_class->constructed = bk_device_constructed;
  object_class->get_property = bk_device_get_property;
  object_class->set_property = bk_device_set_property;

  for (gsize i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      const FieldInfo *info = &string_fields[i];
      GParamFlags flags = rw;

      if (info->prop_id == PROP_ID)
        flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
      properties[info->prop_id] = g_param_spec_string (info->name, NULL, NULL, "", flags);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (boolean_fields); i++)
    {
      const FieldInfo *info = &boolean_fields[i];
      gboolean def = info->prop_id != PROP_ALERT_CONTACT_WHEN_BOOKED;

      properties[info->prop_id] = g_param_spec_boolean (info->name, NULL, NULL, def, rw);
    }

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1, 65535, BK_DEFAULT_PORT, rw);
  properties[PROP_NUMERIC_ID_BASE] =
    g_param_spec_uint64 ("numeric-id-base", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_NUMERIC_ID_QUANTITY] =
    g_param_spec_uint ("numeric-id-quantity", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_CLUSTER_FLAGS] =
    g_param_spec_flags ("cluster-flags", NULL, NULL, BK_TYPE_CLUSTER_FLAGS,
                        BK_CLUSTER_FLAGS_NONE, rw);
  properties[PROP_ACCESS_LEVELS] =
    g_param_spec_flags ("access-levels", NULL, NULL, BK_TYPE_ACCESS_LEVEL,
                        BK_ACCESS_LEVEL_ALL, rw);
  properties[PROP_TICKET_FILTERS] =
    g_param_spec_flags ("ticket-filters", NULL, NULL, BK_TYPE_TICKET_FILTER,
                        BK_TICKET_FILTER_NONE, rw);
  properties[PROP_ONBOARDING_STAGE] =
    g_param_spec_enum ("onboarding-stage", NULL, NULL, BK_TYPE_ONBOARDING_STAGE,
                       BK_ONBOARDING_STAGE_NEW, rw);
  properties[PROP_REACHABILITY] =
    g_param_spec_enum ("reachability", NULL, NULL, BK_TYPE_REACHABILITY,
                       BK_REACHABILITY_UNKNOWN, rw);
  properties[PROP_ALTERNATE_REACHABILITY] =
    g_param_spec_enum ("alternate-reachability", NULL, NULL, BK_TYPE_REACHABILITY,
                       BK_REACHABILITY_UNKNOWN, rw);
  properties[PROP_CLUSTER_MEMBERS] =
    g_param_spec_boxed ("cluster-members", NULL, NULL, G_TYPE_PTR_ARRAY, rw);
  properties[PROP_MEMBER_CERTIFICATE_PINS] =
    g_param_spec_boxed ("member-certificate-pins", NULL, NULL, G_TYPE_HASH_TABLE, rw);
  properties[PROP_LAST_CHECKED] =
    g_param_spec_boxed ("last-checked", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_device_init (BkDevice *self)
{
  for (gsize i = 0; i < G_N_ELEMENTS (string_fields); i++)
    *STRING_FIELD (self, &string_fields[i]) = g_strdup ("");

  self->port = BK_DEFAULT_PORT;
  self->allow_booking = TRUE;
  self->allow_incoming_sip_uri_dialing = TRUE;
  self->allow_outgoing_sip_uri_dialing = TRUE;
  self->access_levels = BK_ACCESS_LEVEL_ALL;
  self->cluster_members = copy_members (NULL);
  self->member_certificate_pins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

BkDevice *
bk_device_new (const char *address,
               guint       port)
{
  return g_object_new (BK_TYPE_DEVICE,
                       "address", address,
                       "port", port != 0 ? port : BK_DEFAULT_PORT,
                       NULL);
}

/* Accessors of string and boolean fields. */

#define STRING_ACCESSORS(field, PROP) \
  const char * \
  bk_device_get_##field (BkDevice *self) \
  { \
    g_return_val_if_fail (BK_IS_DEVICE (self), NULL); \
    return self->field; \
  } \
  void \
  bk_device_set_##field (BkDevice   *self, \
                         const char *value) \
  { \
    g_return_if_fail (BK_IS_DEVICE (self)); \
    set_string (self, PROP, value); \
  }

#define BOOLEAN_ACCESSORS(field, PROP) \
  gboolean \
  bk_device_get_##field (BkDevice *self) \
  { \
    g_return_val_if_fail (BK_IS_DEVICE (self), FALSE); \
    return self->field; \
  } \
  void \
  bk_device_set_##field (BkDevice *self, \
                         gboolean  value) \
  { \
    g_return_if_fail (BK_IS_DEVICE (self)); \
    set_boolean (self, PROP, value); \
  }

#define SCALAR_ACCESSORS(type, field, PROP) \
  type \
  bk_device_get_##field (BkDevice *self) \
  { \
    g_return_val_if_fail (BK_IS_DEVICE (self), (type) 0); \
    return self->field; \
  } \
  void \
  bk_device_set_##field (BkDevice *self, \
                         type      value) \
  { \
    g_return_if_fail (BK_IS_DEVICE (self)); \
    SET_SCALAR (self, field, value, PROP); \
  }

const char *
bk_device_get_id (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);
  return self->id;
}

STRING_ACCESSORS (name, PROP_NAME)
STRING_ACCESSORS (address, PROP_ADDRESS)
STRING_ACCESSORS (ip_zone, PROP_IP_ZONE)
STRING_ACCESSORS (time_zone, PROP_TIME_ZONE)
STRING_ACCESSORS (system_contact, PROP_SYSTEM_CONTACT)
STRING_ACCESSORS (description, PROP_DESCRIPTION)
STRING_ACCESSORS (domain, PROP_DOMAIN)
STRING_ACCESSORS (software_version, PROP_SOFTWARE_VERSION)
STRING_ACCESSORS (call_profile_id, PROP_CALL_PROFILE_ID)
STRING_ACCESSORS (call_leg_profile_id, PROP_CALL_LEG_PROFILE_ID)
STRING_ACCESSORS (bulk_parameter_set_id, PROP_BULK_PARAMETER_SET_ID)
STRING_ACCESSORS (bulk_sync_id, PROP_BULK_SYNC_ID)
STRING_ACCESSORS (alternate_member_id, PROP_ALTERNATE_MEMBER_ID)
STRING_ACCESSORS (alternate_address, PROP_ALTERNATE_ADDRESS)
STRING_ACCESSORS (alternate_username, PROP_ALTERNATE_USERNAME)
STRING_ACCESSORS (username, PROP_USERNAME)

BOOLEAN_ACCESSORS (alert_contact_when_booked, PROP_ALERT_CONTACT_WHEN_BOOKED)
BOOLEAN_ACCESSORS (allow_booking, PROP_ALLOW_BOOKING)
BOOLEAN_ACCESSORS (allow_incoming_sip_uri_dialing, PROP_ALLOW_INCOMING_SIP_URI_DIALING)
BOOLEAN_ACCESSORS (allow_outgoing_sip_uri_dialing, PROP_ALLOW_OUTGOING_SIP_URI_DIALING)

SCALAR_ACCESSORS (guint64, numeric_id_base, PROP_NUMERIC_ID_BASE)
SCALAR_ACCESSORS (guint, numeric_id_quantity, PROP_NUMERIC_ID_QUANTITY)
SCALAR_ACCESSORS (BkClusterFlags, cluster_flags, PROP_CLUSTER_FLAGS)
SCALAR_ACCESSORS (BkAccessLevel, access_levels, PROP_ACCESS_LEVELS)
SCALAR_ACCESSORS (BkTicketFilter, ticket_filters, PROP_TICKET_FILTERS)
SCALAR_ACCESSORS (BkOnboardingStage, onboarding_stage, PROP_ONBOARDING_STAGE)
SCALAR_ACCESSORS (BkReachability, reachability, PROP_REACHABILITY)
SCALAR_ACCESSORS (BkReachability, alternate_reachability, PROP_ALTERNATE_REACHABILITY)

const char *
bk_device_get_certificate_pin (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);
  return self->certificate_pin;
}

/* Accept "AB:CD:..." as openssl prints it; keep lower-case hex. */
static char *
normalize_pin (const char *pin)
{
  GString *s;

  if (pin == NULL)
    return NULL;

  s = g_string_new (NULL);
  for (const char *p = pin; *p; p++)
    if (*p != ':' && !g_ascii_isspace (*p))
      g_string_append_c (s, g_ascii_tolower (*p));
  return g_string_free (s, FALSE);
}

void
bk_device_set_certificate_pin (BkDevice   *self,
                               const char *pin)
{
  g_autofree char *lower = NULL;

  g_return_if_fail (BK_IS_DEVICE (self));

  lower = normalize_pin (pin);
  set_string (self, PROP_CERTIFICATE_PIN, lower);
}

const char *
bk_device_get_alternate_certificate_pin (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);
  return self->alternate_certificate_pin;
}

void
bk_device_set_alternate_certificate_pin (BkDevice   *self,
                                         const char *pin)
{
  g_autofree char *lower = NULL;

  g_return_if_fail (BK_IS_DEVICE (self));

  lower = normalize_pin (pin);
  set_string (self, PROP_ALTERNATE_CERTIFICATE_PIN, lower);
}

const char *
bk_device_get_web_bridge_uri (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);
  return self->web_bridge_uri;
}

void
bk_device_set_web_bridge_uri (BkDevice   *self,
                              const char *uri)
{
  g_return_if_fail (BK_IS_DEVICE (self));
  set_string (self, PROP_WEB_BRIDGE_URI, uri);
}

guint
bk_device_get_port (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), 0);
  return self->port;
}

void
bk_device_set_port (BkDevice *self,
                    guint     port)
{
  g_return_if_fail (BK_IS_DEVICE (self));
  g_return_if_fail (port >= 1 && port <= 65535);

  SET_SCALAR (self, port, port, PROP_PORT);
}

gboolean
bk_device_has_extended_settings (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), FALSE);

  return self->domain[0] != '\0' &&
         self->numeric_id_base >= 1 &&
         self->numeric_id_quantity >= 1;
}

GPtrArray *
bk_device_get_cluster_members (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);
  return self->cluster_members;
}

void
bk_device_set_cluster_members (BkDevice  *self,
                               GPtrArray *members)
{
  g_return_if_fail (BK_IS_DEVICE (self));

  if (members_equal (self->cluster_members, members))
    return;

  g_clear_pointer (&self->cluster_members, g_ptr_array_unref);
  self->cluster_members = copy_members (members);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLUSTER_MEMBERS]);
}

gboolean
bk_device_pin_is_valid (const char *pin)
{
  g_autofree char *lower = normalize_pin (pin);

  if (lower == NULL || strlen (lower) != 64)
    return FALSE;
  for (const char *p = lower; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

GHashTable *
bk_device_get_member_certificate_pins (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);
  return self->member_certificate_pins;
}

static gboolean
pins_equal (GHashTable *a,
            GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != (b != NULL ? g_hash_table_size (b) : 0))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

void
bk_device_set_member_certificate_pins (BkDevice   *self,
                                       GHashTable *pins)
{
  g_autoptr(GHashTable) copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (BK_IS_DEVICE (self));

  if (pins != NULL)
    {
      g_hash_table_iter_init (&iter, pins);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          /* The store refuses a file with such a pin before it gets here. */
          if (key == NULL || *(const char *) key == '\0' || !bk_device_pin_is_valid (value))
            {
              g_warning ("Ignoring the certificate pin of cluster member “%s”: not a SHA-256 fingerprint",
                         key != NULL ? (const char *) key : "");
              continue;
            }
          g_hash_table_insert (copy, g_strdup (key), normalize_pin (value));
        }
    }
  if (pins_equal (self->member_certificate_pins, copy))
    return;
  g_clear_pointer (&self->member_certificate_pins, g_hash_table_unref);
  self->member_certificate_pins = g_steal_pointer (&copy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_CERTIFICATE_PINS]);
}

const char *
bk_device_get_member_certificate_pin (BkDevice   *self,
                                      const char *member_id)
{
  const char *pin;

  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);

  pin = member_id != NULL ? g_hash_table_lookup (self->member_certificate_pins, member_id) : NULL;
  return pin != NULL ? pin : "";
}

void
bk_device_set_member_certificate_pin (BkDevice   *self,
                                      const char *member_id,
                                      const char *pin)
{
  g_autofree char *lower = NULL;

  g_return_if_fail (BK_IS_DEVICE (self));
  g_return_if_fail (member_id != NULL && *member_id != '\0');
  g_return_if_fail (pin == NULL || *pin == '\0' || bk_device_pin_is_valid (pin));

  lower = normalize_pin (pin);
  if (g_strcmp0 (lower != NULL ? lower : "", bk_device_get_member_certificate_pin (self, member_id)) == 0)
    return;
  if (lower == NULL || *lower == '\0')
    g_hash_table_remove (self->member_certificate_pins, member_id);
  else
    g_hash_table_insert (self->member_certificate_pins, g_strdup (member_id), g_steal_pointer (&lower));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_CERTIFICATE_PINS]);
}

const BkClusterMember *
bk_device_find_cluster_member (BkDevice   *self,
                               const char *id_or_host)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);

  if (id_or_host == NULL || id_or_host[0] == '\0')
    return NULL;

  for (guint i = 0; i < self->cluster_members->len; i++)
    {
      const BkClusterMember *member = g_ptr_array_index (self->cluster_members, i);

      if (g_str_equal (member->id, id_or_host))
        return member;
    }

  host = bk_normalize_host (id_or_host);
  if (host == NULL)
    return NULL;

  for (guint i = 0; i < self->cluster_members->len; i++)
    {
      const BkClusterMember *member = g_ptr_array_index (self->cluster_members, i);
      g_autofree char *member_host = bk_cluster_member_dup_host (member);

      if (member_host != NULL && g_str_equal (member_host, host))
        return member;
    }

  return NULL;
}

gboolean
bk_device_has_alternate (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), FALSE);
  return self->alternate_address[0] != '\0';
}

GDateTime *
bk_device_get_last_checked (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);
  return self->last_checked;
}

void
bk_device_set_last_checked (BkDevice  *self,
                            GDateTime *when)
{
  g_return_if_fail (BK_IS_DEVICE (self));

  if (self->last_checked == when ||
      (self->last_checked != NULL && when != NULL && g_date_time_equal (self->last_checked, when)))
    return;

  g_clear_pointer (&self->last_checked, g_date_time_unref);
  if (when != NULL)
    self->last_checked = g_date_time_to_utc (when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECKED]);
}

gboolean
bk_device_property_is_runtime (GParamSpec *pspec)
{
  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), FALSE);

  return pspec == properties[PROP_REACHABILITY] ||
         pspec == properties[PROP_ALTERNATE_REACHABILITY] ||
         pspec == properties[PROP_LAST_CHECKED];
}

const char *
bk_device_get_display_name (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);

  return self->name[0] != '\0' ? self->name : self->address;
}

char *
bk_device_dup_base_url (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);

  return bk_format_address (self->address, self->port, BK_ADDRESS_FORMAT_URL);
}

char *
bk_device_dup_address_key (BkDevice *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);

  host = bk_normalize_host (self->address);
  return bk_format_address (host != NULL ? host : self->address, self->port, BK_ADDRESS_FORMAT_DEFAULT);
}

char *
bk_device_dup_alternate_base_url (BkDevice *self)
{
  g_autofree char *host = NULL;
  guint port = 0;

  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);

  if (self->alternate_address[0] == '\0')
    return NULL;
  if (!bk_validate_address (self->alternate_address, &host, &port, NULL))
    return NULL;

  return bk_format_address (host, port, BK_ADDRESS_FORMAT_URL);
}

char *
bk_slot_name_for_number (guint64 number)
{
  return g_strdup_printf (SLOT_NAME_PREFIX "%" G_GUINT64_FORMAT, number);
}

gboolean
bk_slot_number_from_name (const char *name,
                          guint64    *number)
{
  const char *digits;
  guint64 value;

  if (name == NULL || !g_str_has_prefix (name, SLOT_NAME_PREFIX))
    return FALSE;

  digits = name + strlen (SLOT_NAME_PREFIX);
  /* Digits only, no sign, no leading zero (the name is what we write). */
  if (digits[0] == '\0' || digits[0] == '0' || strspn (digits, "0123456789") != strlen (digits))
    return FALSE;
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT64, &value, NULL))
    return FALSE;

  if (number != NULL)
    *number = value;
  return TRUE;
}

guint64
bk_device_get_slot_number (BkDevice *self,
                           guint     i)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), 0);

  return self->numeric_id_base + i;
}

guint64
bk_device_get_slot_end (BkDevice *self)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), 0);

  if (self->numeric_id_base < 1 || self->numeric_id_quantity < 1)
    return 0;

  return self->numeric_id_base + self->numeric_id_quantity - 1;
}

char *
bk_device_get_slot_name (BkDevice *self,
                         guint     i)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);

  if (self->numeric_id_base < 1 || i >= self->numeric_id_quantity)
    return NULL;

  return bk_slot_name_for_number (self->numeric_id_base + i);
}

char *
bk_device_get_slot_uri (BkDevice *self,
                        guint     i)
{
  g_return_val_if_fail (BK_IS_DEVICE (self), NULL);

  if (!bk_device_has_extended_settings (self) || i >= self->numeric_id_quantity)
    return NULL;

  return g_strdup_printf ("%" G_GUINT64_FORMAT "@%s", self->numeric_id_base + i, self->domain);
}
