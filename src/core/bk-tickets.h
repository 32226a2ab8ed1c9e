/* bk-tickets.h: problems of a device that need attention (TMS "tickets")
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-core-types.h"
#include "bk-device.h"

G_BEGIN_DECLS

/* One active alarm from GET /system/alarms (strings borrowed). */
typedef struct
{
  const char *id;              /* alarm id, may be NULL */
  const char *type;            /* e.g. "cdrConnectionFailure" */
  const char *failure_reason;  /* e.g. "dnsFailure", may be NULL */
} BkTicketAlarm;

/* Why the alternate failed the last check (BkTicketInputs). */
typedef enum
{
  BK_TICKET_ALTERNATE_NO_ANSWER = 0,       /* did not answer (or no detail known) */
  BK_TICKET_ALTERNATE_CERTIFICATE_CHANGED, /* answered with another certificate than the one trusted for it */
  BK_TICKET_ALTERNATE_CERTIFICATE_UNTRUSTED, /* its certificate was never trusted (files from before per-node pins) */
  BK_TICKET_ALTERNATE_CREDENTIALS_REFUSED, /* refused its API user or password */
} BkTicketAlternateProblem;

/* What the last check found.  Zero-initialise it: all-zero means "nothing
 * known is wrong".  The extended settings and system name come from the
 * device itself. */
typedef struct
{
  gboolean             primary_unreachable;
  const char          *primary_detail;     /* optional, e.g. an error message */
  gboolean             alternate_unreachable;
  const char          *alternate_detail;   /* optional */
  BkTicketAlternateProblem alternate_problem;
  const char          *alternate_label;    /* optional: "CallBridge-Core2 (10.0.0.2:443)" */
  guint                n_slots_missing;
  guint                n_slots_changed;
  const BkTicketAlarm *alarms;
  gsize                n_alarms;
} BkTicketInputs;

/*
 * Action names (the UI installs them; target: the device id as a string):
 *   "device.edit-settings"           system name
 *   "device.edit-extended-settings"  domain and numeric ID range
 *   "device.repair-slots"            recreate / reset the slot spaces
 *   "device.check-now"               probe the bridge again
 *   "device.edit-alternate"          alternate address and credentials
 *   "device.show-alarms"             the bridge's alarm list
 *   "device.review-alternate-certificate"  the alternate node's certificate
 *   "device.continue-setup"          the guided set-up, where it stopped
 *   "device.review-member-certificate"  another member's certificate (target: its id)
 */
#define BK_TICKET_ACTION_EDIT_SETTINGS          "device.edit-settings"
#define BK_TICKET_ACTION_EDIT_EXTENDED_SETTINGS "device.edit-extended-settings"
#define BK_TICKET_ACTION_REPAIR_SLOTS           "device.repair-slots"
#define BK_TICKET_ACTION_CHECK_NOW              "device.check-now"
#define BK_TICKET_ACTION_EDIT_ALTERNATE         "device.edit-alternate"
#define BK_TICKET_ACTION_SHOW_ALARMS            "device.show-alarms"
#define BK_TICKET_ACTION_REVIEW_ALTERNATE_CERTIFICATE "device.review-alternate-certificate"
#define BK_TICKET_ACTION_CONTINUE_SETUP         "device.continue-setup"
/* Target: the cluster member's id (a string). */
#define BK_TICKET_ACTION_REVIEW_MEMBER_CERTIFICATE "device.review-member-certificate"

#define BK_TYPE_TICKET (bk_ticket_get_type ())

G_DECLARE_FINAL_TYPE (BkTicket, bk_ticket, BK, TICKET, GObject)

/* Read-only properties: kind, severity, sentence, action-label,
 * action-name, device-id, key, alarm-type. */
BkTicketKind      bk_ticket_get_kind          (BkTicket *self);
BkTicketSeverity  bk_ticket_get_severity      (BkTicket *self);
/* What happened and what to do, translated. */
const char       *bk_ticket_get_sentence      (BkTicket *self);
/* Button label (translated) and action name; NULL when there is none. */
const char       *bk_ticket_get_action_label  (BkTicket *self);
const char       *bk_ticket_get_action_name   (BkTicket *self);
const char       *bk_ticket_get_device_id     (BkTicket *self);
/* Stable identity across recomputations: "<kind-nick>" or
 * "cms-alarm:<alarm id or type>" (for acknowledging). */
const char       *bk_ticket_get_key           (BkTicket *self);
/* The CMS alarm type for BK_TICKET_KIND_CMS_ALARM, else NULL. */
const char       *bk_ticket_get_alarm_type    (BkTicket *self);

/* A ticket raised by something other than the bridge's check (the
 * conference engine's: a participant who never answered, a call found on a
 * slot without a booking), for @device_id's Tickets. @key identifies it
 * ("participant-unanswered:<occurrence>:<index>"); @action_target (may be
 * NULL; floating references are sunk) is the action's parameter, e.g.
 * "app.redial-participant" with (occurrence id, participant index). */
BkTicket         *bk_ticket_new               (const char       *device_id,
                                               BkTicketKind      kind,
                                               BkTicketSeverity  severity,
                                               const char       *key,
                                               const char       *sentence,
                                               const char       *action_label,
                                               const char       *action_name,
                                               GVariant         *action_target);
/* The action's target, or NULL (the device id is then implied). */
GVariant         *bk_ticket_get_action_target (BkTicket *self);

/* The tickets of @device (a GListModel of BkTicket, errors first, then
 * warnings, then information, each group in kind order), without the kinds
 * hidden by the device's ticket filters.  @inputs may be NULL. */
GListModel       *bk_tickets_compute          (BkDevice             *device,
                                               const BkTicketInputs *inputs);

/* The sentence for one CMS alarm type (a generic one for unknown types). */
char             *bk_tickets_dup_alarm_sentence (const char *type,
                                                 const char *failure_reason);

G_END_DECLS
