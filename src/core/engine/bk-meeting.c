/* bk-meeting.c: start, poll, redial and end one meeting on a slot space
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkMeeting"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bk-meeting.h"

#define SLOT_NAME_PREFIX "TMS_Scheduled_Meeting_"

/* After a POST whose outcome is unknown and a listing that shows it did not
 * happen, it is sent again at most this many times. */
#define MAX_REPOSTS 1

typedef enum
{
  CALL_UNKNOWN,   /* this object has not looked (a fresh object after a restart) */
  CALL_NONE,      /* known: no call of ours runs */
  CALL_RUNNING,   /* call_id runs */
} CallState;

typedef struct
{
  char               *uri;
  char               *leg_id;
  BkParticipantState  state;
  guint               attempts;
  gint64              dialled_at;   /* monotonic */
  GError             *error;
  /* Added or redialled by hand before the start (the early join): called
   * now, not held until the start (the call exists once activated). */
  gboolean            early;
} Participant;

struct _BkMeeting
{
  GObject       parent_instance;

  BkCmsClient  *client;
  guint64       slot;
  char         *slot_text;
  char         *idle_name;      /* TMS_Scheduled_Meeting_<slot> */
  char         *space_id;
  char         *title;
  char         *passcode;
  GPtrArray    *participants;     /* Participant* */

  CallState     call_state;
  char         *call_id;

  guint         max_attempts;
  guint         ring_timeout_ms;
  gboolean      busy;
  /* bk_meeting_set_dial_held(): nobody is dialled (start, polls) until
   * bk_meeting_dial_async() (the start after the early join). */
  gboolean      dial_held;
  GTask        *dial_waiting;     /* bk_meeting_dial_async() after the operation under way */

  guint         watch_interval;
  GSource      *watch_source;
  GCancellable *watch_cancellable;
  guint         silent_polls;     /* watch rounds in a row with no answer */
  guint         poll_deadline_ms;
  GCancellable *poll_cancellable; /* the watch's round in flight */
  GSource      *poll_deadline;    /* the watch's round in flight gives up then */
  gboolean      poll_timed_out;
  GError       *start_cause;      /* why the last start failed */
  GError       *end_cause;        /* why the last end failed */

  /* The last listing of the call's legs: legs of nobody we dial (dial-in
   * participants), leg id -> GINT_TO_POINTER (TRUE) once its details said
   * it is connected (a listing is a summary: a leg still ringing or being
   * set up is listed too, and is nobody in the meeting yet); and when a
   * poll round last completed (monotonic). */
  GHashTable   *others;
  gint64        polled_at;

  /* bk_meeting_refresh(): a poll asked for while another operation ran. */
  gboolean      refresh_pending;
  guint         refresh_id;
  GCancellable *refresh_cancellable;
};

G_DEFINE_FINAL_TYPE (BkMeeting, bk_meeting, G_TYPE_OBJECT)
G_DEFINE_QUARK (bk-meeting-error-quark, bk_meeting_error)

enum
{
  PROP_0,
  PROP_CALL_ID,
  PROP_RUNNING,
  PROP_N_PARTICIPANTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_PARTICIPANT_CHANGED,
  SIGNAL_NODE_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One operation (start, end or poll) under way. */
typedef struct
{
  BkMeetingStartFlags flags;
  guint               pending;        /* parallel requests in flight */
  guint               reposts;
  GError             *cause;          /* start/end: the failure being reported */
  gboolean            call_unknown;   /* start: a call may exist, nobody knows */
  gboolean            slot_touched;   /* start: the activation PUT may have applied */
  gboolean            undone;         /* start: something was undone */
  gboolean            slot_left;      /* start: the reset failed */
  gboolean            call_left;      /* start: the call could not be deleted */
  gboolean            adopted;        /* start: the call was there before this attempt */
} Op;

static void
op_free (Op *op)
{
  g_clear_error (&op->cause);
  g_free (op);
}

static void
participant_free (gpointer data)
{
  Participant *p = data;

  g_free (p->uri);
  g_free (p->leg_id);
  g_clear_error (&p->error);
  g_free (p);
}

/* ---- helpers ---- */

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* FALSE when the bridge certainly did not act on the request. A request
 * cancelled in flight may have reached it. */
static gboolean
may_have_applied (const GError *error)
{
  if (error->domain != BK_CMS_ERROR)
    return TRUE;
  switch ((BkCmsErrorCode) error->code)
    {
    case BK_CMS_ERROR_UNREACHABLE:
    case BK_CMS_ERROR_TLS_UNTRUSTED:
    case BK_CMS_ERROR_TLS_PIN_MISMATCH:
    case BK_CMS_ERROR_UNAUTHORIZED:
    case BK_CMS_ERROR_FORBIDDEN:
    case BK_CMS_ERROR_NOT_FOUND:
    case BK_CMS_ERROR_CMS_FAILURE:
    case BK_CMS_ERROR_BUSY:
      return FALSE;
    case BK_CMS_ERROR_TIMEOUT:
    case BK_CMS_ERROR_SERVER_ERROR:
    case BK_CMS_ERROR_MALFORMED_REPLY:
    case BK_CMS_ERROR_OUTCOME_UNKNOWN:
    default:
      return TRUE;
    }
}

static gboolean
is_not_found (const GError *error)
{
  return g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND);
}

gboolean
bk_meeting_error_is_no_answer (const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (error->domain != BK_CMS_ERROR)
    return FALSE;
  switch ((BkCmsErrorCode) error->code)
    {
    case BK_CMS_ERROR_UNREACHABLE:
    case BK_CMS_ERROR_TIMEOUT:
    case BK_CMS_ERROR_OUTCOME_UNKNOWN:
      return TRUE;
    case BK_CMS_ERROR_SERVER_ERROR:
      /* A reset or other I/O failure, not a 5xx reply. */
      return bk_cms_error_get_http_status (error) == 0;
    default:
      return FALSE;
    }
}

gboolean
bk_meeting_error_is_untrusted (const GError *error)
{
  return g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED) ||
         g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH);
}

gboolean
bk_meeting_error_is_refused (const GError *error)
{
  return bk_meeting_error_is_untrusted (error) ||
         g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN);
}

/* Keeps the request error that makes a start fail. */
static void
note_start_cause (BkMeeting    *self,
                  const GError *cause)
{
  g_clear_error (&self->start_cause);
  g_clear_error (&self->end_cause);
  self->start_cause = cause != NULL ? g_error_copy (cause) : NULL;
}

static Participant *
participant (BkMeeting *self,
             guint      index)
{
  return g_ptr_array_index (self->participants, index);
}

/* Dropped from the meeting (bk_meeting_drop_async): gone, without a leg;
 * never called again until redialled. */
static gboolean
is_dropped (Participant *p)
{
  return p->state == BK_PARTICIPANT_GONE && p->leg_id == NULL;
}

static void
participant_changed (BkMeeting *self,
                     guint      index)
{
  g_signal_emit (self, signals[SIGNAL_PARTICIPANT_CHANGED], 0, index);
}

static void
set_state (BkMeeting          *self,
           guint               index,
           BkParticipantState  state)
{
  Participant *p = participant (self, index);

  if (p->state == state)
    return;
  g_debug ("%s: %s -> %s", p->uri, bk_participant_state_to_string (p->state),
           bk_participant_state_to_string (state));
  p->state = state;
  participant_changed (self, index);
}

static void
set_call (BkMeeting  *self,
          CallState   state,
          const char *call_id)
{
  gboolean was_running = self->call_state == CALL_RUNNING;

  self->call_state = state;
  if (g_strcmp0 (self->call_id, call_id) != 0)
    {
      g_free (self->call_id);
      self->call_id = g_strdup (call_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALL_ID]);
    }
  if (was_running != (state == CALL_RUNNING))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static char *
call_path (BkMeeting *self)
{
  return g_strdup_printf ("calls/%s", self->call_id);
}

static char *
space_path (BkMeeting *self)
{
  return g_strdup_printf ("coSpaces/%s", self->space_id);
}

static GTask *
op_task_new (BkMeeting           *self,
             GCancellable        *cancellable,
             gpointer             source_tag,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* A finished operation reports what happened, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_new0 (Op, 1), (GDestroyNotify) op_free);
  return task;
}

/* Refuses a second operation; TRUE when @task may go on. */
static gboolean
op_begin (BkMeeting *self,
          GTask     *task)
{
  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Another operation on the meeting “%s” is under way."), self->title);
      return FALSE;
    }
  self->busy = TRUE;
  return TRUE;
}

static void refresh_after_op (BkMeeting *self);
static void dial_begin (GTask *task);

/* The operation under way is over: a dial that waited for it goes now
 * (before any poll asked for meanwhile). */
static void
op_finished (BkMeeting *self)
{
  self->busy = FALSE;
  if (self->dial_waiting != NULL)
    {
      self->busy = TRUE;
      dial_begin (g_steal_pointer (&self->dial_waiting));
      return;
    }
  refresh_after_op (self);
}

/* Both take the caller's reference to @task (as every step function does). */
static void
op_return_error (GTask  *task,
                 GError *error)
{
  BkMeeting *self = g_task_get_source_object (task);

  op_finished (self);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
op_return_ok (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);

  op_finished (self);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* ---- finding the slot's space ---- */

static void space_found (GTask *task);

static void
find_space_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) spaces = NULL;
  const BkCmsCoSpace *by_name = NULL;
  const BkCmsCoSpace *by_number = NULL;
  GError *error = NULL;

  spaces = bk_cms_client_list_finish (self->client, result, &error);
  if (spaces == NULL)
    {
      GError *sentence;

      if (is_cancelled (error))
        {
          op_return_error (g_steal_pointer (&task), error);
          return;
        }
      note_start_cause (self, error);
      sentence = g_error_new (BK_MEETING_ERROR, BK_MEETING_ERROR_FAILED,
                              _("The meeting space of slot %s could not be looked up. %s Nothing was changed on the bridge."),
                              self->slot_text, error->message);
      g_error_free (error);
      op_return_error (g_steal_pointer (&task), sentence);
      return;
    }

  for (guint i = 0; i < spaces->len; i++)
    {
      const BkCmsCoSpace *s = g_ptr_array_index (spaces, i);

      if (g_strcmp0 (s->call_id, self->slot_text) == 0 && by_number == NULL)
        by_number = s;
      if (g_strcmp0 (s->name, self->idle_name) == 0 && by_name == NULL)
        by_name = s;
    }
  if (by_number == NULL && by_name == NULL)
    {
      op_return_error (g_steal_pointer (&task), g_error_new (BK_MEETING_ERROR, BK_MEETING_ERROR_NO_SLOT,
                                          _("The bridge has no meeting space for slot %s: repair the slots in the bridge’s settings."),
                                          self->slot_text));
      return;
    }
  self->space_id = g_strdup ((by_number ? by_number : by_name)->id);
  space_found (g_steal_pointer (&task));
}

/* Finds the space (one filtered GET) unless known, then space_found(). */
static void
ensure_space (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);
  const char *params[] = { "filter", self->slot_text, NULL };

  if (self->space_id != NULL)
    {
      space_found (task);
      return;
    }
  bk_cms_client_list_async (self->client, BK_CMS_KIND_COSPACE, "coSpaces", params, NULL, NULL,
                            g_task_get_cancellable (task), find_space_cb, task);
}

/* ---- dialling ---- */

typedef struct
{
  GTask *task;
  guint  index;
  void (*done) (GTask *task);
} DialData;

static void
dial_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  DialData *d = user_data;
  g_autoptr(GTask) task = d->task;
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  Participant *p = participant (self, d->index);
  void (*done) (GTask *) = d->done;
  g_autofree char *leg_id = NULL;
  g_autoptr(GError) error = NULL;

  leg_id = bk_cms_client_create_finish (self->client, result, &error);
  g_clear_error (&p->error);
  if (leg_id != NULL)
    {
      p->leg_id = g_steal_pointer (&leg_id);
      p->dialled_at = g_get_monotonic_time ();
    }
  else
    {
      /* Whether it happened anyway (outcome unknown) is seen in the next
       * poll's listing, which adopts such a leg before calling again. */
      p->error = g_error_new (BK_MEETING_ERROR, BK_MEETING_ERROR_FAILED,
                              _("%s could not be called. %s"), p->uri, error->message);
    }
  participant_changed (self, d->index);
  g_free (d);

  if (--op->pending == 0)
    done (g_steal_pointer (&task));
}

/* Dials every participant who has no leg and is still to be reached, all
 * in parallel, then done(). */
static void
dial_missing (GTask  *task,
              void  (*done) (GTask *task))
{
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("calls/%s/callLegs", self->call_id);

  op->pending = 1;
  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *p = participant (self, i);
      const char *params[] = { "remoteParty", p->uri, NULL };
      DialData *d;

      /* Held until the meeting's start (bk_meeting_dial_async), unless
       * added or redialled by hand before it. */
      if (self->dial_held && !p->early)
        continue;
      if (p->leg_id != NULL || p->state == BK_PARTICIPANT_GONE ||
          p->state == BK_PARTICIPANT_UNANSWERED || p->state == BK_PARTICIPANT_CONNECTED)
        continue;
      if (p->attempts >= self->max_attempts)
        {
          /* The last dial's own failure, if it failed, says more. */
          if (p->error == NULL)
            p->error = g_error_new (BK_MEETING_ERROR, BK_MEETING_ERROR_FAILED,
                                    g_dngettext (GETTEXT_PACKAGE, "%s did not answer (called once).",
                                                 "%s did not answer (called %u times).", p->attempts),
                                    p->uri, p->attempts);
          set_state (self, i, BK_PARTICIPANT_UNANSWERED);
          continue;
        }
      p->attempts++;
      set_state (self, i, BK_PARTICIPANT_INITIAL);
      d = g_new0 (DialData, 1);
      d->task = g_object_ref (task);
      d->index = i;
      d->done = done;
      op->pending++;
      bk_cms_client_create_async (self->client, path, params, NULL, dial_cb, d);
    }
  if (--op->pending == 0)
    done (task);
  else
    g_object_unref (task);
}

/* Matches listed legs (BkCmsCallLeg*) with the participants: a leg we know
 * is still there or not; a participant without a leg adopts an unclaimed
 * leg to the same remote party (a dial whose outcome was unknown, or a call
 * adopted after a restart). Returns nothing; updates states. */
static void
match_legs (BkMeeting *self,
            GPtrArray *legs)
{
  g_autoptr(GHashTable) claimed = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *p = participant (self, i);
      gboolean listed = FALSE;

      if (p->leg_id == NULL)
        continue;
      for (guint j = 0; j < legs->len && !listed; j++)
        listed = g_strcmp0 (((BkCmsCallLeg *) g_ptr_array_index (legs, j))->id, p->leg_id) == 0;
      if (listed)
        {
          g_hash_table_add (claimed, p->leg_id);
          continue;
        }
      /* The leg is gone. */
      g_clear_pointer (&p->leg_id, g_free);
      if (p->state == BK_PARTICIPANT_CONNECTED)
        set_state (self, i, BK_PARTICIPANT_GONE);
      else
        {
          set_state (self, i, BK_PARTICIPANT_INITIAL);
          participant_changed (self, i);
        }
    }

  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *p = participant (self, i);

      if (p->leg_id != NULL || p->state == BK_PARTICIPANT_GONE || p->state == BK_PARTICIPANT_UNANSWERED)
        continue;
      for (guint j = 0; j < legs->len; j++)
        {
          const BkCmsCallLeg *leg = g_ptr_array_index (legs, j);
          const char *remote = leg->remote_party ? leg->remote_party : leg->original_remote_party;

          if (remote == NULL || g_hash_table_contains (claimed, leg->id) ||
              g_ascii_strcasecmp (remote, p->uri) != 0)
            continue;
          p->leg_id = g_strdup (leg->id);
          p->dialled_at = g_get_monotonic_time ();
          if (p->attempts == 0)
            p->attempts = 1;
          g_hash_table_add (claimed, p->leg_id);
          g_debug ("%s: adopted leg %s", p->uri, p->leg_id);
          participant_changed (self, i);
          break;
        }
    }
  /* The rest are other people's legs: those who dialled in. One known
   * connected stays so while it is listed (as ours: no further read); the
   * others are read by the poll. */
  {
    GHashTable *others = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint j = 0; j < legs->len; j++)
      {
        const BkCmsCallLeg *leg = g_ptr_array_index (legs, j);

        if (leg->id == NULL || g_hash_table_contains (claimed, leg->id))
          continue;
        g_hash_table_insert (others, g_strdup (leg->id), g_hash_table_lookup (self->others, leg->id));
      }
    g_hash_table_unref (self->others);
    self->others = others;
  }
}

/* ---- start ---- */

static void start_activate (GTask *task);
static void start_create_call (GTask *task);
static void start_fail (GTask *task, GError *cause);

static void
start_done (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* Cancelled while the call was being set up: undo what this attempt
   * did (a call that was there before it, adopted, is left running). */
  if (g_cancellable_is_cancelled (cancellable))
    {
      Op *op = g_task_get_task_data (task);
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (cancellable, &error);
      if (op->adopted)
        op_return_error (task, error);
      else
        start_fail (task, error);
      return;
    }
  op_return_ok (task);
}

static void
adopted_legs_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) legs = NULL;
  g_autoptr(GError) error = NULL;

  legs = bk_cms_client_list_finish (self->client, result, &error);
  if (legs == NULL)
    {
      /* The call runs; who is in it is known at the next poll (which adopts
       * the legs before dialling anyone). */
      g_debug ("Could not list the legs of adopted call %s: %s", self->call_id, error->message);
      start_done (g_steal_pointer (&task));
      return;
    }
  match_legs (self, legs);
  dial_missing (g_steal_pointer (&task), start_done);
}

static void
adopt_call (GTask      *task,
            const char *call_id,
            gboolean    list_legs)
{
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  g_debug ("Slot %s already has call %s: adopting it", self->slot_text, call_id);
  /* Listing its legs means it was there before this attempt. */
  op->adopted = list_legs;
  set_call (self, CALL_RUNNING, call_id);
  if (!list_legs)
    {
      dial_missing (task, start_done);
      return;
    }
  path = g_strdup_printf ("calls/%s/callLegs", call_id);
  bk_cms_client_list_async (self->client, BK_CMS_KIND_CALL_LEG, path, NULL, NULL, NULL,
                            g_task_get_cancellable (task), adopted_legs_cb, task);
}

static void
verify_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) calls = NULL;
  GError *error = NULL;

  calls = bk_cms_client_list_finish (self->client, result, &error);
  if (calls == NULL)
    {
      note_start_cause (self, error);
      op_return_error (g_steal_pointer (&task), error);   /* nothing was done yet */
      return;
    }
  if (calls->len > 0)
    {
      adopt_call (g_steal_pointer (&task), ((BkCmsCall *) g_ptr_array_index (calls, 0))->id, TRUE);
      return;
    }
  set_call (self, CALL_NONE, NULL);
  start_activate (g_steal_pointer (&task));
}

static void
list_slot_calls (GTask               *task,
                 GAsyncReadyCallback  callback,
                 gboolean             use_cancellable)
{
  BkMeeting *self = g_task_get_source_object (task);
  const char *params[] = { "coSpaceFilter", self->space_id, NULL };

  bk_cms_client_list_async (self->client, BK_CMS_KIND_CALL, "calls", params, NULL, NULL,
                            use_cancellable ? g_task_get_cancellable (task) : NULL, callback, task);
}

static void
start_space_found (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  /* Without VERIFY the caller knows that no earlier attempt reached the
   * bridge (its journal says so): no listing is spent. */
  if (op->flags & BK_MEETING_START_VERIFY)
    list_slot_calls (task, verify_listed_cb, TRUE);
  else
    start_activate (task);
}

static void
activate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!bk_cms_client_update_finish (self->client, result, &error))
    {
      op->slot_touched = may_have_applied (error);
      start_fail (g_steal_pointer (&task), error);
      return;
    }
  op->slot_touched = TRUE;
  start_create_call (g_steal_pointer (&task));
}

static void
start_activate (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  const char *params[] = {
    "name", self->title,
    "passcode", self->passcode ? self->passcode : "",
    "nonMemberAccess", "true",
    "regenerateSecret", "true",
    NULL
  };

  if (op->flags & BK_MEETING_START_ACTIVATED)
    {
      /* Moved from another node: the shared space carries the meeting
       * already (a failure resets it like any start of ours). */
      op->slot_touched = TRUE;
      start_create_call (task);
      return;
    }
  path = space_path (self);
  bk_cms_client_update_async (self->client, path, params, g_task_get_cancellable (task), activate_cb, task);
}

static void
verify_post_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;

  calls = bk_cms_client_list_finish (self->client, result, &error);
  if (calls == NULL)
    {
      op->call_unknown = TRUE;
      start_fail (g_steal_pointer (&task), g_steal_pointer (&op->cause));
      return;
    }
  if (calls->len > 0)
    {
      g_clear_error (&op->cause);
      adopt_call (g_steal_pointer (&task), ((BkCmsCall *) g_ptr_array_index (calls, 0))->id, FALSE);
      return;
    }
  /* Verified: the bridge made no call. */
  if (op->reposts < MAX_REPOSTS && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      op->reposts++;
      g_clear_error (&op->cause);
      start_create_call (g_steal_pointer (&task));
      return;
    }
  start_fail (g_steal_pointer (&task), g_steal_pointer (&op->cause));
}

static void
create_call_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *call_id = NULL;
  GError *error = NULL;

  call_id = bk_cms_client_create_finish (self->client, result, &error);
  if (call_id != NULL)
    {
      set_call (self, CALL_RUNNING, call_id);
      dial_missing (g_steal_pointer (&task), start_done);
      return;
    }
  if (may_have_applied (error))
    {
      /* Never repeated blindly: did the bridge make the call? */
      g_debug ("POST /calls for slot %s: %s; listing the slot's calls", self->slot_text, error->message);
      op->cause = error;
      list_slot_calls (g_steal_pointer (&task), verify_post_cb, FALSE);
      return;
    }
  start_fail (g_steal_pointer (&task), error);
}

static void
start_create_call (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);
  const char *params[] = { "coSpace", self->space_id, NULL };

  bk_cms_client_create_async (self->client, "calls", params, g_task_get_cancellable (task),
                              create_call_cb, task);
}

/* Undoing a failed start: delete the call (if any), reset the slot (if it
 * may have been touched), then report. */
static void start_fail_reset (GTask *task);
static void start_fail_report (GTask *task);

static void
reset_params (BkMeeting   *self,
              const char **params)
{
  params[0] = "name";
  params[1] = self->idle_name;
  params[2] = "passcode";
  params[3] = "";
  params[4] = "nonMemberAccess";
  params[5] = "false";
  params[6] = "regenerateSecret";
  params[7] = "true";
  params[8] = NULL;
}

static void
fail_delete_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (bk_cms_client_delete_finish (self->client, result, &error) || is_not_found (error))
    {
      set_call (self, CALL_NONE, NULL);
      op->undone = TRUE;
      start_fail_reset (g_steal_pointer (&task));
      return;
    }
  g_debug ("Could not delete call %s after a failed start: %s", self->call_id, error->message);
  op->call_left = TRUE;
  /* The slot stays as it is while its call runs. */
  start_fail_report (g_steal_pointer (&task));
}

static void
fail_reset_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (bk_cms_client_update_finish (self->client, result, &error))
    op->undone = TRUE;
  else
    {
      g_debug ("Could not reset slot %s after a failed start: %s", self->slot_text, error->message);
      op->slot_left = TRUE;
    }
  start_fail_report (g_steal_pointer (&task));
}

static void
start_fail_reset (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  const char *params[9];

  if (!op->slot_touched)
    {
      start_fail_report (task);
      return;
    }
  path = space_path (self);
  reset_params (self, params);
  bk_cms_client_update_async (self->client, path, params, NULL, fail_reset_cb, task);
}

static void
start_fail (GTask  *task,
            GError *cause)
{
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  g_clear_error (&op->cause);
  op->cause = cause;
  note_start_cause (self, cause);
  if (self->call_state == CALL_RUNNING)
    {
      path = call_path (self);
      bk_cms_client_delete_async (self->client, path, NULL, fail_delete_cb, task);
      return;
    }
  start_fail_reset (task);
}

static void
start_fail_report (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GString) text = g_string_new (NULL);
  BkMeetingError code = BK_MEETING_ERROR_FAILED;
  gboolean cancelled = is_cancelled (op->cause);

  if (cancelled)
    g_string_append_printf (text, _("Starting the meeting “%s” was cancelled."), self->title);
  else
    {
      g_string_append_printf (text, _("The meeting “%s” could not be started."), self->title);
      g_string_append_c (text, ' ');
      g_string_append (text, op->cause->message);
    }
  g_string_append_c (text, ' ');
  if (op->call_left)
    {
      code = BK_MEETING_ERROR_LEFT_BEHIND;
      g_string_append_printf (text, _("Its call is still running on slot %s and could not be ended: end the meeting to retry."),
                              self->slot_text);
    }
  else if (op->call_unknown)
    {
      code = BK_MEETING_ERROR_LEFT_BEHIND;
      g_string_append_printf (text, _("Whether the bridge started its call on slot %s is not known: starting again looks for that call first."),
                              self->slot_text);
      if (op->slot_left)
        g_string_append_c (text, ' ');
    }
  if (op->slot_left)
    {
      code = BK_MEETING_ERROR_LEFT_BEHIND;
      g_string_append_printf (text, _("Slot %s may still carry the meeting’s name and passcode and could not be reset: end the meeting to retry."),
                              self->slot_text);
    }
  else if (!op->call_left && !op->call_unknown)
    g_string_append (text, op->undone ? _("What had been set up on the bridge was undone.")
                                      : _("Nothing was changed on the bridge."));

  if (op->call_unknown)
    self->call_state = CALL_UNKNOWN;

  if (cancelled && code == BK_MEETING_ERROR_FAILED)
    op_return_error (task, g_steal_pointer (&op->cause));
  else
    op_return_error (task, g_error_new_literal (BK_MEETING_ERROR, code, text->str));
}

static void
space_found (GTask *task)
{
  if (g_task_get_source_tag (task) == bk_meeting_start_async)
    start_space_found (task);
  else
    {
      void (*next) (GTask *) = g_object_get_data (G_OBJECT (task), "bk-next");

      next (task);
    }
}

/* ---- end ---- */

static void end_delete (GTask *task);
static void end_reset (GTask *task);

static void
end_fail (GTask      *task,
          gboolean    call_ended,
          GError     *cause)
{
  BkMeeting *self = g_task_get_source_object (task);
  g_autoptr(GError) owned = cause;
  g_autoptr(GString) text = g_string_new (NULL);

  g_clear_error (&self->end_cause);
  self->end_cause = g_error_copy (cause);
  if (is_cancelled (cause))
    {
      op_return_error (task, g_steal_pointer (&owned));
      return;
    }
  if (!call_ended)
    {
      g_string_append_printf (text, _("The meeting “%s” could not be ended."), self->title);
      g_string_append_c (text, ' ');
      g_string_append (text, cause->message);
      g_string_append_c (text, ' ');
      g_string_append (text, _("Its call may still be running on the bridge: end the meeting again to retry."));
    }
  else
    {
      g_string_append_printf (text, _("The meeting “%s” was ended, but its slot could not be reset."), self->title);
      g_string_append_c (text, ' ');
      g_string_append (text, cause->message);
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Slot %s may still carry the meeting’s name and passcode: end the meeting again to retry."),
                              self->slot_text);
    }
  op_return_error (task, g_error_new_literal (BK_MEETING_ERROR, BK_MEETING_ERROR_LEFT_BEHIND, text->str));
}

static void
end_all_gone (BkMeeting *self)
{
  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *p = participant (self, i);

      g_clear_pointer (&p->leg_id, g_free);
      if (p->state != BK_PARTICIPANT_UNANSWERED)
        set_state (self, i, BK_PARTICIPANT_GONE);
    }
}

static void
end_listed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) calls = NULL;
  GError *error = NULL;

  calls = bk_cms_client_list_finish (self->client, result, &error);
  if (calls == NULL)
    {
      end_fail (g_steal_pointer (&task), FALSE, error);
      return;
    }
  if (calls->len == 0)
    {
      set_call (self, CALL_NONE, NULL);
      end_reset (g_steal_pointer (&task));
      return;
    }
  set_call (self, CALL_RUNNING, ((BkCmsCall *) g_ptr_array_index (calls, 0))->id);
  end_delete (g_steal_pointer (&task));
}

static void
end_space_found (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);

  switch (self->call_state)
    {
    case CALL_UNKNOWN:
      list_slot_calls (task, end_listed_cb, TRUE);
      break;
    case CALL_RUNNING:
      end_delete (task);
      break;
    case CALL_NONE:
    default:
      end_reset (task);
      break;
    }
}

static void
end_delete_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!bk_cms_client_delete_finish (self->client, result, &error))
    {
      if (!is_not_found (error))
        {
          end_fail (g_steal_pointer (&task), FALSE, error);
          return;
        }
      g_clear_error (&error);   /* already gone: ended */
    }
  set_call (self, CALL_NONE, NULL);
  end_all_gone (self);
  /* Any other call that an earlier, unverified attempt may have left is
   * not looked for here: starting with VERIFY adopts it instead. */
  end_reset (g_steal_pointer (&task));
}

static void
end_delete (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);
  g_autofree char *path = call_path (self);

  bk_cms_client_delete_async (self->client, path, g_task_get_cancellable (task), end_delete_cb, task);
}

static void
end_reset_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!bk_cms_client_update_finish (self->client, result, &error))
    {
      end_fail (g_steal_pointer (&task), TRUE, error);
      return;
    }
  end_all_gone (self);
  op_return_ok (g_steal_pointer (&task));
}

static void
end_reset (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);
  g_autofree char *path = space_path (self);
  const char *params[9];

  reset_params (self, params);
  bk_cms_client_update_async (self->client, path, params, g_task_get_cancellable (task), end_reset_cb, task);
}

/* ---- dial (the start, after the early join) ---- */

static void
dial_begin (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);
  GError *error = NULL;

  /* The start has come: from now on whoever is to be reached is called. */
  self->dial_held = FALSE;
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      op_return_error (task, error);
      return;
    }
  if (self->call_state != CALL_RUNNING)
    {
      op_return_error (task, g_error_new (BK_MEETING_ERROR, BK_MEETING_ERROR_NOT_RUNNING,
                                          _("The meeting “%s” is not running."), self->title));
      return;
    }
  dial_missing (task, op_return_ok);
}

/* ---- poll ---- */

static void poll_dial (GTask *task);

static void
poll_done (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);

  self->polled_at = g_get_monotonic_time ();
  op_return_ok (task);
}

static void
poll_step_done (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (--op->pending == 0)
    poll_dial (task);
  else
    g_object_unref (task);
}

typedef struct
{
  GTask *task;
  guint  index;
} LegData;

static void
hang_up_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  LegData *d = user_data;
  GTask *task = d->task;
  BkMeeting *self = g_task_get_source_object (task);
  Participant *p = participant (self, d->index);
  g_autoptr(GError) error = NULL;

  if (is_dropped (p))
    ;   /* dropped meanwhile (bk_meeting_drop_async): stays gone */
  else if (bk_cms_client_delete_finish (self->client, result, &error) || is_not_found (error))
    {
      g_clear_pointer (&p->leg_id, g_free);
      set_state (self, d->index, BK_PARTICIPANT_INITIAL);
      participant_changed (self, d->index);
    }
  else
    g_debug ("Could not hang up %s: %s", p->uri, error->message);
  g_free (d);
  poll_step_done (task);
}

static void
leg_detail_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  LegData *d = user_data;
  GTask *task = d->task;
  BkMeeting *self = g_task_get_source_object (task);
  Participant *p = participant (self, d->index);
  g_autoptr(BkCmsCallLeg) leg = NULL;
  g_autoptr(GError) error = NULL;

  leg = bk_cms_client_get_finish (self->client, result, &error);
  if (is_dropped (p))
    {
      /* Dropped while this read was under way: stays gone. */
      g_free (d);
      poll_step_done (task);
      return;
    }
  if (leg == NULL)
    {
      if (is_not_found (error))
        {
          /* Gone before connecting: a failed attempt. */
          g_clear_pointer (&p->leg_id, g_free);
          set_state (self, d->index, BK_PARTICIPANT_INITIAL);
          participant_changed (self, d->index);
        }
      else
        g_debug ("Could not read the leg of %s: %s", p->uri, error->message);
      g_free (d);
      poll_step_done (task);
      return;
    }

  if (g_strcmp0 (leg->state, "connected") == 0 || g_strcmp0 (leg->state, "onHold") == 0)
    {
      g_clear_error (&p->error);
      set_state (self, d->index, BK_PARTICIPANT_CONNECTED);
    }
  else
    {
      set_state (self, d->index, g_strcmp0 (leg->state, "ringing") == 0 ? BK_PARTICIPANT_RINGING
                                                                         : BK_PARTICIPANT_INITIAL);
      if (self->ring_timeout_ms > 0 &&
          g_get_monotonic_time () - p->dialled_at >= (gint64) self->ring_timeout_ms * 1000)
        {
          g_autofree char *path = g_strdup_printf ("callLegs/%s", p->leg_id);

          g_debug ("%s: no answer within %u ms, hanging up", p->uri, self->ring_timeout_ms);
          bk_cms_client_delete_async (self->client, path, g_task_get_cancellable (task), hang_up_cb, d);
          return;
        }
    }
  g_free (d);
  poll_step_done (task);
}

typedef struct
{
  GTask *task;
  char  *leg_id;
} OtherLegData;

/* The details of someone else's leg (a dial-in participant): counted as
 * in the meeting once connected (or on hold, as ours). */
static void
other_leg_detail_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OtherLegData *d = user_data;
  GTask *task = d->task;
  BkMeeting *self = g_task_get_source_object (task);
  g_autoptr(BkCmsCallLeg) leg = NULL;
  g_autoptr(GError) error = NULL;

  leg = bk_cms_client_get_finish (self->client, result, &error);
  if (leg == NULL)
    {
      /* Gone meanwhile: nobody. */
      if (is_not_found (error))
        g_hash_table_remove (self->others, d->leg_id);
      else
        g_debug ("Could not read call leg %s: %s", d->leg_id, error->message);
    }
  else if ((g_strcmp0 (leg->state, "connected") == 0 || g_strcmp0 (leg->state, "onHold") == 0)
           && g_hash_table_contains (self->others, d->leg_id))
    g_hash_table_insert (self->others, g_strdup (d->leg_id), GINT_TO_POINTER (TRUE));
  g_free (d->leg_id);
  g_free (d);
  poll_step_done (task);
}

static void
poll_legs_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkMeeting *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) legs = NULL;
  GError *error = NULL;

  legs = bk_cms_client_list_finish (self->client, result, &error);
  if (legs == NULL)
    {
      if (is_not_found (error))
        {
          /* The call is gone (ended on the bridge, or its node lost it). */
          g_debug ("Call %s is gone: %s", self->call_id, error->message);
          g_clear_error (&error);
          set_call (self, CALL_NONE, NULL);
          end_all_gone (self);
          g_hash_table_remove_all (self->others);
          self->polled_at = g_get_monotonic_time ();
          op_return_ok (g_steal_pointer (&task));
          return;
        }
      op_return_error (g_steal_pointer (&task), error);
      return;
    }
  match_legs (self, legs);

  /* Read the state of every leg not known to be connected. */
  op->pending = 1;
  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *p = participant (self, i);
      g_autofree char *path = NULL;
      LegData *d;

      if (p->leg_id == NULL || p->state == BK_PARTICIPANT_CONNECTED)
        continue;
      d = g_new0 (LegData, 1);
      d->task = g_object_ref (task);
      d->index = i;
      op->pending++;
      path = g_strdup_printf ("callLegs/%s", p->leg_id);
      bk_cms_client_get_async (self->client, BK_CMS_KIND_CALL_LEG, path, NULL,
                               g_task_get_cancellable (task), leg_detail_cb, d);
    }
  /* And of every other leg not known to be connected (someone who
   * dialled in may still be ringing, or being set up). */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, self->others);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autofree char *path = NULL;
        OtherLegData *d;

        if (GPOINTER_TO_INT (value))
          continue;
        d = g_new0 (OtherLegData, 1);
        d->task = g_object_ref (task);
        d->leg_id = g_strdup (key);
        op->pending++;
        path = g_strdup_printf ("callLegs/%s", d->leg_id);
        bk_cms_client_get_async (self->client, BK_CMS_KIND_CALL_LEG, path, NULL,
                                 g_task_get_cancellable (task), other_leg_detail_cb, d);
      }
  }
  poll_step_done (g_steal_pointer (&task));
}

static void
poll_dial (GTask *task)
{
  BkMeeting *self = g_task_get_source_object (task);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      op_finished (self);
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
      return;
    }
  dial_missing (task, poll_done);
}

/* ---- watch ---- */

static void watch_schedule (BkMeeting *self);

static void
watch_poll_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BkMeeting *self = BK_MEETING (object);
  g_autoptr(GError) error = NULL;
  gboolean timed_out = self->poll_timed_out;

  if (self->poll_deadline != NULL)
    {
      g_source_destroy (self->poll_deadline);
      g_clear_pointer (&self->poll_deadline, g_source_unref);
    }
  self->poll_timed_out = FALSE;
  if (!bk_meeting_poll_finish (self, result, &error))
    {
      gboolean silent;

      if (is_cancelled (error) && !timed_out)
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        g_debug ("Poll of “%s” failed: %s", self->title,
                 timed_out ? "no answer within the poll deadline" : error->message);
      /* A round that got nothing back within its deadline counts as no
       * answer, like a refused connection (a node that hangs). */
      silent = timed_out || bk_meeting_error_is_no_answer (error);
      if (silent && ++self->silent_polls % BK_MEETING_LOST_AFTER_POLLS == 0)
        {
          g_debug ("The node of “%s” did not answer %u polls in a row", self->title, self->silent_polls);
          /* The handler may stop the watch (and drop its reference). */
          g_object_ref (self);
          g_signal_emit (self, signals[SIGNAL_NODE_LOST], 0);
          if (self->watch_interval > 0)
            watch_schedule (self);
          g_object_unref (self);
          return;
        }
    }
  else
    self->silent_polls = 0;
  watch_schedule (self);
}

static gboolean
poll_deadline_cb (gpointer user_data)
{
  BkMeeting *self = user_data;

  g_clear_pointer (&self->poll_deadline, g_source_unref);
  self->poll_timed_out = TRUE;
  if (self->poll_cancellable != NULL)
    g_cancellable_cancel (self->poll_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
watch_tick_cb (gpointer user_data)
{
  BkMeeting *self = user_data;

  g_clear_pointer (&self->watch_source, g_source_unref);
  if (self->call_state != CALL_RUNNING || self->busy)
    {
      watch_schedule (self);
      return G_SOURCE_REMOVE;
    }
  /* Each round has a cancellable of its own: its deadline cancels it. */
  g_clear_object (&self->poll_cancellable);
  self->poll_cancellable = g_cancellable_new ();
  self->poll_timed_out = FALSE;
  if (self->poll_deadline_ms > 0)
    {
      self->poll_deadline = g_timeout_source_new (self->poll_deadline_ms);
      g_source_set_callback (self->poll_deadline, poll_deadline_cb, self, NULL);
      g_source_set_static_name (self->poll_deadline, "[bridgekeeper] meeting poll deadline");
      g_source_attach (self->poll_deadline, g_main_context_get_thread_default ());
    }
  bk_meeting_poll_async (self, self->poll_cancellable, watch_poll_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
watch_schedule (BkMeeting *self)
{
  if (self->watch_interval == 0 || self->watch_source != NULL)
    return;
  self->watch_source = g_timeout_source_new (self->watch_interval);
  g_source_set_callback (self->watch_source, watch_tick_cb, self, NULL);
  g_source_set_static_name (self->watch_source, "[bridgekeeper] meeting watch");
  g_source_attach (self->watch_source, g_main_context_get_thread_default ());
}

static void
watch_stop (BkMeeting *self)
{
  if (self->watch_source != NULL)
    {
      g_source_destroy (self->watch_source);
      g_clear_pointer (&self->watch_source, g_source_unref);
    }
  if (self->watch_cancellable != NULL)
    {
      g_cancellable_cancel (self->watch_cancellable);
      g_clear_object (&self->watch_cancellable);
    }
  if (self->poll_deadline != NULL)
    {
      g_source_destroy (self->poll_deadline);
      g_clear_pointer (&self->poll_deadline, g_source_unref);
    }
  self->poll_timed_out = FALSE;
  if (self->poll_cancellable != NULL)
    {
      g_cancellable_cancel (self->poll_cancellable);
      g_clear_object (&self->poll_cancellable);
    }
}

/* ---- refresh (a poll now, or right after the operation under way) ---- */

static void
refresh_poll_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BkMeeting *self = BK_MEETING (object);
  g_autoptr(GError) error = NULL;

  if (!bk_meeting_poll_finish (self, result, &error) && !is_cancelled (error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        self->refresh_pending = TRUE;
      else
        g_debug ("Refresh of “%s” failed: %s", self->title, error->message);
    }
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  BkMeeting *self = user_data;

  self->refresh_id = 0;
  if (self->call_state == CALL_RUNNING)
    bk_meeting_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
refresh_after_op (BkMeeting *self)
{
  if (!self->refresh_pending || self->refresh_id != 0)
    return;
  self->refresh_pending = FALSE;
  /* From an idle: the operation's own callback runs first. */
  self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_idle_cb,
                                      g_object_ref (self), g_object_unref);
}

typedef struct
{
  BkMeeting          *self;
  guint               index;
  char               *leg_id;
  BkParticipantState  state;
} DropData;

static void
drop_data_free (DropData *d)
{
  g_free (d->leg_id);
  g_free (d);
}

static void
drop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DropData *d = g_task_get_task_data (task);
  BkMeeting *self = d->self;
  Participant *p = participant (self, d->index);
  g_autoptr(GError) error = NULL;

  if (bk_cms_client_delete_finish (self->client, result, &error) || is_not_found (error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Still there: back as it was, unless something else happened meanwhile. */
  if (is_dropped (p))
    {
      p->leg_id = g_strdup (d->leg_id);
      set_state (self, d->index, d->state);
    }
  g_task_return_new_error (task, BK_MEETING_ERROR, BK_MEETING_ERROR_FAILED,
                           _("%s could not be dropped from the meeting. %s"), p->uri, error->message);
}

/* ---- GObject ---- */

static void
bk_meeting_dispose (GObject *object)
{
  BkMeeting *self = BK_MEETING (object);

  watch_stop (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (bk_meeting_parent_class)->dispose (object);
}

static void
bk_meeting_finalize (GObject *object)
{
  BkMeeting *self = BK_MEETING (object);

  g_free (self->slot_text);
  g_free (self->idle_name);
  g_free (self->space_id);
  g_free (self->title);
  g_free (self->passcode);
  g_free (self->call_id);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->others, g_hash_table_unref);
  g_clear_error (&self->start_cause);
  g_clear_error (&self->end_cause);
  G_OBJECT_CLASS (bk_meeting_parent_class)->finalize (object);
}

static void
bk_meeting_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BkMeeting *self = BK_MEETING (object);

  switch (prop_id)
    {
    case PROP_CALL_ID:
      g_value_set_string (value, self->call_id);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, bk_meeting_is_running (self));
      break;
    case PROP_N_PARTICIPANTS:
      g_value_set_uint (value, self->participants->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_meeting_class_init (BkMeetingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bk_meeting_dispose;
  object_class->finalize = bk_meeting_finalize;
  object_class->get_property = bk_meeting_get_property;

  properties[PROP_CALL_ID] =
    g_param_spec_string ("call-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Notified when bk_meeting_add_participant() adds one. */
  properties[PROP_N_PARTICIPANTS] =
    g_param_spec_uint ("n-participants", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BkMeeting::participant-changed:
   * @index: the participant's index
   *
   * A participant's state, leg, attempts or error changed.
   */
  signals[SIGNAL_PARTICIPANT_CHANGED] =
    g_signal_new ("participant-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * BkMeeting::node-lost:
   *
   * The watch got no answer at all from the meeting's node for
   * BK_MEETING_LOST_AFTER_POLLS polls in a row (its call, wherever it is,
   * cannot be reached): the engine moves the meeting to another node.
   */
  signals[SIGNAL_NODE_LOST] =
    g_signal_new ("node-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bk_meeting_init (BkMeeting *self)
{
  self->participants = g_ptr_array_new_with_free_func (participant_free);
  self->others = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->max_attempts = BK_MEETING_DEFAULT_MAX_DIAL_ATTEMPTS;
  self->ring_timeout_ms = BK_MEETING_DEFAULT_RING_TIMEOUT_MS;
  self->poll_deadline_ms = BK_MEETING_DEFAULT_POLL_DEADLINE_MS;
  self->call_state = CALL_UNKNOWN;
  self->refresh_cancellable = g_cancellable_new ();
}

/* ---- public API ---- */

const char *
bk_participant_state_to_string (BkParticipantState state)
{
  switch (state)
    {
    case BK_PARTICIPANT_INITIAL:    return "initial";
    case BK_PARTICIPANT_RINGING:    return "ringing";
    case BK_PARTICIPANT_CONNECTED:  return "connected";
    case BK_PARTICIPANT_GONE:       return "gone";
    case BK_PARTICIPANT_UNANSWERED: return "unanswered";
    default:                        return "?";
    }
}

BkMeeting *
bk_meeting_new (BkCmsClient        *client,
                guint64             slot,
                const char         *space_id,
                const char         *title,
                const char         *passcode,
                const char * const *participants)
{
  BkMeeting *self;

  g_return_val_if_fail (BK_CMS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (title != NULL && *title != '\0', NULL);

  self = g_object_new (BK_TYPE_MEETING, NULL);
  self->client = g_object_ref (client);
  self->slot = slot;
  self->slot_text = g_strdup_printf ("%" G_GUINT64_FORMAT, slot);
  self->idle_name = g_strconcat (SLOT_NAME_PREFIX, self->slot_text, NULL);
  self->space_id = g_strdup (space_id);
  self->title = g_strdup (title);
  self->passcode = g_strdup (passcode);
  for (guint i = 0; participants != NULL && participants[i] != NULL; i++)
    {
      Participant *p = g_new0 (Participant, 1);

      p->uri = g_strdup (participants[i]);
      p->state = BK_PARTICIPANT_INITIAL;
      g_ptr_array_add (self->participants, p);
    }
  return self;
}

BkMeeting *
bk_meeting_new_moved (BkMeeting   *from,
                      BkCmsClient *client)
{
  BkMeeting *self;

  g_return_val_if_fail (BK_IS_MEETING (from), NULL);
  g_return_val_if_fail (BK_CMS_IS_CLIENT (client), NULL);

  self = bk_meeting_new (client, from->slot, from->space_id, from->title, from->passcode, NULL);
  /* Moved before its start: still nobody is called early. */
  self->dial_held = from->dial_held;
  self->max_attempts = from->max_attempts;
  self->ring_timeout_ms = from->ring_timeout_ms;
  self->poll_deadline_ms = from->poll_deadline_ms;
  for (guint i = 0; i < from->participants->len; i++)
    {
      const Participant *old = participant (from, i);
      Participant *p = g_new0 (Participant, 1);

      p->uri = g_strdup (old->uri);
      /* Called before the start by hand: called on the new node too. */
      p->early = old->early;
      if (old->state == BK_PARTICIPANT_GONE || old->state == BK_PARTICIPANT_UNANSWERED)
        {
          /* They had left, or never answered: not called again. */
          p->state = old->state;
          p->attempts = old->attempts;
          p->error = old->error != NULL ? g_error_copy (old->error) : NULL;
        }
      else
        p->state = BK_PARTICIPANT_INITIAL;
      g_ptr_array_add (self->participants, p);
    }
  return self;
}

const GError *
bk_meeting_get_start_cause (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), NULL);
  return self->start_cause;
}

const GError *
bk_meeting_get_end_cause (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), NULL);
  return self->end_cause;
}

void
bk_meeting_set_participant_gone (BkMeeting *self,
                                 guint      index)
{
  Participant *p;

  g_return_if_fail (BK_IS_MEETING (self));
  g_return_if_fail (index < self->participants->len);

  p = participant (self, index);
  if (p->leg_id != NULL || p->state == BK_PARTICIPANT_GONE)
    return;
  set_state (self, index, BK_PARTICIPANT_GONE);
}

BkCmsClient *
bk_meeting_get_client (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), NULL);
  return self->client;
}

guint64
bk_meeting_get_slot (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), 0);
  return self->slot;
}

const char *
bk_meeting_get_title (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), NULL);
  return self->title;
}

const char *
bk_meeting_get_space_id (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), NULL);
  return self->space_id;
}

const char *
bk_meeting_get_call_id (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), NULL);
  return self->call_id;
}

gboolean
bk_meeting_is_running (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  return self->call_state == CALL_RUNNING;
}

void
bk_meeting_set_max_dial_attempts (BkMeeting *self,
                                  guint      attempts)
{
  g_return_if_fail (BK_IS_MEETING (self));
  g_return_if_fail (attempts > 0);
  self->max_attempts = attempts;
}

void
bk_meeting_set_poll_deadline (BkMeeting *self,
                              guint      ms)
{
  g_return_if_fail (BK_IS_MEETING (self));
  self->poll_deadline_ms = ms;
}

void
bk_meeting_set_ring_timeout (BkMeeting *self,
                             guint      ms)
{
  g_return_if_fail (BK_IS_MEETING (self));
  self->ring_timeout_ms = ms;
}

guint
bk_meeting_get_n_participants (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), 0);
  return self->participants->len;
}

#define CHECK_INDEX(self, index, val) \
  g_return_val_if_fail (BK_IS_MEETING (self), val); \
  g_return_val_if_fail (index < self->participants->len, val)

const char *
bk_meeting_get_participant_uri (BkMeeting *self,
                                guint      index)
{
  CHECK_INDEX (self, index, NULL);
  return participant (self, index)->uri;
}

BkParticipantState
bk_meeting_get_participant_state (BkMeeting *self,
                                  guint      index)
{
  CHECK_INDEX (self, index, BK_PARTICIPANT_INITIAL);
  return participant (self, index)->state;
}

guint
bk_meeting_get_participant_attempts (BkMeeting *self,
                                     guint      index)
{
  CHECK_INDEX (self, index, 0);
  return participant (self, index)->attempts;
}

const char *
bk_meeting_get_participant_leg_id (BkMeeting *self,
                                   guint      index)
{
  CHECK_INDEX (self, index, NULL);
  return participant (self, index)->leg_id;
}

const GError *
bk_meeting_get_participant_error (BkMeeting *self,
                                  guint      index)
{
  CHECK_INDEX (self, index, NULL);
  return participant (self, index)->error;
}

void
bk_meeting_start_async (BkMeeting           *self,
                        BkMeetingStartFlags  flags,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (BK_IS_MEETING (self));

  task = op_task_new (self, cancellable, bk_meeting_start_async, callback, user_data);
  if (!op_begin (self, task))
    return;
  op = g_task_get_task_data (task);
  op->flags = flags;
  note_start_cause (self, NULL);
  if (self->call_state == CALL_RUNNING)
    {
      /* Started already (by this object): nothing to do. */
      op_return_ok (g_steal_pointer (&task));
      return;
    }
  ensure_space (g_steal_pointer (&task));
}

gboolean
bk_meeting_start_finish (BkMeeting     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bk_meeting_set_dial_held (BkMeeting *self,
                          gboolean   held)
{
  g_return_if_fail (BK_IS_MEETING (self));
  self->dial_held = !!held;
}

gboolean
bk_meeting_get_participant_held (BkMeeting *self,
                                 guint      index)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  g_return_val_if_fail (index < self->participants->len, FALSE);

  return self->dial_held && !participant (self, index)->early;
}

gboolean
bk_meeting_get_participant_early (BkMeeting *self,
                                  guint      index)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  g_return_val_if_fail (index < self->participants->len, FALSE);

  return participant (self, index)->early;
}

void
bk_meeting_set_participant_early (BkMeeting *self,
                                  guint      index)
{
  g_return_if_fail (BK_IS_MEETING (self));
  g_return_if_fail (index < self->participants->len);

  participant (self, index)->early = TRUE;
}

gboolean
bk_meeting_get_dial_held (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  return self->dial_held;
}

void
bk_meeting_dial_async (BkMeeting           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_MEETING (self));

  task = op_task_new (self, cancellable, bk_meeting_dial_async, callback, user_data);
  if (self->busy)
    {
      if (self->dial_waiting != NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                                   _("Another operation on the meeting “%s” is under way."), self->title);
          return;
        }
      /* A poll round is under way: the dial goes right after it (which,
       * held, called nobody). */
      self->dial_waiting = g_steal_pointer (&task);
      return;
    }
  self->busy = TRUE;
  dial_begin (g_steal_pointer (&task));
}

gboolean
bk_meeting_dial_finish (BkMeeting     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bk_meeting_end_async (BkMeeting           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_MEETING (self));

  task = op_task_new (self, cancellable, bk_meeting_end_async, callback, user_data);
  if (!op_begin (self, task))
    return;
  g_object_set_data (G_OBJECT (task), "bk-next", end_space_found);
  ensure_space (g_steal_pointer (&task));
}

gboolean
bk_meeting_end_finish (BkMeeting     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bk_meeting_poll_async (BkMeeting           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BK_IS_MEETING (self));

  task = op_task_new (self, cancellable, bk_meeting_poll_async, callback, user_data);
  if (!op_begin (self, task))
    return;
  if (self->call_state != CALL_RUNNING)
    {
      op_return_error (g_steal_pointer (&task),
                       g_error_new (BK_MEETING_ERROR, BK_MEETING_ERROR_NOT_RUNNING,
                                    _("The meeting “%s” is not running."), self->title));
      return;
    }
  path = g_strdup_printf ("calls/%s/callLegs", self->call_id);
  bk_cms_client_list_async (self->client, BK_CMS_KIND_CALL_LEG, path, NULL, NULL, NULL,
                            cancellable, poll_legs_listed_cb, g_steal_pointer (&task));
}

gboolean
bk_meeting_poll_finish (BkMeeting     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
bk_meeting_get_n_connected (BkMeeting *self)
{
  guint n;

  g_return_val_if_fail (BK_IS_MEETING (self), 0);

  n = 0;
  if (self->call_state == CALL_RUNNING)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->others);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        n += GPOINTER_TO_INT (value) ? 1 : 0;
    }
  for (guint i = 0; i < self->participants->len; i++)
    if (participant (self, i)->state == BK_PARTICIPANT_CONNECTED)
      n++;
  return n;
}

gint64
bk_meeting_get_polled_at (BkMeeting *self)
{
  g_return_val_if_fail (BK_IS_MEETING (self), 0);

  return self->polled_at;
}

void
bk_meeting_redial (BkMeeting *self,
                   guint      index)
{
  Participant *p;

  g_return_if_fail (BK_IS_MEETING (self));
  g_return_if_fail (index < self->participants->len);

  p = participant (self, index);
  if (p->state == BK_PARTICIPANT_CONNECTED || p->leg_id != NULL)
    return;
  /* Before the start (the early join), asked by hand: called now, as the
   * call exists; the start does not call them again while they have a
   * leg. */
  if (self->dial_held)
    p->early = TRUE;
  p->attempts = 0;
  g_clear_error (&p->error);
  set_state (self, index, BK_PARTICIPANT_INITIAL);
  participant_changed (self, index);
}

void
bk_meeting_watch (BkMeeting *self,
                  guint      interval_ms)
{
  g_return_if_fail (BK_IS_MEETING (self));

  watch_stop (self);
  self->watch_interval = interval_ms;
  if (interval_ms == 0)
    return;
  self->watch_cancellable = g_cancellable_new ();
  watch_schedule (self);
}

void
bk_meeting_refresh (BkMeeting *self)
{
  g_return_if_fail (BK_IS_MEETING (self));

  if (self->call_state != CALL_RUNNING)
    return;
  if (self->busy)
    {
      self->refresh_pending = TRUE;
      return;
    }
  bk_meeting_poll_async (self, self->refresh_cancellable, refresh_poll_cb, NULL);
}

guint
bk_meeting_add_participant (BkMeeting  *self,
                            const char *uri)
{
  Participant *p;

  g_return_val_if_fail (BK_IS_MEETING (self), 0);
  g_return_val_if_fail (uri != NULL && *uri != '\0', 0);

  for (guint i = 0; i < self->participants->len; i++)
    if (g_ascii_strcasecmp (participant (self, i)->uri, uri) == 0)
      {
        bk_meeting_redial (self, i);
        return i;
      }

  p = g_new0 (Participant, 1);
  p->uri = g_strdup (uri);
  p->state = BK_PARTICIPANT_INITIAL;
  /* Added before the start (the early join): called now, not at the
   * start (a TMS user adds someone to dial them). */
  p->early = self->dial_held;
  g_ptr_array_add (self->participants, p);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTICIPANTS]);
  return self->participants->len - 1;
}

void
bk_meeting_drop_async (BkMeeting           *self,
                       guint                index,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  Participant *p;
  DropData *d;

  g_return_if_fail (BK_IS_MEETING (self));
  g_return_if_fail (index < self->participants->len);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_meeting_drop_async);
  p = participant (self, index);
  if (p->leg_id == NULL)
    {
      /* Not in the call: only stop calling them. */
      if (p->state != BK_PARTICIPANT_UNANSWERED)
        set_state (self, index, BK_PARTICIPANT_GONE);
      g_task_return_boolean (task, TRUE);
      return;
    }
  d = g_new0 (DropData, 1);
  d->self = self;
  d->index = index;
  d->state = p->state;
  d->leg_id = g_steal_pointer (&p->leg_id);
  g_task_set_task_data (task, d, (GDestroyNotify) drop_data_free);
  /* Gone at once: a poll under way neither calls them again nor reads the
   * leg back as a failed dial. */
  set_state (self, index, BK_PARTICIPANT_GONE);
  participant_changed (self, index);
  path = g_strdup_printf ("callLegs/%s", d->leg_id);
  bk_cms_client_delete_async (self->client, path, cancellable, drop_cb, g_steal_pointer (&task));
}

gboolean
bk_meeting_drop_finish (BkMeeting     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (BK_IS_MEETING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
