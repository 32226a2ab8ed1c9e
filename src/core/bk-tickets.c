/* bk-tickets.c: the problems of a device, as sentences with an action
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkTickets"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bk-core-enums.h"
#include "bk-tickets.h"

struct _BkTicket
{
  GObject parent_instance;

  BkTicketKind kind;
  BkTicketSeverity severity;
  char *sentence;
  char *action_label;
  char *action_name;
  char *device_id;
  char *key;
  char *alarm_type;
  GVariant *action_target;
};

G_DEFINE_FINAL_TYPE (BkTicket, bk_ticket, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_SEVERITY,
  PROP_SENTENCE,
  PROP_ACTION_LABEL,
  PROP_ACTION_NAME,
  PROP_DEVICE_ID,
  PROP_KEY,
  PROP_ALARM_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bk_ticket_finalize (GObject *object)
{
  BkTicket *self = (BkTicket *) object;

  g_free (self->sentence);
  g_free (self->action_label);
  g_free (self->action_name);
  g_free (self->device_id);
  g_free (self->key);
  g_free (self->alarm_type);
  g_clear_pointer (&self->action_target, g_variant_unref);

  G_OBJECT_CLASS (bk_ticket_parent_class)->finalize (object);
}

static void
bk_ticket_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BkTicket *self = BK_TICKET (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_SEVERITY:
      g_value_set_enum (value, self->severity);
      break;
    case PROP_SENTENCE:
      g_value_set_string (value, self->sentence);
      break;
    case PROP_ACTION_LABEL:
      g_value_set_string (value, self->action_label);
      break;
    case PROP_ACTION_NAME:
      g_value_set_string (value, self->action_name);
      break;
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_ALARM_TYPE:
      g_value_set_string (value, self->alarm_type);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_ticket_class_init (BkTicketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bk_ticket_finalize;
  object_class->get_property = bk_ticket_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, BK_TYPE_TICKET_KIND, BK_TICKET_KIND_MISSING_SYSTEM_NAME, ro);
  properties[PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL, BK_TYPE_TICKET_SEVERITY, BK_TICKET_SEVERITY_INFO, ro);
  properties[PROP_SENTENCE] = g_param_spec_string ("sentence", NULL, NULL, NULL, ro);
  properties[PROP_ACTION_LABEL] = g_param_spec_string ("action-label", NULL, NULL, NULL, ro);
  properties[PROP_ACTION_NAME] = g_param_spec_string ("action-name", NULL, NULL, NULL, ro);
  properties[PROP_DEVICE_ID] = g_param_spec_string ("device-id", NULL, NULL, NULL, ro);
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, ro);
  properties[PROP_ALARM_TYPE] = g_param_spec_string ("alarm-type", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_ticket_init (BkTicket *self)
{
}

BkTicketKind
bk_ticket_get_kind (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), 0);
  return self->kind;
}

BkTicketSeverity
bk_ticket_get_severity (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), 0);
  return self->severity;
}

const char *
bk_ticket_get_sentence (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), NULL);
  return self->sentence;
}

const char *
bk_ticket_get_action_label (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), NULL);
  return self->action_label;
}

const char *
bk_ticket_get_action_name (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), NULL);
  return self->action_name;
}

const char *
bk_ticket_get_device_id (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), NULL);
  return self->device_id;
}

const char *
bk_ticket_get_key (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), NULL);
  return self->key;
}

const char *
bk_ticket_get_alarm_type (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), NULL);
  return self->alarm_type;
}

GVariant *
bk_ticket_get_action_target (BkTicket *self)
{
  g_return_val_if_fail (BK_IS_TICKET (self), NULL);
  return self->action_target;
}

BkTicket *
bk_ticket_new (const char       *device_id,
               BkTicketKind      kind,
               BkTicketSeverity  severity,
               const char       *key,
               const char       *sentence,
               const char       *action_label,
               const char       *action_name,
               GVariant         *action_target)
{
  BkTicket *ticket;

  g_return_val_if_fail (device_id != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (sentence != NULL, NULL);

  ticket = g_object_new (BK_TYPE_TICKET, NULL);
  ticket->kind = kind;
  ticket->severity = severity;
  ticket->sentence = g_strdup (sentence);
  ticket->action_label = g_strdup (action_label);
  ticket->action_name = g_strdup (action_name);
  ticket->device_id = g_strdup (device_id);
  ticket->key = g_strdup (key);
  if (action_target != NULL)
    ticket->action_target = g_variant_ref_sink (action_target);
  return ticket;
}

/* Computation */

static BkTicket *
ticket_new (BkDevice         *device,
            BkTicketKind      kind,
            BkTicketSeverity  severity,
            char             *sentence,      /* transfer full */
            const char       *action_label,
            const char       *action_name)
{
  BkTicket *ticket = g_object_new (BK_TYPE_TICKET, NULL);
  g_autoptr(GEnumClass) klass = g_type_class_ref (BK_TYPE_TICKET_KIND);

  ticket->kind = kind;
  ticket->severity = severity;
  ticket->sentence = sentence;
  ticket->action_label = g_strdup (action_label);
  ticket->action_name = g_strdup (action_name);
  ticket->device_id = g_strdup (bk_device_get_id (device));
  ticket->key = g_strdup (g_enum_get_value (klass, kind)->value_nick);

  return ticket;
}

typedef struct
{
  const char *type;
  BkTicketSeverity severity;
  const char *sentence;       /* N_() */
} AlarmInfo;

/* The alarm types of GET /system/alarms (API reference, "Retrieving System
 * Alarm Status"). */
static const AlarmInfo alarm_infos[] = {
  { "callBrandingResourceInvalid", BK_TICKET_SEVERITY_WARNING,
    N_("A call branding file on the bridge has an invalid format, so calls may show default branding. Check the call branding profile’s files.") },
  { "callBridgeConnectionFailure", BK_TICKET_SEVERITY_ERROR,
    N_("The bridge cannot connect to another call bridge of its cluster. Check the network between the cluster’s call bridges and that the peer is running.") },
  { "callDistributionFailure", BK_TICKET_SEVERITY_ERROR,
    N_("The bridge could not spread an active meeting to another call bridge of its cluster, so some participants may be cut off. Check the connection between the call bridges.") },
  { "cdrConnectionFailure", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge cannot reach its call detail record receiver, so call records may be lost. Check the CDR receiver address and that the receiver is running.") },
  { "c2wConnectionFailure", BK_TICKET_SEVERITY_ERROR,
    N_("The call bridge cannot connect to its web bridge, so web app users cannot join. Check the web bridge configuration and certificates.") },
  { "databaseClusternodeOutofSync", BK_TICKET_SEVERITY_ERROR,
    N_("A node of the bridge’s database cluster is out of sync. Check the database cluster status on the bridge.") },
  { "databaseConnectionError", BK_TICKET_SEVERITY_ERROR,
    N_("The bridge cannot connect to its database, so changes and meetings may fail. Check the database cluster on the bridge.") },
  { "guestAccountConnectionFailure", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge cannot reach its web bridge for guest logins, so guests cannot join from the web. Check the web bridge configuration.") },
  { "ivrBrandingResourceInvalid", BK_TICKET_SEVERITY_WARNING,
    N_("An IVR branding file on the bridge has an invalid format. Check the IVR branding profile’s files.") },
  { "recorderLowDiskSpace", BK_TICKET_SEVERITY_WARNING,
    N_("A recorder of the bridge is running out of disk space, so recordings may stop. Free space on the recorder.") },
  { "recorderUnavailable", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge cannot reach a configured recorder, so meetings cannot be recorded. Check that the recorder is running and reachable.") },
  { "turnServerUnavailable", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge cannot reach its TURN server, so participants outside the network may not connect. Check the TURN server.") },
  { "webBridgeArchivePushFailure", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge could not send a customization archive to a web bridge. Check the web bridge connection.") },
  { "webBridgeArchiveRetrievalFailure", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge could not download a web bridge customization archive. Check the archive’s address and that its server is reachable.") },
  { "webBridgeBackgroundImagePushFailure", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge could not send a background image to a web bridge. Check the web bridge connection.") },
  { "webBridgeBackgroundImageRetrievalFailure", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge could not download a customized background image. Check the image’s address and that its server is reachable.") },
  { "webBridgeLoginLogoImagePushFailure", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge could not send a login logo image to a web bridge. Check the web bridge connection.") },
  { "webBridgeLoginLogoImageRetrievalFailure", BK_TICKET_SEVERITY_WARNING,
    N_("The bridge could not download a customized login logo image. Check the image’s address and that its server is reachable.") },
  { "xmppAuthenticationRegistrationFailure", BK_TICKET_SEVERITY_ERROR,
    N_("The bridge could not register with its XMPP authentication component, so app users may not sign in. Check the XMPP server configuration.") },
  { "xmppRegistrationFailure", BK_TICKET_SEVERITY_ERROR,
    N_("The bridge could not register with its XMPP server, so app users may not sign in. Check the XMPP server configuration.") },
};

static const AlarmInfo *
find_alarm_info (const char *type)
{
  for (gsize i = 0; type != NULL && i < G_N_ELEMENTS (alarm_infos); i++)
    if (g_str_equal (alarm_infos[i].type, type))
      return &alarm_infos[i];
  return NULL;
}

static const char *
failure_reason_text (const char *reason)
{
  static const struct { const char *reason; const char *text; } reasons[] = {
    { "authenticationFailure", N_("Authentication failed.") },
    { "connectFailure", N_("The connection could not be established.") },
    { "dataFormatInvalid", N_("The data was not in a usable format.") },
    { "destinationReadOnly", N_("The destination was read-only.") },
    { "dnsFailure", N_("The host name could not be resolved.") },
    { "fileNotFound", N_("A required file was not found.") },
    { "fileSizeLimitExceeded", N_("A file was larger than allowed.") },
    { "internalServerError", N_("The remote server reported an internal error.") },
    { "serviceUnavailable", N_("The service was unavailable.") },
  };

  for (gsize i = 0; reason != NULL && i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i].reason, reason))
      return _(reasons[i].text);
  return NULL;
}

char *
bk_tickets_dup_alarm_sentence (const char *type,
                               const char *failure_reason)
{
  const AlarmInfo *info = find_alarm_info (type);
  const char *reason = failure_reason_text (failure_reason);
  g_autofree char *base = NULL;

  if (info != NULL)
    base = g_strdup (_(info->sentence));
  else
    /* TRANSLATORS: %s is a CMS alarm type name such as "cdrConnectionFailure" */
    base = g_strdup_printf (_("The bridge reports the alarm “%s”. Look it up in the Cisco Meeting Server documentation and check the bridge’s status page."),
                            type != NULL && type[0] != '\0' ? type : "?");

  if (reason != NULL)
    /* TRANSLATORS: the first %s is the alarm sentence, the second its cause */
    return g_strdup_printf (_("%s Cause: %s"), base, reason);

  return g_steal_pointer (&base);
}

static char *
with_detail (char       *sentence,
             const char *detail)
{
  char *result;

  if (detail == NULL || detail[0] == '\0')
    return sentence;

  /* TRANSLATORS: the first %s is a sentence, the second an error message */
  result = g_strdup_printf (_("%s (%s)"), sentence, detail);
  g_free (sentence);
  return result;
}

static int
compare_tickets (gconstpointer a,
                 gconstpointer b)
{
  BkTicket *ta = *(BkTicket **) a;
  BkTicket *tb = *(BkTicket **) b;

  if (ta->severity != tb->severity)
    return ta->severity > tb->severity ? -1 : 1;
  if (ta->kind != tb->kind)
    return ta->kind < tb->kind ? -1 : 1;
  return 0;
}

GListModel *
bk_tickets_compute (BkDevice             *device,
                    const BkTicketInputs *inputs)
{
  static const BkTicketInputs no_inputs = { 0 };
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func (g_object_unref);
  GListStore *store;
  BkTicketFilter hidden;
  const char *display_name;
  gboolean setup_unfinished;

  g_return_val_if_fail (BK_IS_DEVICE (device), NULL);

  if (inputs == NULL)
    inputs = &no_inputs;

  hidden = bk_device_get_ticket_filters (device);
  display_name = bk_device_get_display_name (device);

#define SHOWN(kind) ((hidden & BK_TICKET_FILTER_FOR_KIND (kind)) == 0)

  /* A set-up that stopped half-way (the device is listed from the cluster
   * discovery on) lacks the name and the meeting spaces because it is not
   * finished, not because something went wrong: one calm ticket says so
   * and leads back into it. */
  setup_unfinished = bk_device_get_onboarding_stage (device) >= BK_ONBOARDING_STAGE_CONNECTED &&
                     bk_device_get_onboarding_stage (device) < BK_ONBOARDING_STAGE_COMPLETE;
  if (setup_unfinished)
    g_ptr_array_add (tickets,
                     ticket_new (device, BK_TICKET_KIND_SETUP_NOT_FINISHED, BK_TICKET_SEVERITY_INFO,
                                 /* TRANSLATORS: %s is the bridge's address */
                                 g_strdup_printf (_("The set-up of the bridge at %s is not finished yet. Continue it to name the bridge and prepare it for scheduled meetings."),
                                                  bk_device_get_address (device)),
                                 _("Continue Set-Up"), BK_TICKET_ACTION_CONTINUE_SETUP));

  if (!setup_unfinished && SHOWN (BK_TICKET_KIND_MISSING_SYSTEM_NAME) && bk_device_get_name (device)[0] == '\0')
    g_ptr_array_add (tickets,
                     ticket_new (device, BK_TICKET_KIND_MISSING_SYSTEM_NAME, BK_TICKET_SEVERITY_WARNING,
                                 /* TRANSLATORS: %s is the bridge's address */
                                 g_strdup_printf (_("The bridge at %s has no system name yet. Give it a name so that people can recognise it in lists and bookings."),
                                                  bk_device_get_address (device)),
                                 _("Set Name"), BK_TICKET_ACTION_EDIT_SETTINGS));

  if (!setup_unfinished && SHOWN (BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS) &&
      !bk_device_has_extended_settings (device))
    g_ptr_array_add (tickets,
                     ticket_new (device, BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS, BK_TICKET_SEVERITY_WARNING,
                                 g_strdup_printf (_("%s cannot host scheduled meetings: its domain and numeric ID range are not configured. Set the domain, numeric ID base and quantity in the extended settings."),
                                                  display_name),
                                 _("Configure"), BK_TICKET_ACTION_EDIT_EXTENDED_SETTINGS));

  if (SHOWN (BK_TICKET_KIND_SLOTS_MISSING) && inputs->n_slots_missing > 0)
    g_ptr_array_add (tickets,
                     ticket_new (device, BK_TICKET_KIND_SLOTS_MISSING, BK_TICKET_SEVERITY_ERROR,
                                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u meeting space reserved for scheduled meetings is missing on %s, so fewer meetings can run at once. Repair the spaces to create it again.",
                                                               "%u meeting spaces reserved for scheduled meetings are missing on %s, so fewer meetings can run at once. Repair the spaces to create them again.",
                                                               inputs->n_slots_missing),
                                                  inputs->n_slots_missing, display_name),
                                 _("Repair"), BK_TICKET_ACTION_REPAIR_SLOTS));

  if (SHOWN (BK_TICKET_KIND_SLOTS_CHANGED) && inputs->n_slots_changed > 0)
    g_ptr_array_add (tickets,
                     ticket_new (device, BK_TICKET_KIND_SLOTS_CHANGED, BK_TICKET_SEVERITY_WARNING,
                                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u meeting space reserved for scheduled meetings was changed on %s outside Bridgekeeper, so its address may no longer match. Repair the spaces to reset it.",
                                                               "%u meeting spaces reserved for scheduled meetings were changed on %s outside Bridgekeeper, so their addresses may no longer match. Repair the spaces to reset them.",
                                                               inputs->n_slots_changed),
                                                  inputs->n_slots_changed, display_name),
                                 _("Repair"), BK_TICKET_ACTION_REPAIR_SLOTS));

  if (SHOWN (BK_TICKET_KIND_PRIMARY_UNREACHABLE) && inputs->primary_unreachable)
    g_ptr_array_add (tickets,
                     ticket_new (device, BK_TICKET_KIND_PRIMARY_UNREACHABLE, BK_TICKET_SEVERITY_ERROR,
                                 with_detail (g_strdup_printf (_("%s did not answer at %s. Check that the bridge is running and reachable from this computer, then check again."),
                                                               display_name, bk_device_get_address (device)),
                                              inputs->primary_detail),
                                 _("Check Again"), BK_TICKET_ACTION_CHECK_NOW));

  if (SHOWN (BK_TICKET_KIND_ALTERNATE_UNREACHABLE) && inputs->alternate_unreachable)
    {
      const char *node = inputs->alternate_label != NULL && inputs->alternate_label[0] != '\0'
                         ? inputs->alternate_label : bk_device_get_alternate_address (device);

      switch (inputs->alternate_problem)
        {
        case BK_TICKET_ALTERNATE_CERTIFICATE_CHANGED:
          /* It answered: saying "did not answer" would be false. */
          g_ptr_array_add (tickets,
                           ticket_new (device, BK_TICKET_KIND_ALTERNATE_UNREACHABLE, BK_TICKET_SEVERITY_ERROR,
                                       /* TRANSLATORS: the first %s is a call bridge, e.g. "CallBridge-Core2 (10.0.0.2:443)"; the second the bridge's name. */
                                       g_strdup_printf (_("The certificate of %s, the alternate call bridge of %s, has changed since you trusted it. Someone may be intercepting the connection, so Bridgekeeper does not use it and meetings cannot fail over to it. Trust the new certificate only if the bridge’s administrator confirms its fingerprint."),
                                                        node, display_name),
                                       _("Review Certificate"), BK_TICKET_ACTION_REVIEW_ALTERNATE_CERTIFICATE));
          break;
        case BK_TICKET_ALTERNATE_CERTIFICATE_UNTRUSTED:
          g_ptr_array_add (tickets,
                           ticket_new (device, BK_TICKET_KIND_ALTERNATE_UNREACHABLE, BK_TICKET_SEVERITY_WARNING,
                                       g_strdup_printf (_("%s, the alternate call bridge of %s, has its own certificate, which you have not trusted yet, so meetings cannot fail over to it. Compare its fingerprint with the one on that call bridge, then trust it."),
                                                        node, display_name),
                                       _("Review Certificate"), BK_TICKET_ACTION_REVIEW_ALTERNATE_CERTIFICATE));
          break;
        case BK_TICKET_ALTERNATE_CREDENTIALS_REFUSED:
          g_ptr_array_add (tickets,
                           ticket_new (device, BK_TICKET_KIND_ALTERNATE_UNREACHABLE, BK_TICKET_SEVERITY_WARNING,
                                       /* TRANSLATORS: the first %s is a call bridge, the second the bridge's name, the third a user name. */
                                       g_strdup_printf (_("%s, the alternate call bridge of %s, refused the user “%s” or its password, so meetings cannot fail over to it. Enter the API user of that call bridge."),
                                                        node, display_name, bk_device_get_alternate_username (device)),
                                       _("Edit Alternate"), BK_TICKET_ACTION_EDIT_ALTERNATE));
          break;
        case BK_TICKET_ALTERNATE_NO_ANSWER:
        default:
          g_ptr_array_add (tickets,
                           ticket_new (device, BK_TICKET_KIND_ALTERNATE_UNREACHABLE, BK_TICKET_SEVERITY_WARNING,
                                       with_detail (g_strdup_printf (_("The alternate call bridge of %s did not answer at %s, so meetings cannot fail over to it. Check that it is running, or choose another alternate."),
                                                                     display_name, bk_device_get_alternate_address (device)),
                                                    inputs->alternate_detail),
                                       _("Edit Alternate"), BK_TICKET_ACTION_EDIT_ALTERNATE));
          break;
        }
    }

  if (SHOWN (BK_TICKET_KIND_CMS_ALARM))
    {
      for (gsize i = 0; i < inputs->n_alarms; i++)
        {
          const BkTicketAlarm *alarm = &inputs->alarms[i];
          const AlarmInfo *info = find_alarm_info (alarm->type);
          BkTicket *ticket;

          ticket = ticket_new (device, BK_TICKET_KIND_CMS_ALARM,
                               info != NULL ? info->severity : BK_TICKET_SEVERITY_WARNING,
                               bk_tickets_dup_alarm_sentence (alarm->type, alarm->failure_reason),
                               _("Show Alarms"), BK_TICKET_ACTION_SHOW_ALARMS);
          ticket->alarm_type = g_strdup (alarm->type);
          g_free (ticket->key);
          ticket->key = g_strdup_printf ("cms-alarm:%s",
                                         alarm->id != NULL && alarm->id[0] != '\0' ? alarm->id :
                                         alarm->type != NULL ? alarm->type : "");
          g_ptr_array_add (tickets, ticket);
        }
    }

#undef SHOWN

  /* Stable: equal keys keep their input order. */
  g_ptr_array_sort (tickets, compare_tickets);

  store = g_list_store_new (BK_TYPE_TICKET);
  g_list_store_splice (store, 0, 0, tickets->pdata, tickets->len);

  return G_LIST_MODEL (store);
}
