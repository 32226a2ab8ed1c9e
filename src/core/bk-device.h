/* bk-device.h: one Cisco Meeting Server (a "device", as TMS calls it)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "bk-core-types.h"
#include "bk-cluster-member.h"

G_BEGIN_DECLS

#define BK_TYPE_DEVICE (bk_device_get_type ())

G_DECLARE_FINAL_TYPE (BkDevice, bk_device, BK, DEVICE, GObject)

/*
 * Every field is a GObject property (kebab-case of the accessor name, e.g.
 * "numeric-id-base") that emits ::notify only when its value changes.
 * String getters never return NULL: an unset string is "".
 * Passwords are NOT here: see bk-secrets.h.
 *
 * Properties: id (construct-only, a random UUID when not given), name,
 * address, port, certificate-pin, alternate-certificate-pin, ip-zone, time-zone, web-bridge-uri,
 * system-contact, alert-contact-when-booked, description, allow-booking,
 * allow-incoming-sip-uri-dialing, allow-outgoing-sip-uri-dialing, domain,
 * numeric-id-base, numeric-id-quantity, software-version, cluster-flags,
 * call-profile-id, call-leg-profile-id, bulk-parameter-set-id,
 * bulk-sync-id, cluster-members, member-certificate-pins, alternate-member-id, alternate-address,
 * alternate-username, username, access-levels, ticket-filters,
 * onboarding-stage, last-checked, reachability, alternate-reachability.
 *
 * last-checked, reachability and alternate-reachability are runtime
 * state: every check recomputes them, so the store never saves them (see
 * bk_device_property_is_runtime()).
 */

BkDevice          *bk_device_new                   (const char *address,
                                                    guint       port);

const char        *bk_device_get_id                (BkDevice   *self);

/* System name (TMS "Name"); "" until set. */
const char        *bk_device_get_name              (BkDevice   *self);
void               bk_device_set_name              (BkDevice   *self,
                                                    const char *name);
/* Host name or IP address (IPv6 without brackets). */
const char        *bk_device_get_address           (BkDevice   *self);
void               bk_device_set_address           (BkDevice   *self,
                                                    const char *address);
/* Web Admin port; default BK_DEFAULT_PORT (443). */
guint              bk_device_get_port              (BkDevice   *self);
void               bk_device_set_port              (BkDevice   *self,
                                                    guint       port);
/* SHA-256 of the trusted certificate (DER), lower-case hex without colons;
 * "" when the certificate is trusted by the system's CAs. */
const char        *bk_device_get_certificate_pin   (BkDevice   *self);
void               bk_device_set_certificate_pin   (BkDevice   *self,
                                                    const char *pin);
const char        *bk_device_get_ip_zone           (BkDevice   *self);
void               bk_device_set_ip_zone           (BkDevice   *self,
                                                    const char *ip_zone);
/* IANA time zone id (e.g. "Europe/Berlin"); "" = the local time zone. */
const char        *bk_device_get_time_zone         (BkDevice   *self);
void               bk_device_set_time_zone         (BkDevice   *self,
                                                    const char *time_zone);
const char        *bk_device_get_web_bridge_uri    (BkDevice   *self);
void               bk_device_set_web_bridge_uri    (BkDevice   *self,
                                                    const char *uri);
const char        *bk_device_get_system_contact    (BkDevice   *self);
void               bk_device_set_system_contact    (BkDevice   *self,
                                                    const char *contact);
gboolean           bk_device_get_alert_contact_when_booked (BkDevice *self);
void               bk_device_set_alert_contact_when_booked (BkDevice *self,
                                                            gboolean  alert);
const char        *bk_device_get_description       (BkDevice   *self);
void               bk_device_set_description       (BkDevice   *self,
                                                    const char *description);
/* TMS Scheduling Settings; all default to TRUE. */
gboolean           bk_device_get_allow_booking     (BkDevice   *self);
void               bk_device_set_allow_booking     (BkDevice   *self,
                                                    gboolean    allow);
gboolean           bk_device_get_allow_incoming_sip_uri_dialing (BkDevice *self);
void               bk_device_set_allow_incoming_sip_uri_dialing (BkDevice *self,
                                                                 gboolean  allow);
gboolean           bk_device_get_allow_outgoing_sip_uri_dialing (BkDevice *self);
void               bk_device_set_allow_outgoing_sip_uri_dialing (BkDevice *self,
                                                                 gboolean  allow);

/* Extended settings.  Quantity 0 means "not configured". */
const char        *bk_device_get_domain            (BkDevice   *self);
void               bk_device_set_domain            (BkDevice   *self,
                                                    const char *domain);
guint64            bk_device_get_numeric_id_base   (BkDevice   *self);
void               bk_device_set_numeric_id_base   (BkDevice   *self,
                                                    guint64     base);
guint              bk_device_get_numeric_id_quantity (BkDevice *self);
void               bk_device_set_numeric_id_quantity (BkDevice *self,
                                                      guint     quantity);
/* TRUE when domain, base (>= 1) and quantity (>= 1) are all set. */
gboolean           bk_device_has_extended_settings (BkDevice   *self);

/* Seen at the last probe. */
const char        *bk_device_get_software_version  (BkDevice   *self);
void               bk_device_set_software_version  (BkDevice   *self,
                                                    const char *version);
BkClusterFlags     bk_device_get_cluster_flags     (BkDevice   *self);
void               bk_device_set_cluster_flags     (BkDevice   *self,
                                                    BkClusterFlags flags);

/* Ids of the objects Bridgekeeper created on the bridge; "" when none. */
const char        *bk_device_get_call_profile_id   (BkDevice   *self);
void               bk_device_set_call_profile_id   (BkDevice   *self,
                                                    const char *id);
const char        *bk_device_get_call_leg_profile_id (BkDevice *self);
void               bk_device_set_call_leg_profile_id (BkDevice *self,
                                                      const char *id);
const char        *bk_device_get_bulk_parameter_set_id (BkDevice   *self);
void               bk_device_set_bulk_parameter_set_id (BkDevice   *self,
                                                        const char *id);
const char        *bk_device_get_bulk_sync_id      (BkDevice   *self);
void               bk_device_set_bulk_sync_id      (BkDevice   *self,
                                                    const char *id);

/* Cluster members seen (element type BkClusterMember*; never NULL,
 * transfer none).  The setter copies the records. */
GPtrArray         *bk_device_get_cluster_members   (BkDevice   *self);
void               bk_device_set_cluster_members   (BkDevice   *self,
                                                    GPtrArray  *members);
/* The member whose id (or, failing that, whose host) matches; or NULL. */
const BkClusterMember *bk_device_find_cluster_member (BkDevice   *self,
                                                      const char *id_or_host);

/* The certificates the person confirmed for the cluster members other than
 * the primary's node and the chosen alternate (each has its own): member
 * id -> SHA-256 as certificate-pin. Failover sends the primary's user to
 * such a member only over a connection that shows that very certificate
 * (or one the system's CAs trust). Saved with the device (property
 * "member-certificate-pins", a GHashTable of strings; the setter copies
 * it, leaving out any value that is not a SHA-256 fingerprint). */
GHashTable        *bk_device_get_member_certificate_pins (BkDevice   *self);
void               bk_device_set_member_certificate_pins (BkDevice   *self,
                                                          GHashTable *pins);
/* @member_id's pin, or "" when none was confirmed. */
const char        *bk_device_get_member_certificate_pin (BkDevice   *self,
                                                         const char *member_id);
/* @pin NULL or "" forgets it; otherwise 64 hex digits ("AB:CD:..." too). */
void               bk_device_set_member_certificate_pin (BkDevice   *self,
                                                         const char *member_id,
                                                         const char *pin);
/* TRUE when @pin is a SHA-256 fingerprint: 64 hex digits, colons and
 * spaces ignored. */
gboolean           bk_device_pin_is_valid          (const char *pin);

/* The chosen alternate (TMS "Alternate IP"): the member's id and the
 * address to use ("host" or "host:port", as typed or chosen); "" = none. */
const char        *bk_device_get_alternate_member_id (BkDevice *self);
void               bk_device_set_alternate_member_id (BkDevice *self,
                                                      const char *id);
const char        *bk_device_get_alternate_address (BkDevice   *self);
void               bk_device_set_alternate_address (BkDevice   *self,
                                                    const char *address);
/* The alternate's own API user (every node of a cluster may have its own;
 * never the primary's unless it was entered or chosen as such). */
const char        *bk_device_get_alternate_username (BkDevice  *self);
void               bk_device_set_alternate_username (BkDevice  *self,
                                                     const char *username);
/* SHA-256 of the certificate trusted for the alternate node (every node of
 * a cluster has its own), as certificate-pin; "" when none was trusted yet
 * (files written before per-node pins) or the system's CAs trust it. It
 * belongs to the alternate address: whoever changes the address clears it. */
const char        *bk_device_get_alternate_certificate_pin (BkDevice   *self);
void               bk_device_set_alternate_certificate_pin (BkDevice   *self,
                                                            const char *pin);
gboolean           bk_device_has_alternate         (BkDevice   *self);

/* The API user of the primary address. */
const char        *bk_device_get_username          (BkDevice   *self);
void               bk_device_set_username          (BkDevice   *self,
                                                    const char *username);

BkAccessLevel      bk_device_get_access_levels     (BkDevice   *self);
void               bk_device_set_access_levels     (BkDevice   *self,
                                                    BkAccessLevel levels);
BkTicketFilter     bk_device_get_ticket_filters    (BkDevice   *self);
void               bk_device_set_ticket_filters    (BkDevice   *self,
                                                    BkTicketFilter filters);
BkOnboardingStage  bk_device_get_onboarding_stage  (BkDevice   *self);
void               bk_device_set_onboarding_stage  (BkDevice   *self,
                                                    BkOnboardingStage stage);

/* Last check (UTC); NULL when never checked.  transfer none. */
GDateTime         *bk_device_get_last_checked      (BkDevice   *self);
void               bk_device_set_last_checked      (BkDevice   *self,
                                                    GDateTime  *when);
BkReachability     bk_device_get_reachability      (BkDevice   *self);
void               bk_device_set_reachability      (BkDevice   *self,
                                                    BkReachability reachability);
BkReachability     bk_device_get_alternate_reachability (BkDevice *self);
void               bk_device_set_alternate_reachability (BkDevice *self,
                                                         BkReachability reachability);

/* Helpers. */

/* TRUE for the properties that are runtime state (last-checked,
 * reachability, alternate-reachability): not saved, and a change of them
 * does not make the list of bridges need saving. */
gboolean           bk_device_property_is_runtime   (GParamSpec *pspec);

/* The name, or the address when the name is empty. */
const char        *bk_device_get_display_name      (BkDevice   *self);
/* "https://host:port" (IPv6 in brackets; the port always written). */
char              *bk_device_dup_base_url          (BkDevice   *self);
/* "host:port" or "[v6]:port" normalised (see bk_normalize_host()), for
 * comparisons. */
char              *bk_device_dup_address_key       (BkDevice   *self);
/* The base URL of the alternate, or NULL when none is chosen. */
char              *bk_device_dup_alternate_base_url (BkDevice  *self);

/* Slots.  @i counts from 0 to quantity - 1; the numeric ID of slot i is
 * base + i.  Both return newly allocated strings (free with g_free), or
 * NULL when @i is out of range or the extended settings are missing. */
char              *bk_device_get_slot_name         (BkDevice   *self,
                                                    guint       i);   /* "TMS_Scheduled_Meeting_<n>" */
char              *bk_device_get_slot_uri          (BkDevice   *self,
                                                    guint       i);   /* "<n>@domain" */
/* Numeric ID of slot @i (base + i). */
guint64            bk_device_get_slot_number       (BkDevice   *self,
                                                    guint       i);
/* base + quantity - 1 (the bulk parameter set's endIndex); 0 when not configured. */
guint64            bk_device_get_slot_end          (BkDevice   *self);

/* "TMS_Scheduled_Meeting_<n>" for a numeric ID, and the reverse (FALSE
 * when @name is not exactly a slot name). */
char              *bk_slot_name_for_number         (guint64     number);
gboolean           bk_slot_number_from_name        (const char *name,
                                                    guint64    *number);

G_END_DECLS
