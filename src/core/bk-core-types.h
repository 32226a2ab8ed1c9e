/* bk-core-types.h: enumerations and flags shared by the core domain objects
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * BkAccessLevel:
 *
 * What the person using Bridgekeeper may do with a bridge (TMS's "Your
 * Access" and Permissions tab).  New devices get %BK_ACCESS_LEVEL_ALL.
 */
typedef enum /*< flags,prefix=BK_ACCESS_LEVEL >*/
{
  BK_ACCESS_LEVEL_NONE            = 0,
  BK_ACCESS_LEVEL_READ            = 1 << 0,
  BK_ACCESS_LEVEL_BOOK            = 1 << 1,
  BK_ACCESS_LEVEL_EDIT_SETTINGS   = 1 << 2,
  BK_ACCESS_LEVEL_MANAGE_CALLS    = 1 << 3,
  BK_ACCESS_LEVEL_SET_PERMISSIONS = 1 << 4,
} BkAccessLevel;

#define BK_ACCESS_LEVEL_ALL (BK_ACCESS_LEVEL_READ | BK_ACCESS_LEVEL_BOOK | \
                             BK_ACCESS_LEVEL_EDIT_SETTINGS | BK_ACCESS_LEVEL_MANAGE_CALLS | \
                             BK_ACCESS_LEVEL_SET_PERMISSIONS)

/**
 * BkTicketKind:
 * @BK_TICKET_KIND_MISSING_SYSTEM_NAME: the device has no system name yet
 * @BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS: domain, numeric ID base or
 *   quantity not configured
 * @BK_TICKET_KIND_SLOTS_MISSING: some TMS_Scheduled_Meeting_<n> spaces do not
 *   exist on the bridge
 * @BK_TICKET_KIND_SLOTS_CHANGED: some slot spaces exist but were changed on
 *   the bridge (name, URI or call ID no longer match)
 * @BK_TICKET_KIND_PRIMARY_UNREACHABLE: the bridge's own address did not answer
 * @BK_TICKET_KIND_ALTERNATE_UNREACHABLE: the chosen alternate did not answer
 * @BK_TICKET_KIND_CMS_ALARM: an active alarm reported by GET /system/alarms
 * @BK_TICKET_KIND_SETUP_NOT_FINISHED: the guided set-up stopped before its
 *   end (the device is listed, but not named or not ready for meetings
 *   yet); it stands for the missing name and extended settings and cannot
 *   be filtered
 * @BK_TICKET_KIND_PARTICIPANT_UNANSWERED: a participant of a running meeting
 *   did not answer any dial attempt (the conference engine's; action: Redial)
 * @BK_TICKET_KIND_UNKNOWN_CALL: a call runs on one of the bridge's slot
 *   spaces without a booking of ours (the conference engine's; action: End)
 * @BK_TICKET_KIND_MEMBER_CERTIFICATE_CHANGED: a cluster member other than
 *   the alternate shows another certificate than the one confirmed for it
 *   (one ticket per member; action: Review Certificate)
 */
typedef enum /*< prefix=BK_TICKET_KIND >*/
{
  BK_TICKET_KIND_MISSING_SYSTEM_NAME,
  BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS,
  BK_TICKET_KIND_SLOTS_MISSING,
  BK_TICKET_KIND_SLOTS_CHANGED,
  BK_TICKET_KIND_PRIMARY_UNREACHABLE,
  BK_TICKET_KIND_ALTERNATE_UNREACHABLE,
  BK_TICKET_KIND_CMS_ALARM,
  BK_TICKET_KIND_SETUP_NOT_FINISHED,
  BK_TICKET_KIND_PARTICIPANT_UNANSWERED,
  BK_TICKET_KIND_UNKNOWN_CALL,
  BK_TICKET_KIND_MEMBER_CERTIFICATE_CHANGED,
} BkTicketKind;

/**
 * BkTicketFilter:
 *
 * The ticket kinds hidden for one device (TMS's per-system Ticket Filters).
 * Bit n hides #BkTicketKind n: use BK_TICKET_FILTER_FOR_KIND().
 */
typedef enum /*< flags,prefix=BK_TICKET_FILTER >*/
{
  BK_TICKET_FILTER_NONE                      = 0,
  BK_TICKET_FILTER_MISSING_SYSTEM_NAME       = 1 << BK_TICKET_KIND_MISSING_SYSTEM_NAME,
  BK_TICKET_FILTER_MISSING_EXTENDED_SETTINGS = 1 << BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS,
  BK_TICKET_FILTER_SLOTS_MISSING             = 1 << BK_TICKET_KIND_SLOTS_MISSING,
  BK_TICKET_FILTER_SLOTS_CHANGED             = 1 << BK_TICKET_KIND_SLOTS_CHANGED,
  BK_TICKET_FILTER_PRIMARY_UNREACHABLE       = 1 << BK_TICKET_KIND_PRIMARY_UNREACHABLE,
  BK_TICKET_FILTER_ALTERNATE_UNREACHABLE     = 1 << BK_TICKET_KIND_ALTERNATE_UNREACHABLE,
  BK_TICKET_FILTER_CMS_ALARM                 = 1 << BK_TICKET_KIND_CMS_ALARM,
} BkTicketFilter;

#define BK_TICKET_FILTER_FOR_KIND(kind) ((BkTicketFilter) (1u << (kind)))

typedef enum /*< prefix=BK_TICKET_SEVERITY >*/
{
  BK_TICKET_SEVERITY_INFO,
  BK_TICKET_SEVERITY_WARNING,
  BK_TICKET_SEVERITY_ERROR,
} BkTicketSeverity;

/**
 * BkOnboardingStage:
 * @BK_ONBOARDING_STAGE_NEW: only the address is known
 * @BK_ONBOARDING_STAGE_CONNECTED: certificate trusted (pin stored if needed),
 *   credentials accepted, GET /system/status answered
 * @BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED: GET /callBridges (and each
 *   /callBridges/<id>) read; cluster members stored
 * @BK_ONBOARDING_STAGE_PROFILES_CREATED: call profile and call leg profile
 *   created on the bridge; their ids stored
 * @BK_ONBOARDING_STAGE_SLOTS_REQUESTED: bulk parameter set and bulk sync
 *   posted; their ids stored
 * @BK_ONBOARDING_STAGE_COMPLETE: the bulk sync completed and the slots were
 *   checked
 *
 * Ordered: a device at stage N has completed every step up to and including
 * N, so onboarding resumes at the step after it.  The system name and the
 * extended settings are plain properties, reported by tickets when missing.
 */
typedef enum /*< prefix=BK_ONBOARDING_STAGE >*/
{
  BK_ONBOARDING_STAGE_NEW,
  BK_ONBOARDING_STAGE_CONNECTED,
  BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED,
  BK_ONBOARDING_STAGE_PROFILES_CREATED,
  BK_ONBOARDING_STAGE_SLOTS_REQUESTED,
  BK_ONBOARDING_STAGE_COMPLETE,
} BkOnboardingStage;

typedef enum /*< prefix=BK_REACHABILITY >*/
{
  BK_REACHABILITY_UNKNOWN,
  BK_REACHABILITY_REACHABLE,
  BK_REACHABILITY_UNREACHABLE,
} BkReachability;

/**
 * BkClusterFlags:
 * @BK_CLUSTER_FLAGS_CALL_BRIDGES: GET /callBridges listed more than one
 *   call bridge (the bridge is part of a call bridge cluster)
 * @BK_CLUSTER_FLAGS_DATABASE: the bridge reported a clustered database
 */
typedef enum /*< flags,prefix=BK_CLUSTER_FLAGS >*/
{
  BK_CLUSTER_FLAGS_NONE         = 0,
  BK_CLUSTER_FLAGS_CALL_BRIDGES = 1 << 0,
  BK_CLUSTER_FLAGS_DATABASE     = 1 << 1,
} BkClusterFlags;

/* BOOKING_PIN: a booked meeting's PIN; its "device-id" attribute holds
 * the booking's UID. */
typedef enum /*< prefix=BK_SECRET_KIND >*/
{
  BK_SECRET_KIND_PRIMARY,
  BK_SECRET_KIND_ALTERNATE,
  BK_SECRET_KIND_BOOKING_PIN,
} BkSecretKind;

G_END_DECLS
